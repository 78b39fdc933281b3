/**
 * nodes/shared/polling.ts on its own: the selection rules, then a simulated history (records
 * arriving out of order, same-minute records, failing polls, restarts through JSON) checked for
 * 0 missed and 0 duplicate events.
 */
import {
	initialState,
	selectEvents,
	windowStartOf,
	floorMinute,
	floorDay,
	type CursorState,
	type Observation,
	type PollPlan,
} from '../../nodes/shared/polling';
import { seededRandom } from '../../sandbox/server';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 10, 9, 0, 0);
const obs = (id: string | number, ts: number, extra: Partial<Observation> = {}): Observation => ({
	id: String(id),
	ts,
	json: { id: String(id), ts },
	...extra,
});

describe('selectEvents', () => {
	const plan: PollPlan = { kind: 'new', overlapMs: 5 * MIN, maxEvents: 100, windowStart: floorMinute };

	it('starts from now: older records are history, newer ones are events', () => {
		const state = initialState('s', T0 + 30_000);
		const { events, next } = selectEvents(state, [obs(1, T0 + 10_000), obs(2, T0 + 30_000), obs(3, T0 + 40_000)], plan);
		expect(events.map((e) => e.id)).toEqual(['2', '3']);
		expect(next.cursor).toBe(T0 + 40_000);
		expect(next.seen).toEqual({ 2: T0 + 30_000, 3: T0 + 40_000 });
	});

	it('emits a record once even when two polls see it, and catches a late same-minute record', () => {
		let state = initialState('s', T0);
		let sel = selectEvents(state, [obs(1, T0 + 1000), obs(2, T0 + 50_000)], plan);
		expect(sel.events.map((e) => e.id)).toEqual(['1', '2']);
		state = sel.next;
		// Record 3 was created before record 2 but became visible only now.
		sel = selectEvents(state, [obs(1, T0 + 1000), obs(3, T0 + 20_000), obs(2, T0 + 50_000)], plan);
		expect(sel.events.map((e) => e.id)).toEqual(['3']);
		expect(sel.next.cursor).toBe(T0 + 50_000);
	});

	it('orders a backlog oldest first, emits at most maxEvents and stops the cursor at the last one', () => {
		const state = initialState('s', T0);
		const many = Array.from({ length: 25 }, (_, i) => obs(100 - i, T0 + (25 - i) * 1000));
		const sel = selectEvents(state, many, { ...plan, maxEvents: 10 });
		expect(sel.events.map((e) => e.id)).toEqual(['76', '77', '78', '79', '80', '81', '82', '83', '84', '85']);
		expect(sel.events[0].ts).toBe(T0 + 1000);
		expect(sel.more).toBe(true);
		expect(sel.next.cursor).toBe(T0 + 10_000);
		const sel2 = selectEvents(sel.next, many, { ...plan, maxEvents: 10 });
		expect(sel2.events[0].ts).toBe(T0 + 11_000);
		const sel3 = selectEvents(sel2.next, many, { ...plan, maxEvents: 10 });
		expect(sel3.events).toHaveLength(5);
		expect(sel3.more).toBe(false);
		expect(sel3.next.cursor).toBe(T0 + 25_000);
	});

	it('ages remembered ids out past the window plus the largest clock step back (30 min)', () => {
		let state = initialState('s', T0);
		state = selectEvents(state, [obs(1, T0 + 1000)], plan).next;
		expect(Object.keys(state.seen)).toEqual(['1']);
		state = selectEvents(state, [obs(2, T0 + 20 * MIN)], plan).next;
		expect(Object.keys(state.seen)).toEqual(['1', '2']);
		state = selectEvents(state, [obs(3, T0 + 40 * MIN)], plan).next;
		expect(Object.keys(state.seen)).toEqual(['2', '3']);
		expect(windowStartOf(state, plan)).toBe(T0 + 35 * MIN);
	});

	it('updated: a version is new because it differs — an older update time too (clocks step back), never the same one', () => {
		const upd: PollPlan = { ...plan, kind: 'updated' };
		let sel = selectEvents(initialState('s', T0), [obs(1, T0 + 1000, { fp: 'a' })], upd);
		expect(sel.events).toHaveLength(1);
		sel = selectEvents(sel.next, [obs(1, T0 + 1000, { fp: 'a' })], upd);
		expect(sel.events).toHaveLength(0);
		sel = selectEvents(sel.next, [obs(1, T0 + 500, { fp: 'b' })], upd); // new content, older clock
		expect(sel.events.map((e) => e.fp)).toEqual(['b']);
		sel = selectEvents(sel.next, [obs(1, T0 + 2000, { fp: 'b' })], upd); // a newer time, same content
		expect(sel.events).toHaveLength(0);
		// Without a fingerprint, the time as written is the version.
		sel = selectEvents(sel.next, [obs(2, T0 + 3000)], upd);
		expect(sel.events).toHaveLength(1);
		sel = selectEvents(sel.next, [obs(2, T0 + 2500)], upd);
		expect(sel.events).toHaveLength(1);
	});

	it('the cursor follows the server clock (Date header), backwards after a step, never ahead of its records', () => {
		let state = initialState('s');
		// Baseline: the server says 10:00 (n8n's clock plays no part).
		let sel = selectEvents(state, [obs(1, T0 - MIN)], plan, { since: T0 - 45 * MIN, anchor: T0, serverDate: T0 });
		expect(sel.events).toHaveLength(0);
		expect(sel.next).toMatchObject({ cursor: T0, floor: T0 - 45 * MIN, baseline: false, serverDate: T0 });
		state = sel.next;
		// One minute later on the server: the cursor moves one minute.
		sel = selectEvents(state, [obs(2, T0 + 30_000)], plan, { serverDate: T0 + MIN });
		expect(sel.events.map((e) => e.id)).toEqual(['2']);
		expect(sel.next.cursor).toBe(T0 + MIN);
		// The server's clock steps back 20 minutes: the cursor moves back as far; a record stamped
		// before the old cursor is an event; the remembered ones are not emitted again.
		sel = selectEvents(sel.next, [obs(2, T0 + 30_000), obs(3, T0 - 18 * MIN)], plan, { serverDate: T0 - 18 * MIN, since: T0 - 30 * MIN });
		expect(sel.events.map((e) => e.id)).toEqual(['3']);
		expect(sel.next.cursor).toBe(T0 - 18 * MIN);
	});

	it('changed: the first sight is a baseline, a different fingerprint is an event', () => {
		const chg: PollPlan = { kind: 'changed', overlapMs: 2 * 86_400_000, maxEvents: 100, windowStart: floorDay('Europe/Moscow') };
		let sel = selectEvents(initialState('s'), [obs(1, T0, { fp: 'a' }), obs(2, T0, { fp: 'a', changed: true })], chg);
		expect(sel.events).toHaveLength(0);
		expect(sel.next.fp).toEqual({ 1: 'a', 2: 'a' });
		sel = selectEvents(sel.next, [obs(1, T0, { fp: 'b' }), obs(2, T0, { fp: 'a' }), obs(3, T0, { fp: 'x' }), obs(4, T0 + 1, { fp: 'y', changed: true })], chg);
		expect(sel.events.map((e) => e.id)).toEqual(['1', '4']);
		sel = selectEvents(sel.next, [obs(1, T0, { fp: 'b' }), obs(3, T0, { fp: 'x' })], chg);
		expect(sel.events).toHaveLength(0);
	});

	it('does not change the state it is given (a failed build loses nothing)', () => {
		const state = initialState('s', T0);
		const copy = JSON.parse(JSON.stringify(state)) as CursorState;
		selectEvents(state, [obs(1, T0 + 1)], plan);
		expect(state).toEqual(copy);
	});
});

/**
 * A simulated API: records created and updated over time; each write becomes visible after a
 * random delay (< the overlap), so reads see them out of order. The API filters by the minute
 * (`gte` on a `HH:mm` value), like Synergy CRM.
 */
describe('simulated history', () => {
	interface Version {
		id: string;
		created: number;
		updated: number;
		visibleAt: number;
	}

	function run(kind: 'new' | 'updated', seed: number) {
		const random = seededRandom(seed);
		const overlap = 5 * MIN;
		const plan: PollPlan = { kind, overlapMs: overlap, maxEvents: 40, windowStart: floorMinute };
		const versions: Version[] = [];
		const current = new Map<string, Version>();
		let clock = T0;
		let state: CursorState | string = JSON.stringify(initialState('sim', clock));
		const emitted: string[] = [];
		let nextId = 1;
		let changes = 0;
		let failures = 0;
		let restarts = 0;
		const touchedThisRound = new Set<string>();
		// Versions a successful poll could see (an update overwritten before any poll ran cannot be an event).
		const observedVersions = new Set<string>();
		for (let round = 0; round < 180; round++) {
			touchedThisRound.clear();
			// Writes during one poll interval (a minute): creations and updates, some in the same
			// minute as the cursor, visible up to 4 minutes late.
			const writes = 1 + Math.floor(random() * 12);
			for (let w = 0; w < writes; w++) {
				const at = clock + Math.floor(random() * MIN);
				const delay = random() < 0.3 ? Math.floor(random() * 4 * MIN) : 0;
				const existing = [...current.values()].filter((v) => !touchedThisRound.has(v.id));
				if (kind === 'updated' && existing.length && random() < 0.5) {
					const pick = existing[Math.floor(random() * existing.length)];
					if (at <= pick.updated) continue;
					const v = { ...pick, updated: at, visibleAt: at + delay };
					versions.push(v);
					current.set(v.id, v);
					touchedThisRound.add(v.id);
				} else {
					const v = { id: String(nextId++), created: at, updated: at, visibleAt: at + delay };
					versions.push(v);
					current.set(v.id, v);
					touchedThisRound.add(v.id);
				}
				changes++;
			}
			clock += MIN;
			// Restart: the state goes through JSON between polls.
			let live: CursorState = typeof state === 'string' ? (JSON.parse(state) as CursorState) : state;
			if (random() < 0.2) {
				live = JSON.parse(JSON.stringify(live)) as CursorState;
				restarts++;
			}
			// A failing poll: nothing emitted, state unchanged.
			if (random() < 0.1) {
				failures++;
				state = live;
				continue;
			}
			const since = windowStartOf(live, plan);
			const field = kind === 'new' ? 'created' : 'updated';
			// What the API shows now: the newest visible version of each record, filtered by `gte`.
			const visible = new Map<string, Version>();
			for (const v of versions) if (v.visibleAt <= clock) {
				const known = visible.get(v.id);
				if (!known || v.updated > known.updated) visible.set(v.id, v);
			}
			for (const v of visible.values()) observedVersions.add(`${v.id}@${v.updated}`);
			const observed = [...visible.values()].filter((v) => v[field] >= since).map((v) => obs(v.id, v[field], { fp: String(v.updated) }));
			const sel = selectEvents(live, observed, plan);
			for (const e of sel.events) emitted.push(kind === 'new' ? e.id : `${e.id}@${e.ts}`);
			state = sel.next;
			expect(Object.keys(sel.next.seen).length).toBeLessThan(600);
		}
		// Drain: polls without new writes until nothing is left.
		for (let i = 0; i < 20; i++) {
			clock += MIN;
			const live = state as CursorState;
			const since = windowStartOf(live, plan);
			const field = kind === 'new' ? 'created' : 'updated';
			const visible = new Map<string, Version>();
			for (const v of versions) {
				const known = visible.get(v.id);
				if (!known || v.updated > known.updated) visible.set(v.id, v);
			}
			const sel = selectEvents(live, [...visible.values()].filter((v) => v[field] >= since).map((v) => obs(v.id, v[field], { fp: String(v.updated) })), plan);
			for (const e of sel.events) emitted.push(kind === 'new' ? e.id : `${e.id}@${e.ts}`);
			state = sel.next;
		}
		for (const v of current.values()) observedVersions.add(`${v.id}@${v.updated}`);
		const expected = new Set(
			kind === 'new'
				? versions.filter((v) => v.created === v.updated).map((v) => v.id)
				: versions.map((v) => `${v.id}@${v.updated}`).filter((key) => observedVersions.has(key)),
		);
		const got = new Set(emitted);
		const missed = [...expected].filter((e) => !got.has(e));
		const duplicates = emitted.length - got.size;
		const extra = [...got].filter((e) => !expected.has(e));
		return { changes, missed, duplicates, extra, failures, restarts, emitted: emitted.length, expected: expected.size };
	}

	it.each([1, 2, 3])('new records (seed %i): ≥ 1000 changes, 0 missed, 0 duplicates', (seed) => {
		const r = run('new', seed);
		console.log(`polling.ts simulation, new (seed ${seed}): ${r.changes} changes, ${r.expected} events expected, ${r.emitted} emitted, ${r.missed.length} missed, ${r.duplicates} duplicates, ${r.failures} failed polls, ${r.restarts} restarts`);
		expect(r.changes).toBeGreaterThanOrEqual(1000);
		expect(r.failures).toBeGreaterThan(0);
		expect(r.restarts).toBeGreaterThan(0);
		expect(r.missed).toEqual([]);
		expect(r.duplicates).toBe(0);
		expect(r.extra).toEqual([]);
	});

	it.each([1, 2, 3])('updated records (seed %i): ≥ 1000 changes, 0 missed, 0 duplicates', (seed) => {
		const r = run('updated', seed);
		console.log(`polling.ts simulation, updated (seed ${seed}): ${r.changes} changes, ${r.expected} events expected, ${r.emitted} emitted, ${r.missed.length} missed, ${r.duplicates} duplicates, ${r.failures} failed polls, ${r.restarts} restarts`);
		expect(r.changes).toBeGreaterThanOrEqual(1000);
		expect(r.failures).toBeGreaterThan(0);
		expect(r.missed).toEqual([]);
		expect(r.duplicates).toBe(0);
		expect(r.extra).toEqual([]);
	});
});

describe('static data size', () => {
	it('stays bounded after 10 000 events (ids and fingerprints of the last overlap + 30 min only)', () => {
		const plan: PollPlan = { kind: 'updated', overlapMs: 10 * MIN, maxEvents: 1000, windowStart: floorMinute };
		let state = initialState('contacts:updated');
		state = selectEvents(state, [], plan, { since: T0 - 40 * MIN, anchor: T0, serverDate: T0 }).next;
		let events = 0;
		let largest = 0;
		let id = 0;
		// 20 events a minute (one poll a minute) for 500 minutes = 10 000 events.
		for (let minute = 1; minute <= 500; minute++) {
			const now = T0 + minute * MIN;
			const observed = Array.from({ length: 20 }, (_, i) => obs(++id, now - i * 2000, { fp: `f${id}` }));
			const sel = selectEvents(state, observed, plan, { serverDate: now });
			events += sel.events.length;
			state = JSON.parse(JSON.stringify(sel.next)) as CursorState;
			largest = Math.max(largest, JSON.stringify(state).length);
		}
		const size = JSON.stringify(state).length;
		console.log(`static data after ${events} events: ${size} bytes (largest ${largest}), ${Object.keys(state.seen).length} ids remembered`);
		expect(events).toBe(10_000);
		expect(size).toBeLessThan(40_000);
	});
});
