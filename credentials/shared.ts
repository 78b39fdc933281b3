import { createHash } from 'crypto';
import type { IAuthenticateGeneric, IAuthenticateRuleResponseCode, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';

/*
 * Pieces the five credentials share: the secret, Base URL, Requests per Minute and Session Token
 * properties, the Bearer header, and the Test request that never follows a redirect.
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

export function sessionOwnerOf(...loginFields: unknown[]): string {
	return createHash('sha256')
		.update(loginFields.map((v) => String(v ?? '')).join('\n'))
		.digest('hex');
}

/** The n8n expression of the same hash (n8n's string extension `hash`, SHA-256 hex of the UTF-8 text). */
function ownerExpression(loginFields: string[]): string {
	return `(${loginFields.map((f) => `String($credentials.${f} ?? "")`).join(' + "\\n" + ')}).hash("sha256")`;
}

/** The session token, only while it belongs to the login fields typed now (sessionOwnerOf). */
export function ownedToken(loginFields: string[]): string {
	return `($credentials.sessionOwner === ${ownerExpression(loginFields)} ? $credentials.sessionToken : "")`;
}

/** `Authorization: Bearer <session token>`, the token sent only while it belongs to the login fields typed now. */
export function ownedBearer(loginFields: string[]): IAuthenticateGeneric {
	return { type: 'generic', properties: { headers: { Authorization: `={{"Bearer " + ${ownedToken(loginFields)}}}` } } };
}

/** `Authorization: Bearer <value of the credential field>`. */
export function bearerHeader(field: string): IAuthenticateGeneric {
	return { type: 'generic', properties: { headers: { Authorization: `=Bearer {{$credentials.${field}}}` } } };
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
