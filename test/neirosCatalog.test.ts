/**
 * Catalog coverage (sources/catalog.json, provider "neiros"): every documented endpoint is
 * reached by an operation of the node (or by the credential's login), and every operation of the
 * node is a documented endpoint.
 */
import catalog from '../sources/catalog.json';
import { useEnv } from './harness/setup';
import { fromDist } from './harness/n8n';
import type { NeirosFake } from '../sandbox/neiros';

interface Row {
	provider: string;
	method: string;
	path: string;
}

const rows = (catalog.endpoints as Row[]).filter((e) => e.provider === 'neiros');
const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
const site = { __rl: true, mode: 'id', value: '19' };

/** How each documented endpoint is reached: node parameters (the login is the credential's). */
const reach: Record<string, Record<string, unknown>> = {
	'POST /api/userapi/v1/auth/login': { resource: 'site', operation: 'getAll' },
	'GET /api/userapi/v1/sites': { resource: 'site', operation: 'getAll' },
	'GET /api/userapi/v1/projects': { resource: 'deal', operation: 'getAll', siteId: site, returnAll: true },
	'GET /api/userapi/v1/project/{id}': { resource: 'deal', operation: 'get', dealId: '1', siteId: site },
	'POST /api/userapi/v1/project/{id}/update': { resource: 'deal', operation: 'updateAmount', dealId: '1', siteId: site, amount: 10 },
};

describe('Neiros catalog coverage', () => {
	const env = useEnv();

	it('the catalog has the 5 documented Neiros endpoints', () => {
		expect(rows).toHaveLength(5);
	});

	it.each(rows.map((r) => [`${r.method} ${r.path}`, r] as const))('%s is reached by an operation', async (key, row) => {
		const parameters = reach[key];
		expect(parameters).toBeDefined();
		env.sandbox.fake<NeirosFake>('neiros').seedDeals(19, 3);
		const credentials = {
			neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }),
		};
		const result = await env.harness.runNode({ node: 'neiros', parameters: parameters as never, credentials });
		expect(result.error).toBeUndefined();
		const hits = env.sandbox.requests('neiros', row.method, pattern(row.path));
		expect(hits.length).toBeGreaterThan(0);
		expect(hits.every((h) => h.status === 200)).toBe(true);
	});

	it('every operation of the node is a documented endpoint', () => {
		const { neiros } = fromDist<{ neiros: { resources: Array<{ value: string; operations: Array<{ value: string; method: string; path: string }> }> } }>(
			'nodes/Neiros/spec',
		);
		const documented = rows.map((r) => `${r.method} ${r.path}`);
		const operations = neiros.resources.flatMap((r) => r.operations.map((o) => `${o.method} ${o.path}`));
		expect(operations.filter((o) => !documented.includes(o))).toEqual([]);
		expect(documented.filter((d) => d !== 'POST /api/userapi/v1/auth/login' && !operations.includes(d))).toEqual([]);
	});
});
