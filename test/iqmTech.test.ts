import { useEnv } from './harness/setup';
import type { IqmTechFake } from '../sandbox/iqmTech';

const TOKEN = 'iqm-test-token-0123456789';

const allFields = {
	ref: 'https://yandex.ru/',
	phone: '+7 925 203-23-40',
	browser: 'Chrome',
	device: 'iPhone',
	platform: 'iOS',
	ip_address: '192.168.1.1',
	utm_term: 'search-term',
	utm_source: 'google',
	utm_campaign: 'spring_sale',
	utm_medium: 'email',
	utm_content: 'promo_code',
	latitude: '55.7558',
	longitude: '37.6173',
	gender: 'male',
	age: '30',
};

describe('IQM Tech: Visit → Send', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<IqmTechFake>('iqm');
	const cred = (token = TOKEN) => ({
		iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: token, baseUrl: env.sandbox.url('iqm') }),
	});
	const send = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({
			node: 'iqmTech',
			parameters: { resource: 'visit', operation: 'send', ...parameters } as never,
			credentials: cred(),
			...extra,
		});

	it('sends all 16 fields in the JSON body', async () => {
		const result = await send({ page: 'https://shop.example.ru/catalog', additionalFields: allFields });
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('iqm');
		expect(env.sandbox.log).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/sync/data');
		expect(request.rawQuery).toBe('');
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual({ page: 'https://shop.example.ru/catalog', ...allFields });
		expect(result.items).toEqual([{ json: { success: true, id: 1 }, pairedItem: { item: 0 } }]);
		expect(fake().visits[0].data).toEqual({ page: 'https://shop.example.ru/catalog', ...allFields });
	});

	it('sends all 16 fields in the query string, percent-encoded, with an empty JSON body', async () => {
		const result = await send({ sendAs: 'query', page: 'http://localhost/a b?x=1&y=2', additionalFields: allFields });
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('iqm');
		expect(request.method).toBe('POST');
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.rawBody).toBe('{}');
		expect(request.query).toEqual({ page: 'http://localhost/a b?x=1&y=2', ...allFields });
		// Quirk 4: "+" of the phone is encoded (%2B), never sent raw (a raw + would decode to a space).
		expect(request.rawQuery).toContain('phone=%2B7');
		expect(request.rawQuery).not.toContain('&x=1');
		expect(fake().visits[0].source).toBe('query');
		expect(result.items).toEqual([{ json: { success: true, id: 1 }, pairedItem: { item: 0 } }]);
	});

	it('takes values from expressions per item, numbers for latitude/age become text', async () => {
		const result = await send(
			{
				page: '={{ $json.url }}',
				additionalFields: { latitude: '={{ $json.lat }}', age: '={{ $json.age }}', phone: '={{ $json.phone }}' },
			},
			{ input: [{ url: 'https://a.ru/1', lat: 55.75, age: 31, phone: '+79990000001' }, { url: 'https://a.ru/2', lat: '-33,5', age: '40', phone: '' }] },
		);
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('iqm').map((r) => r.body)).toEqual([
			{ page: 'https://a.ru/1', latitude: '55.75', age: '31', phone: '+79990000001' },
			{ page: 'https://a.ru/2', latitude: '-33.5', age: '40' },
		]);
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	describe('validation before sending', () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			['page missing', { page: '={{ "" }}' }, 'Item 1: "Page URL" is required but empty'],
			['page too long', { page: `https://a.ru/${'x'.repeat(250)}` }, 'Item 1: "Page URL" is too long: at most 255 characters are allowed, got 263'],
			['phone too long', { page: 'https://a.ru', additionalFields: { phone: '+7 925 203-23-40 ext 12' } }, 'Item 1: "Phone" is too long: at most 20 characters are allowed, got 23'],
			['referrer too long', { page: 'https://a.ru', additionalFields: { ref: 'r'.repeat(256) } }, 'Item 1: "Referrer URL" is too long: at most 255 characters are allowed, got 256'],
			['utm too long', { page: 'https://a.ru', additionalFields: { utm_source: 's'.repeat(300) } }, 'Item 1: "UTM Source" is too long: at most 255 characters are allowed, got 300'],
			['latitude not numeric', { page: 'https://a.ru', additionalFields: { latitude: 'north' } }, 'Item 1: "Latitude" must be a number (e.g. 55.7558), got "north"'],
			['latitude out of range', { page: 'https://a.ru', additionalFields: { latitude: '91' } }, 'Item 1: "Latitude" must be at most 90, got 91'],
			['longitude not numeric', { page: 'https://a.ru', additionalFields: { longitude: '37.6.1' } }, 'Item 1: "Longitude" must be a number (e.g. 55.7558), got "37.6.1"'],
			['object for a text field', { page: '={{ {"a": 1} }}' }, 'Item 1: "Page URL" must be text, got an object'],
			['wrong send mode', { page: 'https://a.ru', sendAs: '={{ "form" }}' }, 'Item 1: "Send Parameters In" must be one of "body", "query"; got string "form"'],
		];
		it.each(cases)('%s → clear error, nothing sent', async (_name, parameters, message) => {
			const result = await send(parameters);
			expect(result.error?.message).toBe(message);
			expect(env.sandbox.log).toHaveLength(0);
		});

		it('with Continue On Fail the bad item is an error item paired with its input; the others are sent once', async () => {
			const result = await send(
				{ page: '={{ $json.url }}' },
				{ continueOnFail: true, input: [{ url: 'https://a.ru/1' }, { url: '' }, { url: 'https://a.ru/3' }] },
			);
			expect(result.error).toBeUndefined();
			expect(env.sandbox.requests('iqm').map((r) => (r.body as { page: string }).page)).toEqual(['https://a.ru/1', 'https://a.ru/3']);
			expect(result.items).toEqual([
				{ json: { success: true, id: 1 }, pairedItem: { item: 0 } },
				{
					json: {
						error: 'Item 2: "Page URL" is required but empty',
						description: 'URL of the visited page (required; not a page number), at most 255 characters (parameter "page"). The item was not sent.',
						delivery: 'not sent',
						requestsSent: 0,
					},
					pairedItem: { item: 1 },
				},
				{ json: { success: true, id: 2 }, pairedItem: { item: 2 } },
			]);
		});
	});

	describe('service answers', () => {
		it('401 → a clear credential error without the token', async () => {
			const result = await env.harness.runNode({
				node: 'iqmTech',
				parameters: { resource: 'visit', operation: 'send', page: 'https://a.ru' },
				credentials: cred('wrong-token-SECRET-123456'),
			});
			expect(result.error?.message).toBe('IQM Tech returned 401: Unauthenticated.');
			expect(result.error?.description).toContain('the credential was refused');
			expect(JSON.stringify({ m: result.error?.message, d: result.error?.description, c: result.error?.context })).not.toContain('SECRET');
			expect(env.sandbox.log).toHaveLength(1);
		});

		it('422 from the service is shown in its own words', async () => {
			// The service's own validation (here: an ip_address of a wrong type sent by expression).
			const result = await send({ page: 'https://a.ru', additionalFields: { gender: 'x' } });
			expect(result.error).toBeUndefined();
			env.sandbox.inject({ provider: 'iqm', status: 422, body: { message: 'The phone format is invalid.', errors: { phone: ['The phone format is invalid.'] } } });
			const failed = await send({ page: 'https://a.ru' });
			expect(failed.error?.message).toBe('IQM Tech returned 422: The phone format is invalid. (phone: The phone format is invalid.)');
		});

		it('429 with Retry-After → waits and succeeds, sent once more only after the refusal', async () => {
			env.sandbox.inject({ provider: 'iqm', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
			const started = Date.now();
			const result = await send({ page: 'https://a.ru' });
			expect(result.error).toBeUndefined();
			expect(Date.now() - started).toBeGreaterThanOrEqual(950);
			const log = env.sandbox.requests('iqm');
			expect(log.map((r) => [r.status, r.processed])).toEqual([
				[429, false],
				[200, true],
			]);
			expect(fake().visits).toHaveLength(1);
			expect(result.items).toEqual([{ json: { success: true, id: 1 }, pairedItem: { item: 0 } }]);
		});

		it('429 asking for longer than Max Retry Wait → clear error, no more requests', async () => {
			env.sandbox.inject({ provider: 'iqm', status: 429, headers: { 'Retry-After': '30' } });
			const result = await send({ page: 'https://a.ru', requestOptions: { maxRetryWait: 5 } });
			expect(result.error?.message).toBe('IQM Tech returned 429: Too many requests');
			expect(result.error?.description).toContain('asked to wait 30 s, more than the node\'s Max Retry Wait allows');
			expect(env.sandbox.log).toHaveLength(1);
		});

		it('500 on the (not idempotent) POST → no retry, a clear error saying why', async () => {
			env.sandbox.inject({ provider: 'iqm', status: 500, body: '<html><body>Server Error</body></html>', afterProcessing: true, times: 1 });
			const result = await send({ page: 'https://a.ru' }, { continueOnFail: true });
			expect(env.sandbox.log).toHaveLength(1);
			expect(fake().visits).toHaveLength(1);
			expect(result.items).toHaveLength(1);
			const json = result.items[0].json;
			expect(json.error).toBe('IQM Tech returned 500: Internal server error');
			expect(json.description).toContain('the response was an HTML page');
			expect(json.description).toContain('Not retried');
			expect(json.delivery).toBe('unknown');
			expect(json.requestsSent).toBe(1);
			expect(result.items[0].pairedItem).toEqual({ item: 0 });
		});

		it('a dropped connection on the POST → no retry, delivery unknown', async () => {
			env.sandbox.inject({ provider: 'iqm', drop: true, times: 1 });
			const result = await send({ page: 'https://a.ru' });
			expect(result.error?.message).toMatch(/^IQM Tech request failed: connection failed \(/);
			expect(env.sandbox.log).toHaveLength(1);
		});

		it('a response slower than the Timeout option → a timeout error', async () => {
			env.sandbox.inject({ provider: 'iqm', delayMs: 1500, times: 1 });
			const result = await send({ page: 'https://a.ru', requestOptions: { timeout: 0.5 } });
			expect(result.error?.message).toBe('IQM Tech request failed: no response within 1 s (timeout)');
			// The fake still processes the slow request after the node gave up: let it finish here.
			await new Promise((resolve) => setTimeout(resolve, 1200));
			expect(fake().visits).toHaveLength(1);
		});

		it.each([
			['an empty 200', 'empty', { success: true }],
			['a plain-text 200', 'text', { value: 'OK' }],
		] as const)('accepts %s as success', async (_name, style, output) => {
			fake().responseStyle = style;
			const result = await send({ page: 'https://a.ru' });
			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([{ json: output, pairedItem: { item: 0 } }]);
		});

		it('sends many items in parallel, keeps their order and sends each once', async () => {
			env.sandbox.latencyMs = 20;
			const input = Array.from({ length: 40 }, (_, i) => ({ url: `https://a.ru/${i}` }));
			const result = await send({ page: '={{ $json.url }}', requestOptions: { concurrency: 8 } }, { input });
			expect(result.error).toBeUndefined();
			expect(fake().visits.map((v) => v.data.page).sort()).toEqual(input.map((i) => i.url).sort());
			expect(result.items.map((i) => i.pairedItem)).toEqual(input.map((_, i) => ({ item: i })));
			expect(new Set(result.items.map((i) => i.json.id)).size).toBe(40);
		});
	});

	describe('credential', () => {
		it('Test accepts a valid token without storing a visit', async () => {
			const ok = await env.harness.testCredential('iqmTech', 'iqmTechApi', { apiToken: TOKEN, baseUrl: env.sandbox.url('iqm') });
			expect(ok).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(fake().visits).toHaveLength(0);
			const [request] = env.sandbox.requests('iqm');
			expect([request.method, request.path, request.headers.authorization]).toEqual(['POST', '/api/sync/data', `Bearer ${TOKEN}`]);
		});

		it('Test refuses a wrong token and a wrong host', async () => {
			const bad = await env.harness.testCredential('iqmTech', 'iqmTechApi', { apiToken: 'nope', baseUrl: env.sandbox.url('iqm') });
			expect(bad).toEqual({ status: 'Error', message: 'IQM Tech refused the token (Unauthenticated.)' });
			const notUrl = await env.harness.testCredential('iqmTech', 'iqmTechApi', { apiToken: TOKEN, baseUrl: 'iqmtech.ru' });
			expect(notUrl.status).toBe('Error');
			const notIqm = await env.harness.testCredential('iqmTech', 'iqmTechApi', { apiToken: TOKEN, baseUrl: env.sandbox.url('iqm').replace(/\/iqm$/, '/not-iqm') });
			expect(notIqm).toEqual({ status: 'Error', message: 'IQM Tech did not answer with a validation error, so the token is not proven: the token was refused, or the Base URL is not the IQM Tech sync endpoint (POST /api/sync/data)' });
			const closed = await env.harness.testCredential('iqmTech', 'iqmTechApi', { apiToken: TOKEN, baseUrl: 'http://127.0.0.1:1' });
			expect(closed).toEqual({ status: 'Error', message: 'The service refused the connection - perhaps it is offline' });
		});

		it('a Base URL that is not http(s) fails cleanly before sending', async () => {
			const result = await env.harness.runNode({
				node: 'iqmTech',
				parameters: { resource: 'visit', operation: 'send', page: 'https://a.ru' },
				credentials: { iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: TOKEN, baseUrl: 'ftp://iqmtech.ru' }) },
			});
			expect(result.error?.message).toBe('The Base URL of the IQM Tech credential must be an http(s) URL such as https://example.com, got "ftp://iqmtech.ru"');
			expect(env.sandbox.log).toHaveLength(0);
		});
	});
});
