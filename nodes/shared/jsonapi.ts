import type { IDataObject } from 'n8n-workflow';

/** A JSON:API resource object. */
export interface JsonApiResource {
	id?: string | number;
	type: string;
	attributes?: IDataObject;
	relationships?: Record<string, { data?: unknown; links?: IDataObject; meta?: IDataObject }>;
	links?: IDataObject;
	meta?: IDataObject;
}

export interface Identifier {
	type: string;
	id: string;
}

/** `{data: {type, id?, attributes, relationships}}` — ids always as strings (JSON:API §5.2). */
export function encodeResource(
	type: string,
	attributes: IDataObject,
	relationships: Record<string, Identifier | Identifier[] | null>,
	id?: string | number,
): IDataObject {
	const data: IDataObject = { type };
	if (id !== undefined && id !== '') data.id = String(id);
	if (Object.keys(attributes).length) data.attributes = attributes;
	const rels: IDataObject = {};
	for (const [name, value] of Object.entries(relationships)) {
		rels[name] = {
			data:
				value === null
					? null
					: Array.isArray(value)
						? value.map((v) => ({ type: v.type, id: String(v.id) }))
						: { type: value.type, id: String(value.id) },
		};
	}
	if (Object.keys(rels).length) data.relationships = rels;
	return { data };
}

function isResource(value: unknown): value is JsonApiResource {
	return !!value && typeof value === 'object' && !Array.isArray(value) && typeof (value as IDataObject).type === 'string';
}

/** The primary data as a list (a single resource becomes a list of one; `null` an empty list). */
export function primaryData(body: unknown): JsonApiResource[] {
	if (!body || typeof body !== 'object') return [];
	const data = (body as IDataObject).data;
	if (Array.isArray(data)) return data.filter(isResource) as JsonApiResource[];
	if (isResource(data)) return [data];
	return [];
}

/** Whether a body is a JSON:API document with primary data (`data` present, even null). */
export function hasPrimaryData(body: unknown): boolean {
	return !!body && typeof body === 'object' && 'data' in (body as IDataObject);
}

/** The id(s) of a relationship: a string, a list of strings, or null. */
function relationshipIds(rel: { data?: unknown } | undefined): string | string[] | null | undefined {
	if (!rel || !('data' in rel)) return undefined;
	const d = rel.data;
	if (d === null) return null;
	if (Array.isArray(d)) return d.map((x) => String((x as IDataObject).id));
	if (d && typeof d === 'object') return String((d as IDataObject).id);
	return undefined;
}

function camel(name: string): string {
	return name.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export interface FlattenOptions {
	/** Included resources, keyed `type:id`, embedded under the relationship name when present. */
	included?: ReadonlyMap<string, JsonApiResource>;
	/** Keep attribute names as the API spells them (default) or camelCase them. */
	camelCase?: boolean;
}

const EMPTY_INDEX: ReadonlyMap<string, JsonApiResource> = new Map();
const indexes = new WeakMap<object, ReadonlyMap<string, JsonApiResource>>();

/**
 * Index `included[]` by `type:id` — once per response body: simplifying the records of a page asks
 * for the index once per record, and every call after the first gets the same (read-only) map.
 * Bodies are parsed responses, never changed after they arrive.
 */
export function indexIncluded(body: unknown): ReadonlyMap<string, JsonApiResource> {
	if (!body || typeof body !== 'object') return EMPTY_INDEX;
	const included = (body as IDataObject).included;
	if (!Array.isArray(included) || included.length === 0) return EMPTY_INDEX;
	let map = indexes.get(body);
	if (map === undefined) {
		const index = new Map<string, JsonApiResource>();
		for (const r of included) if (isResource(r) && r.id !== undefined) index.set(`${r.type}:${String(r.id)}`, r);
		indexes.set(body, index);
		map = index;
	}
	return map;
}

/**
 * Simplified record: `{id, type, ...attributes, <relationship>: id | ids | null}` and, when the
 * related record was included, `<relationship>_data` holding it flattened the same way.
 */
export function flatten(resource: JsonApiResource, options: FlattenOptions = {}): IDataObject {
	const out: IDataObject = { id: resource.id === undefined ? undefined : String(resource.id), type: resource.type };
	const camelCase = options.camelCase === true;
	const included = options.included !== undefined && options.included.size > 0 ? options.included : undefined;
	const attributes = resource.attributes;
	if (attributes) {
		for (const key in attributes) {
			if (Object.prototype.hasOwnProperty.call(attributes, key)) out[camelCase ? camel(key) : key] = attributes[key];
		}
	}
	const relationships = resource.relationships;
	if (relationships) {
		for (const key in relationships) {
			if (!Object.prototype.hasOwnProperty.call(relationships, key)) continue;
			const rel = relationships[key];
			const ids = relationshipIds(rel);
			if (ids === undefined) continue;
			const name = camelCase ? camel(key) : key;
			out[name] = ids;
			if (included && ids !== null) {
				const data = rel.data as IDataObject | IDataObject[];
				const pick = (ref: IDataObject) => included.get(`${String(ref.type)}:${String(ref.id)}`);
				if (Array.isArray(data)) {
					const found = data.map(pick).filter(Boolean) as JsonApiResource[];
					if (found.length) out[`${name}_data`] = found.map((r) => flatten(r, { camelCase }));
				} else {
					const found = pick(data);
					if (found) out[`${name}_data`] = flatten(found, { camelCase });
				}
			}
		}
	}
	return out;
}

/** Decode a JSON:API document into simplified records. */
export function decode(body: unknown, options: Omit<FlattenOptions, 'included'> & { withIncluded?: boolean } = {}): IDataObject[] {
	const included = options.withIncluded ? indexIncluded(body) : undefined;
	return primaryData(body).map((r) => flatten(r, { included, camelCase: options.camelCase }));
}
