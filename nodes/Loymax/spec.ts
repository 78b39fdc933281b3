import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredential } from '../shared/credentials';
import { recordOf } from '../shared/execute';
import { flatten, type JsonApiResource } from '../shared/jsonapi';
import { hasNextLink } from '../shared/pagination';
import type { FieldSpec, OperationContext, OperationSpec, PaginationSpec, ProviderSpec, ResourceSpec } from '../shared/spec';

/*
 * Loymax REST API (vendor docs "REST API"; doc sections cited by their titles). Every table row is one documented
 * endpoint. Notes that matter:
 * - Bodies are flat JSON (section "Обзор" says JSON:API, yet every body is a flat field list), Content-Type application/json (accepted by every endpoint).
 * - "Booleans" are the strings "Y", "N", "" (section "Типы данных"): options, never JSON true/false.
 * - PATCH replaces the whole record ("ВАЖНО: Запрос обновляет все поля" in every "Изменить …" section): Update offers "Keep Fields Not Given" (GET, merge,
 *   PATCH the whole object).
 * - POST on customer, order, product, category and promo code group upserts by local_id: safe to
 *   repeat, so marked idempotent.
 * - Dates are "strings" of no documented format ("в строковом формате"): ISO 8601 in the workflow time zone.
 */

// ---------- pagination, sort, envelopes ----------

/**
 * Paging parameter names were lost from the docs (section "Постраничная навигация" ends its sentences with a colon): the API states it follows JSON:API,
 * so `page[number]` / `page[size]`, with `links.next` when the answer has `links`, else until a
 * short page. The largest page size is not documented: 100.
 */
export const PAGINATION: PaginationSpec = {
	pageParam: 'page[number]',
	sizeParam: 'page[size]',
	maxPageSize: 100,
	hasNext: hasNextLink,
};

const sortField: FieldSpec = {
	name: 'sort',
	label: 'Sort',
	type: 'list',
	location: 'query',
	group: 'top',
	default: {},
	placeholder: 'Add Sort Rule',
	description:
		'Sort rules, applied in order. Sent as the documented JSON array, e.g. sort=[{"attribute":"date","direction":"desc"}].',
	fields: [
		{
			name: 'attribute',
			label: 'Attribute',
			type: 'string',
			location: 'none',
			required: true,
			description: 'Name of the record attribute to sort by, as the API spells it, e.g. date or local_id',
			placeholder: 'date',
		},
		{
			name: 'direction',
			label: 'Direction',
			type: 'options',
			location: 'none',
			default: 'asc',
			description: 'Sort direction',
			options: [
				{ name: 'Ascending', value: 'asc' },
				{ name: 'Descending', value: 'desc' },
			],
		},
	],
};

/** The sort rules as the documented JSON text (or nothing). */
function encodeSort(ctx: OperationContext): void {
	const sort = ctx.request.qs.sort;
	if (Array.isArray(sort) && sort.length) ctx.request.qs.sort = JSON.stringify(sort);
	else delete ctx.request.qs.sort;
}

/** Items of a list answer: JSON:API `data[]`, a bare array, or `items`/`results`/… */
export function loymaxListItems(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (!body || typeof body !== 'object') return [];
	const obj = body as IDataObject;
	if (Array.isArray(obj.data)) return obj.data as IDataObject[];
	for (const key of ['items', 'results', 'records', 'list']) if (Array.isArray(obj[key])) return obj[key] as IDataObject[];
	return [];
}

function isResource(record: IDataObject): boolean {
	return typeof record.type === 'string' && !!record.attributes && typeof record.attributes === 'object';
}

/** JSON:API resource → `{id, type, ...attributes}`; a flat record stays as it is. */
export function loymaxSimplify(record: IDataObject): IDataObject {
	return isResource(record) ? flatten(record as unknown as JsonApiResource) : record;
}

/** The writable fields of a record read back: its attributes, without JSON:API members. */
export function writableFields(record: IDataObject): IDataObject {
	if (isResource(record)) return { ...(record.attributes as IDataObject) };
	const out: IDataObject = { ...record };
	for (const key of ['id', 'type', 'links', 'relationships', 'meta']) delete out[key];
	return out;
}

// ---------- field helpers ----------

const str = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name,
	label,
	type: 'string',
	key: name,
	location: 'body',
	description,
	...extra,
});

const pathId = (name: string, label: string, description: string, key = name): FieldSpec => ({
	name,
	label,
	type: 'string',
	key,
	location: 'path',
	required: true,
	description,
});

/** A Platform id the API can list: pick it from a list (searchMethod in methods.ts) or give it. */
const pickId = (name: string, label: string, description: string, key: string, searchMethod: string): FieldSpec => ({
	...pathId(name, label, description, key),
	type: 'locator',
	locator: { searchMethod, searchable: true, idPlaceholder: 'e.g. 12' },
});

const num = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name,
	label,
	type: 'number',
	key: name,
	location: 'body',
	description,
	...extra,
});

/** "Y" / "N" / "" (no data): the documented Boolean. */
const yesNo = (name: string, label: string, description: string): FieldSpec => ({
	name,
	label,
	type: 'options',
	key: name,
	location: 'body',
	default: 'Y',
	sendEmpty: true,
	description: `${description}. Sent as the documented string "Y", "N" or "" (no data).`,
	options: [
		{ name: 'Yes (Y)', value: 'Y' },
		{ name: 'No (N)', value: 'N' },
		{ name: 'No Data (Empty)', value: '' },
	],
});

const dateTime = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name,
	label,
	type: 'dateTime',
	key: name,
	location: 'body',
	// The format is not documented ("в строковом формате"): ISO 8601 with the offset of the workflow time zone.
	dateFormat: "yyyy-MM-dd'T'HH:mm:ssZZ",
	description: `${description}. An n8n date or ISO text; sent as ISO 8601, e.g. 2024-05-01T10:00:00+03:00 (workflow time zone).`,
	...extra,
});

/**
 * Custom parameters with a Type per pair (issue 15.4). Section "Типы данных" lists String, Int,
 * Float (dot decimal), Boolean ("Y" / "N" / "" text, so no JSON boolean type here) and Object.
 */
const customParameters = (): FieldSpec => ({
	name: 'customParameters',
	label: 'Custom Parameters',
	type: 'keyValue',
	location: 'body',
	spread: true,
	pairTypes: ['auto', 'string', 'number', 'json'],
	description:
		'Other parameters your Loymax solution or configuration defines, as name/value pairs sent next to the documented fields (a documented field given above wins). Pick a Type per pair: Number for Int and Float values, JSON for objects; Loymax booleans are the text "Y" or "N".',
});

const keepFields = (): FieldSpec => ({
	name: 'keepFields',
	label: 'Keep Fields Not Given',
	type: 'boolean',
	location: 'none',
	group: 'top',
	default: true,
	description:
		'Whether to keep the fields not given here. Loymax PATCH replaces the whole record: every field not sent is reset to empty. On: the node reads the record first (GET), merges the given fields into it and sends the whole object. Off: exactly the given fields are sent and all others are reset.',
});

/** Keep Fields Not Given of a Create or Update (POST upsert by local_id), issue 15.5. */
const keepFieldsOnUpsert = (): FieldSpec => ({
	...keepFields(),
	description:
		'Whether to keep the fields not given here when the local_id exists. Loymax replaces the whole record on a repeated local_id: every field not sent is reset to empty. On: the node reads the record by its local_id first (GET), merges the given fields into it and sends the whole object; when there is none, it creates it from the given fields. Off: exactly the given fields are sent, and for an existing local_id every other field is reset to empty.',
});

const simplifyOn = { simplify: true };

// ---------- operations helpers ----------

/** A path as shown in descriptions: placeholders in capitals, e.g. /customer/{ID}. */
const shown = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => `{${name.toUpperCase()}}`);

interface UpdateRules {
	/** Body keys that must be in the PATCH (documented as required). */
	required: string[];
	/** Fields of the record read back that are never sent back (computed, read only). */
	readOnly?: (ctx: OperationContext) => string[];
	/** Fill `local_id` from the path id when absent (the path id is the master-system id). */
	localIdFromPath?: string;
	/** Extra checks of the final body. */
	check?: (body: IDataObject, ctx: OperationContext) => void;
}

function inputError(ctx: OperationContext, message: string): NodeOperationError {
	const error = new NodeOperationError(ctx.fn.getNode(), `Item ${ctx.itemIndex + 1}: ${message}`, { itemIndex: ctx.itemIndex });
	error.context.delivery = 'not sent';
	return error;
}

function requireKeys(ctx: OperationContext, body: IDataObject, keys: string[], hint: string): void {
	const missing = keys.filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
	if (missing.length) {
		throw inputError(ctx, `${missing.map((k) => `"${k}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} required by Loymax${hint}`);
	}
}

/** At least one of full_name, first_name, middle_name, last_name (documented on customer bodies). */
function checkCustomerName(body: IDataObject, ctx: OperationContext): void {
	if (!['full_name', 'first_name', 'middle_name', 'last_name'].some((k) => typeof body[k] === 'string' && body[k] !== '')) {
		throw inputError(ctx, 'Loymax needs at least one of Full Name, First Name, Middle Name or Last Name');
	}
}

function output(body: unknown, sent: IDataObject): IDataObject {
	if (body === undefined || body === null || body === '') return { success: true, ...sent };
	return writeRecord(body);
}

/** Output of a write: the record the API answered, JSON:API resources flattened. */
function writeRecord(body: unknown): IDataObject {
	return loymaxSimplify(recordOf(body));
}

/**
 * PATCH with "Keep Fields Not Given": GET the record (same path), merge the given fields over its
 * writable fields and PATCH the whole object. Off: the given fields only.
 */
function mergeThenPatch(rules: UpdateRules) {
	return async (ctx: OperationContext): Promise<IDataObject> => {
		const keep = ctx.fn.getNodeParameter('keepFields', ctx.itemIndex, true) as boolean;
		const given = { ...((ctx.request.body as IDataObject | undefined) ?? {}) };
		let body: IDataObject = given;
		if (keep) {
			const current = await ctx.send({ ...ctx.request, method: 'GET', body: undefined });
			const kept = writableFields(recordOf(current));
			for (const key of rules.readOnly?.(ctx) ?? []) delete kept[key];
			body = { ...kept, ...given };
		}
		if (rules.localIdFromPath && (body.local_id === undefined || body.local_id === '')) {
			body.local_id = ctx.values[rules.localIdFromPath] as string;
		}
		requireKeys(ctx, body, rules.required, keep ? ' (neither given nor in the record)' : ' (give it, or turn on Keep Fields Not Given)');
		rules.check?.(body, ctx);
		const answer = await ctx.send({ ...ctx.request, body });
		return output(answer, body);
	};
}

/** Whether an error is the API's 404 (the record does not exist). */
const isNotFound = (error: unknown): boolean => String((error as { httpCode?: unknown }).httpCode ?? '') === '404';

/**
 * Create or Update (POST upsert by local_id) with "Keep Fields Not Given": GET the record by its
 * local_id (`readPath`), merge the given fields over its writable fields and POST the whole object;
 * a 404 means there is none, and the given fields create it. Off: the given fields only.
 */
function upsertKeeping(readPath: string, check?: (body: IDataObject, ctx: OperationContext) => void, notOnPost: string[] = []) {
	return async (ctx: OperationContext): Promise<IDataObject> => {
		const keep = ctx.fn.getNodeParameter('keepFields', ctx.itemIndex, true) as boolean;
		const given = { ...((ctx.request.body as IDataObject | undefined) ?? {}) };
		let body: IDataObject = given;
		if (keep) {
			const path = readPath.replace('{id}', encodeURIComponent(String(given.local_id)));
			// A 404 means no record has this local_id: then the given fields create it.
			const current = await ctx
				.send({ method: 'GET', path, qs: {}, headers: {} })
				.catch(async (error: unknown) => (isNotFound(error) ? undefined : await Promise.reject(error)));
			if (current !== undefined) {
				const kept = writableFields(recordOf(current));
				for (const key of notOnPost) delete kept[key];
				body = { ...kept, ...given };
			}
		}
		check?.(body, ctx);
		const answer = await ctx.send({ ...ctx.request, body });
		return output(answer, body);
	};
}

const getMany = (what: string, path: string, fields: FieldSpec[] = [], extra: Partial<OperationSpec> = {}): OperationSpec => ({
	value: 'getAll',
	name: 'Get Many',
	action: `Get many ${what}`,
	description: `List ${what} (GET ${shown(path)}), page by page`,
	method: 'GET',
	path,
	fields: [...fields, sortField],
	pagination: PAGINATION,
	prepare: encodeSort,
	...simplifyOn,
	...extra,
});

const getOne = (what: string, path: string, fields: FieldSpec[]): OperationSpec => ({
	value: 'get',
	name: 'Get',
	action: `Get ${what}`,
	description: `Retrieve ${what} (GET ${shown(path)})`,
	method: 'GET',
	path,
	fields,
	...simplifyOn,
});

const remove = (what: string, path: string, fields: FieldSpec[]): OperationSpec => ({
	value: 'delete',
	name: 'Delete',
	action: `Delete ${what}`,
	description: `Delete ${what} (DELETE ${shown(path)})`,
	method: 'DELETE',
	path,
	fields,
	emptyResponse: { success: true },
});

/** The documented body fields of a create, made optional for the update's "Update Fields". */
const optional = (fields: FieldSpec[]): FieldSpec[] =>
	fields.map((f) => ({ ...f, required: false, description: f.description.replace(/\. An existing local_id is updated.*$/, '') }));

// ---------- customer ----------

const masterId = 'ID of the customer in your master system (local_id)';
const customerIdPath = pathId('customerId', 'Customer ID', `${masterId}, e.g. C-1001`, 'id');
const customerLocalIdPath = pathId('customerId', 'Customer ID', `${masterId}, e.g. C-1001`, 'local_id');

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

const customer: ResourceSpec = {
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

// ---------- customer subscription, channels, mailings, devices, bonus, markers ----------

const customerSubscription: ResourceSpec = {
	value: 'customerSubscription',
	name: 'Customer Subscription',
	description: 'Subscriptions of a customer to mailing categories',
	operations: [
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer subscriptions',
			description:
				'Set the subscription status of mailing categories (PATCH /customer/{LOCAL_ID}/subscribe). Categories not sent keep their status.',
			method: 'PATCH',
			path: '/customer/{local_id}/subscribe',
			fields: [
				customerLocalIdPath,
				{
					name: 'categories',
					label: 'Categories',
					type: 'list',
					key: 'categories',
					location: 'body',
					required: true,
					description: 'Mailing categories by code, each with its status: Y (subscribed), N (not subscribed), ND (no data)',
					fields: [
						{ name: 'code', label: 'Category Code', type: 'string', location: 'none', required: true, description: 'Code of the mailing category, e.g. news', placeholder: 'news' },
						{
							name: 'status',
							label: 'Status',
							type: 'options',
							location: 'none',
							default: 'Y',
							description: 'Subscription status',
							options: [
								{ name: 'Subscribed (Y)', value: 'Y' },
								{ name: 'Not Subscribed (N)', value: 'N' },
								{ name: 'No Data (ND)', value: 'ND' },
							],
						},
					],
				},
				{
					name: 'categoriesFormat',
					label: 'Categories Format',
					type: 'options',
					location: 'none',
					group: 'subscriptionOptions',
					default: 'objects',
					description:
						'How the categories array is written. The docs only say "category - status" (no example survived): objects with code and status (default), or one {"code": "status"} object per category.',
					options: [
						{ name: 'Objects With Code and Status', value: 'objects', description: '[{"code": "news", "status": "Y"}]' },
						{ name: 'Code to Status Pairs', value: 'pairs', description: '[{"news": "Y"}]' },
					],
				},
			],
			prepare: (ctx) => {
				const body = ctx.request.body as IDataObject;
				if (ctx.values.categoriesFormat === 'pairs') {
					body.categories = (body.categories as IDataObject[]).map((c) => ({ [String(c.code)]: c.status }));
				}
			},
		},
	],
};

const customerChannel: ResourceSpec = {
	value: 'customerChannel',
	name: 'Customer Channel',
	description: 'E-mail, SMS and push channel statuses of a customer',
	operations: [
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer channels',
			description:
				'Set the status of the e-mail, SMS and push channels (POST /customer/{LOCAL_ID}/channel). Only channels given are sent; the others keep their status.',
			method: 'POST',
			path: '/customer/{local_id}/channel',
			fields: [
				customerLocalIdPath,
				// The e-mail field lost its name in the docs (section "Обновить статус подписки клиента"): "email".
				yesNo('email', 'Email', 'Whether the customer receives e-mail mailings'),
				yesNo('sms', 'SMS', 'Whether the customer receives SMS mailings'),
				yesNo('push', 'Push', 'Whether the customer receives push mailings'),
			],
			prepare: (ctx) => {
				if (!Object.keys(ctx.request.body as IDataObject).length) {
					throw inputError(ctx, 'give at least one of Email, SMS or Push');
				}
			},
		},
	],
};

const customerMailing: ResourceSpec = {
	value: 'customerMailing',
	name: 'Customer Mailing',
	description: 'Mailings and campaigns a customer took part in',
	operations: [getMany('mailings of a customer', '/customer/{id}/mailing', [customerIdPath])],
};

const deviceIdHeader: FieldSpec = {
	name: 'deviceId',
	label: 'Device ID',
	type: 'string',
	key: 'device_id',
	location: 'header',
	required: true,
	description: 'Unique ID of the device, sent in the documented "device_id" header',
};
const sourceCode = num('source_code', 'Source Code', 'ID of the event source (a number)', { integer: true });

const customerDevice: ResourceSpec = {
	value: 'customerDevice',
	name: 'Customer Device',
	description: 'Devices of a customer for push mailings',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a customer device',
			description: 'Register a device of the customer (POST /customer/{LOCAL_ID}/device)',
			method: 'POST',
			path: '/customer/{local_id}/device',
			fields: [
				customerLocalIdPath,
				deviceIdHeader,
				str('token', 'Push Token', 'Push token from Google, Apple or Harmony, depending on the platform', { required: true }),
				{
					name: 'platform',
					label: 'Platform',
					type: 'options',
					key: 'platform',
					location: 'body',
					required: true,
					default: 'Android',
					description: 'Client platform, as documented: Ios, Android or Harmony',
					options: [
						{ name: 'Android', value: 'Android' },
						{ name: 'Harmony', value: 'Harmony' },
						{ name: 'Ios', value: 'Ios' },
					],
				},
				sourceCode,
			],
		},
		getMany('devices of a customer', '/customer/{local_id}/device', [customerLocalIdPath]),
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a customer device',
			description: 'Remove a device of the customer by its push token (DELETE /customer/{LOCAL_ID}/device/{TOKEN})',
			method: 'DELETE',
			path: '/customer/{local_id}/device/{token}',
			// The documented body (source_code) goes with the DELETE (section "Удалить устройство"); none when not given.
			bodyStyle: 'json',
			fields: [
				customerLocalIdPath,
				pathId('token', 'Push Token', 'Push token of the device (Google, Apple or Harmony); it is percent-encoded in the path', 'token'),
				deviceIdHeader,
				sourceCode,
			],
			prepare: (ctx) => {
				if (!Object.keys((ctx.request.body as IDataObject) ?? {}).length) delete ctx.request.body;
			},
			emptyResponse: { success: true },
		},
	],
};

/**
 * Section "Бонусы клиента": GET returns five computed balances (active bonuses, awaiting activation,
 * awaiting deactivation, nearest deactivation date and amount) without naming the fields. Read back
 * for "Keep Fields Not Given", they are never sent back (issue 15.4): these names are the guess,
 * editable in Read-Only Fields.
 */
const BONUS_COMPUTED = ['active', 'awaiting_activation', 'awaiting_deactivation', 'nearest_deactivation_date', 'nearest_deactivation_amount'];

function bonusReadOnly(ctx: OperationContext): string[] {
	const raw = ctx.values.readOnlyFields;
	const list = raw === undefined ? BONUS_COMPUTED : String(raw).split(',');
	return list.map((n) => n.trim()).filter(Boolean);
}

const customerBonus: ResourceSpec = {
	value: 'customerBonus',
	name: 'Customer Bonus',
	description: 'Bonus balance of a customer',
	operations: [
		getOne(
			'the bonuses of a customer',
			'/customer/{local_id}/bonus',
			[customerLocalIdPath],
		),
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer bonuses',
			description:
				'Change the bonus record of a customer (PATCH /customer/{LOCAL_ID}/bonus). Its fields are not documented: give them as custom parameters, named as Get returns them, with Type Number for amounts.',
			method: 'PATCH',
			path: '/customer/{local_id}/bonus',
			fields: [
				customerLocalIdPath,
				{
					...keepFields(),
					description:
						'Whether to keep the fields not given here. Loymax PATCH replaces the whole record. On: the node reads the bonus record first (GET), drops the computed balances listed in Read-Only Fields, merges the given fields and sends the rest. Off: exactly the given fields are sent.',
				},
				{
					...customParameters(),
					group: 'top',
					default: {},
					description:
						'Bonus fields to set, as name/value pairs (the docs do not list them; Get shows their names). Amounts are numbers (Int or Float in the docs\' type table): give them Type Number, e.g. active = 1500.',
				},
				{
					name: 'readOnlyFields',
					label: 'Read-Only Fields',
					type: 'string',
					location: 'none',
					group: 'top',
					default: BONUS_COMPUTED.join(', '),
					showWhen: { keepFields: [true] },
					description:
						'Fields of the bonus record never sent back when kept, separated by commas. The docs describe what Get returns — active bonuses, bonuses awaiting activation and deactivation, the nearest deactivation date and amount — as computed balances without naming the fields; these are our names for them. A field given in Custom Parameters is always sent.',
				},
			],
			run: mergeThenPatch({ required: [], readOnly: bonusReadOnly }),
		},
	],
};

const markerBody = (): FieldSpec[] => [
	str('name', 'Marker Name', 'Marker name (its text identifier); a marker that does not exist is created', { required: true }),
	num('client_id', 'Client Platform ID', 'ID of the customer in the Loymax Platform (a number; not the master-system ID)', {
		required: true,
		integer: true,
	}),
];

// Marker URLs end with "/" in the docs (sections "Создать метку", "Получить список меток клиента", "Удалить метку"): sent as documented.
const customerMarker: ResourceSpec = {
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

const order: ResourceSpec = {
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

// ---------- event ----------

const eventIdPath = pathId('eventId', 'Event ID', 'ID of the event', 'id');
const eventContext: FieldSpec = {
	name: 'context',
	label: 'Context (JSON)',
	type: 'json',
	key: 'context',
	location: 'body',
	description: 'Event context as a JSON object; messages use its values through macros, e.g. {"order_sum": 1500, "shop": "Tverskaya"}',
};
const eventClientId = str(
	'client_id',
	'Client ID',
	'ID of the customer in your master system. Without it the event is a system event (applies to all customers).',
);

/** Event client_id is typed number on POST and string on PATCH (sections "Зарегистрировать событие", "Изменить событие"): a numeric id goes as a number on POST. */
function numericClientId(ctx: OperationContext): void {
	const body = ctx.request.body as IDataObject;
	if (typeof body.client_id === 'string' && /^\d{1,15}$/.test(body.client_id)) body.client_id = Number(body.client_id);
}

function checkContextObject(ctx: OperationContext): void {
	const body = ctx.request.body as IDataObject;
	if (body.context !== undefined && (typeof body.context !== 'object' || body.context === null || Array.isArray(body.context))) {
		throw inputError(ctx, '"Context (JSON)" must be a JSON object, e.g. {"order_sum": 1500}');
	}
}

const event: ResourceSpec = {
	value: 'event',
	name: 'Event',
	description: 'Customer and system events',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create an event',
			description: 'Register an event (POST /event)',
			method: 'POST',
			path: '/event',
			fields: [
				str('name', 'Name', 'Event name (its text identifier), e.g. birthday_gift', { required: true }),
				dateTime('date', 'Date', 'Date of the event', { required: true }),
				eventClientId,
				eventContext,
			],
			prepare: (ctx) => {
				checkContextObject(ctx);
				numericClientId(ctx);
			},
		},
		getOne('an event', '/event/{id}', [eventIdPath]),
		getMany('events', '/event'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update an event',
			description: 'Change an event (PATCH /event/{ID}); PATCH replaces the whole event',
			method: 'PATCH',
			path: '/event/{id}',
			fields: [
				eventIdPath,
				keepFields(),
				str('name', 'Name', 'Event name (its text identifier)'),
				dateTime('date', 'Date', 'Date of the event'),
				eventClientId,
				eventContext,
			],
			prepare: checkContextObject,
			run: mergeThenPatch({ required: ['date'] }),
		},
	],
};

// ---------- web event ----------

// Section "Зарегистрировать web-событие" (POST /web_event) describes the events in words only — registration,
// login, app card view, category view, product view, add to / remove from cart, cart clear,
// checkout complete, custom event — and gives no codes: the name is free text, and the examples
// in its description are ours, marked as such.
const WEB_EVENT_EXAMPLES = 'registration, login, product_view, add_to_cart, checkout_complete';

const webEvent: ResourceSpec = {
	value: 'webEvent',
	name: 'Web Event',
	description: 'Site and app events (registration, login, product view, cart …)',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a web event',
			description: 'Register a web event (POST /web_event)',
			method: 'POST',
			path: '/web_event',
			fields: [
				str('client_id', 'Client ID', 'ID of the customer in your master system', { required: true }),
				str('session_id', 'Session ID', 'ID of the visitor session', { required: true }),
				dateTime('date', 'Date', 'Date of the web event', { required: true }),
				str('name', 'Name', `Web event name (its code) as set up in your Loymax solution. The docs describe the events (registration, login, product view, add to cart, checkout …) without giving their codes; examples only, not Loymax codes: ${WEB_EVENT_EXAMPLES}.`, {
					required: true,
					placeholder: 'e.g. product_view (example; use your Loymax code)',
				}),
				// source_code is typed string here (Number on devices): sent as text.
				str('source_code', 'Source Code', 'ID of the event source'),
				str('category_id', 'Category ID', 'ID of the product category in your master system'),
				str('product_id', 'Product ID', 'ID of the product in your master system'),
				num('quantity', 'Quantity', 'Units of the product, e.g. 2 or 0.5'),
				num('price', 'Price', 'Price of the product, e.g. 199.9'),
				str('container', 'Container', 'Name of the container the event is placed in'),
			],
		},
	],
};

// ---------- product, category ----------

function catalogResource(
	value: string,
	label: string,
	what: string,
	base: string,
	parentField: FieldSpec,
): ResourceSpec {
	const idPath = pathId(`${value}Id`, `${label} ID`, `ID of the ${what} in your master system (local_id)`, 'id');
	const name = str('name', 'Name', `Name of the ${what}`, { required: true });
	const localId = str('local_id', 'Local ID', `ID of the ${what} in your master system. An existing local_id is updated, and every field not sent is reset to empty (the API replaces the whole record)`, {
		required: true,
	});
	return {
		value,
		name: label,
		description: `${label}s of your catalog, by their ID in your master system`,
		operations: [
			{
				value: 'upsert',
				name: 'Create or Update',
				action: `Create or update a ${what}`,
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				method: 'POST',
				path: base,
				idempotent: true,
				fields: [localId, name, keepFieldsOnUpsert(), parentField, customParameters()],
				run: upsertKeeping(`${base}/{id}`),
			},
			getOne(`a ${what}`, `${base}/{id}`, [idPath]),
			getMany(`${what === 'product' ? 'products' : 'product categories'}`, base),
			{
				value: 'update',
				name: 'Update',
				action: `Update a ${what}`,
				description: `Change a ${what} (PATCH ${base}/{ID}); PATCH replaces the whole record`,
				method: 'PATCH',
				path: `${base}/{id}`,
				fields: [idPath, keepFields(), ...optional([localId, name]), parentField, customParameters()],
				run: mergeThenPatch({ required: ['name', 'local_id'], localIdFromPath: idPath.name }),
			},
		],
	};
}

const product = catalogResource(
	'product',
	'Product',
	'product',
	'/product',
	str('category_id', 'Category ID', 'ID of the product category in your master system'),
);
const category = catalogResource(
	'category',
	'Product Category',
	'product category',
	'/category',
	str('parent_id', 'Parent ID', 'ID of the parent category in your master system'),
);

// ---------- communications ----------

/**
 * E-mail / SMS / push mailings. List URLs end with "/" as documented; the docs' double
 * slash (//communication/sms/) is an extraction artefact, sent with one slash (section "Получить список участников SMS-рассылки" and its neighbours).
 */
function campaign(value: string, label: string, channel: string, what: string, article: string): ResourceSpec {
	const idPath = pickId('campaignId', 'Campaign', `The ${what} mailing: pick it, or give its ID in the Loymax Platform (a number)`, 'id', `search${channel[0].toUpperCase()}${channel.slice(1)}Campaigns`);
	return {
		value,
		name: label,
		description: `${what} mailings and their participants`,
		operations: [
			getOne(`${article} ${what} campaign`, `/communication/${channel}/{id}`, [idPath]),
			getMany(`${what} campaigns`, `/communication/${channel}/`),
			{
				...getMany(`participants of ${article} ${what} campaign`, `/communication/${channel}/{id}/customers`, [idPath]),
				value: 'getParticipants',
				name: 'Get Participants',
			},
		],
	};
}

const pushState: ResourceSpec = {
	value: 'pushMessageState',
	name: 'Push Message State',
	description: 'Delivery and read statuses of push messages',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a push message state',
			description: 'Register that a push message was delivered or read (POST /communication/push/state)',
			method: 'POST',
			path: '/communication/push/state',
			fields: [
				deviceIdHeader,
				{
					name: 'state',
					label: 'State',
					type: 'options',
					key: 'state',
					location: 'body',
					required: true,
					default: 'Delivered',
					description: 'Status of the push message: Delivered or Read',
					options: [
						{ name: 'Delivered', value: 'Delivered' },
						{ name: 'Read', value: 'Read' },
					],
				},
				str('message_id', 'Message ID', 'ID of the push message, taken from the push payload', { required: true }),
				// The first body field is required but has no name in the docs (section "Зарегистрировать статус push-сообщения"): we send
				// the customer's master-system id as client_id (the first field of the other event
				// bodies); its name can be changed below.
				str('client_id', 'Client ID', 'ID of the customer in your master system (the first, unnamed, required field of the docs)', {
					required: true,
				}),
				sourceCode,
				{
					name: 'firstFieldName',
					label: 'Client ID Field Name',
					type: 'string',
					location: 'none',
					default: 'client_id',
					description:
						'Name under which Client ID is sent. The docs list a required first field without its name; client_id is our assumption.',
				},
			],
			prepare: (ctx) => {
				const rename = ctx.values.firstFieldName as string | undefined;
				const body = ctx.request.body as IDataObject;
				if (rename && rename !== 'client_id') {
					body[rename] = body.client_id;
					delete body.client_id;
				}
			},
		},
	],
};

const poll: ResourceSpec = {
	value: 'poll',
	name: 'Poll',
	description: 'Polls (surveys)',
	operations: [
		// The docs' //communication/poll/:id is sent with one slash (section "Получить опрос").
		getOne('a poll', '/communication/poll/{id}', [pathId('pollId', 'Poll ID', 'ID of the poll in the Loymax Platform (a number)', 'id')]),
		getMany('polls', '/communication/poll/'),
	],
};

const blackList: ResourceSpec = {
	value: 'blackList',
	name: 'Black List',
	description: 'Bad e-mail addresses and phone numbers',
	operations: [
		getMany('black-listed contacts', '/black-list/{type}', [
			{
				name: 'type',
				label: 'Type',
				type: 'options',
				key: 'type',
				// Documented under "Request Body" of this GET, but it is the path segment (section "Получить список плохих контактов").
				location: 'path',
				required: true,
				default: 'email',
				description: 'Which black list: e-mail addresses or phone numbers',
				options: [
					{ name: 'Email', value: 'email' },
					{ name: 'Phone', value: 'phone' },
				],
			},
		]),
	],
};

// ---------- promo code group ----------

const promoIdPath = pickId('groupId', 'Group', 'The promo code group: pick it, or give its ID in the Loymax Platform (a number)', 'id', 'searchPromoCodeGroups');
const promoName = str('name', 'Name', 'Name of the promo code group', { required: true });
const promoLocalId = str('local_id', 'Local ID', 'ID of the promo code group in your master system. An existing local_id is updated, and every field not sent is reset to empty (the API replaces the whole record)', {
	required: true,
});

const promoCodeGroup: ResourceSpec = {
	value: 'promoCodeGroup',
	name: 'Promo Code Group',
	description: 'Groups of promo codes',
	operations: [
		{
			value: 'upsert',
			name: 'Create or Update',
			action: 'Create or update a promo code group',
			// Groups cannot be read by local_id (only by Platform ID): no Keep Fields Not Given here; the
			// local_id field says that every field not sent is reset (README: use Update to keep fields).
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			method: 'POST',
			path: '/promocode-group',
			idempotent: true,
			fields: [promoLocalId, promoName, customParameters()],
		},
		getOne('a promo code group', '/promocode-group/{id}', [promoIdPath]),
		getMany('promo code groups', '/promocode-group'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a promo code group',
			description: 'Change a promo code group by its Platform ID (PATCH /promocode-group/{ID}); PATCH replaces the whole group',
			method: 'PATCH',
			path: '/promocode-group/{id}',
			fields: [promoIdPath, keepFields(), ...optional([promoLocalId, promoName]), customParameters()],
			run: mergeThenPatch({ required: ['local_id', 'name'] }),
		},
		remove('a promo code group', '/promocode-group/{id}', [promoIdPath]),
		{
			value: 'uploadCodes',
			name: 'Upload Codes',
			action: 'Upload codes to a promo code group',
			description: 'Upload promo codes into a group (POST /promocode-group/{ID}/codes). The body is not documented: the codes are sent as a "codes" array of strings.',
			method: 'POST',
			path: '/promocode-group/{id}/codes',
			fields: [
				pathId(
					'groupId',
					'Group ID',
					'ID of the group in the path. The docs name it both the Platform ID and the master-system local_id; give the one your Loymax instance accepts.',
					'id',
				),
				{
					name: 'codes',
					label: 'Codes',
					type: 'string',
					key: 'codes',
					location: 'body',
					required: true,
					typeOptions: { rows: 4 },
					description: 'Promo codes, separated by commas or new lines, e.g. SPRING-001, SPRING-002',
				},
				customParameters(),
			],
			prepare: (ctx) => {
				const body = ctx.request.body as IDataObject;
				const list = String(body.codes)
					.split(/[\n,;]/)
					.map((c) => c.trim())
					.filter(Boolean);
				if (!list.length) throw inputError(ctx, '"Codes" has no promo code');
				body.codes = list;
			},
		},
	],
};

// ---------- dictionary, dictionary item ----------

const dictIdPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'id', 'searchDictionaries');
const dictPidPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'pid', 'searchDictionaries');
const itemIdPath = pathId('itemId', 'Item ID', 'ID of the dictionary item in the Loymax Platform (a number)', 'id');

const dictionary: ResourceSpec = {
	value: 'dictionary',
	name: 'Dictionary',
	description: 'Reference dictionaries',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a dictionary',
			description: 'Create a dictionary (POST /dictionary)',
			method: 'POST',
			path: '/dictionary',
			fields: [
				str('name', 'Name', 'Name of the dictionary', { required: true }),
				str('code', 'Code', 'Mnemonic code of the dictionary, e.g. shops', { required: true }),
				customParameters(),
			],
		},
		getOne('a dictionary', '/dictionary/{id}', [dictIdPath]),
		getMany('dictionaries', '/dictionary'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a dictionary',
			description: 'Change a dictionary by its Platform ID (PATCH /dictionary/{ID}); PATCH replaces the whole dictionary',
			method: 'PATCH',
			path: '/dictionary/{id}',
			fields: [
				dictIdPath,
				keepFields(),
				str('local_id', 'Local ID', 'ID of the dictionary in your master system'),
				str('name', 'Name', 'Name of the dictionary'),
				customParameters(),
			],
			run: mergeThenPatch({ required: ['local_id', 'name'] }),
		},
		remove('a dictionary', '/dictionary/{id}', [dictIdPath]),
	],
};

const dictionaryItem: ResourceSpec = {
	value: 'dictionaryItem',
	name: 'Dictionary Item',
	description: 'Items of a dictionary',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a dictionary item',
			description: 'Add an item to a dictionary (POST /dictionary/{PID}/item)',
			method: 'POST',
			path: '/dictionary/{pid}/item',
			fields: [
				dictPidPath,
				str('name', 'Name', 'Name of the item', { required: true }),
				str('code', 'Code', 'Mnemonic code of the item, e.g. shop_12', { required: true }),
				customParameters(),
			],
		},
		getOne('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
		// The docs write this path /dictionary/:id/item, with the dictionary id (pid) in it.
		getMany('items of a dictionary', '/dictionary/{pid}/item', [dictPidPath]),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a dictionary item',
			description: 'Change a dictionary item (PATCH /dictionary/{PID}/item/{ID}); PATCH replaces the whole item',
			method: 'PATCH',
			path: '/dictionary/{pid}/item/{id}',
			fields: [dictPidPath, itemIdPath, keepFields(), str('name', 'Name', 'Name of the item'), customParameters()],
			run: mergeThenPatch({ required: ['name'] }),
		},
		remove('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
	],
};

/** Writes output the record the API answered, flattened (no Simplify toggle: the shape is small). */
function flattenWrites(resources: ResourceSpec[]): ResourceSpec[] {
	for (const resource of resources) {
		for (const operation of resource.operations) {
			if (operation.method !== 'GET' && !operation.run && !operation.record) operation.record = writeRecord;
		}
	}
	return resources;
}

export const loymax: ProviderSpec = {
	displayName: 'Loymax',
	credentialType: 'loymaxApi',
	credential: async (fn) =>
		await readCredential(
			fn,
			{ type: 'loymaxApi', defaultBaseUrl: 'https://api.loymaxsc.net', secretFields: ['password', 'sessionToken'] },
			'Loymax',
		),
	login: true,
	headers: { 'Content-Type': 'application/json' },
	protectedHeaders: ['authorization'],
	// Documented: 1000 requests per minute per IP; on 429 pause for one minute.
	rateLimit: { requests: 1000, windowMs: 60_000, pauseAfter429Ms: 60_000 },
	listItems: loymaxListItems,
	recordOf,
	simplify: loymaxSimplify,
	customPagination: { pageParam: 'page[number]', sizeParam: 'page[size]', maxPageSize: 100 },
	resources: flattenWrites([
		customer,
		customerSubscription,
		customerChannel,
		customerMailing,
		customerDevice,
		customerBonus,
		customerMarker,
		order,
		event,
		webEvent,
		product,
		category,
		campaign('emailCampaign', 'E-Mail Campaign', 'email', 'e-mail', 'an'),
		campaign('smsCampaign', 'SMS Campaign', 'sms', 'SMS', 'an'),
		campaign('pushCampaign', 'Push Campaign', 'push', 'push', 'a'),
		pushState,
		poll,
		blackList,
		promoCodeGroup,
		dictionary,
		dictionaryItem,
	]),
};
