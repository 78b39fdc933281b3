import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { checkCustomerName, customParameters, dateTime, getMany, getOne, keepFields, keepFieldsOnUpsert, mergeThenPatch, optional, pathId, str, upsertKeeping } from '../shared';

// ---------- customer ----------

export const masterId = 'ID of the customer in your master system (local_id)';
export const customerIdPath = pathId('customerId', 'Customer ID', `${masterId}, e.g. C-1001`, 'id');
export const customerLocalIdPath = pathId('customerId', 'Customer ID', `${masterId}, e.g. C-1001`, 'local_id');

const customerFields = (): FieldSpec[] => [
	str('full_name', 'Full Name', 'Full name of the customer. At least one of Full Name, First Name, Middle Name, Last Name is required.'),
	str('first_name', 'First Name', 'First name'),
	str('middle_name', 'Middle Name', 'Middle name (patronymic)'),
	str('last_name', 'Last Name', 'Last name'),
	// The field between last_name and phone lost its name in the docs (section "Зарегистрировать клиента"): e-mail.
	str('email', 'Email', 'E-mail address, e.g. ivan@example.ru (sent as "email")', { placeholder: 'name@email.com' }),
	str('phone', 'Phone', 'Phone number, e.g. +79161234567'),
	{
		name: 'sex',
		label: 'Sex',
		type: 'options',
		key: 'sex',
		location: 'body',
		default: 'M',
		sendEmpty: true,
		description: 'Sex: "M", "F" or "" (no data)',
		options: [
			{ name: 'Male (M)', value: 'M' },
			{ name: 'Female (F)', value: 'F' },
			{ name: 'No Data (Empty)', value: '' },
		],
	},
	{
		name: 'birth_date',
		label: 'Birth Date',
		type: 'date',
		key: 'birth_date',
		location: 'body',
		dateFormat: 'yyyy-MM-dd',
		description: 'Date of birth, sent as YYYY-MM-DD (the docs give no format), e.g. 1990-04-21',
	},
	str('country', 'Country', 'Country, e.g. Russia'),
	str('city', 'City', 'City, e.g. Moscow'),
	str('zip', 'ZIP', 'Postal code, e.g. 101000'),
];

const customerLocalId = str('local_id', 'Local ID', `${masterId}. An existing local_id is updated, and every field not sent is reset to empty (the API replaces the whole record)`, {
	required: true,
});
const registerDate = dateTime('register_date', 'Register Date', 'Date the customer registered', { required: true });

export const customer: ResourceSpec = {
	value: 'customer',
	name: 'Customer',
	description: 'Customer profiles, by their ID in your master system',
	operations: [
		{
			value: 'upsert',
			name: 'Create or Update',
			action: 'Create or update a customer',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			method: 'POST',
			path: '/customer',
			idempotent: true,
			fields: [customerLocalId, registerDate, keepFieldsOnUpsert(), ...customerFields(), customParameters()],
			// The name rule is checked on what is sent: with Keep Fields Not Given the stored name counts.
			// push-id is documented on PATCH only (section "Изменить клиента", not "Зарегистрировать клиента"): never posted.
			run: upsertKeeping('/customer/{id}', checkCustomerName, ['push-id']),
		},
		getOne('a customer', '/customer/{id}', [customerIdPath]),
		getMany('customers', '/customer'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a customer',
			description: 'Change a customer (PATCH /customer/{ID}); PATCH replaces the whole profile',
			method: 'PATCH',
			path: '/customer/{id}',
			fields: [
				customerIdPath,
				keepFields(),
				...optional([customerLocalId, registerDate]),
				...customerFields(),
				str('push-id', 'Push ID', 'ID of the device for push mailings (sent as "push-id")', { name: 'pushId' }),
				customParameters(),
			],
			run: mergeThenPatch({ required: ['local_id', 'register_date'], localIdFromPath: 'customerId', check: checkCustomerName }),
		},
	],
};
