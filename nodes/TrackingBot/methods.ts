import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { apiKeyProblem, BOT, botIdOf, normaliseBaseUrl, PAGES, trackingBot, withBot } from './spec';

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

/** Credential test: the key's form, then GET /api/v1/bots/{bot_id} (the cheapest documented read). */
export async function trackingBotApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const raw = String(data.baseUrl ?? '').trim();
	if (!/^https?:\/\/[^/]+/i.test(raw)) {
		return { status: 'Error', message: 'The Base URL must be an http(s) URL such as https://your-api-domain.com/api/v1' };
	}
	const problem = apiKeyProblem(data.apiKey);
	if (problem) return { status: 'Error', message: `The API Key ${problem}` };
	const botId = botIdOf(data.botId);
	if (botId === undefined) return { status: 'Error', message: 'The Bot ID must be a positive whole number, e.g. 123' };
	try {
		// ICredentialTestFunctions offers only `request` (no httpRequest) in n8n 1.x and 2.x.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		await this.helpers.request({
			method: 'GET',
			uri: `${normaliseBaseUrl(raw)}/api/v1/bots/${botId}`,
			headers: { 'X-API-Key': String(data.apiKey).trim(), Accept: 'application/json' },
			json: true,
			timeout: 20000,
			// A redirect is never followed with the credential (another host could receive it).
			followRedirect: false,
			followAllRedirects: false,
		});
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		const status = Number((error as { statusCode?: number }).statusCode ?? 0);
		if (status === 401) return { status: 'Error', message: 'Tracking Bot refused the API key (HTTP 401)' };
		if (status === 403 || status === 404) {
			return { status: 'Error', message: `The API key has no access to bot ${botId} (HTTP ${status}): check the Bot ID` };
		}
		return { status: 'Error', message: status ? `Tracking Bot answered HTTP ${status}` : 'Could not reach Tracking Bot at the Base URL' };
	}
}
