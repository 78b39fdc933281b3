/**
 * Replay suite (issue 14): per trigger and event kind, ≥ 1 000 scripted changes against the fakes
 * while the trigger polls through n8n's PollContext — server clock −10 … +10 min from n8n's with a
 * 20-minute and a 3-minute step back, workflow zones UTC−10 / UTC / Europe/Moscow / UTC+12,
 * timestamps without a zone, same-second bursts, changes while a poll is paging, a page failing
 * half-way, 429 and 503, restarts, records updated twice between polls, Loymax's strict sort, and
 * n8n 2.x's durable poll cursors (the activation poll's state is not committed).
 * Every scenario: 0 missed, 0 duplicated, 0 first-activation replays. The table is printed.
 */
import { DateTime } from 'luxon';

import { useEnv } from '../harness/setup';
import { TriggerRunner } from '../harness/poll';
import { seededRandom } from '../../sandbox/server';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../../sandbox/synergyCrm';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../../sandbox/trackingBot';
import { LOYMAX_USER, type LoymaxFake } from '../../sandbox/loymax';
import { clockScript, MIN, replay, row, type ReplayFigures, type ReplayOptions, type ReplayTarget } from './replay';

const ZONES = { 'UTC−10': 'Etc/GMT+10', UTC: 'UTC', 'Europe/Moscow': 'Europe/Moscow', 'UTC+12': 'Etc/GMT-12' } as const;
type ZoneLabel = keyof typeof ZONES;
const ROUNDS = 70;
/** Label of the scenarios run as n8n 2.x with durable poll cursors (test/harness/poll.ts). */
const DURABLE = ' — n8n 2.x durable poll cursors';
const table: string[] = [];

const base: Omit<ReplayOptions, 'seed' | 'updateShare' | 'deleteShare'> = {
	rounds: ROUNDS,
	perRound: 16,
	burst: 150,
	offsetAt: clockScript(ROUNDS),
	history: 60,
};

function check(label: string, f: ReplayFigures): void {
	table.push(row(label, f));
	expect(f.changes).toBeGreaterThanOrEqual(1000);
	expect({ label, missed: f.samples.missed, duplicated: f.samples.duplicated, replayed: f.samples.replayed, unexpected: f.samples.unexpected }).toEqual({
		label,
		missed: [],
		duplicated: [],
		replayed: [],
		unexpected: [],
	});
	expect(f.expected).toBeGreaterThan(500);
	expect(f.failedPolls).toBeGreaterThan(0);
}

describe('Trigger replay', () => {
	const env = useEnv();
	jest.setTimeout(300_000);

	afterAll(() => {
		console.log(
			[
				'| Scenario | Changes | Polls | Expected | Emitted | Missed | Duplicated | Replayed | Transient emitted | Max requests/poll | Max static data (bytes) |',
				'|---|---|---|---|---|---|---|---|---|---|---|',
				...table,
			].join('\n'),
		);
	});

	/* ---------------------------------- Synergy CRM ---------------------------------- */
	function synergy(event: 'new' | 'updated', opts: { zone?: string; noZone?: boolean; credentialZone?: string }): { target: ReplayTarget; runner: (tz: string) => TriggerRunner } {
		const f = env.sandbox.fake<SynergyCrmFake>('synergy');
		if (opts.zone) f.serverZone = opts.zone;
		if (opts.noZone) f.zoneInTimestamps = false;
		let serial = 0;
		const target: ReplayTarget = {
			provider: 'synergy',
			listPath: /^\/api\/v1\/contacts$/,
			pageOf: (req) => Number(req.query['page[number]'] ?? 1),
			versions: () => new Map(f.all('contacts').map((c) => [c.id, event === 'new' ? c.id : `${c.id}#${String(c.attributes['first-name'])}`])),
			create: (ts) => {
				f.insert('contacts', { 'first-name': 'v1', 'last-name': `Replay ${++serial}`, 'created-at': f.serverIso(ts), 'updated-at': f.serverIso(ts) });
			},
			update:
				event === 'updated'
					? (id, ts) => {
							const rec = f.get('contacts', id)!;
							const n = Number(/^v(\d+)$/.exec(String(rec.attributes['first-name']))?.[1] ?? 0);
							rec.attributes['first-name'] = `v${n + 1}`;
							rec.attributes['updated-at'] = f.serverIso(ts);
						}
					: undefined,
			remove: (id) => void f.store.get('contacts')!.delete(id),
			keyOf: (item) => (event === 'new' ? String(item.id) : `${String(item.id)}#${String(item['first-name'])}`),
		};
		(target as unknown as { debug: (id: string) => string }).debug = (id) => JSON.stringify([f.get('contacts', id)?.attributes['created-at'], f.get('contacts', id)?.attributes['updated-at']]);
		const runner = (tz: string) =>
			new TriggerRunner(
				env.harness,
				'synergyCrmTrigger',
				{ event, resource: 'contact', options: { maxEvents: 500 } } as never,
				{
					synergyCrmApi: env.harness.credentials.add('synergyCrmApi', {
						apiToken: SYNERGY_TOKEN,
						baseUrl: env.sandbox.url('synergy'),
						...(opts.credentialZone ? { accountTimeZone: opts.credentialZone } : {}),
					}),
				},
				tz,
			);
		return { target, runner };
	}

	describe.each(['new', 'updated'] as const)('Synergy CRM Trigger, On %s', (event) => {
		it.each(Object.keys(ZONES) as ZoneLabel[])('workflow zone %s, server in Moscow (+03:00)', async (zone) => {
			const { target, runner } = synergy(event, {});
			// Workflow UTC runs as n8n 2.x with durable poll cursors (the activation poll's state is not committed).
			const durable = zone === 'UTC';
			const f = await replay(env.sandbox, () => runner(ZONES[zone]), target, { ...base, seed: 11, durable, updateShare: event === 'updated' ? 0.55 : 0, deleteShare: 0.05 }, seededRandom(11));
			check(`Synergy CRM, On ${event === 'new' ? 'New' : 'Updated'} Contact — workflow ${zone}, server Europe/Moscow${durable ? DURABLE : ''}`, f);
		});

		it('server in Asia/Yekaterinburg writing timestamps WITHOUT a zone (credential: Account Time Zone), workflow UTC−10', async () => {
			const { target, runner } = synergy(event, { zone: 'Asia/Yekaterinburg', noZone: true, credentialZone: 'Asia/Yekaterinburg' });
			const f = await replay(env.sandbox, () => runner(ZONES['UTC−10']), target, { ...base, seed: 12, updateShare: event === 'updated' ? 0.55 : 0, deleteShare: 0.05 }, seededRandom(12));
			check(`Synergy CRM, On ${event === 'new' ? 'New' : 'Updated'} Contact — server Asia/Yekaterinburg, no zone in timestamps`, f);
		});

		it('server in Asia/Yekaterinburg (+05:00, learned from its timestamps; credential left at Moscow), workflow UTC+12', async () => {
			const { target, runner } = synergy(event, { zone: 'Asia/Yekaterinburg' });
			const f = await replay(env.sandbox, () => runner(ZONES['UTC+12']), target, { ...base, seed: 13, updateShare: event === 'updated' ? 0.55 : 0, deleteShare: 0.05 }, seededRandom(13));
			check(`Synergy CRM, On ${event === 'new' ? 'New' : 'Updated'} Contact — server +05:00 learned, workflow UTC+12`, f);
		});

		it('no Date header: steps back within the overlap (±4 min) are caught by the window', async () => {
			const { target, runner } = synergy(event, {});
			const small = (r: number) => (r < 35 ? 4 * MIN : r < 55 ? 0 : -4 * MIN);
			const f = await replay(env.sandbox, () => runner('Europe/Moscow'), target, { ...base, seed: 14, offsetAt: small, dateHeader: false, updateShare: event === 'updated' ? 0.55 : 0, deleteShare: 0.05 }, seededRandom(14));
			check(`Synergy CRM, On ${event === 'new' ? 'New' : 'Updated'} Contact — no Date header, steps of 4 min`, f);
		});
	});

	/* ---------------------------------- Tracking Bot ---------------------------------- */
	const STATUSES = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'];
	describe.each(['new', 'statusChanged'] as const)('Tracking Bot Trigger, %s', (event) => {
		it.each(['UTC−10', 'UTC+12'] as ZoneLabel[])('timestamps without a zone, workflow %s', async (zone) => {
			const f = env.sandbox.fake<TrackingBotFake>('trackingbot');
			f.rateLimit = { requests: 100_000, windowMs: 1000 };
			// The server writes its local (Moscow) time without a zone.
			const naive = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Moscow' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
			let serial = 0;
			const target: ReplayTarget = {
				provider: 'trackingbot',
				listPath: new RegExp(`^/api/v1/tracking/${TB_BOT_A}$`),
				pageOf: (req) => Number(req.query.page ?? 1),
				versions: () =>
					new Map(
						f.tracking
							.filter((t) => event === 'new' || t.note !== 'v1')
							.map((t) => [String(t.id), event === 'new' ? String(t.id) : `${t.id}#${String(t.note)}`]),
					),
				live: () => f.tracking.map((t) => String(t.id)),
				create: (ts) => {
					f.addTracking(TB_BOT_A, { tracking_number: `TRK${String(++serial).padStart(6, '0')}`, current_status: 'pending', note: 'v1', created_at: naive(ts), updated_at: naive(ts) });
				},
				update:
					event === 'statusChanged'
						? (id, ts) => {
								const t = f.tracking.find((x) => String(x.id) === id)!;
								t.current_status = STATUSES[(STATUSES.indexOf(t.current_status) + 1) % STATUSES.length];
								t.note = `v${Number(/^v(\d+)$/.exec(String(t.note))?.[1] ?? 0) + 1}`;
								t.updated_at = naive(ts);
							}
						: undefined,
				remove: (id) => {
					f.tracking = f.tracking.filter((x) => String(x.id) !== id);
				},
				keyOf: (item) => (event === 'new' ? String(item.id) : `${String(item.id)}#${String(item.note)}`),
			};
			const runner = () =>
				new TriggerRunner(
					env.harness,
					'trackingBotTrigger',
					{ event, options: { maxEvents: 500 } } as never,
					{ trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }) },
					ZONES[zone],
				);
			const durable = zone === 'UTC+12';
			const figures = await replay(env.sandbox, runner, target, { ...base, seed: 21, durable, updateShare: event === 'statusChanged' ? 0.55 : 0, deleteShare: 0.03 }, seededRandom(21));
			check(`Tracking Bot, ${event === 'new' ? 'On New Tracking Number' : 'On Status Changed'} — workflow ${zone}, zoneless server times${durable ? DURABLE : ''}`, figures);
		});
	});

	/* ---------------------------------- Loymax ---------------------------------- */
	describe.each([
		['customer', ['UTC−10', 'Europe/Moscow', 'UTC+12']],
		['order', ['UTC']],
		['event', ['UTC+12']],
	] as const)('Loymax Trigger, On New %s (strict sort)', (resource, zones) => {
		it.each(zones as unknown as ZoneLabel[])('sender dates without a zone, workflow %s', async (zone) => {
			const f = env.sandbox.fake<LoymaxFake>('loymax');
			f.rateLimit = { requests: 100_000, windowMs: 1000 };
			f.strictSort = true;
			const sender = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Moscow' }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
			let serial = 0;
			const target: ReplayTarget = {
				provider: 'loymax',
				listPath: new RegExp(`^/${resource}$`),
				pageOf: (req) => Number(req.query['page[number]'] ?? 1),
				versions: () => new Map(f.stores[resource].map((r) => [String(r.id), String(r.id)])),
				create: (ts) => {
					++serial;
					const attrs: Record<string, unknown> =
						resource === 'customer'
							? { local_id: `C${serial}`, full_name: `Клиент ${serial}`, register_date: sender(ts) }
							: resource === 'order'
								? { local_id: `O${serial}`, number: `R-${serial}`, date: sender(ts), items_sum: serial }
								: { client_id: `C${serial}`, name: 'visit', date: sender(ts) };
					f.seed(resource, attrs as never);
				},
				remove: (id) => {
					f.stores[resource] = f.stores[resource].filter((r) => String(r.id) !== id);
				},
				keyOf: (item) => String(item.id),
			};
			const runner = () =>
				new TriggerRunner(
					env.harness,
					'loymaxTrigger',
					{ resource, options: { maxEvents: 500 } } as never,
					{ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) },
					ZONES[zone],
				);
			const durable = zone === 'UTC';
			const figures = await replay(env.sandbox, runner, target, { ...base, seed: 31, durable, updateShare: 0, deleteShare: 0.04 }, seededRandom(31));
			check(`Loymax, On New ${resource} — strict sort, workflow ${zone}${durable ? DURABLE : ''}`, figures);
		});
	});
});
