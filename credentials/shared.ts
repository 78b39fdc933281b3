import { createHash } from 'crypto';
import type {
	IAuthenticateRuleResponseCode,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/*
 * Pieces the five credentials share: the secret, Base URL, Requests per Minute and Session Token
 * properties, the Bearer header, and the Test request that never follows a redirect.
 *
 * `authenticate` is a function, never a generic block of `={{…}}` expressions: n8n's
 * CredentialsHelper.authenticate (1.x and 2.x) calls a function directly, while a generic block
 * sends every value through the expression engine on every request (≈ 0.5 ms of CPU each, issue 18).
 * Each function sets the header exactly as the expression it replaces rendered it
 * (test/credentialHeaders.test.ts compares them through n8n's own expression engine).
 */

/** A secret the user types (token, key, password): always masked (typeOptions.password), always required. */
export function secretProperty(displayName: string, name: string, description: string, extra: Partial<INodeProperties> = {}): INodeProperties {
	return { displayName, name, type: 'string', typeOptions: { password: true }, default: '', required: true, ...extra, description };
}

/** Address of the service, without a path (the nodes check it and drop trailing slashes). */
export function baseUrlProperty(defaultUrl: string, description: string, placeholder?: string): INodeProperties {
	return { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: defaultUrl, required: true, ...(placeholder ? { placeholder } : {}), description };
}

/** Budget of one n8n process for the account; read by nodes/shared/pacing.ts (budgetOf) where the account's limiter is created. */
export function requestsPerMinuteProperty(perMinute: number, description: string): INodeProperties {
	return {
		displayName: 'Requests per Minute',
		name: 'requestsPerMinute',
		type: 'number',
		default: perMinute,
		typeOptions: { minValue: 1, numberPrecision: 0 },
		description,
	};
}

/** The token of a login, filled by the credential's preAuthentication on first use and again after a 401. */
export function sessionTokenProperty(): INodeProperties {
	return { displayName: 'Session Token', name: 'sessionToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' };
}

/**
 * Whose session token it is: the SHA-256 (hex) of the login fields, as typed, joined by a line
 * break. A stored token is sent only while the credential's login fields still give this value
 * (see ownedBearer): n8n tests a credential, and sends its requests, with the stored token as long
 * as it is not empty, so a token obtained with an earlier password would make a changed (even a
 * wrong) password look valid. With another owner, no token is sent: the 401 makes n8n log in again
 * with what is typed now.
 */
export function sessionOwnerProperty(): INodeProperties {
	return { displayName: 'Session Owner', name: 'sessionOwner', type: 'hidden', default: '' };
}

/**
 * The owner of the login fields: what preAuthentication stores with the token and what ownedToken
 * checks (one function for both, so they always agree). UTF-8 text, as n8n's `.hash("sha256")` the
 * former expression used: the same hex for every well-formed text (a lone UTF-16 surrogate, which
 * no keyboard types, was encoded differently there, so that expression never sent such a token).
 */
export function sessionOwnerOf(...loginFields: unknown[]): string {
	return createHash('sha256')
		.update(loginFields.map((v) => String(v ?? '')).join('\n'))
		.digest('hex');
}

/** The form of a credential's `authenticate` n8n calls directly, without its expression engine. */
export type AuthenticateFunction = (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/**
 * A copy of the request options with one header set (the other headers kept; nothing shared is
 * changed). As n8n's generic authenticate, the header is set under this exact name.
 */
function withHeader(requestOptions: IHttpRequestOptions, name: string, value: string): IHttpRequestOptions {
	return { ...requestOptions, headers: { ...requestOptions.headers, [name]: value } };
}

/** `authenticate` setting header `name` to `valueOf(credentials)` on every request. */
export function headerAuth(name: string, valueOf: (credentials: ICredentialDataDecryptedObject) => string): AuthenticateFunction {
	return async (credentials, requestOptions) => withHeader(requestOptions, name, valueOf(credentials));
}

/**
 * A value as n8n writes it into the text of an expression template (`=Bearer {{…}}`): undefined,
 * null, NaN and '' as nothing, anything else as its string (0 and false included).
 */
function templateText(value: unknown): string {
	return value || value === 0 || value === false ? String(value) : '';
}

/** The session token, only while it belongs to the login fields typed now (sessionOwnerOf), else ''. */
export function ownedToken(credentials: ICredentialDataDecryptedObject, loginFields: string[]): unknown {
	return credentials.sessionOwner === sessionOwnerOf(...loginFields.map((f) => credentials[f])) ? credentials.sessionToken : '';
}

/** `Authorization: Bearer <session token>`, the token sent only while it belongs to the login fields typed now. */
export function ownedBearer(loginFields: string[]): AuthenticateFunction {
	// The concatenation of the expression it replaces ("Bearer " + token), whatever the stored value.
	return headerAuth('Authorization', (credentials) => 'Bearer ' + (ownedToken(credentials, loginFields) as string));
}

/** `Authorization: Bearer <value of the credential field>`. */
export function bearerHeader(field: string): AuthenticateFunction {
	return headerAuth('Authorization', (credentials) => `Bearer ${templateText(credentials[field])}`);
}

/**
 * The Test request's baseURL: the credential's Base URL trimmed, without trailing slashes, and
 * without the documented suffix `dropSuffix` (a regular expression literal, e.g. /\/api\/v1$/) when given.
 */
export function testBaseUrl(dropSuffix?: string): string {
	return `={{String($credentials.baseUrl).trim().replace(/\\/+$/, "")${dropSuffix ? `.replace(${dropSuffix}, "")` : ''}}}`;
}

/** A credential Test request; a redirect is never followed with the credential (another host could receive it). */
export function testRequest(baseURL: string, request: Omit<ICredentialTestRequest['request'], 'baseURL'>): ICredentialTestRequest['request'] {
	return { disableFollowRedirect: true, baseURL, ...request };
}

/** Test rules that fail on these HTTP statuses, each with the words saying what it means. */
export function failOnStatus(rows: Array<[number, string]>): IAuthenticateRuleResponseCode[] {
	return rows.map(([value, message]) => ({ type: 'responseCode', properties: { value, message } }));
}
