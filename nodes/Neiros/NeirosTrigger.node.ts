import type { IDataObject, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { mapConcurrent } from '../shared/pagination';
import { floorDay, hash, pollError, sendOne, type CursorState, type ListReader, type Observation } from '../shared/polling';
import { countAt, triggerDescription, triggerPoll, type TriggerPoll, type TriggerSpec } from '../shared/trigger';
import { searchSites } from './methods';
import { DEAL_PAGINATION, dealsOf, neiros } from './spec';

const API = '/api/userapi/v1';
const DETAIL_CONCURRENCY = 8;

/** Fingerprint of the watched fields: `<hash of status>:<amount>`. */
function fingerprint(deal: IDataObject): string {
	return `${hash(String(deal.status ?? ''))}:${String(deal.summ ?? '')}`;
}

async function dealDetails(reader: ListReader, siteId: string, id: string): Promise<IDataObject | undefined> {
	try {
		const body = (await sendOne(reader, { method: 'GET', path: `${API}/project/${encodeURIComponent(id)}`, qs: { site_id: siteId }, headers: {} })) as IDataObject;
		const data = body?.data;
		return data && typeof data === 'object' && !Array.isArray(data) ? (data as IDataObject) : undefined;
	} catch (error) {
		// A deal deleted between the list and its details: nothing to tell about it.
		if (String((error as { httpCode?: string }).httpCode) === '404') return undefined;
		// Any other failure: the poll fails as one NodeApiError (the transport's redacted words).
		throw pollError(reader, error);
	}
}

/** The details of these deals, read a few at once. */
async function detailsOf(poll: TriggerPoll<string>, ids: string[]): Promise<Array<IDataObject | undefined>> {
	return await mapConcurrent(ids, DETAIL_CONCURRENCY, async (id) => await dealDetails(poll.reader, poll.params, id));
}

/** On Deal Changed: the list has no status or amount, so every deal of the window is read. */
async function changedDeals(poll: TriggerPoll<string>, records: IDataObject[], window: { state: CursorState; since: number }): Promise<Observation[]> {
	const recent = records.map((deal) => poll.observation(deal)).filter((o) => o.ts >= window.since);
	const details = await detailsOf(poll, recent.map((o) => o.id));
	const observed: Observation[] = [];
	recent.forEach(({ id, ts, json: deal }, i) => {
		const detail = details[i];
		if (!detail) return;
		const fp = fingerprint(detail);
		const previous = window.state.fp?.[id];
		const changedFields: string[] = [];
		if (previous !== undefined) {
			const [prevStatus, prevSumm] = previous.split(':');
			const [status, summ] = fp.split(':');
			if (prevStatus !== status) changedFields.push('status');
			if (prevSumm !== summ) changedFields.push('summ');
		}
		const json: IDataObject = { ...detail, site_id: deal.site_id, date: deal.date, changed_fields: changedFields };
		if (changedFields.includes('summ')) json.previous_summ = Number(previous!.split(':')[1]);
		observed.push({ id, ts, fp, json });
	});
	return observed;
}

/** Rows: a site's deals, listed from the first day of the window (`date_start`). */
const TRIGGER: TriggerSpec<string> = {
	provider: neiros,
	name: 'neirosTrigger',
	description: 'Read Neiros sites and deals and set deal amounts, or start a workflow when a deal appears or its status or amount changes (polling)',
	event: { default: 'newDeal', description: 'What starts the workflow' },
	events: [
		{
			value: 'dealChanged',
			name: 'On Deal Changed',
			description: 'The status or amount (summ) of a recent deal changed (deals dated within the overlap window)',
			kind: 'changed',
			time: 'date',
			observe: changedDeals,
		},
		{
			value: 'newDeal',
			name: 'On New Deal',
			description: 'A deal appeared in the site (each deal ID once)',
			kind: 'new',
			time: 'date',
			// New deals: the list says only id/site/date; the output is the whole deal.
			build: async (poll, events) => {
				const details = await detailsOf(poll, events.map((e) => e.id));
				return events.map((e, i) => ({ ...(details[i] ?? {}), ...e.json }));
			},
		},
	],
	properties: [
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
	],
	/** Deals carry only a day (`date`, YYYY-MM-DD): the window is whole days, two by default. */
	defaults: { overlapMinutes: 2880, maxEvents: 100 },
	list: {
		pagination: DEAL_PAGINATION,
		items: dealsOf,
		total: countAt('total'),
		resolution: 'day',
	},
	// Deals carry a day only: the first activation takes the deals listed from (today − overlap −
	// 30 min, whole days) as its baseline.
	read: { by: 'filter', param: () => 'date_start', format: 'yyyy-MM-dd', anchor: 'clock' },
	parameters: (fn) => {
		const siteId = String(fn.getNodeParameter('siteId', undefined, { extractValue: true }) ?? '').trim();
		if (!/^\d+$/.test(siteId)) {
			throw new NodeOperationError(fn.getNode(), `Site must be a numeric site ID such as 100, got "${siteId}"`);
		}
		return siteId;
	},
	watch: (fn, event, _reader, siteId) => ({ scope: `${event.value}:${siteId}`, path: `${API}/projects`, qs: { site_id: siteId }, zone: fn.getTimezone() }),
	// "Fetch Test Event": the newest deal of the last week.
	latest: async (poll) => {
		const { records } = await poll.readSince(floorDay(poll.watch.zone)(Date.now() - 7 * 86_400_000));
		if (!records.length) return [];
		const [newest] = records.map((deal) => poll.observation(deal)).sort((a, b) => b.ts - a.ts || Number(b.id) - Number(a.id));
		const [detail] = await detailsOf(poll, [newest.id]);
		return [{ ...(detail ?? {}), ...newest.json }];
	},
};

export class NeirosTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(TRIGGER),
		icon: { light: 'file:../../icons/neiros.svg', dark: 'file:../../icons/neiros.dark.svg' },
		subtitle: '={{$parameter["event"] === "dealChanged" ? "On Deal Changed" : "On New Deal"}}',
	};

	methods = {
		listSearch: { searchSites },
	};

	poll = triggerPoll(TRIGGER);
}
