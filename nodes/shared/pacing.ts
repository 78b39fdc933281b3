import { sleep } from 'n8n-workflow';

import type { RateLimitSpec } from './spec';

type Headers = Record<string, unknown>;

function header(headers: Headers | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const lower = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === lower && value !== undefined && value !== null) {
			return Array.isArray(value) ? String(value[0]) : String(value);
		}
	}
	return undefined;
}

/**
 * A time (ms since epoch) read from `X-RateLimit-Reset`: the docs of Tracking Bot do not say the
 * unit, so a value larger than the current epoch in seconds is an epoch (seconds or ms), and a
 * smaller one is a number of seconds to wait.
 */
export function resetTimeFromHeader(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const n = Number(value);
	if (Number.isFinite(n)) {
		if (n > 1e12) return n; // epoch milliseconds
		if (n > 1e9) return n * 1000; // epoch seconds
		if (n >= 0) return now + n * 1000; // seconds to wait
		return undefined;
	}
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : date;
}

/** `Retry-After`: seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
	const value = header(headers, 'retry-after');
	if (value === undefined) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The wait a 429 asks for: Retry-After, else X-RateLimit-Reset, else undefined. */
export function waitFrom429(headers: Headers | undefined, now = Date.now()): number | undefined {
	const retryAfter = retryAfterMs(headers, now);
	if (retryAfter !== undefined) return retryAfter;
	const reset = resetTimeFromHeader(header(headers, 'x-ratelimit-reset'), now);
	return reset === undefined ? undefined : Math.max(0, reset - now);
}

/**
 * One limiter per account, shared by every execution in the process. It keeps two budgets:
 * - the documented one (N requests per window, a sliding window of start times), used until the
 *   server tells its own;
 * - the server's, from `X-RateLimit-Remaining` / `X-RateLimit-Reset`: while requests remain in the
 *   current window they go out at once, when none remain the limiter waits for the reset. That
 *   keeps to the limit without a 429 and at close to the allowed rate, whatever the window is.
 *   Requests are counted here as they go (answers lag behind); at a reset the first request of the
 *   new window goes alone and its answer tells what the window has counted already; answers to
 *   requests sent before that speak of an old window and are ignored (observe's `sentAt`). When
 *   that answer carries no headers, the documented budget applies again.
 * A 429 blocks everyone until the time it names.
 */
export class Limiter {
	private starts: number[] = [];
	private serverRemaining: number | undefined;
	private serverReset: number | undefined;
	private serverLimit: number | undefined;
	/** When the limiter opened the current server window itself (at the end of the last one). */
	private windowOpenedAt = 0;
	/** A new window was opened here: one request goes first, its answer tells the window's count. */
	private probing = false;
	private blockedUntil = 0;
	private queue: Promise<void> = Promise.resolve();

	constructor(private spec: RateLimitSpec | undefined) {}

	/** Wait for a slot. Calls are served in order. Returns the slot's time (pass it to observe()). */
	async acquire(): Promise<number> {
		const turn = this.queue.then(async () => await this.waitForSlot());
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		return await turn;
	}

	private async waitForSlot(): Promise<number> {
		for (;;) {
			const now = Date.now();
			const wait = this.nextSlotIn(now);
			if (wait <= 0) {
				this.take(now);
				return now;
			}
			await sleep(Math.min(wait, 60_000));
		}
	}

	private usesServerBudget(): boolean {
		return this.serverLimit !== undefined && this.serverRemaining !== undefined;
	}

	private nextSlotIn(now: number): number {
		if (now < this.blockedUntil) return this.blockedUntil - now;
		if (this.serverReset !== undefined && now >= this.serverReset) {
			// The server's window is over (Reset is read at or after its real end). One request goes
			// first: its answer tells what the new window has counted already (requests on their way
			// when it opened) and when it ends; the others wait for it (a round trip per window).
			this.serverRemaining = 1;
			this.serverReset = undefined;
			this.windowOpenedAt = now;
			this.probing = true;
		}
		if (this.usesServerBudget()) {
			if ((this.serverRemaining as number) > 0) return 0;
			if (this.serverReset !== undefined) return this.serverReset - now;
			// Spent before any answer told when this window ends (the first request's answer, or those
			// of the window's requests, are on their way). A window whose end no answer tells is given
			// up after the documented window length.
			const fallback = this.windowOpenedAt + (this.spec?.windowMs ?? 60_000) - now;
			if (fallback <= 0) {
				this.serverRemaining = this.serverLimit;
				this.windowOpenedAt = now;
				this.probing = false;
				return 0;
			}
			return Math.min(fallback, 50);
		}
		if (!this.spec) return 0;
		const windowStart = now - this.spec.windowMs;
		while (this.starts.length && this.starts[0] <= windowStart) this.starts.shift();
		if (this.starts.length < this.spec.requests) return 0;
		return this.starts[0] + this.spec.windowMs - now;
	}

	private take(now: number): void {
		if (this.usesServerBudget()) {
			this.serverRemaining = (this.serverRemaining as number) - 1;
		} else if (this.spec) {
			this.starts.push(now);
		}
	}

	/**
	 * Learn from a response's headers. Every reading of Reset is at or after the real end of the
	 * window (epoch seconds and seconds-to-wait are rounded up by servers; an answer is read after it
	 * was written), so the earliest reading is the best, and the smallest Remaining is kept: answers
	 * come back out of order, and requests sent since are counted here already. `sentAt` is the time
	 * acquire() gave the request.
	 */
	observe(headers: Headers | undefined, sentAt?: number): void {
		// The answer to a request sent before the limiter opened the current window speaks of an
		// earlier window (its Reset can be earlier than this window's end): not a word about this one.
		if (sentAt !== undefined && sentAt < this.windowOpenedAt) return;
		const limit = Number(header(headers, 'x-ratelimit-limit'));
		const remaining = Number(header(headers, 'x-ratelimit-remaining'));
		const now = Date.now();
		const reset = resetTimeFromHeader(header(headers, 'x-ratelimit-reset'), now);
		const probeAnswer = this.probing && sentAt !== undefined;
		if (probeAnswer) this.probing = false;
		if (!Number.isFinite(remaining) || reset === undefined) {
			// The first request of a new window came back without the headers (the server stopped
			// sending them, or the connection was lost): back to the documented budget until they return.
			if (probeAnswer) {
				this.serverLimit = undefined;
				this.serverRemaining = undefined;
				this.serverReset = undefined;
			}
			return;
		}
		if (probeAnswer) {
			if (Number.isFinite(limit) && limit > 0) this.serverLimit = limit;
			this.serverRemaining = remaining;
			this.serverReset = reset;
			return;
		}
		if (reset <= now && this.serverRemaining !== undefined) return; // about a window that is over
		if (Number.isFinite(limit) && limit > 0) this.serverLimit = limit;
		else this.serverLimit ??= remaining + 1;
		if (this.serverRemaining === undefined) {
			// The first answer with the headers: requests sent before it on the documented budget may
			// be counted by the server after this answer was written.
			const sent = this.starts.filter((t) => t > now - (this.spec?.windowMs ?? 0)).length;
			this.serverRemaining = Math.max(0, Math.min(remaining, this.serverLimit - sent));
			this.serverReset = reset;
			this.windowOpenedAt = now;
			return;
		}
		this.serverRemaining = Math.min(this.serverRemaining, remaining);
		this.serverReset = this.serverReset === undefined ? reset : Math.min(this.serverReset, reset);
	}

	/** How long (ms) an earlier 429 still holds every request back. */
	blockedFor(now = Date.now()): number {
		return Math.max(0, this.blockedUntil - now);
	}

	/** After a 429: nobody sends before `until`. */
	block(until: number): void {
		this.blockedUntil = Math.max(this.blockedUntil, until);
		if (this.serverLimit !== undefined) {
			this.serverRemaining = 0;
			this.serverReset = Math.max(this.serverReset ?? 0, until);
		}
	}
}

const limiters = new Map<string, Limiter>();

/** The limiter of one account (credential), created on first use, shared process-wide. */
export function limiterFor(key: string, spec: RateLimitSpec | undefined): Limiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new Limiter(spec);
		limiters.set(key, limiter);
	}
	return limiter;
}

/** Forget every limiter (tests start from a clean slate). */
export function resetLimiters(): void {
	limiters.clear();
}

export { header as readHeader };
