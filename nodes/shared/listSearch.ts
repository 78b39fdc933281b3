import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { listItemsOf } from './execute';
import { listPage, pagingFor } from './pagination';
import type { PaginationSpec, ProviderSpec, RequestSpec } from './spec';
import { credentialOf, send } from './transport';

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
 * else filtered here by name. Whether there is a next page, and the guards against a server that
 * repeats a page or answers more than asked, are the page walker's (`listPage`).
 */
export async function listSearch(
	fn: ILoadOptionsFunctions,
	provider: ProviderSpec,
	options: ListSearchOptions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs: IDataObject = { ...(options.request.qs ?? {}) };
	const serverSide = !!(filter && options.searchQuery);
	if (serverSide) Object.assign(qs, options.searchQuery!(filter!));
	const credential = await credentialOf(fn, provider);
	const readItems = options.items ?? provider.listItems ?? listItemsOf;
	const fetch = async (pageQs: IDataObject) => {
		const { body } = await send(fn, provider, { ...options.request, qs: pageQs, headers: options.request.headers ?? {} }, { credential });
		return { items: readItems(body), body };
	};
	let records: IDataObject[];
	let next: string | undefined;
	if (options.pagination) {
		const paging = pagingFor(options.pagination, credential.data);
		const page = await listPage({
			provider: provider.displayName,
			paging,
			fetch,
			qs,
			pageSize: Math.min(options.pageSize ?? paging.maxPageSize, paging.maxPageSize),
			token: paginationToken,
			listKey: `${credential.limiterKey}|${options.request.path}`,
			fail: (message, description) => new NodeOperationError(fn.getNode(), message, { description }),
		});
		records = page.items;
		next = page.next;
	} else {
		records = (await fetch(qs)).items;
	}
	let results = records.map((r) => options.toItem(r));
	if (filter && !serverSide) {
		const needle = filter.toLowerCase();
		results = results.filter((r) => r.name.toLowerCase().includes(needle) || String(r.value).toLowerCase().includes(needle));
	}
	return { results, paginationToken: next };
}
