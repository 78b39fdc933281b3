import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { IANAZone } from 'luxon';

import { primaryData } from '../shared/jsonapi';
import {
	baselineStart,
	floorMinute,
	formatTime,
	hash,
	listReader,
	offsetZoneOf,
	pollOptionsProperty,
	readAllStable,
	readPollOptions,
	runPoll,
	sendOne,
	timeOf,
	windowStartOf,
	type Observation,
	type PollPlan,
} from '../shared/polling';
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
/** The account zone when the server's timestamps have not told it yet (the docs' samples: `+03:00`). */
const DEFAULT_ACCOUNT_ZONE = 'Europe/Moscow';

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
		// n8n's node panel lists an app and its trigger as ONE entry and shows the trigger's
		// description for it (editor-ui useActionsGeneration: "default to trigger description"):
		// this text therefore describes the app's actions as well as the trigger.
		description: 'Work with Synergy CRM contacts, companies, deals, orders and more, or start a workflow when records are created or updated (polling)',
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
		const field = event === 'new' ? 'created-at' : 'updated-at';
		const reader = await listReader(this, synergyCrm);
		/** The zone the stored state learned (set when a poll reads it; manual runs store nothing). */
		let storedZone: string | undefined;
		// The filter (`YYYY.MM.DD HH:mm`) has no zone: it is written in the SERVER's zone — the offset
		// of its own timestamps (`…+03:00`, "Date and time formats" in the docs), else the credential's
		// Account Time Zone (Moscow by default) — never the workflow's zone.
		const accountZone = String(reader.credential.data.accountTimeZone || DEFAULT_ACCOUNT_ZONE).trim();
		if (!IANAZone.isValidZone(accountZone)) {
			throw new NodeOperationError(this.getNode(), `The Account Time Zone of the Synergy CRM credential must be a time zone name such as Europe/Moscow, got "${accountZone}"`);
		}
		const zoneNow = () => reader.zone ?? storedZone ?? accountZone;
		const path = `${API}/${type}`;
		const shape = (record: IDataObject) => (wantSimplify ? simplify(record, {}) : record);
		const plan: PollPlan = { kind: event, overlapMs: options.overlapMs, maxEvents: options.maxEvents, windowStart: floorMinute };
		const observe = (record: IDataObject): Observation => {
			const attrs = (record.attributes ?? {}) as IDataObject;
			const learned = offsetZoneOf(attrs[field]);
			if (learned) reader.zone = learned;
			return {
				id: String(record.id),
				ts: timeOf(attrs[field], zoneNow()),
				// A version is its content (attributes and relationships), not its time.
				fp: event === 'updated' ? hash(JSON.stringify([attrs, record.relationships ?? null])) : undefined,
				json: shape(record),
			};
		};
		const page = async (qs: IDataObject) =>
			(await sendOne(reader, { method: 'GET', path, qs: { ...qs, 'page[size]': 100 }, headers: {} })) as IDataObject;
		/** The newest records by id (the last page of the unfiltered list: ids grow with creation). */
		const newestPage = async () => {
			const first = await page({ 'page[number]': 1 });
			const pages = Number((first?.meta as IDataObject | undefined)?.['page-count'] ?? 1);
			const body = pages > 1 ? await page({ 'page[number]': pages }) : first;
			return (primaryData(body) as unknown as IDataObject[]).map(observe);
		};
		const readWindow = async (since: number) => {
			const qs = { [`filter[${field}-gte]`]: formatTime(since, zoneNow(), FILTER_DATE_FORMAT) };
			// Pages can shift while they are read (a record updated meanwhile joins the filtered set):
			// the list is read again when its record count changed, and the records of every read kept.
			return await readAllStable(
				reader,
				{ method: 'GET', path, qs, headers: {} },
				PAGINATION,
				(body) => primaryData(body) as unknown as IDataObject[],
				(body) => {
					const count = Number(((body as IDataObject | undefined)?.meta as IDataObject | undefined)?.['record-count']);
					return Number.isFinite(count) ? count : undefined;
				},
			);
		};

		return await runPoll(this, reader, {
			scope: `${type}:${event}`,
			options,
			plan,
			observe: async (current) => {
				storedZone = current.zone;
				let since = windowStartOf(current, plan);
				let anchor: number | undefined;
				if (current.baseline) {
					// First activation: the server's own "now" (its Date header), else its newest record,
					// anchors the baseline; everything from there is remembered, nothing emitted.
					const newest = await newestPage();
					// (Synergy's timestamps carry their offset: the records and the Date header are one clock.)
					anchor = reader.serverNow ?? Math.max(0, ...newest.map((o) => (Number.isFinite(o.ts) ? o.ts : 0)));
					since = anchor > 0 ? baselineStart(anchor, plan) : 0;
				}
				const { records, complete } = await readWindow(since);
				return { observed: records.map(observe), complete, since, anchor };
			},
			latest: async () => {
				// "Fetch Test Event": the newest record, without moving the cursor.
				const records = await newestPage();
				records.sort((a, b) => b.ts - a.ts || Number(b.id) - Number(a.id));
				return records.slice(0, 1).map((r) => r.json);
			},
		});
	}
}
