import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';

import { loginSlots } from '../../credentials/login';
import {
	beforeDeadline,
	deadlineIn,
	DEFAULT_MAX_RESPONSE_BYTES,
	discard,
	ExchangeTimeout,
	keepDeadline,
	readBody,
	redirectTarget,
	ResponseTooLarge,
	type AbortSignalLike,
} from './exchange';
import { limiterFor, retryAfterMs, waitFrom429, type Limiter } from './pacing';
import { redact, redactDeep, rememberSecrets, scrubError } from './secrets';
import type { CredentialInfo, ProviderSpec, RequestSpec } from './spec';

export { redact } from './secrets';
export { DEFAULT_MAX_RESPONSE_BYTES } from './exchange';

export type AnyFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface SendOptions {
	itemIndex?: number;
	/** The credential read once per execution (read here when not given). */
	credential?: CredentialInfo;
	/** Longest total wait for retries (429, 5xx), in ms. */
	maxWaitMs?: number;
	/** Per-request timeout in ms. */
	timeoutMs?: number;
	/** Pause after a 429 that names no wait (overrides the provider's). */
	pauseAfter429Ms?: number;
	/** Count of requests that reached the network, for the error item. */
	attempts?: { count: number };
	/** Largest response body read, in bytes (default 64 MB). */
	maxResponseBytes?: number;
	/**
	 * Time (ms since the epoch) by which the request must be answered — a poll's budget (n8n 2.x
	 * abandons a poll that runs longer). The limiter does not wait past it and the request's
	 * timeout ends at it; past it the request fails, not sent.
	 */
	deadline?: number;
	/** Why there is a deadline, for the error (e.g. "n8n gives a poll 36 s"). */
	deadlineReason?: string;
}

export interface TransportResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

export const DEFAULT_MAX_WAIT_MS = 120_000;
export const DEFAULT_TIMEOUT_MS = 60_000;
export type SendResult = TransportResponse;

const MAX_RETRIES = 50;
/** Same-origin redirects followed in a row (a cross-origin one is never followed). */
const MAX_REDIRECTS = 5;
const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

function isHtml(body: unknown): boolean {
	return typeof body === 'string' && /^\s*<(!doctype|html|head|body|\?xml)/i.test(body);
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim() !== '') return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

/**
 * The provider's own words in an error body, whatever its shape: JSON:API `errors[]`, FastAPI
 * `detail` (string or validation list), Laravel `message` + `errors{field: [..]}`, `error`,
 * `error_description`, `message`, `title`.
 */
export function errorWords(body: unknown): string | undefined {
	if (body === null || body === undefined) return undefined;
	if (typeof body === 'string') {
		const trimmed = body.trim();
		if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
			try {
				return errorWords(JSON.parse(trimmed));
			} catch {
				// Not JSON after all: fall through to the raw text below.
			}
		}
		if (isHtml(trimmed)) return undefined;
		return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed || undefined;
	}
	if (Array.isArray(body)) {
		const parts = body.map((entry) => errorWords(entry)).filter(Boolean);
		return parts.length ? parts.join('; ') : undefined;
	}
	if (typeof body !== 'object') return text(body);
	const obj = body as IDataObject;
	if (Array.isArray(obj.errors) && obj.errors.length) {
		const parts = (obj.errors as IDataObject[]).map((e) => {
			if (typeof e !== 'object' || e === null) return text(e);
			const pointer = (e.source as IDataObject | undefined)?.pointer ?? (e.source as IDataObject | undefined)?.parameter;
			const words = text(e.detail) ?? text(e.title) ?? text(e.message) ?? text(e.code);
			if (!words) return undefined;
			const field = typeof pointer === 'string' ? pointer.split('/').filter(Boolean).pop() : undefined;
			return field && !words.includes(field) ? `${field}: ${words}` : words;
		});
		const joined = parts.filter(Boolean).join('; ');
		if (joined) return joined;
	}
	if (obj.detail !== undefined) {
		if (Array.isArray(obj.detail)) {
			const parts = (obj.detail as IDataObject[]).map((d) => {
				if (typeof d !== 'object' || d === null) return text(d);
				const loc = Array.isArray(d.loc) ? (d.loc as unknown[]).filter((l) => l !== 'body').join('.') : undefined;
				const msg = text(d.msg) ?? text(d.message);
				return loc && msg ? `${loc}: ${msg}` : msg;
			});
			const joined = parts.filter(Boolean).join('; ');
			if (joined) return joined;
		}
		const detail = text(obj.detail) ?? errorWords(obj.detail);
		if (detail) return detail;
	}
	const message = text(obj.message) ?? text(obj.error_description) ?? text(obj.title);
	const fieldErrors =
		obj.errors && typeof obj.errors === 'object' && !Array.isArray(obj.errors)
			? Object.entries(obj.errors as IDataObject)
					.map(([field, v]) => `${field}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
					.join('; ')
			: undefined;
	if (message && fieldErrors) return `${message} (${fieldErrors})`;
	if (message ?? fieldErrors) return message ?? fieldErrors;
	if (obj.error !== undefined) return text(obj.error) ?? errorWords(obj.error);
	if (obj.data !== undefined && typeof obj.data === 'object') return errorWords(obj.data);
	return undefined;
}

const STATUS_WORDS: Record<number, string> = {
	400: 'Bad request',
	401: 'Authorization failed: check the credential',
	403: 'Forbidden: the credential has no access to this',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	415: 'Unsupported media type',
	422: 'The request was rejected as invalid',
	429: 'Too many requests',
	500: 'Internal server error',
	502: 'Bad gateway',
	503: 'Service unavailable',
	504: 'Gateway timeout',
};

export interface ApiErrorDetails {
	/** The request that failed (named in the description). */
	request?: RequestSpec;
	itemIndex?: number;
	status?: number;
	words?: string;
	body?: unknown;
	note?: string;
	attempts?: number;
	/** What happened to the request: never sent, refused by the server, or unknown. */
	delivery: 'not sent' | 'refused' | 'unknown';
	/** Extra secrets to hide besides the credential's (secrets.ts knows every one seen). */
	secrets?: string[];
	/**
	 * Why it failed, for a caller that must tell it apart (kept in the error's `context.reason`):
	 * `deadline` — the caller's deadline (SendOptions.deadline, a poll's budget) ran out before the
	 * request could be sent (see isOutOfTime).
	 */
	reason?: 'deadline';
}

function describe(details: ApiErrorDetails): string {
	const { status, words, request, note } = details;
	let description = request ? `${request.method} ${request.path}` : '';
	if (status === 401) description += ' — the credential was refused; check it in the credential settings.';
	if (details.body !== undefined && words === undefined && status) {
		const kind = isHtml(details.body)
			? 'an HTML page'
			: details.body === '' || details.body === null
				? 'an empty body'
				: typeof details.body === 'string'
					? 'a body that is not valid JSON'
					: 'a body without an error message';
		description += ` — the response was ${kind}.`;
	}
	if (note) description += ` ${note}`;
	return description.trim();
}

/** The one place errors of a request are built: NodeApiError with the provider's words, the status, the item, and no secret anywhere. */
export function apiError(fn: AnyFunctions, provider: ProviderSpec, details: ApiErrorDetails): NodeApiError {
	const { status, words, itemIndex } = details;
	const secrets = details.secrets ?? [];
	const head = status ? `${provider.displayName} returned ${status}` : `${provider.displayName} request failed`;
	const reason = words ?? (status ? STATUS_WORDS[status] : undefined) ?? 'no error message';
	const message = redact(`${head}: ${reason}`, secrets);
	const description = redact(describe(details), secrets);
	const plain: JsonObject = {
		message,
		description,
		httpCode: status ? String(status) : '',
		delivery: details.delivery,
		...(details.attempts !== undefined ? { attempts: details.attempts } : {}),
	};
	const error = new NodeApiError(fn.getNode(), plain, {
		message,
		description,
		httpCode: status ? String(status) : undefined,
		itemIndex,
	});
	// setDescriptiveErrorMessage may swap in n8n's generic words for known codes: keep ours.
	error.message = message;
	error.context.delivery = details.delivery;
	// Left out when unknown here (a bad body read after send()): the caller fills in its count.
	if (details.attempts !== undefined) error.context.attempts = details.attempts;
	if (itemIndex !== undefined) error.context.itemIndex = itemIndex;
	if (details.reason !== undefined) error.context.reason = details.reason;
	// Every field n8n shows or keeps (stack, errorResponse, context …), not only the message.
	return scrubError(error, secrets);
}

/** Join a base URL and a path (absolute or relative), never producing a double slash. */
export function joinUrl(baseUrl: string, path: string): string {
	if (/^https?:\/\//i.test(path)) return path;
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

interface FailedAttempt {
	status?: number;
	headers?: Record<string, unknown>;
	body?: unknown;
	code?: string;
	timedOut?: boolean;
	/** The body passed the size limit (bytes). */
	tooLarge?: number;
}

function failure(error: unknown, deadline?: AbortSignalLike): FailedAttempt {
	if (error instanceof ExchangeTimeout) return { code: 'ETIMEDOUT', timedOut: true };
	if (error instanceof ResponseTooLarge) return { code: 'ETOOLARGE', tooLarge: error.limit };
	// httpRequestWithAuthentication throws n8n's NodeApiError: `httpCode` is the HTTP status, or the
	// network error code (ECONNRESET, ECONNABORTED for a timeout …); `context.data` the error body.
	// (The HTTP client's error itself is not kept, so its headers are not available here.)
	const e = (error ?? {}) as IDataObject;
	const message = typeof e.message === 'string' ? e.message : '';
	const code = typeof e.httpCode === 'string' ? e.httpCode : typeof e.code === 'string' ? e.code : undefined;
	if (code && /^\d{3}$/.test(code)) {
		return { status: Number(code), headers: {}, body: (e.context as IDataObject | undefined)?.data };
	}
	const response = (e.response ?? (e.cause as IDataObject | undefined)?.response) as IDataObject | undefined;
	if (response && typeof response.status === 'number') {
		return { status: response.status, headers: (response.headers ?? {}) as Record<string, unknown>, body: response.data };
	}
	return {
		code: code ?? 'unknown error',
		timedOut: code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout|timed out/i.test(message) || deadline?.aborted === true,
	};
}

function isIdempotent(request: RequestSpec): boolean {
	return request.method !== 'POST' || request.idempotent === true;
}

/** Whether the credential logs in (preAuthentication): then a 401 is worth one re-login. */
function hasLogin(provider: ProviderSpec, credential: CredentialInfo): boolean {
	if (provider.login !== true && !('sessionToken' in credential.data)) return false;
	return credential.onNode === true;
}

export async function credentialOf(fn: AnyFunctions, provider: ProviderSpec): Promise<CredentialInfo> {
	return await provider.credential(fn);
}

/** One request in flight: what `send` keeps between attempts. */
interface Exchange {
	fn: AnyFunctions;
	provider: ProviderSpec;
	request: RequestSpec;
	options: SendOptions;
	credential: CredentialInfo;
	maxWait: number;
	waited: number;
	backoff: number;
	attempts: { count: number };
	authRetried: boolean;
	/** Where a same-origin redirect pointed (query included), instead of the request's path. */
	url?: string;
	redirects: number;
}

/** What to do after a failed attempt: wait and retry, or fail with a note. */
interface RetryPlan {
	wait?: number;
	note?: string;
}

function fail(x: Exchange, details: Omit<ApiErrorDetails, 'request' | 'itemIndex' | 'secrets' | 'attempts'>): NodeApiError {
	return apiError(x.fn, x.provider, {
		...details,
		request: x.request,
		itemIndex: x.options.itemIndex,
		secrets: x.credential.secrets,
		attempts: x.attempts.count,
	});
}

/** The request's timeout: the node's Timeout, ending at the caller's deadline when there is one. */
function timeoutOf(x: Exchange): number {
	const timeout = x.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	return x.options.deadline === undefined ? timeout : Math.max(1, Math.min(timeout, x.options.deadline - Date.now()));
}

/** A slot from the account's limiter, or a clear error when none comes before the caller's deadline. */
async function acquireBefore(x: Exchange, limiter: Limiter, slots: number): Promise<number> {
	const deadline = x.options.deadline;
	const got = deadline !== undefined && Date.now() >= deadline ? { late: 0 } : await limiter.acquireBy(slots, deadline);
	if ('at' in got) return got.at;
	const reason = x.options.deadlineReason ? ` (${x.options.deadlineReason})` : '';
	const pace = got.late > 0 ? ` The account's Requests per Minute would let it go in ${Math.ceil(got.late / 1000)} s.` : '';
	throw fail(x, { words: `out of time${reason}`, note: `The request was not sent: its time ran out.${pace}`, delivery: 'not sent', reason: 'deadline' });
}

/**
 * Whether an error is the transport's "out of time": the caller's deadline (SendOptions.deadline,
 * a poll's budget) ended before the request could be sent. Read from the mark apiError keeps in
 * the error's context, never from its words (a server's own message may say the same).
 */
export function isOutOfTime(error: unknown): boolean {
	const context = (error as { context?: unknown } | null | undefined)?.context;
	return typeof context === 'object' && context !== null && (context as IDataObject).reason === 'deadline';
}

function urlOf(x: Exchange): string {
	return x.url ?? joinUrl(x.credential.baseUrl, x.request.path);
}

function httpOptionsOf(x: Exchange): IHttpRequestOptions {
	return {
		method: x.request.method,
		url: urlOf(x),
		qs: x.url ? undefined : x.request.qs,
		// Never followed by the HTTP client: a redirect is answered here (same origin only), so the
		// credential (Authorization, X-API-Key, a body) never reaches another host.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		// Read as a stream so that the body counts against Timeout and Max Response Size. The one
		// re-login retry (n8n's throwing mode) reads as before: n8n wraps its error around the body.
		...(x.authRetried ? {} : { encoding: 'stream' as const }),
		headers: { ...(x.provider.headers ?? {}), ...x.request.headers },
		body: x.request.body as IHttpRequestOptions['body'],
		json: true,
		returnFullResponse: true,
		// Statuses come back as responses (with their headers: Retry-After, X-RateLimit-*). A 401 is
		// repeated once in n8n's throwing mode: n8n-core then runs the credential's preAuthentication
		// (a fresh login for Loymax / Neiros) and retries — the node never handles tokens itself.
		ignoreHttpStatusErrors: !x.authRetried,
		timeout: timeoutOf(x),
	};
}

/**
 * One attempt through n8n's helper, within Timeout for the whole exchange (connect, headers and
 * body) and Max Response Size: the response with its body as text, or what failed.
 */
async function attempt(x: Exchange): Promise<TransportResponse | FailedAttempt> {
	const deadline = deadlineIn(timeoutOf(x));
	const options = httpOptionsOf(x);
	keepDeadline(options, deadline);
	let response: TransportResponse;
	try {
		// A credential without a login goes back to n8n as read for this execution: n8n does not read
		// (fetch, decrypt, resolve) it again for every request.
		const known = x.credential.decrypted ? { credentialsDecrypted: x.credential.decrypted } : undefined;
		const pending = x.fn.helpers.httpRequestWithAuthentication.call(x.fn, x.provider.credentialType, options, known) as Promise<TransportResponse>;
		response = await beforeDeadline(pending, deadline, (late) => discard(late?.body));
	} catch (error) {
		return failure(error, deadline);
	}
	try {
		const body = await readBody(response.body, deadline, x.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
		return { body, headers: response.headers ?? {}, statusCode: response.statusCode };
	} catch (error) {
		return { ...failure(error, deadline), status: error instanceof ResponseTooLarge ? response.statusCode : undefined, headers: response.headers ?? {} };
	}
}

/**
 * A 3xx answer: a same-origin redirect is followed (GET, or 307/308 with the same method and
 * body; at most MAX_REDIRECTS in a row); any other is an error naming the status and the target's
 * host — never its query — and nothing is sent there.
 */
function followRedirect(x: Exchange, response: TransportResponse): void {
	const location = response.headers.location ?? response.headers.Location;
	const target = typeof location === 'string' ? redirectTarget(urlOf(x), location) : undefined;
	const status = response.statusCode;
	const fail3xx = (words: string, note: string) =>
		fail(x, { status, words, note, delivery: x.request.method === 'GET' ? 'refused' : 'unknown' });
	if (!target) throw fail3xx('a redirect without a usable Location', 'Check the Base URL of the credential.');
	if (!target.sameOrigin) {
		throw fail3xx(
			`redirected to another host (${target.url.protocol}//${target.url.host}), not followed`,
			'The credential is only sent to its own Base URL. If the service moved, update the Base URL of the credential.',
		);
	}
	const keepsMethod = x.request.method === 'GET' || status === 307 || status === 308;
	if (!keepsMethod) throw fail3xx(`redirected a ${x.request.method} (${status}), not followed`, 'The service may have processed the request: check before running the item again.');
	if (++x.redirects > MAX_REDIRECTS) throw fail3xx(`more than ${MAX_REDIRECTS} redirects in a row`, 'Check the Base URL of the credential.');
	x.url = target.url.href;
}

/** Retry policy: 429 always (refused before processing), 5xx / lost connections only when repeating cannot duplicate a write. */
function retryPlan(x: Exchange, failed: FailedAttempt): RetryPlan & { retry: boolean } {
	const { status } = failed;
	const maxWait = x.maxWait;
	if (status === 429) {
		const wait = waitFrom429(failed.headers) ?? x.options.pauseAfter429Ms ?? x.provider.rateLimit?.pauseAfter429Ms ?? x.backoff;
		return {
			retry: true,
			wait,
			note: `Still refused after waiting ${Math.round(x.waited / 1000)} s in all (the node's Max Retry Wait is ${Math.round(maxWait / 1000)} s).`,
		};
	}
	const transient = (status !== undefined && RETRYABLE_STATUS.has(status)) || (status === undefined && (failed.code || failed.timedOut));
	if (!transient) return { retry: false };
	if (!isIdempotent(x.request)) {
		return {
			retry: false,
			note: 'Not retried: this request creates data and the server may have processed it, so repeating it could create a duplicate. Check the record in the service before running the item again.',
		};
	}
	return {
		retry: true,
		wait: retryAfterMs(failed.headers) ?? x.backoff,
		note: `Retried for ${Math.round(x.waited / 1000)} s in all (the node's Max Retry Wait is ${Math.round(maxWait / 1000)} s).`,
	};
}

/** An error body as JSON when it is JSON, else its text. */
function lenient(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

function tooLargeError(x: Exchange, failed: FailedAttempt): NodeApiError {
	const mb = Math.round(((failed.tooLarge ?? 0) / 1024 / 1024) * 10) / 10;
	return fail(x, {
		status: failed.status,
		words: `the response is larger than the Max Response Size (${mb} MB); reading stopped there`,
		note: 'Ask for fewer records at once (Limit, page size) or raise Options → Max Response Size (MB).',
		delivery: 'unknown',
	});
}

/** The error of a failed attempt that is not retried. */
function failedError(x: Exchange, failed: FailedAttempt, note: string | undefined): NodeApiError {
	const { status } = failed;
	if (status === undefined) {
		const what = failed.timedOut
			? `no response within ${Math.round(timeoutOf(x) / 1000)} s (timeout)`
			: `connection failed (${failed.code ?? 'unknown error'})`;
		return fail(x, { words: what, note, delivery: 'unknown' });
	}
	const words = x.provider.errorMessage?.(failed.body) ?? errorWords(failed.body);
	return fail(x, { status, words, body: failed.body, note, delivery: status >= 500 ? 'unknown' : 'refused' });
}

/**
 * The one way to send a request (actions, list searches, triggers): through n8n's
 * `httpRequestWithAuthentication` (credentials, and n8n's one re-login after a 401 for credentials
 * with `preAuthentication`), paced by the account's limiter, retried on 429 always and on 5xx /
 * lost connections only when repeating cannot duplicate a write. Returns the parsed body (JSON, or
 * the text of a non-JSON answer), headers and status; throws one well-built NodeApiError.
 * `maxWaitMs: 0` never sleeps for a retry: a 429 or 5xx fails at once.
 */
export async function send(fn: AnyFunctions, provider: ProviderSpec, request: RequestSpec, options: SendOptions = {}): Promise<SendResult> {
	const credential = options.credential ?? (await credentialOf(fn, provider));
	rememberSecrets(...credential.secrets);
	const limiter = limiterFor(`${provider.credentialType}:${credential.limiterKey}`, provider.rateLimit, credential.data);
	const x: Exchange = {
		fn,
		provider,
		request,
		options,
		credential,
		maxWait: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
		waited: 0,
		backoff: 500,
		attempts: options.attempts ?? { count: 0 },
		authRetried: false,
		redirects: 0,
	};
	const logsIn = hasLogin(provider, credential);
	for (let retries = 0; ; retries++) {
		// Another request's 429 blocks the whole account: wait for it only within Max Retry Wait.
		const blocked = limiter.blockedFor();
		if (blocked > x.maxWait - x.waited) {
			throw fail(x, {
				status: 429,
				note: `The service asked to wait ${Math.round(blocked / 1000)} s before any further request, more than the node's Max Retry Wait allows (${Math.round((x.maxWait - x.waited) / 1000)} s left of ${Math.round(x.maxWait / 1000)} s).`,
				delivery: x.attempts.count === 0 ? 'not sent' : 'refused',
			});
		}
		x.waited += blocked;
		const login = logsIn && (x.authRetried || !credential.data.sessionToken);
		// A login n8n runs inside this request takes its slots with it (credentials/login.ts).
		const slots = 1 + (login ? loginSlots(credential, limiter, x.authRetried) : 0);
		const slot = await acquireBefore(x, limiter, slots);
		x.attempts.count++;
		const outcome = await attempt(x);
		limiter.observe(outcome.headers, slot, slots);
		if ('statusCode' in outcome && outcome.statusCode >= 300 && outcome.statusCode < 400) {
			followRedirect(x, outcome);
			continue;
		}
		if ('statusCode' in outcome && outcome.statusCode < 300) {
			return { ...outcome, body: parseBody(x, outcome) };
		}
		const failed: FailedAttempt = 'statusCode' in outcome ? { status: outcome.statusCode, headers: outcome.headers, body: lenient(outcome.body) } : outcome;
		if (failed.tooLarge !== undefined) throw tooLargeError(x, failed);
		// Only a 401 answer is worth a re-login: a failed login (thrown, with its status) is not.
		if ('statusCode' in outcome && failed.status === 401 && !x.authRetried && logsIn) {
			x.authRetried = true;
			continue;
		}
		const plan = retryPlan(x, failed);
		if (failed.status === 429 && plan.wait !== undefined) limiter.block(Date.now() + plan.wait);
		const remaining = x.maxWait - x.waited;
		// Max Retry Wait 0 (triggers) never sleeps; a retry budget also ends a server answering "retry now" forever.
		if (plan.retry && plan.wait !== undefined && plan.wait <= remaining && x.maxWait > 0 && retries < MAX_RETRIES) {
			await sleep(plan.wait);
			x.waited += plan.wait;
			x.backoff = Math.min(x.backoff * 2, 30_000);
			continue;
		}
		let note = plan.note;
		if (plan.retry && plan.wait !== undefined && plan.wait > remaining && failed.status === 429) {
			note = `The service asked to wait ${Math.round(plan.wait / 1000)} s, more than the node's Max Retry Wait allows (${Math.round(remaining / 1000)} s left of ${Math.round(x.maxWait / 1000)} s).`;
		}
		throw failedError(x, failed, note);
	}
}

/** A body that should be JSON but is not: a clear error instead of a crash later. */
function parseBody(x: Exchange, response: TransportResponse): unknown {
	// An answer echoing a token or key never reaches an output item (pieces of long secrets too).
	if (typeof response.body !== 'string') return redactDeep(response.body, [], { output: true });
	const body = redact(response.body, [], { output: true });
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	if (/^(-?\d|true$|false$|null$)/.test(trimmed)) {
		try {
			return JSON.parse(trimmed);
		} catch {
			return trimmed;
		}
	}
	// Plain text (e.g. "OK") is a legitimate answer of an undocumented response; what looks like
	// JSON must be JSON, and an HTML page is never an API answer.
	if (!/^[[{"]/.test(trimmed) && !isHtml(trimmed)) return trimmed;
	try {
		return JSON.parse(trimmed);
	} catch {
		throw fail(x, {
			status: response.statusCode,
			words: isHtml(trimmed) ? 'the response is an HTML page, not JSON' : 'the response is not valid JSON',
			note: 'The request reached the service; check whether it was processed.',
			delivery: 'unknown',
		});
	}
}
