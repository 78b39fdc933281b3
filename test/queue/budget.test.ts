/**
 * Issue 17.2 through the harness (real n8n execution, nodes from dist/) against the sandbox:
 * the credential's Requests per Minute reaches the account's limiter, a write refused with 429 is
 * retried and processed exactly once, and a write that may have been processed is never repeated.
 */
import { useEnv } from '../harness/setup';
import { fromDist } from '../harness/n8n';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../../sandbox/trackingBot';
import { LOYMAX_USER, type LoymaxFake } from '../../sandbox/loymax';
import type { RecordedRequest } from '../../sandbox';

describe('queue mode: the budget of one process and writes under 429', () => {
	const env = useEnv();
	let credentialCount = 0;
	const tbCred = (data: Record<string, unknown> = {}) => ({
		trackingBotApi: env.harness.credentials.add(
			'trackingBotApi',
			{ apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A, ...data },
			`tb-budget-${++credentialCount}`,
		),
	});
	const loymaxCred = (data: Record<string, unknown> = {}) => ({
		loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax'), ...data }, `loymax-budget-${++credentialCount}`),
	});
	const tbPosts = () => env.sandbox.requests('trackingbot', 'POST');
	const processedKeys = (records: RecordedRequest[], key: string) =>
		records.filter((r) => r.processed).map((r) => String((r.body as Record<string, unknown>)[key]));

	describe('Requests per Minute reaches the limiter', () => {
		const getMany = async (credentials: ReturnType<typeof tbCred>) => {
			for (let i = 1; i <= 8; i++) env.sandbox.fake<TrackingBotFake>('trackingbot').addTracking(TB_BOT_A, { tracking_number: `B${i}` });
			env.sandbox.latencyMs = 300;
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'trackingNumber', operation: 'get', trackingId: '={{ $json.id }}', requestOptions: { concurrency: 8 } },
				credentials,
				input: Array.from({ length: 8 }, (_, i) => ({ id: i + 1 })),
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8']);
			const at = env.sandbox.requests('trackingbot', 'GET').map((r) => r.at);
			expect(at).toHaveLength(8);
			return at.map((t) => t - at[0]);
		};

		it('default (the documented 60): eight requests go out together', async () => {
			const offsets = await getMany(tbCred());
			expect(Math.max(...offsets)).toBeLessThan(250);
		});

		it('2 per minute: two go out, the rest wait for the server to tell its budget (first answer)', async () => {
			const offsets = await getMany(tbCred({ requestsPerMinute: 2 }));
			expect(offsets.filter((t) => t < 150)).toHaveLength(2);
			expect(offsets.slice(2).every((t) => t >= 250)).toBe(true);
		});
	});

	describe('Tracking Bot: Create under 429', () => {
		const create = async (count: number, extra: Record<string, unknown> = {}) =>
			await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: '={{ $json.tn }}', requestOptions: { concurrency: 4, maxRetryWait: 20 } },
				credentials: tbCred(),
				input: Array.from({ length: count }, (_, i) => ({ tn: `Q${String(i + 1).padStart(3, '0')}` })),
				...extra,
			});
		const numbers = (count: number) => Array.from({ length: count }, (_, i) => `Q${String(i + 1).padStart(3, '0')}`);

		it('a Create refused with 429 (not processed) is sent again and processed once', async () => {
			env.sandbox.inject({ provider: 'trackingbot', method: 'POST', times: 2, status: 429, headers: { 'Retry-After': '0' }, body: { detail: 'Rate limit exceeded' } });
			const result = await create(1);
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['Q001']);
			expect(tbPosts().map((r) => `${r.status} ${r.processed}`)).toEqual(['429 false', '429 false', '201 true']);
		});

		it('24 Creates with a 429 on 40 % of the requests: each processed exactly once, in order', async () => {
			// A 429 while the server's headers told of budget left means another process spends it: the
			// limiter then spreads the rest of the window (2 s here) over the time left.
			env.sandbox.fake<TrackingBotFake>('trackingbot').rateLimit = { requests: 60, windowMs: 2000 };
			env.sandbox.seed(17);
			env.sandbox.inject({ provider: 'trackingbot', method: 'POST', probability: 0.4, status: 429, headers: { 'Retry-After': '0' }, body: { detail: 'Rate limit exceeded' } });
			const result = await create(24);
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(numbers(24));
			const refused = tbPosts().filter((r) => r.status === 429);
			expect(refused.length).toBeGreaterThan(3);
			expect(refused.every((r) => !r.processed)).toBe(true);
			expect(processedKeys(tbPosts(), 'tracking_number').sort()).toEqual(numbers(24));
		});

		it('a Create whose answer is lost after processing is not repeated (Continue On Fail: paired error)', async () => {
			env.sandbox.inject({ provider: 'trackingbot', method: 'POST', skip: 2, times: 1, status: 502, afterProcessing: true, body: 'Bad Gateway' });
			const result = await create(5, { continueOnFail: true });
			expect(result.items).toHaveLength(5);
			const failed = result.items.filter((i) => i.json.error !== undefined);
			expect(failed).toHaveLength(1);
			expect(String(failed[0].json.error)).toMatch(/502/);
			expect(result.items.filter((i) => i.json.error === undefined).map((i) => i.json.tracking_number)).toHaveLength(4);
			// Five writes, five requests: the one with the lost answer was processed and not sent again.
			expect(tbPosts()).toHaveLength(5);
			expect(processedKeys(tbPosts(), 'tracking_number').sort()).toEqual(numbers(5));
		});
	});

	describe('Loymax: a login counts against the account\'s budget', () => {
		const sentInWindow = (credentialId: string) => {
			const { limiterFor } = fromDist<{ limiterFor(key: string, spec: unknown): unknown }>('nodes/shared/pacing');
			const limiter = limiterFor(`loymaxApi:id:${credentialId}`, undefined) as unknown as { starts: number[] };
			return limiter.starts.length;
		};

		it('first use: 5 parallel items log in once, and the limiter counts that login (1 + 5 slots, 6 requests)', async () => {
			const credentials = loymaxCred();
			const input = Array.from({ length: 5 }, (_, i) => ({ n: i + 1 }));
			const result = await env.harness.runNode({
				node: 'loymax',
				parameters: { resource: 'event', operation: 'create', name: '={{ "login_" + $json.n }}', date: '2024-05-03T08:00:00', requestOptions: { concurrency: 5 } },
				credentials,
				input,
			});
			expect(result.error).toBeUndefined();
			expect(env.sandbox.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'POST /token 200',
				...input.map(() => 'POST /event 201'),
			]);
			expect(sentInWindow(credentials.loymaxApi.id as string)).toBe(6);
		});

		it('a refused token: the re-login after the 401 gets a slot too', async () => {
			const credentials = loymaxCred();
			const run = async (n: number) =>
				await env.harness.runNode({
					node: 'loymax',
					parameters: { resource: 'event', operation: 'create', name: `relogin_${n}`, date: '2024-05-03T08:00:00' },
					credentials,
				});
			expect((await run(1)).error).toBeUndefined();
			env.sandbox.fake<LoymaxFake>('loymax').expireAllTokens();
			env.sandbox.clearLog();
			expect((await run(2)).error).toBeUndefined();
			// The 401 comes back as a status, the request is repeated in n8n's throwing mode (401 again),
			// then n8n logs in and repeats it inside its helper.
			expect(env.sandbox.log.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /event 401', 'POST /event 401', 'POST /token 200', 'POST /event 201']);
			// Every request counted: first run login + event (2); second run 4.
			expect(sentInWindow(credentials.loymaxApi.id as string)).toBe(6);
		});
	});

	describe('Loymax: Create Event under 429 (no Retry-After, as documented)', () => {
		it('12 events at 5 requests per second: refused ones are sent again, each event stored once', async () => {
			const fake = env.sandbox.fake<LoymaxFake>('loymax');
			fake.rateLimit = { requests: 5, windowMs: 1000 };
			const input = Array.from({ length: 12 }, (_, i) => ({ n: i + 1 }));
			const result = await env.harness.runNode({
				node: 'loymax',
				parameters: {
					resource: 'event',
					operation: 'create',
					name: '={{ "load_" + $json.n }}',
					date: '2024-05-03T08:00:00',
					requestOptions: { pauseAfter429: 0.3, concurrency: 4, maxRetryWait: 30 },
				},
				credentials: loymaxCred(),
				input,
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.name)).toEqual(input.map((i) => `load_${i.n}`));
			const posts = env.sandbox.requests('loymax', 'POST', '/event');
			expect(posts.filter((r) => r.status === 429).length).toBeGreaterThan(0);
			expect(processedKeys(posts, 'name').sort()).toEqual(input.map((i) => `load_${i.n}`).sort());
			expect(fake.stores.event.map((e) => e.attrs.name).sort()).toEqual(input.map((i) => `load_${i.n}`).sort());
		});
	});
});
