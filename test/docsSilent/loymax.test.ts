/**
 * Issue 15 (4, 5, 6): where the Loymax docs are silent, the sandbox answers each reasonable way and
 * the node is run against each: a type-checking bonus endpoint (computed balances read only, amounts
 * numbers), a POST upsert that resets or keeps the fields not sent, and web event names that are
 * the user's own codes.
 */
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { useEnv } from '../harness/setup';
import { LOYMAX_USER, type LoymaxFake } from '../../sandbox/loymax';

const EMPTY_CUSTOMER = {
	local_id: '', full_name: '', first_name: '', middle_name: '', last_name: '', email: '', phone: '', 'push-id': '',
	sex: '', birth_date: '', country: '', city: '', zip: '', register_date: '',
};
const C1 = {
	local_id: 'C-1', first_name: 'Ivan', last_name: 'Petrov', email: 'ivan@example.ru', phone: '+79161234567', city: 'Moscow',
	register_date: '2024-01-10T09:00:00+03:00', loyalty_level: 'gold',
};
const BONUS = { active: 150, awaiting_activation: 20, awaiting_deactivation: 5, nearest_deactivation_date: '2024-06-01', nearest_deactivation_amount: 5 };
const P1 = { name: 'Tea', local_id: 'P-1', category_id: 'K-1', brand: 'Greenfield' };
const O1 = { local_id: 'O-1', client_id: 'C-1', number: 'A-100', status_name: 'paid', date: '2024-02-01T12:00:00+03:00', items_cnt: 2, items_sum: 300, items: [], shop: 'Tverskaya' };
const rec = (type: string, id: number | string, attrs: Record<string, unknown>) => ({ id: String(id), type, ...attrs });

describe('Loymax where the docs are silent', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<LoymaxFake>('loymax');
	const cred = () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) });
	const run = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'loymax', parameters: parameters as never, credentials: cred(), ...extra });
	const apiRequests = () => env.sandbox.requests('loymax').filter((r) => r.path !== '/token');
	const property = (resource: string, operation: string, name: string): INodeProperties => {
		const type = env.harness.pkg.nodeTypes.getByNameAndVersion('n8n-nodes-rumarket.loymax') as INodeType;
		const found = type.description.properties.find(
			(p) => p.name === name && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) && (p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation),
		);
		if (!found) throw new Error(`no property ${name} on ${resource}/${operation}`);
		return found;
	};

	beforeEach(() => {
		const f = fake();
		f.seed('customer', C1); // 1
		f.seed('product', P1); // 2
		f.seed('order', O1); // 3
		f.bonuses.set('C-1', { ...BONUS });
	});

	describe('Customer Bonus → Update (15.4)', () => {
		const active = (value: string, type?: string) => ({ pairs: [{ name: 'active', value, ...(type ? { type } : {}) }] });

		it('type-checking endpoint (bonusEndpoint = typed): computed balances are not sent back, active goes as a number', async () => {
			fake().bonusEndpoint = 'typed';
			const result = await run({ resource: 'customerBonus', operation: 'update', customerId: 'C-1', customParameters: active('1500', 'number') });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => [r.method, r.path, r.status])).toEqual([
				['GET', '/customer/C-1/bonus', 200],
				['PATCH', '/customer/C-1/bonus', 200],
			]);
			expect(apiRequests()[1].body).toEqual({ active: 1500 });
			expect(fake().bonuses.get('C-1')).toEqual({ ...BONUS, active: 1500 });
			expect(result.items.map((i) => i.json)).toEqual([rec('bonus', 'C-1', { ...BONUS, active: 1500 })]);
		});

		it('typed endpoint, Keep Fields Not Given off: the same single field', async () => {
			fake().bonusEndpoint = 'typed';
			const result = await run({ resource: 'customerBonus', operation: 'update', customerId: 'C-1', keepFields: false, customParameters: active(' 1500 ', 'number') });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => [r.method, r.body])).toEqual([['PATCH', { active: 1500 }]]);
		});

		it('typed endpoint: the value typed as text (As Given) is refused by the server in its words — the Type is what makes it work', async () => {
			fake().bonusEndpoint = 'typed';
			const result = await run({ resource: 'customerBonus', operation: 'update', customerId: 'C-1', keepFields: false, customParameters: active('1500') });
			expect(apiRequests()[0].body).toEqual({ active: '1500' });
			expect(result.error?.message).toBe('Loymax returned 422: The field active must be a number');
		});

		it('replacing endpoint (default reading): other, writable fields of the record are kept; the computed ones are not sent', async () => {
			fake().bonuses.set('C-1', { ...BONUS, tier: 'gold' });
			const result = await run({ resource: 'customerBonus', operation: 'update', customerId: 'C-1', customParameters: active('175', 'number') });
			expect(result.error).toBeUndefined();
			expect(apiRequests()[1].body).toEqual({ tier: 'gold', active: 175 });
		});

		it('Read-Only Fields can be edited (the names of the balances are a guess)', async () => {
			fake().bonuses.set('C-1', { ...BONUS, balance_total: 175 });
			const result = await run({
				resource: 'customerBonus', operation: 'update', customerId: 'C-1', customParameters: active('10', 'number'),
				readOnlyFields: 'active, awaiting_activation, awaiting_deactivation, nearest_deactivation_date, nearest_deactivation_amount, balance_total',
			});
			expect(result.error).toBeUndefined();
			expect(apiRequests()[1].body).toEqual({ active: 10 });
		});

		it('a Number pair that is not a number: clear error naming item, field and pair; nothing sent', async () => {
			const result = await run({ resource: 'customerBonus', operation: 'update', customerId: 'C-1', customParameters: active('lots', 'number') });
			expect(result.error?.message).toBe('Item 1: "Custom Parameters" "active" must be a number, got "lots"');
			expect(apiRequests()).toHaveLength(0);
		});
	});

	describe('typed custom parameters everywhere they exist (15.4)', () => {
		it('Number and JSON pairs go typed, As Given keeps text; Create or Update of a customer', async () => {
			const result = await run({
				resource: 'customer', operation: 'upsert', local_id: 'C-9', register_date: '2024-05-01T10:00:00', keepFields: false,
				additionalFields: {
					first_name: 'Anna',
					customParameters: {
						pairs: [
							{ name: 'visits', value: '12', type: 'number' },
							{ name: 'prefs', value: '{"sms": "Y", "shops": [1, 2]}', type: 'json' },
							{ name: 'card', value: '0012', type: 'auto' },
							{ name: 'code', value: '={{ 7 }}', type: 'string' },
						],
					},
				},
			});
			expect(result.error).toBeUndefined();
			expect(apiRequests()[0].body).toEqual({
				local_id: 'C-9', register_date: '2024-05-01T10:00:00+03:00', first_name: 'Anna', visits: 12, prefs: { sms: 'Y', shops: [1, 2] }, card: '0012', code: '7',
			});
		});

		it('invalid JSON in a JSON pair: clear error, nothing sent', async () => {
			const result = await run({
				resource: 'product', operation: 'update', productId: 'P-1', keepFields: false,
				updateFields: { name: 'Tea', customParameters: { pairs: [{ name: 'meta', value: '{oops', type: 'json' }] } },
			});
			expect(result.error?.message).toMatch(/^Item 1: "Custom Parameters" "meta" must be valid JSON: /);
			expect(apiRequests()).toHaveLength(0);
		});

		it('every Custom Parameters property offers the Type per pair, As Given by default', () => {
			const type = env.harness.pkg.nodeTypes.getByNameAndVersion('n8n-nodes-rumarket.loymax') as INodeType;
			const found: string[] = [];
			const visit = (props: INodeProperties[]) => {
				for (const p of props) {
					if (p.name === 'customParameters') {
						const values = (p.options as Array<{ values: INodeProperties[] }>)[0].values;
						const typeProp = values.find((v) => v.name === 'type')!;
						expect(typeProp.default).toBe('auto');
						expect((typeProp.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['auto', 'json', 'number', 'string']);
						found.push(p.name);
					}
					if (p.type === 'collection') visit(p.options as INodeProperties[]);
				}
			};
			visit(type.description.properties);
			expect(found.length).toBeGreaterThanOrEqual(12);
		});
	});

	describe('Create or Update with Keep Fields Not Given (15.5)', () => {
		it('the option is there, on by default, and says what off means', () => {
			for (const resource of ['customer', 'order', 'product', 'category']) {
				const keep = property(resource, 'upsert', 'keepFields');
				expect(keep.default).toBe(true);
				expect(keep.description).toContain('Off: exactly the given fields are sent, and for an existing local_id every other field is reset to empty');
			}
		});

		it.each(['reset', 'keep'] as const)('upsert that %ss unsent fields: mapping only a phone keeps the name (read by local_id, merge, send)', async (reading) => {
			fake().upsertUnsent = reading;
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', additionalFields: { phone: '+79990001122' } });
			expect(result.error).toBeUndefined();
			const sent = apiRequests();
			expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /customer/C-1 200', 'POST /customer 200']);
			const { 'push-id': _pushId, ...postable } = { ...EMPTY_CUSTOMER, ...C1 };
			void _pushId;
			expect(sent[1].body).toEqual({ ...postable, phone: '+79990001122' });
			expect(fake().stores.customer[0].attrs).toEqual({ ...EMPTY_CUSTOMER, ...C1, phone: '+79990001122' });
			expect(result.items.map((i) => i.json)).toEqual([rec('customer', 1, { ...EMPTY_CUSTOMER, ...C1, phone: '+79990001122' })]);
		});

		it('a new local_id: the read answers 404 and the given fields create the record', async () => {
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-7', register_date: '2024-05-01T10:00:00', additionalFields: { first_name: 'Olga' } });
			expect(result.error).toBeUndefined();
			const sent = apiRequests();
			expect(sent.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /customer/C-7 404', 'POST /customer 201']);
			expect(sent[1].body).toEqual({ local_id: 'C-7', register_date: '2024-05-01T10:00:00+03:00', first_name: 'Olga' });
			expect(fake().stores.customer).toHaveLength(2);
		});

		it('off, upsert that resets (documented): the name is wiped — what "on" protects against', async () => {
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', keepFields: false, additionalFields: { phone: '+79990001122', first_name: 'Ivan' } });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.method)).toEqual(['POST']);
			expect(fake().stores.customer[0].attrs).toEqual({ ...EMPTY_CUSTOMER, local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', phone: '+79990001122', first_name: 'Ivan' });
		});

		it('off, upsert that keeps (the other reading): the server keeps them itself', async () => {
			fake().upsertUnsent = 'keep';
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', keepFields: false, additionalFields: { phone: '+79990001122', first_name: 'Ivan' } });
			expect(result.error).toBeUndefined();
			expect(fake().stores.customer[0].attrs).toEqual({ ...EMPTY_CUSTOMER, ...C1, phone: '+79990001122' });
		});

		it('the customer name rule counts the stored name (nothing given but a phone is fine for an existing customer)', async () => {
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-8', register_date: '2024-01-10T09:00:00+03:00', additionalFields: { phone: '+7999' } });
			expect(result.error?.message).toBe('Item 1: Loymax needs at least one of Full Name, First Name, Middle Name or Last Name');
			expect(apiRequests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /customer/C-8 404']);
		});

		it.each([
			['product', { resource: 'product', operation: 'upsert', local_id: 'P-1', name: 'Green tea' }, '/product/P-1', '/product', () => ({ ...P1, name: 'Green tea' })],
			['order', { resource: 'order', operation: 'upsert', local_id: 'O-1', date: '2024-02-01T12:00:00+03:00', additionalFields: { status_name: 'refunded' } }, '/order/O-1', '/order', () => ({ ...O1, status_name: 'refunded' })],
		] as const)('%s: read by local_id, merge, send', async (_name, params, readPath, postPath, expected) => {
			const result = await run(params as Record<string, unknown>);
			expect(result.error).toBeUndefined();
			const sent = apiRequests();
			expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${readPath}`, `POST ${postPath}`]);
			expect(sent[1].body).toEqual(expected());
		});

		it('a read failing otherwise than 404 fails the item; nothing is posted', async () => {
			env.sandbox.inject({ provider: 'loymax', method: 'GET', path: '^/customer/C-1$', status: 403, body: { errors: [{ status: '403', title: 'Forbidden', detail: 'No access' }] } });
			const result = await run({ resource: 'customer', operation: 'upsert', local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', additionalFields: { phone: '+7' } });
			expect(result.error?.message).toBe('Loymax returned 403: No access');
			expect(apiRequests().filter((r) => r.method === 'POST')).toHaveLength(0);
		});
	});

	describe('web event names are the user\'s codes (15.6)', () => {
		it('the name is free text, required, with examples marked as such', () => {
			const name = property('webEvent', 'create', 'name');
			expect(name.type).toBe('string');
			expect(name.default).toBe('');
			expect(name.required).toBe(true);
			expect(name.options).toBeUndefined();
			expect(name.description).toContain('as set up in your Loymax solution');
			expect(name.description).toContain('examples only, not Loymax codes');
		});

		it('any code is sent as typed', async () => {
			const result = await run({ resource: 'webEvent', operation: 'create', client_id: 'C-1', session_id: 's-1', date: '2024-05-03T09:00:00', name: 'ViewProductCard' });
			expect(result.error).toBeUndefined();
			expect(apiRequests()[0].body).toEqual({ client_id: 'C-1', session_id: 's-1', date: '2024-05-03T09:00:00+03:00', name: 'ViewProductCard' });
		});

		it('no name: clear error, nothing sent', async () => {
			const result = await run({ resource: 'webEvent', operation: 'create', client_id: 'C-1', session_id: 's-1', date: '2024-05-03T09:00:00', name: '={{ "" }}' });
			expect(result.error?.message).toBe('Item 1: "Name" is required but empty');
			expect(apiRequests()).toHaveLength(0);
		});
	});
});
