import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredential } from '../shared/credentials';
import { walkPages } from '../shared/pagination';
import { apiError } from '../shared/transport';
import type { FieldSpec, OperationContext, PaginationSpec, ProviderSpec } from '../shared/spec';

/*
 * Vendor words (Neiros user API docs): in this API a "project" (/projects, /project/{id}) is a DEAL
 * (сделка) and a "site" (/sites, site_id) is the user's PROJECT (проект). The UI says Deal and
 * Site; descriptions name what the API calls them.
 */

const API = '/api/userapi/v1';

const siteField = (location: 'query' | 'body', description: string): FieldSpec => ({
	name: 'siteId',
	label: 'Site',
	key: 'site_id',
	type: 'locator',
	location,
	required: true,
	// A number in JSON bodies (documented example "site_id": 100); in the query it is text anyway.
	send: location === 'body' ? 'number' : undefined,
	locator: { searchMethod: 'searchSites', searchable: true, idRegex: '^\\d+$', idPlaceholder: 'e.g. 100' },
	description,
});

const dealIdField: FieldSpec = {
	name: 'dealId',
	label: 'Deal ID',
	key: 'id',
	type: 'string',
	location: 'path',
	required: true,
	pattern: { regex: '^\\d+$', hint: 'a numeric deal ID such as 8 (the "id" of a deal from Deal → Get Many)' },
	placeholder: '8',
	description: 'Numeric ID of the deal (what the API calls a "project"), e.g. the "id" of a deal from Deal → Get Many',
};

/** The deals (API "projects") of one response: `data.projects[]`. */
export function dealsOf(body: unknown): IDataObject[] {
	if (!body || typeof body !== 'object') return [];
	const data = (body as IDataObject).data as IDataObject | IDataObject[] | undefined;
	if (Array.isArray(data)) return data;
	const projects = data?.projects;
	return Array.isArray(projects) ? (projects as IDataObject[]) : [];
}

/**
 * How many pages GET /projects has, read from page 1 (`perPage` = its number of deals).
 * The docs (Получение списка сделок, response example) comment `"last_page": 1` as "current page"
 * and `"total": 1` as "total pages"; the names say Laravel's paginator (last page number, number of
 * records). Both readings are checked against page 1: Laravel's holds when `total` ≥ the deals on
 * page 1 and ceil(total / perPage) = last_page; the docs' holds when `last_page` is 1 (page 1 is the
 * current page). When only one holds its bound is used; when neither (or both, with different
 * bounds) the larger — the walk still stops at a short or empty page, so no single field can cut
 * the list short.
 */
export function neirosPageBound(body: unknown, perPage: number): number | undefined {
	const b = (body && typeof body === 'object' ? body : {}) as IDataObject;
	const count = (value: unknown) => {
		const n = Number(value);
		return value !== undefined && value !== null && value !== '' && Number.isInteger(n) && n >= 0 ? n : undefined;
	};
	const lastPage = count(b.last_page);
	const total = count(b.total);
	if (lastPage === undefined && total === undefined) return undefined;
	if (lastPage === undefined || total === undefined) return Math.max(1, lastPage ?? total ?? 1);
	const laravel = perPage > 0 && total >= perPage && Math.ceil(total / perPage) === lastPage;
	const docs = lastPage === 1;
	if (laravel && !docs) return lastPage;
	if (docs && !laravel) return Math.max(1, total);
	return Math.max(1, lastPage, total);
}

/** GET /projects: `page` only (the size is the server's, 15 in Laravel's default). */
export const DEAL_PAGINATION: PaginationSpec = {
	pageParam: 'page',
	maxPageSize: 15,
	strategy: 'untilShort',
	fixedPageSize: true,
	pageCount: neirosPageBound,
	// No rate limit is documented: windows of up to 4 pages, growing to 8 while answers hold.
	concurrency: 4,
	maxConcurrency: 8,
};

/**
 * Deal → Get Many: GET /projects, pages `page` = 1, 2 … (the page walker, `untilShort` with the
 * bound of `neirosPageBound`). The page size is the server's (not documented, not settable), so
 * Limit is honoured from the size of the first page.
 */
async function getManyDeals(ctx: OperationContext): Promise<IDataObject[]> {
	const returnAll = ctx.fn.getNodeParameter('returnAll', ctx.itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (ctx.fn.getNodeParameter('limit', ctx.itemIndex, 50) as number);
	const userOptions = ctx.fn.getNodeParameter('requestOptions', ctx.itemIndex, {}) as IDataObject;
	const fetch = async (qs: IDataObject) => {
		const request = { ...ctx.request, qs };
		const body = await ctx.send(request);
		// A page without data.projects (empty body, a bare value, another object) is an error: read
		// as an empty page it would end Return All early and silently drop the deals after it.
		const data = body && typeof body === 'object' ? (body as IDataObject).data : undefined;
		if (!Array.isArray(data) && !Array.isArray((data as IDataObject | undefined)?.projects)) {
			throw apiError(ctx.fn, ctx.provider, { request, itemIndex: ctx.itemIndex, status: 200, words: 'the response has no list of deals (data.projects)', delivery: 'unknown' });
		}
		return { items: dealsOf(body), body };
	};
	const result = await walkPages({
		provider: 'Neiros',
		paging: DEAL_PAGINATION,
		fetch,
		qs: ctx.request.qs,
		limit,
		pagesInParallel: Number(userOptions.pagesInParallel ?? 0),
		fail: (message, description) => new NodeOperationError(ctx.fn.getNode(), message, { itemIndex: ctx.itemIndex, description }),
	});
	return result.items;
}

export const neiros: ProviderSpec = {
	displayName: 'Neiros',
	credentialType: 'neirosApi',
	credential: async (fn) => {
		const info = await readCredential(
			fn,
			{ type: 'neirosApi', defaultBaseUrl: 'https://neiros.cloud', secretFields: ['password', 'apiToken', 'sessionToken'] },
			'Neiros',
		);
		if (info.data.authMethod !== 'token') return info;
		// A ready token cannot be renewed: without the session token the transport does not retry a
		// 401 for a re-login that would send the same token again.
		const data = { ...info.data };
		delete data.sessionToken;
		return { ...info, data };
	},
	// The documented examples send both headers on every request, GETs included.
	headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
	protectedHeaders: ['authorization'],
	customPagination: { pageParam: 'page', maxPageSize: 15 },
	resources: [
		{
			value: 'deal',
			name: 'Deal',
			description: 'Deals of a site (the API calls them "projects")',
			operations: [
				{
					value: 'getAll',
					name: 'Get Many',
					action: 'Get many deals',
					description: 'List the deals of a site (API: GET /projects, "projects" are deals), optionally within a date range',
					method: 'GET',
					path: `${API}/projects`,
					fields: [
						siteField('query', 'Site whose deals to list (the API\'s site_id; a "site" is a Neiros project, see Site → Get Many)'),
						{
							name: 'dateStart',
							label: 'Date From',
							key: 'date_start',
							type: 'date',
							location: 'query',
							dateFormat: 'yyyy-MM-dd',
							description: 'First day of deals to return (sent as date_start, YYYY-MM-DD, in the workflow time zone)',
						},
						{
							name: 'dateEnd',
							label: 'Date To',
							key: 'date_end',
							type: 'date',
							location: 'query',
							dateFormat: 'yyyy-MM-dd',
							description: 'Last day of deals to return (sent as date_end, YYYY-MM-DD, in the workflow time zone)',
						},
					],
					// Quirk 1/2: the docs also show a JSON body on this GET; the query string is what we send.
					pagination: DEAL_PAGINATION,
					run: getManyDeals,
				},
				{
					value: 'get',
					name: 'Get',
					action: 'Get a deal',
					description: 'Get one deal with its call, channel, amount and stage (API: GET /project/{deal ID})',
					method: 'GET',
					path: `${API}/project/{id}`,
					fields: [dealIdField, siteField('query', 'Site the deal belongs to (the API\'s site_id)')],
				},
				{
					value: 'updateAmount',
					name: 'Update Amount',
					action: 'Add a sum to a deal',
					description:
						'Send a sum ("summ") for a deal (API: POST /project/{deal ID}/update). The docs title this call "adding a sum to a deal" and do not say whether the sum is added to the deal amount or replaces it: check the deal with Get after a first run. Not retried on server errors (a repeat could add twice).',
					method: 'POST',
					path: `${API}/project/{id}/update`,
					fields: [
						dealIdField,
						siteField('body', 'Site the deal belongs to (the API\'s site_id)'),
						{
							name: 'amount',
							label: 'Amount',
							key: 'summ',
							type: 'number',
							location: 'body',
							required: true,
							min: 0,
							default: 0,
							description:
								'Sum in the account currency, e.g. 1500 (sent as "summ"). The docs call the call "adding a sum to a deal"; whether the server adds it to the current amount or sets the amount to it is not documented.',
						},
					],
				},
			],
		},
		{
			value: 'site',
			name: 'Site',
			description: 'Sites of the account (what Neiros calls projects)',
			operations: [
				{
					value: 'getAll',
					name: 'Get Many',
					action: 'Get many sites',
					description: 'List every site (Neiros project) of the account with its ID and domain name (API: GET /sites)',
					method: 'GET',
					path: `${API}/sites`,
					fields: [],
					items: (body) => dealsOf(body),
					run: async (ctx) => dealsOf(await ctx.send(ctx.request)),
				},
			],
		},
	],
};
