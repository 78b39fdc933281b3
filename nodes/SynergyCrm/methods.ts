import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { API, filterKey, PAGINATION, SEARCH_TYPES, searchMethodOf, synergyCrm } from './spec';

type SearchFn = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** A readable name of any record: name, full name, number, e-mail — else the type and id. */
export function recordName(record: IDataObject): string {
	const a = (record.attributes ?? {}) as IDataObject;
	const full = [a['last-name'], a['first-name'], a['middle-name']].filter((v) => typeof v === 'string' && v).join(' ');
	const name = (typeof a.name === 'string' && a.name) || full || (typeof a.email === 'string' && a.email) || '';
	const number = a.number !== undefined && a.number !== null ? `№ ${String(a.number)}` : '';
	return [name, number].filter(Boolean).join(' ') || `${String(record.type)} ${String(record.id)}`;
}

const toItem = (record: IDataObject): INodeListSearchItems => ({ name: recordName(record), value: String(record.id) });

/**
 * Server-side search where the API has a matching filter (contacts: e-mail, any phone, last name;
 * companies: INN, e-mail, any phone); the other lists are read page by page and filtered by name here.
 */
export function searchQueryFor(type: string, filter: string): IDataObject | undefined {
	const text = filter.trim();
	if (!text) return undefined;
	const phone = /^\+?[\d\s()-]{5,}$/.test(text);
	if (type === 'contacts') {
		if (text.includes('@')) return { [filterKey('email')]: text };
		if (phone) return { [filterKey('any-phone')]: text.replace(/[\s()-]/g, '') };
		return { [filterKey('last-name')]: text };
	}
	if (type === 'companies') {
		if (/^\d{10}(\d{2})?$/.test(text)) return { [filterKey('inn')]: text };
		if (text.includes('@')) return { [filterKey('email')]: text };
		if (phone) return { [filterKey('any-phone')]: text.replace(/[\s()-]/g, '') };
	}
	return undefined;
}

async function searchType(fn: ILoadOptionsFunctions, type: string, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const query = filter ? searchQueryFor(type, filter) : undefined;
	return await listSearch(
		fn,
		synergyCrm,
		{
			request: { method: 'GET', path: `${API}/${type}` },
			pagination: PAGINATION,
			searchQuery: query ? () => query : undefined,
			toItem,
		},
		filter,
		paginationToken,
	);
}

/** Contract parties are companies or contacts: companies first, then contacts, values `type:id`. */
async function searchContractParties(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const [type, page] = paginationToken ? paginationToken.split(':') : ['companies', undefined];
	const result = await searchType(this, type, filter, page);
	const label = type === 'companies' ? 'Company' : 'Contact';
	const results = result.results.map((r) => ({ ...r, name: `${label}: ${r.name}`, value: `${type}:${String(r.value)}` }));
	let next: string | undefined;
	if (result.paginationToken) next = `${type}:${result.paginationToken}`;
	else if (type === 'companies') next = 'contacts:1';
	return { results, paginationToken: next };
}

const methods: Record<string, SearchFn> = { searchContractParties };
for (const type of SEARCH_TYPES) {
	methods[searchMethodOf(type)] = async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchType(this, type, filter, paginationToken);
	};
}

export const listSearchMethods = methods;
