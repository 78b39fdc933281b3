/**
 * Credentials: the Base URL must be an http(s) URL, a credential test against the wrong host fails
 * cleanly, and no secret appears in what the test answers.
 */
import type { INodeParameters } from 'n8n-workflow';

import { useFaultEnv } from './env';
import { IQM_TOKEN, LOYMAX_PASSWORD, LOYMAX_USERNAME, NEIROS_EMAIL, NEIROS_PASSWORD, SYNERGY_FAULT_TOKEN, TB_FAULT_KEY } from './profiles';

describe('credentials: base URL and wrong host', () => {
	const env = useFaultEnv();
	const cases: Array<[string, string, string, (baseUrl: string) => Record<string, string | number>, string[]]> = [
		['iqmTech', 'iqmTechApi', 'IQM Tech', (baseUrl) => ({ apiToken: IQM_TOKEN, baseUrl }), [IQM_TOKEN]],
		['neiros', 'neirosApi', 'Neiros', (baseUrl) => ({ authMethod: 'login', email: NEIROS_EMAIL, password: NEIROS_PASSWORD, baseUrl }), [NEIROS_PASSWORD]],
		['synergyCrm', 'synergyCrmApi', 'Synergy CRM', (baseUrl) => ({ apiToken: SYNERGY_FAULT_TOKEN, baseUrl }), [SYNERGY_FAULT_TOKEN]],
		['trackingBot', 'trackingBotApi', 'Tracking Bot', (baseUrl) => ({ apiKey: TB_FAULT_KEY, botId: 123, baseUrl }), [TB_FAULT_KEY]],
		['loymax', 'loymaxApi', 'Loymax', (baseUrl) => ({ username: LOYMAX_USERNAME, password: LOYMAX_PASSWORD, baseUrl }), [LOYMAX_PASSWORD]],
	];
	const readOne: Record<string, INodeParameters> = {
		iqmTech: { resource: 'visit', operation: 'send', page: 'https://a.ru' },
		neiros: { resource: 'site', operation: 'getAll' },
		synergyCrm: { resource: 'contact', operation: 'get', id: '1' },
		trackingBot: { resource: 'bot', operation: 'get' },
		loymax: { resource: 'customer', operation: 'get', customerId: 'C-1' },
	};
	// Every credential Test is the credential's declarative `test`, run as n8n's CredentialsTester runs it.
	it.each(cases)('%s: not a URL, not http(s), a closed port, a host that is not the service → a clean Error', async (node, type, _name, data, secrets) => {
		const hosts = ['iqmtech.ru', 'ftp://example.com', 'javascript:alert(1)', 'http://127.0.0.1:1'];
		// A host that answers, but is not the service (404 on every path).
		hosts.push(`http://127.0.0.1:${env.sandbox.port}/nothing-here`);
		for (const baseUrl of hosts) {
			const result = await env.harness.testCredential(node, type, data(baseUrl));
			expect([baseUrl, result.status]).toEqual([baseUrl, 'Error']);
			expect(typeof result.message).toBe('string');
			for (const secret of secrets) expect(result.message).not.toContain(secret);
		}
		for (const secret of secrets) expect(env.logs.join('\n')).not.toContain(secret);
	});

	it.each(cases)('%s: a Base URL that is not http(s) stops the node before anything is sent', async (node, type, name, data) => {
		const parameters = readOne[node];
		const result = await env.harness.runNode({ node, parameters, credentials: { [type]: env.harness.credentials.add(type, data('ftp://example.com')) } });
		expect(result.error?.message).toBe(`The Base URL of the ${name} credential must be an http(s) URL such as https://example.com, got "ftp://example.com"`);
		expect(env.sandbox.log).toHaveLength(0);
	});
});
