import { useEnv } from './harness/setup';
import { LOYMAX_USER, type LoymaxFake } from '../sandbox/loymax';

describe('Loymax: lists to pick from (resource locators)', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<LoymaxFake>('loymax');
	const creds = () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) });

	it('lists campaigns of each channel through the credential', async () => {
		const c = creds();
		expect(await env.harness.listSearch('loymax', 'searchEmailCampaigns', c)).toEqual({
			results: [
				{ name: 'Spring sale (1)', value: '1' },
				{ name: 'Welcome (2)', value: '2' },
				{ name: 'Birthday (3)', value: '3' },
			],
			paginationToken: undefined,
		});
		expect((await env.harness.listSearch('loymax', 'searchSmsCampaigns', c)).results).toEqual([{ name: 'Code reminder (11)', value: '11' }]);
		expect((await env.harness.listSearch('loymax', 'searchPushCampaigns', c, 'week')).results).toEqual([{ name: 'Weekend (22)', value: '22' }]);
		const paths = env.sandbox.requests('loymax').filter((r) => r.path !== '/token').map((r) => [r.path, r.query]);
		expect(paths).toEqual([
			['/communication/email/', { 'page[number]': '1', 'page[size]': '100' }],
			['/communication/sms/', { 'page[number]': '1', 'page[size]': '100' }],
			['/communication/push/', { 'page[number]': '1', 'page[size]': '100' }],
		]);
	});

	it('pages through long lists of dictionaries and promo code groups', async () => {
		for (let i = 1; i <= 130; i++) fake().seed('dictionary', { name: `Справочник ${i}`, code: `d${i}` });
		fake().seed('promocode-group', { name: 'Весна', local_id: 'G-1' });
		const c = creds();
		const first = await env.harness.listSearch('loymax', 'searchDictionaries', c);
		expect(first.results).toHaveLength(100);
		expect(first.results[0]).toEqual({ name: 'Справочник 1 (1)', value: '1' });
		expect(first.paginationToken).toBe('2');
		const second = await env.harness.listSearch('loymax', 'searchDictionaries', c, undefined, first.paginationToken as string);
		expect(second.results).toHaveLength(30);
		expect(second.paginationToken).toBeUndefined();
		const filtered = await env.harness.listSearch('loymax', 'searchDictionaries', c, 'справочник 12');
		expect(filtered.results.map((r) => r.value)).toEqual(['12']);
		expect((await env.harness.listSearch('loymax', 'searchPromoCodeGroups', c)).results).toEqual([{ name: 'Весна (131)', value: '131' }]);
	});

	it('a picked dictionary is used as the path id', async () => {
		const dict = fake().seed('dictionary', { name: 'Магазины', code: 'shops' });
		const result = await env.harness.runNode({
			node: 'loymax',
			parameters: { resource: 'dictionary', operation: 'get', dictionaryId: { __rl: true, mode: 'list', value: String(dict.id) } } as never,
			credentials: creds(),
		});
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('loymax', 'GET').map((r) => r.path)).toEqual([`/dictionary/${dict.id}`]);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.name).toBe('Магазины');
	});
});
