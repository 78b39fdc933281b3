/**
 * Loymax Trigger through n8n's PollContext against the Loymax fake (login through the credential's
 * preAuthentication): the sorted, paged-back request, the baseline first poll, Fetch Test Event, and
 * simulated histories of > 1 000 new records (late dates, same-second dates, a backlog, a poll
 * failing half-way, restarts) with 0 missed and 0 duplicate events.
 */
import { DateTime } from 'luxon';

import { useEnv } from '../harness/setup';
import { TriggerRunner } from '../harness/poll';
import { LOYMAX_USER, type LoymaxFake } from '../../sandbox/loymax';
import { seededRandom } from '../../sandbox/server';
import { Ledger } from './ledger';

const MIN = 60_000;
const ZONE = 'Europe/Moscow';
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISO()!;
const SORT = {
	customer: '[{"attribute":"register_date","direction":"desc"}]',
	order: '[{"attribute":"date","direction":"desc"}]',
};

describe('Loymax Trigger', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<LoymaxFake>('loymax');
	const cred = () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) });
	const runner = (parameters: Record<string, unknown>) => new TriggerRunner(env.harness, 'loymaxTrigger', parameters as never, cred(), ZONE);
	let serial = 0;
	const customer = (ms: number) => fake().seed('customer', { local_id: `C${++serial}`, full_name: `Клиент ${serial}`, register_date: iso(ms) });
	const order = (ms: number) => fake().seed('order', { local_id: `O${++serial}`, number: `R-${serial}`, date: iso(ms), items_sum: serial });

	beforeEach(() => {
		fake().rateLimit = { requests: 100_000, windowMs: 1000 };
	});

	it('pages back the list sorted by date descending only until the window; the first poll is a baseline', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		for (let i = 0; i < 250; i++) customer(base + i * MIN);
		const r = runner({ resource: 'customer' });
		env.sandbox.clearLog();
		const first = await r.poll();
		expect(first.error).toBeUndefined();
		expect(first.empty).toBe(true);
		const lists = env.sandbox.requests('loymax', 'GET', '/customer');
		// Newest 100 (09:00 + 249 min back to 09:00 + 150 min) cover the baseline window (60 min overlap
		// + 30 min for clock steps): one page, walked twice (records removed between pages are noticed).
		expect(lists.map((c) => c.query)).toEqual([
			{ sort: SORT.customer, 'page[number]': '1', 'page[size]': '100' },
			{ sort: SORT.customer, 'page[number]': '1', 'page[size]': '100' },
		]);
		expect(lists[0].headers.authorization).toMatch(/^Bearer /);
		// The scope stored states are filed under (another one would start afresh with a baseline).
		expect(r.state().cursorState).toMatchObject({ v: 2, scope: 'customer:new' });
		const late = customer(base + 240 * MIN); // 10 minutes older than the newest: within the window
		const fresh = customer(base + 300 * MIN);
		const second = await r.poll();
		expect(second.items.map((i) => i.local_id)).toEqual([late.attrs.local_id, fresh.attrs.local_id]);
		expect(second.items[0]).toMatchObject({ id: String(late.id), type: 'customer', register_date: iso(base + 240 * MIN) });
		expect((await r.poll()).empty).toBe(true);
	});

	it('a record whose date cannot be read does not turn off the twice-walked check: a record gone between the walks keeps the cursor', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		for (let i = 0; i < 3; i++) customer(base + i * MIN);
		const r = runner({ resource: 'customer' });
		expect((await r.poll()).error).toBeUndefined();
		const held = (r.state().cursorState as { cursor: number }).cursor;
		customer(base + 10 * MIN);
		const gone = customer(base + 11 * MIN);
		fake().seed('customer', { local_id: `C${++serial}`, full_name: 'Без даты', register_date: 'not a date' });
		// The record is deleted after the first walk read it, before the second walk.
		let lists = 0;
		env.sandbox.beforeHandle = (req) => {
			if (req.method === 'GET' && req.path === '/customer' && ++lists === 2) fake().stores.customer = fake().stores.customer.filter((c) => c.id !== gone.id);
		};
		try {
			const res = await r.poll();
			expect(res.error).toBeUndefined();
			expect(lists).toBe(2);
		} finally {
			env.sandbox.beforeHandle = undefined;
		}
		// The walks disagree about the window: the cursor stays, so the next poll reads it again.
		expect((r.state().cursorState as { cursor: number }).cursor).toBe(held);
	});

	it('an event the list does not offer is one clear error before anything is sent (never another event\'s list)', async () => {
		env.sandbox.clearLog();
		const res = await runner({ resource: 'coupon' }).poll();
		expect(res.error?.message).toBe('Unknown event "coupon": choose one from the Event list ("customer", "event", "order")');
		expect(env.sandbox.requests('loymax')).toHaveLength(0);
	});

	it('a strict server refusing the sort: one clear error, nothing emitted, the cursor kept', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		for (let i = 0; i < 5; i++) customer(base + i * MIN);
		fake().strictSort = true;
		const r = runner({ resource: 'customer' });
		expect((await r.poll()).error).toBeUndefined(); // the date attribute is one the records carry
		const before = r.saved();
		customer(base + 10 * MIN);
		env.sandbox.inject({ provider: 'loymax', method: 'GET', path: /^\/customer$/, times: 1, status: 400, body: { errors: [{ title: 'Bad Request', detail: 'Unknown sort attribute "register_date"' }] } });
		const refused = await r.poll();
		expect(refused.items).toEqual([]);
		expect(refused.error?.message).toMatch(/Unknown sort attribute "register_date"/);
		expect(refused.error?.description).toMatch(/This poll emitted nothing and kept its cursor; the next poll continues from the same point\./);
		expect(r.saved()).toBe(before);
		const next = await r.poll();
		expect(next.items.map((i) => i.full_name)).toEqual([`Клиент ${serial}`]);
		// Only the documented attribute was ever asked for.
		expect(new Set(env.sandbox.requests('loymax', 'GET', '/customer').map((c) => c.query.sort))).toEqual(new Set([SORT.customer]));
	});

	it('a server ignoring page[number] (the same first page every time): one clear error, never a loop, the cursor kept', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		// 250 records within the baseline window: the walk must go past page 1.
		for (let i = 0; i < 250; i++) customer(base + i * 1000);
		Object.assign(fake(), { ignorePageParam: true, pageLinks: false });
		const r = runner({ resource: 'customer' });
		env.sandbox.clearLog();
		const res = await r.poll();
		expect(res.items).toEqual([]);
		expect(res.error?.message).toBe(
			'Loymax returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
		);
		expect(r.state()?.cursorState).toBeUndefined();
		expect(env.sandbox.requests('loymax', 'GET', '/customer').map((c) => c.query['page[number]'])).toEqual(['1', '2']);
	});

	it('the credential\'s Paging Style (page / per_page) is what the trigger sends', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		for (let i = 0; i < 5; i++) customer(base + i * MIN);
		fake().pagingStyle = 'pagePerPage';
		const credentials = { loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax'), pagingStyle: 'pagePerPage' }) };
		const r = new TriggerRunner(env.harness, 'loymaxTrigger', { resource: 'customer' } as never, credentials, ZONE);
		env.sandbox.clearLog();
		expect((await r.poll()).error).toBeUndefined();
		expect(env.sandbox.requests('loymax', 'GET', '/customer')[0].query).toEqual({ sort: SORT.customer, page: '1', per_page: '100' });
		customer(base + 10 * MIN);
		expect((await r.poll()).items.map((i) => i.full_name)).toEqual([`Клиент ${serial}`]);
	});

	it('Fetch Test Event returns the newest order and stores nothing', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		order(base + 5 * MIN);
		const newest = order(base + 9 * MIN);
		order(base + 1 * MIN);
		const r = runner({ resource: 'order', simplify: false });
		env.sandbox.clearLog();
		const res = await r.poll('manual');
		expect(res.items).toEqual([{ type: 'order', id: String(newest.id), attributes: newest.attrs }]);
		expect(env.sandbox.requests('loymax', 'GET', '/order')[0].query).toEqual({ sort: SORT.order, 'page[number]': '1', 'page[size]': '1' });
		expect(r.state()?.cursorState).toBeUndefined();
	});

	async function simulate(resource: 'customer' | 'order', seed: number): Promise<Ledger> {
		const random = seededRandom(seed);
		const ledger = new Ledger();
		const add = resource === 'customer' ? customer : order;
		const T0 = Date.UTC(2025, 4, 5, 9, 0, 0);
		const history = new Set<number>();
		for (let i = 0; i < 150; i++) history.add(add(T0 - (150 - i) * 30_000).id);
		const r = runner({ resource, options: { maxEvents: 80 } });
		expect((await r.poll()).empty).toBe(true);
		let clock = T0;
		let previous = T0;
		for (let round = 0; round < 40; round++) {
			clock += 5 * MIN;
			const writes = round === 12 ? 260 : 20 + Math.floor(random() * 20);
			for (let w = 0; w < writes; w++) {
				// Late by up to 40 minutes (overlap: 60), or the very same second as the previous one.
				const roll = random();
				const ts = roll < 0.2 ? previous : roll < 0.5 ? clock - Math.floor(random() * 40 * MIN) : clock - Math.floor(random() * 5 * MIN);
				previous = ts;
				add(Math.floor(ts / 1000) * 1000);
				ledger.changes++;
			}
			if (round === 13) env.sandbox.inject({ provider: 'loymax', method: 'GET', skip: 1, times: 1, status: 400, body: { errors: [{ title: 'Bad Request', detail: 'injected half-way' }] } });
			if (round % 6 === 4) r.restart();
			const res = await r.poll();
			ledger.polls++;
			env.sandbox.clearFaults();
			if (res.error) {
				ledger.failedPolls++;
				continue;
			}
			ledger.emit(res.items.map((i) => String(i.id)));
		}
		for (let i = 0; i < 10; i++) {
			const res = await r.poll();
			ledger.polls++;
			if (res.empty) break;
			ledger.emit(res.items.map((i) => String(i.id)));
		}
		for (const rec of fake().stores[resource]) if (!history.has(rec.id)) ledger.expect(String(rec.id));
		ledger.restarts = r.restarts;
		const seen = (r.state().cursorState as { seen: Record<string, number> }).seen;
		expect(Object.keys(seen).length).toBeLessThan(600);
		return ledger;
	}

	it.each(['customer', 'order'] as const)('On New %s: > 1 000 records between polls, 0 missed, 0 duplicates', async (resource) => {
		const ledger = await simulate(resource, resource === 'customer' ? 41 : 42);
		const report = ledger.report();
		console.log(ledger.summary(`Loymax Trigger, On New ${resource === 'customer' ? 'Customer' : 'Order'}`));
		expect(report.changes).toBeGreaterThanOrEqual(1000);
		expect(report.failedPolls).toBeGreaterThanOrEqual(1);
		expect(report.restarts).toBeGreaterThanOrEqual(1);
		expect(report.missed).toEqual([]);
		expect(report.duplicates).toEqual([]);
		expect(report.unexpected).toEqual([]);
		expect(report.maxBatch).toBe(80);
	}, 60_000);
});
