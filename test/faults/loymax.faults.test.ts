/**
 * Loymax: the common fault scenarios, plus its own limits — the documented "on 429 pause for one
 * minute" (no Retry-After; scaled down through Options → Pause After 429) against the fake's real
 * request limit, and tokens that expire on their own (the documented 1 hour, here a fraction of a
 * second) in the middle of a batch and of a Return All.
 */
import type { LoymaxFake } from '../../sandbox/loymax';
import { checkBatch, checkReturnAll, figuresOf, runReturnAll, runWriteBatch } from './drivers';
import { loymax } from './profiles';
import { defineFaultSuite, scanSecrets } from './suite';

defineFaultSuite(loymax, (env) => {
	const fake = () => env.sandbox.fake<LoymaxFake>('loymax');

	it("the fake's own request limit: each 429 (no Retry-After) is followed by the Pause After 429, every item written", async () => {
		// 1000 requests a minute documented; here 40 per 500 ms, so a batch of 200 meets it several times.
		fake().rateLimit = { requests: 40, windowMs: 500 };
		const outcome = await runWriteBatch(env, loymax, 200, { requestOptions: { maxRetryWait: 20, pauseAfter429: 0.3, concurrency: 10 } });
		const refused = env.sandbox.requests('loymax').filter((r) => r.status === 429);
		expect(refused.length).toBeGreaterThanOrEqual(1);
		figuresOf('Loymax').faultsInjected += refused.length;
		// A refused write is sent again only after the Pause After 429 (0.3 s; the fake's clock is the
		// arrival of each request, so 50 ms of slack).
		const early: string[] = [];
		for (const trail of outcome.trail.values()) {
			trail.forEach((r, k) => {
				if (r.status === 429 && trail[k + 1] && trail[k + 1].at - r.at < 250) early.push(`${String(loymax.write!.keyOfRequest(r))}: ${trail[k + 1].at - r.at} ms`);
			});
		}
		expect(early).toEqual([]);
		expect([...outcome.trail.values()].some((t) => t.some((r) => r.status === 429))).toBe(true);
		expect(outcome.failed.map((i) => outcome.outputs[i][0].json.error)).toEqual([]);
		checkBatch(loymax, outcome, env);
		scanSecrets(env, loymax, outcome.result);
	});

	it('tokens living 300 ms expire during a batch of 200: logs in again, every item written, nothing lost', async () => {
		fake().tokenLifetimeMs = 300;
		const logins = env.harness.credentials.logins.length;
		const outcome = await runWriteBatch(env, loymax, 200, { requestOptions: { concurrency: 2 } });
		const expired = env.sandbox.requests('loymax').filter((r) => r.status === 401).length;
		expect(expired).toBeGreaterThanOrEqual(2);
		figuresOf('Loymax').faultsInjected += expired;
		expect(env.harness.credentials.logins.length - logins).toBeGreaterThanOrEqual(2);
		expect(outcome.failed.map((i) => outcome.outputs[i][0].json.error)).toEqual([]);
		checkBatch(loymax, outcome, env);
		scanSecrets(env, loymax, outcome.result);
	});

	it('tokens living 150 ms expire during a Return All of 12 pages: no gap, no duplicate', async () => {
		fake().tokenLifetimeMs = 150;
		// Slow pages (80 ms each) so the token runs out between them.
		env.sandbox.inject({ provider: 'loymax', method: 'GET', path: /^\/customer$/, delayMs: 80, label: 'slow page' });
		const outcome = await runReturnAll(env, loymax, 12, { concurrency: 1 });
		expect(env.sandbox.requests('loymax').filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(2);
		checkReturnAll(loymax, outcome, true);
		scanSecrets(env, loymax, outcome.result);
	});
});
