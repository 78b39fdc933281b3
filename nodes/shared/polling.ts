/**
 * Polling-trigger cursors. None of the five APIs documents webhooks, so every trigger polls a list
 * and decides which records are events. The rules, shared by every trigger:
 *
 * - Server time. The cursor is a time on the SERVER's clock, taken from what it returned; the n8n
 *   host's clock is never used, so a server minutes behind or ahead loses nothing. A first
 *   activation anchors on the server's `Date` header or its newest record. Each later poll moves
 *   the cursor as far as the server's clock moved since the last one (its `Date` header, RFC 9110:
 *   a server with a clock sends one) — backwards when the clock stepped back, so records stamped
 *   after the step are in the next window (memory keeps the others from being emitted twice) —
 *   and at least to the newest record seen for the first time. Without a `Date` header, the newest
 *   such record moves it, and a step back is caught when it is shorter than the overlap window.
 * - Window. A poll looks at records whose time is at or after `windowStart(cursor - overlap)`; the
 *   overlap catches records that become visible late (out of order, same minute as the cursor, an
 *   API filtering by the minute or by the day).
 * - Versions. The ids already emitted (with a compact fingerprint of their content for "updated" and
 *   "changed" events) are remembered. A remembered record is an event again only when its
 *   fingerprint differs — never because its timestamp grew or shrank (clocks step back). Memory is
 *   kept for `overlap + MAX_STEP_BACK_MS` behind the newest cursor, so it stays bounded by the
 *   records of that span.
 * - First activation is a baseline: the first poll remembers what the server holds from
 *   `server now - overlap - MAX_STEP_BACK_MS` and emits nothing; that start is the floor: older
 *   records are history. A chosen start date replaces the baseline.
 * - Backlog. At most `maxEvents` events per poll, the oldest first; the cursor then stops at the
 *   last one emitted, so the rest come with the next poll and no execution gets huge.
 * - Atomic. The state is computed from a successful read and written only once the batch is
 *   built: a poll that fails (429, 5xx, a refused request) emits nothing and changes nothing.
 * - Manual runs ("Fetch Test Event") show the newest record(s) and leave the state alone.
 *
 * The state is plain JSON (n8n saves static data as JSON), so a restart between polls resumes.
 *
 * A trigger node describes its events as rows (trigger.ts); that engine reads the list and calls runPoll.
 */
import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { pagingFor, walkPages } from './pagination';
import type { CredentialInfo, PaginationSpec, ProviderSpec, RequestSpec } from './spec';
import { credentialOf, isOutOfTime, send, type SendOptions } from './transport';
import { parseDate } from './values';

/** How far a server clock may step back without an event being emitted twice (memory kept that much longer). */
export const MAX_STEP_BACK_MS = 30 * 60_000;

/** What makes a record an event. */
export type EventKind =
	/** A record whose id was never emitted (time = created). */
	| 'new'
	/**
	 * A record updated since its last emitted version (time = updated): not remembered, or
	 * remembered with another fingerprint (its content or version changed).
	 */
	| 'updated'
	/**
	 * A record whose fingerprint (status, amount…) differs from the last one seen for its id. An id
	 * not remembered counts as changed only when the record says so (`changed: true`, e.g. updated
	 * after it was created); otherwise its first sight is its baseline.
	 */
	| 'changed';

/** One record as a poll observed it. */
export interface Observation {
	id: string;
	/** The record's time in ms since the epoch (created, updated or day, per trigger), server clock. */
	ts: number;
	/** Compact fingerprint of the record's version (`updated`, `changed` triggers). */
	fp?: string;
	/** For `changed` triggers: whether an unremembered record shows a change by itself. */
	changed?: boolean;
	/** The output item. */
	json: IDataObject;
}

export interface CursorState {
	v: 2;
	/** What the state is about (event, resource, site …): another scope starts afresh. */
	scope: string;
	/** Server time the next window is measured from, ms since the epoch. */
	cursor: number;
	/** Newest cursor ever: memory is kept for overlap + MAX_STEP_BACK_MS behind it. */
	high: number;
	/** Records older than this are history (the baseline's start or the chosen start date). */
	floor: number;
	/** The next poll only remembers what it sees (no emission). */
	baseline: boolean;
	/** id → time of the version remembered. */
	seen: Record<string, number>;
	/** id → fingerprint of the version remembered (`updated`, `changed`). */
	fp?: Record<string, string>;
	/** The server's zone or offset learned from its own timestamps (e.g. `UTC+3`). */
	zone?: string;
	/** The server's clock (its `Date` header) when the cursor was last set: the next move is measured from it. */
	serverDate?: number;
}

export interface PollPlan {
	kind: EventKind;
	/** How far back each poll looks before the cursor, ms. */
	overlapMs: number;
	/** Most events emitted by one poll; the rest follow (oldest first). */
	maxEvents: number;
	/**
	 * Start of a window, from `cursor - overlap` (e.g. floor to the minute for an API filtering by
	 * minute, to the day for one filtering by day). Default: as is.
	 */
	windowStart?: (ms: number) => number;
	/**
	 * Only these events are emitted (e.g. "only to these statuses"); the others are remembered as
	 * seen, so they are not emitted later either.
	 */
	accept?: (event: Observation) => boolean;
}

export interface Selection {
	events: Observation[];
	next: CursorState;
	/** Whether more events are waiting (the batch hit maxEvents). */
	more: boolean;
}

/** A fresh state: a baseline poll comes first, unless a start date (`floor`) was chosen. */
export function initialState(scope: string, start?: number): CursorState {
	if (start !== undefined) return { v: 2, scope, cursor: start, high: start, floor: start, baseline: false, seen: {} };
	return { v: 2, scope, cursor: 0, high: 0, floor: 0, baseline: true, seen: {} };
}

/** Start of the window the next poll reads: records older than this are not looked at. */
export function windowStartOf(state: CursorState, plan: PollPlan): number {
	const raw = state.cursor - plan.overlapMs;
	return plan.windowStart ? plan.windowStart(raw) : raw;
}

/** Where a baseline read starts, given the server's "now" (or its newest record's time). */
export function baselineStart(anchor: number, plan: PollPlan): number {
	const raw = anchor - plan.overlapMs - MAX_STEP_BACK_MS;
	return plan.windowStart ? plan.windowStart(raw) : raw;
}

function compareIds(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a < b ? -1 : a > b ? 1 : 0;
}

export interface SelectOptions {
	/** Keep the cursor (after a read that may have missed records). */
	holdCursor?: boolean;
	/** Where the read started when it was not the state's window (a baseline's floor). */
	since?: number;
	/** A baseline's cursor when no record was seen: the time its read was anchored on. */
	anchor?: number;
	/** The server's clock at this read (its `Date` header), when it sent one. */
	serverDate?: number;
}

/**
 * Decide which observed records are events and compute the next state. Pure: `state` is not
 * changed; the caller stores `next` once the batch is built. Observations come in the order they
 * were read: for an id seen twice, the later one is its current version.
 */
export function selectEvents(state: CursorState, observed: Observation[], plan: PollPlan, options: SelectOptions = {}): Selection {
	const since = options.since ?? windowStartOf(state, plan);
	const memory: Memory = { seen: { ...state.seen }, fp: { ...(state.fp ?? {}) }, versioned: plan.kind !== 'new' };
	const { current, newest } = currentVersions(observed);
	const { candidates, newestFresh } = classify(state, current, plan, since, memory);

	candidates.sort((a, b) => a.ts - b.ts || compareIds(a.id, b.id));
	const max = Math.max(1, Math.floor(plan.maxEvents));
	const events = candidates.slice(0, max);
	const more = candidates.length > events.length;
	for (const e of events) remember(memory, e);
	const lastEvent = events.length ? events[events.length - 1].ts : undefined;
	const cursor = nextCursor(state, options, { newest, newestFresh, more, lastEvent });
	return { events, next: nextState(state, plan, options, { cursor, since, memory }), more };
}

/** What a poll remembers while it selects: id → time and id → version (`updated`, `changed`). */
interface Memory {
	seen: Record<string, number>;
	fp: Record<string, string>;
	versioned: boolean;
}

/**
 * A record's version: its fingerprint, else its time as the server wrote it (a different time is a
 * different version, earlier or later).
 */
function versionOf(o: Observation): string {
	return o.fp ?? String(o.ts);
}

function remember(memory: Memory, o: Observation): void {
	memory.seen[o.id] = o.ts;
	if (memory.versioned) memory.fp[o.id] = versionOf(o);
}

/** The current version of each id (its last observation), and the newest time observed. */
function currentVersions(observed: Observation[]): { current: Observation[]; newest: number } {
	const latest = new Map<string, Observation>();
	let newest = -Infinity;
	for (const o of observed) {
		if (!Number.isFinite(o.ts)) continue;
		newest = Math.max(newest, o.ts);
		latest.delete(o.id);
		latest.set(o.id, o);
	}
	return { current: [...latest.values()], newest };
}

/**
 * The events among the window's records; the others are remembered as they look now (a
 * baseline). Also the newest time of a record seen for the first time (or in a new version): proof
 * of the server's clock. Records already remembered do not count: after a step back they carry the
 * old clock.
 */
function classify(state: CursorState, current: Observation[], plan: PollPlan, since: number, memory: Memory): { candidates: Observation[]; newestFresh: number } {
	const candidates: Observation[] = [];
	let newestFresh = -Infinity;
	for (const o of current) {
		if (o.ts < since) continue; // outside the window: handled before, or history
		const known = memory.seen[o.id] !== undefined;
		const changed = memory.versioned && versionOf(o) !== memory.fp[o.id];
		if (!known || changed) newestFresh = Math.max(newestFresh, o.ts);
		if (isEvent(state, plan, o, known, changed)) {
			candidates.push(o);
			continue;
		}
		// Not an event: remember what it looks like now (a baseline).
		if (!memory.versioned && !known && !state.baseline && o.ts < state.floor) continue;
		remember(memory, o);
	}
	return { candidates, newestFresh };
}

/** Whether a record of the window is an event (`changed`: its version differs from the one remembered). */
function isEvent(state: CursorState, plan: PollPlan, o: Observation, known: boolean, changed: boolean): boolean {
	if (state.baseline) return false;
	const history = o.ts < state.floor;
	let event: boolean;
	switch (plan.kind) {
		case 'new':
			event = !known && !history;
			break;
		case 'updated':
			event = known ? changed : !history;
			break;
		case 'changed':
			event = known ? changed : o.changed === true && !history;
			break;
	}
	return event && (!plan.accept || plan.accept(o));
}

/**
 * The cursor is a server time taken from what the server returned (never our clock): it moves as
 * far as the server's own clock moved since the last poll (its `Date` header; backwards when the
 * clock stepped back), and at least up to the newest record seen for the first time. Without a
 * `Date` header: the newest such record. With a backlog: not past the last event emitted (the rest
 * are at or after it). An incomplete read keeps it, so the same window is read again.
 */
function nextCursor(
	state: CursorState,
	options: SelectOptions,
	read: { newest: number; newestFresh: number; more: boolean; lastEvent?: number },
): number {
	if (options.holdCursor) return state.cursor;
	const clockMove = options.serverDate !== undefined && state.serverDate !== undefined ? options.serverDate - state.serverDate : undefined;
	const moved = state.cursor + (clockMove ?? 0);
	let cursor: number;
	if (state.baseline) cursor = Math.max(read.newest, options.anchor ?? -Infinity, state.cursor);
	// A clock that stepped back: records first seen now may still carry the old clock; only the move counts.
	else if (clockMove !== undefined && clockMove < 0) cursor = moved;
	else cursor = Math.max(moved, read.newestFresh);
	if (read.more && read.lastEvent !== undefined) cursor = Math.min(cursor, Math.max(state.cursor, read.lastEvent));
	return cursor;
}

/** The state after this poll: memory kept for overlap + MAX_STEP_BACK_MS behind the newest cursor. */
function nextState(state: CursorState, plan: PollPlan, options: SelectOptions, at: { cursor: number; since: number; memory: Memory }): CursorState {
	const { cursor, memory } = at;
	const baselineDone = state.baseline && !options.holdCursor;
	const floor = baselineDone ? Math.max(0, at.since) : state.floor;
	const high = Math.max(state.high ?? state.cursor, cursor);

	const next: CursorState = { v: 2, scope: state.scope, cursor, high, floor, baseline: state.baseline && !baselineDone, seen: {} };
	if (state.zone) next.zone = state.zone;
	const date = options.holdCursor ? state.serverDate : (options.serverDate ?? undefined);
	if (date !== undefined) next.serverDate = date;
	const keepFrom = Math.min(windowStartOf(next, plan), high - plan.overlapMs - MAX_STEP_BACK_MS);
	for (const [id, ts] of Object.entries(memory.seen)) {
		if (ts >= keepFrom) next.seen[id] = ts;
	}
	if (memory.versioned) {
		next.fp = {};
		for (const id of Object.keys(next.seen)) if (memory.fp[id] !== undefined) next.fp[id] = memory.fp[id];
	}
	return next;
}

/* ------------------------------------------------------------------------------------------ */
/* n8n glue                                                                                    */
/* ------------------------------------------------------------------------------------------ */

export interface PollOptions {
	/** Chosen start date (ms), when the user picked one. */
	startFrom?: number;
	maxEvents: number;
	overlapMs: number;
}

/** The "Options" collection every trigger offers. */
export function pollOptionsProperty(defaults: { overlapMinutes: number; maxEvents?: number }, extra: INodeProperties[] = []): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Max Events per Poll',
			name: 'maxEvents',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description:
				'Largest number of events one poll emits. When more are waiting, the oldest are emitted first and the rest follow on the next polls.',
		},
		{
			displayName: 'Overlap Window (Minutes)',
			name: 'overlapMinutes',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 10,
			description:
				'How far before the last handled record each poll looks again, in minutes, to catch records that appear late or out of order. Records already emitted are remembered and never emitted twice.',
		},
		{
			displayName: 'Start From',
			name: 'startFrom',
			type: 'dateTime',
			default: '',
			description:
				'Date and time from which records count as events on the first activation (in the workflow time zone). Empty: only records from the moment the workflow is activated.',
		},
		...extra,
	];
	for (const option of options) {
		if (option.name === 'maxEvents' && defaults.maxEvents !== undefined) option.default = defaults.maxEvents;
		if (option.name === 'overlapMinutes') option.default = defaults.overlapMinutes;
	}
	options.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options,
	};
}

/** Read the common options; a bad start date is a clear error. */
export function readPollOptions(fn: IPollFunctions, defaults: { overlapMinutes: number; maxEvents?: number }): PollOptions & IDataObject {
	const options = (fn.getNodeParameter('options', {}) ?? {}) as IDataObject;
	const maxEvents = Number(options.maxEvents ?? defaults.maxEvents ?? 100);
	const overlapMinutes = Number(options.overlapMinutes ?? defaults.overlapMinutes);
	if (!Number.isFinite(maxEvents) || maxEvents < 1) {
		throw new NodeOperationError(fn.getNode(), `Max Events per Poll must be a number of at least 1, got "${String(options.maxEvents)}"`);
	}
	if (!Number.isFinite(overlapMinutes) || overlapMinutes < 0) {
		throw new NodeOperationError(fn.getNode(), `Overlap Window must be a number of minutes, got "${String(options.overlapMinutes)}"`);
	}
	let startFrom: number | undefined;
	if (options.startFrom !== undefined && options.startFrom !== null && options.startFrom !== '') {
		const parsed = parseDate(options.startFrom, fn.getTimezone());
		if (!parsed) {
			throw new NodeOperationError(fn.getNode(), `Start From must be a date and time such as 2024-05-01T09:00, got "${String(options.startFrom)}"`);
		}
		startFrom = parsed.toMillis();
	}
	return { ...options, maxEvents: Math.floor(maxEvents), overlapMs: overlapMinutes * 60_000, startFrom };
}

/** A stored state for this scope (versions 1 and 2), or undefined. */
function storedState(value: unknown, scope: string): CursorState | undefined {
	const stored = value as (Omit<CursorState, 'v'> & { v: number }) | undefined;
	if (!stored || (stored.v !== 1 && stored.v !== 2) || stored.scope !== scope || typeof stored.cursor !== 'number') return undefined;
	// Version 1 (before server time) had no `high`: its cursor is the best value there is.
	return {
		...stored,
		v: 2,
		high: typeof stored.high === 'number' ? stored.high : stored.cursor,
		seen: { ...(stored.seen ?? {}) },
		fp: stored.fp ? { ...stored.fp } : undefined,
	};
}

/**
 * Where a baseline's copy is kept: the workflow's global static data, per trigger node id.
 *
 * n8n 2.x with durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED, 2.41.1) keeps a poll
 * node's static data as a staged cursor and commits it only when a poll emits or when a
 * SCHEDULED poll returns nothing: the poll n8n runs on activation (`executePollTrigger(true)`)
 * is a test whose cursor is dropped when it returns nothing — which a baseline always does. The
 * first scheduled poll would then take a second baseline and swallow what was created between
 * the two (seen live: Synergy CRM On New / On Updated and Loymax each missed the first record).
 * The workflow's global static data, though, is saved after activation, so the baseline is copied
 * there; a poll that finds no state of its own continues from the copy (same scope only). Once a
 * poll has a state of its own, the copy is removed. On n8n 1.x (and 2.x without durable cursors)
 * the node's static data is saved after activation and the copy is never read.
 */
const BASELINE_COPIES = 'rumarketTriggerBaselines';

function baselineCopies(fn: IPollFunctions): IDataObject {
	return fn.getWorkflowStaticData('global') as IDataObject;
}

function nodeKey(fn: IPollFunctions): string {
	const node = fn.getNode();
	return node.id || node.name;
}

/** The trigger's stored state for this scope (or its baseline's copy), or a fresh one (not yet stored). */
export function loadState(fn: IPollFunctions, scope: string, startFrom?: number): CursorState {
	const data = fn.getWorkflowStaticData('node') as IDataObject;
	const own = storedState(data.cursorState, scope);
	if (own) return own;
	const copies = baselineCopies(fn)[BASELINE_COPIES] as IDataObject | undefined;
	return storedState(copies?.[nodeKey(fn)], scope) ?? initialState(scope, startFrom);
}

/** Store the state: only called once the batch to emit is built. `previous.baseline`: copy it (see BASELINE_COPIES). */
export function saveState(fn: IPollFunctions, state: CursorState, previous?: CursorState): void {
	const data = fn.getWorkflowStaticData('node') as IDataObject;
	const plain = JSON.parse(JSON.stringify(state)) as IDataObject;
	if (!plain.fp) delete plain.fp;
	data.cursorState = plain;
	const global = baselineCopies(fn);
	const copies = global[BASELINE_COPIES] as IDataObject | undefined;
	if (previous?.baseline) {
		global[BASELINE_COPIES] = { ...(copies ?? {}), [nodeKey(fn)]: JSON.parse(JSON.stringify(plain)) as IDataObject };
	} else if (copies && copies[nodeKey(fn)] !== undefined) {
		const rest = { ...copies };
		delete rest[nodeKey(fn)];
		if (Object.keys(rest).length) global[BASELINE_COPIES] = rest;
		else delete global[BASELINE_COPIES];
	}
}

/** Items for n8n: one per event, or null (n8n's "nothing new"). */
export function toItems(records: IDataObject[]): INodeExecutionData[][] | null {
	if (!records.length) return null;
	return [records.map((json) => ({ json }))];
}

/** What one poll's read returns. */
export interface PollRead {
	observed: Observation[];
	/** False: the read may have missed records (pages shifted); the cursor stays. Default true. */
	complete?: boolean;
	/** Where the read started when it was not the state's window (a baseline). */
	since?: number;
	/** A baseline's anchor (server now or newest record) for its cursor when it saw no record. */
	anchor?: number;
}

/**
 * One poll: observe (read the API), select, build the batch, then store the state. Manual runs
 * call `latest` instead and store nothing. Any failure (429, 5xx, a refused request) throws before
 * the state is stored: nothing emitted, the cursor unchanged, the next poll continues.
 */
export async function runPoll(
	fn: IPollFunctions,
	reader: ListReader,
	args: {
		scope: string;
		plan: PollPlan;
		options: PollOptions;
		/** Read the window (`state.baseline`: the baseline read, see `baselineStart`). */
		observe: (state: CursorState) => Promise<PollRead>;
		/** Manual run: the newest records, newest first. */
		latest: () => Promise<IDataObject[]>;
		/** Build the output of the selected events (e.g. fetch details); default: their json. */
		build?: (events: Observation[]) => Promise<IDataObject[]>;
	},
): Promise<INodeExecutionData[][] | null> {
	if (fn.getMode() === 'manual') {
		const latest = await args.latest();
		return toItems(latest);
	}
	const state = loadState(fn, args.scope, args.options.startFrom);
	reader.serverNow = undefined;
	let read = await args.observe(state);
	// The server's clock stepped back since the last poll (its Date header is earlier than the one
	// stored): records stamped after the step are older than this window. Read again from the cursor
	// moved back as far, in the same poll, so none waits for the next one.
	const move = !state.baseline && reader.serverNow !== undefined && state.serverDate !== undefined ? reader.serverNow - state.serverDate : 0;
	if (move < 0 && read.complete !== false) {
		const moved: CursorState = { ...state, cursor: state.cursor + move };
		const again = await args.observe(moved);
		read = {
			observed: [...read.observed, ...again.observed],
			complete: again.complete,
			since: Math.min(read.since ?? windowStartOf(state, args.plan), again.since ?? windowStartOf(moved, args.plan)),
		};
	}
	if (reader.zone) state.zone = reader.zone;
	const selection = selectEvents(state, read.observed, args.plan, {
		holdCursor: read.complete === false,
		since: read.since,
		anchor: read.anchor,
		serverDate: reader.serverNow,
	});
	const records = args.build ? await args.build(selection.events) : selection.events.map((e) => e.json);
	saveState(fn, selection.next, state);
	return toItems(records);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading lists through the shared transport                                                  */
/* ------------------------------------------------------------------------------------------ */

export interface ListReader {
	fn: IPollFunctions;
	provider: ProviderSpec;
	credential: CredentialInfo;
	/** Send options of every request of the poll (the credential read once, no waiting). */
	options: SendOptions;
	/** The server's clock at the first answer of this poll (its `Date` header), when sent. */
	serverNow?: number;
	/** The server's offset learned from its timestamps in this poll (e.g. `UTC+3`). */
	zone?: string;
}

/**
 * A poll never waits: `maxWaitMs: 0` makes a 429 or 5xx fail at once (the transport does not
 * sleep for a retry). The poll then fails, stores nothing, and the next poll continues.
 */
export const POLL_TRANSPORT: SendOptions = { maxWaitMs: 0 };

export async function listReader(fn: IPollFunctions, provider: ProviderSpec): Promise<ListReader> {
	const credential = await credentialOf(fn, provider);
	return { fn, provider, credential, options: { ...POLL_TRANSPORT, credential, ...pollBudget(fn) } };
}

/**
 * n8n 2.x tells a poll how long it may run (`getPollBudgetMs`; 2.41.1's durable scheduler abandons
 * a poll after N8N_SCHEDULER_POLL_TIMEOUT, 45 s, less a margin: 36 s). Every request of the poll
 * must be answered by then: the account's limiter does not wait past it (a Tracking Bot list longer
 * than the account's Requests per Minute) and the timeout ends at it. Past it the poll fails with
 * that reason — nothing emitted, the cursor kept — instead of being abandoned without a word.
 * n8n 1.x has no budget: the requests' own Timeout bounds the poll.
 */
function pollBudget(fn: IPollFunctions): { deadline?: number; deadlineReason?: string } {
	const budget = (fn as { getPollBudgetMs?: () => number }).getPollBudgetMs?.();
	if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) return {};
	return { deadline: Date.now() + budget, deadlineReason: `n8n gives a poll ${Math.round(budget / 1000)} s` };
}

/** The `Date` header of an answer as ms, when there is a valid one. */
export function dateHeaderOf(headers: Record<string, unknown> | undefined): number | undefined {
	if (!headers) return undefined;
	const raw = headers.date ?? headers.Date;
	const text = Array.isArray(raw) ? raw[0] : raw;
	if (typeof text !== 'string') return undefined;
	const ms = Date.parse(text);
	return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Send one request (pacing and errors from the transport, no waiting); the parsed body. The first
 * answer's `Date` header becomes the poll's server clock. A refused request is one clear error
 * that says the cursor was kept.
 */
export async function sendOne(reader: ListReader, request: RequestSpec): Promise<unknown> {
	let response;
	try {
		response = await send(reader.fn, reader.provider, request, reader.options);
	} catch (error) {
		throw pollError(reader, error);
	}
	if (reader.serverNow === undefined) reader.serverNow = dateHeaderOf(response.headers);
	return response.body;
}

/**
 * A failed request inside a poll, as a NodeApiError built from the transport's own (redacted)
 * message, saying what the user sees: nothing emitted, the next poll starts from the same point.
 */
export function pollError(reader: ListReader, error: unknown): NodeApiError {
	const e = error as { message?: string; description?: string | null; httpCode?: string | null };
	const status = String(e.httpCode ?? '');
	const why =
		status === '429'
			? `${reader.provider.displayName} is rate limiting this account (429). `
			: /^5\d\d$/.test(status)
				? `${reader.provider.displayName} answered with a server error (${status}). `
				: '';
	let note = 'This poll emitted nothing and kept its cursor; the next poll continues from the same point.';
	// The poll's budget ran out (the transport marks it; a server's words saying "out of time" do not count).
	const outOfTime = isOutOfTime(error);
	if (outOfTime) {
		note += ' A list this long cannot be read within the time n8n gives a poll at the account\'s Requests per Minute: raise N8N_SCHEDULER_POLL_TIMEOUT (or the account\'s limit, if its plan allows).';
	}
	const pollFailure = new NodeApiError(reader.fn.getNode(), { message: e.message ?? 'Request failed', httpCode: status } as JsonObject, {
		message: `${why}${e.message ?? 'Request failed'}`,
		description: [e.description, note].filter(Boolean).join(' '),
		httpCode: status || undefined,
	});
	if (outOfTime) pollFailure.context.reason = 'deadline';
	return pollFailure;
}

/**
 * Every record of a paged list, read so that a record cannot slip between two pages: when the total
 * the pages report changes while they are read (records joined or left the filtered set, so later
 * pages shifted), the list is read again, up to `tries` times, and the records of every read are
 * kept (in read order: the later read holds the current version). `complete` is false when the
 * total never settled: the caller then keeps its cursor where it was.
 */
export async function readAllStable(
	reader: ListReader,
	request: RequestSpec,
	pagination: PaginationSpec,
	readItems: (body: unknown) => IDataObject[],
	totalOf: (body: unknown) => number | undefined,
	tries = 3,
): Promise<{ records: IDataObject[]; complete: boolean }> {
	const records: IDataObject[] = [];
	for (let attempt = 0; attempt < tries; attempt++) {
		const totals = new Set<number | undefined>();
		const { items: got } = await walkPages({
			provider: reader.provider.displayName,
			paging: pagingFor(pagination, reader.credential.data),
			fetch: async (qs) => {
				const body = await sendOne(reader, { ...request, qs });
				return { items: readItems(body), body };
			},
			onPage: (page) => totals.add(totalOf(page.body)),
			qs: request.qs,
			fail: (message, description) => new NodeOperationError(reader.fn.getNode(), message, { description }),
		});
		records.push(...got);
		const total = [...totals][0];
		if (totals.size === 1 && (total === undefined || total === got.length)) return { records, complete: true };
	}
	return { records, complete: false };
}

/** A time in a record as ms (ISO with or without zone, SQL, `yyyy.MM.dd HH:mm`), in `zone` when it has none. */
export function timeOf(value: unknown, zone: string): number {
	const parsed = parseDate(value, zone);
	return parsed ? parsed.toMillis() : NaN;
}

/** The fixed offset an ISO timestamp was written with (`…+03:00` → `UTC+3`), if it has one. */
export function offsetZoneOf(value: unknown): string | undefined {
	if (typeof value !== 'string' || !/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim())) return undefined;
	const parsed = DateTime.fromISO(value.trim(), { setZone: true });
	return parsed.isValid ? parsed.zone.name : undefined;
}

/** Short, stable hash of a text (FNV-1a, base 36): fingerprints stay small in static data. */
export function hash(text: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h.toString(36);
}

/** Floor to the minute (APIs filtering by `HH:mm`). */
export function floorMinute(ms: number): number {
	return Math.floor(ms / 60_000) * 60_000;
}

/** Floor to the start of the day in a time zone (APIs filtering by date). */
export function floorDay(zone: string): (ms: number) => number {
	return (ms: number) => DateTime.fromMillis(ms, { zone }).startOf('day').toMillis();
}

/** Format a time for an API, in a time zone. */
export function formatTime(ms: number, zone: string, format: string): string {
	return DateTime.fromMillis(ms, { zone }).toFormat(format);
}
