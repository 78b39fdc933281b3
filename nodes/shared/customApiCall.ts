import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldSpec, OperationContext, ProviderSpec, RequestSpec, ResourceSpec } from './spec';

const BODY_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

function fields(provider: ProviderSpec): FieldSpec[] {
	return [
		{
			name: 'method',
			label: 'Method',
			type: 'options',
			location: 'none',
			group: 'top',
			default: 'GET',
			description: 'HTTP method of the call',
			options: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => ({ name: m, value: m })),
		},
		{
			name: 'path',
			label: 'Path',
			type: 'string',
			location: 'none',
			required: true,
			placeholder: '/api/v1/…',
			description: `Path relative to the Base URL of the ${provider.displayName} credential, e.g. /api/v1/items. A full URL is accepted only on the credential's own host.`,
		},
		{
			name: 'query',
			label: 'Query Parameters',
			type: 'keyValue',
			location: 'none',
			group: 'top',
			default: {},
			description: 'Query string parameters, each name once, e.g. filter[name] = Ivan',
		},
		{
			name: 'headers',
			label: 'Headers',
			type: 'keyValue',
			location: 'none',
			group: 'top',
			default: {},
			description: 'Extra request headers. Authentication headers come from the credential and cannot be set here.',
		},
		{
			name: 'body',
			label: 'Body (JSON)',
			type: 'json',
			location: 'none',
			group: 'top',
			default: '',
			description: 'JSON body to send, e.g. {"name": "Ivan"}. Leave empty to send none.',
			showWhen: { method: BODY_METHODS },
		},
		{
			name: 'safeToRetry',
			label: 'Safe to Retry',
			type: 'boolean',
			location: 'none',
			group: 'top',
			default: false,
			description:
				'Whether repeating this POST cannot create a duplicate (e.g. an upsert by external ID). Only then is it retried after a server error or a lost connection.',
			showWhen: { method: ['POST'] },
		},
		...pagingFields(provider),
	];
}

/** Page-number pagination of a Custom API Call (Return All / Limit). */
function pagingFields(provider: ProviderSpec): FieldSpec[] {
	const pages = { pagination: ['pages'] };
	return [
		{
			name: 'pagination',
			label: 'Pagination',
			type: 'options',
			location: 'none',
			group: 'top',
			default: 'none',
			description: 'How the endpoint pages its list, for Return All / Limit',
			options: [
				{ name: 'None', value: 'none', description: 'One request; the response body is the output' },
				{ name: 'Page Number', value: 'pages', description: 'A page-number parameter (and optionally a page-size parameter)' },
			],
		},
		{
			name: 'pageParam',
			label: 'Page Parameter',
			type: 'string',
			location: 'none',
			group: 'top',
			default: provider.customPagination?.pageParam ?? 'page',
			description: 'Query parameter holding the page number (first page is 1)',
			showWhen: pages,
		},
		{
			name: 'sizeParam',
			label: 'Page Size Parameter',
			type: 'string',
			location: 'none',
			group: 'top',
			default: provider.customPagination?.sizeParam ?? '',
			description: 'Query parameter holding the page size; leave empty when the API has none',
			showWhen: pages,
		},
		{
			name: 'pageSize',
			label: 'Page Size',
			type: 'number',
			location: 'none',
			group: 'top',
			default: provider.customPagination?.maxPageSize ?? 100,
			min: 1,
			integer: true,
			description: 'Records per page (the largest the API allows makes the fewest requests)',
			showWhen: pages,
		},
		{
			name: 'returnAll',
			label: 'Return All',
			type: 'boolean',
			location: 'none',
			group: 'top',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			showWhen: pages,
		},
		{
			name: 'limit',
			label: 'Limit',
			type: 'number',
			location: 'none',
			group: 'top',
			default: 50,
			min: 1,
			integer: true,
			description: 'Max number of results to return',
			showWhen: { ...pages, returnAll: [false] },
		},
	];
}

type Fail = (message: string) => Error;

/**
 * The full URL of a Custom API Call path, kept inside the credential's scope: the Base URL's
 * origin (scheme, host, port) and path. User info is refused (it would replace the credential);
 * dot segments, also encoded (`%2e%2e`) or written with backslashes, are resolved first, and a
 * path that then leaves the Base URL's path is refused — nothing is sent.
 */
export function scopedUrl(raw: string, baseUrl: string, fail: Fail): string {
	const base = new URL(baseUrl);
	const absolute = /^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//') || raw.startsWith('\\\\');
	let target: URL;
	try {
		target = absolute
			? new URL(raw.startsWith('//') || raw.startsWith('\\\\') ? `${base.protocol}${raw}` : raw)
			: new URL(`${base.href.replace(/\/+$/, '')}/${raw.replace(/^[/\\]+/, '')}`);
	} catch (error) {
		throw fail(`"Path" is not a valid URL (${(error as Error).message})`);
	}
	if (target.username || target.password) {
		throw fail('"Path" must not contain a user name or password (user@host): the credential is what authenticates a Custom API Call');
	}
	if (target.origin !== base.origin) {
		throw fail(
			`"Path" points to another host (${target.host}); a Custom API Call only goes to the credential's Base URL (${base.host}). Use a path such as /api/v1/…`,
		);
	}
	const basePath = base.pathname.replace(/\/+$/, '');
	const inside = target.pathname === basePath || target.pathname.startsWith(`${basePath}/`);
	// Dot segments are resolved by the URL parser (`..`, `%2e%2e`, `\`); one encoded twice would be
	// by a server that decodes once more: refused as well.
	let decoded = target.pathname;
	try {
		decoded = decodeURIComponent(target.pathname);
	} catch {
		// Not valid percent-encoding: checked as written.
	}
	if (!inside || /(^|[/\\])(\.|%2e){2}([/\\]|$)/i.test(decoded)) {
		throw fail(
			`"Path" leaves the Base URL's path (${basePath || '/'}): it resolves to ${target.pathname}. A Custom API Call only reaches paths under the credential's Base URL`,
		);
	}
	// A relative path stays relative (the request names it as given, resolved).
	return absolute ? target.href : `${target.pathname.slice(basePath.length) || '/'}${target.search}`;
}

/** Headers a Custom API Call never sets: the credential's, and those that change where or how the request travels. */
const FORBIDDEN_HEADERS = [
	'authorization',
	'proxy-authorization',
	'cookie',
	'host',
	'connection',
	'keep-alive',
	'proxy-connection',
	'transfer-encoding',
	'te',
	'trailer',
	'upgrade',
	'content-length',
	'expect',
	'forwarded',
	'x-forwarded-for',
	'x-forwarded-host',
	'x-forwarded-proto',
];

function customHeaders(given: IDataObject, provider: ProviderSpec, fail: Fail): Record<string, string> {
	const refused = [...FORBIDDEN_HEADERS, ...(provider.protectedHeaders ?? []).map((h) => h.toLowerCase())];
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(given)) {
		if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw fail(`"${name}" is not a valid header name`);
		const lower = name.toLowerCase();
		if (lower === 'authorization' || (provider.protectedHeaders ?? []).some((h) => h.toLowerCase() === lower)) {
			throw fail(`the header "${name}" comes from the credential and cannot be overridden`);
		}
		if (refused.includes(lower)) {
			throw fail(`the header "${name}" cannot be set in a Custom API Call: it would change where or how the request is sent (refused: ${FORBIDDEN_HEADERS.join(', ')})`);
		}
		if (/[\r\n]/.test(String(value))) throw fail(`the header "${name}" must not contain line breaks`);
		headers[name] = String(value);
	}
	return headers;
}

async function run(ctx: OperationContext): Promise<IDataObject | IDataObject[]> {
	const { values, fn, itemIndex, provider } = ctx;
	const node = fn.getNode();
	const fail = (message: string) => new NodeOperationError(node, `Item ${itemIndex + 1}: ${message}`, { itemIndex });
	const credential = await provider.credential(fn);
	const path = scopedUrl(String(values.path).trim(), credential.baseUrl, fail);
	const headers = customHeaders((values.headers as IDataObject | undefined) ?? {}, provider, fail);
	const method = values.method as RequestSpec['method'];
	const request: RequestSpec = {
		method,
		path,
		qs: { ...((values.query as IDataObject | undefined) ?? {}) },
		headers,
		idempotent: values.safeToRetry === true,
	};
	if (BODY_METHODS.includes(method) && values.body !== undefined) request.body = values.body as IDataObject;
	if (values.pagination === 'pages') {
		const pageParam = String(values.pageParam ?? '').trim();
		if (!pageParam) throw fail('"Page Parameter" is required for page-number pagination');
		const limit = values.returnAll === true ? undefined : Number(values.limit ?? 50);
		return await ctx.paginate(
			request,
			{ pageParam, sizeParam: String(values.sizeParam ?? '').trim() || undefined, maxPageSize: Number(values.pageSize ?? 100) },
			limit,
		);
	}
	const body = await ctx.send(request);
	if (body === undefined || body === null || body === '') return { success: true };
	if (Array.isArray(body)) return body.map((entry) => (entry && typeof entry === 'object' ? (entry as IDataObject) : { value: entry as IDataObject[string] }));
	if (typeof body === 'object') return body as IDataObject;
	return { value: body as IDataObject[string] };
}

/** The "Custom API Call" resource every action node gets: any endpoint, through the same transport. */
export function customApiCallResource(provider: ProviderSpec): ResourceSpec {
	return {
		value: 'customApiCall',
		name: 'Custom API Call',
		description: `Call any ${provider.displayName} endpoint with the credential, pacing, retries and errors of this node`,
		operations: [
			{
				value: 'call',
				name: 'Call',
				action: `Make a custom ${provider.displayName} API call`,
				description: `Send a request to any ${provider.displayName} endpoint (path relative to the credential's Base URL)`,
				method: 'GET',
				path: '/',
				bodyStyle: 'none',
				fields: fields(provider),
				run,
			},
		],
	};
}

/** The provider's resources plus Custom API Call. */
export function allResources(provider: ProviderSpec): ResourceSpec[] {
	if (provider.customApiCall === false) return provider.resources;
	return [...provider.resources, customApiCallResource(provider)];
}
