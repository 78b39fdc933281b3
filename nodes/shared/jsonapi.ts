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
	included?: Map<string, JsonApiResource>;
	/** Keep attribute names as the API spells them (default) or camelCase them. */
	camelCase?: boolean;
}

/** Index `included[]` by `type:id`. */
export function indexIncluded(body: unknown): Map<string, JsonApiResource> {
	const map = new Map<string, JsonApiResource>();
	const included = body && typeof body === 'object' ? (body as IDataObject).included : undefined;
	if (Array.isArray(included)) {
		for (const r of included) if (isResource(r) && r.id !== undefined) map.set(`${r.type}:${String(r.id)}`, r);
	}
	return map;
}

/**
 * Simplified record: `{id, type, ...attributes, <relationship>: id | ids | null}` and, when the
 * related record was included, `<relationship>_data` holding it flattened the same way.
 */
export function flatten(resource: JsonApiResource, options: FlattenOptions = {}): IDataObject {
	const out: IDataObject = { id: resource.id === undefined ? undefined : String(resource.id), type: resource.type };
	const name = (n: string) => (options.camelCase ? camel(n) : n);
	for (const [key, value] of Object.entries(resource.attributes ?? {})) out[name(key)] = value as IDataObject[string];
	for (const [key, rel] of Object.entries(resource.relationships ?? {})) {
		const ids = relationshipIds(rel);
		if (ids === undefined) continue;
		out[name(key)] = ids;
		if (options.included && ids !== null) {
			const data = rel.data as IDataObject | IDataObject[];
			const pick = (ref: IDataObject) => options.included!.get(`${String(ref.type)}:${String(ref.id)}`);
			if (Array.isArray(data)) {
				const found = data.map(pick).filter(Boolean) as JsonApiResource[];
				if (found.length) out[`${name(key)}_data`] = found.map((r) => flatten(r, { camelCase: options.camelCase }));
			} else {
				const found = pick(data);
				if (found) out[`${name(key)}_data`] = flatten(found, { camelCase: options.camelCase });
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
