import type { IDataObject } from 'n8n-workflow';

import { readCredential } from '../shared/credentials';
import { mapConcurrent } from '../shared/pagination';
import { apiError } from '../shared/transport';
import type { FieldSpec, OperationContext, ProviderSpec } from '../shared/spec';

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
 * Deal → Get Many: GET /projects, pages `page` = 1 … `last_page`. The page size is the server's
 * (not documented, not settable), so Limit is honoured from the size of the first page.
 * Quirk 3: `last_page` is commented "current page" and `total` "total pages" in the docs; we read
 * `last_page` as the number of the last page (the Laravel meaning) and also stop at an empty page.
 */
async function getManyDeals(ctx: OperationContext): Promise<IDataObject[]> {
	const returnAll = ctx.fn.getNodeParameter('returnAll', ctx.itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (ctx.fn.getNodeParameter('limit', ctx.itemIndex, 50) as number);
	const page = async (n: number) => {
		const request = { ...ctx.request, qs: { ...ctx.request.qs, page: n } };
		const body = await ctx.send(request);
		// A page without data.projects (empty body, a bare value, another object) is an error: read
		// as an empty page it would end Return All early and silently drop the deals after it.
		const data = body && typeof body === 'object' ? (body as IDataObject).data : undefined;
		if (!Array.isArray(data) && !Array.isArray((data as IDataObject | undefined)?.projects)) {
			throw apiError(ctx.fn, ctx.provider, { request, itemIndex: ctx.itemIndex, status: 200, words: 'the response has no list of deals (data.projects)', delivery: 'unknown' });
		}
		const lastPage = Number((body as IDataObject | undefined)?.last_page);
		return { items: dealsOf(body), lastPage: Number.isFinite(lastPage) && lastPage >= 1 ? Math.floor(lastPage) : undefined };
	};
	const first = await page(1);
	const out = [...first.items];
	const enough = () => limit !== undefined && out.length >= limit;
	if (enough() || first.items.length === 0) return out.slice(0, limit);
	if (first.lastPage !== undefined) {
		let last = first.lastPage;
		if (limit !== undefined) last = Math.min(last, Math.ceil(limit / first.items.length));
		const pages: number[] = [];
		for (let n = 2; n <= last; n++) pages.push(n);
		const results = await mapConcurrent(pages, 4, async (n) => await page(n));
		for (const result of results) out.push(...result.items);
		return limit === undefined ? out : out.slice(0, limit);
	}
	// No last_page in the answer: walk until an empty page.
	for (let n = 2; !enough(); n++) {
		const next = await page(n);
		if (next.items.length === 0) break;
		out.push(...next.items);
	}
	return limit === undefined ? out : out.slice(0, limit);
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
					pagination: { pageParam: 'page', maxPageSize: 15 },
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
