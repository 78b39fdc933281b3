import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { getMany, num, str } from '../shared';
import { customerIdPath } from './customer';

const markerBody = (): FieldSpec[] => [
	str('name', 'Marker Name', 'Marker name (its text identifier); a marker that does not exist is created', { required: true }),
	num('client_id', 'Client Platform ID', 'ID of the customer in the Loymax Platform (a number; not the master-system ID)', {
		required: true,
		integer: true,
	}),
];

// Marker URLs end with "/" in the docs (sections "Создать метку", "Получить список меток клиента", "Удалить метку"): sent as documented.
export const customerMarker: ResourceSpec = {
	value: 'customerMarker',
	name: 'Customer Marker',
	description: 'Markers (tags) on a customer',
	operations: [
		{
			value: 'add',
			name: 'Add',
			action: 'Add a marker to a customer',
			description: 'Attach a marker to the customer (POST /customer/{ID}/marker/)',
			method: 'POST',
			path: '/customer/{id}/marker/',
			fields: [customerIdPath, ...markerBody()],
		},
		getMany('markers of a customer', '/customer/{id}/marker/', [customerIdPath]),
		{
			value: 'remove',
			name: 'Remove',
			action: 'Remove a marker from a customer',
			description: 'Detach a marker from the customer (DELETE /customer/{ID}/marker/ with a JSON body)',
			method: 'DELETE',
			path: '/customer/{id}/marker/',
			bodyStyle: 'json',
			fields: [customerIdPath, ...markerBody()],
			emptyResponse: { success: true },
		},
	],
};
