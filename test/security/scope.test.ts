/**
 * Custom API Call stays inside the credential's scope, and wrong types are refused before sending
 * (issue 13, findings 6 and 7). Each refusal names the item and the field; nothing reaches the
 * sandbox or a foreign host.
 */
import { PROFILES, useSecurityEnv } from './env';

describe('security: Custom API Call scope', () => {
	const env = useSecurityEnv();
	let refusals = 0;
	afterAll(() => console.info(`scope: ${refusals} refused Custom API Calls and wrong-type inputs, 0 requests sent for them`));

	const escapes = (sandboxHost: string): Array<[string, Record<string, unknown>, string]> => [
		['user info on the credential\'s host', { path: `http://user:pass@${sandboxHost}/x` }, '"Path" must not contain a user name or password'],
		['user info, protocol-relative', { path: `//user@${sandboxHost}/x` }, '"Path" must not contain a user name or password'],
		['dot segments', { path: '/../../other/x' }, '"Path" leaves the Base URL\'s path'],
		['encoded dot segments', { path: '/%2e%2e/%2E%2e/other/x' }, '"Path" leaves the Base URL\'s path'],
		['dot segments after a path', { path: '/x/../../../../other' }, '"Path" leaves the Base URL\'s path'],
		['backslashes', { path: '\\..\\..\\other' }, '"Path" leaves the Base URL\'s path'],
		['double-encoded dot segments', { path: '/%252e%252e/other' }, '"Path" leaves the Base URL\'s path'],
		['Host header', { headers: { pairs: [{ name: 'Host', value: 'evil.example.com' }] } }, 'the header "Host" cannot be set in a Custom API Call'],
		['Proxy-Authorization header', { headers: { pairs: [{ name: 'Proxy-Authorization', value: 'Basic eDp5' }] } }, 'the header "Proxy-Authorization" cannot be set'],
		['Connection header', { headers: { pairs: [{ name: 'Connection', value: 'close, X-API-Key' }] } }, 'the header "Connection" cannot be set'],
		['Transfer-Encoding header', { headers: { pairs: [{ name: 'Transfer-Encoding', value: 'chunked' }] } }, 'the header "Transfer-Encoding" cannot be set'],
		['Authorization header', { headers: { pairs: [{ name: 'authorization', value: 'Bearer x' }] } }, 'the header "authorization" comes from the credential'],
	];

	it.each(PROFILES.map((p) => [p.displayName, p] as const))('%s: escapes are refused, nothing is sent', async (_name, profile) => {
		const host = `127.0.0.1:${env.sandbox.port}`;
		for (const [label, parameters, words] of escapes(host)) {
			const { credentials } = profile.credential(env);
			env.sandbox.clearLog();
			const result = await env.harness.runNode({
				node: profile.node,
				parameters: { resource: 'customApiCall', operation: 'call', method: 'GET', path: '/x', ...parameters } as never,
				credentials,
			});
			refusals++;
			expect([label, result.error?.message.startsWith('Item 1: ')]).toEqual([label, true]);
			expect([label, result.error?.message]).toEqual([label, expect.stringContaining(words)]);
			expect([label, env.sandbox.log.filter((r) => !/^\/(token|api\/userapi\/v1\/auth\/login)$/.test(r.path))]).toEqual([label, []]);
		}
	});

	it('a path inside the Base URL, with harmless dot segments, is resolved and sent', async () => {
		const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
		const { credentials } = profile.credential(env);
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { resource: 'customApiCall', operation: 'call', method: 'GET', path: '/api/v1/x/../tracking/./123', headers: { pairs: [{ name: 'X-Trace', value: 'a' }] } } as never,
			credentials,
		});
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('trackingbot').map((r) => [r.path, r.headers['x-trace']])).toEqual([['/api/v1/tracking/123', 'a']]);
	});

	describe('wrong types', () => {
		const cases: Array<[string, string, string]> = [
			['NaN', '={{ NaN }}', 'Item 1: "Tracking Number" must be text, got number NaN'],
			['Infinity', '={{ 1/0 }}', 'Item 1: "Tracking Number" must be text, got number Infinity'],
			['true', '={{ true }}', 'Item 1: "Tracking Number" must be text, got boolean true'],
			['an object', '={{ { "a": 1 } }}', 'Item 1: "Tracking Number" must be text, got an object'],
			['only spaces', '   ', 'Item 1: "Tracking Number" is required but holds only spaces'],
		];
		it.each(cases)('a text field given %s is refused before sending', async (_label, value, message) => {
			const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
			const { credentials } = profile.credential(env);
			const result = await env.harness.runNode({ node: 'trackingBot', parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: value }, credentials, continueOnFail: true });
			refusals++;
			expect(result.items.map((i) => [i.json.error, i.json.delivery, i.pairedItem])).toEqual([[message, 'not sent', { item: 0 }]]);
			expect(env.sandbox.log).toEqual([]);
		});

		it('a number where the docs allow one is sent as text', async () => {
			const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
			const { credentials } = profile.credential(env);
			const result = await env.harness.runNode({ node: 'trackingBot', parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: '={{ 80012345678 }}' }, credentials });
			expect(result.error).toBeUndefined();
			expect(env.sandbox.requests('trackingbot', 'POST').map((r) => (r.body as { tracking_number: unknown }).tracking_number)).toEqual(['80012345678']);
		});
	});
});
