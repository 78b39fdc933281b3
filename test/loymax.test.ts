/**
 * Loymax through the harness (real n8n execution) against the sandbox fake: every endpoint with
 * its exact request and output, login through preAuthentication, token expiry, the API role,
 * 429, pagination, sort, envelopes, and "Keep Fields Not Given".
 */
import { useEnv } from './harness/setup';
import { LOYMAX_NO_ROLE_USER, LOYMAX_USER, type LoymaxFake } from '../sandbox/loymax';

const EMPTY_CUSTOMER = {
	local_id: '', full_name: '', first_name: '', middle_name: '', last_name: '', email: '', phone: '', 'push-id': '',
	sex: '', birth_date: '', country: '', city: '', zip: '', register_date: '',
};
const C1 = {
	local_id: 'C-1', first_name: 'Ivan', last_name: 'Petrov', email: 'ivan@example.ru', phone: '+79161234567', city: 'Moscow',
	register_date: '2024-01-10T09:00:00+03:00', loyalty_level: 'gold',
};
const EMPTY_ORDER = { local_id: '', client_id: '', number: '', status_name: '', date: '', items_cnt: 0, items_sum: 0, items: [] };
const O1 = {
	local_id: 'O-1', client_id: 'C-1', number: 'A-100', status_name: 'paid', date: '2024-02-01T12:00:00+03:00', items_cnt: 2, items_sum: 300,
	items: [{ local_id: 'L-1', product_id: 'P-1', price: 150, cnt: 2, sum: 300 }], shop: 'Tverskaya',
};
const P1 = { name: 'Tea', local_id: 'P-1', category_id: 'K-1', brand: 'Greenfield' };
const K1 = { name: 'Drinks', local_id: 'K-1', parent_id: '', icon: 'cup' };
const E1 = { client_id: 'C-1', name: 'birthday', date: '2024-03-01T00:00:00+03:00', context: { gift: 'cake' } };
const G1 = { name: 'Spring codes', local_id: 'G-1', channel: 'site' };
const D1 = { name: 'Shops', code: 'shops', local_id: 'DL-1', region: 'msk' };
const I1 = { name: 'Tverskaya', code: 'shop_1', dictionary_id: 7 };
const BONUS = { active: 150, awaiting_activation: 20, awaiting_deactivation: 5, nearest_deactivation_date: '2024-06-01', nearest_deactivation_amount: 5 };

/** The same data in every test: ids 1..8. */
function seed(f: LoymaxFake): void {
	f.seed('customer', C1); // 1
	f.seed('order', O1); // 2
	f.seed('product', P1); // 3
	f.seed('category', K1); // 4
	f.seed('event', E1); // 5
	f.seed('promocode-group', G1); // 6
	f.seed('dictionary', D1); // 7
	f.seed('dictionary-item', I1); // 8
	f.bonuses.set('C-1', { ...BONUS });
	f.mailings.set('C-1', [{ id: 61, name: 'Spring sale', channel: 'email' }]);
	f.devices.set('C-1', [{ id: 51, device_id: 'dev-1', token: 'tok:A/1', platform: 'Ios', source_code: 7 }]);
	f.markers.set('C-1', [{ id: 71, name: 'vip', client_id: 1 }]);
}

const rec = (type: string, id: number | string, attrs: Record<string, unknown>) => ({ id: String(id), type, ...attrs });
const JSONH = 'application/json';

interface Case {
	name: string;
	params: Record<string, unknown>;
	/** The requests the node sends after logging in: method, path, query, body, headers subset. */
	requests: Array<{ method: string; path: string; query?: Record<string, string>; body?: unknown; headers?: Record<string, string> }>;
	output: Array<Record<string, unknown>>;
	check?: (f: LoymaxFake) => void;
}

const page = (size: number, n = 1) => ({ 'page[number]': String(n), 'page[size]': String(size) });

const CASES: Case[] = [
	{
		name: 'customer: Create or Update (new, with custom parameters)',
		params: {
			resource: 'customer', operation: 'upsert', local_id: 'C-9', register_date: '2024-05-01T10:00:00', keepFields: false,
			additionalFields: {
				first_name: 'Anna', email: 'anna@example.ru', sex: 'F', birth_date: '1990-04-21', zip: '101000',
				customParameters: { pairs: [{ name: 'loyalty_level', value: 'silver' }] },
			},
		},
		requests: [{
			method: 'POST', path: '/customer', headers: { 'content-type': JSONH },
			body: { local_id: 'C-9', register_date: '2024-05-01T10:00:00+03:00', first_name: 'Anna', email: 'anna@example.ru', sex: 'F', birth_date: '1990-04-21', zip: '101000', loyalty_level: 'silver' },
		}],
		output: [rec('customer', 9, { ...EMPTY_CUSTOMER, local_id: 'C-9', register_date: '2024-05-01T10:00:00+03:00', first_name: 'Anna', email: 'anna@example.ru', sex: 'F', birth_date: '1990-04-21', zip: '101000', loyalty_level: 'silver' })],
	},
	{
		name: 'customer: Create or Update (existing local_id: the API resets what is not sent)',
		params: { resource: 'customer', operation: 'upsert', local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', keepFields: false, additionalFields: { full_name: 'Ivan Petrov', sex: '' } },
		requests: [{ method: 'POST', path: '/customer', body: { local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', full_name: 'Ivan Petrov', sex: '' } }],
		output: [rec('customer', 1, { ...EMPTY_CUSTOMER, local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', full_name: 'Ivan Petrov' })],
		check: (f) => expect(f.stores.customer).toHaveLength(1),
	},
	{
		name: 'customer: Get',
		params: { resource: 'customer', operation: 'get', customerId: 'C-1' },
		requests: [{ method: 'GET', path: '/customer/C-1', query: {} }],
		output: [rec('customer', 1, { ...EMPTY_CUSTOMER, ...C1 })],
	},
	{
		name: 'customer: Get Many with sort and limit',
		params: { resource: 'customer', operation: 'getAll', limit: 1, sort: { entries: [{ attribute: 'local_id', direction: 'desc' }] } },
		requests: [{ method: 'GET', path: '/customer', query: { ...page(1), sort: '[{"attribute":"local_id","direction":"desc"}]' } }],
		output: [rec('customer', 1, { ...EMPTY_CUSTOMER, ...C1 })],
	},
	{
		name: 'customer: Update (Keep Fields Not Given off: exactly what is given, local_id from the path)',
		params: { resource: 'customer', operation: 'update', customerId: 'C-1', keepFields: false, updateFields: { register_date: '2024-01-10T09:00:00+03:00', last_name: 'Sidorov', pushId: 'push-77' } },
		requests: [{ method: 'PATCH', path: '/customer/C-1', body: { register_date: '2024-01-10T09:00:00+03:00', last_name: 'Sidorov', 'push-id': 'push-77', local_id: 'C-1' } }],
		output: [rec('customer', 1, { ...EMPTY_CUSTOMER, local_id: 'C-1', register_date: '2024-01-10T09:00:00+03:00', last_name: 'Sidorov', 'push-id': 'push-77' })],
	},
	{
		name: 'customer subscription: Update (categories with Y/N/ND)',
		params: { resource: 'customerSubscription', operation: 'update', customerId: 'C-1', categories: { entries: [{ code: 'news', status: 'Y' }, { code: 'promo', status: 'ND' }, { code: 'sms_news', status: 'N' }] } },
		requests: [{ method: 'PATCH', path: '/customer/C-1/subscribe', body: { categories: [{ code: 'news', status: 'Y' }, { code: 'promo', status: 'ND' }, { code: 'sms_news', status: 'N' }] } }],
		output: [rec('subscription', 'C-1', { categories: { news: 'Y', promo: 'ND', sms_news: 'N' } })],
	},
	{
		name: 'customer subscription: Update (code-to-status pairs format)',
		params: { resource: 'customerSubscription', operation: 'update', customerId: 'C-1', categories: { entries: [{ code: 'news', status: 'N' }] }, subscriptionOptions: { categoriesFormat: 'pairs' } },
		requests: [{ method: 'PATCH', path: '/customer/C-1/subscribe', body: { categories: [{ news: 'N' }] } }],
		output: [rec('subscription', 'C-1', { categories: { news: 'N' } })],
	},
	{
		name: 'customer channel: Update (only the channels given, "" for no data)',
		params: { resource: 'customerChannel', operation: 'update', customerId: 'C-1', updateFields: { email: 'N', push: '' } },
		requests: [{ method: 'POST', path: '/customer/C-1/channel', body: { email: 'N', push: '' } }],
		output: [rec('channel', 'C-1', { email: 'N', sms: '', push: '' })],
	},
	{
		name: 'customer mailing: Get Many',
		params: { resource: 'customerMailing', operation: 'getAll', customerId: 'C-1', returnAll: true },
		requests: [{ method: 'GET', path: '/customer/C-1/mailing', query: page(100) }],
		output: [rec('mailing', 61, { name: 'Spring sale', channel: 'email' })],
	},
	{
		name: 'customer device: Register (device_id header)',
		params: { resource: 'customerDevice', operation: 'register', customerId: 'C-1', deviceId: 'dev-2', token: 'fcm:XYZ', platform: 'Android', additionalFields: { source_code: 7 } },
		requests: [{ method: 'POST', path: '/customer/C-1/device', headers: { device_id: 'dev-2' }, body: { token: 'fcm:XYZ', platform: 'Android', source_code: 7 } }],
		output: [rec('device', 9, { device_id: 'dev-2', token: 'fcm:XYZ', platform: 'Android', source_code: 7 })],
	},
	{
		name: 'customer device: Get Many',
		params: { resource: 'customerDevice', operation: 'getAll', customerId: 'C-1', returnAll: true },
		requests: [{ method: 'GET', path: '/customer/C-1/device', query: page(100) }],
		output: [rec('device', 51, { device_id: 'dev-1', token: 'tok:A/1', platform: 'Ios', source_code: 7 })],
	},
	{
		name: 'customer device: Delete (token percent-encoded, device_id header, body source_code)',
		params: { resource: 'customerDevice', operation: 'delete', customerId: 'C-1', token: 'tok:A/1', deviceId: 'dev-1', additionalFields: { source_code: 7 } },
		requests: [{ method: 'DELETE', path: '/customer/C-1/device/tok%3AA%2F1', headers: { device_id: 'dev-1' }, body: { source_code: 7 } }],
		output: [{ success: true }],
		check: (f) => expect(f.devices.get('C-1')).toEqual([]),
	},
	{
		name: 'customer bonus: Get',
		params: { resource: 'customerBonus', operation: 'get', customerId: 'C-1' },
		requests: [{ method: 'GET', path: '/customer/C-1/bonus' }],
		output: [rec('bonus', 'C-1', BONUS)],
	},
	{
		name: 'customer bonus: Update (Keep Fields Not Given off)',
		params: { resource: 'customerBonus', operation: 'update', customerId: 'C-1', keepFields: false, customParameters: { pairs: [{ name: 'active', value: '={{ 200 }}' }] } },
		requests: [{ method: 'PATCH', path: '/customer/C-1/bonus', body: { active: 200 } }],
		output: [rec('bonus', 'C-1', { active: 200, awaiting_activation: 0, awaiting_deactivation: 0, nearest_deactivation_date: '', nearest_deactivation_amount: 0 })],
	},
	{
		name: 'customer marker: Add (documented trailing slash)',
		params: { resource: 'customerMarker', operation: 'add', customerId: 'C-1', name: 'birthday_club', client_id: 1 },
		requests: [{ method: 'POST', path: '/customer/C-1/marker/', body: { name: 'birthday_club', client_id: 1 } }],
		output: [rec('marker', 9, { name: 'birthday_club', client_id: 1 })],
	},
	{
		name: 'customer marker: Get Many',
		params: { resource: 'customerMarker', operation: 'getAll', customerId: 'C-1', returnAll: true },
		requests: [{ method: 'GET', path: '/customer/C-1/marker/', query: page(100) }],
		output: [rec('marker', 71, { name: 'vip', client_id: 1 })],
	},
	{
		name: 'customer marker: Remove (DELETE with a JSON body)',
		params: { resource: 'customerMarker', operation: 'remove', customerId: 'C-1', name: 'vip', client_id: '1' },
		requests: [{ method: 'DELETE', path: '/customer/C-1/marker/', headers: { 'content-type': JSONH }, body: { name: 'vip', client_id: 1 } }],
		output: [{ success: true }],
		check: (f) => expect(f.markers.get('C-1')).toEqual([]),
	},
	{
		name: 'order: Create or Update (order lines as a list)',
		params: {
			resource: 'order', operation: 'upsert', local_id: 'O-2', date: '2024-05-02T15:30:00', keepFields: false,
			additionalFields: {
				client_id: 'C-1', number: 'A-101', status_name: 'paid', items_cnt: 3, items_sum: 450.5,
				items: { entries: [{ local_id: 'L-1', product_id: 'P-1', price: 150, cnt: 2, sum: 300 }, { local_id: 'L-2', client_id: 'C-1', product_id: 'P-2', price: '150.5', cnt: 1, sum: 150.5 }] },
				customParameters: { pairs: [{ name: 'shop', value: 'Arbat' }] },
			},
		},
		requests: [{
			method: 'POST', path: '/order',
			body: {
				local_id: 'O-2', date: '2024-05-02T15:30:00+03:00', client_id: 'C-1', number: 'A-101', status_name: 'paid', items_cnt: 3, items_sum: 450.5,
				items: [{ local_id: 'L-1', product_id: 'P-1', price: 150, cnt: 2, sum: 300 }, { local_id: 'L-2', client_id: 'C-1', product_id: 'P-2', price: 150.5, cnt: 1, sum: 150.5 }],
				shop: 'Arbat',
			},
		}],
		output: [rec('order', 9, {
			local_id: 'O-2', date: '2024-05-02T15:30:00+03:00', client_id: 'C-1', number: 'A-101', status_name: 'paid', items_cnt: 3, items_sum: 450.5,
			items: [{ local_id: 'L-1', product_id: 'P-1', price: 150, cnt: 2, sum: 300 }, { local_id: 'L-2', client_id: 'C-1', product_id: 'P-2', price: 150.5, cnt: 1, sum: 150.5 }],
			shop: 'Arbat',
		})],
	},
	{
		name: 'order: Get',
		params: { resource: 'order', operation: 'get', orderId: 'O-1' },
		requests: [{ method: 'GET', path: '/order/O-1' }],
		output: [rec('order', 2, { ...EMPTY_ORDER, ...O1 })],
	},
	{
		name: 'order: Get Many',
		params: { resource: 'order', operation: 'getAll', limit: 5 },
		requests: [{ method: 'GET', path: '/order', query: page(5) }],
		output: [rec('order', 2, { ...EMPTY_ORDER, ...O1 })],
	},
	{
		name: 'order: Update (Keep Fields Not Given off)',
		params: { resource: 'order', operation: 'update', orderId: 'O-1', keepFields: false, updateFields: { date: '2024-02-01T12:00:00+03:00', status_name: 'refunded' } },
		requests: [{ method: 'PATCH', path: '/order/O-1', body: { date: '2024-02-01T12:00:00+03:00', status_name: 'refunded', local_id: 'O-1' } }],
		output: [rec('order', 2, { ...EMPTY_ORDER, local_id: 'O-1', date: '2024-02-01T12:00:00+03:00', status_name: 'refunded' })],
	},
	{
		name: 'event: Create (JSON context, numeric client_id as a number)',
		params: { resource: 'event', operation: 'create', name: 'order_paid', date: '2024-05-03T08:00:00', additionalFields: { client_id: '1001', context: '{"order_sum": 1500, "shop": "Tverskaya"}' } },
		requests: [{ method: 'POST', path: '/event', headers: { 'content-type': JSONH }, body: { name: 'order_paid', date: '2024-05-03T08:00:00+03:00', client_id: 1001, context: { order_sum: 1500, shop: 'Tverskaya' } } }],
		output: [rec('event', 9, { name: 'order_paid', date: '2024-05-03T08:00:00+03:00', client_id: 1001, context: { order_sum: 1500, shop: 'Tverskaya' } })],
	},
	{
		name: 'event: Get',
		params: { resource: 'event', operation: 'get', eventId: '5' },
		requests: [{ method: 'GET', path: '/event/5' }],
		output: [rec('event', 5, E1)],
	},
	{
		name: 'event: Get Many',
		params: { resource: 'event', operation: 'getAll', returnAll: true, sort: { entries: [{ attribute: 'date' }] } },
		requests: [{ method: 'GET', path: '/event', query: { ...page(100), sort: '[{"attribute":"date","direction":"asc"}]' } }],
		output: [rec('event', 5, E1)],
	},
	{
		name: 'event: Update (Keep Fields Not Given off)',
		params: { resource: 'event', operation: 'update', eventId: '5', keepFields: false, updateFields: { date: '2024-03-02T00:00:00+03:00', name: 'birthday' } },
		requests: [{ method: 'PATCH', path: '/event/5', body: { date: '2024-03-02T00:00:00+03:00', name: 'birthday' } }],
		output: [rec('event', 5, { client_id: '', name: 'birthday', date: '2024-03-02T00:00:00+03:00', context: {} })],
	},
	{
		name: 'web event: Create (event name as free text)',
		params: {
			resource: 'webEvent', operation: 'create', client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00', name: 'add_to_cart',
			additionalFields: { source_code: '3', product_id: 'P-1', category_id: 'K-1', quantity: 2, price: 149.9, container: 'cart' },
		},
		requests: [{ method: 'POST', path: '/web_event', body: { client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00+03:00', name: 'add_to_cart', source_code: '3', product_id: 'P-1', category_id: 'K-1', quantity: 2, price: 149.9, container: 'cart' } }],
		output: [rec('web_event', 9, { client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00+03:00', name: 'add_to_cart', source_code: '3', product_id: 'P-1', category_id: 'K-1', quantity: 2, price: 149.9, container: 'cart' })],
	},
	{
		name: 'web event: Create (custom event name from an expression)',
		params: { resource: 'webEvent', operation: 'create', client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00', name: '={{ "wishlist_add" }}' },
		requests: [{ method: 'POST', path: '/web_event', body: { client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00+03:00', name: 'wishlist_add' } }],
		output: [rec('web_event', 9, { client_id: 'C-1', session_id: 's-42', date: '2024-05-03T09:00:00+03:00', name: 'wishlist_add' })],
	},
	{
		name: 'product: Create or Update',
		params: { resource: 'product', operation: 'upsert', local_id: 'P-2', name: 'Coffee', keepFields: false, additionalFields: { category_id: 'K-1', customParameters: { pairs: [{ name: 'brand', value: 'Lavazza' }] } } },
		requests: [{ method: 'POST', path: '/product', body: { local_id: 'P-2', name: 'Coffee', category_id: 'K-1', brand: 'Lavazza' } }],
		output: [rec('product', 9, { local_id: 'P-2', name: 'Coffee', category_id: 'K-1', brand: 'Lavazza' })],
	},
	{
		name: 'product: Get',
		params: { resource: 'product', operation: 'get', productId: 'P-1' },
		requests: [{ method: 'GET', path: '/product/P-1' }],
		output: [rec('product', 3, P1)],
	},
	{
		name: 'product: Get Many',
		params: { resource: 'product', operation: 'getAll', returnAll: true },
		requests: [{ method: 'GET', path: '/product', query: page(100) }],
		output: [rec('product', 3, P1)],
	},
	{
		name: 'product: Update (Keep Fields Not Given off)',
		params: { resource: 'product', operation: 'update', productId: 'P-1', keepFields: false, updateFields: { name: 'Green tea' } },
		requests: [{ method: 'PATCH', path: '/product/P-1', body: { name: 'Green tea', local_id: 'P-1' } }],
		output: [rec('product', 3, { name: 'Green tea', local_id: 'P-1', category_id: '' })],
	},
	{
		name: 'product category: Create or Update',
		params: { resource: 'category', operation: 'upsert', local_id: 'K-2', name: 'Tea', keepFields: false, additionalFields: { parent_id: 'K-1' } },
		requests: [{ method: 'POST', path: '/category', body: { local_id: 'K-2', name: 'Tea', parent_id: 'K-1' } }],
		output: [rec('category', 9, { local_id: 'K-2', name: 'Tea', parent_id: 'K-1' })],
	},
	{
		name: 'product category: Get',
		params: { resource: 'category', operation: 'get', categoryId: 'K-1' },
		requests: [{ method: 'GET', path: '/category/K-1' }],
		output: [rec('category', 4, K1)],
	},
	{
		name: 'product category: Get Many',
		params: { resource: 'category', operation: 'getAll', limit: 10 },
		requests: [{ method: 'GET', path: '/category', query: page(10) }],
		output: [rec('category', 4, K1)],
	},
	{
		name: 'product category: Update (Keep Fields Not Given off)',
		params: { resource: 'category', operation: 'update', categoryId: 'K-1', keepFields: false, updateFields: { name: 'Beverages', parent_id: 'K-0' } },
		requests: [{ method: 'PATCH', path: '/category/K-1', body: { name: 'Beverages', parent_id: 'K-0', local_id: 'K-1' } }],
		output: [rec('category', 4, { name: 'Beverages', parent_id: 'K-0', local_id: 'K-1' })],
	},
	...(['email', 'sms', 'push'] as const).flatMap((channel): Case[] => {
		const resource = `${channel}Campaign`;
		const first = { email: { id: 1, name: 'Spring sale', status: 'sent' }, sms: { id: 11, name: 'Code reminder', status: 'sent' }, push: { id: 21, name: 'Cart left', status: 'active' } }[channel];
		const participants = { email: [rec('participant', 101, { local_id: 'C-1', status: 'delivered' }), rec('participant', 102, { local_id: 'C-2', status: 'opened' })], sms: [rec('participant', 103, { local_id: 'C-1', status: 'delivered' })], push: [rec('participant', 104, { local_id: 'C-3', status: 'read' })] }[channel];
		return [
			{
				name: `${channel} campaign: Get`,
				params: { resource, operation: 'get', campaignId: String(first.id) },
				requests: [{ method: 'GET', path: `/communication/${channel}/${first.id}` }],
				output: [rec(`${channel}-mailing`, first.id, { name: first.name, status: first.status })],
			},
			{
				name: `${channel} campaign: Get Many (documented trailing slash)`,
				params: { resource, operation: 'getAll', limit: 1 },
				requests: [{ method: 'GET', path: `/communication/${channel}/`, query: page(1) }],
				output: [rec(`${channel}-mailing`, first.id, { name: first.name, status: first.status })],
			},
			{
				name: `${channel} campaign: Get Participants`,
				params: { resource, operation: 'getParticipants', campaignId: String(first.id), returnAll: true },
				requests: [{ method: 'GET', path: `/communication/${channel}/${first.id}/customers`, query: page(100) }],
				output: participants,
			},
		];
	}),
	{
		name: 'push message state: Create (device_id header)',
		params: { resource: 'pushMessageState', operation: 'create', deviceId: 'dev-1', state: 'Read', message_id: 'm-9', client_id: 'C-1', additionalFields: { source_code: 2 } },
		requests: [{ method: 'POST', path: '/communication/push/state', headers: { device_id: 'dev-1' }, body: { state: 'Read', message_id: 'm-9', client_id: 'C-1', source_code: 2 } }],
		output: [rec('push-state', 9, { device_id: 'dev-1', state: 'Read', message_id: 'm-9', client_id: 'C-1', source_code: 2 })],
	},
	{
		name: 'push message state: Create (the unnamed field under another name)',
		params: { resource: 'pushMessageState', operation: 'create', deviceId: 'dev-1', state: 'Delivered', message_id: 'm-9', client_id: 'tok-1', additionalFields: { firstFieldName: 'token' } },
		requests: [{ method: 'POST', path: '/communication/push/state', body: { state: 'Delivered', message_id: 'm-9', token: 'tok-1' } }],
		output: [rec('push-state', 9, { device_id: 'dev-1', state: 'Delivered', message_id: 'm-9', token: 'tok-1' })],
	},
	{
		name: 'poll: Get (one slash, not the documented double slash)',
		params: { resource: 'poll', operation: 'get', pollId: '31' },
		requests: [{ method: 'GET', path: '/communication/poll/31' }],
		output: [rec('poll', 31, { name: 'NPS', questions: 3 })],
	},
	{
		name: 'poll: Get Many',
		params: { resource: 'poll', operation: 'getAll', returnAll: true },
		requests: [{ method: 'GET', path: '/communication/poll/', query: page(100) }],
		output: [rec('poll', 31, { name: 'NPS', questions: 3 }), rec('poll', 32, { name: 'Store rating', questions: 1 })],
	},
	{
		name: 'black list: Get Many (phone; type in the path, no GET body)',
		params: { resource: 'blackList', operation: 'getAll', type: 'phone', returnAll: true },
		requests: [{ method: 'GET', path: '/black-list/phone', query: page(100), body: undefined }],
		output: [rec('black-list', 42, { value: '+79990000000', reason: 'unsubscribed' })],
	},
	{
		name: 'promo code group: Create or Update',
		params: { resource: 'promoCodeGroup', operation: 'upsert', local_id: 'G-2', name: 'Autumn codes' },
		requests: [{ method: 'POST', path: '/promocode-group', body: { local_id: 'G-2', name: 'Autumn codes' } }],
		output: [rec('promocode-group', 9, { local_id: 'G-2', name: 'Autumn codes' })],
	},
	{
		name: 'promo code group: Get',
		params: { resource: 'promoCodeGroup', operation: 'get', groupId: '6' },
		requests: [{ method: 'GET', path: '/promocode-group/6' }],
		output: [rec('promocode-group', 6, G1)],
	},
	{
		name: 'promo code group: Get Many',
		params: { resource: 'promoCodeGroup', operation: 'getAll', returnAll: true },
		requests: [{ method: 'GET', path: '/promocode-group', query: page(100) }],
		output: [rec('promocode-group', 6, G1)],
	},
	{
		name: 'promo code group: Update (Keep Fields Not Given off)',
		params: { resource: 'promoCodeGroup', operation: 'update', groupId: '6', keepFields: false, updateFields: { local_id: 'G-1', name: 'Spring codes 2' } },
		requests: [{ method: 'PATCH', path: '/promocode-group/6', body: { local_id: 'G-1', name: 'Spring codes 2' } }],
		output: [rec('promocode-group', 6, { local_id: 'G-1', name: 'Spring codes 2' })],
	},
	{
		name: 'promo code group: Delete',
		params: { resource: 'promoCodeGroup', operation: 'delete', groupId: '6' },
		requests: [{ method: 'DELETE', path: '/promocode-group/6', body: undefined }],
		output: [{ success: true }],
		check: (f) => expect(f.stores['promocode-group']).toEqual([]),
	},
	{
		name: 'promo code group: Upload Codes',
		params: { resource: 'promoCodeGroup', operation: 'uploadCodes', groupId: '6', codes: 'SPRING-001, SPRING-002\nSPRING-003' },
		requests: [{ method: 'POST', path: '/promocode-group/6/codes', body: { codes: ['SPRING-001', 'SPRING-002', 'SPRING-003'] } }],
		output: [rec('promocode-upload', 6, { uploaded: 3, total: 3 })],
		check: (f) => expect(f.promoCodes.get(6)).toEqual(['SPRING-001', 'SPRING-002', 'SPRING-003']),
	},
	{
		name: 'dictionary: Create',
		params: { resource: 'dictionary', operation: 'create', name: 'Cities', code: 'cities' },
		requests: [{ method: 'POST', path: '/dictionary', headers: { 'content-type': JSONH }, body: { name: 'Cities', code: 'cities' } }],
		output: [rec('dictionary', 9, { name: 'Cities', code: 'cities', local_id: '' })],
	},
	{
		name: 'dictionary: Get',
		params: { resource: 'dictionary', operation: 'get', dictionaryId: '7' },
		requests: [{ method: 'GET', path: '/dictionary/7' }],
		output: [rec('dictionary', 7, D1)],
	},
	{
		name: 'dictionary: Get Many',
		params: { resource: 'dictionary', operation: 'getAll', returnAll: true },
		requests: [{ method: 'GET', path: '/dictionary', query: page(100) }],
		output: [rec('dictionary', 7, D1)],
	},
	{
		name: 'dictionary: Update (Keep Fields Not Given off)',
		params: { resource: 'dictionary', operation: 'update', dictionaryId: '7', keepFields: false, updateFields: { local_id: 'DL-1', name: 'Stores' } },
		requests: [{ method: 'PATCH', path: '/dictionary/7', body: { local_id: 'DL-1', name: 'Stores' } }],
		output: [rec('dictionary', 7, { local_id: 'DL-1', name: 'Stores', code: '' })],
	},
	{
		name: 'dictionary: Delete',
		params: { resource: 'dictionary', operation: 'delete', dictionaryId: '7' },
		requests: [{ method: 'DELETE', path: '/dictionary/7' }],
		output: [{ success: true }],
		check: (f) => expect(f.stores.dictionary).toEqual([]),
	},
	{
		name: 'dictionary item: Create',
		params: { resource: 'dictionaryItem', operation: 'create', dictionaryId: '7', name: 'Arbat', code: 'shop_2', additionalFields: { customParameters: { pairs: [{ name: 'address', value: 'Arbat 1' }] } } },
		requests: [{ method: 'POST', path: '/dictionary/7/item', headers: { 'content-type': JSONH }, body: { name: 'Arbat', code: 'shop_2', address: 'Arbat 1' } }],
		output: [rec('dictionary-item', 9, { name: 'Arbat', code: 'shop_2', address: 'Arbat 1', dictionary_id: 7 })],
	},
	{
		name: 'dictionary item: Get',
		params: { resource: 'dictionaryItem', operation: 'get', dictionaryId: '7', itemId: '8' },
		requests: [{ method: 'GET', path: '/dictionary/7/item/8' }],
		output: [rec('dictionary-item', 8, I1)],
	},
	{
		name: 'dictionary item: Get Many',
		params: { resource: 'dictionaryItem', operation: 'getAll', dictionaryId: '7', returnAll: true },
		requests: [{ method: 'GET', path: '/dictionary/7/item', query: page(100) }],
		output: [rec('dictionary-item', 8, I1)],
	},
	{
		name: 'dictionary item: Update (Keep Fields Not Given off)',
		params: { resource: 'dictionaryItem', operation: 'update', dictionaryId: '7', itemId: '8', keepFields: false, updateFields: { name: 'Tverskaya 7' } },
		requests: [{ method: 'PATCH', path: '/dictionary/7/item/8', body: { name: 'Tverskaya 7' } }],
		output: [rec('dictionary-item', 8, { name: 'Tverskaya 7', code: '', dictionary_id: 7 })],
	},
	{
		name: 'dictionary item: Delete',
		params: { resource: 'dictionaryItem', operation: 'delete', dictionaryId: '7', itemId: '8' },
		requests: [{ method: 'DELETE', path: '/dictionary/7/item/8' }],
		output: [{ success: true }],
		check: (f) => expect(f.stores['dictionary-item']).toEqual([]),
	},
];

describe('Loymax node', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<LoymaxFake>('loymax');
	const cred = (user: { username: string; password: string } = LOYMAX_USER, id?: string) => ({
		loymaxApi: env.harness.credentials.add('loymaxApi', { ...user, baseUrl: env.sandbox.url('loymax') }, id),
	});
	const run = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'loymax', parameters: parameters as never, credentials: cred(), ...extra });
	const apiRequests = () => env.sandbox.requests('loymax').filter((r) => r.path !== '/token');

	beforeEach(() => seed(fake()));

	describe('every endpoint: exact request and output', () => {
		it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
			const result = await run(c.params);
			expect(result.error).toBeUndefined();
			const sent = apiRequests();
			expect(sent).toHaveLength(c.requests.length);
			c.requests.forEach((want, n) => {
				const got = sent[n];
				expect(got.method).toBe(want.method);
				expect(got.path).toBe(want.path);
				if (want.query) expect(got.query).toEqual(want.query);
				else expect(got.query).toEqual({});
				if ('body' in want) expect(got.body).toEqual(want.body);
				else if (want.method === 'GET' || want.method === 'DELETE') expect(got.rawBody).toBe('');
				for (const [header, value] of Object.entries(want.headers ?? {})) expect(got.headers[header]).toBe(value);
				expect(got.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
				expect(got.status).toBeLessThan(300);
			});
			expect(result.items.map((i) => i.json)).toEqual(c.output);
			expect(result.items.every((i, n) => (i.pairedItem as { item: number }).item === 0 && n >= 0)).toBe(true);
			c.check?.(fake());
		});
	});
	describe('Update with "Keep Fields Not Given" (default on): GET, merge, PATCH the whole record', () => {
		const KEEP: Array<{ name: string; params: Record<string, unknown>; path: string; sent: Record<string, unknown>; after: (f: LoymaxFake) => unknown; expected: unknown }> = [
			{
				name: 'customer',
				params: { resource: 'customer', operation: 'update', customerId: 'C-1', updateFields: { city: 'Kazan' } },
				path: '/customer/C-1',
				sent: { ...EMPTY_CUSTOMER, ...C1, city: 'Kazan' },
				after: (f) => f.stores.customer[0].attrs,
				expected: { ...EMPTY_CUSTOMER, ...C1, city: 'Kazan' },
			},
			// customer bonus: test/docsSilent/loymax.test.ts (computed balances are never sent back).
			{
				name: 'order (lines kept unless given)',
				params: { resource: 'order', operation: 'update', orderId: 'O-1', updateFields: { status_name: 'refunded' } },
				path: '/order/O-1',
				sent: { ...EMPTY_ORDER, ...O1, status_name: 'refunded' },
				after: (f) => f.stores.order[0].attrs,
				expected: { ...EMPTY_ORDER, ...O1, status_name: 'refunded' },
			},
			{
				name: 'event',
				params: { resource: 'event', operation: 'update', eventId: '5', updateFields: { context: '{"gift": "flowers"}' } },
				path: '/event/5',
				sent: { ...E1, context: { gift: 'flowers' } },
				after: (f) => f.stores.event[0].attrs,
				expected: { ...E1, context: { gift: 'flowers' } },
			},
			{
				name: 'product',
				params: { resource: 'product', operation: 'update', productId: 'P-1', updateFields: { name: 'Black tea' } },
				path: '/product/P-1',
				sent: { ...P1, name: 'Black tea' },
				after: (f) => f.stores.product[0].attrs,
				expected: { ...P1, name: 'Black tea' },
			},
			{
				name: 'product category',
				params: { resource: 'category', operation: 'update', categoryId: 'K-1', updateFields: { customParameters: { pairs: [{ name: 'icon', value: 'mug' }] } } },
				path: '/category/K-1',
				sent: { ...K1, icon: 'mug' },
				after: (f) => f.stores.category[0].attrs,
				expected: { ...K1, icon: 'mug' },
			},
			{
				name: 'promo code group',
				params: { resource: 'promoCodeGroup', operation: 'update', groupId: '6', updateFields: { name: 'Spring codes (ended)' } },
				path: '/promocode-group/6',
				sent: { ...G1, name: 'Spring codes (ended)' },
				after: (f) => f.stores['promocode-group'][0].attrs,
				expected: { ...G1, name: 'Spring codes (ended)' },
			},
			{
				name: 'dictionary',
				params: { resource: 'dictionary', operation: 'update', dictionaryId: '7', updateFields: { name: 'All shops' } },
				path: '/dictionary/7',
				sent: { ...D1, name: 'All shops' },
				after: (f) => f.stores.dictionary[0].attrs,
				expected: { ...D1, name: 'All shops' },
			},
			{
				name: 'dictionary item',
				params: { resource: 'dictionaryItem', operation: 'update', dictionaryId: '7', itemId: '8', updateFields: { name: 'Tverskaya 1' } },
				path: '/dictionary/7/item/8',
				sent: { ...I1, name: 'Tverskaya 1' },
				after: (f) => f.stores['dictionary-item'][0].attrs,
				expected: { ...I1, name: 'Tverskaya 1' },
			},
		];
		it.each(KEEP.map((k) => [k.name, k] as const))('%s: untouched fields survive', async (_name, k) => {
			const result = await run(k.params);
			expect(result.error).toBeUndefined();
			const sent = apiRequests();
			expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${k.path}`, `PATCH ${k.path}`]);
			expect(sent[1].body).toEqual(k.sent);
			expect(k.after(fake())).toEqual(k.expected);
			expect(result.items).toHaveLength(1);
		});

		it('off: the untouched fields are reset by the API (what "on" protects against)', async () => {
			const result = await run({ resource: 'customer', operation: 'update', customerId: 'C-1', keepFields: false, updateFields: { city: 'Kazan', register_date: '2024-01-10T09:00:00+03:00', first_name: 'Ivan' } });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.method)).toEqual(['PATCH']);
			expect(fake().stores.customer[0].attrs).toEqual({ ...EMPTY_CUSTOMER, local_id: 'C-1', city: 'Kazan', register_date: '2024-01-10T09:00:00+03:00', first_name: 'Ivan' });
		});

		it('works with the flat envelope too (no JSON:API attributes)', async () => {
			fake().envelope = 'flat';
			const result = await run({ resource: 'product', operation: 'update', productId: 'P-1', updateFields: { category_id: 'K-9' } });
			expect(result.error).toBeUndefined();
			expect(apiRequests()[1].body).toEqual({ ...P1, category_id: 'K-9' });
			expect(result.items[0].json).toEqual({ id: 3, ...P1, category_id: 'K-9' });
		});

		it('off, without a required field: a clear error and nothing sent', async () => {
			const result = await run({ resource: 'order', operation: 'update', orderId: 'O-1', keepFields: false, updateFields: { status_name: 'x' } });
			expect(result.error?.message).toBe('Item 1: "date" is required by Loymax (give it, or turn on Keep Fields Not Given)');
			expect(apiRequests()).toHaveLength(0);
		});
	});

	describe('login (preAuthentication) and the token', () => {
		it('logs in once with username and password in the query, then reuses the token', async () => {
			const credentials = cred();
			const before = env.harness.credentials.logins.length;
			await env.harness.runNode({ node: 'loymax', parameters: { resource: 'customer', operation: 'get', customerId: 'C-1' }, credentials });
			await env.harness.runNode({ node: 'loymax', parameters: { resource: 'order', operation: 'get', orderId: 'O-1' }, credentials });
			const logins = env.sandbox.requests('loymax', 'POST', '/token');
			expect(logins).toHaveLength(1);
			expect(logins[0].query).toEqual({ username: LOYMAX_USER.username, password: LOYMAX_USER.password });
			expect(logins[0].rawBody).toBe('');
			expect(logins[0].headers['content-type']).toBe('application/json');
			expect(logins[0].headers.authorization).toBeUndefined();
			expect(env.harness.credentials.logins.slice(before)).toEqual([{ type: 'loymaxApi', expired: false }]);
			const stored = env.harness.credentials.store.get(credentials.loymaxApi.id!)!.data;
			expect(String(stored.sessionToken)).toMatch(/^ey/);
		});

		it.each(['token', 'access_token', 'data.token', 'data.attributes.token', 'json-string', 'text'] as const)('accepts the token answer shape %s', async (shape) => {
			fake().tokenShape = shape;
			const result = await run({ resource: 'customer', operation: 'get', customerId: 'C-1' });
			expect(result.error).toBeUndefined();
			expect(result.items[0].json.local_id).toBe('C-1');
			const token = [...fake().tokens.keys()][0];
			expect(apiRequests()[0].headers.authorization).toBe(`Bearer ${token}`);
		});

		it('an answer without a token fails clearly', async () => {
			fake().tokenShape = 'none';
			const result = await run({ resource: 'customer', operation: 'get', customerId: 'C-1' });
			expect(result.error?.message).toContain('Loymax answered the login (POST /token) without a token');
			expect(apiRequests()).toHaveLength(0);
		});

		it('a wrong password fails clearly and never shows the password', async () => {
			const secret = 'Wr0ng&pass word=1';
			const result = await env.harness.runNode({
				node: 'loymax',
				parameters: { resource: 'customer', operation: 'get', customerId: 'C-1' },
				credentials: cred({ username: LOYMAX_USER.username, password: secret }),
			});
			expect(result.error?.message).toContain('Loymax refused the login (HTTP 401: Invalid username or password) — check the username and password');
			const everything = JSON.stringify({ message: result.error?.message, description: result.error?.description, stack: result.error?.stack });
			expect(everything).not.toContain(secret);
			expect(everything).not.toContain(encodeURIComponent(secret));
			expect(apiRequests()).toHaveLength(0);
		});

		it('a user without the API role gets the API words (403)', async () => {
			const result = await env.harness.runNode({ node: 'loymax', parameters: { resource: 'customer', operation: 'get', customerId: 'C-1' }, credentials: cred(LOYMAX_NO_ROLE_USER) });
			expect(result.error?.message).toBe('Loymax returned 403: Allowed only for authorized users with role API');
		});

		it('an expired token: one 401, a new login, the request repeated once', async () => {
			const credentials = cred();
			await env.harness.runNode({ node: 'loymax', parameters: { resource: 'customer', operation: 'get', customerId: 'C-1' }, credentials });
			fake().expireAllTokens();
			const before = env.harness.credentials.logins.length;
			const result = await env.harness.runNode({ node: 'loymax', parameters: { resource: 'order', operation: 'upsert', local_id: 'O-5', date: '2024-05-05T10:00:00', keepFields: false }, credentials });
			expect(result.error).toBeUndefined();
			expect(env.harness.credentials.logins.slice(before)).toEqual([{ type: 'loymaxApi', expired: true }]);
			expect(env.sandbox.requests('loymax').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
				'POST /token 200', 'GET /customer/C-1 200', 'POST /order 401', 'POST /order 401', 'POST /token 200', 'POST /order 201',
			]);
			expect(fake().stores.order.filter((o) => o.attrs.local_id === 'O-5')).toHaveLength(1);
		});

		it('a run spanning token expiry processes every item exactly once', async () => {
			const f = fake();
			// 40 items, 2 at a time, each answer 50 ms late: the run takes > 1 s, the token lives 0.6 s.
			f.tokenLifetimeMs = 600;
			env.sandbox.latencyMs = 50;
			const input = Array.from({ length: 40 }, (_, n) => ({ n }));
			const before = env.harness.credentials.logins.length;
			const result = await run(
				{ resource: 'event', operation: 'create', name: 'visit', date: '2024-05-05T10:00:00', additionalFields: { client_id: '={{ "C-" + $json.n }}' }, requestOptions: { concurrency: 2 } },
				{ input },
			);
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(40);
			expect(result.items.map((i) => (i.pairedItem as { item: number }).item)).toEqual(input.map((_, n) => n));
			expect(result.items.map((i) => i.json.client_id)).toEqual(input.map((_, n) => `C-${n}`));
			const created = env.sandbox.requests('loymax', 'POST', '/event').filter((r) => r.status === 201);
			expect(created.map((r) => (r.body as { client_id: string }).client_id).sort()).toEqual(input.map((_, n) => `C-${n}`).sort());
			expect(f.stores.event.filter((e) => e.attrs.name === 'visit')).toHaveLength(40);
			const refused = env.sandbox.requests('loymax').filter((r) => r.status === 401);
			expect(refused.length).toBeGreaterThan(0);
			const logins = env.harness.credentials.logins.slice(before);
			expect(logins.length).toBeGreaterThanOrEqual(2);
			// First use: each of the (at most 2) items in flight may log in; then re-logins after 401s.
			expect(logins.filter((l) => !l.expired).length).toBeLessThanOrEqual(2);
			expect(logins.filter((l) => l.expired).length).toBeGreaterThanOrEqual(1);
			expect(env.sandbox.requests('loymax', 'POST', '/token')).toHaveLength(logins.length);
		});
	});

	describe('credential test (declarative, as n8n runs it: login by preAuthentication, then one authenticated read)', () => {
		const test = (data: Record<string, unknown>) => env.harness.testCredential('loymax', 'loymaxApi', { baseUrl: env.sandbox.url('loymax'), ...data });
		it('OK for an API user, with the documented requests', async () => {
			expect(await test(LOYMAX_USER)).toEqual({ status: 'OK', message: 'Connection successful!' });
			const [login, read] = env.sandbox.requests('loymax');
			expect([login.method, login.path, login.query]).toEqual(['POST', '/token', { username: LOYMAX_USER.username, password: LOYMAX_USER.password }]);
			expect([read.method, read.path, read.query, read.headers.authorization]).toEqual(['GET', '/customer', page(1), `Bearer ${[...fake().tokens.keys()][0]}`]);
		});
		it('Error for a wrong password, without echoing it', async () => {
			const result = await test({ username: 'api-user', password: 'nope-nope' });
			// n8n shows its own words for a failed preAuthentication (the login's HTTP status picks them).
			expect(result).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(env.sandbox.requests('loymax').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /token 401']);
		});
		it('Error for a user without the API role', async () => {
			expect(await test(LOYMAX_NO_ROLE_USER)).toEqual({ status: 'Error', message: 'Forbidden - perhaps check your credentials?' });
			expect(env.sandbox.requests('loymax').map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /token 200', 'GET /customer 403']);
		});
		it('Error for a token answer without a token', async () => {
			fake().tokenShape = 'none';
			expect(await test(LOYMAX_USER)).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(env.sandbox.requests('loymax').map((r) => `${r.method} ${r.path}`)).toEqual(['POST /token']);
		});
	});

	describe('rate limit (1000/min documented; 429 → pause)', () => {
		it('rides out a 429 burst: every item created once', async () => {
			const f = fake();
			f.rateLimit = { requests: 5, windowMs: 1000 };
			const input = Array.from({ length: 14 }, (_, n) => ({ id: `C-${100 + n}` }));
			const result = await run(
				{
					resource: 'customer', operation: 'upsert', local_id: '={{ $json.id }}', register_date: '2024-05-01T10:00:00', keepFields: false, additionalFields: { first_name: 'Test' },
					requestOptions: { pauseAfter429: 0.3, concurrency: 5 },
				},
				{ input },
			);
			expect(result.error).toBeUndefined();
			expect(result.items.map((i) => i.json.local_id)).toEqual(input.map((i) => i.id));
			const posts = env.sandbox.requests('loymax', 'POST', '/customer');
			expect(posts.filter((r) => r.status === 429).length).toBeGreaterThan(0);
			expect(posts.filter((r) => r.status === 201).map((r) => (r.body as { local_id: string }).local_id).sort()).toEqual(input.map((i) => i.id).sort());
			expect(f.stores.customer).toHaveLength(15);
		});

		it('the documented pause is the default (60 s) and Max Retry Wait bounds it', async () => {
			env.sandbox.inject({ provider: 'loymax', method: 'GET', path: '^/customer/', status: 429, body: { errors: [{ status: '429', title: 'Too Many Requests' }] } });
			const started = Date.now();
			const result = await run({ resource: 'customer', operation: 'get', customerId: 'C-1', requestOptions: { maxRetryWait: 5 } });
			expect(Date.now() - started).toBeLessThan(4000);
			expect(result.error?.message).toBe('Loymax returned 429: Too Many Requests');
			expect(result.error?.description).toContain('asked to wait 60 s');
			expect(apiRequests()).toHaveLength(1);
		});
	});

	describe('pagination, sort and envelopes', () => {
		const addCustomers = (f: LoymaxFake, count: number) => {
			for (let n = 0; n < count; n++) f.seed('customer', { local_id: `X-${String(n).padStart(3, '0')}`, first_name: 'X', register_date: '2024-01-01' });
		};
		it.each([
			['jsonapi, relative links', { envelope: 'jsonapi' as const, absoluteLinks: false, listMeta: false }],
			['jsonapi, absolute links and meta.total', { envelope: 'jsonapi' as const, absoluteLinks: true, listMeta: true }],
			['flat records', { envelope: 'flat' as const, absoluteLinks: false, listMeta: false }],
			['bare array (no links: until a short page)', { envelope: 'array' as const, absoluteLinks: false, listMeta: false }],
		])('Return All walks every page: %s', async (_name, settings) => {
			const f = fake();
			Object.assign(f, settings);
			addCustomers(f, 249); // 250 with C-1
			const result = await run({ resource: 'customer', operation: 'getAll', returnAll: true, sort: { entries: [{ attribute: 'local_id', direction: 'asc' }] }, simplify: true });
			expect(result.error).toBeUndefined();
			expect(result.items).toHaveLength(250);
			expect(result.items[0].json.local_id).toBe('C-1');
			expect(result.items[249].json.local_id).toBe('X-248');
			expect(new Set(result.items.map((i) => i.json.local_id)).size).toBe(250);
			const pages = apiRequests().map((r) => r.query['page[number]']);
			expect(pages.sort()).toEqual(['1', '2', '3']);
			for (const r of apiRequests()) expect(r.query.sort).toBe('[{"attribute":"local_id","direction":"asc"}]');
		});

		it('stops at the limit, asking pages no larger than needed', async () => {
			addCustomers(fake(), 30);
			const result = await run({ resource: 'customer', operation: 'getAll', limit: 7, sort: { entries: [{ attribute: 'local_id', direction: 'desc' }] } });
			expect(result.items.map((i) => i.json.local_id)).toEqual(['X-029', 'X-028', 'X-027', 'X-026', 'X-025', 'X-024', 'X-023']);
			expect(apiRequests().map((r) => r.query)).toEqual([{ ...page(7), sort: '[{"attribute":"local_id","direction":"desc"}]' }]);
		});

		it('Simplify off gives the raw JSON:API resource', async () => {
			const result = await run({ resource: 'product', operation: 'get', productId: 'P-1', simplify: false });
			expect(result.items[0].json).toEqual({ type: 'product', id: '3', attributes: P1 });
		});

		it('a page size above the server maximum still gets everything (links.next)', async () => {
			const f = fake();
			f.maxPageSize = 40;
			addCustomers(f, 99);
			const result = await run({ resource: 'customer', operation: 'getAll', returnAll: true });
			expect(result.items).toHaveLength(100);
			expect(apiRequests().map((r) => r.query['page[number]'])).toEqual(['1', '2', '3']);
		});
	});

	describe('validation before sending, API errors, retries', () => {
		it.each([
			['sex outside M/F/""', { resource: 'customer', operation: 'upsert', local_id: 'C-2', register_date: '2024-01-01', additionalFields: { first_name: 'A', sex: 'X' } }, '"Sex" must be one of "M", "F", ""'],
			['no name at all', { resource: 'customer', operation: 'upsert', local_id: 'C-2', register_date: '2024-01-01', keepFields: false, additionalFields: { city: 'Omsk' } }, 'Loymax needs at least one of Full Name, First Name, Middle Name or Last Name'],
			['channel "yes" instead of Y/N', { resource: 'customerChannel', operation: 'update', customerId: 'C-1', updateFields: { sms: 'yes' } }, '"SMS" must be one of "Y", "N", ""'],
			['subscription status outside Y/N/ND', { resource: 'customerSubscription', operation: 'update', customerId: 'C-1', categories: { entries: [{ code: 'news', status: 'maybe' }] } }, 'must be one of "Y", "N", "ND"'],
			['platform outside Ios/Android/Harmony', { resource: 'customerDevice', operation: 'register', customerId: 'C-1', deviceId: 'd', token: 't', platform: 'iOS' }, '"Platform" must be one of "Android", "Harmony", "Ios"'],
			['context not JSON', { resource: 'event', operation: 'create', name: 'x', date: '2024-01-01', additionalFields: { context: '{oops' } }, '"Context (JSON)" must be valid JSON'],
			['context not an object', { resource: 'event', operation: 'create', name: 'x', date: '2024-01-01', additionalFields: { context: '[1]' } }, '"Context (JSON)" must be a JSON object'],
			['date not a date', { resource: 'order', operation: 'upsert', local_id: 'O-9', date: 'yesterday' }, '"Date" must be a date/time'],
			['no channel', { resource: 'customerChannel', operation: 'update', customerId: 'C-1' }, 'give at least one of Email, SMS or Push'],
			['no promo code', { resource: 'promoCodeGroup', operation: 'uploadCodes', groupId: '6', codes: ' , ' }, '"Codes" has no promo code'],
		])('%s', async (_name, params, words) => {
			const result = await run(params);
			expect(result.error?.message).toContain(words);
			expect(apiRequests()).toHaveLength(0);
		});

		it('the API words of a 422 reach the error, per item with Continue On Fail', async () => {
			const result = await run(
				{ resource: 'customerMarker', operation: 'add', customerId: '={{ $json.c }}', name: 'vip2', client_id: '={{ $json.p }}' },
				{ input: [{ c: 'C-1', p: 99 }, { c: 'C-1', p: 1 }, { c: 'C-404', p: 1 }], continueOnFail: true },
			);
			expect(result.items.map((i) => i.json)).toEqual([
				{ error: 'Loymax returned 422: client_id 99 is not the Platform id of customer C-1', description: 'POST /customer/C-1/marker/', httpCode: '422', delivery: 'refused', requestsSent: 1 },
				rec('marker', 9, { name: 'vip2', client_id: 1 }),
				{ error: 'Loymax returned 404: Customer C-404 not found', description: 'POST /customer/C-404/marker/', httpCode: '404', delivery: 'refused', requestsSent: 1 },
			]);
		});

		it('an upsert by local_id is retried after a 5xx (idempotent), creating one record', async () => {
			env.sandbox.inject({ provider: 'loymax', method: 'POST', path: '^/product$', status: 502, times: 1, afterProcessing: true });
			const result = await run({ resource: 'product', operation: 'upsert', local_id: 'P-7', name: 'Juice', keepFields: false });
			expect(result.error).toBeUndefined();
			expect(apiRequests().map((r) => r.status)).toEqual([502, 201 - 1]);
			expect(fake().stores.product.filter((p) => p.attrs.local_id === 'P-7')).toHaveLength(1);
		});

		it('a plain create (event) is not repeated after a 5xx', async () => {
			env.sandbox.inject({ provider: 'loymax', method: 'POST', path: '^/event$', status: 502, times: 1, afterProcessing: true });
			const result = await run({ resource: 'event', operation: 'create', name: 'x', date: '2024-01-01' });
			expect(result.error?.message).toBe('Loymax returned 502: Bad gateway');
			expect(result.error?.description).toContain('Not retried');
			expect(apiRequests()).toHaveLength(1);
		});
	});
	describe('the fake keeps to the documented contract (direct HTTP)', () => {
		const call = async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
			const response = await fetch(`${env.sandbox.url('loymax')}${path}`, {
				method,
				headers: { 'Content-Type': 'application/json', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...(options.headers ?? {}) },
				body: options.body === undefined ? undefined : JSON.stringify(options.body),
			});
			const text = await response.text();
			return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
		};
		const login = async () => {
			const q = new URLSearchParams(LOYMAX_USER).toString();
			return ((await call('POST', `/token?${q}`)).body as { token: string }).token;
		};

		it('takes the credentials from the query only, and issues a JWT-like token that expires', async () => {
			expect((await call('POST', '/token', { body: LOYMAX_USER })).status).toBe(400);
			const token = await login();
			expect(token.split('.')).toHaveLength(3);
			const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; exp: number; iat: number };
			expect(payload.sub).toBe('api-user');
			expect(payload.exp - payload.iat).toBe(3600);
			expect((await call('GET', '/customer/C-1', { token })).status).toBe(200);
			fake().expireAllTokens();
			expect(await call('GET', '/customer/C-1', { token })).toEqual({ status: 401, body: { errors: [{ status: '401', title: 'Unauthorized', detail: 'Token expired' }] } });
		});

		it('rejects JSON booleans and unknown values where Y/N/"" strings are documented', async () => {
			const token = await login();
			expect((await call('POST', '/customer/C-1/channel', { token, body: { sms: true } })).status).toBe(422);
			expect((await call('POST', '/customer/C-1/channel', { token, body: { sms: 'yes' } })).status).toBe(422);
			expect((await call('POST', '/customer/C-1/channel', { token, body: { sms: '' } })).status).toBe(200);
			expect((await call('PATCH', '/customer/C-1/subscribe', { token, body: { categories: [{ code: 'news', status: 'Y' }, { promo: 'ND' }] } })).status).toBe(200);
			expect((await call('PATCH', '/customer/C-1/subscribe', { token, body: { categories: [{ code: 'news', status: 'yes' }] } })).status).toBe(422);
		});

		it('needs the device_id header, the documented trailing slash, and application/json for events', async () => {
			const token = await login();
			expect((await call('POST', '/customer/C-1/device', { token, body: { token: 't', platform: 'Ios' } })).status).toBe(400);
			expect((await call('GET', '/customer/C-1/marker', { token })).status).toBe(404);
			expect((await call('GET', '//communication/sms/', { token })).status).toBe(200);
			const vnd = await call('POST', '/event', { token, body: { name: 'x', date: 'd' }, headers: { 'Content-Type': 'application/vnd.api+json' } });
			expect(vnd.status).toBe(415);
		});

		it('PATCH replaces the whole record; POST upserts by local_id', async () => {
			const token = await login();
			expect((await call('PATCH', '/product/P-1', { token, body: { name: 'Tea 2', local_id: 'P-1' } })).body).toEqual({ data: { type: 'product', id: '3', attributes: { name: 'Tea 2', local_id: 'P-1', category_id: '' } } });
			expect((await call('POST', '/product', { token, body: { name: 'Tea 3', local_id: 'P-1' } })).status).toBe(200);
			expect(fake().stores.product).toHaveLength(1);
		});

		it('answers 429 past the limit in its window, and serves again after it', async () => {
			const token = await login();
			fake().rateLimit = { requests: 3, windowMs: 300 };
			const statuses = [];
			for (let n = 0; n < 4; n++) statuses.push((await call('GET', '/customer/C-1', { token })).status);
			expect(statuses.slice(-1)).toEqual([429]);
			await new Promise((resolve) => setTimeout(resolve, 350));
			expect((await call('GET', '/customer/C-1', { token })).status).toBe(200);
		});
	});
});
