/**
 * Polling triggers as table rows. A trigger describes its events as data — the record's time field,
 * its identity and version fingerprint, which list it reads and how (filtered by time, sorted
 * newest first, or whole) — and this engine builds the node from it: the description (Event, the
 * trigger's own parameters, Simplify, Options) and the poll (the cursor rules of polling.ts: server
 * time, window and overlap, fingerprints, baseline, backlog, atomic state). A row may carry a small
 * provider step where an API needs one (Neiros reads each deal's details); the loop, the state, the
 * options and the description stay here.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { pagingFor, walkPages } from './pagination';
import {
	baselineStart,
	floorDay,
	floorMinute,
	formatTime,
	listReader,
	offsetZoneOf,
	pollOptionsProperty,
	readAllStable,
	readPollOptions,
	runPoll,
	sendOne,
	timeOf,
	windowStartOf,
	type CursorState,
	type EventKind,
	type ListReader,
	type Observation,
	type PollPlan,
	type PollRead,
} from './polling';
import type { PaginationSpec, ProviderSpec } from './spec';

/** One row of a trigger's Event list: what makes a record an event, and how the record reads. */
export interface TriggerEvent<P = undefined> {
	/** Option value, stored in workflows and in the cursor's scope: never change it. */
	value: string;
	name: string;
	description: string;
	kind: EventKind;
	/** The record's attribute holding this event's time (created, updated, day). */
	time: string;
	/** The list this event reads, when each event has its own (e.g. `/customer`, `/order`). */
	path?: string;
	/** `updated`, `changed`: the record's version; an event when it differs from the one remembered. */
	fingerprint?: (record: IDataObject) => string;
	/** `changed`: whether a record not remembered shows a change by itself. */
	changed?: (record: IDataObject) => boolean;
	/** Fields the output takes from the version remembered for its id (e.g. the previous status). */
	previous?: (remembered: string | undefined) => IDataObject;
	/** Provider step: the observations of the window's records (default: one per record). */
	observe?: (poll: TriggerPoll<P>, records: IDataObject[], window: { state: CursorState; since: number }) => Promise<Observation[]>;
	/** Provider step: the output of the events selected (default: their json). */
	build?: (poll: TriggerPoll<P>, events: Observation[]) => Promise<IDataObject[]>;
}

/** How a poll reads its window of the list. */
export type TriggerRead<P = undefined> =
	/**
	 * The list filters by time: `param` ≥ the window start, written in `format` in the watch's zone.
	 * A baseline anchors on the `server`'s clock (its Date header, else the newest record of the
	 * list's last page) or, for a list dated by the day, on our `clock` (it only picks the day).
	 */
	| { by: 'filter'; param: (event: TriggerEvent<P>) => string; format: string; anchor: 'server' | 'clock' }
	/**
	 * The list sorts newest first (`sort`): pages back until a page ends before the window, twice
	 * (the window's ids must agree, else the cursor stays). A baseline anchors on the newest record.
	 */
	| { by: 'walkBack'; sort: (event: TriggerEvent<P>) => IDataObject; pageSize: number; maxPages: number }
	/** No time filter, no sort: every poll reads the whole list; a baseline anchors on its newest record. */
	| { by: 'scan' };

/** The list as the provider answers it. */
export interface TriggerList {
	pagination: PaginationSpec;
	items: (body: unknown) => IDataObject[];
	/** Records the (filtered) list holds, from a page's answer: pages that shifted are read again. */
	total?: (body: unknown) => number | undefined;
	/** The object holding the record's fields (JSON:API `attributes`); default the record. */
	attributes?: (record: IDataObject) => IDataObject;
	/** The record's id; default its `id`. */
	id?: (record: IDataObject) => string;
	/** The times' resolution (and the filter's): windows start on a whole minute or day. */
	resolution?: 'minute' | 'day';
	/** The timestamps carry the server's offset: its zone is learned from them (and kept in the state). */
	learnZone?: boolean;
}

/** What one poll watches, from the node's parameters and credential. */
export interface TriggerWatch {
	/** What the stored cursor is about: never change it (a stored state of another scope starts afresh). */
	scope: string;
	path: string;
	/** Query sent with every request of the list. */
	qs?: IDataObject;
	/** Zone of record times written without an offset, and of the time filter. */
	zone: string;
	/** Only records for which this holds are emitted (the others are remembered as seen). */
	accept?: (json: IDataObject) => boolean;
}

export interface TriggerSpec<P = undefined> {
	provider: ProviderSpec;
	/** Node type name (stored in workflows). */
	name: string;
	/**
	 * n8n's node panel lists an app and its trigger as ONE entry and shows the trigger's description
	 * for it (editor-ui useActionsGeneration: "default to trigger description"): this text therefore
	 * describes the app's actions as well as the trigger.
	 */
	description: string;
	/** The Event parameter: its name (`event` unless workflows stored another), default and hint. */
	event: { name?: string; default: string; description?: string };
	events: Array<TriggerEvent<P>>;
	/** The trigger's own parameters, shown after Event (resource, site, statuses). */
	properties?: INodeProperties[];
	/** Offer Simplify (after the trigger's parameters, on by default). */
	simplify?: { description: string; apply: (record: IDataObject) => IDataObject };
	defaults: { overlapMinutes: number; maxEvents: number };
	list: TriggerList;
	read: TriggerRead<P>;
	/** Read and check the trigger's own parameters, before anything is sent. */
	parameters?: (fn: IPollFunctions, event: TriggerEvent<P>) => P;
	watch: (fn: IPollFunctions, event: TriggerEvent<P>, reader: ListReader, params: P) => TriggerWatch | Promise<TriggerWatch>;
	/** "Fetch Test Event" when it is not the newest record of the list (`walkBack`: its first; else its last page's). */
	latest?: (poll: TriggerPoll<P>) => Promise<IDataObject[]>;
}

/** One poll, as the engine and a row's provider steps see it. */
export interface TriggerPoll<P = undefined> {
	fn: IPollFunctions;
	spec: TriggerSpec<P>;
	event: TriggerEvent<P>;
	params: P;
	reader: ListReader;
	watch: TriggerWatch;
	plan: PollPlan;
	simplify: boolean;
	/** The zone stored with the state (a learned one), while a poll reads. */
	storedZone?: string;
	/** A record as an observation of this event; with `state`, the output takes what it remembers. */
	observation: (record: IDataObject, state?: CursorState) => Observation;
	/** The list from `since` (a `filter` read), read again until its total stays put. */
	readSince: (since: number) => Promise<{ records: IDataObject[]; complete: boolean }>;
}

/** A count the list's answer reports at `path` (`total`, `meta.record-count`), when it is a number. */
export function countAt(...path: string[]): (body: unknown) => number | undefined {
	return (body) => {
		const value = path.reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as IDataObject)[key] : undefined), body);
		const count = Number(value);
		return Number.isFinite(count) ? count : undefined;
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Description                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/**
 * The node's description: the trigger header, Event (its rows, by name), own parameters, Simplify,
 * Options. The node file adds `icon` and `subtitle` as literals: n8n's scanner checks them there.
 */
export function triggerDescription<P>(spec: TriggerSpec<P>): Omit<INodeTypeDescription, 'icon' | 'subtitle'> {
	const displayName = `${spec.provider.displayName} Trigger`;
	const defaultEvent = spec.event.default;
	const event: INodeProperties = {
		displayName: 'Event',
		name: spec.event.name ?? 'event',
		type: 'options',
		noDataExpression: true,
		options: [...spec.events].sort((a, b) => a.name.localeCompare(b.name)).map(({ name, value, description }) => ({ name, value, description })),
		default: defaultEvent,
	};
	if (spec.event.description) event.description = spec.event.description;
	const properties = [event, ...(spec.properties ?? [])];
	if (spec.simplify) {
		properties.push({ displayName: 'Simplify', name: 'simplify', type: 'boolean', default: true, description: spec.simplify.description });
	}
	properties.push(pollOptionsProperty(spec.defaults));
	return {
		displayName,
		name: spec.name,
		group: ['trigger'],
		version: 1,
		description: spec.description,
		defaults: { name: displayName },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: spec.provider.credentialType, required: true }],
		properties,
	};
}

/* ------------------------------------------------------------------------------------------ */
/* Poll                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/** The node's `poll` (n8n calls it with the poll functions as `this`). */
export function triggerPoll<P>(spec: TriggerSpec<P>): (this: IPollFunctions) => Promise<INodeExecutionData[][] | null> {
	return async function (this: IPollFunctions) {
		return await pollTrigger(this, spec);
	};
}

function eventOf<P>(fn: IPollFunctions, spec: TriggerSpec<P>): TriggerEvent<P> {
	const value = fn.getNodeParameter(spec.event.name ?? 'event') as string;
	const event = spec.events.find((e) => e.value === value);
	if (!event) {
		const allowed = spec.events.map((e) => `"${e.value}"`).join(', ');
		throw new NodeOperationError(fn.getNode(), `Unknown event "${String(value)}": choose one from the Event list (${allowed})`);
	}
	return event;
}

/** One poll of a trigger: its parameters checked, then the window read, selected, emitted and stored (runPoll). */
export async function pollTrigger<P>(fn: IPollFunctions, spec: TriggerSpec<P>): Promise<INodeExecutionData[][] | null> {
	const event = eventOf(fn, spec);
	const params = spec.parameters ? spec.parameters(fn, event) : (undefined as P);
	const simplify = spec.simplify ? (fn.getNodeParameter('simplify', true) as boolean) : false;
	const options = readPollOptions(fn, spec.defaults);
	const reader = await listReader(fn, spec.provider);
	const watch = await spec.watch(fn, event, reader, params);
	const { resolution } = spec.list;
	const windowStart = resolution === 'minute' ? floorMinute : resolution === 'day' ? floorDay(watch.zone) : undefined;
	// A list dated by the day: a start date counts from the start of its day.
	if (resolution === 'day' && options.startFrom !== undefined) options.startFrom = floorDay(watch.zone)(options.startFrom);
	const accept = watch.accept;
	const plan: PollPlan = {
		kind: event.kind,
		overlapMs: options.overlapMs,
		maxEvents: options.maxEvents,
		windowStart,
		accept: accept ? (o) => accept(o.json) : undefined,
	};
	const poll = newPoll({ fn, spec, event, params, reader, watch, plan, simplify });
	const build = event.build;
	return await runPoll(fn, reader, {
		scope: watch.scope,
		options,
		plan,
		observe: async (state) => await readWindow(poll, state),
		latest: async () => await (spec.latest ? spec.latest(poll) : newest(poll)),
		build: build ? async (events) => await build(poll, events) : undefined,
	});
}

function newPoll<P>(base: Omit<TriggerPoll<P>, 'observation' | 'readSince'>): TriggerPoll<P> {
	const poll: TriggerPoll<P> = {
		...base,
		observation: (record, state) => observationOf(poll, record, state),
		readSince: async (since) => {
			const read = poll.spec.read;
			// A list without a time filter has no "from": its reads are `scan` and `walkBack`.
			if (read.by !== 'filter') throw new NodeOperationError(poll.fn.getNode(), `${poll.spec.name}: readSince needs a list filtered by time`);
			return await readList(poll, { ...poll.watch.qs, [read.param(poll.event)]: formatTime(since, zoneOf(poll), read.format) });
		},
	};
	return poll;
}

/** Zone of the times without an offset: the one learned from the server's timestamps, else the watch's. */
function zoneOf<P>(poll: TriggerPoll<P>): string {
	return poll.spec.list.learnZone ? (poll.reader.zone ?? poll.storedZone ?? poll.watch.zone) : poll.watch.zone;
}

function observationOf<P>(poll: TriggerPoll<P>, record: IDataObject, state?: CursorState): Observation {
	const { list, simplify } = poll.spec;
	const { event } = poll;
	const raw = (list.attributes ? list.attributes(record) : record)[event.time];
	if (list.learnZone) {
		const learned = offsetZoneOf(raw);
		if (learned) poll.reader.zone = learned;
	}
	const id = list.id ? list.id(record) : String(record.id);
	let json = poll.simplify && simplify ? simplify.apply(record) : record;
	if (state && event.previous) json = { ...json, ...event.previous(state.fp?.[id]) };
	return {
		id,
		// A list dated by the day: its day only.
		ts: timeOf(list.resolution === 'day' ? String(raw ?? '').slice(0, 10) : raw, zoneOf(poll)),
		fp: event.fingerprint?.(record),
		changed: event.changed?.(record),
		json,
	};
}

async function observeAll<P>(poll: TriggerPoll<P>, records: IDataObject[], state: CursorState, since: number): Promise<Observation[]> {
	if (poll.event.observe) return await poll.event.observe(poll, records, { state, since });
	return records.map((record) => poll.observation(record, state));
}

/** The newest finite time of the observations (0 when none). */
function newestOf(observed: Observation[]): number {
	return observed.reduce((max, o) => (Number.isFinite(o.ts) ? Math.max(max, o.ts) : max), 0);
}

/** Read the window of the state (a baseline: from its anchor), as runPoll's `observe`. */
async function readWindow<P>(poll: TriggerPoll<P>, state: CursorState): Promise<PollRead> {
	poll.storedZone = state.zone;
	const read = poll.spec.read;
	if (read.by === 'walkBack') return await readBack(poll, state, read);
	if (read.by === 'scan') return await readWhole(poll, state);
	let since = windowStartOf(state, poll.plan);
	let anchor: number | undefined;
	if (state.baseline) {
		// First activation: the server's own "now" (its Date header), else its newest record, anchors
		// the baseline; everything from there is remembered, nothing emitted. A list dated by the day
		// takes our clock: it only picks the day to start from, and minutes of clock difference cannot
		// move a window of whole days.
		anchor = read.anchor === 'clock' ? Date.now() : await serverAnchor(poll);
		since = anchor > 0 ? baselineStart(anchor, poll.plan) : 0;
	}
	const { records, complete } = await poll.readSince(since);
	return { observed: await observeAll(poll, records, state, since), complete, since, anchor };
}

/** The server's clock (its Date header), else the newest record of the list's last page. */
async function serverAnchor<P>(poll: TriggerPoll<P>): Promise<number> {
	const newest = await lastPage(poll);
	return poll.reader.serverNow ?? newestOf(newest);
}

/** Every record of the list (with `qs`), read again when its total changed between pages. */
async function readList<P>(poll: TriggerPoll<P>, qs: IDataObject): Promise<{ records: IDataObject[]; complete: boolean }> {
	const { list } = poll.spec;
	const request = { method: 'GET' as const, path: poll.watch.path, qs, headers: {} };
	return await readAllStable(poll.reader, request, list.pagination, list.items, list.total ?? (() => undefined));
}

/** The list has no time filter and no sorting: the whole of it, every poll. */
async function readWhole<P>(poll: TriggerPoll<P>, state: CursorState): Promise<PollRead> {
	const { records, complete } = await readList(poll, { ...poll.watch.qs });
	const observed = await observeAll(poll, records, state, windowStartOf(state, poll.plan));
	// The whole list was read: a baseline anchors on its newest record (times without a zone are
	// compared only with each other, never with a clock).
	const newest = newestOf(observed);
	const since = state.baseline ? baselineStart(newest, poll.plan) : undefined;
	return { observed, complete, since, anchor: state.baseline ? newest : undefined };
}

/** One page of the list (`qs` with its paging), as the page walker takes it. */
async function fetchPage<P>(poll: TriggerPoll<P>, qs: IDataObject): Promise<{ items: IDataObject[]; body: unknown }> {
	const body = await sendOne(poll.reader, { method: 'GET', path: poll.watch.path, qs, headers: {} });
	return { items: poll.spec.list.items(body), body };
}

type WalkBack<P> = Extract<TriggerRead<P>, { by: 'walkBack' }>;

/**
 * A newest-first list, paged back from the newest until a page ends before the window, through the
 * one page walker (the account's paging; a page repeating an earlier one, a page larger than asked
 * and the page cap stop with an error). The dates are the sender's, not a server clock: the newest
 * record anchors a baseline. Walked twice when records came or went between the pages (a deletion
 * moves a record up into a page already read): the window's ids must agree, else the cursor stays.
 */
async function readBack<P>(poll: TriggerPoll<P>, state: CursorState, read: WalkBack<P>): Promise<PollRead> {
	let since = windowStartOf(state, poll.plan);
	let anchor: number | undefined;
	const stopAt = (first: Observation[]) => {
		if (!state.baseline) return since;
		const newest = first.reduce((max, r) => Math.max(max, Number.isFinite(r.ts) ? r.ts : -Infinity), -Infinity);
		anchor = Number.isFinite(newest) ? newest : undefined;
		since = anchor !== undefined ? baselineStart(anchor, poll.plan) : 0;
		return since;
	};
	const first = await walkBack(poll, state, read, stopAt);
	const second = await walkBack(poll, state, read, () => since);
	// A record whose date cannot be read (NaN) must not turn the comparison off for the whole poll.
	const top = first.reduce((max, o) => (Number.isFinite(o.ts) ? Math.max(max, o.ts) : max), -Infinity);
	const ids = (list: Observation[]) =>
		list.filter((o) => o.ts >= since && o.ts <= top).map((o) => o.id).sort().join(',');
	return { observed: [...first, ...second], complete: ids(first) === ids(second), since, anchor };
}

/** Page back from the newest until a page ends before `stopAt` (or the list ends); in read order. */
async function walkBack<P>(poll: TriggerPoll<P>, state: CursorState, read: WalkBack<P>, stopAt: (first: Observation[]) => number): Promise<Observation[]> {
	const { items } = await walkPages({
		provider: poll.spec.provider.displayName,
		paging: pagingFor(poll.spec.list.pagination, poll.reader.credential.data),
		strategy: 'newestFirst',
		fetch: async (qs) => await fetchPage(poll, qs),
		qs: read.sort(poll.event),
		pageSize: read.pageSize,
		maxPages: read.maxPages,
		timeOf: (record) => poll.observation(record).ts,
		before: (first) => stopAt(first.items.map((record) => poll.observation(record))),
		fail: (message, description) => new NodeOperationError(poll.fn.getNode(), message, { description }),
	});
	return items.map((record) => poll.observation(record, state));
}

/** The list's last page: the newest records of a list that grows at its end (ids grow with creation). */
async function lastPage<P>(poll: TriggerPoll<P>): Promise<Observation[]> {
	const { pagination, items, total } = poll.spec.list;
	const size = pagination.maxPageSize;
	const first = pagination.firstPage ?? 1;
	const page = async (n: number) => {
		const qs: IDataObject = { ...poll.watch.qs, [pagination.pageParam]: n };
		if (pagination.sizeParam) qs[pagination.sizeParam] = size;
		return await sendOne(poll.reader, { method: 'GET', path: poll.watch.path, qs, headers: {} });
	};
	const body = await page(first);
	const pages = pagination.pageCount ? (pagination.pageCount(body, size) ?? 1) : Math.ceil((total?.(body) ?? 0) / size);
	return items(pages > 1 ? await page(first + pages - 1) : body).map((record) => poll.observation(record));
}

/** "Fetch Test Event": the newest record (of those the watch accepts), the cursor left alone. */
async function newest<P>(poll: TriggerPoll<P>): Promise<IDataObject[]> {
	const read = poll.spec.read;
	if (read.by === 'walkBack') {
		// Newest first: the first record of the first page.
		const paging = pagingFor(poll.spec.list.pagination, poll.reader.credential.data);
		const qs: IDataObject = { ...read.sort(poll.event), [paging.pageParam]: paging.offset ? 0 : (paging.firstPage ?? 1) };
		if (paging.sizeParam) qs[paging.sizeParam] = 1;
		const { items } = await fetchPage(poll, qs);
		return items.slice(0, 1).map((record) => poll.observation(record).json);
	}
	const accept = poll.watch.accept;
	const records = (await lastPage(poll)).filter((o) => !accept || accept(o.json));
	records.sort((a, b) => b.ts - a.ts || Number(b.id) - Number(a.id));
	return records.slice(0, 1).map((o) => o.json);
}
