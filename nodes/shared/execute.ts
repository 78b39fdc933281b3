import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { allResources } from './customApiCall';
import { encodeResource, type Identifier } from './jsonapi';
import { mapConcurrent, pagingFor, walkPages, type Page } from './pagination';
import { placeOf } from './properties';
import type {
	CredentialInfo,
	FieldSpec,
	OperationContext,
	OperationSpec,
	PaginationSpec,
	ProviderSpec,
	RequestSpec,
	ResourceSpec,
} from './spec';
import { apiError, credentialOf, DEFAULT_MAX_WAIT_MS, DEFAULT_TIMEOUT_MS, send, type SendOptions } from './transport';
import { encodeValue, pathSegment, setPath, type EncodeContext } from './values';

export function findOperation(provider: ProviderSpec, resourceValue: string, operationValue: string): { resource: ResourceSpec; operation: OperationSpec } {
	const resource = allResources(provider).find((r) => r.value === resourceValue);
	const operation = resource?.operations.find((o) => o.value === operationValue);
	if (!resource || !operation) throw new Error(`Unknown operation ${resourceValue}/${operationValue}`);
	return { resource, operation };
}

/**
 * The raw value of a field for an item: top-level parameter or entry of its collection. A
 * collection is read once per item (`groups`): reading it resolves every expression in it, so
 * reading it again for each of its fields made an item cost fields × expressions evaluations.
 */
function rawValue(
	fn: IExecuteFunctions,
	field: FieldSpec,
	operation: OperationSpec,
	itemIndex: number,
	groups: Map<string, IDataObject | undefined> = new Map(),
): unknown {
	const place = placeOf(field, operation);
	if (place === 'top') {
		if (field.type === 'locator') return fn.getNodeParameter(field.name, itemIndex, undefined, { extractValue: true });
		return fn.getNodeParameter(field.name, itemIndex, undefined);
	}
	if (!groups.has(place)) groups.set(place, fn.getNodeParameter(place, itemIndex, {}) as IDataObject);
	return groups.get(place)?.[field.name];
}

/** Read, validate and encode every field of an operation for one item. */
export function readValues(fn: IExecuteFunctions, operation: OperationSpec, itemIndex: number, serverZone?: string): IDataObject {
	const ctx: EncodeContext = { node: fn.getNode(), itemIndex, timezone: fn.getTimezone(), serverZone };
	const values: IDataObject = {};
	const groups = new Map<string, IDataObject | undefined>();
	for (const field of operation.fields) {
		if (field.showWhen && !matchesShowWhen(fn, field, itemIndex)) continue;
		const encoded = encodeValue(field, rawValue(fn, field, operation, itemIndex, groups), ctx);
		if (encoded !== undefined) values[field.name] = encoded as IDataObject[string];
	}
	return values;
}

function matchesShowWhen(fn: IExecuteFunctions, field: FieldSpec, itemIndex: number): boolean {
	for (const [param, allowed] of Object.entries(field.showWhen ?? {})) {
		const current = fn.getNodeParameter(param, itemIndex, undefined);
		if (!(allowed as unknown[]).includes(current)) return false;
	}
	return true;
}

/** Build the request the table describes from encoded values. */
export function buildRequest(
	operation: OperationSpec,
	values: IDataObject,
	ctx: EncodeContext,
	provider?: ProviderSpec,
): RequestSpec {
	const qs: IDataObject = {};
	const headers: Record<string, string> = { ...(operation.headers ?? {}) };
	const body: IDataObject = {};
	const attributes: IDataObject = {};
	const relationships: Record<string, Identifier | Identifier[] | null> = {};
	let path = operation.path;
	for (const field of operation.fields) {
		if (!(field.name in values)) continue;
		const value = values[field.name];
		const key = field.key ?? field.name;
		switch (field.location) {
			case 'path':
				path = path.split(`{${key}}`).join(pathSegment(field, value, ctx));
				break;
			case 'query':
				if (field.type === 'keyValue' && field.spread) Object.assign(qs, value);
				else qs[key] = Array.isArray(value) && field.join ? value.join(field.join) : value;
				break;
			case 'header':
				headers[key] = String(value);
				break;
			case 'body':
				if (field.type === 'keyValue' && field.spread) {
					for (const [k, v] of Object.entries(value as IDataObject)) if (!(k in body)) body[k] = v;
				} else setPath(body, key, value);
				break;
			case 'attribute':
				if (field.type === 'keyValue' && field.spread) Object.assign(attributes, value);
				else setPath(attributes, key, value);
				break;
			case 'relationship':
				relationships[key] =
					value === null
						? null
						: Array.isArray(value)
							? value.map((id) => ({ type: field.relationType ?? key, id: String(id) }))
							: { type: field.relationType ?? key, id: String(value) };
				break;
			case 'none':
				break;
		}
	}
	const unfilled = /\{([^}]+)\}/.exec(path);
	if (unfilled) {
		throw new NodeOperationError(ctx.node, `Item ${ctx.itemIndex + 1}: the path parameter "${unfilled[1]}" is required`, {
			itemIndex: ctx.itemIndex,
		});
	}
	const request: RequestSpec = { method: operation.method, path, qs, headers, idempotent: operation.idempotent };
	const style = operation.bodyStyle ?? (operation.method === 'GET' || operation.method === 'DELETE' ? 'none' : 'json');
	if (style === 'jsonapi') {
		const id = operation.jsonApiIdField ? values[operation.jsonApiIdField] : undefined;
		request.body = encodeResource(operation.jsonApiType ?? '', attributes, relationships, id as string | undefined);
	} else if (style === 'json') {
		request.body = body;
	}
	void provider;
	return request;
}

/** Node-level options (the "Options" collection): parallel items, max wait, timeout, pause after 429, max response size. */
export function transportOptions(opts: IDataObject = {}): SendOptions & { concurrency: number } {
	return {
		concurrency: Math.max(1, Number(opts.concurrency ?? 5) || 1),
		maxWaitMs: opts.maxRetryWait === undefined ? DEFAULT_MAX_WAIT_MS : Number(opts.maxRetryWait) * 1000,
		timeoutMs: opts.timeout === undefined ? DEFAULT_TIMEOUT_MS : Number(opts.timeout) * 1000,
		pauseAfter429Ms: opts.pauseAfter429 === undefined ? undefined : Number(opts.pauseAfter429) * 1000,
		maxResponseBytes: opts.maxResponseSize === undefined ? undefined : Math.max(1, Number(opts.maxResponseSize) || 64) * 1024 * 1024,
	};
}

/** Items of a list body: the provider's reader, else the first array among common envelopes. */
export function listItemsOf(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (!body || typeof body !== 'object') return [];
	const obj = body as IDataObject;
	for (const key of ['data', 'items', 'results', 'result', 'records', 'rows', 'list', 'content']) {
		const v = obj[key];
		if (Array.isArray(v)) return v as IDataObject[];
		if (v && typeof v === 'object' && key === 'data') {
			const inner = listItemsOf(v);
			if (inner.length) return inner;
		}
	}
	for (const v of Object.values(obj)) if (Array.isArray(v) && v.every((x) => x && typeof x === 'object')) return v as IDataObject[];
	return [];
}

/** Whether a body holds a list somewhere near the top (a page of a list endpoint). */
export function hasList(body: unknown, depth = 0): boolean {
	if (Array.isArray(body)) return true;
	if (!body || typeof body !== 'object' || depth > 2) return false;
	return Object.values(body as IDataObject).some((v) => hasList(v, depth + 1));
}

/** A single record of a body: `data` when it is an object, else the body itself. */
export function recordOf(body: unknown): IDataObject {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const data = (body as IDataObject).data;
		if (data && typeof data === 'object' && !Array.isArray(data)) return data as IDataObject;
		return body as IDataObject;
	}
	return { value: body as IDataObject[string] };
}

function simplifyWanted(fn: IExecuteFunctions, operation: OperationSpec, provider: ProviderSpec, itemIndex: number): boolean {
	return !!operation.simplify && !!provider.simplify && (fn.getNodeParameter('simplify', itemIndex, true) as boolean);
}

/** What the requests of one item are sent with: the provider, the node's options, the account. */
interface ItemSending {
	fn: IExecuteFunctions;
	provider: ProviderSpec;
	itemIndex: number;
	/** The node's options with this item's index, attempt counter and credential. */
	itemOptions: SendOptions;
	credential: CredentialInfo;
	/** Requests sent for this item (retries included). */
	attempts: { count: number };
}

/**
 * ctx.paginate of an item: walks the pages (walkPages) and reads each page's records, shaped.
 * A page without any list is an error, never an empty page.
 */
function itemPaginator(sending: ItemSending, readItems: (body: unknown) => IDataObject[], shape: (record: IDataObject, body: unknown) => IDataObject): OperationContext['paginate'] {
	const { fn, provider, itemIndex, itemOptions, credential, attempts } = sending;
	return async (req: RequestSpec, pagination: PaginationSpec, limit?: number) => {
		const fetch = async (qs: IDataObject): Promise<Page> => {
			// Attempts of this page alone: more than one means a 429/5xx was retried (the walk slows down).
			const own = { count: 0 };
			let body: unknown;
			try {
				body = (await send(fn, provider, { ...req, qs }, { ...itemOptions, attempts: own })).body;
			} finally {
				attempts.count += own.count;
			}
			// A page without any list (empty body, a bare value, an object with no array) is an
			// error: read as an empty page it would silently cut Return All short.
			if (!hasList(body)) {
				throw apiError(fn, provider, {
					request: { ...req, qs },
					itemIndex,
					status: 200,
					words: 'the response has no list of records',
					delivery: 'unknown',
					secrets: credential.secrets,
				});
			}
			return { items: readItems(body).map((r) => shape(r, body)), body, retried: own.count > 1 };
		};
		const userOptions = fn.getNodeParameter('requestOptions', itemIndex, {}) as IDataObject;
		const result = await walkPages({
			provider: provider.displayName,
			paging: pagingFor(pagination, credential.data),
			fetch,
			qs: req.qs,
			limit,
			pagesInParallel: Number(userOptions.pagesInParallel ?? 0),
			fail: (message, description) => new NodeOperationError(fn.getNode(), message, { itemIndex, description }),
		});
		return result.items;
	};
}

/** Run one item: validate, build, send (or page, or the operation's own code), shape the output. */
async function runItem(
	fn: IExecuteFunctions,
	provider: ProviderSpec,
	resource: ResourceSpec,
	operation: OperationSpec,
	itemIndex: number,
	options: SendOptions,
	credential: CredentialInfo,
	attempts: { count: number },
): Promise<IDataObject[]> {
	const encodeCtx: EncodeContext = { node: fn.getNode(), itemIndex, timezone: fn.getTimezone() };
	const values = readValues(fn, operation, itemIndex, provider.serverZone?.(credential));
	const request = buildRequest(operation, values, encodeCtx, provider);
	const itemOptions: SendOptions = { ...options, itemIndex, attempts, credential };
	const simplify = simplifyWanted(fn, operation, provider, itemIndex);
	const shape = (record: IDataObject, body: unknown) => (simplify ? provider.simplify!(record, body) : record);
	const readItems = operation.items ?? provider.listItems ?? listItemsOf;

	const ctx: OperationContext = {
		fn,
		itemIndex,
		provider,
		resource,
		operation,
		values,
		request,
		send: async (req) => (await send(fn, provider, req, itemOptions)).body,
		paginate: itemPaginator({ fn, provider, itemIndex, itemOptions, credential, attempts }, readItems, shape),
	};
	if (operation.prepare) await operation.prepare(ctx);

	if (operation.run) {
		const out = await operation.run(ctx);
		return Array.isArray(out) ? out : [out];
	}
	if (operation.pagination) {
		const returnAll = fn.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? undefined : (fn.getNodeParameter('limit', itemIndex, 50) as number);
		return await ctx.paginate(ctx.request, operation.pagination, limit);
	}
	const body = await ctx.send(ctx.request);
	if (body === undefined || body === null || body === '') return [operation.emptyResponse ?? { success: true }];
	const read = operation.record ?? provider.recordOf ?? recordOf;
	const records = read(body);
	return (Array.isArray(records) ? records : [records]).map((r) => shape(r, body));
}

/** The error item of Continue On Fail: the message and what happened to the request. */
function errorItem(error: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject }, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error.httpCode) json.httpCode = error.httpCode;
	const delivery = error.context?.delivery;
	json.delivery = typeof delivery === 'string' ? delivery : 'unknown';
	if (error.context?.attempts !== undefined) json.requestsSent = error.context.attempts;
	else if (delivery === 'not sent') json.requestsSent = 0;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The node's execute(): every input item through its operation, `Items in Parallel` at once,
 * output in input order, each output item paired with its input; with Continue On Fail a failed
 * item becomes an error item and the others go on.
 */
export async function executeOperations(fn: IExecuteFunctions, provider: ProviderSpec): Promise<INodeExecutionData[][]> {
	const items = fn.getInputData();
	const resourceValue = fn.getNodeParameter('resource', 0) as string;
	const operationValue = fn.getNodeParameter('operation', 0) as string;
	const { resource, operation } = findOperation(provider, resourceValue, operationValue);
	const { concurrency, ...options } = transportOptions(fn.getNodeParameter('requestOptions', 0, {}) as IDataObject);
	const credential = await credentialOf(fn, provider);
	const continueOnFail = fn.continueOnFail();
	let failed = false;

	const results = await mapConcurrent(
		items.map((_, i) => i),
		concurrency,
		async (itemIndex) => {
			const attempts = { count: 0 };
			try {
				const records = await runItem(fn, provider, resource, operation, itemIndex, options, credential, attempts);
				return { records };
			} catch (error) {
				const e = error as Error & { context?: IDataObject };
				if (e.context && e.context.attempts === undefined && e.context.delivery !== 'not sent') e.context.attempts = attempts.count;
				if (!continueOnFail) failed = true;
				return { error: e };
			}
		},
		() => failed,
	);

	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const result = results[i];
		if (!result) continue; // not started because an earlier item failed without Continue On Fail
		if (result.error) {
			if (!continueOnFail) throw result.error;
			out.push(errorItem(result.error, i));
			continue;
		}
		for (const record of result.records) out.push({ json: record, pairedItem: { item: i } });
	}
	// An item that was never started can only be missing when another failed: that threw above.
	return [out];
}
