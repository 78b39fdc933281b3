import type { IDataObject, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { triggerDescription, triggerPoll, type TriggerSpec } from '../shared/trigger';
import { PAGINATION, loymaxListItems, loymaxSimplify, loymax } from './spec';

const attributesOf = (record: IDataObject) =>
	(record.attributes && typeof record.attributes === 'object' ? record.attributes : record) as IDataObject;

/** Rows: each watched collection is an event, with its path and the date attribute the list is sorted by. */
const TRIGGER: TriggerSpec = {
	provider: loymax,
	name: 'loymaxTrigger',
	description: 'Work with Loymax customers, orders, events, campaigns and promo codes, or start a workflow when a customer, order or event is added (polling)',
	event: { name: 'resource', default: 'customer' },
	events: [
		{ value: 'customer', name: 'On New Customer', description: 'A customer was registered (by register_date)', kind: 'new', time: 'register_date', path: '/customer' },
		{ value: 'event', name: 'On New Event', description: 'An event was added (by date)', kind: 'new', time: 'date', path: '/event' },
		{ value: 'order', name: 'On New Order', description: 'An order or receipt was added (by date)', kind: 'new', time: 'date', path: '/order' },
	],
	simplify: { description: 'Whether to return {ID, type, ...attributes} instead of the raw JSON:API resource', apply: loymaxSimplify },
	/**
	 * Dates are strings the sending system chose (format and zone undocumented), and records arrive
	 * when that system posts them, so an hour of overlap by default; with day-only dates set at least
	 * 1440 minutes.
	 */
	defaults: { overlapMinutes: 60, maxEvents: 100 },
	// The account's paging (Paging Style of the credential), read through the one page walker.
	list: { pagination: PAGINATION, items: loymaxListItems, attributes: attributesOf, id: (record) => String(record.id ?? attributesOf(record).local_id) },
	read: {
		by: 'walkBack',
		// Newest first by the date attribute only: "Sorting" in the docs sorts by a model attribute, and
		// `date` (its own example) / `register_date` are the records' attributes; the platform id is
		// not one. Records of the same date are ordered on our side (by id).
		sort: (event) => ({ sort: JSON.stringify([{ attribute: event.time, direction: 'desc' }]) }),
		pageSize: 100,
		// Safety stop for one poll's walk back (100 000 records).
		maxPages: 1000,
	},
	// Dates are the sending system's strings (zone undocumented): one without a zone is read in the
	// workflow zone; it is only ever compared with the other records' dates.
	watch: (fn, event) => ({ scope: `${event.value}:new`, path: event.path!, zone: fn.getTimezone() }),
};

export class LoymaxTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(TRIGGER),
		icon: { light: 'file:../../icons/loymax.svg', dark: 'file:../../icons/loymax.dark.svg' },
		subtitle: '={{"On New " + $parameter["resource"]}}',
	};

	poll = triggerPoll(TRIGGER);
}
