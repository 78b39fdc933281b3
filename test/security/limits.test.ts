/**
 * Timeout is a deadline for the whole exchange and answers have a size bound (issue 13, findings
 * 4 and 5): a server that sends its headers and then 1 KB every 100 ms forever, and a 50 MB answer.
 */
import { PROFILES, READS, useSecurityEnv } from './env';

describe('security: limits', () => {
	const env = useSecurityEnv();

	it.each(PROFILES.map((p) => [p.displayName, p] as const))('%s: a trickling answer ends within Timeout + 1.5 s, a clear timeout error', async (_name, profile) => {
		const { credentials } = profile.credential(env);
		env.sandbox.inject({ provider: profile.fake, path: READS[profile.node].path, trickle: { bytes: 1024, everyMs: 100 } });
		const started = Date.now();
		const result = await env.harness.runNode({
			node: profile.node,
			parameters: { ...READS[profile.node].parameters, requestOptions: { timeout: 2, maxRetryWait: 0 } },
			credentials,
			continueOnFail: true,
		});
		const took = Date.now() - started;
		console.info(`limits: ${profile.node} trickle, Timeout 2 s → ended after ${took} ms`);
		expect(took).toBeLessThan(3500);
		expect(result.items.map((i) => [i.json.error, i.json.delivery])).toEqual([[`${profile.displayName} request failed: no response within 2 s (timeout)`, 'unknown']]);
	});

	it.each([
		['Loymax', 'loymax', /^\/token$/],
		['Neiros', 'neiros', /^\/api\/userapi\/v1\/auth\/login$/],
	])('%s: a trickling login ends within the node\'s Timeout too', async (_name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		const { credentials } = profile.credential(env);
		env.sandbox.inject({ provider: profile.fake, path, trickle: { bytes: 1024, everyMs: 100 } });
		const started = Date.now();
		const result = await env.harness.runNode({ node, parameters: { ...READS[node].parameters, requestOptions: { timeout: 2, maxRetryWait: 0 } }, credentials });
		const took = Date.now() - started;
		console.info(`limits: ${node} trickling login, Timeout 2 s → ended after ${took} ms`);
		expect(took).toBeLessThan(3500);
		expect(result.error?.message).toContain('timeout');
	});

	it('a 48 MB answer with Max Response Size 4 MB: a clear error, reading stops there (the connection is closed)', async () => {
		const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
		const { credentials } = profile.credential(env);
		env.sandbox.inject({ provider: 'trackingbot', path: READS.trackingBot.path, bodyBytes: 48 * 1024 * 1024, times: 1 });
		const started = Date.now();
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { ...READS.trackingBot.parameters, requestOptions: { maxResponseSize: 4, maxRetryWait: 0 } },
			credentials,
			continueOnFail: true,
		});
		const sent = env.sandbox.requests('trackingbot').find((r) => r.bytesSent !== undefined)!.bytesSent!;
		console.info(`limits: 48 MB answer, Max Response Size 4 MB → failed after ${Date.now() - started} ms; the server could write ${Math.round(sent / 1048576)} MB before the node closed the connection`);
		expect(result.items.map((i) => i.json.error)).toEqual(['Tracking Bot returned 200: the response is larger than the Max Response Size (4 MB); reading stopped there']);
		// Only the limit (plus what the sockets buffer) was ever transferred: memory stays bounded.
		expect(sent).toBeLessThan(16 * 1024 * 1024);
	});

	it('an answer under the limit is read whole (the default is 64 MB)', async () => {
		const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
		const { credentials } = profile.credential(env);
		env.sandbox.inject({ provider: 'trackingbot', path: READS.trackingBot.path, bodyBytes: 2 * 1024 * 1024 });
		const result = await env.harness.runNode({ node: 'trackingBot', parameters: { ...READS.trackingBot.parameters, requestOptions: { maxResponseSize: 3 } }, credentials, continueOnFail: true });
		// Read whole and parsed: a body of one string is not a list of tracking numbers.
		expect(String(result.items[0]?.json.error ?? '')).not.toContain('Max Response Size');
	});
});
