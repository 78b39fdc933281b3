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

/**
 * The scan of a text for pieces of secrets. A FRAGMENT-long piece of a form at text position i
 * covers the sampled position p = the first multiple of STEP at or after i (p ≤ i + STEP − 1), and
 * the GRAM characters from p lie inside the piece (p + GRAM ≤ i + FRAGMENT, as GRAM + STEP − 1 =
 * FRAGMENT). So reading GRAM characters at every STEP-th position finds every piece: a text position
 * whose GRAM characters are no GRAM-long substring of any form (most of them, ruled out by a bit
 * table) holds none, and at the others the text is compared with the form around that spot.
 */
const GRAM = 4;
const STEP = FRAGMENT - GRAM + 1;

/** Hash of the GRAM characters of `text` at `at`, as an index into a table of `bits` bits. */
function gramHash(text: string, at: number, shift: number): number {
	const h = ((text.charCodeAt(at) * 31 + text.charCodeAt(at + 1)) * 31 + text.charCodeAt(at + 2)) * 31 + text.charCodeAt(at + 3);
	return Math.imul(h, 0x9e3779b1) >>> shift;
}

interface Matcher {
	/** Forms shorter than a fragment: found whole. */
	whole: string[];
	/** Forms of a fragment or longer: any FRAGMENT-long piece is found. */
	forms: string[];
	/** Hash of a GRAM-long substring of a form → [form index, offset, form index, offset …]. */
	grams: Map<number, number[]>;
	/** One bit per hash: most sampled positions of a text are ruled out here. */
	bits: Uint8Array;
	/** 32 − log2 of the table's size in bits. */
	shift: number;
}

/**
 * The matchers of the last two sets of secrets (output redaction looks for fewer than error
 * redaction), found by content: the registry's order changes whenever a credential's secrets are
 * remembered again (two credentials used in turn), which must not rebuild the matcher.
 */
const cache: Array<{ secrets: Set<string>; matcher: Matcher }> = [];

function matcherOf(secrets: string[]): Matcher {
	const unique = new Set(secrets);
	const hit = cache.find((entry) => entry.secrets.size === unique.size && secrets.every((secret) => entry.secrets.has(secret)));
	if (hit) return hit.matcher;
	const whole: string[] = [];
	const forms: string[] = [];
	for (const secret of unique) {
		for (const form of formsOf(secret)) (form.length < FRAGMENT ? whole : forms).push(form);
	}
	const total = forms.reduce((n, form) => n + form.length, 0);
	// About 1 bit in 16 set (or fewer): a text position passes by chance once in 16 samples at most.
	let log2 = 16;
	while (log2 < 24 && 1 << log2 < total * 16) log2++;
	const matcher: Matcher = { whole, forms, grams: new Map(), bits: new Uint8Array((1 << log2) >>> 3), shift: 32 - log2 };
	forms.forEach((form, index) => {
		for (let at = 0; at + GRAM <= form.length; at++) {
			const h = gramHash(form, at, matcher.shift);
			matcher.bits[h >>> 3] |= 1 << (h & 7);
			const list = matcher.grams.get(h) ?? [];
			list.push(index, at);
			matcher.grams.set(h, list);
		}
	});
	cache.unshift({ secrets: unique, matcher });
	cache.length = Math.min(cache.length, 2);
	return matcher;
}

/** Ranges of `text` holding a secret (whole, or any FRAGMENT-long piece of it). */
function secretRanges(text: string, matcher: Matcher): Array<[number, number]> {
	const ranges: Array<[number, number]> = [];
	for (const form of matcher.whole) {
		for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) ranges.push([at, at + form.length]);
	}
	const { bits, shift, grams, forms } = matcher;
	const n = text.length;
	if (!forms.length || n < FRAGMENT) return ranges.sort((a, b) => a[0] - b[0]);
	// Right end of the run last compared on each diagonal (form, text position − offset): a sample
	// inside it belongs to the same run.
	let done: Map<number, number> | undefined;
	for (let p = 0; p + GRAM <= n; p += STEP) {
		// gramHash, written out: this loop is the whole cost of the scan.
		const g = ((text.charCodeAt(p) * 31 + text.charCodeAt(p + 1)) * 31 + text.charCodeAt(p + 2)) * 31 + text.charCodeAt(p + 3);
		const h = Math.imul(g, 0x9e3779b1) >>> shift;
		if (!(bits[h >>> 3] & (1 << (h & 7)))) continue;
		const list = grams.get(h);
		if (!list) continue;
		for (let k = 0; k < list.length; k += 2) {
			const index = list[k];
			const form = forms[index];
			const offset = list[k + 1];
			const diagonal = (p - offset) * forms.length + index;
			if ((done?.get(diagonal) ?? -1) >= p + GRAM) continue;
			// The longest run of text equal to the form around p, on this alignment.
			let left = 0;
			while (left < offset && left < p && text.charCodeAt(p - left - 1) === form.charCodeAt(offset - left - 1)) left++;
			let right = 0;
			while (offset + right < form.length && p + right < n && text.charCodeAt(p + right) === form.charCodeAt(offset + right)) right++;
			if (right < GRAM) continue;
			(done ??= new Map()).set(diagonal, p + right);
			if (left + right >= FRAGMENT) ranges.push([p - left, p + right]);
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
