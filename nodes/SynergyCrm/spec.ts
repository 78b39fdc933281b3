import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredential } from '../shared/credentials';
import { flatten, hasPrimaryData, indexIncluded, primaryData, type JsonApiResource } from '../shared/jsonapi';
import { apiError } from '../shared/transport';
import type { FieldSpec, OperationContext, OperationSpec, PaginationSpec, ProviderSpec, RequestSpec, ResourceSpec } from '../shared/spec';
import { DOCUMENTED_TYPES, INCLUDE_DOCUMENTED_FOR, MENTIONED_ONLY_TYPES, type DocAttribute, type DocType } from './resources';

/**
 * Synergy CRM (JSON:API v1.0, /api/v1). The resources, attributes, relationships and filters come
 * from the generated table in resources.ts (sources/catalog.json, `npm run generate`); this file turns that data
 * into the engine's ResourceSpec/OperationSpec/FieldSpec rows. Nothing here is per resource except
 * the labels below.
 */

export const API = '/api/v1';
export const DEFAULT_BASE_URL = 'https://app.syncrm.ru';
export const JSONAPI = 'application/vnd.api+json';
/** The filter date format of the docs: `2022.02.22 12:00`, no zone: written in the account's zone. */
export const FILTER_DATE_FORMAT = 'yyyy.MM.dd HH:mm';

/** JSON:API type → resource value, singular label, and the noun used in action sentences. */
export const LABELS: Record<string, { value: string; label: string; noun: string; description: string }> = {
	contacts: { value: 'contact', label: 'Contact', noun: 'contact', description: 'People in the CRM' },
	'contact-statuses': { value: 'contactStatus', label: 'Contact Status', noun: 'contact status', description: 'Statuses a contact can have' },
	'contact-types': { value: 'contactType', label: 'Contact Type', noun: 'contact type', description: 'Types a contact can have' },
	companies: { value: 'company', label: 'Company', noun: 'company', description: 'Companies (legal entities) in the CRM' },
	'company-bank-details': { value: 'companyBankDetails', label: 'Company Bank Details', noun: 'company bank details record', description: 'Bank accounts of a company' },
	'company-statuses': { value: 'companyStatus', label: 'Company Status', noun: 'company status', description: 'Statuses a company can have' },
	'company-types': { value: 'companyType', label: 'Company Type', noun: 'company type', description: 'Types a company can have' },
	contracts: { value: 'contract', label: 'Contract', noun: 'contract', description: 'Contracts between companies and contacts' },
	deals: { value: 'deal', label: 'Deal', noun: 'deal', description: 'Deals in a pipeline' },
	'deal-loss-reasons': { value: 'dealLossReason', label: 'Deal Loss Reason', noun: 'deal loss reason', description: 'Reasons a deal was lost' },
	'deal-stage-categories': { value: 'dealPipeline', label: 'Deal Pipeline', noun: 'deal pipeline', description: 'Deal pipelines (funnels; JSON:API type deal-stage-categories)' },
	'deal-stages': { value: 'dealStage', label: 'Deal Stage', noun: 'deal stage', description: 'Stages of a deal pipeline' },
	'deal-statuses': { value: 'dealStatus', label: 'Deal Status', noun: 'deal status', description: 'Statuses a deal can have' },
	orders: { value: 'order', label: 'Order', noun: 'order', description: 'Orders (requests for a deal, "zayavki" in the CRM)' },
	'order-loss-reasons': { value: 'orderLossReason', label: 'Order Loss Reason', noun: 'order loss reason', description: 'Reasons an order was lost' },
	'order-stages': { value: 'orderStage', label: 'Order Stage', noun: 'order stage', description: 'Stages an order goes through' },
	'order-statuses': { value: 'orderStatus', label: 'Order Status', noun: 'order status', description: 'Statuses an order can have' },
	'diary-events': { value: 'diaryEvent', label: 'Diary Event', noun: 'diary event', description: 'Calendar events (only creation is documented)' },
	users: { value: 'user', label: 'User', noun: 'user', description: 'Users of the account (responsible, creator)' },
	sources: { value: 'source', label: 'Source', noun: 'source', description: 'Lead sources' },
	products: { value: 'product', label: 'Product', noun: 'product', description: 'Products' },
	'entity-products': { value: 'entityProduct', label: 'Entity Product', noun: 'entity product', description: 'Product lines (specifications) of a record' },
	'diary-tasks': { value: 'diaryTask', label: 'Diary Task', noun: 'diary task', description: 'Tasks' },
	'estate-properties': { value: 'estateProperty', label: 'Estate Property', noun: 'estate property', description: 'Estate properties linked to contracts' },
	competitors: { value: 'competitor', label: 'Competitor', noun: 'competitor', description: 'Competitors a deal or order was lost to' },
	areas: { value: 'area', label: 'Area', noun: 'area', description: 'Areas of deals and orders' },
};

const CYRILLIC: Record<string, string> = {
	а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n',
	о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y',
	ь: '', э: 'e', ю: 'yu', я: 'ya', '№': 'No.',
};

/**
 * UI text in Latin letters: n8n requires English UI text, and the docs' examples are Russian
 * ("Иван", "ул. Университетская"). Transliterated, they still show the shape of the value.
 */
export function latin(text: string): string {
	return text.replace(/[\u0400-\u04FF№]/g, (c) => {
		const lower = c.toLowerCase();
		const out = CYRILLIC[lower] ?? '';
		return c !== lower && out ? out[0].toUpperCase() + out.slice(1) : out;
	});
}

/** Every UI text of a field (and its sub-fields and options) in Latin letters. */
function latinField(field: FieldSpec): FieldSpec {
	return {
		...field,
		label: latin(field.label),
		description: latin(field.description),
		...(field.options ? { options: field.options.map((o) => ({ ...o, name: latin(o.name), ...(o.description ? { description: latin(o.description) } : {}) })) } : {}),
		...(field.fields ? { fields: field.fields.map(latinField) } : {}),
	};
}

/**
 * Relationships whose name says less than the docs' relationship tables: `user` is the record's
 * creator (table column "Создатель", Creator) and `stage-category` the deal pipeline ("Воронка",
 * funnel). Label and what is and is not known.
 */
const RELATIONSHIP_LABELS: Record<string, { label: string; description: string }> = {
	user: {
		label: 'Creator (User)',
		description:
			'The user who created the record (relationship "user"; the docs\' relationship table calls it the creator). The docs do not say whether the API lets a write set or change it.',
	},
	'stage-category': {
		label: 'Pipeline (Stage Category)',
		description: 'The deal pipeline, or funnel (relationship "stage-category", a deal-stage-categories record)',
	},
};

/** UI label of a relationship: the docs' meaning where the name says less. */
export const relationshipLabel = (name: string): string => RELATIONSHIP_LABELS[name]?.label ?? titleCase(name);

/** Types whose records carry the custom-field hash (docs: `customs`, tables: `custom`). */
export const CUSTOMS_TYPES = ['contacts', 'companies', 'contracts', 'deals', 'orders'];

/** Relationships that hold many records (linkage arrays). The others hold one. */
const TO_MANY = new Set(['companies', 'contacts', 'deals', 'orders', 'products', 'entities-products', 'tasks', 'events', 'bank-details', 'estate-properties']);
export const isToMany = (relationship: string): boolean => TO_MANY.has(relationship);

/**
 * Filters ("Фильтрация" tables): the tables dasherize the phone filters (`work-phone`) but every curl sample
 * sends them with underscores (`filter[work_phone]`). The samples are what was run against the
 * server, so the node sends the underscore form.
 */
export function filterKey(name: string): string {
	return /-phone$/.test(name) ? `filter[${name.replace(/-/g, '_')}]` : `filter[${name}]`;
}

export const camel = (name: string): string => name.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string): string => camel(name).replace(/^./, (c) => c.toUpperCase());
const titleCase = (name: string): string =>
	name
		.split(/[-_]/)
		.map((w) => (w ? w[0].toUpperCase() + w.slice(1) : w))
		.join(' ');

/** listSearch method name of a JSON:API type, e.g. `searchDealStages`. */
export const searchMethodOf = (type: string): string => `search${pascal(type)}`;

/** Named UI collections for the documented attribute groups (main attributes stay in the default). */
function groupOf(group: string): string | undefined {
	const map: Record<string, string> = {
		'Work address': 'workAddress',
		'Home address': 'homeAddress',
		'Social networks & messengers': 'socialNetworks',
		'Actual address': 'actualAddress',
		'Legal (juristic) address': 'legalAddress',
		'Mailing address': 'mailingAddress',
		'Legal details': 'legalDetails',
	};
	return map[group];
}

/**
 * Where the docs contradict themselves on the wire shape, applied at this one place:
 * - Contracts ("Договоры"): `custom_number` is `custom-number` in the sample (the JSON API
 *   dasherizes); `date` is typed datetime but its example is a date: sent as YYYY-MM-DD.
 * - Deal and order stages type `description` as boolean (example `true`) though it is a text: sent as text.
 */
function wireAttribute(type: string, doc: DocAttribute): DocAttribute {
	// Diary events list their attributes without descriptions: say what they are.
	const attr = doc.description ? doc : { ...doc, description: `${titleCase(doc.name)} of the ${LABELS[type]?.noun ?? 'record'}` };
	if (attr.name === 'custom_number') return { ...attr, name: 'custom-number' };
	if (type === 'contracts' && attr.name === 'date') return { ...attr, type: 'date' };
	if (attr.name === 'description' && attr.type === 'boolean') return { ...attr, type: 'string' };
	return attr;
}

function example(attr: DocAttribute): string {
	return attr.example && !/^\{/.test(attr.example) ? `, e.g. ${attr.example}` : '';
}

/** One documented attribute as a field (custom-field hashes are handled apart). */
function attributeField(type: string, doc: DocAttribute, forceOptional: boolean): FieldSpec | undefined {
	const attr = wireAttribute(type, doc);
	if (!attr.writable || attr.type === 'hash') return undefined;
	const base = {
		name: camel(attr.name),
		label: titleCase(attr.name),
		key: attr.name,
		location: 'attribute' as const,
		required: attr.required && !forceOptional,
		group: groupOf(attr.group),
	};
	const oneOf = /one of (.+)$/.exec(attr.constraints);
	if (oneOf) {
		const values = oneOf[1].split(',').map((v) => v.trim()).filter(Boolean);
		return {
			...base,
			type: 'options',
			options: values.map((v) => ({ name: titleCase(v), value: v })),
			default: values[0],
			description: `${attr.description}: one of ${values.join(', ')}`,
		};
	}
	switch (attr.type) {
		case 'integer':
			return { ...base, type: 'number', integer: true, description: `${attr.description} (whole number)${example(attr)}` };
		case 'decimal':
			return { ...base, type: 'number', description: `${attr.description} (number, decimals allowed)${example(attr)}` };
		case 'boolean':
			return {
				...base,
				type: 'boolean',
				default: false,
				description: `Whether: ${attr.description.replace(/\?$/, '')} (${attr.name})`,
			};
		case 'datetime':
			if (type === 'diary-events') {
				// The only diary-events sample sends "start-time":"2022-02-22 12:00 +0300".
				return {
					...base,
					type: 'dateTime',
					dateFormat: 'yyyy-MM-dd HH:mm ZZZ',
					description: `${attr.description}: date and time, sent as YYYY-MM-DD HH:mm +ZZZZ in the workflow time zone (e.g. 2022-02-22 12:00 +0300)`,
				};
			}
			return {
				...base,
				type: 'dateTime',
				description: `${attr.description}: date and time, sent as ISO 8601 in the workflow time zone (e.g. 2022-02-22T12:02:22.222+03:00)`,
			};
		case 'date':
			return { ...base, type: 'date', description: `${attr.description}: a date, sent as YYYY-MM-DD (e.g. 2022-02-22)` };
		default:
			if (attr.name === 'color') {
				return { ...base, type: 'color', description: `${attr.description} as a hex colour${example(attr)}` };
			}
			return { ...base, type: 'string', description: `${attr.description}${example(attr)}` };
	}
}

/** Locator settings of a related JSON:API type. */
function locatorOf(type: string): FieldSpec['locator'] {
	return {
		searchMethod: searchMethodOf(type),
		searchable: true,
		idRegex: '^\\d+$',
		idPlaceholder: 'e.g. 2',
		urlRegex: `^https?://[^\\s?#]+/${type}/(\\d+)`,
		urlPlaceholder: `${DEFAULT_BASE_URL}/api/v1/${type}/2`,
	};
}

/** The relationship fields of a Create/Update: to-one as locators, to-many as lists of ids. */
function relationshipFields(doc: DocType): FieldSpec[] {
	const out: FieldSpec[] = [];
	for (const [name, target] of Object.entries(doc.relationships)) {
		const label = relationshipLabel(name);
		if (Array.isArray(target)) {
			// Polymorphic (contract parties): a company or a contact, picked from one list.
			out.push({
				name: camel(name),
				label,
				type: 'locator',
				key: name,
				location: 'none',
				description: `${label} of the contract: a company or a contact. By ID takes "companies:12" or "contacts:5" (a bare number is a company).`,
				locator: {
					searchMethod: 'searchContractParties',
					searchable: true,
					idRegex: '^((companies|contacts):)?\\d+$',
					idPlaceholder: 'e.g. companies:12',
				},
			});
		} else if (isToMany(name)) {
			out.push({
				name: camel(name),
				label: `${label} IDs`,
				type: 'string',
				key: name,
				location: 'none',
				pattern: { regex: '^\\s*\\d+(\\s*,\\s*\\d+)*\\s*$', hint: 'give numeric IDs separated by commas, e.g. 2,5,7' },
				description: `IDs of the linked ${target} records, separated by commas (e.g. 2,5,7). Replaces the whole list of linked ${name}.`,
			});
		} else {
			out.push({
				name: camel(name),
				label,
				type: 'locator',
				key: name,
				location: 'relationship',
				relationType: target,
				locator: locatorOf(target),
				description: RELATIONSHIP_LABELS[name]
					? `${RELATIONSHIP_LABELS[name].description}: pick it from the list, give its numeric ID, or paste its URL`
					: `The ${label.toLowerCase()} (a ${target} record): pick it from the list, give its numeric ID, or paste its URL`,
			});
		}
	}
	return out;
}

export const customsField: FieldSpec = {
	name: 'customFields',
	label: 'Custom Fields',
	type: 'keyValue',
	key: 'customs',
	location: 'none',
	nameSearch: 'searchCustomFieldKeys',
	placeholder: 'e.g. custom-12',
	description:
		'Custom fields by their API name and value, e.g. custom-12 = Gold: pick a name seen on the account’s recent records of this type, or type it. Only the named fields change: on Update the others are kept as they are.',
};

/** The record a Get/Update/Delete/Get Related works on: picked from a list, by ID or by URL. */
const idField = (noun: string, type: string): FieldSpec => ({
	name: 'id',
	label: 'ID',
	type: 'locator',
	location: 'path',
	required: true,
	locator: locatorOf(type),
	description: `The ${noun}: pick it from the list, give its numeric ID (e.g. 2) or paste its API URL`,
});

function includeField(type: string, doc: DocType): FieldSpec | undefined {
	if (!INCLUDE_DOCUMENTED_FOR.includes(type)) return undefined;
	const names = Object.keys(doc.relationships);
	return {
		name: 'include',
		label: 'Include Related',
		type: 'multiOptions',
		location: 'query',
		group: 'top',
		default: [],
		join: ',',
		options: names.map((n) => ({ name: relationshipLabel(n), value: n })),
		description:
			'Related records to load in the same request. With Simplify they appear as <relationship>_data next to the relationship ID(s).',
	};
}

function filterFields(doc: DocType): FieldSpec[] {
	return doc.filters.map((f) => {
		const date = /-(gte|lte)$/.test(f.name);
		if (date) {
			const [, what, op] = /^(.*)-(gte|lte)$/.exec(f.name)!;
			return {
				name: camel(f.name),
				label: `${titleCase(what)} ${op === 'gte' ? 'From' : 'Until'}`,
				type: 'dateTime',
				key: filterKey(f.name),
				location: 'query',
				dateFormat: FILTER_DATE_FORMAT,
				// "Filtering" in the docs: the value has no zone; the server reads it in the account's.
				dateZone: 'server',
				description: `Only records ${f.description}. Your date is read in the workflow time zone and sent as YYYY.MM.DD HH:mm (minutes) in the account's time zone (the credential's Account Time Zone).`,
			} as FieldSpec;
		}
		const raw = ['archived', 'discarded', 'actual', 'table-state-id'].includes(f.name);
		return {
			name: camel(f.name),
			label: f.name === 'q' ? 'Search Text' : titleCase(f.name),
			type: 'string',
			key: filterKey(f.name),
			location: 'query',
			description: raw
				? `Filter ${f.name}, passed to the API as given (the docs show the value 2 without explaining it), e.g. ${f.example.split('=').pop()}`
				: `Only records ${f.description.replace(/^by /, 'with this ')}, e.g. ${f.example.split('=').pop()}`,
		} as FieldSpec;
	});
}

export const PAGINATION: PaginationSpec = {
	pageParam: 'page[number]',
	sizeParam: 'page[size]',
	maxPageSize: 100,
	// No rate limit is documented: 8 pages at once to start (bench: Return All of 10 000 deals),
	// growing to 16 while the server answers as fast and without 429 (walkPages' adaptive concurrency).
	concurrency: 8,
	maxConcurrency: 16,
	pageCount: (body) => {
		const meta = (body as IDataObject | undefined)?.meta as IDataObject | undefined;
		const n = Number(meta?.['page-count']);
		return meta && meta['page-count'] !== undefined && Number.isFinite(n) ? n : undefined;
	},
};

/** The custom-field hash of a record, whichever spelling the server uses (the samples say `customs`, the attribute tables `custom`). */
export function customsOf(resource: JsonApiResource | IDataObject): { key: 'customs' | 'custom'; value: IDataObject } {
	const attrs = ((resource as JsonApiResource).attributes ?? {}) as IDataObject;
	if (attrs.customs && typeof attrs.customs === 'object') return { key: 'customs', value: attrs.customs as IDataObject };
	if (attrs.custom && typeof attrs.custom === 'object') return { key: 'custom', value: attrs.custom as IDataObject };
	return { key: 'custom' in attrs ? 'custom' : 'customs', value: {} };
}

/** Simplified record: `{id, ...attributes, customs, <relationship>: id(s)}` (+ `<rel>_data` when included). */
export function simplify(record: IDataObject, body: unknown): IDataObject {
	if (!record || typeof record !== 'object' || typeof record.type !== 'string') return record;
	const flat = flatten(record as unknown as JsonApiResource, { included: indexIncluded(body) });
	delete flat.type;
	if ('custom' in flat && !('customs' in flat)) {
		const value = flat.custom;
		delete flat.custom;
		flat.customs = value;
	}
	return flat;
}

function customNames(ctx: OperationContext): IDataObject | undefined {
	const given = ctx.values.customFields as IDataObject | undefined;
	if (!given) return undefined;
	for (const name of Object.keys(given)) {
		if (!/^custom-\d+$/.test(name)) {
			throw new NodeOperationError(
				ctx.fn.getNode(),
				`Item ${ctx.itemIndex + 1}: custom field "${name}" is not a custom field name; they look like custom-12`,
				{ itemIndex: ctx.itemIndex, description: 'Custom fields are named custom-<number> in the API (see a record’s customs).' },
			);
		}
		const v = given[name];
		if (v !== null && typeof v !== 'string') given[name] = String(v);
	}
	return given;
}

function dataOf(request: RequestSpec): IDataObject {
	const body = (request.body ?? {}) as IDataObject;
	body.data ??= {};
	request.body = body;
	return body.data as IDataObject;
}

/** Put what the table cannot express into the JSON:API document: to-many lists, parties, customs. */
function completeDocument(ctx: OperationContext, request: RequestSpec, doc: DocType, customs?: { key: string; value: IDataObject }): void {
	const data = dataOf(request);
	const rels = (data.relationships ?? {}) as IDataObject;
	for (const [name, target] of Object.entries(doc.relationships)) {
		const value = ctx.values[camel(name)];
		if (value === undefined) continue;
		if (Array.isArray(target)) {
			const m = /^(?:(companies|contacts):)?(\d+)$/.exec(String(value));
			if (!m) continue;
			rels[name] = { data: { type: m[1] ?? 'companies', id: m[2] } };
		} else if (isToMany(name)) {
			const ids = String(value)
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
			rels[name] = { data: ids.map((id) => ({ type: target, id })) };
		}
	}
	if (Object.keys(rels).length) data.relationships = rels;
	if (customs) {
		data.attributes = { ...((data.attributes ?? {}) as IDataObject), [customs.key]: customs.value };
	}
}

function typeWords(type: string): { one: string; many: string } {
	const noun = LABELS[type].noun;
	const many = noun.endsWith('y') && !noun.endsWith('ey') ? `${noun.slice(0, -1)}ies` : noun.endsWith('s') ? `${noun}es` : `${noun}s`;
	return { one: noun, many };
}

const article = (noun: string) => (/^[aeiou]/.test(noun) ? 'an' : 'a');

/**
 * The record a write answered. JSON:API answers a write with the record (`data`); an empty 204 to
 * a PATCH means "accepted as sent". Anything else (an empty or bare answer, no `data`) is an error
 * — read as "no records" it would drop the item although the write may have happened.
 */
function writeRecords(ctx: OperationContext, request: RequestSpec, body: unknown): IDataObject[] {
	if ((body === undefined || body === '') && request.method === 'PATCH') {
		return [{ id: decodeURIComponent(request.path.split('/').pop() ?? ''), success: true }];
	}
	if (!hasPrimaryData(body) || primaryData(body).length === 0) {
		throw apiError(ctx.fn, ctx.provider, {
			request,
			itemIndex: ctx.itemIndex,
			status: 200,
			words: 'the answer has no record (JSON:API data)',
			note: 'The request reached Synergy CRM: check whether the record was written before running the item again.',
			delivery: 'unknown',
		});
	}
	return shapeRecords(ctx, body);
}

function shapeRecords(ctx: OperationContext, body: unknown): IDataObject[] {
	const wanted = ctx.operation.simplify && (ctx.fn.getNodeParameter('simplify', ctx.itemIndex, true) as boolean);
	return primaryData(body).map((r) => (wanted ? simplify(r as unknown as IDataObject, body) : (r as unknown as IDataObject)));
}

/** A Match By option that is an attribute: the filter of that name, and a new record gets the value in it. */
const matchOnAttribute = (attribute: string, name = titleCase(attribute)) => ({ name, value: attribute, attribute });
/** Any Phone: a filter only (no attribute to fill on create). */
const ANY_PHONE = { name: 'Any Phone', value: 'any-phone' };

/** Upsert: which attribute/filter a Create or Update matches on. */
const MATCH_OPTIONS: Record<string, Array<{ name: string; value: string; attribute?: string }>> = {
	contacts: [...['email', 'other-email', 'mobile-phone', 'work-phone', 'other-phone'].map((a) => matchOnAttribute(a)), ANY_PHONE],
	companies: [matchOnAttribute('inn', 'INN'), ...['email', 'other-email', 'general-phone', 'work-phone', 'other-phone'].map((a) => matchOnAttribute(a)), ANY_PHONE],
};

/** What every operation of a type is built from: its words, its base path, its Include Related field. */
interface TypeContext {
	type: string;
	words: { one: string; many: string };
	/** The article of `words.one`: a / an. */
	a: string;
	base: string;
	hasCustoms: boolean;
}

function typeContext(type: string): TypeContext {
	const words = typeWords(type);
	return { type, words, a: article(words.one), base: `${API}/${type}`, hasCustoms: CUSTOMS_TYPES.includes(type) };
}

/** Create, Update and (where a match field is known) Create or Update of a documented type. */
function writeOperations(t: TypeContext, doc: DocType): OperationSpec[] {
	const { type, words, a, base, hasCustoms } = t;
	const writeFields = (optional: boolean): FieldSpec[] => [
		...(doc.attributes.map((attr) => attributeField(type, attr, optional)).filter(Boolean) as FieldSpec[]),
		...relationshipFields(doc),
		...(hasCustoms ? [customsField] : []),
	];
	const createFields = writeFields(false);
	const jsonHeaders = { 'Content-Type': JSONAPI };
	const operations: OperationSpec[] = [
		{
			value: 'create',
			name: 'Create',
			action: `Create ${a} ${words.one}`,
			description: `Create ${a} ${words.one} (POST ${base})`,
			method: 'POST',
			path: base,
			fields: createFields,
			bodyStyle: 'jsonapi',
			jsonApiType: type,
			headers: jsonHeaders,
			simplify: true,
			run: async (ctx) => {
				const customs = hasCustoms ? customNames(ctx) : undefined;
				completeDocument(ctx, ctx.request, doc, customs ? { key: 'customs', value: customs } : undefined);
				return writeRecords(ctx, ctx.request, await ctx.send(ctx.request));
			},
		},
		{
			value: 'update',
			name: 'Update',
			action: `Update ${a} ${words.one}`,
			description: `Update ${a} ${words.one} (PATCH ${base}/ID); only the given fields change`,
			method: 'PATCH',
			path: `${base}/{id}`,
			fields: [idField(words.one, type), ...writeFields(true)],
			bodyStyle: 'jsonapi',
			jsonApiType: type,
			jsonApiIdField: 'id',
			headers: jsonHeaders,
			simplify: true,
			run: async (ctx) => {
				completeDocument(ctx, ctx.request, doc, hasCustoms ? await mergedCustoms(ctx) : undefined);
				return writeRecords(ctx, ctx.request, await ctx.send(ctx.request));
			},
		},
	];
	if (MATCH_OPTIONS[type]) operations.push(upsertOperation(type, doc, createFields.map(requiredOnlyToCreate)));
	return operations;
}

/**
 * The custom fields an Update sends: the API replaces the whole hash, so the record is read first
 * and the named fields are merged over the ones it has (unnamed custom fields survive).
 */
async function mergedCustoms(ctx: OperationContext): Promise<{ key: string; value: IDataObject } | undefined> {
	const customs = customNames(ctx);
	if (!customs) return undefined;
	const current = await ctx.send({ method: 'GET', path: ctx.request.path, qs: {}, headers: {} });
	const existing = customsOf(primaryData(current)[0] ?? {});
	return { key: existing.key, value: { ...existing.value, ...customs } };
}

/** Get and Get Many: documented types, and the types the docs only mention. */
function readOperations(t: TypeContext, doc: DocType | undefined): OperationSpec[] {
	const { type, words, a, base } = t;
	const include = doc ? includeField(type, doc) : undefined;
	return [
		{
			value: 'get',
			name: 'Get',
			action: `Get ${a} ${words.one}`,
			description: `Get ${a} ${words.one} by ID (GET ${base}/ID)`,
			method: 'GET',
			path: `${base}/{id}`,
			fields: [idField(words.one, type), ...(include ? [include] : [])],
			simplify: true,
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: `Get many ${words.many}`,
			description: `List ${words.many} (GET ${base}), page by page`,
			method: 'GET',
			path: base,
			fields: [...(include ? [include] : []), ...(doc ? filterFields(doc) : [])],
			pagination: PAGINATION,
			simplify: true,
		},
	];
}

/** Delete and (when the type has relationships) Get Related of a documented type. */
function deleteAndRelatedOperations(t: TypeContext, doc: DocType): OperationSpec[] {
	const { type, words, a, base } = t;
	const operations: OperationSpec[] = [
		{
			value: 'delete',
			name: 'Delete',
			action: `Delete ${a} ${words.one}`,
			description: `Delete ${a} ${words.one} (DELETE ${base}/ID)`,
			method: 'DELETE',
			path: `${base}/{id}`,
			fields: [idField(words.one, type)],
			run: async (ctx) => {
				await ctx.send(ctx.request);
				return { id: ctx.values.id as string, deleted: true };
			},
		},
	];
	const relNames = Object.keys(doc.relationships);
	if (relNames.length) operations.push(getRelatedOperation(type, relNames, words.one));
	return operations;
}

function buildResource(type: string, doc: DocType | undefined): ResourceSpec {
	const label = LABELS[type];
	const t = typeContext(type);
	const operations: OperationSpec[] = [
		...(doc ? writeOperations(t, doc) : []),
		...(doc || MENTIONED_ONLY_TYPES.includes(type) ? readOperations(t, doc) : []),
		...(doc ? deleteAndRelatedOperations(t, doc) : []),
	];
	// Creation is the only documented diary-events call (section "События" has only the creation sample): keep it first in the list.
	operations.sort((x, y) => x.name.localeCompare(y.name));
	for (const op of operations) op.fields = op.fields.map(latinField);
	const undocumented = (op: OperationSpec) => !doc || (type === 'diary-events' && op.value !== 'create');
	return { value: label.value, name: label.label, description: label.description, operations: operations.map((op) => (undocumented(op) ? notInDocs(op) : op)) };
}

/** Whether an error is the API's 404 or 405. */
const httpStatusOf = (error: unknown): string => String((error as { httpCode?: unknown }).httpCode ?? '');

/**
 * An operation the vendor docs do not document (issue 15.8): diary events other than create (the
 * section "Событие" has only the creation sample) and Get / Get Many of the types the docs only
 * name in relationship tables. Marked "(not in the vendor docs)", and a 404 or 405 answer fails
 * with words saying so: the server may not offer the call at all.
 */
function notInDocs(op: OperationSpec): OperationSpec {
	const inner = async (ctx: OperationContext): Promise<IDataObject | IDataObject[]> => {
		if (op.run) return await op.run(ctx);
		if (op.pagination) {
			const returnAll = ctx.fn.getNodeParameter('returnAll', ctx.itemIndex, false) as boolean;
			const limit = returnAll ? undefined : (ctx.fn.getNodeParameter('limit', ctx.itemIndex, 50) as number);
			return await ctx.paginate(ctx.request, op.pagination, limit);
		}
		return shapeRecords(ctx, await ctx.send(ctx.request));
	};
	return {
		...op,
		description: `${op.description} (not in the vendor docs)`,
		run: async (ctx) => await inner(ctx).catch(async (error: unknown) => await Promise.reject(explainNotOffered(op, error))),
	};
}

/** A 404 / 405 to an undocumented call, in words saying the server may not offer it. */
function explainNotOffered(op: OperationSpec, error: unknown): unknown {
	const status = httpStatusOf(error);
	if (status !== '404' && status !== '405') return error;
	const e = error as Error & { description?: string | null };
	const call = `${op.method} ${op.path.replace(/\{(\w+)\}/g, (_, n: string) => n.toUpperCase())}`;
	e.message =
		status === '405'
			? `${e.message} — "${op.name}" is not in the vendor docs and this Synergy CRM server does not offer it (${call})`
			: `${e.message} — "${op.name}" is not in the vendor docs: the record may not exist, or this Synergy CRM server may not offer the call (${call})`;
	e.description = `${e.description ? `${e.description}. ` : ''}The Synergy CRM docs do not document this call; the node offers it because JSON:API servers usually do.`;
	return e;
}

function getRelatedOperation(type: string, relNames: string[], noun: string): OperationSpec {
	const base = `${API}/${type}`;
	return {
		value: 'getRelated',
		name: 'Get Related',
		action: `Get records related to ${article(noun)} ${noun}`,
		description: `Get the records of one relationship (GET ${base}/ID/RELATIONSHIP) or only their identifiers (GET ${base}/ID/relationships/RELATIONSHIP)`,
		method: 'GET',
		path: `${base}/{id}/{relationship}`,
		fields: [
			idField(noun, type),
			{
				name: 'relationship',
				label: 'Relationship',
				type: 'options',
				location: 'path',
				required: true,
				options: relNames.map((n) => ({ name: relationshipLabel(n), value: n })),
				default: relNames[0],
				description: 'Which relationship to read',
			},
			{
				name: 'identifiersOnly',
				label: 'Identifiers Only',
				type: 'boolean',
				location: 'none',
				group: 'top',
				default: false,
				description: 'Whether to return only the related type and ID (the relationship link) instead of the full related records',
			},
		],
		simplify: true,
		run: async (ctx) => {
			const identifiersOnly = ctx.fn.getNodeParameter('identifiersOnly', ctx.itemIndex, false) as boolean;
			const rel = encodeURIComponent(String(ctx.values.relationship));
			const id = encodeURIComponent(String(ctx.values.id));
			const path = identifiersOnly ? `${base}/${id}/relationships/${rel}` : `${base}/${id}/${rel}`;
			const body = await ctx.send({ ...ctx.request, path });
			if (identifiersOnly) {
				const data = (body as IDataObject | undefined)?.data;
				const list = Array.isArray(data) ? data : data ? [data] : [];
				return (list as IDataObject[]).map((r) => ({ type: r.type, id: String(r.id) }));
			}
			return shapeRecords(ctx, body);
		},
	};
}

/**
 * Create or Update (issue 15.9): an attribute the docs require (a contact's first and last name, a
 * company's name) is needed only when no record matches and one is created. It stays where Create
 * shows it, but optional; on a match a name not given is not sent, so it is never overwritten.
 */
function requiredOnlyToCreate(field: FieldSpec): FieldSpec {
	if (!field.required) return field;
	return {
		...field,
		required: false,
		group: 'top',
		description: `${field.description}. Required when no record matches and one is created; on a match it changes only when given.`,
	};
}

/** The attributes the docs require on create, missing from a document about to create a record. */
function missingToCreate(doc: DocType, request: RequestSpec): string[] {
	const attrs = (dataOf(request).attributes ?? {}) as IDataObject;
	return doc.attributes
		.filter((a) => a.required && a.writable)
		.map((a) => wireAttribute('', a).name)
		.filter((name) => attrs[name] === undefined || attrs[name] === null || attrs[name] === '');
}

function upsertOperation(type: string, doc: DocType, createFields: FieldSpec[]): OperationSpec {
	const base = `${API}/${type}`;
	const words = typeWords(type);
	const options = MATCH_OPTIONS[type];
	return {
		value: 'upsert',
		name: 'Create or Update',
		action: `Create or update ${article(words.one)} ${words.one}`,
		description: 'Create a new record, or update the current one if it already exists (upsert)',
		method: 'POST',
		path: base,
		fields: [
			{
				name: 'matchBy',
				label: 'Match By',
				type: 'options',
				location: 'none',
				group: 'top',
				default: options[0].value,
				options: options.map((o) => ({ name: o.name, value: o.value })),
				description: `Field used to find an existing ${words.one}`,
			},
			{
				name: 'matchValue',
				label: 'Value to Match',
				type: 'string',
				location: 'none',
				required: true,
				description: `Value the ${words.one} must have in the Match By field, e.g. help@syncrm.ru or +79876543211. A new ${words.one} gets it in that field (except Any Phone).`,
			},
			...createFields,
		],
		bodyStyle: 'jsonapi',
		jsonApiType: type,
		headers: { 'Content-Type': JSONAPI },
		simplify: true,
		run: async (ctx) => {
			const matchBy = String(ctx.values.matchBy ?? options[0].value);
			const match: Match = { by: matchBy, value: String(ctx.values.matchValue), option: options.find((o) => o.value === matchBy)! };
			const customs = customNames(ctx);
			const found = await findMatch(ctx, base, words, match);
			const request: RequestSpec = { ...ctx.request, headers: { ...ctx.request.headers }, body: JSON.parse(JSON.stringify(ctx.request.body ?? {})) };
			if (found) patchMatched(ctx, request, { type, doc, base }, found, customs);
			else createUnmatched(ctx, request, doc, words, match, customs);
			return writeRecords(ctx, request, await ctx.send(request));
		},
	};
}

/** What a Create or Update matches on: the Match By filter, its value, and the attribute it fills. */
interface Match {
	by: string;
	value: string;
	option: { name: string; value: string; attribute?: string };
}

/** The one record matching (a page of 100 is read), or none; more than one is an error and nothing is written. */
async function findMatch(ctx: OperationContext, base: string, words: { one: string; many: string }, match: Match): Promise<JsonApiResource | undefined> {
	const found = await ctx.send({
		method: 'GET',
		path: base,
		qs: { [filterKey(match.by)]: match.value, 'page[number]': 1, 'page[size]': 100 },
		headers: {},
	});
	const matches = primaryData(found);
	const total = Number(((found as IDataObject)?.meta as IDataObject | undefined)?.['record-count'] ?? matches.length);
	if (matches.length > 1 || total > 1) {
		const ids = matches.map((m) => String(m.id)).join(', ');
		throw new NodeOperationError(
			ctx.fn.getNode(),
			`Item ${ctx.itemIndex + 1}: ${total} ${words.many} match ${match.by} = "${match.value}" (IDs ${ids}); nothing was changed`,
			{ itemIndex: ctx.itemIndex, description: `Update the right ${words.one} by its ID with the Update operation, or merge the duplicates in Synergy CRM.` },
		);
	}
	return matches[0];
}

/** The request turned into the PATCH of the matched record; named custom fields are merged over its own. */
function patchMatched(
	ctx: OperationContext,
	request: RequestSpec,
	target: { type: string; doc: DocType; base: string },
	match: JsonApiResource,
	customs: IDataObject | undefined,
): void {
	const data = dataOf(request);
	const existing = customsOf(match);
	completeDocument(ctx, request, target.doc, customs ? { key: existing.key, value: { ...existing.value, ...customs } } : undefined);
	request.method = 'PATCH';
	request.path = `${target.base}/${encodeURIComponent(String(match.id))}`;
	const ordered: IDataObject = { type: target.type, id: String(match.id), ...data };
	request.body = { data: ordered };
}

/**
 * The request completed as the POST creating the record: the match value in its attribute (unless
 * given), and every attribute the docs require on create, else an error before anything is written.
 */
function createUnmatched(
	ctx: OperationContext,
	request: RequestSpec,
	doc: DocType,
	words: { one: string },
	match: Match,
	customs: IDataObject | undefined,
): void {
	const data = dataOf(request);
	if (match.option.attribute) {
		const attrs = (data.attributes ?? {}) as IDataObject;
		if (attrs[match.option.attribute] === undefined) data.attributes = { ...attrs, [match.option.attribute]: match.value };
	}
	completeDocument(ctx, request, doc, customs ? { key: 'customs', value: customs } : undefined);
	const missing = missingToCreate(doc, request);
	if (missing.length) {
		const labels = missing.map((name) => `"${titleCase(name)}"`).join(' and ');
		throw new NodeOperationError(
			ctx.fn.getNode(),
			`Item ${ctx.itemIndex + 1}: no ${words.one} matches ${match.by} = "${match.value}", and ${labels} ${missing.length > 1 ? 'are' : 'is'} required to create one`,
			{ itemIndex: ctx.itemIndex, description: `Give ${labels} to create the ${words.one}; when one matches, they are needed only to change them. Nothing was written.` },
		);
	}
}

/** Every type the node offers, in the table's order (documented first, then mentioned-only). */
export const RESOURCE_TYPES: string[] = [...Object.keys(DOCUMENTED_TYPES), ...MENTIONED_ONLY_TYPES.filter((t) => !(t in DOCUMENTED_TYPES))];

/** Types a listSearch method is needed for: every type of the node and every to-one relationship target. */
export const SEARCH_TYPES: string[] = [
	...new Set(
		[...RESOURCE_TYPES, ...Object.values(DOCUMENTED_TYPES).flatMap((doc) =>
			Object.entries(doc.relationships)
				.filter(([name, target]) => !Array.isArray(target) && !isToMany(name))
				.map(([, target]) => target as string),
		)],
	),
];

export const synergyCrm: ProviderSpec = {
	displayName: 'Synergy CRM',
	credentialType: 'synergyCrmApi',
	credential: async (fn) =>
		await readCredential(
			fn,
			{
				type: 'synergyCrmApi',
				defaultBaseUrl: DEFAULT_BASE_URL,
				secretFields: ['apiToken'],
				// The docs give full URLs (https://app.syncrm.ru/api/v1/...): accept a Base URL with the prefix.
				normaliseBaseUrl: (url) => url.replace(/\/api\/v1$/i, ''),
				noLogin: true,
			},
			'Synergy CRM',
		),
	headers: { Accept: JSONAPI },
	protectedHeaders: ['authorization'],
	resources: RESOURCE_TYPES.map((t) => buildResource(t, DOCUMENTED_TYPES[t])),
	listItems: (body) => primaryData(body) as unknown as IDataObject[],
	// Date filters are read by the server in the account's zone (the credential's Account Time Zone).
	serverZone: (credential) => String(credential.data.accountTimeZone || 'Europe/Moscow').trim(),
	recordOf: (body) => {
		const data = primaryData(body);
		return (data.length === 1 && !Array.isArray((body as IDataObject).data) ? data[0] : data) as unknown as IDataObject;
	},
	simplify,
	customPagination: { pageParam: 'page[number]', sizeParam: 'page[size]', maxPageSize: 100 },
};

/**
 * Every route the table reaches: method + path template (Get Related expanded per relationship
 * and per form). The catalog test matches these against sources/catalog.json.
 */
export function routes(): Array<{ resource: string; operation: string; method: string; path: string }> {
	const out: Array<{ resource: string; operation: string; method: string; path: string }> = [];
	for (const resource of synergyCrm.resources) {
		for (const op of resource.operations) {
			if (op.value === 'getRelated') {
				const rels = op.fields.find((f) => f.name === 'relationship')!.options!.map((o) => String(o.value));
				for (const rel of rels) {
					out.push({ resource: resource.value, operation: op.value, method: 'GET', path: op.path.replace('{relationship}', rel) });
					out.push({
						resource: resource.value,
						operation: op.value,
						method: 'GET',
						path: op.path.replace('{relationship}', `relationships/${rel}`),
					});
				}
				continue;
			}
			out.push({ resource: resource.value, operation: op.value, method: op.method, path: op.path });
			if (op.value === 'upsert') {
				out.push({ resource: resource.value, operation: op.value, method: 'GET', path: op.path });
				out.push({ resource: resource.value, operation: op.value, method: 'PATCH', path: `${op.path}/{id}` });
			}
		}
	}
	return out;
}

export type { DocType };
