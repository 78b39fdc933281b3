import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { primaryData } from '../shared/jsonapi';
import {
	floorMinute,
	formatTime,
	listReader,
	pollOptionsProperty,
	readAllStable,
	readPollOptions,
	runPoll,
	timeOf,
	type Observation,
} from '../shared/polling';
import { send } from '../shared/transport';
import { DOCUMENTED_TYPES } from './resources';
import { API, FILTER_DATE_FORMAT, LABELS, PAGINATION, simplify, synergyCrm } from './spec';

/** Every documented type whose list takes both `filter[created-at-gte]` and `filter[updated-at-gte]`. */
const WATCHABLE = Object.entries(DOCUMENTED_TYPES)
	.filter(([, doc]) => {
		const names = new Set(doc.filters.map((f) => f.name));
		return names.has('created-at-gte') && names.has('updated-at-gte');
	})
	.map(([type]) => type);

/** Sorted by label, as n8n lists options. */
const ORDERED = [...WATCHABLE].sort((a, b) => (LABELS[a]?.label ?? a).localeCompare(LABELS[b]?.label ?? b));

const DEFAULTS = { overlapMinutes: 10, maxEvents: 100 };

function typeOf(fn: IPollFunctions, resourceValue: string): string {
	const type = ORDERED.find((t) => (LABELS[t]?.value ?? t) === resourceValue);
	if (!type) throw new NodeOperationError(fn.getNode(), `Unknown resource "${resourceValue}": choose one from the Resource list`);
	return type;
}

export class SynergyCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Synergy CRM Trigger',
		name: 'synergyCrmTrigger',
		icon: { light: 'file:../../icons/synergycrm.svg', dark: 'file:../../icons/synergycrm.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "updated" ? "On Updated " : "On New "}}{{$parameter["resource"]}}',
		description: 'Starts the workflow when records are created or updated in Synergy CRM (polling)',
		defaults: { name: 'Synergy CRM Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'synergyCrmApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'On New', value: 'new', description: 'A record was created (by its created-at)' },
					{ name: 'On Updated', value: 'updated', description: 'A record was changed or created (by its updated-at); each change once' },
				],
				default: 'new',
				description: 'Which change of a record starts the workflow',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: ORDERED.map((t) => ({ name: LABELS[t]?.label ?? t, value: LABELS[t]?.value ?? t })),
				default: 'contact',
				description: 'The kind of record to watch',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description:
					'Whether to return a flat record ({ID, attributes, customs, related IDs}) instead of the raw JSON:API resource',
			},
			pollOptionsProperty(DEFAULTS),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event') as 'new' | 'updated';
		const type = typeOf(this, this.getNodeParameter('resource') as string);
		const wantSimplify = this.getNodeParameter('simplify', true) as boolean;
		const options = readPollOptions(this, DEFAULTS);
		const zone = this.getTimezone();
		const field = event === 'new' ? 'created-at' : 'updated-at';
		const reader = await listReader(this, synergyCrm);
		const path = `${API}/${type}`;
		const shape = (record: IDataObject) => (wantSimplify ? simplify(record, {}) : record);
		const observe = (record: IDataObject): Observation => {
			const attrs = (record.attributes ?? {}) as IDataObject;
			return { id: String(record.id), ts: timeOf(attrs[field], zone), json: shape(record) };
		};

		return await runPoll(this, {
			scope: `${type}:${event}`,
			options,
			plan: {
				kind: event,
				overlapMs: options.overlapMs,
				maxEvents: options.maxEvents,
				// The filter takes `YYYY.MM.DD HH:mm` (no seconds, no zone): the window starts at a whole
				// minute, and the minute is given in the workflow's time zone (the docs name none).
				windowStart: floorMinute,
			},
			observe: async (since) => {
				const request = { method: 'GET' as const, path, qs: { [`filter[${field}-gte]`]: formatTime(since, zone, FILTER_DATE_FORMAT) }, headers: {} };
				// Pages can shift while they are read (a record updated meanwhile joins the filtered set):
				// the list is read again when its record count changed, and the records of every read kept.
				const { records, complete } = await readAllStable(
					reader,
					request,
					PAGINATION,
					(body) => primaryData(body) as unknown as IDataObject[],
					(body) => {
						const count = Number(((body as IDataObject | undefined)?.meta as IDataObject | undefined)?.['record-count']);
						return Number.isFinite(count) ? count : undefined;
					},
				);
				return { observed: records.map(observe), complete };
			},
			latest: async () => {
				// "Fetch Test Event": the newest record, without moving the cursor. Ids grow with creation;
				// the last page of the unfiltered list holds the newest records.
				const first = (await send(reader.fn, reader.provider, { method: 'GET', path, qs: { 'page[number]': 1, 'page[size]': 100 }, headers: {} }, reader.options)).body as IDataObject;
				const pages = Number((first?.meta as IDataObject | undefined)?.['page-count'] ?? 1);
				const body = pages > 1 ? (await send(reader.fn, reader.provider, { method: 'GET', path, qs: { 'page[number]': pages, 'page[size]': 100 }, headers: {} }, reader.options)).body : first;
				const records = (primaryData(body) as unknown as IDataObject[]).map(observe);
				records.sort((a, b) => b.ts - a.ts || Number(b.id) - Number(a.id));
				return records.slice(0, 1).map((r) => r.json);
			},
		});
	}
}
