/**
 * Synergy CRM custom fields: the Name of a custom field can be picked from the keys seen on the
 * account's most recent records of the node's resource type (with an example value), or typed.
 */
import { useEnv } from '../harness/setup';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../../sandbox/synergyCrm';

describe('Synergy CRM: custom field keys from the account', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<SynergyCrmFake>('synergy');
	const creds = () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) });

	it('lists the keys of the newest page of the resource type, sorted, each with the newest non-empty example', async () => {
		for (let i = 1; i <= 150; i++) fake().insert('deals', { name: `Deal ${i}`, customs: i <= 50 ? { 'custom-99': 'old only' } : { 'custom-5': `CN${i}`, 'custom-12': i === 150 ? '' : 'Gold' } });
		fake().insert('contacts', { 'first-name': 'A', customs: { 'custom-3': 'contact field' } });
		const result = await env.harness.listSearch('synergyCrm', 'searchCustomFieldKeys', creds(), undefined, undefined, { resource: 'deal', operation: 'create' });
		expect(result.results).toEqual([
			{ name: 'custom-5 (e.g. CN150)', value: 'custom-5' },
			{ name: 'custom-12 (e.g. Gold)', value: 'custom-12' },
		]);
		expect(env.sandbox.requests('synergy', 'GET').map((r) => [r.path, r.query['page[number]'], r.query['page[size]']])).toEqual([
			['/api/v1/deals', '1', '100'],
			['/api/v1/deals', '2', '100'],
		]);
	});

	it('filters by the typed text and offers nothing for types without custom fields', async () => {
		fake().insert('deals', { name: 'D', customs: { 'custom-5': 'CN1', 'custom-7': 'Москва' } });
		const c = creds();
		const filtered = await env.harness.listSearch('synergyCrm', 'searchCustomFieldKeys', c, 'моск', undefined, { resource: 'deal', operation: 'update' });
		expect(filtered.results).toEqual([{ name: 'custom-7 (e.g. Москва)', value: 'custom-7' }]);
		const none = await env.harness.listSearch('synergyCrm', 'searchCustomFieldKeys', c, undefined, undefined, { resource: 'source', operation: 'getAll' });
		expect(none.results).toEqual([]);
		expect(env.sandbox.requests('synergy', 'GET')).toHaveLength(1);
	});

	it('a name picked from the list (resource locator) and a typed one (plain string) are sent the same way', async () => {
		const c = creds();
		for (const name of [{ __rl: true, mode: 'list', value: 'custom-5' }, 'custom-5']) {
			const result = await env.harness.runNode({
				node: 'synergyCrm',
				parameters: { resource: 'deal', operation: 'create', additionalFields: { name: 'Deal', customFields: { pairs: [{ name, value: 'CN42' }] } } } as never,
				credentials: c,
			});
			expect(result.error).toBeUndefined();
		}
		const posts = env.sandbox.requests('synergy', 'POST');
		expect(posts).toHaveLength(2);
		for (const post of posts) expect((post.body as { data: { attributes: Record<string, unknown> } }).data.attributes.customs).toEqual({ 'custom-5': 'CN42' });
	});
});
