/**
 * Redirects never carry a credential to another origin (issue 13, finding 1). Every node, through
 * n8n-core, against the sandbox answering 301/302/303/307/308 with a Location on another loopback
 * address, another port, or protocol-relative: the foreign listeners receive no request at all, and
 * the item fails naming the status and the target host (never its query).
 */
import { PROFILES, READS, useSecurityEnv } from './env';

const STATUSES = [301, 302, 303, 307, 308];

describe('security: redirects', () => {
	const env = useSecurityEnv();
	const figures = { runs: 0, foreignRequests: 0 };
	afterAll(() => {
		console.info(`redirects: ${figures.runs} runs, ${figures.foreignRequests} requests reached a foreign host`);
	});

	const targets: Array<[string, () => { location: string; host: string }]> = [
		['another address', () => ({ location: `${env.foreign.origin}/steal?token=LEAKED-QUERY&x=1`, host: `127.0.0.2:${env.foreign.port}` })],
		['another port', () => ({ location: `${env.otherPort.origin}/steal?token=LEAKED-QUERY`, host: `127.0.0.1:${env.otherPort.port}` })],
		['protocol-relative', () => ({ location: `//127.0.0.2:${env.foreign.port}/steal?token=LEAKED-QUERY`, host: `127.0.0.2:${env.foreign.port}` })],
	];

	for (const profile of PROFILES) {
		describe(profile.displayName, () => {
			it.each(STATUSES)('%i to another host, another port or protocol-relative: not followed, nothing sent there', async (status) => {
				for (const [kind, target] of targets) {
					const { location, host } = target();
					const { credentials } = profile.credential(env);
					env.sandbox.clearFaults();
					env.sandbox.clearLog();
					env.sandbox.inject({ provider: profile.fake, path: READS[profile.node].path, times: 1, status, headers: { Location: location } });
					const result = await env.harness.runNode({ node: profile.node, parameters: READS[profile.node].parameters, credentials });
					figures.runs++;
					figures.foreignRequests += env.foreign.received.length + env.otherPort.received.length;
					expect([kind, env.foreign.received.length, env.otherPort.received.length]).toEqual([kind, 0, 0]);
					expect(result.error?.message).toBe(`${profile.displayName} returned ${status}: redirected to another host (http://${host}), not followed`);
					expect(JSON.stringify([result.error?.message, result.error?.description])).not.toContain('LEAKED-QUERY');
					// Exactly one request carried the credential, to the sandbox.
					expect(env.sandbox.requests(profile.fake).filter((r) => READS[profile.node].path.test(r.path))).toHaveLength(1);
				}
			});
		});
	}

	it('a same-origin redirect of a read is followed (GET), with the credential, to the new path', async () => {
		const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
		const { credentials } = profile.credential(env);
		const first = await env.harness.runNode({ node: 'trackingBot', parameters: READS.trackingBot.parameters, credentials });
		expect(first.error).toBeUndefined();
		const path = env.sandbox.requests('trackingbot').pop()!;
		env.sandbox.clearLog();
		env.sandbox.inject({ provider: 'trackingbot', path: READS.trackingBot.path, times: 1, status: 302, headers: { Location: `${env.sandbox.url('trackingbot')}${path.path}?${path.rawQuery}` } });
		const result = await env.harness.runNode({ node: 'trackingBot', parameters: READS.trackingBot.parameters, credentials });
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual(first.items);
		expect(env.sandbox.requests('trackingbot').map((r) => r.status)).toEqual([302, 200]);
		expect(env.sandbox.requests('trackingbot')[1].headers['x-api-key']).toBe(path.headers['x-api-key']);
	});

	it('a same-origin 302 to a write (POST) is not followed: the item fails, delivery unknown', async () => {
		const profile = PROFILES.find((p) => p.node === 'iqmTech')!;
		const { credentials } = profile.credential(env);
		env.sandbox.inject({ provider: 'iqm', path: READS.iqmTech.path, times: 1, status: 302, headers: { Location: `${env.sandbox.url('iqm')}/api/sync/other` } });
		const result = await env.harness.runNode({ node: 'iqmTech', parameters: READS.iqmTech.parameters, credentials, continueOnFail: true });
		expect(result.items.map((i) => [i.json.error, i.json.delivery])).toEqual([['IQM Tech returned 302: redirected a POST (302), not followed', 'unknown']]);
		expect(env.sandbox.requests('iqm')).toHaveLength(1);
	});

	it.each([
		['Loymax', 'loymax', /^\/token$/],
		['Neiros', 'neiros', /^\/api\/userapi\/v1\/auth\/login$/],
	])('%s: a login answered with a redirect to another host is not followed (password never sent there)', async (_name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		const { credentials } = profile.credential(env);
		for (const status of STATUSES) {
			env.sandbox.clearFaults();
			env.sandbox.inject({ provider: profile.fake, path, times: 1, status, headers: { Location: `${env.foreign.origin}/login` } });
			const result = await env.harness.runNode({ node, parameters: READS[node].parameters, credentials });
			figures.runs++;
			expect(result.error?.message).toContain(String(status));
			expect(env.foreign.received).toHaveLength(0);
		}
	});

	it.each([
		['trackingBot', 'trackingBotApi', 'trackingbot'],
		['loymax', 'loymaxApi', 'loymax'],
		['neiros', 'neirosApi', 'neiros'],
		['iqmTech', 'iqmTechApi', 'iqm'],
	])('%s: the credential test does not follow a redirect to another host', async (node, type, fakeName) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		const id = Object.values(profile.credential(env).credentials)[0].id!;
		const data = (env.harness.credentials as unknown as { store: Map<string, { data: Record<string, unknown> }> }).store.get(id)!.data as never;
		for (const status of STATUSES) {
			env.sandbox.clearFaults();
			// The read after the login (or the only request): redirected.
			env.sandbox.inject({ provider: fakeName, path: /^\/(?!token$|api\/userapi\/v1\/auth\/login$)/, times: 1, status, headers: { Location: `${env.foreign.origin}/x` } });
			const result = await env.harness.testCredential(node, type, data);
			figures.runs++;
			expect(result.status).toBe('Error');
			expect(env.foreign.received).toHaveLength(0);
		}
	});
});
