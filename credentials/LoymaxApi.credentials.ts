import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { loginOnce, postLogin, rememberSecret, safeText, tokenOf } from './login';
import {
	baseUrlProperty,
	ownedBearer,
	failOnStatus,
	requestsPerMinuteProperty,
	secretProperty,
	sessionOwnerOf,
	sessionOwnerProperty,
	sessionTokenProperty,
	testBaseUrl,
	testRequest,
} from './shared';

/** Words of a failed login, with every secret redacted (the password travels in the URL, as documented). */
function loginFailure(error: unknown): { message: string; status?: number } {
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
	const hint = status === 401 || status === 403 ? ' — check the username and password' : '';
	const reason = status
		? `Loymax refused the login (HTTP ${status}${words ? `: ${words}` : ''})${hint}`
		: `Could not reach Loymax to log in (${e.code ?? 'connection failed'}) — check the Base URL`;
	return { message: safeText(reason, status ? `Loymax refused the login (HTTP ${status})${hint}` : 'Could not reach Loymax to log in — check the Base URL'), status };
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
		secretProperty('Password', 'password', 'Password of that user'),
		baseUrlProperty('https://api.loymaxsc.net', 'Address of the Loymax API, without a path'),
		{
			// The docs ("Постраничная навигация") name a page number and a page size but the parameter names were lost:
			// JSON:API's page[number]/page[size] is the default (the API says it follows JSON:API).
			displayName: 'Paging Style',
			name: 'pagingStyle',
			type: 'options',
			options: [
				{ name: 'JSON:API (page[number], page[size])', value: 'jsonapi' },
				{ name: 'Page and Per Page (page, per_page)', value: 'pagePerPage' },
				{ name: 'Offset and Limit (offset, limit)', value: 'offsetLimit' },
			],
			default: 'jsonapi',
			description:
				'Query parameters Loymax lists are paged with. The names were lost from the vendor docs; JSON:API is the guess. When lists fail with "the server seems to ignore page[number]", try another style.',
		},
		requestsPerMinuteProperty(
			1000,
			'Budget of ONE n8n process for this account (documented: 1000 requests per minute). Loymax reports no remaining budget, so each process keeps only its own count: in queue mode divide the limit between the workers and the main (e.g. 2 workers + main → 333). A 429 pauses this process for the documented minute (plus a random part, so workers do not resume together) and is retried.',
		),
		// Filled by preAuthentication (POST /token) on first use and again after a 401.
		sessionTokenProperty(),
		sessionOwnerProperty(),
	];

	/**
	 * Log in: POST /token with `username` and `password` as query parameters, as the docs say
	 * (seeds/loymax.txt, "Получить токен"). n8n calls this when the token is empty and again after
	 * a 401 (the token lives one hour), then retries the request once.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl ?? 'https://api.loymaxsc.net').trim().replace(/\/+$/, '');
		const username = String(credentials.username ?? '');
		const password = String(credentials.password ?? '');
		rememberSecret(password, credentials.sessionToken);
		// One login at a time per process and account (credentials/login.ts).
		// The account includes the password's hash: a token obtained with another password is never handed over.
		const sessionOwner = sessionOwnerOf(credentials.username, credentials.password);
		const sessionToken = await loginOnce(`loymax ${baseUrl} ${username} ${sessionOwner}`, credentials.sessionToken, async () => {
			let body: unknown;
			try {
				body = await postLogin(this, {
					method: 'POST',
					url: `${baseUrl}/token`,
					qs: { username, password },
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					// An empty JSON object: the header is documented as required, and without a body the
					// HTTP client drops it.
					body: {},
					json: true,
				});
			} catch (error) {
				const failed = loginFailure(error);
				throw loginError(failed.message, failed.status);
			}
			const token = tokenOf(body, true);
			if (!token) {
				// Reported as a refused login (401): a login that gives no token authenticates nothing.
				throw loginError(
					'Loymax answered the login (POST /token) without a token: expected "token", "access_token", "data.token", "data.attributes.token" or the token as the whole body',
					401,
				);
			}
			return token;
		});
		return { sessionToken, sessionOwner };
	}

	authenticate: IAuthenticate = ownedBearer(['username', 'password']);

	/**
	 * n8n logs in first (preAuthentication: a refused login fails the Test), then this cheap
	 * authenticated read (one customer), which also checks the API role.
	 */
	test: ICredentialTestRequest = {
		request: testRequest(testBaseUrl(), {
			url: '/customer',
			method: 'GET',
			qs: { 'page[number]': 1, 'page[size]': 1 },
			headers: { Accept: 'application/json' },
		}),
		rules: failOnStatus([
			[401, 'Loymax refused the session token of this login (HTTP 401)'],
			[403, 'Logged in, but the user lacks the API role Loymax requires (HTTP 403)'],
			[404, 'Logged in, but there is no Loymax customer API at the Base URL (HTTP 404 for GET /customer)'],
		]),
	};
}
