import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** The token of a login answer: `token` as documented, or a few shapes a Laravel API may use. */
export function tokenOfLogin(body: unknown): string | undefined {
	let parsed = body;
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return undefined;
		}
	}
	if (!parsed || typeof parsed !== 'object') return undefined;
	const obj = parsed as IDataObject;
	const data = (obj.data && typeof obj.data === 'object' ? obj.data : {}) as IDataObject;
	for (const candidate of [obj.token, obj.access_token, data.token, data.access_token]) {
		if (typeof candidate === 'string' && candidate.trim() !== '') return candidate.trim();
	}
	return undefined;
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
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['login'] } },
			description: 'Password of your Neiros account',
		},
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authMethod: ['token'] } },
			description: 'A Neiros API token as issued by the login, e.g. 323|RvUxhGGOpHatTfGvoIuTSXV9AmF6CqX3GMhpc5EH (sent as is, with the "|")',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://neiros.cloud',
			required: true,
			description: 'Address of the Neiros service, without a path',
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/**
	 * Log in (e-mail + password) and keep the token. n8n runs this when the token is empty and
	 * again once after a 401. With a ready API token nothing is fetched: the token is used as is.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.authMethod === 'token') return {};
		const baseUrl = String(credentials.baseUrl ?? 'https://neiros.cloud').trim().replace(/\/+$/, '');
		let body: unknown;
		try {
			body = await this.helpers.httpRequest({
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
			const message = status
				? `Neiros login failed (HTTP ${status})${words ? `: ${words}` : ''} — check the e-mail and password of the credential`
				: `Neiros login failed: could not reach ${baseUrl}`;
			throw Object.assign(new Error(message), {
				httpCode: status ? String(status) : (e.code ?? 'ECONNREFUSED'),
				response: { data: { message } },
			});
		}
		const token = tokenOfLogin(body);
		if (!token) throw new Error('Neiros login failed: the answer of /api/userapi/v1/auth/login has no token');
		return { sessionToken: token };
	}

	/** The token is sent verbatim, "|" included (never split or URL-encoded). */
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{"Bearer " + ($credentials.authMethod === "token" ? String($credentials.apiToken).trim() : $credentials.sessionToken)}}',
			},
		},
	};

	/** n8n logs in first when the credential uses e-mail and password (preAuthentication), then lists the sites. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl).trim().replace(/\\/+$/, "")}}',
			url: '/api/userapi/v1/sites',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Neiros refused the token (HTTP 401)' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Neiros refused to list the sites with this token (HTTP 403)' } },
			{ type: 'responseCode', properties: { value: 404, message: 'No Neiros API at the Base URL (HTTP 404 for GET /api/userapi/v1/sites)' } },
		],
	};
}
