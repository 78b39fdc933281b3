/**
 * Tracking Bot Trigger through n8n's PollContext against the Tracking Bot fake: requests, the
 * baseline first poll, Fetch Test Event, "only to these statuses", and a simulated history of
 * > 1 000 changes (late records, a backlog, a poll failing half-way, restarts) with 0 missed and
 * 0 duplicate events.
 */
import { useEnv } from '../harness/setup';
import { TriggerRunner } from '../harness/poll';
import { TB_BOT_A, TB_KEY_A, type TbTracking, type TrackingBotFake } from '../../sandbox/trackingBot';
import { seededRandom } from '../../sandbox/server';
import { Ledger } from './ledger';

const MIN = 60_000;
const STATUSES = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'];
const naive = (ms: number) => new Date(ms).toISOString().slice(0, 19);

describe('Tracking Bot Trigger', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<TrackingBotFake>('trackingbot');
	const cred = () => ({
		trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }),
	});
	const runner = (parameters: Record<string, unknown>) => new TriggerRunner(env.harness, 'trackingBotTrigger', parameters as never, cred());
	let serial = 0;
	const add = (created: number, status = 'pending', updated = created): TbTracking =>
		fake().addTracking(TB_BOT_A, { tracking_number: `TRK${String(++serial).padStart(6, '0')}`, current_status: status, created_at: naive(created), updated_at: naive(updated) });
	const setStatus = (t: TbTracking, status: string, at: number) => {
		t.current_status = status;
		t.updated_at = naive(at);
	};

	beforeEach(() => {
		// Scaled down for tests: the server's own window (the limiter follows its X-RateLimit-* headers).
		fake().rateLimit = { requests: 100_000, windowMs: 1000 };
	});

	it('reads the whole list (page_size 100) with the API key; the first poll is a baseline', async () => {
		const base = Date.UTC(2025, 0, 27, 10, 0, 0);
		for (let i = 0; i < 120; i++) add(base + i * 1000);
		const r = runner({ event: 'new' });
		env.sandbox.clearLog();
		const first = await r.poll();
		expect(first.error).toBeUndefined();
		expect(first.empty).toBe(true);
		const calls = env.sandbox.requests('trackingbot', 'GET');
		expect(calls.map((c) => [c.path, c.query])).toEqual([
			[`/api/v1/tracking/${TB_BOT_A}`, { page: '1', page_size: '100' }],
			[`/api/v1/tracking/${TB_BOT_A}`, { page: '2', page_size: '100' }],
		]);
		expect(calls[0].headers['x-api-key']).toBe(TB_KEY_A);
		// The scope stored states are filed under (another one would start afresh with a baseline).
		expect(r.state().cursorState).toMatchObject({ v: 2, scope: `tracking:new:/api/v1/tracking/${encodeURIComponent(TB_BOT_A)}` });
		const fresh = add(base + 200_000);
		const second = await r.poll();
		expect(second.items).toEqual([fake().view(fresh)]);
		expect((await r.poll()).empty).toBe(true);
	});

	it("n8n 2.x poll budget: a list the account's rate cannot read within it fails at once with the reason — nothing sent past it, cursor kept", async () => {
		// A key of its own: a limiter of its own (limiters are per process and account).
		const key = 'tb_BUDGETbudgetBUDGET000011112222';
		fake().keys.set(key, TB_BOT_A);
		fake().rateLimit = { requests: 2, windowMs: 30_000 };
		const base = Date.UTC(2025, 0, 27, 10, 0, 0);
		for (let i = 0; i < 250; i++) add(base + i * 1000);
		const credentials = { trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: key, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }) };
		const r = new TriggerRunner(env.harness, 'trackingBotTrigger', { event: 'new' } as never, credentials);
		env.sandbox.clearLog();
		const res = await r.poll('trigger', { budgetMs: 1500 });
		// Page 1 went out; after its answer (X-RateLimit-Remaining 1, Reset in 30 s) the limiter's next
		// slot is half a minute away — past the 1.5 s budget, so page 2 is not sent and nothing waits.
		expect(env.sandbox.requests('trackingbot', 'GET').map((c) => c.query.page)).toEqual(['1']);
		expect(res.error?.message).toBe('Tracking Bot request failed: out of time (n8n gives a poll 2 s)');
		expect(res.error?.description).toMatch(/^GET \/api\/v1\/tracking\/123 The request was not sent: its time ran out\. The account's Requests per Minute would let it go in (29|30|31) s\. This poll emitted nothing and kept its cursor; the next poll continues from the same point\. A list this long cannot be read within the time n8n gives a poll/);
		// The transport marks the budget's end; the poll's error keeps the mark (it is read, not the words).
		expect(res.error?.context?.reason).toBe('deadline');
		expect(r.state()).toEqual({}); // no state stored: the next poll starts over
		expect(fake().rateLimited).toBe(0);
		// A budget the list fits in: the baseline is stored as on n8n 1.x.
		fake().rateLimit = { requests: 100_000, windowMs: 1000 };
		const other = runner({ event: 'new' });
		const ok = await other.poll('trigger', { budgetMs: 30_000 });
		expect(ok.error).toBeUndefined();
		expect(other.state().cursorState).toMatchObject({ v: 2, baseline: false });
		// The server's own words "out of time" within the budget are its refusal, not the budget's end.
		env.sandbox.inject({ provider: 'trackingbot', method: 'GET', times: 1, status: 400, body: { detail: 'out of time' } });
		const refused = await other.poll('trigger', { budgetMs: 30_000 });
		expect(refused.error?.message).toBe('Tracking Bot returned 400: out of time');
		expect(refused.error?.description).toBe(
			`GET /api/v1/tracking/${TB_BOT_A} This poll emitted nothing and kept its cursor; the next poll continues from the same point.`,
		);
		expect(refused.error?.context?.reason).toBeUndefined();
		expect(other.state().cursorState).toMatchObject({ v: 2, baseline: false });
	});

	it('On Status Changed: previous status, only chosen statuses, each change once', async () => {
		const base = Date.UTC(2025, 0, 27, 10, 0, 0);
		const a = add(base);
		const b = add(base + 1000);
		const r = runner({ event: 'statusChanged', statuses: ['delivered', 'issued'] });
		expect((await r.poll()).empty).toBe(true);
		setStatus(a, 'in_transit', base + 60_000); // not a chosen status
		setStatus(b, 'delivered', base + 61_000);
		const res = await r.poll();
		expect(res.items).toEqual([{ ...fake().view(b), previous_status: 'pending' }]);
		setStatus(a, 'delivered', base + 120_000);
		const next = await r.poll();
		expect(next.items).toEqual([{ ...fake().view(a), previous_status: 'in_transit' }]);
		expect((await r.poll()).empty).toBe(true);
	});

	it('Fetch Test Event returns the newest tracking number and stores nothing', async () => {
		const base = Date.UTC(2025, 0, 27, 10, 0, 0);
		for (let i = 0; i < 150; i++) add(base + i * 1000);
		const r = runner({ event: 'new' });
		const res = await r.poll('manual');
		expect(res.items).toHaveLength(1);
		expect(res.items[0].tracking_number).toBe(`TRK${String(serial).padStart(6, '0')}`);
		expect(r.state()?.cursorState).toBeUndefined();
	});

	async function simulate(event: 'new' | 'statusChanged', seed: number): Promise<Ledger> {
		const random = seededRandom(seed);
		const ledger = new Ledger();
		const T0 = Date.UTC(2025, 0, 27, 10, 0, 0);
		const records: TbTracking[] = [];
		for (let i = 0; i < 200; i++) records.push(add(T0 - (200 - i) * 5000));
		const r = runner({ event, options: { maxEvents: 80, overlapMinutes: 10 } });
		expect((await r.poll()).empty).toBe(true); // baseline
		let clock = T0;
		const key = (item: object) => {
			const i = item as Record<string, unknown>;
			return event === 'new' ? String(i.id) : `${String(i.id)}@${String(i.updated_at)}`;
		};
		// Status each record had at the last successful poll (a change back to it would not be a change).
		const lastSeen = new Map<number, string>(records.map((t) => [t.id, t.current_status]));
		// …and the status the trigger last emitted (or took as baseline): a change back to it during a
		// backlog nets out to no change.
		const lastEmitted = new Map<number, string>(records.map((t) => [t.id, t.current_status]));
		const seenVersions = new Set<string>();
		const seenWithoutBacklog = new Set<string>();
		for (let round = 0; round < 32; round++) {
			clock += 2 * MIN;
			const touched = new Set<number>();
			const writes = round === 10 ? 200 : 20 + Math.floor(random() * 20);
			for (let w = 0; w < writes; w++) {
				const late = random() < 0.3 ? Math.floor(random() * 8 * MIN) : Math.floor(random() * 100_000);
				const ts = clock - late;
				const pool = records.filter((t) => !touched.has(t.id));
				if (event === 'statusChanged' && random() < 0.8 && pool.length) {
					const t = pool[Math.floor(random() * pool.length)];
					const options = STATUSES.filter((s) => s !== t.current_status && s !== lastSeen.get(t.id) && s !== lastEmitted.get(t.id));
					setStatus(t, options[Math.floor(random() * options.length)], Math.max(ts, Date.parse(`${t.updated_at}Z`) + 1000));
					touched.add(t.id);
				} else {
					// Registered "late": its created_at is up to 8 minutes old when it shows up.
					const t = add(ts);
					records.push(t);
					touched.add(t.id);
				}
				ledger.changes++;
			}
			if (round === 11) {
				env.sandbox.inject({ provider: 'trackingbot', method: 'GET', skip: 2, times: 1, status: 400, body: { detail: 'injected half-way' } });
			}
			if (round === 14) env.sandbox.inject({ provider: 'trackingbot', method: 'GET', skip: 1, times: 1, status: 502, body: '<html>Bad Gateway</html>' });
			if (round % 5 === 3) {
				r.restart();
			}
			const before = records.map((t) => ({ id: t.id, status: t.current_status, key: `${t.id}@${t.updated_at}`, changed: t.updated_at !== t.created_at }));
			const res = await r.poll();
			ledger.polls++;
			env.sandbox.clearFaults();
			if (res.error) {
				ledger.failedPolls++;
				continue;
			}
			const backlogged = res.items.length >= 80;
			for (const v of before) {
				lastSeen.set(v.id, v.status);
				if (!v.changed) continue;
				seenVersions.add(v.key);
				if (!backlogged) seenWithoutBacklog.add(v.key);
			}
			ledger.emit(res.items.map(key));
			for (const i of res.items) lastEmitted.set(Number(i.id), String(i.current_status));
		}
		for (let i = 0; i < 15; i++) {
			const res = await r.poll();
			ledger.polls++;
			if (res.empty) break;
			ledger.emit(res.items.map(key));
		}
		if (event === 'new') {
			for (const t of records) if (t.id > 200) ledger.expect(String(t.id));
		} else {
			for (const t of records) if (t.updated_at !== t.created_at) seenVersions.add(`${t.id}@${t.updated_at}`);
			for (const v of seenVersions) ledger.expect(v);
			const emitted = new Set(ledger.emitted);
			const newest = new Map<string, string>();
			for (const k of emitted) {
				const [id, at] = k.split('@');
				if (!newest.has(id) || newest.get(id)! < at) newest.set(id, at);
			}
			for (const v of [...ledger.expected]) {
				const [id, at] = v.split('@');
				if (emitted.has(v) || seenWithoutBacklog.has(v)) continue;
				if ((newest.get(id) ?? '') > at) {
					ledger.expected.delete(v);
					ledger.coalesced++;
				}
			}
		}
		ledger.restarts = r.restarts;
		const seen = (r.state().cursorState as { seen: Record<string, number> }).seen;
		expect(Object.keys(seen).length).toBeLessThan(records.length);
		return ledger;
	}

	it.each(['new', 'statusChanged'] as const)('%s: > 1 000 changes between polls, 0 missed, 0 duplicates', async (event) => {
		const ledger = await simulate(event, event === 'new' ? 21 : 22);
		const report = ledger.report();
		console.log(ledger.summary(`Tracking Bot Trigger, ${event === 'new' ? 'On New Tracking Number' : 'On Status Changed'}`));
		expect(report.changes).toBeGreaterThanOrEqual(1000);
		expect(report.failedPolls).toBeGreaterThanOrEqual(1);
		expect(report.restarts).toBeGreaterThanOrEqual(1);
		expect(report.missed).toEqual([]);
		expect(report.duplicates).toEqual([]);
		expect(report.unexpected).toEqual([]);
		expect(report.maxBatch).toBeLessThanOrEqual(80);
	}, 60_000);
});
