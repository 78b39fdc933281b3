import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
} from 'n8n-workflow';

import { listSearch } from '../shared/listSearch';
import { loymax, loymaxSimplify, PAGINATION } from './spec';

import { redact } from '../shared/secrets';
import { tokenFromResponse } from './token';

function statusOf(error: unknown): number {
	const e = (error ?? {}) as { statusCode?: number; response?: { status?: number; statusCode?: number } };
	return Number(e.statusCode ?? e.response?.statusCode ?? e.response?.status ?? 0);
}

/**
 * Credential test: log in (POST /token, username and password in the query as documented), then
 * a cheap authenticated read (GET /customer, one record), which also checks the API role.
 * A node-based test because the credential's own `test` request cannot show which of the two
 * steps failed, and our harness runs node-based tests in n8n-core's real CredentialTestContext.
 */
export async function testLoymaxCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = String(data.baseUrl ?? 'https://api.loymaxsc.net').trim().replace(/\/+$/, '');
	const password = String(data.password ?? '');
	if (!/^https?:\/\/[^/]+/i.test(baseUrl)) {
		return { status: 'Error', message: 'The Base URL must be an http(s) URL such as https://api.loymaxsc.net' };
	}
	let body: unknown;
	try {
		// ICredentialTestFunctions offers only `request` (no httpRequest) in n8n 1.x and 2.x.
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		body = await this.helpers.request({
			method: 'POST',
			uri: `${baseUrl}/token`,
			qs: { username: String(data.username ?? ''), password },
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: {},
			json: true,
			timeout: 20000,
			// A redirect is never followed with the credential (another host could receive it).
			followRedirect: false,
			followAllRedirects: false,
		});
	} catch (error) {
		const status = statusOf(error);
		if (status === 401 || status === 403 || status === 400) {
			return { status: 'Error', message: `Loymax refused the login (HTTP ${status}): check the username and password` };
		}
		return {
			status: 'Error',
			message: redact(status ? `Loymax answered the login with HTTP ${status}` : 'Could not reach Loymax at the Base URL', [password]),
		};
	}
	const token = tokenFromResponse(body);
	if (!token) return { status: 'Error', message: 'Loymax answered the login (POST /token) without a token' };
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		await this.helpers.request({
			method: 'GET',
			uri: `${baseUrl}/customer`,
			qs: { 'page[number]': 1, 'page[size]': 1 },
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
			json: true,
			timeout: 20000,
			// A redirect is never followed with the credential (another host could receive it).
			followRedirect: false,
			followAllRedirects: false,
		});
	} catch (error) {
		const status = statusOf(error);
		if (status === 403) {
			return { status: 'Error', message: 'Logged in, but the user lacks the API role Loymax requires (HTTP 403)' };
		}
		return { status: 'Error', message: status ? `Logged in, but reading customers failed with HTTP ${status}` : 'Logged in, but the read failed' };
	}
	return { status: 'OK', message: 'Logged in and read customers' };
}

/** One dropdown entry: the record's name (or code / title) and its Platform id. */
function entry(record: IDataObject) {
	const flat = loymaxSimplify(record);
	const label = flat.name ?? flat.title ?? flat.code ?? flat.local_id ?? flat.id;
	return { name: `${String(label)} (${String(flat.id)})`, value: String(flat.id) };
}

/** A Loymax list as a searchable dropdown (the API documents no search filter: filtered here). */
function lister(path: string) {
	return async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
		return await listSearch(this, loymax, { request: { method: 'GET', path }, pagination: PAGINATION, toItem: entry }, filter, paginationToken);
	};
}

export const listSearchMethods = {
	searchDictionaries: lister('/dictionary'),
	searchPromoCodeGroups: lister('/promocode-group'),
	searchEmailCampaigns: lister('/communication/email/'),
	searchSmsCampaigns: lister('/communication/sms/'),
	searchPushCampaigns: lister('/communication/push/'),
};
