import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { customParameters, dateTime, getMany, getOne, keepFields, keepFieldsOnUpsert, num, optional, pathId, str, updateWhole, upsert, upsertKeeping, upsertKey } from '../shared';

// ---------- order ----------

const orderLine: FieldSpec = {
	name: 'items',
	label: 'Order Lines',
	type: 'list',
	key: 'items',
	location: 'body',
	placeholder: 'Add Order Line',
	description: 'Lines of the receipt/order; sent as the "items" array (the whole list replaces the stored one)',
	fields: [
		{ name: 'local_id', label: 'Line Local ID', type: 'string', location: 'none', description: 'ID of the line in your master system' },
		{ name: 'client_id', label: 'Client ID', type: 'string', location: 'none', description: 'ID of the customer in your master system' },
		{ name: 'product_id', label: 'Product ID', type: 'string', location: 'none', description: 'ID of the product in your master system' },
		{ name: 'price', label: 'Price', type: 'number', location: 'none', description: 'Price of one unit, e.g. 199.9' },
		{ name: 'cnt', label: 'Quantity', type: 'number', location: 'none', description: 'Number of units (sent as "cnt")', default: 1 },
		{ name: 'sum', label: 'Sum', type: 'number', location: 'none', description: 'Line total, e.g. 399.8' },
	],
};

const orderIdPath = pathId('orderId', 'Order ID', 'ID of the receipt/order in your master system (local_id)', 'id');
const orderLocalId = upsertKey('ID of the receipt/order in your master system');
const orderDate = dateTime('date', 'Date', 'Date of the receipt/order', { required: true });
const orderFields = (): FieldSpec[] => [
	str('client_id', 'Client ID', 'ID of the customer in your master system'),
	str('number', 'Number', 'Receipt/order number as printed'),
	str('status_name', 'Status Name', 'Name of the order/transaction status, e.g. paid'),
	num('items_cnt', 'Items Count', 'Number of units in the order'),
	num('items_sum', 'Items Sum', 'Receipt total, e.g. 599.7'),
	orderLine,
	customParameters(),
];

export const order: ResourceSpec = {
	value: 'order',
	name: 'Order',
	description: 'Receipts, orders and transactions',
	operations: [
		// local_id is the upsert key: required here although the docs mark it only on PATCH (sections "Зарегистрировать чек", "Изменить чек").
		upsert('an order', '/order', [orderLocalId, orderDate, keepFieldsOnUpsert(), ...orderFields()], upsertKeeping('/order/{id}')),
		getOne('an order', '/order/{id}', [orderIdPath]),
		getMany('orders', '/order'),
		updateWhole(
			'an order',
			{ words: 'Change a receipt/order', whole: 'order' },
			'/order/{id}',
			[orderIdPath, keepFields(), ...optional([orderLocalId, orderDate]), ...orderFields()],
			{ required: ['local_id', 'date'], localIdFromPath: 'orderId' },
		),
	],
};
