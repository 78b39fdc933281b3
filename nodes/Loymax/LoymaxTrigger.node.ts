import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	baselineStart,
	listReader,
	pollOptionsProperty,
	readPollOptions,
	runPoll,
	sendOne,
	timeOf,
	windowStartOf,
	type Observation,
	type PollPlan,
} from '../shared/polling';
import { pagingFor, walkPages } from '../shared/pagination';
import { PAGINATION, loymaxListItems, loymaxSimplify, loymax } from './spec';

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
		// n8n's node panel lists an app and its trigger as ONE entry and shows the trigger's
		// description for it (editor-ui useActionsGeneration: "default to trigger description"):
		// this text therefore describes the app's actions as well as the trigger.
		description: 'Work with Loymax customers, orders, events, campaigns and promo codes, or start a workflow when a customer, order or event is added (polling)',
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
		// Newest first by the date attribute only: "Sorting" in the docs sorts by a model attribute, and
		// `date` (its own example) / `register_date` are the records' attributes; the platform id is
		// not one. Records of the same date are ordered on our side (by id).
		const sort = JSON.stringify([{ attribute: watched.dateField, direction: 'desc' }]);
		// The account's paging (Paging Style of the credential), read through the one page walker: a
		// page repeating an earlier one, a page larger than asked and the page cap stop with an error.
		const paging = pagingFor(PAGINATION, reader.credential.data);
		const fetch = async (qs: IDataObject) => {
			const body = await sendOne(reader, { method: 'GET', path: watched.path, qs, headers: {} });
			return { items: loymaxListItems(body), body };
		};
		const observe = (record: IDataObject): Observation => {
			const attrs = (record.attributes && typeof record.attributes === 'object' ? record.attributes : record) as IDataObject;
			// Dates are the sending system's strings (zone undocumented): one without a zone is read in
			// the workflow zone; it is only ever compared with the other records' dates.
			return { id: String(record.id ?? attrs.local_id), ts: timeOf(attrs[watched.dateField], zone), json: wantSimplify ? loymaxSimplify(record) : record };
		};
		/** Page back from the newest until a page ends before `stopAt` (or the list ends); in read order. */
		const walk = async (stopAt: (first: Observation[]) => number): Promise<Observation[]> => {
			const { items } = await walkPages({
				provider: loymax.displayName,
				paging,
				strategy: 'newestFirst',
				fetch,
				qs: { sort },
				pageSize: PAGE_SIZE,
				maxPages: MAX_PAGES,
				timeOf: (record) => observe(record).ts,
				before: (first) => stopAt(first.items.map(observe)),
				fail: (message, description) => new NodeOperationError(this.getNode(), message, { description }),
			});
			return items.map(observe);
		};
		const plan: PollPlan = { kind: 'new', overlapMs: options.overlapMs, maxEvents: options.maxEvents };

		return await runPoll(this, reader, {
			scope: `${resource}:new`,
			options,
			plan,
			observe: async (state) => {
				// The dates are the sender's, not a server clock: the newest record anchors the baseline.
				let since = windowStartOf(state, plan);
				let anchor: number | undefined;
				const stopAt = (first: Observation[]) => {
					if (!state.baseline) return since;
					const newest = Math.max(-Infinity, ...first.map((r) => (Number.isFinite(r.ts) ? r.ts : -Infinity)));
					anchor = Number.isFinite(newest) ? newest : undefined;
					since = anchor !== undefined ? baselineStart(anchor, plan) : 0;
					return since;
				};
				// Walked twice when records came or went between the pages (a deletion moves a record
				// up into a page already read): the window's ids must agree, else the cursor stays.
				const first = await walk(stopAt);
				const second = await walk(() => since);
				const top = Math.max(-Infinity, ...first.map((o) => o.ts));
				const ids = (list: Observation[]) =>
					list.filter((o) => o.ts >= since && o.ts <= top).map((o) => o.id).sort().join(',');
				return { observed: [...first, ...second], complete: ids(first) === ids(second), since, anchor };
			},
			latest: async () => {
				const qs: IDataObject = { sort, [paging.pageParam]: paging.offset ? 0 : (paging.firstPage ?? 1) };
				if (paging.sizeParam) qs[paging.sizeParam] = 1;
				const { items } = await fetch(qs);
				return items.slice(0, 1).map((r) => observe(r).json);
			},
		});
	}
}
