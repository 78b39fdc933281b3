/**
 * Synergy CRM Trigger through n8n's PollContext against the Synergy CRM fake: the request it sends,
 * first activation, Fetch Test Event, and a simulated history of > 1 000 changes (out of order,
 * same minute as the cursor, a backlog, a poll failing half-way, pages shifting during a read,
 * restarts) with 0 missed and 0 duplicate events.
 */
import { useEnv } from '../harness/setup';
import { TriggerRunner } from '../harness/poll';
import { mskIso, SYNERGY_TOKEN, type SynergyCrmFake } from '../../sandbox/synergyCrm';
import { seededRandom } from '../../sandbox/server';
import { Ledger } from './ledger';

const MIN = 60_000;

describe('Synergy CRM Trigger', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<SynergyCrmFake>('synergy');
	const cred = () => ({
		synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }),
	});
	const runner = (parameters: Record<string, unknown>) => new TriggerRunner(env.harness, 'synergyCrmTrigger', parameters as never, cred());
	const contact = (ts: number, extra: Record<string, unknown> = {}) =>
		fake().insert('contacts', { 'first-name': 'Иван', 'last-name': `Тестов-${ts}`, 'created-at': mskIso(ts), 'updated-at': mskIso(ts), ...extra });

	it('polls the list with filter[created-at-gte] in the workflow time zone (minute), paged by 100', async () => {
		const start = Date.UTC(2025, 4, 5, 9, 0, 37);
		const r = runner({ event: 'new', resource: 'contact', options: { startFrom: new Date(start).toISOString(), overlapMinutes: 5 } });
		contact(start + 5_000);
		env.sandbox.clearLog();
		const res = await r.poll();
		expect(res.error).toBeUndefined();
		const calls = env.sandbox.requests('synergy', 'GET');
		expect(calls).toHaveLength(1);
		expect(calls[0].path).toBe('/api/v1/contacts');
		// 09:00:37 UTC − 5 min = 08:55:37 UTC = 11:55 in Moscow.
		expect(calls[0].query).toEqual({ 'filter[created-at-gte]': '2025.05.05 11:55', 'page[number]': '1', 'page[size]': '100' });
		expect(calls[0].headers.authorization).toBe(`Bearer ${SYNERGY_TOKEN}`);
		expect(res.items).toHaveLength(1);
		expect(res.items[0]).toMatchObject({ 'last-name': `Тестов-${start + 5_000}`, 'created-at': mskIso(start + 5_000) });
		expect(Object.keys(res.items[0])).toContain('id');
		// The cursor and the id are stored; the next poll emits nothing.
		expect(r.state().cursorState).toMatchObject({ scope: 'contacts:new', cursor: start + 5_000 });
		expect((await r.poll()).empty).toBe(true);
	});

	it('first activation starts from now: existing records are not replayed', async () => {
		const now = Date.now();
		contact(now - 30_000);
		contact(now - 2_000);
		const r = runner({ event: 'new', resource: 'contact' });
		const first = await r.poll();
		expect(first.error).toBeUndefined();
		expect(first.empty).toBe(true);
		const fresh = contact(Date.now() + 1_000);
		const second = await r.poll();
		expect(second.items.map((i) => i.id)).toEqual([fresh.id]);
		expect((await r.poll()).empty).toBe(true);
	});

	it('refuses a bad start date or maximum before sending anything', async () => {
		env.sandbox.clearLog();
		const bad = await runner({ event: 'new', resource: 'contact', options: { startFrom: 'yesterday-ish' } }).poll();
		expect(bad.error?.message).toBe('Start From must be a date and time such as 2024-05-01T09:00, got "yesterday-ish"');
		const zero = await runner({ event: 'new', resource: 'contact', options: { maxEvents: 0 } }).poll();
		expect(zero.error?.message).toBe('Max Events per Poll must be a number of at least 1, got "0"');
		expect(env.sandbox.requests('synergy')).toHaveLength(0);
	});

	it('Fetch Test Event returns the newest record and leaves the cursor alone', async () => {
		const base = Date.UTC(2025, 4, 5, 9, 0, 0);
		for (let i = 0; i < 130; i++) fake().insert('deals', { name: `Сделка ${i}`, 'created-at': mskIso(base + i * MIN), 'updated-at': mskIso(base + i * MIN) });
		const r = runner({ event: 'updated', resource: 'deal', simplify: false });
		const res = await r.poll('manual');
		expect(res.error).toBeUndefined();
		expect(res.items).toHaveLength(1);
		expect(res.items[0]).toMatchObject({ type: 'deals', attributes: { name: 'Сделка 129' } });
		expect(r.state()).toBeUndefined();
	});

	it('a poll that fails emits nothing and loses nothing', async () => {
		const start = Date.UTC(2025, 4, 5, 9, 0, 0);
		const r = runner({ event: 'new', resource: 'contact', options: { startFrom: new Date(start).toISOString() } });
		for (let i = 0; i < 150; i++) contact(start + i * 1000);
		env.sandbox.inject({ provider: 'synergy', method: 'GET', skip: 1, times: 1, status: 400, body: { errors: [{ title: 'Bad Request', detail: 'injected' }] } });
		const failed = await r.poll();
		expect(failed.error?.message).toMatch(/injected/);
		expect(r.state()?.cursorState).toBeUndefined();
		const ok = await r.poll();
		expect(ok.items).toHaveLength(100);
		const rest = await r.poll();
		expect(rest.items).toHaveLength(50);
		expect(new Set([...ok.items, ...rest.items].map((i) => i.id)).size).toBe(150);
	});

	async function simulate(event: 'new' | 'updated', seed: number): Promise<Ledger> {
		const random = seededRandom(seed);
		const f = fake();
		const ledger = new Ledger();
		const T0 = Date.UTC(2025, 4, 5, 9, 0, 17);
		// History before activation: never emitted.
		for (let i = 0; i < 40; i++) contact(T0 - (40 - i) * 20_000);
		const r = runner({ event, resource: 'contact', options: { startFrom: new Date(T0).toISOString(), maxEvents: 60, overlapMinutes: 10 } });
		let clock = T0;
		const key = (id: string, ts: number) => (event === 'new' ? id : `${id}@${ts}`);
		const versionsSeen = new Set<string>();
		const seenWithoutBacklog = new Set<string>();
		const current = () => f.all('contacts').map((c) => ({ id: c.id, updated: Date.parse(String(c.attributes['updated-at'])), created: Date.parse(String(c.attributes['created-at'])) }));
		const collect = (items: Array<Record<string, unknown>>) =>
			ledger.emit(items.map((i) => key(String(i.id), Date.parse(String(event === 'new' ? i['created-at'] : i['updated-at'])))));

		let pollMs = 0;
		let maxRemembered = 0;
		for (let round = 0; round < 95; round++) {
			clock += MIN;
			const touched = new Set<string>();
			const writes = round === 30 ? 220 : 3 + Math.floor(random() * 16);
			for (let w = 0; w < writes; w++) {
				// Out of order by up to 8 minutes (overlap: 10); many in the cursor's minute.
				const late = random() < 0.35 ? Math.floor(random() * 8 * MIN) : Math.floor(random() * 50_000);
				const ts = clock - late;
				const candidates = current().filter((c) => c.created >= T0 && !touched.has(c.id));
				if (event === 'updated' && candidates.length > 5 && random() < 0.5) {
					const pick = candidates[Math.floor(random() * candidates.length)];
					const at = Math.max(ts, pick.updated + 1);
					f.get('contacts', pick.id)!.attributes['updated-at'] = mskIso(at);
					touched.add(pick.id);
				} else {
					const rec = contact(ts);
					touched.add(rec.id);
				}
				ledger.changes++;
			}
			if (round === 31) {
				// Half-way failure: the second page of this poll's read is refused.
				env.sandbox.inject({ provider: 'synergy', method: 'GET', skip: 1, times: 1, status: 400, body: { errors: [{ title: 'Bad Request', detail: 'injected half-way' }] } });
			}
			if (round === 33) {
				// Pages shift while they are read: an old record changes (updated) or an emitted one is
				// deleted (new) right after the first page was answered.
				env.sandbox.inject({
					provider: 'synergy',
					method: 'GET',
					times: 1,
					mangle: (body) => {
						const all = f.all('contacts').filter((c) => Date.parse(String(c.attributes['created-at'])) >= T0);
						if (event === 'updated') {
							const old = all[0];
							old.attributes['updated-at'] = mskIso(clock - 30_000);
							ledger.changes++;
						} else {
							const emittedIds = new Set(ledger.emitted);
							const victim = all.find((c) => emittedIds.has(c.id));
							if (victim) f.store.get('contacts')!.delete(victim.id);
						}
						return body;
					},
				});
			}
			if (round === 50) env.sandbox.inject({ provider: 'synergy', method: 'GET', times: 1, status: 503, body: 'Service Unavailable' });
			if (random() < 0.12) {
				r.restart();
				ledger.restarts++;
			}
			const before = current();
			const t1 = Date.now();
			const res = await r.poll();
			pollMs += Date.now() - t1;
			ledger.polls++;
			env.sandbox.clearFaults();
			if (res.error) {
				if (process.env.DEBUG_TRIG) console.log(round, res.error.message);
				ledger.failedPolls++;
				continue;
			}
			const backlogged = res.items.length >= 60;
			for (const v of before) {
				versionsSeen.add(`${v.id}@${v.updated}`);
				if (!backlogged) seenWithoutBacklog.add(`${v.id}@${v.updated}`);
			}
			collect(res.items);
			// The remembered ids stay bounded by what one overlap window holds.
			const seen = (r.state().cursorState as { seen: Record<string, number> }).seen;
			maxRemembered = Math.max(maxRemembered, Object.keys(seen).length);
		}
		for (let i = 0; i < 15; i++) {
			const res = await r.poll();
			ledger.polls++;
			if (res.empty) break;
			collect(res.items);
		}
		for (const c of current()) {
			if (event === 'new') {
				if (c.created >= T0) ledger.expect(c.id);
			} else {
				versionsSeen.add(`${c.id}@${c.updated}`);
			}
		}
		if (event === 'new') {
			// Records deleted after they were emitted count as expected too.
			for (const k of ledger.emitted) if (!f.get('contacts', k)) ledger.expect(k);
		} else {
			for (const v of versionsSeen) if (Number(v.split('@')[1]) >= T0) ledger.expect(v);
		}
		ledger.restarts = r.restarts;
		void pollMs;
		expect(maxRemembered).toBeLessThan(400);
		expect(maxRemembered).toBeGreaterThan(0);
		if (event === 'updated') {
			// A change seen only while a backlog was being emitted (polls capped at Max Events) and
			// changed again before its turn is reported once, by its newer version (the API shows only
			// the current state): "coalesced", not missed. Every other version must be emitted.
			const emitted = new Set(ledger.emitted);
			const newestEmitted = new Map<string, number>();
			for (const k of emitted) {
				const [id, ts] = k.split('@');
				newestEmitted.set(id, Math.max(newestEmitted.get(id) ?? 0, Number(ts)));
			}
			for (const v of [...ledger.expected]) {
				if (emitted.has(v) || seenWithoutBacklog.has(v)) continue;
				const [id, ts] = v.split('@');
				if ((newestEmitted.get(id) ?? 0) > Number(ts)) {
					ledger.expected.delete(v);
					ledger.coalesced++;
				}
			}
		}
		return ledger;
	}

	it.each(['new', 'updated'] as const)('On %s: > 1 000 changes between polls, 0 missed, 0 duplicates', async (event) => {
		const ledger = await simulate(event, event === 'new' ? 11 : 12);
		const report = ledger.report();
		console.log(ledger.summary(`Synergy CRM Trigger, On ${event === 'new' ? 'New' : 'Updated'} Contact`));
		expect(report.changes).toBeGreaterThanOrEqual(1000);
		expect(report.failedPolls).toBeGreaterThanOrEqual(1);
		expect(report.restarts).toBeGreaterThanOrEqual(1);
		expect(report.missed).toEqual([]);
		expect(report.duplicates).toEqual([]);
		expect(report.unexpected).toEqual([]);
		expect(report.maxBatch).toBeLessThanOrEqual(60);
		// The remembered ids stay bounded by the overlap window.
	}, 30_000);
});
