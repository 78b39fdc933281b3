/**
 * Catalog coverage (sources/catalog.json, provider "tracking-bot"): every documented endpoint
 * is reached by an operation of the node, and every operation of the node is a documented endpoint.
 */
import catalog from '../sources/catalog.json';
import { useEnv } from './harness/setup';
import { fromDist } from './harness/n8n';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../sandbox/trackingBot';

interface Row {
	provider: string;
	method: string;
	path: string;
}

const rows = (catalog.endpoints as Row[]).filter((e) => e.provider === 'tracking-bot');
const pattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
const rl = (value: string) => ({ __rl: true, mode: 'id', value });

const reach: Record<string, Record<string, unknown>> = {
	'GET /api/v1/tracking/{bot_id}': { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
	'GET /api/v1/tracking/{bot_id}/{tracking_id}': { resource: 'trackingNumber', operation: 'get', trackingId: '1' },
	'POST /api/v1/tracking/{bot_id}': { resource: 'trackingNumber', operation: 'create', trackingNumber: 'NEW1' },
	'PUT /api/v1/tracking/{bot_id}/{tracking_id}': { resource: 'trackingNumber', operation: 'updateStatus', trackingId: '1', status: 'delivered' },
	'GET /api/v1/tracking/{bot_id}/by-client/{client_code}': { resource: 'trackingNumber', operation: 'getAllByClient', clientCode: rl('C1') },
	'GET /api/v1/clients/{bot_id}': { resource: 'client', operation: 'getAll', returnAll: true },
	'GET /api/v1/clients/{bot_id}/{client_id}': { resource: 'client', operation: 'get', clientId: rl('1') },
	'GET /api/v1/statistics/{bot_id}/overview': { resource: 'statistics', operation: 'overview' },
	'GET /api/v1/statistics/{bot_id}/tracking': { resource: 'statistics', operation: 'tracking' },
	'GET /api/v1/bots/{bot_id}': { resource: 'bot', operation: 'get' },
};

describe('Tracking Bot catalog coverage', () => {
	const env = useEnv();

	it('the catalog has the 10 documented Tracking Bot endpoints', () => {
		expect(rows).toHaveLength(10);
	});

	it.each(rows.map((r) => [`${r.method} ${r.path}`, r] as const))('%s is reached by an operation', async (key, row) => {
		const parameters = reach[key];
		expect(parameters).toBeDefined();
		const fake = env.sandbox.fake<TrackingBotFake>('trackingbot');
		fake.addClient(TB_BOT_A, 'C1', 'Client One');
		fake.addTracking(TB_BOT_A, { tracking_number: 'T1', client_code: 'C1' });
		const credentials = {
			trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }),
		};
		const result = await env.harness.runNode({ node: 'trackingBot', parameters: parameters as never, credentials });
		expect(result.error).toBeUndefined();
		const hits = env.sandbox.requests('trackingbot', row.method, pattern(row.path));
		expect(hits.length).toBeGreaterThan(0);
		expect(hits.every((h) => h.status < 300 && h.path.includes(`/${TB_BOT_A}`))).toBe(true);
	});

	it('every operation of the node is a documented endpoint', () => {
		const { trackingBot } = fromDist<{ trackingBot: { resources: Array<{ operations: Array<{ method: string; path: string }> }> } }>('nodes/TrackingBot/spec');
		const documented = rows.map((r) => `${r.method} ${r.path}`);
		const operations = trackingBot.resources.flatMap((r) => r.operations.map((o) => `${o.method} ${o.path.replace(':botId', '{bot_id}')}`));
		expect(operations.filter((o) => !documented.includes(o))).toEqual([]);
		expect(documented.filter((d) => !operations.includes(d))).toEqual([]);
	});
});
