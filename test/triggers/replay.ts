/**
 * Replay driver for the polling triggers (issue 14): a scripted history of ≥ 1 000 changes played
 * against a sandbox fake while the trigger polls through n8n's real PollContext, with
 *
 * - a simulated clock: n8n's host clock (`Date.now`, mocked) and the server's clock (the fake's
 *   record stamps and its `Date` header) differ by −10 … +10 minutes, drifting during the run and
 *   stepping back (a 20-minute and a 3-minute step);
 * - same-second bursts larger than a page, records updated twice between two polls;
 * - records created, updated and deleted while a poll is paging (a hook before page 2);
 * - a page failing half-way (500 on page 2), a 429 and a 503 (the poll fails fast, nothing emitted);
 * - n8n restarts (static data saved as JSON and loaded into a new Workflow).
 *
 * What must be emitted: every record version that was current during a whole successful poll and
 * was created (or reached) after activation — exactly once. Versions that existed only between two
 * page reads may be emitted (they were real) but are not required. Versions that existed at
 * activation must never be emitted ("first-activation replays").
 */
import type { Sandbox, SandboxRequest } from '../../sandbox/server';
import type { TriggerRunner } from '../harness/poll';

export const MIN = 60_000;

/** A trigger under replay: how to make changes in its fake and read versions back. */
export interface ReplayTarget {
	/** Current version key of every record that must be emitted (`id` for On New, `id#version` for changes). */
	versions(): Map<string, string>;
	/** Ids of every live record (default: the keys of `versions()`). */
	live?(): string[];
	/** Create a record stamped at server time `ts`. */
	create(ts: number): void;
	/** Change a live record at server time `ts` (a new version). Undefined: the kind has no updates. */
	update?(id: string, ts: number): void;
	/** Delete a live record. */
	remove(id: string): void;
	/** The version key of an emitted item. */
	keyOf(item: Record<string, unknown>): string;
	/** The path (after the prefix) of the list the trigger pages. */
	listPath: RegExp;
	/** The page number of a list request (page 2 gets the mid-paging hook and the half-way failure). */
	pageOf(req: SandboxRequest): number;
	provider: string;
}

export interface ReplayOptions {
	seed: number;
	rounds: number;
	/** Changes per round (average); round 20 is a same-second burst of `burst` creations. */
	perRound: number;
	burst: number;
	/** Share of changes that are updates (0 for On New kinds). */
	updateShare: number;
	/** Share of changes that are deletions. */
	deleteShare: number;
	/** Server clock minus n8n's clock at a round (ms). */
	offsetAt: (round: number) => number;
	/** The fake's Date header (false: no header, the steps must stay within the overlap). */
	dateHeader?: boolean;
	/** Records at activation (history). */
	history: number;
	/** n8n 2.x durable poll cursors: the activation poll's state is not committed (see TriggerRunner). */
	durable?: boolean;
}

export interface ReplayFigures {
	changes: number;
	polls: number;
	failedPolls: number;
	restarts: number;
	expected: number;
	emitted: number;
	missed: number;
	duplicated: number;
	replayed: number;
	unexpected: number;
	/** Emitted versions that lived only between two page reads (allowed, not required). */
	transient: number;
	maxStateBytes: number;
	maxRequestsPerPoll: number;
	/** Examples, for a failing assertion's message. */
	samples: { missed: string[]; duplicated: string[]; replayed: string[]; unexpected: string[] };
}

/** The default clock script: −5 min at activation, drift to +10, a 20-minute step back, drift, a 3-minute step back. */
export function clockScript(rounds: number): (round: number) => number {
	const stepAt = Math.floor(rounds * 0.45);
	const smallStepAt = Math.floor(rounds * 0.75);
	return (round) => {
		if (round < stepAt) return -5 * MIN + Math.round((15 * MIN * round) / stepAt); // −5 → +10
		if (round < smallStepAt) return -10 * MIN + Math.round((12 * MIN * (round - stepAt)) / (smallStepAt - stepAt)); // −10 → +2
		return -1 * MIN + Math.round((2 * MIN * (round - smallStepAt)) / Math.max(1, rounds - smallStepAt)); // −1 → +1
	};
}

export async function replay(
	sandbox: Sandbox,
	makeRunner: () => TriggerRunner,
	target: ReplayTarget,
	options: ReplayOptions,
	random: () => number,
): Promise<ReplayFigures> {
	const realNow = Date.now.bind(Date);
	let hostNow = Date.UTC(2026, 11, 1, 9, 0, 0);
	let round = 0;
	let realAtTick = realNow();
	// n8n's clock: simulated time, moving on in real time between ticks.
	const spy = jest.spyOn(Date, 'now').mockImplementation(() => hostNow + (realNow() - realAtTick));
	const serverNow = () => Date.now() + options.offsetAt(round);
	sandbox.serverNow = serverNow;
	sandbox.dateHeader = options.dateHeader ?? true;

	const figures: ReplayFigures = {
		changes: 0,
		polls: 0,
		failedPolls: 0,
		restarts: 0,
		expected: 0,
		emitted: 0,
		missed: 0,
		duplicated: 0,
		replayed: 0,
		unexpected: 0,
		transient: 0,
		maxStateBytes: 0,
		maxRequestsPerPoll: 0,
		samples: { missed: [], duplicated: [], replayed: [], unexpected: [] },
	};
	const everExisted = new Set<string>();
	const required = new Set<string>();
	const emitted = new Map<string, number>();
	const note = () => {
		for (const v of target.versions().values()) everExisted.add(v);
	};

	try {
		for (let i = 0; i < options.history; i++) target.create(serverNow() - (options.history - i) * 7_000);
		note();
		const runner = makeRunner();
		runner.durable = options.durable === true;
		// Activation: the first poll is a baseline; what exists now is history.
		const first = await runner.poll('trigger', { activation: true });
		if (first.error) throw first.error;
		figures.polls++;
		const history = new Set(target.versions().values());
		for (const item of first.items) emitted.set(target.keyOf(item), (emitted.get(target.keyOf(item)) ?? 0) + 1);

		let midPaging: (() => void) | undefined;
		sandbox.beforeHandle = (req) => {
			if (req.method === 'GET' && target.listPath.test(req.path) && target.pageOf(req) === 2 && midPaging) {
				const act = midPaging;
				midPaging = undefined;
				act();
			}
		};
		const change = (ts: number, allowTwice: boolean, touched: Set<string>) => {
			const live = target.live ? target.live() : [...target.versions().keys()];
			const r = random();
			if (r < options.deleteShare && live.length > 20) {
				target.remove(live[Math.floor(random() * live.length)]);
			} else if (r < options.deleteShare + options.updateShare && target.update && live.length) {
				const pool = allowTwice ? live : live.filter((id) => !touched.has(id));
				if (!pool.length) return;
				const id = pool[Math.floor(random() * pool.length)];
				target.update(id, ts);
				touched.add(id);
			} else {
				target.create(ts);
			}
			figures.changes++;
			note();
		};

		for (round = 1; round <= options.rounds; round++) {
			hostNow += MIN;
			realAtTick = realNow();
			const touched = new Set<string>();
			const count = round === 20 ? options.burst : Math.max(1, Math.round(options.perRound * (0.5 + random())));
			const burstAt = serverNow() - 2_000;
			for (let c = 0; c < count; c++) {
				// Stamps up to 50 s before the poll; a burst shares one second.
				const ts = round === 20 ? burstAt : serverNow() - Math.floor(random() * 50_000);
				if (round === 20) {
					// The burst: creations sharing one second (a change in the same second as a creation
					// cannot be told from the creation where the API has no version, e.g. Tracking Bot).
					target.create(ts);
					figures.changes++;
					note();
					continue;
				}
				// Every 5th round lets a record change twice before the poll.
				change(ts, round % 5 === 0, touched);
			}
			if (round % 4 === 1) {
				// Created, updated and deleted while the poll is between page 1 and page 2.
				midPaging = () => {
					const t = new Set<string>();
					for (let k = 0; k < 6; k++) change(serverNow(), false, t);
				};
			}
			if (round % 9 === 3) sandbox.inject({ provider: target.provider, method: 'GET', path: target.listPath, skip: 1, times: 1, status: 500, body: { error: 'half-way failure' } });
			if (round % 13 === 6) sandbox.inject({ provider: target.provider, method: 'GET', times: 1, status: 429, body: { error: 'rate limited' } });
			if (round % 17 === 8) sandbox.inject({ provider: target.provider, method: 'GET', times: 1, status: 503, body: 'Service Unavailable' });
			if (round % 7 === 0) {
				runner.restart();
				figures.restarts++;
			}
			const before = target.versions();
			const logStart = sandbox.log.length;
			const res = await runner.poll();
			if (process.env.DEBUG_REPLAY) {
				const st = runner.state()?.cursorState as { cursor?: number; serverDate?: number } | undefined;
				if (process.env.DEBUG_ID) console.log('ID', round, before.get(process.env.DEBUG_ID), target.versions().get(process.env.DEBUG_ID), (target as unknown as { debug?: (id: string) => string }).debug?.(process.env.DEBUG_ID));
				console.log(round, 'offset', options.offsetAt(round) / MIN, 'err', res.error?.message?.slice(0, 60), 'items', res.items.length, res.items.map((i) => target.keyOf(i)).join(',').slice(0, 40), 'q', JSON.stringify(sandbox.log.slice(logStart).map((l) => l.query)).slice(0, 300), 'cursor', st?.cursor ? new Date(st.cursor).toISOString() : '', st?.serverDate ? new Date(st.serverDate).toISOString() : '');
			}
			figures.polls++;
			sandbox.clearFaults();
			figures.maxRequestsPerPoll = Math.max(figures.maxRequestsPerPoll, sandbox.log.length - logStart);
			if (res.error) {
				figures.failedPolls++;
				if (!/half-way|rate limit|Service Unavailable|429|503|500/i.test(`${res.error.message} ${res.error.description ?? ''}`)) throw res.error;
				continue;
			}
			note();
			const after = target.versions();
			for (const [id, v] of before) if (after.get(id) === v && !history.has(v)) required.add(v);
			for (const item of res.items) emitted.set(target.keyOf(item), (emitted.get(target.keyOf(item)) ?? 0) + 1);
			if (process.env.DEBUG_REPLAY) for (const item of res.items) if ((emitted.get(target.keyOf(item)) ?? 0) > 1) console.log('DUP', round, target.keyOf(item), JSON.stringify(item).slice(0, 300));
			figures.maxStateBytes = Math.max(figures.maxStateBytes, runner.saved().length);
		}
		// Quiet polls: the last changes come out.
		midPaging = undefined;
		for (let k = 0; k < 3; k++) {
			round++;
			hostNow += MIN;
			realAtTick = realNow();
			const before = target.versions();
			const res = await runner.poll();
			figures.polls++;
			if (res.error) throw res.error;
			const after = target.versions();
			for (const [id, v] of before) if (after.get(id) === v && !history.has(v)) required.add(v);
			for (const item of res.items) emitted.set(target.keyOf(item), (emitted.get(target.keyOf(item)) ?? 0) + 1);
		}
		figures.restarts = runner.restarts;

		figures.expected = required.size;
		figures.emitted = [...emitted.values()].reduce((a, b) => a + b, 0);
		for (const v of required) if (!emitted.has(v)) figures.samples.missed.push(v);
		for (const [k, n] of emitted) {
			if (n > 1) figures.samples.duplicated.push(k);
			if (history.has(k)) figures.samples.replayed.push(k);
			else if (!everExisted.has(k)) figures.samples.unexpected.push(k);
			else if (!required.has(k)) figures.transient++;
		}
		figures.missed = figures.samples.missed.length;
		figures.duplicated = figures.samples.duplicated.length;
		figures.replayed = figures.samples.replayed.length;
		figures.unexpected = figures.samples.unexpected.length;
		for (const key of Object.keys(figures.samples) as Array<keyof ReplayFigures['samples']>) figures.samples[key] = figures.samples[key].slice(0, 5);
		return figures;
	} finally {
		spy.mockRestore();
		sandbox.beforeHandle = undefined;
		sandbox.serverNow = undefined;
		sandbox.dateHeader = true;
	}
}

/** One line of the scenario table. */
export function row(label: string, f: ReplayFigures): string {
	return `| ${label} | ${f.changes} | ${f.polls} (${f.failedPolls} failed, ${f.restarts} restarts) | ${f.expected} | ${f.emitted} | ${f.missed} | ${f.duplicated} | ${f.replayed} | ${f.transient} | ${f.maxRequestsPerPoll} | ${f.maxStateBytes} |`;
}
