/**
 * No secret in any error field or output item (issue 13, findings 2 and 3): every provider against
 * a server that echoes every credential of the request (Authorization, X-API-Key, query, body) in
 * its answer, with the Loymax / Neiros token obtained inside the run (the stored token empty, so n8n
 * logs in during the execution). Actions (failing and with Continue On Fail), triggers, list
 * searches and credential tests; the secret scan looks for each secret plain, URL-encoded, base64
 * and every 12-character piece of it, in the whole run data n8n keeps and in every log line.
 */
import type { INodeType } from 'n8n-workflow';

import { TriggerRunner } from '../harness/poll';
import { nodeType } from '../harness/n8n';
import { newScan, PROFILES, READS, scanFor, useSecurityEnv } from './env';

const NOT_LOGIN = /^\/(?!token$|api\/userapi\/v1\/auth\/login$)/;
const STATUSES = [400, 401, 403, 422, 500, 200];

const TRIGGERS: Record<string, { node: string; parameters: Record<string, unknown> }> = {
	synergyCrm: { node: 'synergyCrmTrigger', parameters: { event: 'new', resource: 'contact' } },
	neiros: { node: 'neirosTrigger', parameters: { event: 'newDeal', siteId: { __rl: true, mode: 'id', value: '19' } } },
	trackingBot: { node: 'trackingBotTrigger', parameters: { event: 'new' } },
	loymax: { node: 'loymaxTrigger', parameters: { resource: 'customer' } },
};

describe('security: no secret in errors or output, tokens obtained during the run included', () => {
	const env = useSecurityEnv();
	const scan = newScan();
	afterAll(() => {
		console.info(`redaction: ${scan.runs} runs, ${scan.secretsSearched} secret searches (${scan.needles} needles: plain, URL-encoded, base64, 12-character pieces), ${scan.findings.length} findings`);
	});

	const secretsOf = (profile: (typeof PROFILES)[number], base: string[]) => [...base, ...(profile.issuedTokens?.(env.sandbox.fake(profile.fake)) ?? [])];

	for (const profile of PROFILES) {
		describe(profile.displayName, () => {
			it('actions: an echoing error or answer, failing and with Continue On Fail → 0 secrets shown', async () => {
				for (const status of STATUSES) {
					for (const continueOnFail of [false, true]) {
						const { credentials, secrets } = profile.credential(env);
						env.sandbox.clearFaults();
						env.sandbox.inject({ provider: profile.fake, path: NOT_LOGIN, echo: true, status });
						const parameters = { ...READS[profile.node].parameters, requestOptions: { maxRetryWait: 0 } };
						const result = await env.harness.runNode({ node: profile.node, parameters, credentials, continueOnFail });
						const all = secretsOf(profile, secrets);
						// The echo really carried the secrets (else the test proves nothing).
						const echoed = env.sandbox.log.filter((r) => r.fault).map((r) => `${String(r.headers.authorization ?? '')} ${String(r.headers['x-api-key'] ?? '')} ${r.rawQuery}`).join(' ');
						expect(all.some((s) => echoed.includes(s))).toBe(true);
						scanFor(scan, `${profile.node} action ${status}${continueOnFail ? ' CoF' : ''}`, { data: result.run.data.resultData, items: result.items, error: result.error }, all);
					}
				}
				scanFor(scan, `${profile.node} logs`, env.logs.join('\n'), secretsOf(profile, profile.credential(env).secrets));
				expect(scan.findings).toEqual([]);
			});

			if (TRIGGERS[profile.node]) {
				it('trigger: an echoing error → 0 secrets in the poll error', async () => {
					for (const status of STATUSES) {
						for (const mode of ['manual', 'trigger'] as const) {
							const { credentials, secrets } = profile.credential(env);
							env.sandbox.clearFaults();
							env.sandbox.inject({ provider: profile.fake, path: NOT_LOGIN, echo: true, status: status === 500 ? 502 : status, times: 1 });
							const runner = new TriggerRunner(env.harness, TRIGGERS[profile.node].node, TRIGGERS[profile.node].parameters as never, credentials);
							const result = await runner.poll(mode);
							scanFor(scan, `${profile.node} trigger ${mode} ${status}`, result, secretsOf(profile, secrets));
						}
					}
					expect(scan.findings).toEqual([]);
				});
			}

			it('list search and credential test: an echoing server → 0 secrets shown', async () => {
				const type = env.harness.pkg.nodeTypes.getByNameAndVersion(nodeType(profile.node)) as INodeType;
				const method = Object.keys(type.methods?.listSearch ?? {})[0];
				for (const status of STATUSES) {
					const { credentials, secrets } = profile.credential(env);
					env.sandbox.clearFaults();
					// A 5xx is retried (reads are safe to repeat): once, then the answer echoes nothing.
					env.sandbox.inject({ provider: profile.fake, path: NOT_LOGIN, echo: true, status, times: status >= 500 ? 1 : undefined });
					if (method) {
						let shown: unknown;
						try {
							shown = await env.harness.listSearch(profile.node, method, credentials);
						} catch (error) {
							shown = error;
						}
						scanFor(scan, `${profile.node} list search ${status}`, shown, secretsOf(profile, secrets));
					}
					const id = Object.values(credentials)[0].id!;
					const data = (env.harness.credentials as unknown as { store: Map<string, { data: Record<string, unknown> }> }).store.get(id)!.data as never;
					const type = Object.keys(credentials)[0];
					const tested = await env.harness.testCredential(profile.node, type, data).catch((error: unknown) => error);
					scanFor(scan, `${profile.node} credential test ${status}`, tested, secretsOf(profile, secrets));
				}
				expect(scan.findings).toEqual([]);
			});
		});
	}

	it.each([
		['Loymax', 'loymax', /^\/token$/],
		['Neiros', 'neiros', /^\/api\/userapi\/v1\/auth\/login$/],
	])('%s: a refused login that repeats the password → the error does not', async (_name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		for (const status of [400, 401, 422, 500]) {
			const { credentials, secrets } = profile.credential(env);
			env.sandbox.clearFaults();
			env.sandbox.inject({ provider: profile.fake, path, echo: true, status });
			const result = await env.harness.runNode({ node, parameters: { ...READS[node].parameters, requestOptions: { maxRetryWait: 0 } }, credentials });
			expect(result.error).toBeDefined();
			scanFor(scan, `${node} login ${status}`, { data: result.run.data.resultData, error: result.error }, secrets);
		}
		expect(scan.findings).toEqual([]);
	});
});
