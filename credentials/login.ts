/**
 * Logging in, shared by the credentials that obtain a session token in `preAuthentication`
 * (Loymax POST /token, Neiros POST auth/login). Credentials never import from nodes/: what they
 * share with the nodes is kept process-wide under well-known `Symbol.for` keys on the `Symbol`
 * constructor (community code may not touch `globalThis`), which also works when the package is
 * split into one package per service.
 *
 * - Secrets: `Symbol[Symbol.for('n8n-nodes-rumarket.secrets')]` =
 *   `{ secrets: Map<string, number>, redact?: (text) => string }` (nodes/shared/secrets.ts owns the
 *   redactor and publishes `redact`). The password and every token obtained are added, so they are
 *   redacted from every error and output item of the run that obtained them.
 * - Logins: `Symbol[Symbol.for('n8n-nodes-rumarket.logins')]` = Map of account (Base URL +
 *   user) → the login in flight and the newest token. One login at a time per process and account:
 *   parallel items and executions wait for the login in flight; a 401 after another execution
 *   renewed the token takes that newer token instead of logging in again.
 */
import type { IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

interface SecretRegistry {
	secrets: Map<string, number>;
	redact?: (text: string) => string;
}

interface Account {
	inFlight?: Promise<string>;
	newest?: string;
	/** When `newest` was obtained (ms). */
	at?: number;
	/** Tokens obtained here, with when (the last few), to learn how long one lasts. */
	obtained: Map<string, number>;
	/** How long the last refused token had lived (ms). */
	lived?: number;
	logins: number;
}

/** A token renewed elsewhere is taken over only while this fresh (it may have expired since). */
const TAKE_OVER_MS = 10 * 60_000;

/** The runtime's AbortSignal (the package compiles without Node's or the DOM's types). */
declare const AbortSignal: { timeout(ms: number): IHttpRequestOptions['abortSignal'] };

const holder = Symbol as unknown as Record<symbol, unknown>;

/** Logins are bounded by this deadline (connect, headers and body); the node's Timeout bounds the whole request around them. */
export const LOGIN_TIMEOUT_MS = 30_000;

function secretRegistry(): SecretRegistry {
	const key = Symbol.for('n8n-nodes-rumarket.secrets');
	let found = holder[key] as SecretRegistry | undefined;
	if (!found || !(found.secrets instanceof Map)) {
		found = { secrets: new Map() };
		holder[key] = found;
	}
	return found;
}

function accounts(): Map<string, Account> {
	const key = Symbol.for('n8n-nodes-rumarket.logins');
	if (!(holder[key] instanceof Map)) holder[key] = new Map<string, Account>();
	return holder[key] as Map<string, Account>;
}

/** Add values to the process-wide list of secrets (the nodes redact every one of them). */
export function rememberSecret(...values: unknown[]): void {
	const { secrets } = secretRegistry();
	for (const value of values) if (typeof value === 'string' && value.trim().length >= 4) secrets.set(value.trim(), Date.now());
}

/** A text with every known secret redacted; `fallback` (no server words) when the redactor is not loaded. */
export function safeText(text: string, fallback: string): string {
	const redact = secretRegistry().redact;
	return redact ? redact(text) : fallback;
}

/** Options every login request carries: no redirect followed, a deadline for the whole exchange. */
export function loginRequest(options: IHttpRequestOptions): IHttpRequestOptions {
	return {
		...options,
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		timeout: LOGIN_TIMEOUT_MS,
		abortSignal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
	};
}

/**
 * Run `login` for an account unless a login is in flight (then wait for it) or another execution
 * already renewed the token this credential holds (`stale`): then that newer token is the answer.
 */
export async function loginOnce(account: string, stale: unknown, login: () => Promise<string>): Promise<string> {
	const all = accounts();
	const state = all.get(account) ?? { logins: 0, obtained: new Map<string, number>() };
	all.set(account, state);
	if (state.inFlight) return await state.inFlight;
	// A token refused (401) although another execution has renewed it since: take the newer one.
	// (An empty token is a first use: it logs in, so a credential never inherits a stale session.)
	// A refused token tells how long tokens last here (expiry or revocation): a newer one is taken
	// over only while younger than half that, so an expired one is never handed out again.
	const since = typeof stale === 'string' && stale === state.newest ? state.obtained.get(stale) : undefined;
	if (since !== undefined) state.lived = Date.now() - since;
	const window = Math.min(TAKE_OVER_MS, state.lived === undefined ? TAKE_OVER_MS : state.lived / 2);
	const fresh = state.at !== undefined && Date.now() - state.at < window;
	if (state.newest && fresh && typeof stale === 'string' && stale !== '' && state.newest !== stale) return state.newest;
	state.logins++;
	state.inFlight = login().then(
		(token) => {
			rememberSecret(token);
			state.newest = token;
			state.at = Date.now();
			state.obtained.set(token, state.at);
			if (state.obtained.size > 16) state.obtained.delete(state.obtained.keys().next().value as string);
			state.inFlight = undefined;
			return token;
		},
		(error: unknown) => {
			state.inFlight = undefined;
			throw error;
		},
	);
	return await state.inFlight;
}

/**
 * Limiter slots for a login n8n runs inside a request (the credential's preAuthentication): a login
 * is a request the account's limit counts too, so the request that makes n8n log in takes the
 * login's slots with its own. `execution` is what one execution keeps (the credential as read for
 * it), `account` what every request of the account shares (its limiter).
 * - The stored token is empty: the parallel items of the execution share one login (loginOnce) →
 *   1 slot, once per execution.
 * - After a 401: n8n logs in and repeats the request itself, inside its helper → 2 slots, at most
 *   once every 10 s per account (items refused together share the login as well).
 */
const loginCounted = new WeakSet<object>();
const reloginSlotAt = new WeakMap<object, number>();
export function loginSlots(execution: object, account: object, relogin: boolean): number {
	if (!relogin) {
		if (loginCounted.has(execution)) return 0;
		loginCounted.add(execution);
		return 1;
	}
	const last = reloginSlotAt.get(account);
	if (last !== undefined && Date.now() - last < 10_000) return 0;
	reloginSlotAt.set(account, Date.now());
	return 2;
}

/** Logins started in this process for an account (tests, benchmarks). */
export function loginCount(account: string): number {
	return accounts().get(account)?.logins ?? 0;
}

/** Forget every account's newest token (tests). */
export function forgetLogins(): void {
	accounts().clear();
}

/** Send a login request through n8n's plain helper (no credential attached). */
export async function postLogin(helper: IHttpRequestHelper, options: IHttpRequestOptions): Promise<unknown> {
	return await helper.helpers.httpRequest(loginRequest(options));
}

/**
 * The token of a login answer. Its shape is not documented everywhere (Loymax "Получить токен"
 * shows no example answer), so every plausible form is accepted: `token`, `access_token`,
 * `accessToken`, `data` as a string, `data.token`, `data.access_token`, `data.attributes.token`
 * (JSON:API), `data.attributes.access_token`, a JSON string, or (with `bareText`) a bare text body.
 * A leading `Bearer ` is dropped; a token is one word of printable characters.
 */
export function tokenOf(body: unknown, bareText = false): string | undefined {
	const usable = (v: unknown): string | undefined => {
		if (typeof v !== 'string') return undefined;
		const t = v.trim().replace(/^Bearer\s+/i, '');
		return t !== '' && /^[\x21-\x7e]+$/.test(t) ? t : undefined;
	};
	if (typeof body === 'string') {
		const text = body.trim();
		if (/^[[{"]/.test(text)) {
			try {
				return tokenOf(JSON.parse(text) as unknown, bareText);
			} catch {
				return undefined;
			}
		}
		return bareText ? usable(text) : undefined;
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const obj = body as IDataObject;
	const data = obj.data as IDataObject | string | undefined;
	const inner = data && typeof data === 'object' ? data : undefined;
	const attributes = inner?.attributes as IDataObject | undefined;
	const candidates: unknown[] = [
		obj.token,
		obj.access_token,
		obj.accessToken,
		typeof data === 'string' ? data : undefined,
		inner?.token,
		inner?.access_token,
		attributes?.token,
		attributes?.access_token,
	];
	for (const candidate of candidates) {
		const token = usable(candidate);
		if (token) return token;
	}
	return undefined;
}
