import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { recordOf } from '../shared/execute';
import { flatten, type JsonApiResource } from '../shared/jsonapi';
import { hasNextLink } from '../shared/pagination';
import type { FieldSpec, OperationContext, OperationSpec, PaginationSpec, ResourceSpec } from '../shared/spec';

/*
 * Loymax helpers shared by the resource files (resources/*.ts): paging and sort, the answer
 * envelopes, field builders, and the operations that read, merge and write a whole record.
 */

// ---------- pagination, sort, envelopes ----------

/** Paging styles the credential's "Paging Style" offers (the names were lost from the docs). */
export const LOYMAX_PAGING_STYLES: Record<string, Pick<PaginationSpec, 'pageParam' | 'sizeParam' | 'offset'>> = {
	jsonapi: { pageParam: 'page[number]', sizeParam: 'page[size]' },
	pagePerPage: { pageParam: 'page', sizeParam: 'per_page' },
	offsetLimit: { pageParam: 'offset', sizeParam: 'limit', offset: true },
};

/**
 * Paging parameter names were lost from the docs (section "Постраничная навигация" ends its
 * sentences with a colon: "page number and page size respectively"): the API states it follows
 * JSON:API, so `page[number]` / `page[size]` by default, another style when the credential's Paging
 * Style says so. The walk follows `links.next` when the answer has links, else page numbers until a
 * short page; because the size parameter is a guess, a short first page is confirmed by asking for
 * page 2 (a server ignoring the size answers more records there), and a page repeating an earlier
 * one is an error (a server ignoring the page parameter). The largest page size is not
 * documented: 100.
 */
export function loymaxPaging(style: unknown): PaginationSpec {
	const names = LOYMAX_PAGING_STYLES[String(style)] ?? LOYMAX_PAGING_STYLES.jsonapi;
	return { ...names, maxPageSize: 100, strategy: 'nextLink', hasNext: hasNextLink, confirmShortPage: true, maxConcurrency: 4 };
}

export const PAGINATION: PaginationSpec = {
	...loymaxPaging('jsonapi'),
	forCredential: (data) => loymaxPaging(data.pagingStyle),
};

export const sortField: FieldSpec = {
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
		choice('direction', 'Direction', 'Sort direction', [['Ascending', 'asc'], ['Descending', 'desc']], { location: 'none', default: 'asc' }),
	],
};

/** The sort rules as the documented JSON text (or nothing). */
export function encodeSort(ctx: OperationContext): void {
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

export function isResource(record: IDataObject): boolean {
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

export const str = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name,
	label,
	type: 'string',
	key: name,
	location: 'body',
	description,
	...extra,
});

export const pathId = (name: string, label: string, description: string, key = name): FieldSpec => ({
	name,
	label,
	type: 'string',
	key,
	location: 'path',
	required: true,
	description,
});

/** A Platform id the API can list: pick it from a list (searchMethod in methods.ts) or give it. */
export const pickId = (name: string, label: string, description: string, key: string, searchMethod: string): FieldSpec => ({
	...pathId(name, label, description, key),
	type: 'locator',
	locator: { searchMethod, searchable: true, idPlaceholder: 'e.g. 12' },
});

export const num = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
	name,
	label,
	type: 'number',
	key: name,
	location: 'body',
	description,
	...extra,
});

/** Options of a choice field, one row each: [name, value] or [name, value, description]. */
type ChoiceRow = [string, string] | [string, string, string];

/** A field with a fixed list of values, sent in the body under its name unless `extra` says otherwise. */
export function choice(name: string, label: string, description: string, rows: ChoiceRow[], extra: Partial<FieldSpec> = {}): FieldSpec {
	const options = rows.map(([optionName, value, about]) => (about === undefined ? { name: optionName, value } : { name: optionName, value, description: about }));
	return { name, label, type: 'options', key: name, location: 'body', description, options, ...extra };
}

/** "Y" / "N" / "" (no data): the documented Boolean. */
export const yesNo = (name: string, label: string, description: string): FieldSpec =>
	choice(name, label, `${description}. Sent as the documented string "Y", "N" or "" (no data).`, [['Yes (Y)', 'Y'], ['No (N)', 'N'], ['No Data (Empty)', '']], {
		default: 'Y',
		sendEmpty: true,
	});

export const dateTime = (name: string, label: string, description: string, extra: Partial<FieldSpec> = {}): FieldSpec => ({
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
export const customParameters = (): FieldSpec => ({
	name: 'customParameters',
	label: 'Custom Parameters',
	type: 'keyValue',
	location: 'body',
	spread: true,
	pairTypes: ['auto', 'string', 'number', 'json'],
	description:
		'Other parameters your Loymax solution or configuration defines, as name/value pairs sent next to the documented fields (a documented field given above wins). Pick a Type per pair: Number for Int and Float values, JSON for objects; Loymax booleans are the text "Y" or "N".',
});

export const keepFields = (): FieldSpec => ({
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
export const keepFieldsOnUpsert = (): FieldSpec => ({
	...keepFields(),
	description:
		'Whether to keep the fields not given here when the local_id exists. Loymax replaces the whole record on a repeated local_id: every field not sent is reset to empty. On: the node reads the record by its local_id first (GET), merges the given fields into it and sends the whole object; when there is none, it creates it from the given fields. Off: exactly the given fields are sent, and for an existing local_id every other field is reset to empty.',
});

export const simplifyOn = { simplify: true };

// ---------- operations helpers ----------

/** A path as shown in descriptions: placeholders in capitals, e.g. /customer/{ID}. */
export const shown = (path: string) => path.replace(/\{(\w+)\}/g, (_, name: string) => `{${name.toUpperCase()}}`);

export interface UpdateRules {
	/** Body keys that must be in the PATCH (documented as required). */
	required: string[];
	/** Fields of the record read back that are never sent back (computed, read only). */
	readOnly?: (ctx: OperationContext) => string[];
	/** Fill `local_id` from the path id when absent (the path id is the master-system id). */
	localIdFromPath?: string;
	/** Extra checks of the final body. */
	check?: (body: IDataObject, ctx: OperationContext) => void;
}

export function inputError(ctx: OperationContext, message: string): NodeOperationError {
	const error = new NodeOperationError(ctx.fn.getNode(), `Item ${ctx.itemIndex + 1}: ${message}`, { itemIndex: ctx.itemIndex });
	error.context.delivery = 'not sent';
	return error;
}

export function requireKeys(ctx: OperationContext, body: IDataObject, keys: string[], hint: string): void {
	const missing = keys.filter((k) => body[k] === undefined || body[k] === null || body[k] === '');
	if (missing.length) {
		throw inputError(ctx, `${missing.map((k) => `"${k}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} required by Loymax${hint}`);
	}
}

/** At least one of full_name, first_name, middle_name, last_name (documented on customer bodies). */
export function checkCustomerName(body: IDataObject, ctx: OperationContext): void {
	if (!['full_name', 'first_name', 'middle_name', 'last_name'].some((k) => typeof body[k] === 'string' && body[k] !== '')) {
		throw inputError(ctx, 'Loymax needs at least one of Full Name, First Name, Middle Name or Last Name');
	}
}

export function output(body: unknown, sent: IDataObject): IDataObject {
	if (body === undefined || body === null || body === '') return { success: true, ...sent };
	return writeRecord(body);
}

/** Output of a write: the record the API answered, JSON:API resources flattened. */
export function writeRecord(body: unknown): IDataObject {
	return loymaxSimplify(recordOf(body));
}

/**
 * PATCH with "Keep Fields Not Given": GET the record (same path), merge the given fields over its
 * writable fields and PATCH the whole object. Off: the given fields only.
 */
export function mergeThenPatch(rules: UpdateRules) {
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
export const isNotFound = (error: unknown): boolean => String((error as { httpCode?: unknown }).httpCode ?? '') === '404';

/**
 * Create or Update (POST upsert by local_id) with "Keep Fields Not Given": GET the record by its
 * local_id (`readPath`), merge the given fields over its writable fields and POST the whole object;
 * a 404 means there is none, and the given fields create it. Off: the given fields only.
 */
export function upsertKeeping(readPath: string, check?: (body: IDataObject, ctx: OperationContext) => void, notOnPost: string[] = []) {
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

export const getMany = (what: string, path: string, fields: FieldSpec[] = [], extra: Partial<OperationSpec> = {}): OperationSpec => ({
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

/** An operation of one endpoint whose description is `words` and the call, e.g. "Retrieve an event (GET /event/{ID})". */
function call(value: string, name: string, action: string, method: OperationSpec['method'], path: string, words: string): Omit<OperationSpec, 'fields'> {
	return { value, name, action, description: `${words} (${method} ${shown(path)})`, method, path };
}

export const getOne = (what: string, path: string, fields: FieldSpec[]): OperationSpec => ({
	...call('get', 'Get', `Get ${what}`, 'GET', path, `Retrieve ${what}`),
	fields,
	...simplifyOn,
});

export const remove = (what: string, path: string, fields: FieldSpec[]): OperationSpec => ({
	...call('delete', 'Delete', `Delete ${what}`, 'DELETE', path, `Delete ${what}`),
	fields,
	emptyResponse: { success: true },
});

/** Create: a POST adding a record; `words` say what it does, e.g. "Register an event". */
export const create = (what: string, words: string, path: string, fields: FieldSpec[], extra: Partial<OperationSpec> = {}): OperationSpec => ({
	...call('create', 'Create', `Create ${what}`, 'POST', path, words),
	fields,
	...extra,
});

/**
 * Update of a record the PATCH replaces whole (`whole` names it: "profile", "order" …): Keep Fields
 * Not Given reads the record and merges the given fields into it first (mergeThenPatch).
 */
export const updateWhole = (
	what: string,
	change: { words: string; whole: string },
	path: string,
	fields: FieldSpec[],
	rules: UpdateRules,
	extra: Partial<OperationSpec> = {},
): OperationSpec => {
	const op = call('update', 'Update', `Update ${what}`, 'PATCH', path, change.words);
	return { ...op, description: `${op.description}; PATCH replaces the whole ${change.whole}`, fields, run: mergeThenPatch(rules), ...extra };
};

/** Create or Update: POST upsert by local_id, safe to repeat (idempotent); `run` keeps the fields not given. */
export const upsert = (what: string, path: string, fields: FieldSpec[], run?: OperationSpec['run']): OperationSpec => ({
	value: 'upsert',
	name: 'Create or Update',
	action: `Create or update ${what}`,
	description: 'Create a new record, or update the current one if it already exists (upsert)',
	method: 'POST',
	path,
	idempotent: true,
	fields,
	...(run ? { run } : {}),
});

/** What the local_id field of an upsert says after what the id is (removed again by `optional`). */
const UPSERT_KEY_NOTE = '. An existing local_id is updated, and every field not sent is reset to empty (the API replaces the whole record)';

/** The local_id of an upsert: the record's ID in the master system, the key a repeated POST updates. */
export const upsertKey = (idWords: string): FieldSpec => str('local_id', 'Local ID', `${idWords}${UPSERT_KEY_NOTE}`, { required: true });

/** The documented body fields of a create, made optional for the update's "Update Fields". */
export const optional = (fields: FieldSpec[]): FieldSpec[] =>
	fields.map((f) => ({ ...f, required: false, description: f.description.replace(UPSERT_KEY_NOTE, '') }));

// ---------- product, category ----------

export function catalogResource(
	value: string,
	label: string,
	what: string,
	base: string,
	parentField: FieldSpec,
): ResourceSpec {
	const idPath = pathId(`${value}Id`, `${label} ID`, `ID of the ${what} in your master system (local_id)`, 'id');
	const name = str('name', 'Name', `Name of the ${what}`, { required: true });
	const localId = upsertKey(`ID of the ${what} in your master system`);
	return {
		value,
		name: label,
		description: `${label}s of your catalog, by their ID in your master system`,
		operations: [
			upsert(`a ${what}`, base, [localId, name, keepFieldsOnUpsert(), parentField, customParameters()], upsertKeeping(`${base}/{id}`)),
			getOne(`a ${what}`, `${base}/{id}`, [idPath]),
			getMany(`${what === 'product' ? 'products' : 'product categories'}`, base),
			updateWhole(
				`a ${what}`,
				{ words: `Change a ${what}`, whole: 'record' },
				`${base}/{id}`,
				[idPath, keepFields(), ...optional([localId, name]), parentField, customParameters()],
				{ required: ['name', 'local_id'], localIdFromPath: idPath.name },
			),
		],
	};
}

// ---------- communications ----------

/**
 * E-mail / SMS / push mailings. List URLs end with "/" as documented; the docs' double
 * slash (//communication/sms/) is an extraction artefact, sent with one slash (section "Получить список участников SMS-рассылки" and its neighbours).
 */
export function campaign(value: string, label: string, channel: string, what: string, article: string): ResourceSpec {
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
