/**
 * Custom API Call on every action node: the same transport as the built-in operations — the
 * credential's auth, token renewal, pacing, pagination (Return All / Limit) and the refusal of a
 * foreign host.
 */
import { useEnv } from './harness/setup';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../sandbox/synergyCrm';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../sandbox/trackingBot';
import { LOYMAX_USER, type LoymaxFake } from '../sandbox/loymax';
import type { NeirosFake } from '../sandbox/neiros';

describe('Custom API Call on every node', () => {
	const env = useEnv();
	const creds = {
		synergyCrm: () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) }),
		trackingBot: () => ({ trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: env.sandbox.url('trackingbot'), botId: TB_BOT_A }) }),
		neiros: () => ({ neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }) }),
		loymax: () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) }),
	};
	const call = (node: keyof typeof creds, parameters: Record<string, unknown>, credentials = creds[node]()) =>
		env.harness.runNode({ node, parameters: { resource: 'customApiCall', operation: 'call', method: 'GET', ...parameters } as never, credentials });

	it('Synergy CRM: Return All over page[number]/page[size], ceil(N/100) requests, JSON:API items', async () => {
		env.sandbox.fake<SynergyCrmFake>('synergy').seedDeals(250);
		const result = await call('synergyCrm', {
			path: '/api/v1/deals',
			query: { pairs: [{ name: 'filter[created-at-gte]', value: '2000.01.01 00:00' }] },
			pagination: 'pages',
			pageParam: 'page[number]',
			sizeParam: 'page[size]',
			pageSize: 100,
			returnAll: true,
		});
		expect(result.error).toBeUndefined();
		const requests = env.sandbox.requests('synergy', 'GET');
		expect(requests.map((r) => [r.path, r.query['page[number]'], r.query['page[size]'], r.query['filter[created-at-gte]']])).toEqual([
			['/api/v1/deals', '1', '100', '2000.01.01 00:00'],
			['/api/v1/deals', '2', '100', '2000.01.01 00:00'],
			['/api/v1/deals', '3', '100', '2000.01.01 00:00'],
		]);
		expect(requests[0].headers.authorization).toBe(`Bearer ${SYNERGY_TOKEN}`);
		const ids = result.items.map((i) => i.json.id);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.length).toBeGreaterThanOrEqual(250);
		expect(result.items[0].json.type).toBe('deals');
	});

	it('Synergy CRM: Limit stops after the pages it needs', async () => {
		env.sandbox.fake<SynergyCrmFake>('synergy').seedDeals(250);
		const result = await call('synergyCrm', { path: '/api/v1/deals', pagination: 'pages', pageParam: 'page[number]', sizeParam: 'page[size]', pageSize: 100, returnAll: false, limit: 120 });
		expect(result.items).toHaveLength(120);
		expect(env.sandbox.requests('synergy', 'GET')).toHaveLength(2);
	});

	it('Loymax: the token is renewed through the call (n8n logs in again once after a 401)', async () => {
		const credentials = creds.loymax();
		const first = await call('loymax', { path: '/communication/email/' }, credentials);
		expect(first.error).toBeUndefined();
		env.sandbox.fake<LoymaxFake>('loymax').expireAllTokens();
		const logins = env.harness.credentials.logins.length;
		const second = await call('loymax', { path: '/communication/email/' }, credentials);
		expect(second.error).toBeUndefined();
		expect(env.harness.credentials.logins.length).toBe(logins + 1);
		const log = env.sandbox.requests('loymax').map((r) => [r.method, r.path, r.status]);
		expect(log).toEqual([
			['POST', '/token', 200],
			['GET', '/communication/email/', 200],
			['GET', '/communication/email/', 401],
			['GET', '/communication/email/', 401],
			['POST', '/token', 200],
			['GET', '/communication/email/', 200],
		]);
		expect(second.items).toEqual(first.items);
	});

	it('Neiros: a revoked token is renewed through the call', async () => {
		const credentials = creds.neiros();
		expect((await call('neiros', { path: '/api/userapi/v1/sites' }, credentials)).error).toBeUndefined();
		env.sandbox.fake<NeirosFake>('neiros').revokeAll();
		const again = await call('neiros', { path: '/api/userapi/v1/sites' }, credentials);
		expect(again.error).toBeUndefined();
		expect(again.items[0].json.data).toEqual(expect.arrayContaining([{ name: 'wistis.ru', id: 19 }]));
		expect(env.sandbox.requests('neiros', 'POST').filter((r) => r.path.endsWith('/auth/login'))).toHaveLength(2);
	});

	it('Tracking Bot: X-API-Key from the credential, page/page_size pagination', async () => {
		const fake = env.sandbox.fake<TrackingBotFake>('trackingbot');
		for (let i = 0; i < 130; i++) fake.addTracking(TB_BOT_A, { tracking_number: `CC${String(i).padStart(6, '0')}` });
		const result = await call('trackingBot', { path: `/api/v1/tracking/${TB_BOT_A}`, pagination: 'pages', pageParam: 'page', sizeParam: 'page_size', pageSize: 100, returnAll: true });
		expect(result.error).toBeUndefined();
		const requests = env.sandbox.requests('trackingbot', 'GET');
		expect(requests.map((r) => [r.query.page, r.query.page_size])).toEqual([
			['1', '100'],
			['2', '100'],
		]);
		expect(requests[0].headers['x-api-key']).toBe(TB_KEY_A);
		expect(result.items.length).toBeGreaterThanOrEqual(130);
	});

	it.each(['synergyCrm', 'trackingBot', 'neiros', 'loymax'] as const)('%s: a foreign host and the auth header are refused before sending', async (node) => {
		const foreign = await call(node, { path: 'https://example.org/api' });
		expect(foreign.error?.message).toContain('"Path" points to another host (example.org)');
		const header = node === 'trackingBot' ? 'X-API-Key' : 'Authorization';
		const overridden = await call(node, { path: '/x', headers: { pairs: [{ name: header, value: 'stolen' }] } });
		expect(overridden.error?.message).toContain(`the header "${header}" comes from the credential and cannot be overridden`);
		expect(env.sandbox.log.filter((r) => !r.path.endsWith('/token') && !r.path.endsWith('/auth/login'))).toHaveLength(0);
	});
});
