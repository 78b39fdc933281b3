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
 * A 429 blocks everyone until the time it names.
 */
export class Limiter {
	private starts: number[] = [];
	private serverRemaining: number | undefined;
	private serverReset: number | undefined;
	private serverLimit: number | undefined;
	private blockedUntil = 0;
	private queue: Promise<void> = Promise.resolve();

	constructor(private spec: RateLimitSpec | undefined) {}

	/** Wait for a slot. Calls are served in order. */
	async acquire(): Promise<void> {
		const turn = this.queue.then(async () => await this.waitForSlot());
		this.queue = turn.catch(() => undefined);
		await turn;
	}

	private async waitForSlot(): Promise<void> {
		for (;;) {
			const now = Date.now();
			const wait = this.nextSlotIn(now);
			if (wait <= 0) {
				this.take(now);
				return;
			}
			await sleep(Math.min(wait, 60_000));
		}
	}

	private usesServerBudget(now: number): boolean {
		return this.serverRemaining !== undefined && this.serverReset !== undefined && now < this.serverReset;
	}

	private nextSlotIn(now: number): number {
		if (now < this.blockedUntil) return this.blockedUntil - now;
		if (this.serverReset !== undefined && now >= this.serverReset) {
			// The server's window is over: a full budget again, until a response says otherwise.
			this.serverRemaining = this.serverLimit;
			this.serverReset = undefined;
		}
		if (this.usesServerBudget(now)) {
			return (this.serverRemaining as number) > 0 ? 0 : (this.serverReset as number) - now;
		}
		if (this.serverLimit !== undefined) return 0; // the server told its limit: no guessing
		if (!this.spec) return 0;
		const windowStart = now - this.spec.windowMs;
		while (this.starts.length && this.starts[0] <= windowStart) this.starts.shift();
		if (this.starts.length < this.spec.requests) return 0;
		return this.starts[0] + this.spec.windowMs - now;
	}

	private take(now: number): void {
		if (this.usesServerBudget(now)) {
			this.serverRemaining = (this.serverRemaining as number) - 1;
		} else if (this.spec && this.serverLimit === undefined) {
			this.starts.push(now);
		}
	}

	/** Learn from a response's headers. */
	observe(headers: Headers | undefined): void {
		const limit = Number(header(headers, 'x-ratelimit-limit'));
		const remaining = Number(header(headers, 'x-ratelimit-remaining'));
		const reset = resetTimeFromHeader(header(headers, 'x-ratelimit-reset'));
		if (!Number.isFinite(remaining) || reset === undefined) return;
		if (Number.isFinite(limit) && limit > 0) this.serverLimit = limit;
		if (this.serverReset === undefined || reset > this.serverReset + 500) {
			// A new window: requests already counted against it are in flight.
			this.serverReset = reset;
			this.serverRemaining = remaining;
		} else {
			// Same window: responses may come back out of order, keep the smallest count.
			this.serverRemaining = Math.min(this.serverRemaining ?? remaining, remaining);
			this.serverReset = Math.max(this.serverReset, reset);
		}
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
