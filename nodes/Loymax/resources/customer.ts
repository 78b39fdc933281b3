import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { checkCustomerName, choice, customParameters, dateTime, getMany, getOne, keepFields, keepFieldsOnUpsert, optional, pathId, str, updateWhole, upsert, upsertKeeping, upsertKey } from '../shared';

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
	choice('sex', 'Sex', 'Sex: "M", "F" or "" (no data)', [['Male (M)', 'M'], ['Female (F)', 'F'], ['No Data (Empty)', '']], { default: 'M', sendEmpty: true }),
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

const customerLocalId = upsertKey(masterId);
const registerDate = dateTime('register_date', 'Register Date', 'Date the customer registered', { required: true });

export const customer: ResourceSpec = {
	value: 'customer',
	name: 'Customer',
	description: 'Customer profiles, by their ID in your master system',
	operations: [
		upsert(
			'a customer',
			'/customer',
			[customerLocalId, registerDate, keepFieldsOnUpsert(), ...customerFields(), customParameters()],
			// The name rule is checked on what is sent: with Keep Fields Not Given the stored name counts.
			// push-id is documented on PATCH only (section "Изменить клиента", not "Зарегистрировать клиента"): never posted.
			upsertKeeping('/customer/{id}', checkCustomerName, ['push-id']),
		),
		getOne('a customer', '/customer/{id}', [customerIdPath]),
		getMany('customers', '/customer'),
		updateWhole(
			'a customer',
			{ words: 'Change a customer', whole: 'profile' },
			'/customer/{id}',
			[
				customerIdPath,
				keepFields(),
				...optional([customerLocalId, registerDate]),
				...customerFields(),
				str('push-id', 'Push ID', 'ID of the device for push mailings (sent as "push-id")', { name: 'pushId' }),
				customParameters(),
			],
			{ required: ['local_id', 'register_date'], localIdFromPath: 'customerId', check: checkCustomerName },
		),
	],
};
