import { useEnv } from './harness/setup';
import { TB_BOT_A, TB_BOT_B, TB_KEY_A, TB_KEY_B, type TrackingBotFake } from '../sandbox/trackingBot';

const locator = (value: string, mode = 'id') => ({ __rl: true, mode, value });

describe('Tracking Bot', () => {
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
	const run = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'trackingBot', parameters: parameters as never, credentials: cred(), ...extra });
	const seed = (count: number, botId = TB_BOT_A, status = (i: number) => ['pending', 'in_transit', 'delivered'][i % 3]) => {
		for (let i = 0; i < count; i++) {
			fake().addTracking(botId, { tracking_number: `TRK${String(i + 1).padStart(5, '0')}`, client_code: `CLIENT${i % 4}`, current_status: status(i) });
		}
	};
	const only = () => {
		expect(env.sandbox.log).toHaveLength(1);
		return env.sandbox.log[0];
	};

	describe('Bot → Get and the credential', () => {
		it.each([
			['the documented base (…/api/v1)', '/api/v1'],
			['the documented base with a slash', '/api/v1/'],
			['the host only', ''],
		])('with %s the path is /api/v1/bots/{bot_id}, the key in X-API-Key', async (_name, suffix) => {
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'bot', operation: 'get' },
				credentials: cred({ baseUrl: `${env.sandbox.url('trackingbot')}${suffix}` }),
			});
			expect(result.error).toBeUndefined();
			const request = only();
			expect([request.method, request.path, request.rawQuery, request.rawBody]).toEqual(['GET', `/api/v1/bots/${TB_BOT_A}`, '', '']);
			expect(request.headers['x-api-key']).toBe(TB_KEY_A);
			expect(request.headers.authorization).toBeUndefined();
			expect(result.items).toEqual([
				{
					json: { id: 123, name: 'Название компании', username: '@company_bot', is_active: true, subscription_status: 'active' },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('an empty key → clear error before sending (any other form is sent: the docs show only a placeholder)', async () => {
			const result = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'bot', operation: 'get' },
				credentials: cred({ apiKey: '   ' }),
			});
			expect(result.error?.message).toBe('The API Key of the Tracking Bot credential is empty');
			expect(env.sandbox.log).toHaveLength(0);
		});

		it('a Bot ID that is not a positive whole number → clear error before sending', async () => {
			const result = await env.harness.runNode({ node: 'trackingBot', parameters: { resource: 'bot', operation: 'get' }, credentials: cred({ botId: 0 }) });
			expect(result.error?.message).toBe('The Bot ID of the Tracking Bot credential must be a positive whole number, e.g. 123');
			expect(env.sandbox.log).toHaveLength(0);
		});

		it('a revoked key → 401 in the API\'s words, the key not shown', async () => {
			fake().keys.delete(TB_KEY_A);
			const result = await run({ resource: 'bot', operation: 'get' });
			expect(result.error?.message).toBe('Tracking Bot returned 401: Invalid or revoked API key');
			expect(JSON.stringify({ m: result.error?.message, d: result.error?.description })).not.toContain(TB_KEY_A);
			expect(env.sandbox.log).toHaveLength(1);
		});

		it('bot isolation: the key of bot A asking for bot B → 403, and B\'s key reads B', async () => {
			const denied = await env.harness.runNode({ node: 'trackingBot', parameters: { resource: 'bot', operation: 'get' }, credentials: cred({ botId: TB_BOT_B }) });
			expect(denied.error?.message).toBe('Tracking Bot returned 403: This API key has no access to this bot');
			const own = await env.harness.runNode({
				node: 'trackingBot',
				parameters: { resource: 'bot', operation: 'get' },
				credentials: cred({ botId: TB_BOT_B, apiKey: TB_KEY_B }),
			});
			expect(own.items[0].json.username).toBe('@other_bot');
		});

		it('Test reads the bot; refuses a wrong key, another bot and no host', async () => {
			const base = env.sandbox.url('trackingbot');
			const test = (data: Record<string, unknown>) =>
				env.harness.testCredential('trackingBot', 'trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${base}/api/v1`, botId: TB_BOT_A, ...data });
			expect(await test({})).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(env.sandbox.log.map((r) => `${r.method} ${r.path} ${String(r.headers['x-api-key'])}`)).toEqual([`GET /api/v1/bots/123 ${TB_KEY_A}`]);
			expect(await test({ baseUrl: base })).toEqual({ status: 'OK', message: 'Connection successful!' });
			// Any non-empty key is sent (15.3); the server decides. An empty key is sent empty and refused.
			expect(await test({ apiKey: ' ' })).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(await test({ apiKey: 'tb_123' })).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(await test({ apiKey: 'tb_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ' })).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(await test({ botId: TB_BOT_B })).toEqual({ status: 'Error', message: 'Forbidden - perhaps check your credentials?' });
			expect(await test({ baseUrl: 'http://127.0.0.1:1/api/v1' })).toEqual({ status: 'Error', message: 'The service refused the connection - perhaps it is offline' });
			expect(await test({ baseUrl: 'your-api-domain.com' })).toEqual({ status: 'Error', message: 'Invalid URL' });
		});
	});

	describe('Tracking Number', () => {
		it('Create sends every documented field and outputs the created record', async () => {
			const result = await run({
				resource: 'trackingNumber',
				operation: 'create',
				trackingNumber: 'ABC123456',
				additionalFields: {
					clientCode: locator('CLIENT123'),
					status: 'pending',
					quantity: 5,
					weightKg: 10.5,
					pricePerKgUsd: 14.29,
					totalCostUsd: 150,
					note: 'Хрупкое',
				},
			});
			expect(result.error).toBeUndefined();
			const request = only();
			expect([request.method, request.path, request.rawQuery]).toEqual(['POST', `/api/v1/tracking/${TB_BOT_A}`, '']);
			expect(request.headers['content-type']).toBe('application/json');
			expect(request.body).toEqual({
				tracking_number: 'ABC123456',
				client_code: 'CLIENT123',
				status: 'pending',
				quantity: 5,
				weight_kg: 10.5,
				price_per_kg_usd: 14.29,
				total_cost_usd: 150,
				note: 'Хрупкое',
			});
			expect(request.status).toBe(201);
			expect(result.items).toEqual([
				{
					json: {
						id: 1,
						tracking_number: 'ABC123456',
						client_code: 'CLIENT123',
						current_status: 'pending',
						quantity: 5,
						weight_kg: 10.5,
						price_per_kg_usd: 14.29,
						total_cost_usd: 150,
						note: 'Хрупкое',
						created_at: '2025-01-27T10:00:01',
						updated_at: '2025-01-27T10:00:01',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('Create with only the tracking number sends only it; a custom status passes', async () => {
			await run({ resource: 'trackingNumber', operation: 'create', trackingNumber: 'X1' });
			await run({ resource: 'trackingNumber', operation: 'create', trackingNumber: 'X2', additionalFields: { status: '={{ "at_customs" }}' } });
			expect(env.sandbox.log.map((r) => r.body)).toEqual([{ tracking_number: 'X1' }, { tracking_number: 'X2', status: 'at_customs' }]);
			expect(fake().tracking.map((t) => t.current_status)).toEqual(['pending', 'at_customs']);
		});

		it('Create of a duplicate → 400 in the API\'s words, not retried', async () => {
			seed(1);
			const result = await run({ resource: 'trackingNumber', operation: 'create', trackingNumber: 'TRK00001' });
			expect(result.error?.message).toBe('Tracking Bot returned 400: Tracking number TRK00001 already exists');
			expect(env.sandbox.log).toHaveLength(1);
		});

		it('Create: validation before sending', async () => {
			const cases: Array<[Record<string, unknown>, string]> = [
				[{ trackingNumber: '={{ "" }}' }, 'Item 1: "Tracking Number" is required but empty'],
				[{ trackingNumber: 'A', additionalFields: { quantity: 1.5 } }, 'Item 1: "Quantity" must be a whole number, got 1.5'],
				[{ trackingNumber: 'A', additionalFields: { weightKg: -1 } }, 'Item 1: "Weight (Kg)" must be at least 0, got -1'],
				[{ trackingNumber: 'A', additionalFields: { status: '={{ {"a": 1} }}' } }, 'Item 1: "Status" must be one of "pending", "in_transit", "delivered", "issued", "cancelled"; got an object'],
			];
			for (const [parameters, message] of cases) {
				const result = await run({ resource: 'trackingNumber', operation: 'create', ...parameters });
				expect(result.error?.message).toBe(message);
			}
			expect(env.sandbox.log).toHaveLength(0);
		});

		it('the API\'s FastAPI validation list is shown field by field', async () => {
			env.sandbox.inject({
				provider: 'trackingbot',
				status: 422,
				body: { detail: [{ loc: ['body', 'weight_kg'], msg: 'value is not a valid float', type: 'type_error.float' }, { loc: ['body', 'quantity'], msg: 'value is not a valid integer', type: 'type_error.integer' }] },
			});
			const result = await run({ resource: 'trackingNumber', operation: 'create', trackingNumber: 'A' });
			expect(result.error?.message).toBe('Tracking Bot returned 422: weight_kg: value is not a valid float; quantity: value is not a valid integer');
		});

		it('Get reads one record by its numeric ID', async () => {
			seed(3);
			const result = await run({ resource: 'trackingNumber', operation: 'get', trackingId: '2' });
			const request = only();
			expect([request.method, request.path, request.rawQuery]).toEqual(['GET', `/api/v1/tracking/${TB_BOT_A}/2`, '']);
			expect(result.items).toEqual([
				{
					json: {
						id: 2,
						tracking_number: 'TRK00002',
						client_code: 'CLIENT1',
						current_status: 'in_transit',
						quantity: null,
						weight_kg: null,
						price_per_kg_usd: null,
						total_cost_usd: null,
						note: null,
						created_at: '2025-01-27T10:00:02',
						updated_at: '2025-01-27T10:00:02',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('Get: a tracking number text instead of the ID → clear error; an unknown ID → 404', async () => {
			const bad = await run({ resource: 'trackingNumber', operation: 'get', trackingId: 'ABC123456' });
			expect(bad.error?.message).toBe('Item 1: "Tracking Number ID" is not valid: the numeric "id" of a tracking number (e.g. 1), not the tracking number text');
			expect(env.sandbox.log).toHaveLength(0);
			const missing = await run({ resource: 'trackingNumber', operation: 'get', trackingId: '77' });
			expect(missing.error?.message).toBe('Tracking Bot returned 404: Tracking number not found');
		});

		it('Get Many with a Limit asks for just that page size, with the status filter', async () => {
			seed(30);
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', limit: 5, filters: { status: 'delivered' } });
			expect(result.error).toBeUndefined();
			const request = only();
			expect([request.method, request.path, request.query]).toEqual(['GET', `/api/v1/tracking/${TB_BOT_A}`, { status_filter: 'delivered', page: '1', page_size: '5' }]);
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['TRK00003', 'TRK00006', 'TRK00009', 'TRK00012', 'TRK00015']);
			expect(result.items[0].json).toEqual(fake().view(fake().tracking[2]));
		});

		it('Get Many with Return All pages by 100 up to total', async () => {
			seed(250);
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(env.sandbox.log.map((r) => r.query).sort((a, b) => Number(a.page) - Number(b.page))).toEqual([
				{ page: '1', page_size: '100' },
				{ page: '2', page_size: '100' },
				{ page: '3', page_size: '100' },
			]);
			expect(result.items.map((i) => i.json.id)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
		});

		it('Get Many by Client: the client code percent-encoded in the path', async () => {
			seed(8);
			fake().addTracking(TB_BOT_A, { tracking_number: 'SPECIAL', client_code: 'CLI/ENT 1' });
			const result = await run({ resource: 'trackingNumber', operation: 'getAllByClient', clientCode: locator('CLIENT1') });
			expect(result.error).toBeUndefined();
			const request = only();
			expect([request.method, request.path, request.rawQuery]).toEqual(['GET', `/api/v1/tracking/${TB_BOT_A}/by-client/CLIENT1`, '']);
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(['TRK00002', 'TRK00006']);
			env.sandbox.clearLog();
			const special = await run({ resource: 'trackingNumber', operation: 'getAllByClient', clientCode: locator('CLI/ENT 1') });
			expect(only().path).toBe(`/api/v1/tracking/${TB_BOT_A}/by-client/CLI%2FENT%201`);
			expect(special.items.map((i) => i.json.tracking_number)).toEqual(['SPECIAL']);
		});

		it('Update Status PUTs only the status and outputs the updated record', async () => {
			seed(2);
			const result = await run({ resource: 'trackingNumber', operation: 'updateStatus', trackingId: '1', status: 'in_transit' });
			expect(result.error).toBeUndefined();
			const request = only();
			expect([request.method, request.path, request.body]).toEqual(['PUT', `/api/v1/tracking/${TB_BOT_A}/1`, { status: 'in_transit' }]);
			expect(result.items).toEqual([{ json: fake().view(fake().tracking[0]), pairedItem: { item: 0 } }]);
			expect(result.items[0].json.current_status).toBe('in_transit');
		});

		it('Update Status is retried on a 503 (PUT of one value is safe to repeat)', async () => {
			seed(1);
			env.sandbox.inject({ provider: 'trackingbot', method: 'PUT', status: 503, times: 1 });
			const result = await run({ resource: 'trackingNumber', operation: 'updateStatus', trackingId: '1', status: 'issued' });
			expect(result.error).toBeUndefined();
			expect(env.sandbox.log.map((r) => r.status)).toEqual([503, 200]);
			expect(fake().tracking[0].current_status).toBe('issued');
		});

		it('another bot\'s records are not reachable', async () => {
			fake().addTracking(TB_BOT_B, { tracking_number: 'B-ONLY' });
			const result = await run({ resource: 'trackingNumber', operation: 'getAll', returnAll: true });
			expect(result.items).toEqual([]);
			const get = await run({ resource: 'trackingNumber', operation: 'get', trackingId: '1' });
			expect(get.error?.message).toBe('Tracking Bot returned 404: Tracking number not found');
		});
	});

	describe('Client', () => {
		const seedClients = (count: number) => {
			for (let i = 0; i < count; i++) fake().addClient(TB_BOT_A, `CLIENT${i + 1}`, `Client ${i + 1}`);
			fake().addClient(TB_BOT_B, 'FOREIGN', 'Foreign');
		};

		it('Get reads one client by ID from the locator', async () => {
			seedClients(3);
			const result = await run({ resource: 'client', operation: 'get', clientId: locator('2') });
			const request = only();
			expect([request.method, request.path]).toEqual(['GET', `/api/v1/clients/${TB_BOT_A}/2`]);
			expect(result.items).toEqual([
				{
					json: { id: 2, client_code: 'CLIENT2', name: 'Client 2', telegram_id: 100001, phone: '+79990000001', created_at: '2025-01-27T10:00:02' },
					pairedItem: { item: 0 },
				},
			]);
		});

		it.each(['clients', 'items', 'array'] as const)('Get Many with Return All (list envelope "%s")', async (envelope) => {
			fake().clientEnvelope = envelope;
			seedClients(130);
			const result = await run({ resource: 'client', operation: 'getAll', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.client_code)).toEqual(Array.from({ length: 130 }, (_, i) => `CLIENT${i + 1}`));
			const pages = env.sandbox.log.map((r) => r.query).sort((a, b) => Number(a.page) - Number(b.page));
			expect(pages).toEqual([
				{ page: '1', page_size: '100' },
				{ page: '2', page_size: '100' },
			]);
		});

		it('Get Many with a Limit', async () => {
			seedClients(10);
			const result = await run({ resource: 'client', operation: 'getAll', limit: 3 });
			expect(only().query).toEqual({ page: '1', page_size: '3' });
			expect(result.items.map((i) => i.json.id)).toEqual([1, 2, 3]);
		});

		it('the client dropdowns list the bot\'s clients page by page and filter them', async () => {
			seedClients(120);
			const first = await env.harness.listSearch('trackingBot', 'searchClients', cred());
			expect(first.results).toHaveLength(100);
			expect(first.results[0]).toEqual({ name: 'Client 1 (CLIENT1)', value: '1' });
			expect(first.paginationToken).toBe('2');
			const second = await env.harness.listSearch('trackingBot', 'searchClients', cred(), undefined, '2');
			expect(second.results.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => String(i + 101)));
			expect(second.paginationToken).toBeUndefined();
			const codes = await env.harness.listSearch('trackingBot', 'searchClientCodes', cred(), 'client 11');
			// No documented search: each page is filtered here, the next page follows on scrolling.
			expect(codes).toEqual({ results: [{ name: 'Client 11 (CLIENT11)', value: 'CLIENT11' }], paginationToken: '2' });
			expect(env.sandbox.log.map((r) => [r.path, r.query])).toEqual([
				[`/api/v1/clients/${TB_BOT_A}`, { page: '1', page_size: '100' }],
				[`/api/v1/clients/${TB_BOT_A}`, { page: '2', page_size: '100' }],
				[`/api/v1/clients/${TB_BOT_A}`, { page: '1', page_size: '100' }],
			]);
		});
	});

	describe('Statistics', () => {
		it('Overview', async () => {
			seed(7);
			fake().addClient(TB_BOT_A, 'C1', 'One');
			const result = await run({ resource: 'statistics', operation: 'overview' });
			expect([only().method, only().path]).toEqual(['GET', `/api/v1/statistics/${TB_BOT_A}/overview`]);
			expect(result.items).toEqual([
				{
					json: { total_clients: 1, total_tracking_numbers: 7, pending: 3, in_transit: 2, delivered: 2, issued: 0, cancelled: 0 },
					pairedItem: { item: 0 },
				},
			]);
		});

		it('Tracking', async () => {
			seed(4);
			const result = await run({ resource: 'statistics', operation: 'tracking' });
			expect([only().method, only().path]).toEqual(['GET', `/api/v1/statistics/${TB_BOT_A}/tracking`]);
			expect(result.items).toEqual([
				{ json: { total: 4, by_status: { pending: 2, in_transit: 1, delivered: 1 }, total_weight_kg: 0 }, pairedItem: { item: 0 } },
			]);
		});
	});
});
