import { useEnv } from './harness/setup';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../sandbox/synergyCrm';

describe('Synergy CRM: every record id can be picked from a list', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<SynergyCrmFake>('synergy');
	const creds = () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) });

	it('lists deals page by page through the credential', async () => {
		fake().seedDeals(250);
		const c = creds();
		const first = await env.harness.listSearch('synergyCrm', 'searchDeals', c);
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const third = await env.harness.listSearch('synergyCrm', 'searchDeals', c, undefined, '3');
		expect(third.results.length).toBeGreaterThanOrEqual(50);
		expect(third.results.length).toBeLessThan(100);
		expect(third.paginationToken).toBeUndefined();
		expect(env.sandbox.requests('synergy', 'GET').map((r) => [r.path, r.query['page[number]'], r.query['page[size]']])).toEqual([
			['/api/v1/deals', '1', '100'],
			['/api/v1/deals', '3', '100'],
		]);
	});

	it('a deal given by its URL is read by its id', async () => {
		fake().seedDeals(3);
		const result = await env.harness.runNode({
			node: 'synergyCrm',
			parameters: { resource: 'deal', operation: 'get', id: { __rl: true, mode: 'url', value: 'https://app.syncrm.ru/api/v1/deals/2' } } as never,
			credentials: creds(),
		});
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('synergy', 'GET').map((r) => r.path)).toEqual(['/api/v1/deals/2']);
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.id).toBe('2');
	});

	it('an id that is not a number is refused before sending (n8n checks typed ones, the node those from expressions)', async () => {
		const typed = await env.harness.runNode({
			node: 'synergyCrm',
			parameters: { resource: 'deal', operation: 'delete', id: { __rl: true, mode: 'id', value: '2/../../users' } } as never,
			credentials: creds(),
		}).catch((error: Error) => ({ error }));
		expect(typed.error?.message).toContain('The workflow has issues');
		const result = await env.harness.runNode({
			node: 'synergyCrm',
			parameters: { resource: 'deal', operation: 'delete', id: { __rl: true, mode: 'id', value: '={{ "2/../../users" }}' } } as never,
			credentials: creds(),
		});
		expect(result.error?.message).toBe('Item 1: "ID" is not valid: expected an ID matching ^\\d+$');
		expect(env.sandbox.log).toHaveLength(0);
	});
});
