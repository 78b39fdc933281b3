import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { customParameters, dateTime, getMany, getOne, keepFields, keepFieldsOnUpsert, mergeThenPatch, num, optional, pathId, str, upsertKeeping } from '../shared';

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
const orderLocalId = str('local_id', 'Local ID', 'ID of the receipt/order in your master system. An existing local_id is updated, and every field not sent is reset to empty (the API replaces the whole record)', {
	required: true,
});
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
		{
			value: 'upsert',
			name: 'Create or Update',
			action: 'Create or update an order',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			method: 'POST',
			path: '/order',
			idempotent: true,
			// local_id is the upsert key: required here although the docs mark it only on PATCH (sections "Зарегистрировать чек", "Изменить чек").
			fields: [orderLocalId, orderDate, keepFieldsOnUpsert(), ...orderFields()],
			run: upsertKeeping('/order/{id}'),
		},
		getOne('an order', '/order/{id}', [orderIdPath]),
		getMany('orders', '/order'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update an order',
			description: 'Change a receipt/order (PATCH /order/{ID}); PATCH replaces the whole order',
			method: 'PATCH',
			path: '/order/{id}',
			fields: [orderIdPath, keepFields(), ...optional([orderLocalId, orderDate]), ...orderFields()],
			run: mergeThenPatch({ required: ['local_id', 'date'], localIdFromPath: 'orderId' }),
		},
	],
};
