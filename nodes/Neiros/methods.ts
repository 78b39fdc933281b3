import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeListSearchResult,
} from 'n8n-workflow';

import { tokenOfLogin } from '../../credentials/NeirosApi.credentials';
import { listSearch } from '../shared/listSearch';
import { dealsOf, neiros } from './spec';

/** Site dropdown: GET /sites (one unpaged list), filtered here by name or ID. */
export async function searchSites(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await listSearch(
		this,
		neiros,
		{
			request: { method: 'GET', path: '/api/userapi/v1/sites' },
			items: dealsOf,
			toItem: (site: IDataObject) => ({ name: `${String(site.name ?? site.id)} (${String(site.id)})`, value: String(site.id) }),
		},
		filter,
	);
}

/** Credential test: log in (with e-mail and password) or take the token, then GET /sites. */
export async function neirosApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = String(data.baseUrl ?? 'https://neiros.cloud').trim().replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]+/i.test(baseUrl)) {
		return { status: 'Error', message: 'The Base URL must be an http(s) URL such as https://neiros.cloud' };
	}
	const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
	let token = String(data.apiToken ?? '').trim();
	let step = 'reach Neiros';
	try {
		if (data.authMethod !== 'token') {
			step = 'log in';
			// ICredentialTestFunctions offers only `request` (no httpRequest) in n8n 1.x and 2.x.
			// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
			const body = await this.helpers.request({
				method: 'POST',
				uri: `${baseUrl}/api/userapi/v1/auth/login`,
				headers,
				body: { email: data.email, password: data.password },
				json: true,
				timeout: 20000,
			});
			const issued = tokenOfLogin(body);
			if (!issued) return { status: 'Error', message: 'Neiros answered the login without a token' };
			token = issued;
		}
		step = 'list the sites';
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		await this.helpers.request({
			method: 'GET',
			uri: `${baseUrl}/api/userapi/v1/sites`,
			headers: { ...headers, Authorization: `Bearer ${token}` },
			json: true,
			timeout: 20000,
		});
		return { status: 'OK', message: 'Connection successful' };
	} catch (error) {
		const status = Number((error as { statusCode?: number }).statusCode ?? 0);
		if (status === 401 || status === 422 || status === 403) {
			return {
				status: 'Error',
				message:
					step === 'log in'
						? `Neiros refused the e-mail and password (HTTP ${status})`
						: `Neiros refused the token (HTTP ${status})`,
			};
		}
		return { status: 'Error', message: status ? `Neiros answered HTTP ${status} when trying to ${step}` : 'Could not reach Neiros at the Base URL' };
	}
}
