/**
 * Tracking Bot pacing: "60 requests per minute per API key", X-RateLimit-Limit / -Remaining /
 * -Reset on every answer, 429 beyond. The fake's limit is scaled down in time; the node must
 * finish long runs without a single 429 and at close to the allowed rate.
 */
import { useEnv } from './harness/setup';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../sandbox/trackingBot';

describe('Tracking Bot pacing', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<TrackingBotFake>('trackingbot');
	const cred = () => ({
		trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }),
	});
	const seed = (count: number) => {
		for (let i = 0; i < count; i++) fake().addTracking(TB_BOT_A, { tracking_number: `TRK${i + 1}` });
	};
	const statuses = () => env.sandbox.requests('trackingbot').map((r) => r.status);

	describe.each([
		['epoch', false],
		['delta', false],
		['epoch', true],
		['delta', true],
	] as const)('X-RateLimit-Reset as %s, windows aligned to the clock: %s', (resetForm, aligned) => {
		beforeEach(() => {
			fake().resetForm = resetForm;
			fake().alignWindows = aligned;
			env.sandbox.latencyMs = 5;
		});

		it('Return All of 1 200 records at 4 requests per second: no 429, close to the limit', async () => {
			fake().rateLimit = { requests: 4, windowMs: 1000 };
			seed(1200);
			const started = Date.now();
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
				credentials: cred(),
			});
			const elapsed = Date.now() - started;
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.id)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
			expect(statuses()).toEqual(Array(12).fill(200));
			expect(fake().rateLimited).toBe(0);
			// 12 requests, 4 per window: three windows after the first (which a clock-aligned window
			// may enter near its end); Reset in whole seconds may cost up to a second per window.
			expect(elapsed).toBeGreaterThanOrEqual(aligned ? 1000 : 1900);
			expect(elapsed).toBeLessThan(6000);
		});

		it('a 500-item batch at 100 requests per second: no 429, close to the limit', async () => {
			fake().rateLimit = { requests: 100, windowMs: 1000 };
			seed(500);
			const input = Array.from({ length: 500 }, (_, i) => ({ id: i + 1 }));
			const started = Date.now();
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'trackingNumber', operation: 'get', trackingId: '={{ $json.id }}', requestOptions: { concurrency: 10 } },
				credentials: cred(),
				input,
			});
			const elapsed = Date.now() - started;
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.id)).toEqual(input.map((i) => i.id));
			const log = statuses();
			expect(log).toHaveLength(500);
			expect(log.filter((s) => s === 429)).toEqual([]);
			expect(fake().rateLimited).toBe(0);
			// 500 requests at 100 per window: at least 4 windows after the first. A window that opens
			// with its first request and a Reset in whole epoch seconds lose up to a second per window
			// (of a 1 s window here; of 60 s in real life); otherwise the rate is close to the limit.
			expect(elapsed).toBeGreaterThanOrEqual(aligned ? 3000 : 3900);
			expect(elapsed).toBeLessThan(resetForm === 'epoch' && !aligned ? 11000 : 7000);
		});
	});

	it('Return All of 6 100 records at the documented 60 requests per window (scaled to 2 s): no 429', async () => {
		fake().rateLimit = { requests: 60, windowMs: 2000 };
		seed(6100);
		const started = Date.now();
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
			credentials: cred(),
		});
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(6100);
		expect(statuses()).toEqual(Array(61).fill(200));
		// The 61st request waits for the second window.
		expect(elapsed).toBeGreaterThanOrEqual(1900);
		expect(elapsed).toBeLessThan(6000);
	});

	it('a 429 anyway (another client used the key\'s budget) → waits for the reset, then succeeds', async () => {
		fake().rateLimit = { requests: 5, windowMs: 1500 };
		fake().resetForm = 'delta';
		seed(1);
		// Someone else spends the whole window of the same key.
		for (let i = 0; i < 5; i++) {
			const res = await fetch(`${env.sandbox.url('trackingbot')}/api/v1/bots/${TB_BOT_A}`, { headers: { 'X-API-Key': TB_KEY_A } });
			expect(res.status).toBe(200);
		}
		env.sandbox.clearLog();
		const started = Date.now();
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { resource: 'trackingNumber', operation: 'get', trackingId: '1' },
			credentials: cred(),
		});
		const elapsed = Date.now() - started;
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.tracking_number).toBe('TRK1');
		expect(statuses()).toEqual([429, 200]);
		const [refused, accepted] = env.sandbox.requests('trackingbot');
		expect(accepted.at - refused.at).toBeGreaterThanOrEqual(900);
		expect(elapsed).toBeLessThan(4000);
	});

	it('a 429 asking for longer than Max Retry Wait → clear error', async () => {
		fake().rateLimit = { requests: 1, windowMs: 30_000 };
		fake().resetForm = 'delta';
		await fetch(`${env.sandbox.url('trackingbot')}/api/v1/bots/${TB_BOT_A}`, { headers: { 'X-API-Key': TB_KEY_A } });
		env.sandbox.clearLog();
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { resource: 'bot', operation: 'get', requestOptions: { maxRetryWait: 2 } },
			credentials: cred(),
		});
		expect(result.error?.message).toBe('Tracking Bot returned 429: Rate limit exceeded');
		expect(result.error?.description).toContain('asked to wait 30 s');
		expect(statuses()).toEqual([429]);
	});
});

describe('Limiter (nodes/shared/pacing.ts) against the server\'s X-RateLimit-* budget', () => {
	// The module the tests compile (the nodes in the harness use dist/, the same code).
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Limiter } = require('../nodes/shared/pacing') as typeof import('../nodes/shared/pacing');
	/** A slot's time from acquireBy without a deadline (which always gives one). */
	const slotOf = async (limiter: InstanceType<typeof Limiter>, count = 1): Promise<number> => {
		const got = await limiter.acquireBy(count);
		if (!('at' in got)) throw new Error(`no slot without a deadline: ${JSON.stringify(got)}`);
		return got.at;
	};
	const headers = (limit: number, remaining: number, resetSeconds: number) => ({
		'x-ratelimit-limit': String(limit),
		'x-ratelimit-remaining': String(remaining),
		'x-ratelimit-reset': String(resetSeconds),
	});

	it('counts requests on their way: the first answer cannot give back slots already taken', async () => {
		const limiter = new Limiter({ requests: 60, windowMs: 60_000 });
		const slots = [await slotOf(limiter), await slotOf(limiter), await slotOf(limiter)];
		// The server answered the first one before it saw the two others.
		limiter.observe(headers(3, 2, 0.4), slots[0]);
		const started = Date.now();
		await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(350);
	});

	it('at a reset one request goes first; its answer sets the new window\'s budget', async () => {
		const limiter = new Limiter({ requests: 60, windowMs: 60_000 });
		const first = await slotOf(limiter);
		limiter.observe(headers(5, 0, 0.2), first);
		const probeAt = await slotOf(limiter);
		let followed = false;
		const next = slotOf(limiter).then(() => (followed = true));
		await new Promise((r) => setTimeout(r, 120));
		expect(followed).toBe(false); // waits for the probe's answer
		// The new window already counted 3 (requests on their way when it opened) and the probe.
		limiter.observe(headers(5, 1, 0.3), probeAt);
		await next;
		const started = Date.now();
		await slotOf(limiter); // the window is spent: waits for its reset
		expect(Date.now() - started).toBeGreaterThanOrEqual(200);
	});

	it('ignores answers to requests sent before the current window opened', async () => {
		const limiter = new Limiter({ requests: 60, windowMs: 60_000 });
		const old = await slotOf(limiter);
		limiter.observe(headers(10, 9, 0.1), old);
		await new Promise((r) => setTimeout(r, 150));
		const probe = await slotOf(limiter);
		limiter.observe(headers(10, 9, 5), probe);
		// A late answer from the old window (0 left, "reset in 1 s") must not stop the new one.
		limiter.observe(headers(10, 0, 1), old);
		const started = Date.now();
		for (let i = 0; i < 9; i++) await slotOf(limiter);
		expect(Date.now() - started).toBeLessThan(100);
	});

	it('when the first answer of a new window has no headers, the documented budget applies again', async () => {
		const limiter = new Limiter({ requests: 3, windowMs: 300 });
		const first = await slotOf(limiter);
		limiter.observe(headers(100, 0, 0.1), first);
		const probe = await slotOf(limiter);
		limiter.observe({}, probe);
		const started = Date.now();
		for (let i = 0; i < 3; i++) await slotOf(limiter);
		// 3 per 300 ms again: the third waits for the first request's window (sent ~100 ms earlier).
		expect(Date.now() - started).toBeGreaterThanOrEqual(150);
	});
});
