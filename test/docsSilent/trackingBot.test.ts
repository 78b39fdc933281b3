/**
 * Issue 15 (3, 10): where the Tracking Bot docs are silent, the sandbox answers each reasonable way
 * and the node is run against each: a key that is not tb_ + 32 characters, and a server that
 * ignores the client_code filter of the code samples.
 */
import { useEnv } from '../harness/setup';
import { TB_BOT_A, TB_KEY_40, TB_KEY_A, type TrackingBotFake } from '../../sandbox/trackingBot';

const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

describe('Tracking Bot where the docs are silent', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<TrackingBotFake>('trackingbot');
	const cred = (data: Record<string, unknown> = {}) => ({
		trackingBotApi: env.harness.credentials.add('trackingBotApi', {
			apiKey: TB_KEY_A,
			baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`,
			botId: TB_BOT_A,
			...data,
		}),
	});
	const run = (parameters: Record<string, unknown>, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'trackingBot', parameters: parameters as never, credentials: cred(data), ...extra });
	const seed = () => {
		for (let i = 0; i < 6; i++) {
			fake().addTracking(TB_BOT_A, { tracking_number: `TRK${i}`, client_code: `CLIENT${i % 2}`, current_status: 'pending' });
		}
	};

	describe('a 40-character key (keyForm = forty)', () => {
		beforeEach(() => {
			fake().keyForm = 'forty';
		});

		it('the node sends it as X-API-Key and works', async () => {
			expect(TB_KEY_40).toHaveLength(40);
			const result = await run({ resource: 'bot', operation: 'get' }, { apiKey: TB_KEY_40 });
			expect(result.error).toBeUndefined();
			expect(env.sandbox.log.map((r) => [r.method, r.path, r.headers['x-api-key'], r.status])).toEqual([['GET', `/api/v1/bots/${TB_BOT_A}`, TB_KEY_40, 200]]);
			expect(result.items.map((i) => i.json)).toEqual([{ id: 123, name: 'Название компании', username: '@company_bot', is_active: true, subscription_status: 'active' }]);
		});

		it('the credential Test tells the truth: OK for the server\'s key, 401 for the documented-looking one', async () => {
			const base = `${env.sandbox.url('trackingbot')}/api/v1`;
			const test = (apiKey: string) => env.harness.testCredential('trackingBot', 'trackingBotApi', { apiKey, baseUrl: base, botId: TB_BOT_A });
			expect(await test(TB_KEY_40)).toEqual({ status: 'OK', message: 'Connection successful' });
			expect(await test(TB_KEY_A)).toEqual({ status: 'Error', message: 'Tracking Bot refused the API key (HTTP 401)' });
			expect(env.sandbox.log.map((r) => `${r.path} ${String(r.headers['x-api-key'])} ${r.status}`)).toEqual([
				`/api/v1/bots/123 ${TB_KEY_40} 200`,
				`/api/v1/bots/123 ${TB_KEY_A} 401`,
			]);
		});

		it('Get Many (Return All) reads with it too', async () => {
			fake().addTracking(TB_BOT_A, { tracking_number: 'T-1', client_code: 'C', current_status: 'pending' });
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true } as never,
				credentials: cred({ apiKey: TB_KEY_40 }),
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['T-1']);
		});
	});

	describe('Get Many with Client Code', () => {
		it('a server honouring client_code (the code samples): the query carries it, the records are that client\'s', async () => {
			seed();
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', returnAll: true, filters: { clientCode: locator('CLIENT1') } });
			expect(result.error).toBeUndefined();
			expect(env.sandbox.log.map((r) => [r.path, r.query])).toEqual([[`/api/v1/tracking/${TB_BOT_A}`, { page: '1', page_size: '100', client_code: 'CLIENT1' }]]);
			expect(result.items.map((i) => [i.json.tracking_number, i.json.client_code])).toEqual([
				['TRK1', 'CLIENT1'],
				['TRK3', 'CLIENT1'],
				['TRK5', 'CLIENT1'],
			]);
		});

		it('with the status filter too', async () => {
			seed();
			fake().tracking[1].current_status = 'delivered';
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', limit: 10, filters: { clientCode: locator('CLIENT1'), status: 'pending' } });
			expect(env.sandbox.log[0].query).toEqual({ page: '1', page_size: '10', client_code: 'CLIENT1', status_filter: 'pending' });
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['TRK3', 'TRK5']);
		});

		it('a server ignoring client_code (clientCodeFilter = ignore): the item fails clearly, no other client\'s parcel comes out', async () => {
			seed();
			fake().clientCodeFilter = 'ignore';
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', returnAll: true, filters: { clientCode: locator('CLIENT1') } });
			expect(result.items).toEqual([]);
			expect(result.error?.message).toBe('Item 1: Tracking Bot ignored the Client Code filter: its answer holds tracking numbers of other clients (CLIENT0); none were returned');
			expect(result.error?.description).toBe('Use the operation "Get Many by Client" (GET /api/v1/tracking/{bot_id}/by-client/CLIENT1), which names the client in its path.');
		});

		it('a server ignoring client_code, Continue On Fail: the error item is paired with its input, the other items go on', async () => {
			seed();
			fake().clientCodeFilter = 'ignore';
			fake().tracking.forEach((t) => (t.client_code = 'CLIENT1'));
			fake().addTracking(TB_BOT_A, { tracking_number: 'X', client_code: null, current_status: 'pending' });
			const result = await run(
				{ resource: 'trackingNumber', operation: 'getAll', limit: 3, filters: { clientCode: locator('={{ $json.code }}') } },
				{},
				{ input: [{ code: 'CLIENT1' }, { code: 'CLIENT0' }], continueOnFail: true },
			);
			// Item 1: the first 3 records are all CLIENT1 → returned. Item 2: CLIENT1 records → refused.
			expect(result.items.map((i) => [i.json.tracking_number ?? i.json.error, (i.pairedItem as { item: number }).item])).toEqual([
				['TRK0', 0],
				['TRK1', 0],
				['TRK2', 0],
				['Item 2: Tracking Bot ignored the Client Code filter: its answer holds tracking numbers of other clients (CLIENT1); none were returned', 1],
			]);
		});

		it('Get Many by Client (the path form) is unaffected by a server ignoring the query parameter', async () => {
			seed();
			fake().clientCodeFilter = 'ignore';
			const result = await run({ resource: 'trackingNumber', operation: 'getAllByClient', clientCode: locator('CLIENT0') });
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['TRK0', 'TRK2', 'TRK4']);
		});
	});
});
