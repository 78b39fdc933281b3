import { useEnv } from './harness/setup';
import type { IqmTechFake } from '../sandbox/iqmTech';

const TOKEN = 'iqm-test-token-0123456789';

describe('IQM Tech: Visit → Send', () => {
	const env = useEnv();
	const cred = () => ({ iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: TOKEN, baseUrl: env.sandbox.url('iqm') }) });

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

	it('sends all 16 fields in the JSON body', async () => {
		const result = await env.harness.runNode({
			node: 'iqmTech',
			parameters: { resource: 'visit', operation: 'send', page: 'https://shop.example.ru/catalog', additionalFields: allFields },
			credentials: cred(),
		});
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('iqm');
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/sync/data');
		expect(request.rawQuery).toBe('');
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.headers['content-type']).toBe('application/json');
		expect(request.body).toEqual({ page: 'https://shop.example.ru/catalog', ...allFields });
		expect(result.items).toEqual([{ json: { success: true, id: 1 }, pairedItem: { item: 0 } }]);
	});
});
