/**
 * Polling-trigger cursors. None of the five APIs documents webhooks, so every trigger polls a list
 * and decides which records are events. The rules, shared by every trigger:
 *
 * - Window. A poll looks at records whose time (created/updated/…) is at or after
 *   `windowStart(cursor - overlap)`: the cursor is the newest time already handled, the overlap
 *   catches records that become visible late (out of order, same minute as the cursor, an API that
 *   filters by the minute or by the day). Records older than the window are never events again.
 * - Memory. Inside the window, the ids already emitted (with the time, and for "changed" triggers a
 *   compact fingerprint, they were emitted at) are remembered, so a record seen by two overlapping
 *   polls is emitted once. Entries older than the next window age out: the memory stays bounded by
 *   the number of records in one window.
 * - First activation starts from "now": nothing older is replayed, unless the user picks a start
 *   date. A provider whose clock cannot be compared with ours (times without a zone, days only) can
 *   ask for a "baseline" first poll instead: everything it sees is remembered, nothing emitted.
 * - Backlog. At most `maxEvents` events per poll, the oldest first; the cursor then stops at the
 *   last one emitted, so the rest come with the next poll and no execution gets huge.
 * - Atomic. The state is computed from a successful read and written only once the batch is
 *   built: a poll that fails emits nothing and changes nothing, so nothing is lost.
 * - Manual runs ("Fetch Test Event") show the newest record(s) and leave the state alone.
 *
 * The state is plain JSON (n8n saves static data as JSON), so a restart between polls resumes.
 */
import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { paginate as walkPages } from './pagination';
import type { CredentialInfo, PaginationSpec, ProviderSpec, RequestSpec } from './spec';
import { credentialOf, send, type SendOptions } from './transport';
import { parseDate } from './values';

/** What makes a record an event. */
export type EventKind =
	/** A record whose id was never emitted (time = created). */
	| 'new'
	/** A record whose update time is newer than the one last emitted for its id (time = updated). */
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
	/** The record's time in ms since the epoch (created, updated or day, per trigger). */
	ts: number;
	/** Compact fingerprint of the watched fields (`changed` triggers). */
	fp?: string;
	/** For `changed` triggers: whether an unremembered record shows a change by itself. */
	changed?: boolean;
	/** The output item. */
	json: IDataObject;
}

export interface CursorState {
	v: 1;
	/** What the state is about (event, resource, site …): another scope starts afresh. */
	scope: string;
	/** Newest time handled, ms since the epoch. */
	cursor: number;
	/** Records older than this are history (activation time or the chosen start date). */
	floor: number;
	/** The next poll only remembers what it sees (no emission). */
	baseline: boolean;
	/** id → time it was emitted (or seen) at. */
	seen: Record<string, number>;
	/** id → fingerprint (`changed` triggers). */
	fp?: Record<string, string>;
}

export interface PollPlan {
	kind: EventKind;
	/** How far back each poll looks before the cursor, ms. */
	overlapMs: number;
	/** Most events emitted by one poll; the rest follow (oldest first). */
	maxEvents: number;
	/**
	 * Start of a window, from `cursor - overlap` (e.g. floor to the minute for an API filtering by
	 * minute, to the day in the workflow time zone for one filtering by day). Default: as is.
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

/** A fresh state: start at `cursor` (now or the chosen date); `baseline` when asked. */
export function initialState(scope: string, cursor: number, options: { baseline?: boolean; floor?: number } = {}): CursorState {
	// A baseline poll decides what is history (everything it sees): no time floor after it.
	const floor = options.floor ?? (options.baseline ? 0 : cursor);
	return { v: 1, scope, cursor, floor, baseline: options.baseline ?? false, seen: {} };
}

/** Start of the window the next poll reads: records older than this are not looked at. */
export function windowStartOf(state: CursorState, plan: PollPlan): number {
	const raw = state.cursor - plan.overlapMs;
	return plan.windowStart ? plan.windowStart(raw) : raw;
}

function compareIds(a: string, b: string): number {
	const na = Number(a);
	const nb = Number(b);
	if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Decide which observed records are events and compute the next state. Pure: `state` is not
 * changed; the caller stores `next` once the batch is built. `holdCursor` keeps the cursor (after a
 * read that may have missed records).
 */
export function selectEvents(
	state: CursorState,
	observed: Observation[],
	plan: PollPlan,
	options: { holdCursor?: boolean } = {},
): Selection {
	const since = windowStartOf(state, plan);
	const seen: Record<string, number> = { ...state.seen };
	const fp: Record<string, string> = { ...(state.fp ?? {}) };
	const track = plan.kind === 'changed';

	// One observation per id: the newest (a record can show up twice when pages shift).
	const latest = new Map<string, Observation>();
	let newest = -Infinity;
	for (const o of observed) {
		if (!Number.isFinite(o.ts)) continue;
		newest = Math.max(newest, o.ts);
		const known = latest.get(o.id);
		if (!known || o.ts > known.ts) latest.set(o.id, o);
	}

	const candidates: Observation[] = [];
	for (const o of latest.values()) {
		if (o.ts < since) continue; // outside the window: handled before, or history
		const prev = seen[o.id];
		let isEvent: boolean;
		switch (plan.kind) {
			case 'new':
				isEvent = prev === undefined && o.ts >= state.floor;
				break;
			case 'updated':
				isEvent = o.ts >= state.floor && (prev === undefined || o.ts > prev);
				break;
			case 'changed':
				isEvent =
					prev !== undefined ? o.ts >= prev && o.fp !== fp[o.id] : o.changed === true && o.ts >= state.floor;
				break;
		}
		if (state.baseline) isEvent = false;
		if (isEvent && plan.accept && !plan.accept(o)) isEvent = false;
		if (isEvent) {
			candidates.push(o);
			continue;
		}
		// Not an event: remember what it looks like now (a baseline), never going back in time.
		if (prev !== undefined && o.ts < prev) continue;
		const history = o.ts < state.floor;
		if (plan.kind !== 'changed' && prev === undefined && !state.baseline && history) continue;
		seen[o.id] = o.ts;
		if (track && o.fp !== undefined) fp[o.id] = o.fp;
	}

	candidates.sort((a, b) => a.ts - b.ts || compareIds(a.id, b.id));
	const max = Math.max(1, Math.floor(plan.maxEvents));
	const events = candidates.slice(0, max);
	const more = candidates.length > events.length;
	for (const e of events) {
		seen[e.id] = e.ts;
		if (track && e.fp !== undefined) fp[e.id] = e.fp;
	}

	// The cursor moves to the newest time seen, or, with a backlog, to the last event emitted
	// (the ones left over are at or after it, so they stay in the next window).
	// An incomplete read (pages shifted) keeps the cursor, so the same window is read again.
	let cursor = state.cursor;
	if (options.holdCursor) cursor = state.cursor;
	else if (more) cursor = Math.max(cursor, events[events.length - 1].ts);
	else if (newest > -Infinity) cursor = Math.max(cursor, newest);

	const next: CursorState = { v: 1, scope: state.scope, cursor, floor: state.floor, baseline: false, seen: {} };
	const nextSince = windowStartOf(next, plan);
	for (const [id, ts] of Object.entries(seen)) {
		if (ts >= nextSince) next.seen[id] = ts;
	}
	if (track) {
		next.fp = {};
		for (const id of Object.keys(next.seen)) if (fp[id] !== undefined) next.fp[id] = fp[id];
	}
	return { events, next, more };
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

/** The trigger's stored state for this scope, or a fresh one (not yet stored). */
export function loadState(
	fn: IPollFunctions,
	scope: string,
	fresh: { now: number; startFrom?: number; baseline?: boolean },
): CursorState {
	const data = fn.getWorkflowStaticData('node') as IDataObject;
	const stored = data.cursorState as unknown as CursorState | undefined;
	if (stored && stored.v === 1 && stored.scope === scope && typeof stored.cursor === 'number') {
		return { ...stored, seen: { ...(stored.seen ?? {}) }, fp: stored.fp ? { ...stored.fp } : undefined };
	}
	if (fresh.startFrom !== undefined) return initialState(scope, fresh.startFrom);
	return initialState(scope, fresh.now, { baseline: fresh.baseline });
}

/** Store the state: only called once the batch to emit is built. */
export function saveState(fn: IPollFunctions, state: CursorState): void {
	const data = fn.getWorkflowStaticData('node') as IDataObject;
	const plain = JSON.parse(JSON.stringify(state)) as IDataObject;
	if (!plain.fp) delete plain.fp;
	data.cursorState = plain;
}

/** Items for n8n: one per event, or null (n8n's "nothing new"). */
export function toItems(records: IDataObject[]): INodeExecutionData[][] | null {
	if (!records.length) return null;
	return [records.map((json) => ({ json }))];
}

/**
 * One poll: observe (read the API), select, build the batch, then store the state. Manual runs
 * call `latest` instead and store nothing.
 */
export async function runPoll(
	fn: IPollFunctions,
	args: {
		scope: string;
		plan: PollPlan;
		options: PollOptions;
		/** "Now" for a first activation without a start date. */
		now?: number;
		/** First poll remembers instead of emitting (providers whose times cannot be compared with ours). */
		baseline?: boolean;
		/**
		 * Read every record at or after `since` (more is fine: they are filtered). `complete: false`
		 * keeps the cursor where it was (the read may have missed records).
		 */
		observe: (since: number, state: CursorState) => Promise<Observation[] | { observed: Observation[]; complete: boolean }>;
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
	const now = args.now ?? Date.now();
	const state = loadState(fn, args.scope, { now, startFrom: args.options.startFrom, baseline: args.baseline });
	const since = windowStartOf(state, args.plan);
	const read = await args.observe(since, state);
	const observed = Array.isArray(read) ? read : read.observed;
	const selection = selectEvents(state, observed, args.plan, { holdCursor: !Array.isArray(read) && !read.complete });
	const records = args.build ? await args.build(selection.events) : selection.events.map((e) => e.json);
	saveState(fn, selection.next);
	return toItems(records);
}

/* ------------------------------------------------------------------------------------------ */
/* Reading lists through the shared transport                                                  */
/* ------------------------------------------------------------------------------------------ */

export interface ListReader {
	fn: IPollFunctions;
	provider: ProviderSpec;
	credential: CredentialInfo;
	/** Send options of every request of the poll (the credential read once). */
	options: SendOptions;
}

export async function listReader(fn: IPollFunctions, provider: ProviderSpec): Promise<ListReader> {
	const credential = await credentialOf(fn, provider);
	return { fn, provider, credential, options: { credential } };
}

/** Every record of a paged list (the provider's pagination and list reader). */
export async function readAll(
	reader: ListReader,
	request: RequestSpec,
	pagination: PaginationSpec,
	readItems: (body: unknown) => IDataObject[],
	limit?: number,
): Promise<IDataObject[]> {
	return await walkPages(
		pagination,
		async (qs) => {
			const { body } = await send(reader.fn, reader.provider, { ...request, qs }, reader.options);
			return { items: readItems(body), body };
		},
		{ qs: request.qs, limit, concurrency: 4 },
	);
}

/**
 * Every record of a paged list, read so that a record cannot slip between two pages: when the total
 * the pages report changes while they are read (records joined or left the filtered set, so later
 * pages shifted), the list is read again, up to `tries` times, and the records of every read are
 * kept. `complete` is false when the total never settled: the caller then keeps its cursor where
 * it was, so the next poll reads the same window again.
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
		const got = await walkPages(
			pagination,
			async (qs) => {
				const { body } = await send(reader.fn, reader.provider, { ...request, qs }, reader.options);
				totals.add(totalOf(body));
				return { items: readItems(body), body };
			},
			{ qs: request.qs, concurrency: 4 },
		);
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
