/**
 * The limiter of one n8n process (nodes/shared/pacing.ts) as queue mode needs it (issue 17.2):
 * the credential's Requests per Minute is the budget of one process, a 429 is waited out with a
 * jitter so processes refused together do not resume together, and a server budget that shrinks
 * faster than this process spends it (another process on the same account) is spread over the
 * rest of its window.
 */
import { Limiter, budgetOf, limiterFor, resetLimiters, REQUESTS_PER_MINUTE } from '../../nodes/shared/pacing';

/** A slot's time from acquireBy without a deadline (which always gives one). */
async function slotOf(limiter: Limiter, count = 1): Promise<number> {
	const got = await limiter.acquireBy(count);
	if (!('at' in got)) throw new Error(`no slot without a deadline: ${JSON.stringify(got)}`);
	return got.at;
}

const TB = { requests: 60, windowMs: 60_000 };
const LOYMAX = { requests: 1000, windowMs: 60_000, pauseAfter429Ms: 60_000 };
const headers = (limit: number, remaining: number, resetSeconds: number) => ({
	'x-ratelimit-limit': String(limit),
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset': String(resetSeconds),
});

describe('Requests per Minute (budgetOf / limiterFor)', () => {
	afterEach(() => resetLimiters());

	it('the documented limit is the default: no value, an empty, zero, negative or non-numeric value', () => {
		for (const data of [undefined, {}, { [REQUESTS_PER_MINUTE]: '' }, { [REQUESTS_PER_MINUTE]: 0 }, { [REQUESTS_PER_MINUTE]: -5 }, { [REQUESTS_PER_MINUTE]: 'many' }]) {
			expect(budgetOf(TB, data)).toBe(TB);
			expect(budgetOf(LOYMAX, data)).toBe(LOYMAX);
		}
	});

	it('a set value replaces the documented count and keeps the window and the documented pause', () => {
		expect(budgetOf(TB, { [REQUESTS_PER_MINUTE]: 20 })).toEqual({ requests: 20, windowMs: 60_000 });
		expect(budgetOf(LOYMAX, { [REQUESTS_PER_MINUTE]: 333 })).toEqual({ requests: 333, windowMs: 60_000, pauseAfter429Ms: 60_000 });
		expect(budgetOf(LOYMAX, { [REQUESTS_PER_MINUTE]: '250' })).toEqual({ requests: 250, windowMs: 60_000, pauseAfter429Ms: 60_000 });
		// A fraction of a request per window is still one request.
		expect(budgetOf({ requests: 10, windowMs: 1000 }, { [REQUESTS_PER_MINUTE]: 30 })).toEqual({ requests: 1, windowMs: 1000 });
		// A provider without a documented limit gets the per-minute budget as set.
		expect(budgetOf(undefined, { [REQUESTS_PER_MINUTE]: 90 })).toEqual({ requests: 90, windowMs: 60_000 });
	});

	it('one limiter per account key; a changed value applies to the same limiter', () => {
		const a = limiterFor('trackingBotApi:id:1', TB, { [REQUESTS_PER_MINUTE]: 30 });
		expect(a.budget).toEqual({ requests: 30, windowMs: 60_000 });
		expect(limiterFor('trackingBotApi:id:1', TB, { [REQUESTS_PER_MINUTE]: 30 })).toBe(a);
		const b = limiterFor('trackingBotApi:id:1', TB, { [REQUESTS_PER_MINUTE]: 45 });
		expect(b).toBe(a);
		expect(a.budget).toEqual({ requests: 45, windowMs: 60_000 });
		expect(limiterFor('trackingBotApi:id:1', TB, {}).budget).toBe(TB);
		expect(limiterFor('trackingBotApi:id:2', TB, { [REQUESTS_PER_MINUTE]: 30 })).not.toBe(a);
	});

	it('the budget binds: with 3 per window the fourth request waits for the first to leave the window', async () => {
		const limiter = new Limiter(budgetOf({ requests: 100, windowMs: 600 }, { [REQUESTS_PER_MINUTE]: 300 }));
		expect(limiter.budget).toEqual({ requests: 3, windowMs: 600 });
		const started = Date.now();
		for (let i = 0; i < 3; i++) await slotOf(limiter);
		expect(Date.now() - started).toBeLessThan(100);
		await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(590);
	});
});

describe('Recovery after a 429 is jittered', () => {
	it('resumes between the named time and a fifth of the wait later (100 ms at least, 10 s at most)', () => {
		const now = 1_000_000;
		expect(new Limiter(undefined, () => 0).block(now + 5000, now)).toBe(now + 5000);
		expect(new Limiter(undefined, () => 0.5).block(now + 5000, now)).toBe(now + 5500);
		expect(new Limiter(undefined, () => 0.999).block(now + 5000, now)).toBe(now + 5999);
		// Short waits still spread over 100 ms; the documented Loymax minute over at most 10 s.
		expect(new Limiter(undefined, () => 0.999).block(now + 50, now)).toBe(now + 50 + 100);
		expect(new Limiter(undefined, () => 0.999).block(now + 60_000, now)).toBe(now + 60_000 + 9990);
	});

	it('blockedFor and acquireBy include the jitter; a later, shorter 429 does not shorten the block', async () => {
		const limiter = new Limiter(undefined, () => 0.999);
		const now = Date.now();
		const resume = limiter.block(now + 500, now);
		expect(resume).toBe(now + 500 + 100);
		expect(limiter.blockedFor(now)).toBe(600);
		expect(limiter.block(now + 100, now)).toBe(resume);
		const started = Date.now();
		await slotOf(limiter);
		expect(Date.now()).toBeGreaterThanOrEqual(resume);
		expect(Date.now() - started).toBeLessThan(800);
	});

	it('processes refused by the same 429 resume at different times', () => {
		const now = 2_000_000;
		const resumes = [0.05, 0.35, 0.65, 0.95].map((r) => new Limiter(TB, () => r).block(now + 10_000, now));
		expect(new Set(resumes).size).toBe(4);
		expect(Math.min(...resumes)).toBeGreaterThanOrEqual(now + 10_000);
		expect(Math.max(...resumes) - Math.min(...resumes)).toBeGreaterThanOrEqual(1500);
	});
});

describe('A server budget shared with another process', () => {
	it('alone: the answers never show fewer remaining than this process left itself → sends at once', async () => {
		const limiter = new Limiter(TB);
		const first = await slotOf(limiter);
		limiter.observe(headers(10, 9, 2), first);
		let remaining = 9;
		const started = Date.now();
		for (let i = 0; i < 9; i++) {
			const slot = await slotOf(limiter);
			limiter.observe(headers(10, --remaining, 2), slot);
		}
		expect(Date.now() - started).toBeLessThan(100);
		expect(limiter.sharing()).toBe(false);
	});

	it('an answer showing fewer remaining than this process left → the rest of the window is spread until its reset', async () => {
		const limiter = new Limiter(TB);
		const first = await slotOf(limiter);
		limiter.observe(headers(20, 19, 1), first); // a window of 1 s, 19 left
		const second = await slotOf(limiter);
		// Another process sent 9 meanwhile: 18 expected, 9 reported.
		limiter.observe(headers(20, 9, 1), second);
		expect(limiter.sharing()).toBe(true);
		const times: number[] = [];
		const started = Date.now();
		for (let i = 0; i < 4; i++) {
			await slotOf(limiter);
			times.push(Date.now() - started);
		}
		// 9 left over ≈ 1 s: about 110 ms apart instead of at once.
		for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(80);
		expect(times[3]).toBeLessThan(700);
	});

	it('a 429 while the server budget is known also spreads the next window', () => {
		const limiter = new Limiter(TB, () => 0);
		const now = Date.now();
		limiter.observe(headers(20, 5, 1), now);
		expect(limiter.sharing(now)).toBe(false);
		limiter.block(now + 1000, now);
		expect(limiter.sharing(now + 1500)).toBe(true);
	});

	it('two processes on one budget of 40 per 800 ms window: together they keep to it', async () => {
		// A fixed-window server counting both processes, answering after 5 ms like the sandbox.
		const limit = 40;
		const windowMs = 800;
		let windowStart = Date.now();
		let count = 0;
		let accepted = 0;
		let refused = 0;
		const serve = async () => {
			await new Promise((r) => setTimeout(r, 5));
			const now = Date.now();
			if (now >= windowStart + windowMs) {
				windowStart = now;
				count = 0;
			}
			const reset = String(Math.ceil((windowStart + windowMs - now) / 100) / 10);
			if (count >= limit) {
				refused++;
				return { status: 429, headers: { ...headers(limit, 0, 0), 'x-ratelimit-reset': reset } };
			}
			count++;
			accepted++;
			return { status: 200, headers: { ...headers(limit, limit - count, 0), 'x-ratelimit-reset': reset } };
		};
		const processes = [new Limiter(TB), new Limiter(TB)];
		const worker = async (limiter: Limiter, requests: number) => {
			let done = 0;
			const lanes = Array.from({ length: 5 }, async () => {
				while (done < requests) {
					done++;
					for (;;) {
						const slot = await slotOf(limiter);
						const answer = await serve();
						limiter.observe(answer.headers, slot);
						if (answer.status !== 429) break;
						limiter.block(Date.now() + Number(answer.headers['x-ratelimit-reset']) * 1000);
					}
				}
			});
			await Promise.all(lanes);
		};
		const started = Date.now();
		await Promise.all(processes.map(async (p) => await worker(p, 100)));
		const elapsed = Date.now() - started;
		expect(accepted).toBe(200);
		expect(processes.every((p) => p.sharing())).toBe(true);
		// 200 requests at 40 per 800 ms need 5 windows (the last opens at 3.2 s); without spreading the
		// two processes spend each window's rest at once and ≈ 23 requests are refused (measured).
		expect(elapsed).toBeGreaterThanOrEqual(3200);
		expect(elapsed).toBeLessThan(5200);
		expect(refused).toBeLessThan(12);
	}, 30_000);
});
