/**
 * The page walker against every sandbox paging switch (issue 15.1, 15.2): a server ignoring the page
 * parameter, ignoring the size, paging with other parameter names, answering more than asked, and
 * Neiros's `last_page` / `total` read as the docs label them. Actions (Return All and Limit) and
 * list searches; every request that went out and every item that came back.
 */
import { useEnv } from '../harness/setup';
import { LOYMAX_USER, type LoymaxFake } from '../../sandbox/loymax';
import type { NeirosFake } from '../../sandbox/neiros';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../../sandbox/synergyCrm';
import { TB_BOT_A, TB_KEY_A, type TrackingBotFake } from '../../sandbox/trackingBot';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('Paging switches', () => {
	const env = useEnv();

	describe('Loymax (page parameter names lost from the docs)', () => {
		const fake = () => env.sandbox.fake<LoymaxFake>('loymax');
		const creds = (data: Record<string, unknown> = {}) => ({
			loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax'), ...data }),
		});
		const seedCustomers = (count: number) => {
			for (let i = 1; i <= count; i++) fake().seed('customer', { local_id: `C-${i}`, first_name: `Name ${i}`, register_date: '2024-01-01' });
		};
		const ids = () => fake().stores.customer.map((r) => String(r.id));
		const lists = () => env.sandbox.requests('loymax', 'GET', '/customer').map((r) => r.query);
		const getAll = (params: Record<string, unknown>, data: Record<string, unknown> = {}) =>
			env.harness.runNode({ node: 'loymax', parameters: { resource: 'customer', operation: 'getAll', ...params } as never, credentials: creds(data) });
		const outIds = (items: Array<{ json: Record<string, unknown> }>) => items.map((i) => String(i.json.id));

		it('a server that ignores page[number] (same first page every time): a clear error after 2 requests, never a loop', async () => {
			seedCustomers(250);
			fake().ignorePageParam = true;
			const result = await getAll({ returnAll: true });
			expect(result.error?.message).toBe(
				'Loymax returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
			);
			expect(result.error?.description).toContain('choose them in the credential');
			expect(lists()).toEqual([
				{ 'page[number]': '1', 'page[size]': '100' },
				{ 'page[number]': '2', 'page[size]': '100' },
			]);
		});

		it('the same server with Limit 150 (two pages): the same error; Limit 100 (one page) works', async () => {
			seedCustomers(250);
			fake().ignorePageParam = true;
			const limited = await getAll({ returnAll: false, limit: 150 });
			expect(limited.error?.message).toMatch(/^Loymax returned the same page for page\[number\]=2 as for page\[number\]=1/);
			const one = await getAll({ returnAll: false, limit: 100 });
			expect(one.error).toBeUndefined();
			expect(outIds(one.items)).toEqual(ids().slice(0, 100));
		});

		it('ignoring page[number] without links: the confirming page 2 repeats page 1 — an error, not a short list', async () => {
			seedCustomers(250);
			Object.assign(fake(), { ignorePageParam: true, ignorePageSize: true, pageLinks: false });
			const result = await getAll({ returnAll: true });
			expect(result.error?.message).toBe(
				'Loymax returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
			);
			expect(lists()).toHaveLength(2);
		});

		it('a server that ignores page[size] (pages of 20) and sends no links: every record, at the server\'s size', async () => {
			seedCustomers(250);
			Object.assign(fake(), { ignorePageSize: true, pageLinks: false });
			const result = await getAll({ returnAll: true });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids());
			expect(lists()).toEqual(range(1, 13).map((n) => ({ 'page[number]': String(n), 'page[size]': '100' })));
		});

		it('ignored page[size] with Limit 30: page 1 (20) and page 2 (10 of 20), 30 records', async () => {
			seedCustomers(250);
			Object.assign(fake(), { ignorePageSize: true, pageLinks: false });
			const result = await getAll({ returnAll: false, limit: 30 });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids().slice(0, 30));
			expect(lists()).toEqual([
				{ 'page[number]': '1', 'page[size]': '30' },
				{ 'page[number]': '2', 'page[size]': '30' },
			]);
		});

		it('ignored page[size] with links: follows links.next (the server\'s size), every record', async () => {
			seedCustomers(45);
			fake().ignorePageSize = true;
			const result = await getAll({ returnAll: true });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids());
			expect(lists()).toEqual([
				{ 'page[number]': '1', 'page[size]': '100' },
				{ 'page[number]': '2', 'page[size]': '20' },
				{ 'page[number]': '3', 'page[size]': '20' },
			]);
		});

		it('a short list with no links: one confirming request, then done', async () => {
			seedCustomers(7);
			fake().pageLinks = false;
			const result = await getAll({ returnAll: true });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids());
			expect(lists()).toEqual([
				{ 'page[number]': '1', 'page[size]': '100' },
				{ 'page[number]': '2', 'page[size]': '100' },
			]);
		});

		it.each([
			['pagePerPage', 'page', 'per_page', (n: number) => String(n)],
			['offsetLimit', 'offset', 'limit', (n: number) => String((n - 1) * 100)],
		] as const)('a server paging with %s and no links: the credential\'s Paging Style reads it all', async (style, pageName, sizeName, value) => {
			seedCustomers(250);
			Object.assign(fake(), { pagingStyle: style, pageLinks: false });
			// With the default style the server sees no paging parameter: its first page (20) twice.
			const wrong = await getAll({ returnAll: true });
			expect(wrong.error?.message).toBe(
				'Loymax returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
			);
			env.sandbox.log.length = 0;
			const result = await getAll({ returnAll: true }, { pagingStyle: style });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids());
			expect(lists()).toEqual([1, 2, 3].map((n) => ({ [pageName]: value(n), [sizeName]: '100' })));
		});

		it('the Paging Style follows the server\'s links when it sends them', async () => {
			seedCustomers(150);
			fake().pagingStyle = 'offsetLimit';
			const result = await getAll({ returnAll: true }, { pagingStyle: 'offsetLimit' });
			expect(result.error).toBeUndefined();
			expect(outIds(result.items)).toEqual(ids());
			expect(lists()).toEqual([
				{ offset: '0', limit: '100' },
				{ offset: '100', limit: '100' },
			]);
		});

		it('a server answering more records than page[size]: a clear error', async () => {
			seedCustomers(250);
			fake().extraRecords = 1;
			const result = await getAll({ returnAll: true });
			expect(result.error?.message).toBe('Loymax returned 101 records for page[size]=100 (page[number]=1): more than asked');
			expect(lists()).toHaveLength(1);
		});

		it('list search: a server repeating the first page ends the dropdown with an error, not endless pages', async () => {
			for (let i = 1; i <= 130; i++) fake().seed('dictionary', { name: `Dictionary ${i}`, code: `d${i}` });
			fake().ignorePageParam = true;
			const c = creds();
			const first = await env.harness.listSearch('loymax', 'searchDictionaries', c);
			expect(first.results).toHaveLength(100);
			expect(first.paginationToken).toBe('2');
			await expect(env.harness.listSearch('loymax', 'searchDictionaries', c, undefined, first.paginationToken as string)).rejects.toThrow(
				'Loymax returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
			);
		});

		it('list search: a server ignoring page[size] without links still offers the next pages', async () => {
			for (let i = 1; i <= 45; i++) fake().seed('dictionary', { name: `Dictionary ${i}`, code: `d${i}` });
			Object.assign(fake(), { ignorePageSize: true, pageLinks: false });
			const c = creds();
			const seen: string[] = [];
			let token: string | undefined;
			let calls = 0;
			do {
				const page = await env.harness.listSearch('loymax', 'searchDictionaries', c, undefined, token);
				seen.push(...page.results.map((r) => String(r.value)));
				token = page.paginationToken as string | undefined;
				calls++;
			} while (token && calls < 10);
			expect(seen).toEqual(fake().stores.dictionary.map((r) => String(r.id)));
			expect(calls).toBe(3);
			expect(env.sandbox.requests('loymax', 'GET', '/dictionary').map((r) => r.query['page[number]'])).toEqual(['1', '2', '3']);
		});

		it('list search with the credential\'s Paging Style', async () => {
			for (let i = 1; i <= 130; i++) fake().seed('dictionary', { name: `Dictionary ${i}`, code: `d${i}` });
			Object.assign(fake(), { pagingStyle: 'pagePerPage', pageLinks: false });
			const c = creds({ pagingStyle: 'pagePerPage' });
			const first = await env.harness.listSearch('loymax', 'searchDictionaries', c);
			expect(first.results).toHaveLength(100);
			const second = await env.harness.listSearch('loymax', 'searchDictionaries', c, undefined, first.paginationToken as string);
			expect(second.results).toHaveLength(30);
			expect(second.paginationToken).toBeUndefined();
			expect(env.sandbox.requests('loymax', 'GET', '/dictionary').map((r) => r.query)).toEqual([
				{ page: '1', per_page: '100' },
				{ page: '2', per_page: '100' },
			]);
		});
	});

	describe('Neiros (last_page "current page", total "total pages" in the docs)', () => {
		const fake = () => env.sandbox.fake<NeirosFake>('neiros');
		const run = (parameters: Record<string, unknown>) =>
			env.harness.runNode({
				node: 'neiros',
				parameters: { resource: 'deal', operation: 'getAll', siteId: { __rl: true, mode: 'id', value: '19' }, ...parameters } as never,
				credentials: { neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }) },
			});
		const pages = () => env.sandbox.requests('neiros', 'GET', '/api/userapi/v1/projects').map((r) => r.query.page);

		it.each([
			['docs', 40, ['1', '2', '3']],
			['docs', 45, ['1', '2', '3']],
			['docs', 15, ['1']],
			['docs', 7, ['1']],
			['laravel', 40, ['1', '2', '3']],
			['laravel', 45, ['1', '2', '3']],
			// last_page 1 and total 15 read both ways (one page of 15, or 15 pages): page 2 decides.
			['laravel', 15, ['1', '2']],
		] as const)('Return All with %s metadata over %i deals: every deal, pages %j', async (meta, count, expected) => {
			fake().seedDeals(19, count, '2020-07-01');
			fake().pageMeta = meta;
			const result = await run({ returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.id)).toEqual(range(1, count));
			expect(pages()).toEqual(expected);
		});

		it('Limit 20 with the docs\' metadata: pages 1 and 2', async () => {
			fake().seedDeals(19, 40, '2020-07-01');
			fake().pageMeta = 'docs';
			const result = await run({ returnAll: false, limit: 20 });
			expect(result.items.map((i) => i.json.id)).toEqual(range(1, 20));
			expect(pages()).toEqual(['1', '2']);
		});

		it('a later page larger than the first: a clear error, not duplicated deals', async () => {
			fake().seedDeals(19, 40, '2020-07-01');
			fake().extraRecords = 1;
			const result = await run({ returnAll: true });
			expect(result.error?.message).toBe('Neiros returned 16 records for page=2 after pages of 15: a page larger than the ones before');
		});
	});

	describe('Synergy CRM and Tracking Bot (documented paging, guarded anyway)', () => {
		const synergy = () => env.sandbox.fake<SynergyCrmFake>('synergy');
		const tb = () => env.sandbox.fake<TrackingBotFake>('trackingbot');
		const synergyCred = () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) });
		const tbCred = () => ({
			trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`, botId: TB_BOT_A }),
		});
		const deals = (parameters: Record<string, unknown>) =>
			env.harness.runNode({ node: 'synergyCrm', parameters: { resource: 'deal', operation: 'getAll', ...parameters } as never, credentials: synergyCred() });
		const tracking = (parameters: Record<string, unknown>) =>
			env.harness.runNode({ node: 'trackingBot', parameters: { resource: 'trackingNumber', operation: 'getAll', ...parameters } as never, credentials: tbCred() });
		const seedTracking = (count: number) => {
			for (let i = 1; i <= count; i++) tb().addTracking(TB_BOT_A, { tracking_number: `TRK${String(i).padStart(5, '0')}` });
		};

		it('Synergy CRM ignoring page[number]: an error naming the repeated page', async () => {
			synergy().seedDeals(250);
			synergy().ignorePageParam = true;
			const result = await deals({ returnAll: true });
			expect(result.error?.message).toMatch(
				/^Synergy CRM returned the same page for page\[number\]=[23] as for page\[number\]=[12]: the server seems to ignore page\[number\]$/,
			);
		});

		it('Synergy CRM answering more than page[size]: an error; Limit within one page too', async () => {
			synergy().seedDeals(250);
			synergy().extraRecords = 3;
			const result = await deals({ returnAll: true });
			expect(result.error?.message).toBe('Synergy CRM returned 103 records for page[size]=100 (page[number]=1): more than asked');
			const limited = await deals({ returnAll: false, limit: 10 });
			expect(limited.error?.message).toBe('Synergy CRM returned 13 records for page[size]=10 (page[number]=1): more than asked');
		});

		it('Synergy CRM list search on a server repeating page 1: an error on the next page', async () => {
			for (let i = 0; i < 148; i++) synergy().insert('contacts', { 'first-name': `Name ${i}`, 'last-name': 'Test' });
			synergy().ignorePageParam = true;
			const c = synergyCred();
			const first = await env.harness.listSearch('synergyCrm', 'searchContacts', c);
			expect(first.paginationToken).toBe('2');
			await expect(env.harness.listSearch('synergyCrm', 'searchContacts', c, undefined, '2')).rejects.toThrow(
				'Synergy CRM returned the same page for page[number]=2 as for page[number]=1: the server seems to ignore page[number]',
			);
		});

		it('Synergy CRM with Pages in Parallel 1: the same records, one page at a time', async () => {
			synergy().seedDeals(450);
			const result = await deals({ returnAll: true, requestOptions: { pagesInParallel: 1 } });
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.id)).toEqual(synergy().all('deals').map((r) => r.id));
			expect(env.sandbox.requests('synergy', 'GET').map((r) => r.query['page[number]'])).toEqual(['1', '2', '3', '4', '5']);
		});

		it.each([
			['records', 250, ['1', '2', '3']],
			['records', 200, ['1', '2']],
			['records', 100, ['1', '2']],
			['page', 250, ['1', '2', '3']],
			['page', 200, ['1', '2', '3']],
		] as const)('Tracking Bot with total counting the %s, %i tracking numbers: every record, pages %j', async (meaning, count, expected) => {
			seedTracking(count);
			tb().totalMeaning = meaning;
			const result = await tracking({ returnAll: true });
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.tracking_number)).toEqual(range(1, count).map((i) => `TRK${String(i).padStart(5, '0')}`));
			expect(env.sandbox.requests('trackingbot', 'GET').map((r) => r.query.page).sort()).toEqual(expected);
		});

		it('Tracking Bot ignoring page / answering more than page_size: clear errors', async () => {
			seedTracking(150);
			tb().ignorePageParam = true;
			const repeated = await tracking({ returnAll: true });
			expect(repeated.error?.message).toBe('Tracking Bot returned the same page for page=2 as for page=1: the server seems to ignore page');
			tb().ignorePageParam = false;
			tb().extraRecords = 2;
			const larger = await tracking({ returnAll: true });
			expect(larger.error?.message).toBe('Tracking Bot returned 102 records for page_size=100 (page=1): more than asked');
		});
	});
});
