import { useEnv } from './harness/setup';

const TOKEN = 'iqm-test-token-0123456789';

describe('Custom API Call (IQM Tech node; the same engine serves every node)', () => {
	const env = useEnv();
	const call = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({
			node: 'iqmTech',
			parameters: { resource: 'customApiCall', operation: 'call', ...parameters } as never,
			credentials: { iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: TOKEN, baseUrl: env.sandbox.url('iqm') }) },
			...extra,
		});

	it('sends method, path, query, headers and JSON body through the credential', async () => {
		const result = await call({
			method: 'POST',
			path: '/api/sync/data',
			query: { pairs: [{ name: 'utm_source', value: 'yandex' }] },
			headers: { pairs: [{ name: 'X-Request-Id', value: 'r-1' }] },
			body: '{"page": "https://a.ru/x", "age": "30"}',
		});
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('iqm');
		expect([request.method, request.path, request.rawQuery]).toEqual(['POST', '/api/sync/data', 'utm_source=yandex']);
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.headers['x-request-id']).toBe('r-1');
		expect(request.body).toEqual({ page: 'https://a.ru/x', age: '30' });
		expect(result.items).toEqual([{ json: { success: true, id: 1 }, pairedItem: { item: 0 } }]);
	});

	it('accepts a full URL on the credential\'s own host', async () => {
		const result = await call({ method: 'POST', path: `${env.sandbox.url('iqm')}/api/sync/data`, body: '{"page":"https://a.ru"}' });
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('iqm')).toHaveLength(1);
	});

	it.each([
		['another host', { path: 'https://evil.example.com/steal' }, 'Item 1: "Path" points to another host (evil.example.com); a Custom API Call only goes to the credential\'s Base URL'],
		['a protocol-relative URL', { path: '//evil.example.com/x' }, 'Item 1: "Path" points to another host (evil.example.com)'],
		['an Authorization header', { headers: { pairs: [{ name: 'authorization', value: 'Bearer other' }] } }, 'Item 1: the header "authorization" comes from the credential and cannot be overridden'],
		['a broken JSON body', { method: 'POST', body: '{"page": ' }, 'Item 1: "Body (JSON)" must be valid JSON'],
	])('refuses %s before sending anything', async (_name, parameters, message) => {
		const result = await call({ method: 'GET', path: '/api/sync/data', ...parameters });
		expect(result.error?.message).toContain(message);
		expect(env.sandbox.log).toHaveLength(0);
	});

	it('maps the provider\'s errors like the built-in operations', async () => {
		const result = await call({ method: 'POST', path: '/api/sync/data', body: '{}' });
		expect(result.error?.message).toBe('IQM Tech returned 422: The page field is required. (page: The page field is required.)');
	});
});
