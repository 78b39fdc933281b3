/**
 * The fault scenarios every provider goes through (a batch of 200 writes, a Return All of ≥ 10
 * pages), with faults at seeded random points. One call per provider test file.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FaultRule } from '../../sandbox/server';
import { seededRandom } from '../../sandbox/server';
import type { RunResult } from '../harness/n8n';
import {
	checkBatch,
	checkReturnAll,
	expireTokensAt,
	figuresOf,
	reportFigures,
	runReturnAll,
	runWriteBatch,
	seededPositions,
	type ProviderProfile,
} from './drivers';
import { safeStringify, useFaultEnv, type FaultEnv } from './env';

const BATCH = 200;
const PAGES = 12;

/** Every credential value and issued token, searched in outputs, errors and log lines. */
export function scanSecrets(env: FaultEnv, profile: ProviderProfile, result: RunResult): void {
	const secrets = [...profile.credential(env).secrets, ...(profile.issuedTokens?.(env.sandbox.fake(profile.fake)) ?? [])].filter(
		(s) => s.length >= 6,
	);
	const haystacks = [
		safeStringify(result.items),
		result.error ? safeStringify({ m: result.error.message, d: result.error.description, c: result.error.context, e: result.error }) : '',
		safeStringify(result.run.data.resultData),
		env.logs.join('\n'),
	];
	const found: string[] = [];
	for (const secret of secrets) {
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			for (const text of haystacks) if (text.includes(form)) found.push(`${secret.slice(0, 4)}… in ${text.slice(0, 80)}`);
		}
	}
	figuresOf(profile.displayName).leaks += found.length;
	expect(found).toEqual([]);
}

export function defineFaultSuite(profile: ProviderProfile, extra?: (env: FaultEnv) => void): void {
	describe(`${profile.displayName}: faults`, () => {
		const env = useFaultEnv();
		afterAll(() => reportFigures(`faults ${profile.displayName}`));
		if (extra) describe(`${profile.displayName}: its own limits`, () => extra(env));

		/** Rules limited to the write requests of the batch. */
		const onWrites = (extra: Partial<FaultRule>): FaultRule => ({
			provider: profile.fake,
			method: undefined,
			path: profile.write!.path,
			...extra,
		});
		const onPages = (extra: Partial<FaultRule>): FaultRule => ({ provider: profile.fake, path: profile.list!.path, method: 'GET', ...extra });

		if (profile.write) {
			describe(`a batch of ${BATCH} writes`, () => {
				if (profile.expireTokens) {
					it('token expiry at 5 random points: re-login, every item written exactly once', async () => {
						const random = seededRandom(11);
						const at = seededPositions(random, 5, 10, BATCH - 10, 25);
						const expiry = expireTokensAt(env.sandbox, profile, at);
						const logins = env.harness.credentials.logins.length;
						const outcome = await runWriteBatch(env, profile, BATCH);
						expect(expiry.expired()).toBe(5);
						expect(env.harness.credentials.logins.length - logins).toBeGreaterThanOrEqual(6);
						expect(outcome.failed.map((i) => outcome.outputs[i][0].json.error)).toEqual([]);
						checkBatch(profile, outcome, env);
						figuresOf(profile.displayName).faultsInjected += 5;
						scanSecrets(env, profile, outcome.result);
					});
				}

				it('429 bursts (Retry-After, X-RateLimit-Reset, no header) are ridden out within Max Retry Wait', async () => {
					const random = seededRandom(21);
					const [a, b, c] = seededPositions(random, 3, 5, BATCH - 20, 15);
					env.sandbox.inject(onWrites({ skip: a, times: 2, status: 429, headers: { 'Retry-After': '1' }, body: { message: 'Too Many Attempts.' }, label: '429 retry-after' }));
					const budget: Record<string, string> = profile.rateLimitHeaders === false ? {} : { 'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' };
					env.sandbox.inject(onWrites({ skip: b, times: 2, status: 429, headers: { ...budget, 'X-RateLimit-Reset': '1' }, label: '429 reset' }));
					env.sandbox.inject(onWrites({ skip: c, times: 3, status: 429, label: '429 bare' }));
					const started = Date.now();
					const outcome = await runWriteBatch(env, profile, BATCH, { requestOptions: { maxRetryWait: 10, pauseAfter429: 0.2 } });
					expect(env.sandbox.log.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(5);
					expect(outcome.failed.map((i) => outcome.outputs[i][0].json.error)).toEqual([]);
					checkBatch(profile, outcome, env);
					expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
					scanSecrets(env, profile, outcome.result);
				});

				it('429 for longer than Max Retry Wait → a clear error per item, nothing written twice', async () => {
					env.sandbox.inject(onWrites({ status: 429, headers: { 'Retry-After': '30' }, label: '429 long' }));
					const started = Date.now();
					const outcome = await runWriteBatch(env, profile, 20, { requestOptions: { maxRetryWait: 2 } });
					expect(Date.now() - started).toBeLessThan(5000);
					expect(outcome.succeeded).toEqual([]);
					// Only the requests already in flight (Items in Parallel: 5) met the 429.
					expect(env.sandbox.log.filter((r) => r.status === 429).length).toBeLessThanOrEqual(5);
					for (const i of outcome.failed) {
						const json = outcome.outputs[i][0].json;
						expect(json.error).toMatch(new RegExp(`^${profile.displayName} returned 429`));
						expect(json.description).toContain("more than the node's Max Retry Wait allows");
						// The first item got the 429; the others were held back without being sent.
						expect(['refused', 'not sent']).toContain(json.delivery);
					}
					checkBatch(profile, outcome, env);

					// No wait named: the pause after a 429 (option), retried until Max Retry Wait is used up.
					env.sandbox.reset();
					env.sandbox.inject(onWrites({ status: 429, label: '429 bare' }));
					const bareStarted = Date.now();
					const bare = await runWriteBatch(env, profile, 10, { requestOptions: { maxRetryWait: 0.5, pauseAfter429: 0.2, concurrency: 10 } });
					expect(Date.now() - bareStarted).toBeLessThan(5000);
					expect(bare.succeeded).toEqual([]);
					for (const i of bare.failed) {
						const json = bare.outputs[i][0].json;
						expect(json.error).toMatch(new RegExp(`^${profile.displayName} returned 429`));
						expect(['refused', 'not sent']).toContain(json.delivery);
					}
					checkBatch(profile, bare, env);
					scanSecrets(env, profile, bare.result);
				});

				if (profile.documentedPause) {
					it(`the documented pause after a 429 (${profile.documentedPause} s) is more than Max Retry Wait → a clear error at once`, async () => {
						env.sandbox.inject(onWrites({ status: 429, times: 1, label: '429 bare' }));
						const started = Date.now();
						const outcome = await runWriteBatch(env, profile, 1, { requestOptions: { maxRetryWait: 5 } });
						expect(Date.now() - started).toBeLessThan(3000);
						const json = outcome.outputs[0][0].json;
						expect(json.error).toMatch(new RegExp(`^${profile.displayName} returned 429`));
						expect(json.description).toContain(`asked to wait ${profile.documentedPause} s`);
						checkBatch(profile, outcome, env);
					});
				}

				it('500/502/503, dropped connections, timeouts and malformed bodies at random points: no blind retry, no duplicate', async () => {
					env.sandbox.seed(31);
					const p = 0.012;
					// [label, rule, whether the item must fail]: faults that leave a write's fate unknown fail it.
					const faults: Array<[string, Partial<FaultRule>, boolean]> = [
						['500', { status: 500, body: { message: 'Server Error' } }, true],
						['500 after', { status: 500, afterProcessing: true, body: { message: 'Server Error' } }, true],
						['502 html', { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' }, true],
						['503 after', { status: 503, headers: { 'Retry-After': '0' }, afterProcessing: true, body: '<html><body><h1>503 Service Unavailable</h1></body></html>' }, true],
						['drop', { drop: true }, true],
						['drop after', { drop: true, afterProcessing: true }, true],
						['slow', { delayMs: 1300 }, true],
						['html 200', { status: 200, afterProcessing: true, body: '<!DOCTYPE html><html><body>Maintenance</body></html>' }, true],
						['truncated', { status: 200, afterProcessing: true, body: '{"data": {"id": 1, "attr' }, true],
						['truncated 500', { status: 500, afterProcessing: true, body: '{"message": "Server Err' }, true],
						['empty 200', { status: 200, afterProcessing: true, body: '' }, false],
						['number', { status: 200, afterProcessing: true, body: '42' }, false],
						['null', { status: 200, afterProcessing: true, body: 'null' }, false],
						['no data', { mangle: () => ({ meta: { note: 'no data' } }) }, false],
					];
					const unguarded = profile.write!.unguardedAnswers ?? [];
					for (const [label, extra] of faults) if (!unguarded.includes(label)) env.sandbox.inject(onWrites({ probability: p, ...extra, label }));
					const outcome = await runWriteBatch(env, profile, BATCH, { requestOptions: { maxRetryWait: 5, timeout: 0.8 }, settle: 1500 });
					expect(outcome.result.error).toBeUndefined();
					const faulted = env.sandbox.log.filter((r) => r.fault !== undefined);
					expect(faulted.length).toBeGreaterThanOrEqual(15);
					checkBatch(profile, outcome, env);
					const noRecord = profile.write!.failingAnswers ?? [];
					const failing = new Set([...faults.filter(([, , fails]) => fails).map(([label]) => label), ...noRecord]);
					for (const r of faulted) {
						const key = profile.write!.keyOfRequest(r)!;
						const i = outcome.input.findIndex((item) => profile.write!.keyOfInput(item) === key);
						const json = outcome.outputs[i][0].json;
						if (profile.write!.idempotent && ['500', '502 html', '503 after', 'drop', 'drop after', 'slow', 'truncated 500', '500 after'].includes(r.fault!)) {
							continue; // retried
						}
						if (!failing.has(r.fault!)) {
							expect([r.fault, json.error]).toEqual([r.fault, undefined]);
							continue;
						}
						const expected: Record<string, RegExp> = {
							'500': /returned 500: Server Error$/,
							'500 after': /returned 500: Server Error$/,
							'502 html': /returned 502: Bad gateway$/,
							'503 after': /returned 503: Service unavailable$/,
							drop: /request failed: connection failed \((ECONNRESET|socket hang up)\)$/,
							'drop after': /request failed: connection failed \((ECONNRESET|socket hang up)\)$/,
							slow: /request failed: no response within \d+ s \(timeout\)$/,
							'html 200': /returned 200: the response is an HTML page, not JSON$/,
							truncated: /returned 200: the response is not valid JSON$/,
							'truncated 500': /returned 500: /,
							...Object.fromEntries(noRecord.map((label) => [label, /returned 200: the answer has no record/])),
						};
						expect([r.fault, json.error]).toEqual([r.fault, expect.stringMatching(new RegExp(`^${profile.displayName} ${expected[r.fault!].source}`))]);
						// An idempotent write may have been retried (after another fault) before this answer.
						const sent = profile.write!.idempotent ? outcome.requests.get(key) : 1;
						expect([r.fault, json.delivery, json.requestsSent]).toEqual([r.fault, 'unknown', sent]);
						if (!profile.write!.idempotent && r.fault !== 'html 200' && r.fault !== 'truncated' && !noRecord.includes(r.fault!)) {
							expect(json.description).toContain('Not retried');
						}
					}
					// Every other failure is a timeout of a request the loaded test process answered late.
					const faultedKeys = new Set(faulted.map((r) => profile.write!.keyOfRequest(r)));
					for (const i of outcome.failed) {
						if (faultedKeys.has(profile.write!.keyOfInput(outcome.input[i]))) continue;
						const json = outcome.outputs[i][0].json;
						expect([json.error, json.delivery]).toEqual([`${profile.displayName} request failed: no response within 1 s (timeout)`, 'unknown']);
					}
					const mustFail = profile.write!.idempotent ? ['html 200', 'truncated'] : [...failing];
					expect(outcome.failed.length).toBeGreaterThanOrEqual(faulted.filter((r) => mustFail.includes(r.fault!)).length);
					scanSecrets(env, profile, outcome.result);
				});

				it('without Continue On Fail a fault stops the node with a clear error naming the provider and status', async () => {
					env.sandbox.inject(onWrites({ skip: 3, times: 1, status: 200, afterProcessing: true, body: '{"trunc', label: 'truncated' }));
					const outcome = await runWriteBatch(env, profile, 10, { continueOnFail: false, requestOptions: { concurrency: 1 } });
					expect(outcome.result.error?.message).toBe(`${profile.displayName} returned 200: the response is not valid JSON`);
					expect(outcome.result.items).toEqual([]);
					// Items after the failed one were not started.
					expect(env.sandbox.requests(profile.fake).filter((r) => profile.write!.keyOfRequest(r) !== undefined)).toHaveLength(4);
					scanSecrets(env, profile, outcome.result);
				});
			});
		}

		if (profile.list) {
			describe(`Return All over ${PAGES} pages`, () => {
				it('without faults: every record once, in order', async () => {
					const outcome = await runReturnAll(env, profile, PAGES);
					expect(env.sandbox.log.filter(profile.list!.isPageRequest).length).toBeGreaterThanOrEqual(10);
					checkReturnAll(profile, outcome, true);
					scanSecrets(env, profile, outcome.result);
				});

				it('500/502/503, dropped connections and timeouts on pages are retried: no gap, no duplicate', async () => {
					env.sandbox.seed(61);
					env.sandbox.inject(onPages({ probability: 0.06, status: 500, label: '500' }));
					env.sandbox.inject(onPages({ probability: 0.06, status: 502, body: '<html><body>Bad Gateway</body></html>', label: '502' }));
					env.sandbox.inject(onPages({ probability: 0.06, status: 503, headers: { 'Retry-After': '0' }, label: '503' }));
					env.sandbox.inject(onPages({ probability: 0.06, drop: true, label: 'drop' }));
					env.sandbox.inject(onPages({ probability: 0.06, delayMs: 600, label: 'slow' }));
					const outcome = await runReturnAll(env, profile, PAGES, { maxRetryWait: 20, timeout: 0.3 });
					expect(env.sandbox.log.filter((r) => r.fault !== undefined).length).toBeGreaterThanOrEqual(3);
					checkReturnAll(profile, outcome, true);
					scanSecrets(env, profile, outcome.result);
				});

				it('429 bursts on pages are ridden out: no gap, no duplicate', async () => {
					const random = seededRandom(71);
					const [a, b] = seededPositions(random, 2, 1, PAGES - 2);
					env.sandbox.inject(onPages({ skip: a, times: 2, status: 429, headers: { 'Retry-After': '1' } }));
					env.sandbox.inject(onPages({ skip: b, times: 2, status: 429 }));
					const outcome = await runReturnAll(env, profile, PAGES, { maxRetryWait: 10, pauseAfter429: 0.2 });
					expect(env.sandbox.log.filter((r) => r.status === 429)).toHaveLength(4);
					checkReturnAll(profile, outcome, true);
				});

				if (profile.expireTokens) {
					it('token expiry between pages: re-login, no gap, no duplicate', async () => {
						const random = seededRandom(81);
						expireTokensAt(env.sandbox, profile, seededPositions(random, 2, 2, PAGES - 1, 4));
						const outcome = await runReturnAll(env, profile, PAGES);
						checkReturnAll(profile, outcome, true);
						figuresOf(profile.displayName).faultsInjected += 2;
						scanSecrets(env, profile, outcome.result);
					});
				}

				const malformed: Array<[string, Partial<FaultRule>]> = [
					['an HTML page with 200', { status: 200, body: '<!DOCTYPE html><html><body>Login</body></html>' }],
					['truncated JSON', { status: 200, body: '{"data": [{"id": 1' }],
					['an empty 200', { status: 200, body: '' }],
					['a body without data', { mangle: () => ({ meta: {} }) }],
					['an unexpected type', { status: 200, body: '"ok"' }],
				];
				it.each(malformed.filter(([name]) => !profile.list!.unguardedPages?.includes(name)))('a page answered with %s → a clear error, never a silently short list', async (_name, extra) => {
					const random = seededRandom(91 + _name.length);
					const [page] = seededPositions(random, 1, 1, PAGES - 1);
					env.sandbox.inject(onPages({ skip: page, times: 1, ...extra, label: _name }));
					const outcome = await runReturnAll(env, profile, PAGES);
					expect(env.sandbox.log.filter((r) => r.fault !== undefined)).toHaveLength(1);
					checkReturnAll(profile, outcome, false);
					if (outcome.result.error) expect(outcome.result.error.message).toMatch(new RegExp(`^${profile.displayName} returned 200: `));
					scanSecrets(env, profile, outcome.result);
				});
			});
		}
	});
}

export type { IDataObject };
