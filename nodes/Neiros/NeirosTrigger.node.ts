import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from '../shared/pagination';
import {
	floorDay,
	formatTime,
	listReader,
	pollOptionsProperty,
	readAllStable,
	readPollOptions,
	runPoll,
	timeOf,
	type ListReader,
	type Observation,
} from '../shared/polling';
import { send } from '../shared/transport';
import { searchSites } from './methods';
import { dealsOf, neiros } from './spec';

const API = '/api/userapi/v1';
/** Deals carry only a day (`date`, YYYY-MM-DD): the window is whole days, two by default. */
const DEFAULTS = { overlapMinutes: 2880, maxEvents: 100 };
const DETAIL_CONCURRENCY = 8;

/** Short, stable hash of a text (FNV-1a, base 36) — the fingerprint stays small in static data. */
function hash(text: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h.toString(36);
}

/** Fingerprint of the watched fields: `<hash of status>:<amount>`. */
function fingerprint(deal: IDataObject): string {
	return `${hash(String(deal.status ?? ''))}:${String(deal.summ ?? '')}`;
}

async function dealDetails(reader: ListReader, siteId: string, id: string): Promise<IDataObject | undefined> {
	try {
		const body = (await send(reader.fn, reader.provider, { method: 'GET', path: `${API}/project/${encodeURIComponent(id)}`, qs: { site_id: siteId }, headers: {} }, reader.options)).body as IDataObject;
		const data = body?.data;
		return data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : undefined;
	} catch (error) {
		// A deal deleted between the list and its details: nothing to tell about it.
		if (String((error as { httpCode?: string }).httpCode) === '404') return undefined;
		// Already a NodeApiError from the shared transport (the provider's words, secrets redacted).
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error
		throw error;
	}
}

export class NeirosTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Neiros Trigger',
		name: 'neirosTrigger',
		icon: { light: 'file:../../icons/neiros.svg', dark: 'file:../../icons/neiros.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "dealChanged" ? "On Deal Changed" : "On New Deal"}}',
		description: 'Starts the workflow when a deal appears in a Neiros site, or its status or amount changes (polling)',
		defaults: { name: 'Neiros Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'neirosApi', required: true, }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'On Deal Changed',
						value: 'dealChanged',
						description: 'The status or amount (summ) of a recent deal changed (deals dated within the overlap window)',
					},
					{ name: 'On New Deal', value: 'newDeal', description: 'A deal appeared in the site (each deal ID once)' },
				],
				default: 'newDeal',
				description: 'What starts the workflow',
			},
			{
				displayName: 'Site',
				name: 'siteId',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				required: true,
				description: 'Site (a Neiros project, the API\'s site_id) whose deals to watch',
				modes: [
					{
						displayName: 'From List',
						name: 'list',
						type: 'list',
						typeOptions: { searchListMethod: 'searchSites', searchable: true },
					},
					{
						displayName: 'By ID',
						name: 'id',
						type: 'string',
						placeholder: 'e.g. 100',
						validation: [{ type: 'regex', properties: { regex: '^\\d+$', errorMessage: 'A site ID is a number such as 100' } }],
					},
				],
			},
			pollOptionsProperty(DEFAULTS),
		],
	};

	methods = {
		listSearch: { searchSites },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as 'newDeal' | 'dealChanged';
		const siteId = String(this.getNodeParameter('siteId', undefined, { extractValue: true }) ?? '').trim();
		if (!/^\d+$/.test(siteId)) {
			throw new NodeOperationError(this.getNode(), `Site must be a numeric site ID such as 100, got "${siteId}"`);
		}
		const options = readPollOptions(this, DEFAULTS);
		const zone = this.getTimezone();
		const toDay = floorDay(zone);
		// Deals are dated by the day: a start date counts from the start of its day.
		if (options.startFrom !== undefined) options.startFrom = toDay(options.startFrom);
		const reader = await listReader(this, neiros);
		const list = async (since: number) =>
			await readAllStable(
				reader,
				{ method: 'GET', path: `${API}/projects`, qs: { site_id: siteId, date_start: formatTime(since, zone, 'yyyy-MM-dd') }, headers: {} },
				{ pageParam: 'page', maxPageSize: 15 },
				dealsOf,
				(body) => {
					const total = Number((body as IDataObject | undefined)?.total);
					return Number.isFinite(total) ? total : undefined;
				},
			);
		const dayOf = (deal: IDataObject) => timeOf(String(deal.date ?? '').slice(0, 10), zone);

		return await runPoll(this, {
			scope: `${event}:${siteId}`,
			options,
			// Deals carry a day only, in the server's time zone: the first activation takes the deals
			// listed from (today − overlap) as its baseline instead of comparing days with our clock.
			baseline: true,
			plan: {
				kind: event === 'newDeal' ? 'new' : 'changed',
				overlapMs: options.overlapMs,
				maxEvents: options.maxEvents,
				windowStart: toDay,
			},
			observe: async (since, state) => {
				const { records, complete } = await list(since);
				if (event === 'newDeal') {
					const observed = records.map((deal): Observation => ({ id: String(deal.id), ts: dayOf(deal), json: deal }));
					return { observed, complete };
				}
				// On Deal Changed: the list has no status or amount, so every deal of the window is read.
				const recent = records.filter((deal) => dayOf(deal) >= since);
				const details = await mapConcurrent(recent, DETAIL_CONCURRENCY, async (deal) => await dealDetails(reader, siteId, String(deal.id)));
				const observed: Observation[] = [];
				recent.forEach((deal, i) => {
					const detail = details[i];
					if (!detail) return;
					const id = String(deal.id);
					const fp = fingerprint(detail);
					const previous = state.fp?.[id];
					const changedFields: string[] = [];
					if (previous !== undefined) {
						const [prevStatus, prevSumm] = previous.split(':');
						const [status, summ] = fp.split(':');
						if (prevStatus !== status) changedFields.push('status');
						if (prevSumm !== summ) changedFields.push('summ');
					}
					const json: IDataObject = { ...detail, site_id: deal.site_id, date: deal.date, changed_fields: changedFields };
					if (changedFields.includes('summ')) json.previous_summ = Number(previous!.split(':')[1]);
					observed.push({ id, ts: dayOf(deal), fp, json });
				});
				return { observed, complete };
			},
			build: async (events) => {
				if (event === 'dealChanged') return events.map((e) => e.json);
				// New deals: the list says only id/site/date; the output is the whole deal.
				const details = await mapConcurrent(events, DETAIL_CONCURRENCY, async (e) => await dealDetails(reader, siteId, e.id));
				return events.map((e, i) => ({ ...(details[i] ?? {}), ...e.json }));
			},
			latest: async () => {
				// "Fetch Test Event": the newest deal of the last week.
				const { records } = await list(toDay(Date.now() - 7 * 86_400_000));
				if (!records.length) return [];
				const newest = [...records].sort((a, b) => dayOf(b) - dayOf(a) || Number(b.id) - Number(a.id))[0];
				const detail = await dealDetails(reader, siteId, String(newest.id));
				return [{ ...(detail ?? {}), ...newest }];
			},
		});
	}
}
