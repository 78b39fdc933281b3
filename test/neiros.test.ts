import { useEnv } from './harness/setup';
import type { NeirosFake } from '../sandbox/neiros';

const EMAIL = 'test@test.ru';
const PASSWORD = '123456';
const TOKEN_RE = /^\d+\|[A-Za-z0-9]{40}$/;

const site = (value: string) => ({ __rl: true, mode: 'id', value });

describe('Neiros', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<NeirosFake>('neiros');
	const loginCred = (password = PASSWORD) => ({
		neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: EMAIL, password, baseUrl: env.sandbox.url('neiros') }),
	});
	const tokenCred = (apiToken: string) => ({
		neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'token', apiToken, baseUrl: env.sandbox.url('neiros') }),
	});
	const run = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'neiros', parameters: parameters as never, credentials: loginCred(), ...extra });
	const apiRequests = () => env.sandbox.requests('neiros').filter((r) => r.path !== '/api/userapi/v1/auth/login');

	describe('Site → Get Many', () => {
		it('logs in with e-mail and password, then lists the sites with the token sent verbatim', async () => {
			const before = env.harness.credentials.logins.length;
			const result = await run({ resource: 'site', operation: 'getAll' });
			expect(result.error).toBeUndefined();
			const [login, list] = env.sandbox.requests('neiros');
			expect(env.sandbox.log).toHaveLength(2);
			expect([login.method, login.path, login.rawQuery]).toEqual(['POST', '/api/userapi/v1/auth/login', '']);
			expect(login.body).toEqual({ email: EMAIL, password: PASSWORD });
			expect(login.headers['content-type']).toBe('application/json');
			expect(login.headers.accept).toBe('application/json');
			expect([list.method, list.path, list.rawQuery, list.rawBody]).toEqual(['GET', '/api/userapi/v1/sites', '', '']);
			const token = [...fake().tokens.keys()][0];
			expect(token).toMatch(TOKEN_RE);
			expect(list.headers.authorization).toBe(`Bearer ${token}`);
			expect(list.headers.accept).toBe('application/json');
			expect(list.headers['content-type']).toBe('application/json');
			expect(result.items).toEqual(
				[
					{ name: 'wistis.ru', id: 19 },
					{ name: 'autokovrik.ru', id: 53 },
					{ name: 'yandex.ru', id: 167 },
					{ name: 'plugin.wistis.ru', id: 174 },
				].map((json) => ({ json, pairedItem: { item: 0 } })),
			);
			expect(env.harness.credentials.logins.slice(before)).toEqual([{ type: 'neirosApi', expired: false }]);
		});

		it('keeps the token for the next execution (no second login)', async () => {
			const credentials = loginCred();
			await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials });
			await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials });
			expect(fake().logins).toBe(1);
			expect(env.sandbox.requests('neiros').map((r) => r.path)).toEqual([
				'/api/userapi/v1/auth/login',
				'/api/userapi/v1/sites',
				'/api/userapi/v1/sites',
			]);
		});

		it.each(['data', 'access_token'] as const)('accepts the login answer shape "%s"', async (shape) => {
			fake().loginShape = shape;
			const result = await run({ resource: 'site', operation: 'getAll' });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			expect(apiRequests()[0].headers.authorization).toBe(`Bearer ${[...fake().tokens.keys()][0]}`);
		});

		it('with a ready API token: no login, the token (with its "|") sent as is', async () => {
			const token = fake().issueToken();
			const result = await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials: tokenCred(token) });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(4);
			expect(env.sandbox.log).toHaveLength(1);
			expect(env.sandbox.log[0].headers.authorization).toBe(`Bearer ${token}`);
			expect(fake().logins).toBe(0);
		});

		it('a wrong password → a clear login error without the password', async () => {
			const result = await env.harness.runNode({
				node: 'neiros',
				parameters: { resource: 'site', operation: 'getAll' },
				credentials: loginCred('wrong-SECRET-pass'),
			});
			expect(result.error?.message).toBe(
				'Neiros returned 401: Neiros login failed (HTTP 401): These credentials do not match our records. — check the e-mail and password of the credential',
			);
			expect(JSON.stringify({ m: result.error?.message, d: result.error?.description })).not.toContain('SECRET');
			expect(env.sandbox.requests('neiros').map((r) => [r.path, r.status])).toEqual([['/api/userapi/v1/auth/login', 401]]);
		});

		it('a revoked ready token → 401 in the API\'s words', async () => {
			const token = fake().issueToken();
			fake().revokeAll();
			const result = await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials: tokenCred(token) });
			expect(result.error?.message).toBe('Neiros returned 401: Unauthenticated.');
			// A ready token cannot be renewed: refused once, not sent again.
			expect(env.sandbox.log).toHaveLength(1);
			expect(JSON.stringify({ m: result.error?.message, d: result.error?.description })).not.toContain(token.split('|')[1]);
			expect(fake().logins).toBe(0);
		});
	});

	describe('Deal → Get Many', () => {
		beforeEach(() => {
			fake().seedDeals(19, 40, '2020-07-01');
			fake().seedDeals(53, 3, '2020-07-01', 1000);
		});

		it('Return All walks page 1 … last_page with the query string only (no GET body)', async () => {
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('19'), returnAll: true });
			expect(result.error).toBeUndefined();
			const lists = apiRequests();
			expect(lists.map((r) => [r.method, r.path, r.query, r.rawBody])).toEqual([
				['GET', '/api/userapi/v1/projects', { site_id: '19', page: '1' }, ''],
				['GET', '/api/userapi/v1/projects', { site_id: '19', page: '2' }, ''],
				['GET', '/api/userapi/v1/projects', { site_id: '19', page: '3' }, ''],
			]);
			expect(result.items).toHaveLength(40);
			expect(result.items[0]).toEqual({ json: { id: 1, site_id: 19, date: '2020-07-01' }, pairedItem: { item: 0 } });
			expect(result.items.map((i) => i.json.id)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
		});

		it('sends the date range as YYYY-MM-DD in the workflow time zone', async () => {
			const result = await run({
				resource: 'deal',
				operation: 'getAll',
				siteId: site('19'),
				returnAll: true,
				// 22:30 UTC is already the next day in Moscow (the workflow's zone).
				filters: { dateStart: '2020-07-05', dateEnd: '2020-07-20T22:30:00Z' },
			});
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.query)).toEqual([
				{ site_id: '19', date_start: '2020-07-05', date_end: '2020-07-21', page: '1' },
				{ site_id: '19', date_start: '2020-07-05', date_end: '2020-07-21', page: '2' },
			]);
			expect(result.items.map((i) => i.json.date)).toEqual(Array.from({ length: 17 }, (_, i) => `2020-07-${String(i + 5).padStart(2, '0')}`));
		});

		it('Limit stops after the pages needed', async () => {
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('19'), returnAll: false, limit: 20 });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.query.page)).toEqual(['1', '2']);
			expect(result.items.map((i) => i.json.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
		});

		it('Limit within the first page makes one request', async () => {
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('53'), limit: 2 });
			expect(apiRequests()).toHaveLength(1);
			expect(result.items.map((i) => i.json)).toEqual([
				{ id: 1000, site_id: 53, date: '2020-07-01' },
				{ id: 1001, site_id: 53, date: '2020-07-02' },
			]);
		});

		it('without last_page in the answer, walks until an empty page', async () => {
			fake().omitLastPage = true;
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('19'), returnAll: true });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.query.page)).toEqual(['1', '2', '3', '4']);
			expect(result.items).toHaveLength(40);
		});

		it('an empty site → no items, one request', async () => {
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('167'), returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([]);
			expect(apiRequests()).toHaveLength(1);
		});

		it('a site of another account → 403 in Laravel\'s words', async () => {
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('500'), returnAll: true });
			expect(result.error?.message).toBe('Neiros returned 403: This action is unauthorized.');
		});
	});

	describe('Deal → Get', () => {
		it('gets one deal by ID and site, output as the API gives it', async () => {
			fake().seedDeals(19, 10);
			const result = await run({ resource: 'deal', operation: 'get', dealId: '8', siteId: site('19') });
			expect(result.error).toBeUndefined();
			const [request] = apiRequests();
			expect([request.method, request.path, request.query, request.rawBody]).toEqual(['GET', '/api/userapi/v1/project/8', { site_id: '19' }, '']);
			expect(result.items).toEqual([
				{
					json: {
						id: 8,
						neiros_visit: '5f1363cc9eafb805ea190008',
						neiros_id: '4602608',
						created_at: '2020-07-08T21:04:48.000000Z',
						phone: '79990000008',
						duration: 22,
						record: 'https://audio.neiros.ru/8.mp3',
						canal: 'Google',
						traffic: 'google',
						summ: 0,
						status: 'Неразобранное',
					},
					pairedItem: { item: 0 },
				},
			]);
		});

		it('an unknown deal → 404 in the API\'s words', async () => {
			const result = await run({ resource: 'deal', operation: 'get', dealId: '99', siteId: site('19') });
			expect(result.error?.message).toBe('Neiros returned 404: Сделка не найдена');
		});
	});

	describe('Deal → Update Amount', () => {
		it('POSTs site_id and summ as numbers, outputs the answer', async () => {
			fake().seedDeals(19, 3);
			const result = await run({ resource: 'deal', operation: 'updateAmount', dealId: '2', siteId: site('19'), amount: 1500 });
			expect(result.error).toBeUndefined();
			const [request] = apiRequests();
			expect([request.method, request.path, request.rawQuery]).toEqual(['POST', '/api/userapi/v1/project/2/update', '']);
			expect(request.body).toEqual({ site_id: 19, summ: 1500 });
			expect(request.headers['content-type']).toBe('application/json');
			expect(result.items).toEqual([{ json: { success: true }, pairedItem: { item: 0 } }]);
			expect(fake().updates).toEqual([{ id: 2, site_id: 19, summ: 1500 }]);
		});

		it('a 500 after processing is not retried (the update may add to the amount)', async () => {
			fake().seedDeals(19, 3);
			env.sandbox.inject({ provider: 'neiros', path: /update$/, status: 500, afterProcessing: true, times: 1 });
			const result = await run({ resource: 'deal', operation: 'updateAmount', dealId: '2', siteId: site('19'), amount: 10 }, { continueOnFail: true });
			expect(apiRequests()).toHaveLength(1);
			expect(fake().updates).toHaveLength(1);
			expect(result.items[0].json.error).toBe('Neiros returned 500: Internal server error');
			expect(result.items[0].json.description).toContain('Not retried');
		});

		it('the amount from an expression per item, numeric text accepted', async () => {
			fake().seedDeals(19, 3);
			const result = await run(
				{ resource: 'deal', operation: 'updateAmount', dealId: '={{ $json.id }}', siteId: site('={{ $json.site }}'), amount: '={{ $json.sum }}' },
				{ input: [{ id: 1, site: 19, sum: '99.5' }, { id: 3, site: '19', sum: 0 }] },
			);
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => [r.path, r.body])).toEqual([
				['/api/userapi/v1/project/1/update', { site_id: 19, summ: 99.5 }],
				['/api/userapi/v1/project/3/update', { site_id: 19, summ: 0 }],
			]);
		});
	});

	describe('re-login', () => {
		it('a token revoked mid-run → one re-login, the refused request sent again, every item succeeds', async () => {
			fake().seedDeals(19, 5);
			fake().revokeAfterRequests = 2;
			const before = env.harness.credentials.logins.length;
			const result = await run(
				{ resource: 'deal', operation: 'get', dealId: '={{ $json.id }}', siteId: site('19'), requestOptions: { concurrency: 1 } },
				{ input: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }] },
			);
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.id)).toEqual([1, 2, 3, 4]);
			expect(env.sandbox.requests('neiros').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'POST /api/userapi/v1/auth/login 200',
				'GET /api/userapi/v1/project/1 200',
				'GET /api/userapi/v1/project/2 200',
				'GET /api/userapi/v1/project/3 401',
				// The transport repeats a 401 once in n8n's throwing mode, where n8n-core runs the
				// credential's preAuthentication (expired) and retries with the new token.
				'GET /api/userapi/v1/project/3 401',
				'POST /api/userapi/v1/auth/login 200',
				'GET /api/userapi/v1/project/3 200',
				'GET /api/userapi/v1/project/4 200',
			]);
			expect(env.harness.credentials.logins.slice(before)).toEqual([
				{ type: 'neirosApi', expired: false },
				{ type: 'neirosApi', expired: true },
			]);
			const log = env.sandbox.requests('neiros');
			expect(log[3].headers.authorization).toBe(log[1].headers.authorization);
			expect(log[6].headers.authorization).not.toBe(log[3].headers.authorization);
			expect(log[7].headers.authorization).toBe(log[6].headers.authorization);
		});

		it('a Return All whose token is revoked between pages finishes after one re-login', async () => {
			fake().seedDeals(19, 20);
			fake().revokeAfterRequests = 1;
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('19'), returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(20);
			expect(fake().logins).toBe(2);
		});

		it('a re-login that fails (password changed) → a clear error', async () => {
			fake().seedDeals(19, 2);
			const credentials = loginCred();
			await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials });
			fake().revokeAll();
			fake().users[0].password = 'changed';
			const result = await env.harness.runNode({ node: 'neiros', parameters: { resource: 'site', operation: 'getAll' }, credentials });
			expect(result.error?.message).toContain('Neiros login failed (HTTP 401)');
			expect(fake().logins).toBe(1);
			// The refused token, the same request in n8n's re-login mode, then one failed login.
			expect(env.sandbox.requests('neiros').slice(2).map((r) => `${r.path} ${r.status}`)).toEqual([
				'/api/userapi/v1/sites 401',
				'/api/userapi/v1/sites 401',
				'/api/userapi/v1/auth/login 401',
			]);
		});
	});

	describe('validation before sending', () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['site not numeric', { resource: 'deal', operation: 'getAll', siteId: site('={{ "wistis.ru" }}') }, 'Item 1: "Site" is not valid: expected an ID matching ^\\d+$'],
			['site missing', { resource: 'deal', operation: 'get', dealId: '1', siteId: site('={{ "" }}') }, 'Item 1: "Site" is required but empty'],
			['deal id not numeric', { resource: 'deal', operation: 'get', dealId: 'abc', siteId: site('19') }, 'Item 1: "Deal ID" is not valid: a numeric deal ID such as 8 (the "id" of a deal from Deal → Get Many)'],
			['bad date', { resource: 'deal', operation: 'getAll', siteId: site('19'), filters: { dateStart: 'yesterday' } }, 'Item 1: "Date From" must be a date/time (e.g. 2024-05-01T10:00:00 or an n8n date), got string "yesterday"'],
			['negative amount', { resource: 'deal', operation: 'updateAmount', dealId: '1', siteId: site('19'), amount: -5 }, 'Item 1: "Amount" must be at least 0, got -5'],
			['amount not a number', { resource: 'deal', operation: 'updateAmount', dealId: '1', siteId: site('19'), amount: '={{ "a lot" }}' }, 'Item 1: "Amount" must be a number, got string "a lot"'],
		];
		it.each(cases)('%s → clear error, nothing sent to the API', async (_name, parameters, message) => {
			const result = await run(parameters);
			expect(result.error?.message).toBe(message);
			expect(apiRequests()).toHaveLength(0);
		});

		it('the service\'s own 422 is shown in its words', async () => {
			env.sandbox.inject({
				provider: 'neiros',
				path: /projects$/,
				status: 422,
				body: { message: 'The date start does not match the format Y-m-d.', errors: { date_start: ['The date start does not match the format Y-m-d.'] } },
			});
			const result = await run({ resource: 'deal', operation: 'getAll', siteId: site('19') });
			expect(result.error?.message).toBe(
				'Neiros returned 422: The date start does not match the format Y-m-d. (date_start: The date start does not match the format Y-m-d.)',
			);
		});
	});

	describe('site list search and credential test', () => {
		it('lists the sites for the Site dropdown, filtered by name', async () => {
			const all = await env.harness.listSearch('neiros', 'searchSites', loginCred());
			expect(all).toEqual({
				results: [
					{ name: 'wistis.ru (19)', value: '19' },
					{ name: 'autokovrik.ru (53)', value: '53' },
					{ name: 'yandex.ru (167)', value: '167' },
					{ name: 'plugin.wistis.ru (174)', value: '174' },
				],
				paginationToken: undefined,
			});
			const some = await env.harness.listSearch('neiros', 'searchSites', loginCred(), 'wistis');
			expect(some.results.map((r) => r.value)).toEqual(['19', '174']);
		});

		it('Test logs in and lists the sites', async () => {
			const ok = await env.harness.testCredential('neiros', 'neirosApi', { authMethod: 'login', email: EMAIL, password: PASSWORD, baseUrl: env.sandbox.url('neiros') });
			expect(ok).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(env.sandbox.requests('neiros').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'POST /api/userapi/v1/auth/login 200',
				'GET /api/userapi/v1/sites 200',
			]);
		});

		it('Test refuses a wrong password, a wrong token and an unreachable host', async () => {
			const base = env.sandbox.url('neiros');
			expect(await env.harness.testCredential('neiros', 'neirosApi', { authMethod: 'login', email: EMAIL, password: 'nope', baseUrl: base })).toEqual({
				status: 'Error',
				message: 'Authorization failed - please check your credentials',
			});
			expect(await env.harness.testCredential('neiros', 'neirosApi', { authMethod: 'token', apiToken: '1|nope', baseUrl: base })).toEqual({
				status: 'Error',
				// n8n 1.x drops the `cause` of its NodeApiError, so its generic words win over the rule's.
				message: 'Authorization failed - please check your credentials',
			});
			const token = fake().issueToken();
			expect(await env.harness.testCredential('neiros', 'neirosApi', { authMethod: 'token', apiToken: token, baseUrl: base })).toEqual({
				status: 'OK',
				message: 'Connection successful!',
			});
			expect(await env.harness.testCredential('neiros', 'neirosApi', { authMethod: 'token', apiToken: token, baseUrl: 'http://127.0.0.1:1' })).toEqual({
				status: 'Error',
				message: 'The service refused the connection - perhaps it is offline',
			});
		});
	});
});
