import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { loginOnce, postLogin, rememberSecret, safeText, tokenOf } from './login';
import { baseUrlProperty, failOnStatus, headerAuth, ownedToken, secretProperty, sessionOwnerOf, sessionOwnerProperty, sessionTokenProperty, testBaseUrl, testRequest } from './shared';

/** POST auth/login: the token, or an error without the password. */
async function login(helper: IHttpRequestHelper, baseUrl: string, credentials: ICredentialDataDecryptedObject): Promise<string> {
	let body: unknown;
	try {
		body = await postLogin(helper, {
			method: 'POST',
			url: `${baseUrl}/api/userapi/v1/auth/login`,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: { email: credentials.email, password: credentials.password },
			json: true,
		});
	} catch (error) {
		// Re-thrown without a response status, so n8n does not run this login again after a failed
		// login; `httpCode` carries the status (or the network error code), `response.data` the words.
		const e = error as { response?: { status?: number; data?: IDataObject }; code?: string };
		const status = e.response?.status;
		const words = typeof e.response?.data?.message === 'string' ? e.response.data.message : undefined;
		const hint = ' — check the e-mail and password of the credential';
		// The server's words may repeat the password ("Wrong password …"): redacted.
		const message = status
			? safeText(`Neiros login failed (HTTP ${status})${words ? `: ${words}` : ''}${hint}`, `Neiros login failed (HTTP ${status})${hint}`)
			: `Neiros login failed: could not reach ${baseUrl}`;
		throw Object.assign(new Error(message), {
			httpCode: status ? String(status) : (e.code ?? 'ECONNREFUSED'),
			response: { data: { message } },
		});
	}
	const token = tokenOf(body);
	if (!token) throw new Error('Neiros login failed: the answer of /api/userapi/v1/auth/login has no token');
	return token;
}

export class NeirosApi implements ICredentialType {
	name = 'neirosApi';

	displayName = 'Neiros API';

	icon: Icon = { light: 'file:../icons/neiros.svg', dark: 'file:../icons/neiros.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#neiros';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authMethod',
			type: 'options',
			default: 'login',
			options: [
				{
					name: 'E-Mail and Password',
					value: 'login',
					description: 'Log in with POST /api/userapi/v1/auth/login; the token is kept and renewed after a 401',
				},
				{
					name: 'API Token',
					value: 'token',
					description: 'Use a token you already have (e.g. 323|RvUx…)',
				},
			],
		},
		{
			displayName: 'E-Mail',
			name: 'email',
			type: 'string',
			placeholder: 'name@email.com',
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['login'] } },
			description: 'E-mail of your Neiros account',
		},
		secretProperty('Password', 'password', 'Password of your Neiros account', { displayOptions: { show: { authMethod: ['login'] } } }),
		secretProperty(
			'API Token',
			'apiToken',
			'A Neiros API token as issued by the login, e.g. 323|RvUxhGGOpHatTfGvoIuTSXV9AmF6CqX3GMhpc5EH (sent as is, with the "|")',
			{ displayOptions: { show: { authMethod: ['token'] } } },
		),
		baseUrlProperty('https://neiros.cloud', 'Address of the Neiros service, without a path'),
		// Filled by preAuthentication (auth/login) on first use and again after a 401.
		sessionTokenProperty(),
		sessionOwnerProperty(),
	];

	/**
	 * Log in (e-mail + password) and keep the token. n8n runs this when the token is empty and
	 * again once after a 401. With a ready API token nothing is fetched: the token is used as is.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authMethod === 'token') return {};
		const baseUrl = String(credentials.baseUrl ?? 'https://neiros.cloud').trim().replace(/\/+$/, '');
		rememberSecret(credentials.password, credentials.sessionToken);
		// One login at a time per process and account (credentials/login.ts).
		// The account includes the password's hash: a token obtained with another password is never handed over.
		const sessionOwner = sessionOwnerOf(credentials.email, credentials.password);
		const token = await loginOnce(`neiros ${baseUrl} ${String(credentials.email ?? '')} ${sessionOwner}`, credentials.sessionToken, async () => await login(this, baseUrl, credentials));
		return { sessionToken: token, sessionOwner };
	}

	/** The token is sent verbatim, "|" included (never split or URL-encoded). */
	authenticate: IAuthenticate = headerAuth(
		'Authorization',
		(credentials) => 'Bearer ' + ((credentials.authMethod === 'token' ? String(credentials.apiToken).trim() : ownedToken(credentials, ['email', 'password'])) as string),
	);

	/** n8n logs in first when the credential uses e-mail and password (preAuthentication), then lists the sites. */
	test: ICredentialTestRequest = {
		request: testRequest(testBaseUrl(), {
			url: '/api/userapi/v1/sites',
			method: 'GET',
			headers: { Accept: 'application/json' },
		}),
		rules: failOnStatus([
			[401, 'Neiros refused the token (HTTP 401)'],
			[403, 'Neiros refused to list the sites with this token (HTTP 403)'],
			[404, 'No Neiros API at the Base URL (HTTP 404 for GET /api/userapi/v1/sites)'],
		]),
	};
}
