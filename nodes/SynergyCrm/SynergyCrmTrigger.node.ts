import type { IDataObject, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { IANAZone } from 'luxon';

import { primaryData } from '../shared/jsonapi';
import { hash } from '../shared/polling';
import { countAt, triggerDescription, triggerPoll, type TriggerSpec } from '../shared/trigger';
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

/** The account zone when the server's timestamps have not told it yet (the docs' samples: `+03:00`). */
const DEFAULT_ACCOUNT_ZONE = 'Europe/Moscow';

const attributesOf = (record: IDataObject) => (record.attributes ?? {}) as IDataObject;

/** Rows: the type is the Resource parameter; the event picks the time the list is filtered by. */
const TRIGGER: TriggerSpec<string> = {
	provider: synergyCrm,
	name: 'synergyCrmTrigger',
	description: 'Work with Synergy CRM contacts, companies, deals, orders and more, or start a workflow when records are created or updated (polling)',
	event: { default: 'new', description: 'Which change of a record starts the workflow' },
	events: [
		{ value: 'new', name: 'On New', description: 'A record was created (by its created-at)', kind: 'new', time: 'created-at' },
		{
			value: 'updated',
			name: 'On Updated',
			description: 'A record was changed or created (by its updated-at); each change once',
			kind: 'updated',
			time: 'updated-at',
			// A version is its content (attributes and relationships), not its time.
			fingerprint: (record) => hash(JSON.stringify([attributesOf(record), record.relationships ?? null])),
		},
	],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: ORDERED.map((t) => ({ name: LABELS[t]?.label ?? t, value: LABELS[t]?.value ?? t })),
			default: 'contact',
			description: 'The kind of record to watch',
		},
	],
	simplify: {
		description: 'Whether to return a flat record ({ID, attributes, customs, related IDs}) instead of the raw JSON:API resource',
		apply: (record) => simplify(record, {}),
	},
	defaults: { overlapMinutes: 10, maxEvents: 100 },
	list: {
		pagination: PAGINATION,
		items: (body) => primaryData(body) as unknown as IDataObject[],
		total: countAt('meta', 'record-count'),
		attributes: attributesOf,
		resolution: 'minute',
		// (Synergy's timestamps carry their offset: the records and the Date header are one clock.)
		learnZone: true,
	},
	// Pages can shift while they are read (a record updated meanwhile joins the filtered set): the
	// list is read again when its record count changed, and the records of every read kept. The
	// filter (`YYYY.MM.DD HH:mm`) has no zone: it is written in the SERVER's zone — the offset of its
	// own timestamps (`…+03:00`, "Date and time formats" in the docs), else the credential's Account
	// Time Zone (Moscow by default) — never the workflow's zone.
	read: { by: 'filter', param: (event) => `filter[${event.time}-gte]`, format: FILTER_DATE_FORMAT, anchor: 'server' },
	parameters: (fn) => {
		const value = fn.getNodeParameter('resource') as string;
		const type = ORDERED.find((t) => (LABELS[t]?.value ?? t) === value);
		if (!type) throw new NodeOperationError(fn.getNode(), `Unknown resource "${value}": choose one from the Resource list`);
		return type;
	},
	watch: (fn, event, reader, type) => {
		const zone = String(reader.credential.data.accountTimeZone || DEFAULT_ACCOUNT_ZONE).trim();
		if (!IANAZone.isValidZone(zone)) {
			throw new NodeOperationError(fn.getNode(), `The Account Time Zone of the Synergy CRM credential must be a time zone name such as Europe/Moscow, got "${zone}"`);
		}
		return { scope: `${type}:${event.value}`, path: `${API}/${type}`, zone };
	},
};

export class SynergyCrmTrigger implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(TRIGGER),
		icon: { light: 'file:../../icons/synergycrm.svg', dark: 'file:../../icons/synergycrm.dark.svg' },
		subtitle: '={{$parameter["event"] === "updated" ? "On Updated " : "On New "}}{{$parameter["resource"]}}',
	};

	poll = triggerPoll(TRIGGER);
}
