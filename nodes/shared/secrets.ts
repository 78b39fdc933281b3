/**
 * Every secret this process has seen — stored credential values and tokens obtained during a run
 * (Loymax / Neiros logins) — and the one redactor that hides them.
 *
 * The registry is kept process-wide under the well-known key `Symbol.for('n8n-nodes-rumarket.secrets')`
 * on the `Symbol` constructor (community nodes may not touch `globalThis`), so that the credentials
 * (which never import from nodes/) and the nodes reach the same one, even when the package is split
 * into one package per service. Its contract, used by credentials/login.ts:
 * `{ secrets: Map<string, number> (secret → when it was seen), redact?: (text: string) => string }`.
 * This module publishes `redact` on it.
 */

const REGISTRY_KEY = Symbol.for('n8n-nodes-rumarket.secrets');
const MAX_SECRETS = 256;
/** Shortest secret redacted at all (a 1–3 character password would blank ordinary words). */
const MIN_SECRET = 4;
/** Any run of this many characters of a secret counts as the secret. */
export const FRAGMENT = 12;
const MARK = '[redacted]';

interface Registry {
	secrets: Map<string, number>;
	redact?: (text: string) => string;
}

function registry(): Registry {
	const holder = Symbol as unknown as Record<symbol, Registry | undefined>;
	let found = holder[REGISTRY_KEY];
	if (!found || !(found.secrets instanceof Map)) {
		found = { secrets: new Map() };
		holder[REGISTRY_KEY] = found;
	}
	return found;
}

/** Remember values that must never be shown (the newest MAX_SECRETS are kept). */
export function rememberSecrets(...values: unknown[]): void {
	const { secrets } = registry();
	for (const value of values) {
		if (typeof value !== 'string') continue;
		const secret = value.trim();
		if (secret.length < MIN_SECRET) continue;
		secrets.delete(secret);
		secrets.set(secret, Date.now());
	}
	while (secrets.size > MAX_SECRETS) secrets.delete(secrets.keys().next().value as string);
}

/** Every secret known to this process. */
export function knownSecrets(): string[] {
	return [...registry().secrets.keys()];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function utf8(text: string): number[] {
	return [...unescape(encodeURIComponent(text))].map((c) => c.charCodeAt(0));
}

function base64(bytes: number[]): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
		const chars = [18, 12, 6, 0].map((shift) => B64[(n >> shift) & 63]);
		out += chars.slice(0, Math.ceil(((Math.min(3, bytes.length - i)) * 8) / 6)).join('');
	}
	return out;
}

/**
 * The base64 text of a secret wherever it sits in an encoded value (`user:password` in Basic
 * auth): the three alignments, without the edge characters that depend on the neighbours.
 */
function base64Forms(secret: string): string[] {
	const bytes = utf8(secret);
	const out: string[] = [];
	for (let shift = 0; shift < 3; shift++) {
		const encoded = base64([...new Array<number>(shift).fill(0), ...bytes]);
		const head = shift === 0 ? 0 : shift + 1;
		const tail = (shift + bytes.length) % 3 === 0 ? 0 : 1;
		const core = encoded.slice(head, encoded.length - tail);
		out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return out;
}

/** The forms a secret travels in: as is, URL-encoded (both ways), JSON-escaped, base64 / base64url. */
export function formsOf(secret: string): string[] {
	const forms = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), JSON.stringify(secret).slice(1, -1)];
	if (secret.length >= 8) forms.push(...base64Forms(secret));
	return [...new Set(forms)].filter((f) => f.length >= MIN_SECRET);
}

/** Polynomial hash of `FRAGMENT` characters, rolled along a text without allocating. */
const BASE = 257;
let BASE_POW = 1;
for (let i = 0; i < FRAGMENT; i++) BASE_POW = Math.imul(BASE_POW, BASE);

function hashAt(text: string, start: number): number {
	let h = 0;
	for (let i = start; i < start + FRAGMENT; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
	return h;
}

interface Matcher {
	/** Forms shorter than a fragment: found whole. */
	whole: string[];
	/** Every FRAGMENT-long piece of the longer forms, by hash. */
	pieces: Map<number, Set<string>>;
	/** One bit per low 16 bits of a piece's hash: most positions of a text are ruled out here. */
	bits: Uint8Array;
}

let cached: { key: string; matcher: Matcher } | undefined;

function matcherOf(secrets: string[]): Matcher {
	const key = secrets.join('\u0000');
	if (cached?.key === key) return cached.matcher;
	const matcher: Matcher = { whole: [], pieces: new Map(), bits: new Uint8Array(8192) };
	for (const secret of secrets) {
		for (const form of formsOf(secret)) {
			if (form.length < FRAGMENT) {
				matcher.whole.push(form);
				continue;
			}
			for (let i = 0; i + FRAGMENT <= form.length; i++) {
				const h = hashAt(form, i);
				matcher.bits[(h & 0xffff) >>> 3] |= 1 << (h & 7);
				const set = matcher.pieces.get(h) ?? new Set<string>();
				set.add(form.slice(i, i + FRAGMENT));
				matcher.pieces.set(h, set);
			}
		}
	}
	cached = { key, matcher };
	return matcher;
}

/** Ranges of `text` holding a secret (whole, or any FRAGMENT-long piece of it). */
function secretRanges(text: string, matcher: Matcher): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	for (const form of matcher.whole) {
		for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) ranges.push([at, at + form.length]);
	}
	if (matcher.pieces.size && text.length >= FRAGMENT) {
		const { bits, pieces } = matcher;
		let h = hashAt(text, 0);
		for (let i = 0; ; i++) {
			if (bits[(h & 0xffff) >>> 3] & (1 << (h & 7))) {
				const set = pieces.get(h);
				if (set && set.has(text.slice(i, i + FRAGMENT))) ranges.push([i, i + FRAGMENT]);
			}
			if (i + FRAGMENT >= text.length) break;
			h = (Math.imul(h, BASE) - Math.imul(text.charCodeAt(i), BASE_POW) + text.charCodeAt(i + FRAGMENT)) | 0;
		}
	}
	return ranges.sort((a, b) => a[0] - b[0]);
}

export interface RedactOptions {
	/**
	 * Redacting an answer for output items: only secrets of 12 characters or more (tokens, keys)
	 * are looked for, so a short password does not blank ordinary words in records.
	 */
	output?: boolean;
}

const SCHEME_TOKEN = /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/|=%:]{4,}/gi;

/**
 * Replace every known secret (plus `extra`) in a text: whole, URL-encoded, JSON-escaped, base64,
 * and any 12-character piece of one; also whatever follows `Bearer ` / `Basic `.
 */
export function redact(text: string, extra: string[] = [], opts: RedactOptions = {}): string {
	if (typeof text !== 'string' || text === '') return text;
	const min = opts.output ? FRAGMENT : MIN_SECRET;
	const secrets = [...knownSecrets(), ...extra]
		.filter((s) => typeof s === 'string')
		.map((s) => s.trim())
		.filter((s) => s.length >= min);
	let out = text;
	const ranges = secrets.length ? secretRanges(text, matcherOf(secrets)) : [];
	if (ranges.length) {
		const merged: Array<[number, number]> = [];
		for (const [a, b] of ranges) {
			const last = merged[merged.length - 1];
			if (last && a <= last[1]) last[1] = Math.max(last[1], b);
			else merged.push([a, b]);
		}
		out = '';
		let pos = 0;
		for (const [a, b] of merged) {
			out += text.slice(pos, a) + MARK;
			pos = b;
		}
		out += text.slice(pos);
	}
	return out.replace(SCHEME_TOKEN, (_m, scheme: string, space: string) => `${scheme}${space}${MARK}`);
}

/** Whether a text holds any known secret (or `extra`). */
export function holdsSecret(text: string, extra: string[] = []): boolean {
	return redact(text, extra) !== text;
}

/**
 * A copy of a value with every string redacted (objects, arrays and errors walked; other class
 * instances — sockets, streams, buffers — left out: they are no part of an error a user sees).
 */
export function redactDeep<T>(value: T, extra: string[] = [], opts: RedactOptions = {}, seen = new WeakMap<object, unknown>()): T {
	if (typeof value === 'string') return redact(value, extra, opts) as unknown as T;
	if (!value || typeof value !== 'object') return value;
	if (seen.has(value)) return seen.get(value) as T;
	const proto = Object.getPrototypeOf(value) as object | null;
	if (Array.isArray(value)) {
		const copy: unknown[] = [];
		seen.set(value, copy);
		for (const entry of value) copy.push(redactDeep(entry, extra, opts, seen));
		return copy as unknown as T;
	}
	if (proto !== Object.prototype && proto !== null && !(value instanceof Error)) return undefined as unknown as T;
	const copy: Record<string, unknown> = {};
	seen.set(value, copy);
	const keys = value instanceof Error ? Object.getOwnPropertyNames(value) : Object.keys(value);
	for (const key of keys) copy[key] = redactDeep((value as Record<string, unknown>)[key], extra, opts, seen);
	return copy as T;
}

/** Redact, in place, every field of an error n8n shows or keeps (message, description, stack, context, errorResponse, cause …). */
export function scrubError<E extends object>(error: E, extra: string[] = []): E {
	const target = error as unknown as Record<string, unknown>;
	for (const key of Object.getOwnPropertyNames(error)) {
		// The node (its parameters) and the workflow are n8n's own objects, kept as they are.
		if (key === 'node' || key === 'workflow') continue;
		const value = target[key];
		if (typeof value === 'string') target[key] = redact(value, extra);
		else if (value && typeof value === 'object') target[key] = redactDeep(value, extra);
	}
	return error;
}

registry().redact = (text: string) => redact(text);
