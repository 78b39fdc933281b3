import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listReader, pollOptionsProperty, readPollOptions, runPoll, timeOf, type Observation } from '../shared/polling';
import { send } from '../shared/transport';
import { hasNextLink } from '../shared/pagination';
import { loymaxListItems, loymaxSimplify, loymax } from './spec';

/** Watched collections: path and the date attribute the list is sorted by. */
const WATCHED: Record<string, { path: string; dateField: string; label: string }> = {
	customer: { path: '/customer', dateField: 'register_date', label: 'Customer' },
	order: { path: '/order', dateField: 'date', label: 'Order' },
	event: { path: '/event', dateField: 'date', label: 'Event' },
};

/**
 * Dates are strings the sending system chose (format and zone undocumented), and records arrive
 * when that system posts them, so an hour of overlap by default; with day-only dates set at least
 * 1440 minutes.
 */
const DEFAULTS = { overlapMinutes: 60, maxEvents: 100 };
const PAGE_SIZE = 100;
/** Safety stop for one poll's walk back (100 000 records). */
const MAX_PAGES = 1000;

export class LoymaxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax Trigger',
		name: 'loymaxTrigger',
		icon: { light: 'file:../../icons/loymax.svg', dark: 'file:../../icons/loymax.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On New " + $parameter["resource"]}}',
		description: 'Starts the workflow when a customer, order or event is added in Loymax (polling)',
		defaults: { name: 'Loymax Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'loymaxApi', required: true, }],
		properties: [
			{
				displayName: 'Event',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'On New Customer', value: 'customer', description: 'A customer was registered (by register_date)' },
					{ name: 'On New Event', value: 'event', description: 'An event was added (by date)' },
					{ name: 'On New Order', value: 'order', description: 'An order or receipt was added (by date)' },
				],
				default: 'customer',
			},
			{
				displayName: 'Simplify',
				name: 'simplify',
				type: 'boolean',
				default: true,
				description: 'Whether to return {ID, type, ...attributes} instead of the raw JSON:API resource',
			},
			pollOptionsProperty(DEFAULTS),
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const resource = this.getNodeParameter('resource') as string;
		const watched = WATCHED[resource] ?? WATCHED.customer;
		const wantSimplify = this.getNodeParameter('simplify', true) as boolean;
		const options = readPollOptions(this, DEFAULTS);
		const zone = this.getTimezone();
		const reader = await listReader(this, loymax);
		// Newest first: sorted by the date, then by the platform id (records of the same date).
		const sort = JSON.stringify([
			{ attribute: watched.dateField, direction: 'desc' },
			{ attribute: 'id', direction: 'desc' },
		]);
		const page = async (n: number, size = PAGE_SIZE) => {
			const { body } = await send(reader.fn, reader.provider, { method: 'GET', path: watched.path, qs: { sort, 'page[number]': n, 'page[size]': size }, headers: {} }, reader.options);
			return { items: loymaxListItems(body), body };
		};
		const observe = (record: IDataObject): Observation => {
			const attrs = (record.attributes && typeof record.attributes === 'object' ? record.attributes : record) as IDataObject;
			return { id: String(record.id), ts: timeOf(attrs[watched.dateField], zone), json: wantSimplify ? loymaxSimplify(record) : record };
		};

		return await runPoll(this, {
			scope: `${resource}:new`,
			options,
			// Dates are the sender's strings: the first activation takes the newest records as its
			// baseline instead of comparing them with our clock.
			now: 0,
			baseline: true,
			plan: { kind: 'new', overlapMs: options.overlapMs, maxEvents: options.maxEvents },
			observe: async (since, state) => {
				// Page back from the newest until a page ends before the window (or the list ends).
				const observed: Observation[] = [];
				let stopAt = since;
				for (let n = 1; n <= MAX_PAGES; n++) {
					const { items, body } = await page(n);
					const records = items.map(observe);
					observed.push(...records);
					if (n === 1 && state.baseline && state.cursor <= 0 && records.length) {
						// First activation: the window ends at the newest record.
						const newest = Math.max(...records.map((r) => (Number.isFinite(r.ts) ? r.ts : -Infinity)));
						if (Number.isFinite(newest)) stopAt = newest - options.overlapMs;
					}
					const oldest = records.length ? records[records.length - 1].ts : -Infinity;
					const next = hasNextLink(body);
					if (oldest < stopAt || next === false || (next === undefined && items.length < PAGE_SIZE) || items.length === 0) break;
				}
				return observed;
			},
			latest: async () => {
				const { items } = await page(1, 1);
				return items.slice(0, 1).map((r) => observe(r).json);
			},
		});
	}
}
