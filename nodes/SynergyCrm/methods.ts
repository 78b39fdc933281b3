import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { listItemsOf } from '../shared/execute';
import { send } from '../shared/transport';
import { listSearch } from '../shared/listSearch';
import { API, CUSTOMS_TYPES, customsOf, filterKey, LABELS, PAGINATION, SEARCH_TYPES, searchMethodOf, synergyCrm } from './spec';

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

/** How many records of the type are read for their custom field keys (the newest page of this size). */
export const CUSTOM_KEYS_SAMPLE = 100;

/**
 * The custom field keys (custom-<n>) seen on the account's newest records (up to 100) of the node's
 * resource type, each with the newest non-empty value as an example. Records come in id order, the
 * newest last: `GET /{type}?page[number]=1&page[size]=100` gives the page count, then the last page
 * (and the one before it when the last is short) — at most three requests. The key can also be typed.
 */
async function searchCustomFieldKeys(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const resource = String(this.getCurrentNodeParameter('resource') ?? this.getNodeParameter('resource', '') ?? '');
	const type = Object.keys(LABELS).find((t) => LABELS[t].value === resource);
	if (!type || !CUSTOMS_TYPES.includes(type)) return { results: [] };
	const read = async (page: number) =>
		(await send(this, synergyCrm, { method: 'GET', path: `${API}/${type}`, qs: { [PAGINATION.pageParam]: page, [PAGINATION.sizeParam!]: CUSTOM_KEYS_SAMPLE }, headers: {} })).body;
	const firstBody = await read(1);
	const pages = PAGINATION.pageCount!(firstBody, CUSTOM_KEYS_SAMPLE) ?? 1;
	let records = listItemsOf(firstBody);
	if (pages > 1) {
		const last = listItemsOf(await read(pages));
		const before = last.length < CUSTOM_KEYS_SAMPLE && pages > 2 ? listItemsOf(await read(pages - 1)) : pages === 2 ? records : [];
		records = [...before, ...last];
	}
	records = records.slice(-CUSTOM_KEYS_SAMPLE);
	// Newest first: the example value is the most recent non-empty one.
	const seen = new Map<string, string>();
	for (const record of records.reverse()) {
		for (const [key, value] of Object.entries(customsOf(record).value)) {
			const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
			if (!seen.has(key) || (!seen.get(key) && text)) seen.set(key, text);
		}
	}
	const number = (key: string) => Number(/(\d+)$/.exec(key)?.[1] ?? Number.MAX_SAFE_INTEGER);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = [...seen.entries()]
		.sort(([a], [b]) => number(a) - number(b) || a.localeCompare(b))
		.map(([key, example]) => ({ name: example ? `${key} (e.g. ${example.length > 40 ? `${example.slice(0, 40)}…` : example})` : `${key} (empty on recent records)`, value: key }))
		.filter((r) => !needle || r.name.toLowerCase().includes(needle));
	return { results };
}

const methods: Record<string, SearchFn> = { searchContractParties, searchCustomFieldKeys };
for (const type of SEARCH_TYPES) {
	methods[searchMethodOf(type)] = async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchType(this, type, filter, paginationToken);
	};
}

export const listSearchMethods = methods;
