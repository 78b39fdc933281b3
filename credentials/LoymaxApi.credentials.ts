import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { tokenFromResponse, withoutSecret } from '../nodes/Loymax/token';

/** Words of a failed login, without the password (it travels in the URL, as documented). */
function loginFailure(error: unknown, password: string): { message: string; status?: number } {
	const e = (error ?? {}) as {
		httpCode?: string;
		statusCode?: number;
		response?: { status?: number; data?: unknown; body?: unknown };
		cause?: { response?: { status?: number; data?: unknown } };
		code?: string;
	};
	const status = e.response?.status ?? e.cause?.response?.status ?? e.statusCode ?? (/^\d{3}$/.test(e.httpCode ?? '') ? Number(e.httpCode) : undefined);
	const data = e.response?.data ?? e.response?.body ?? e.cause?.response?.data;
	let words = '';
	if (data && typeof data === 'object') {
		const d = data as { errors?: Array<{ detail?: string; title?: string }>; message?: string; error?: string; detail?: string };
		words = d.errors?.map((x) => x.detail ?? x.title ?? '').filter(Boolean).join('; ') || d.message || d.detail || d.error || '';
	} else if (typeof data === 'string' && !/^\s*</.test(data)) {
		words = data.trim().slice(0, 200);
	}
	const reason = status
		? `Loymax refused the login (HTTP ${status}${words ? `: ${words}` : ''})${status === 401 || status === 403 ? ' — check the username and password' : ''}`
		: `Could not reach Loymax to log in (${e.code ?? 'connection failed'}) — check the Base URL`;
	return { message: withoutSecret(reason, password), status };
}

/**
 * The error of a failed login. A refused login (or an answer without a token) carries an HTTP
 * status in `httpCode`, so the node reports it at once instead of retrying it like a lost
 * connection; its words travel as the error body. No `response.status`: n8n would log in again.
 */
function loginError(message: string, status: number | undefined): Error {
	const error = new Error(message) as Error & { httpCode?: string; response?: { data: { message: string } } };
	if (status !== undefined) {
		error.httpCode = String(status);
		error.response = { data: { message } };
	}
	return error;
}

export class LoymaxApi implements ICredentialType {
	name = 'loymaxApi';

	displayName = 'Loymax API';

	icon: Icon = { light: 'file:../icons/loymax.svg', dark: 'file:../icons/loymax.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#loymax';

	properties: INodeProperties[] = [
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			description: 'Login of a Loymax user with the API role',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Password of that user',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.loymaxsc.net',
			required: true,
			description: 'Address of the Loymax API, without a path',
		},
		{
			// Read by nodes/shared/pacing.ts (budgetOf) where the account's limiter is created.
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 1000,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description:
				'Budget of ONE n8n process for this account (documented: 1000 requests per minute). Loymax reports no remaining budget, so each process keeps only its own count: in queue mode divide the limit between the workers and the main (e.g. 2 workers + main → 333). A 429 pauses this process for the documented minute (plus a random part, so workers do not resume together) and is retried.',
		},
		{
			// Filled by preAuthentication (POST /token) on first use and again after a 401.
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Log in: POST /token with `username` and `password` as query parameters, as the docs say
	 * (seeds/loymax.txt, "Получить токен"). n8n calls this when the token is empty and again after
	 * a 401 (the token lives one hour), then retries the request once.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl ?? 'https://api.loymaxsc.net').trim().replace(/\/+$/, '');
		const password = String(credentials.password ?? '');
		let body: unknown;
		try {
			body = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/token`,
				qs: { username: String(credentials.username ?? ''), password },
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				// An empty JSON object: the header is documented as required, and without a body the
				// HTTP client drops it.
				body: {},
				json: true,
				timeout: 30000,
			});
		} catch (error) {
			const failed = loginFailure(error, password);
			throw loginError(failed.message, failed.status);
		}
		const sessionToken = tokenFromResponse(body);
		if (!sessionToken) {
			// Reported as a refused login (401): a login that gives no token authenticates nothing.
			throw loginError(
				'Loymax answered the login (POST /token) without a token: expected "token", "access_token", "data.token", "data.attributes.token" or the token as the whole body',
				401,
			);
		}
		return { sessionToken };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.sessionToken}}',
			},
		},
	};

	/**
	 * n8n logs in first (preAuthentication: a refused login fails the Test), then this cheap
	 * authenticated read (one customer), which also checks the API role.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl).trim().replace(/\\/+$/, "")}}',
			url: '/customer',
			method: 'GET',
			qs: { 'page[number]': 1, 'page[size]': 1 },
			headers: { Accept: 'application/json' },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Loymax refused the session token of this login (HTTP 401)' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Logged in, but the user lacks the API role Loymax requires (HTTP 403)' } },
			{ type: 'responseCode', properties: { value: 404, message: 'Logged in, but there is no Loymax customer API at the Base URL (HTTP 404 for GET /customer)' } },
		],
	};
}
