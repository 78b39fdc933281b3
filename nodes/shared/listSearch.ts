import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listItemsOf } from './execute';
import { pageCountFrom } from './pagination';
import type { PaginationSpec, ProviderSpec, RequestSpec } from './spec';
import { send } from './transport';

export interface ListSearchOptions {
	/** The list request (path, filters). Page parameters are added from `pagination`. */
	request: Omit<RequestSpec, 'headers' | 'qs'> & { qs?: IDataObject; headers?: Record<string, string> };
	/** Paging of the list; without it, one request returns everything. */
	pagination?: PaginationSpec;
	/** Page size for the dropdown (default: the API's maximum). */
	pageSize?: number;
	/** Query parameter(s) for a server-side search of `filter` (when the API filters). */
	searchQuery?: (filter: string) => IDataObject;
	/** Items of a response (default: the provider's list reader). */
	items?: (body: unknown) => IDataObject[];
	/** One dropdown entry of a record. */
	toItem: (record: IDataObject) => INodeListSearchItems;
}

/**
 * A resource locator's "From List": one page per call (n8n asks for the next page with the
 * returned paginationToken as the user scrolls), searched on the server when the API filters,
 * else filtered here by name.
 */
export async function listSearch(
	fn: ILoadOptionsFunctions,
	provider: ProviderSpec,
	options: ListSearchOptions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = paginationToken ? Number(paginationToken) : (options.pagination?.firstPage ?? 1);
	const qs: IDataObject = { ...(options.request.qs ?? {}) };
	const serverSide = !!(filter && options.searchQuery);
	if (serverSide) Object.assign(qs, options.searchQuery!(filter!));
	const size = Math.min(options.pageSize ?? options.pagination?.maxPageSize ?? 100, options.pagination?.maxPageSize ?? Infinity);
	if (options.pagination) {
		qs[options.pagination.pageParam] = page;
		if (options.pagination.sizeParam) qs[options.pagination.sizeParam] = size;
	}
	const { body } = await send(fn, provider, { ...options.request, qs, headers: options.request.headers ?? {} });
	const records = (options.items ?? provider.listItems ?? listItemsOf)(body);
	let results = records.map((r) => options.toItem(r));
	if (filter && !serverSide) {
		const needle = filter.toLowerCase();
		results = results.filter((r) => r.name.toLowerCase().includes(needle) || String(r.value).toLowerCase().includes(needle));
	}
	let next: string | undefined;
	if (options.pagination) {
		const count = (options.pagination.pageCount ?? pageCountFrom)(body, size);
		const more = count !== undefined ? page < (options.pagination.firstPage ?? 1) + count - 1 : records.length >= size;
		if (more && records.length > 0) next = String(page + 1);
	}
	return { results, paginationToken: next };
}
