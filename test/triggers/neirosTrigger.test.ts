/**
 * Neiros Trigger through n8n's PollContext against the Neiros fake (login through the credential's
 * preAuthentication): the requests, the baseline first poll, Fetch Test Event, and simulated
 * histories of > 1 000 changes (late deals, a backlog, a poll failing half-way, restarts) with
 * 0 missed and 0 duplicate events.
 */
import { DateTime } from 'luxon';

import { useEnv } from '../harness/setup';
import { TriggerRunner } from '../harness/poll';
import type { NeirosDeal, NeirosFake } from '../../sandbox/neiros';
import { seededRandom } from '../../sandbox/server';
import { Ledger } from './ledger';

const SITE = 53;
const ZONE = 'Europe/Moscow';
const day = (offset: number) => DateTime.now().setZone(ZONE).startOf('day').plus({ days: offset }).toFormat('yyyy-MM-dd');

describe('Neiros Trigger', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<NeirosFake>('neiros');
	const cred = () => ({
		neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }),
	});
	const site = { __rl: true, mode: 'list', value: String(SITE) };
	const runner = (parameters: Record<string, unknown>) => new TriggerRunner(env.harness, 'neirosTrigger', { siteId: site, ...parameters } as never, cred(), ZONE);
	let nextId = 1000;
	const deal = (date: string, extra: Partial<NeirosDeal> = {}): NeirosDeal => {
		const id = nextId++;
		const d: NeirosDeal = {
			id,
			site_id: SITE,
			date,
			neiros_visit: `visit-${id}`,
			neiros_id: String(4600000 + id),
			created_at: `${date}T10:00:00.000000Z`,
			phone: `7999${String(id).padStart(7, '0')}`,
			duration: 30,
			record: `https://audio.neiros.ru/${id}.mp3`,
			canal: 'Google',
			traffic: 'google',
			summ: 0,
			status: 'Неразобранное',
			...extra,
		};
		fake().deals.push(d);
		return d;
	};
	const detail = (d: NeirosDeal) => {
		const { date, site_id, ...rest } = d;
		return { ...rest, site_id, date };
	};

	it('lists the site from the first day of the window, then emits new deals with their details', async () => {
		const old = deal(day(-1));
		const r = runner({ event: 'newDeal' });
		env.sandbox.clearLog();
		const first = await r.poll();
		expect(first.error).toBeUndefined();
		expect(first.empty).toBe(true);
		const calls = env.sandbox.requests('neiros', 'GET');
		expect(calls.map((c) => [c.path, c.query])).toEqual([['/api/userapi/v1/projects', { site_id: String(SITE), date_start: day(-2), page: '1' }]]);
		expect(calls[0].headers.authorization).toMatch(/^Bearer \d+\|/);
		// The scope stored states are filed under (another one would start afresh with a baseline).
		expect(r.state().cursorState).toMatchObject({ v: 2, scope: `newDeal:${SITE}` });
		const fresh = deal(day(0), { summ: 1500, status: 'В работе' });
		env.sandbox.clearLog();
		const second = await r.poll();
		expect(second.items).toEqual([detail(fresh)]);
		expect(env.sandbox.requests('neiros', 'GET', `/api/userapi/v1/project/${fresh.id}`)[0].query).toEqual({ site_id: String(SITE) });
		expect(second.items.map((i) => i.id)).not.toContain(old.id);
		expect((await r.poll()).empty).toBe(true);
	});

	it('On Deal Changed: status or amount of a recent deal, with what changed', async () => {
		const a = deal(day(0));
		const b = deal(day(0));
		const r = runner({ event: 'dealChanged' });
		expect((await r.poll()).empty).toBe(true);
		a.summ = 2500;
		b.status = 'Успешно реализовано';
		const res = await r.poll();
		expect(res.items).toEqual([
			{ ...detail(a), changed_fields: ['summ'], previous_summ: 0 },
			{ ...detail(b), changed_fields: ['status'] },
		]);
		expect((await r.poll()).empty).toBe(true);
		// The fingerprints are compact: no status text in the static data.
		expect(r.saved()).not.toContain('Успешно');
	});

	it('Fetch Test Event returns the newest deal and stores nothing', async () => {
		deal(day(-3));
		const newest = deal(day(-1));
		const r = runner({ event: 'newDeal' });
		const res = await r.poll('manual');
		expect(res.items).toEqual([detail(newest)]);
		expect(r.state()?.cursorState).toBeUndefined();
	});

	async function simulate(event: 'newDeal' | 'dealChanged', seed: number): Promise<Ledger> {
		const random = seededRandom(seed);
		const ledger = new Ledger();
		const history: NeirosDeal[] = [];
		for (let i = 0; i < 30; i++) history.push(deal(day(i % 2 ? -1 : 0)));
		const r = runner({ event, options: { maxEvents: 40, overlapMinutes: 1440 } });
		expect((await r.poll()).empty).toBe(true);
		const deals: NeirosDeal[] = [...history];
		let counter = 0;
		const key = (deal: object) => {
			const d = deal as Record<string, unknown>;
			return event === 'newDeal' ? String(d.id) : `${String(d.id)}:${String(d.status)}:${String(d.summ)}`;
		};
		// Deals the trigger has a baseline for (present at a successful poll, in its window).
		let known = new Set(history.map((d) => d.id));
		const seenVersions = new Set<string>();
		const seenWithoutBacklog = new Set<string>();
		for (let round = 1; round <= 30; round++) {
			const today = day(round);
			const touched = new Set<number>();
			const creations = event === 'newDeal' ? (round === 8 ? 150 : 25 + Math.floor(random() * 20)) : 25;
			for (let i = 0; i < creations; i++) {
				// Some deals show up a day late (dated yesterday).
				deals.push(deal(random() < 0.3 ? day(round - 1) : today));
				ledger.changes++;
			}
			if (event === 'dealChanged') {
				const pool = deals.filter((d) => known.has(d.id) && d.date >= day(round - 2));
				const changes = round === 8 ? 120 : 36 + Math.floor(random() * 10);
				for (let i = 0; i < changes && pool.length; i++) {
					const d = pool.splice(Math.floor(random() * pool.length), 1)[0];
					if (touched.has(d.id)) continue;
					touched.add(d.id);
					counter++;
					if (random() < 0.5) d.status = `Этап ${counter}`;
					else d.summ = counter * 100;
					ledger.changes++;
				}
			}
			if (round === 9) env.sandbox.inject({ provider: 'neiros', method: 'GET', skip: 2, times: 1, status: 403, body: { message: 'injected half-way' } });
			if (round % 6 === 2) r.restart();
			const before = deals.map((d) => ({ id: d.id, date: d.date, key: key(d) }));
			const res = await r.poll();
			ledger.polls++;
			env.sandbox.clearFaults();
			if (res.error) {
				ledger.failedPolls++;
				continue;
			}
			const backlogged = res.items.length >= 40;
			const nextKnown = new Set<number>();
			for (const v of before) {
				if (v.date >= day(round - 2)) nextKnown.add(v.id);
				if (!known.has(v.id)) continue;
				seenVersions.add(v.key);
				if (!backlogged) seenWithoutBacklog.add(v.key);
			}
			known = nextKnown;
			ledger.emit(res.items.map(key));
		}
		for (let i = 0; i < 10; i++) {
			const res = await r.poll();
			ledger.polls++;
			if (res.empty) break;
			ledger.emit(res.items.map(key));
		}
		if (event === 'newDeal') {
			for (const d of deals) if (!history.includes(d)) ledger.expect(String(d.id));
		} else {
			// A version is a change when it differs from the baseline the trigger took (the first one seen).
			const baselines = new Set(history.map((d) => `${d.id}:Неразобранное:0`));
			for (const d of deals) if (known.has(d.id)) seenVersions.add(key(d));
			for (const v of seenVersions) if (!v.endsWith(':Неразобранное:0') && !baselines.has(v)) ledger.expect(v);
			const emitted = new Set(ledger.emitted);
			const emittedIds = new Set(ledger.emitted.map((k) => k.split(':')[0]));
			for (const v of [...ledger.expected]) {
				if (emitted.has(v) || seenWithoutBacklog.has(v)) continue;
				if (emittedIds.has(v.split(':')[0])) {
					ledger.expected.delete(v);
					ledger.coalesced++;
				}
			}
		}
		ledger.restarts = r.restarts;
		return ledger;
	}

	it.each(['newDeal', 'dealChanged'] as const)('%s: > 1 000 changes between polls, 0 missed, 0 duplicates', async (event) => {
		const ledger = await simulate(event, event === 'newDeal' ? 31 : 32);
		const report = ledger.report();
		console.log(ledger.summary(`Neiros Trigger, ${event === 'newDeal' ? 'On New Deal' : 'On Deal Changed'}`));
		expect(report.changes).toBeGreaterThanOrEqual(1000);
		expect(report.failedPolls).toBeGreaterThanOrEqual(1);
		expect(report.restarts).toBeGreaterThanOrEqual(1);
		expect(report.missed).toEqual([]);
		expect(report.duplicates).toEqual([]);
		expect(report.unexpected).toEqual([]);
		expect(report.maxBatch).toBe(40);
	}, 90_000);
});
