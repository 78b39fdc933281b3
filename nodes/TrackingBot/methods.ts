import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { BOT, PAGES, trackingBot, withBot } from './spec';

function clientName(client: IDataObject): string {
	const name = client.name ?? client.full_name ?? client.username ?? client.first_name;
	const code = client.client_code ?? client.code;
	if (name && code) return `${String(name)} (${String(code)})`;
	return String(name ?? code ?? client.id);
}

async function searchClientList(
	fn: ILoadOptionsFunctions,
	toItem: (client: IDataObject) => INodeListSearchItems,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const path = await withBot(fn, `/api/v1/clients/${BOT}`);
	// The client list has no documented search: filtered here, page by page.
	return await listSearch(fn, trackingBot, { request: { method: 'GET', path }, pagination: PAGES, toItem }, filter, paginationToken);
}

/** Client dropdown by numeric ID. */
export async function searchClients(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchClientList(this, (c) => ({ name: clientName(c), value: String(c.id) }), filter, paginationToken);
}

/** Client dropdown by client code (the code tracking numbers carry). */
export async function searchClientCodes(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	return await searchClientList(this, (c) => ({ name: clientName(c), value: String(c.client_code ?? c.code ?? '') }), filter, paginationToken);
}
