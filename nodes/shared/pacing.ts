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
 * - the documented one (N requests per sliding window), used until the server tells its own. A
 *   request counts from its slot until a window after its answer: the server counts it when it
 *   arrives, somewhere in between, and the time from slot to arrival varies (the first requests of
 *   a run wait for n8n's login; a busy process sends late). Counted from the slot alone, the request
 *   a window after it could arrive while the server still counts the first one: a 429 (and for
 *   Loymax, whose 429 names no wait, the documented minute's pause);
 * - the server's, from `X-RateLimit-Remaining` / `X-RateLimit-Reset`: while requests remain in the
 *   current window they go out at once, when none remain the limiter waits for the reset. That
 *   keeps to the limit without a 429 and at close to the allowed rate, whatever the window is.
 *   Requests are counted here as they go (answers lag behind); at a reset the first request of the
 *   new window goes alone and its answer tells what the window has counted already; answers to
 *   requests sent before that speak of an old window and are ignored (observe's `sentAt`). When
 *   that answer carries no headers, the documented budget applies again.
 * A 429 blocks everyone until the time it names, plus a random part (jitter): in queue mode every
 * worker got the same 429 and the same Retry-After, and would otherwise all resume at once.
 *
 * The limiter belongs to one n8n process. In queue mode each worker (and the main, which runs the
 * pollers) has its own: the documented budget is per process (the credential's Requests per
 * Minute), while the server's headers count every process's requests. When an answer shows that
 * the server's budget shrank faster than this process spent it (another process uses the same
 * account), the limiter stops sending the rest of the window at once and spreads it evenly over the
 * time left until the reset, re-reading the rest from every answer: processes that share an
 * account then slow down together and the window's budget lasts until its end instead of ending in
 * a burst of 429s.
 */
export class Limiter {
	/**
	 * The documented budget's window, oldest first: a slot's time while its request is on its way
	 * (a slot never answered — see observe — counts from it), its answer's time once answered.
	 */
	private starts: number[] = [];
	/** Slot times of requests on their way (still counted from their slot in `starts`). */
	private unanswered: number[] = [];
	private serverRemaining: number | undefined;
	private serverReset: number | undefined;
	private serverLimit: number | undefined;
	/** When the limiter opened the current server window itself (at the end of the last one). */
	private windowOpenedAt = 0;
	/** A new window was opened here: one request goes first, its answer tells the window's count. */
	private probing = false;
	private blockedUntil = 0;
	private queue: Promise<void> = Promise.resolve();
	/** Until when the server's budget is known to be shared with another process (see observe). */
	private sharedUntil = 0;
	/** When this process last took a slot (spreading a shared window measures from it). */
	private lastTaken = 0;

	constructor(
		private spec: RateLimitSpec | undefined,
		/** Random number in [0, 1) for the jitter (tests pass their own). */
		private random: () => number = Math.random,
	) {}

	/** The budget this limiter keeps to when the server tells none. */
	get budget(): RateLimitSpec | undefined {
		return this.spec;
	}

	/** A new budget (the credential's Requests per Minute changed); requests already sent still count. */
	setBudget(spec: RateLimitSpec | undefined): void {
		this.spec = spec;
	}

	/** Whether the server's budget is currently shared with another process. */
	sharing(now = Date.now()): boolean {
		return now < this.sharedUntil;
	}

	/**
	 * Wait for a slot (`count` slots in one turn: a request that makes n8n log in first). Calls are
	 * served in order. Answers `{ at }`, the (last) slot's time (pass it to observe()). A caller that
	 * must be done by `deadline` (a poll's budget) is not kept waiting past it: it gets `{ late }`
	 * instead (the wait that would have been needed, ms). Without a deadline there is always a slot.
	 */
	async acquireBy(count: number, deadline?: number): Promise<{ at: number } | { late: number }> {
		const turn = this.queue.then(async () => {
			let got: { at: number } | { late: number } = { late: 0 };
			for (let i = 0; i < count; i++) {
				got = await this.waitForSlot(deadline);
				if ('late' in got) break;
			}
			return got;
		});
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		return await turn;
	}

	private async waitForSlot(deadline?: number): Promise<{ at: number } | { late: number }> {
		for (;;) {
			const now = Date.now();
			const wait = this.nextSlotIn(now);
			if (wait <= 0) {
				this.take(now);
				return { at: now };
			}
			// A caller that must be done by a time (a poll's budget) does not wait past it.
			if (deadline !== undefined && now + wait > deadline) return { late: wait };
			// Short naps: an answer arriving meanwhile (the server's budget, a 429) changes the wait.
			await sleep(Math.min(wait, 250));
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
			const remaining = this.serverRemaining as number;
			if (remaining > 0 && this.serverReset !== undefined && this.sharing(now)) {
				// Shared with another process: the rest of the window, evenly over the time left.
				const gap = (this.serverReset - now) / remaining;
				return Math.max(0, this.lastTaken + gap - now);
			}
			if (remaining > 0) return 0;
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
		while (this.unanswered.length && this.unanswered[0] <= windowStart) this.unanswered.shift();
		if (this.starts.length < this.spec.requests) return 0;
		return this.starts[0] + this.spec.windowMs - now;
	}

	private take(now: number): void {
		this.lastTaken = now;
		if (this.usesServerBudget()) {
			this.serverRemaining = (this.serverRemaining as number) - 1;
		} else if (this.spec) {
			this.starts.push(now);
			this.unanswered.push(now);
		}
	}

	/**
	 * The answer to `slots` slots taken at or before `sentAt` came: they count in the documented
	 * window from now on instead of from their slot. (A turn's slots were taken one after another, so
	 * the latest unanswered slots up to `sentAt` are its own, or others of the same time.) A slot
	 * older than the window is counted again from now: its request may have arrived just now.
	 */
	private answered(sentAt: number, slots: number, now: number): void {
		if (this.usesServerBudget() || !this.spec) return;
		for (let n = 0; n < slots; n++) {
			let i = this.unanswered.length - 1;
			while (i >= 0 && this.unanswered[i] > sentAt) i--;
			if (i >= 0) {
				const at = this.starts.lastIndexOf(this.unanswered[i]);
				if (at !== -1) this.starts.splice(at, 1);
				this.unanswered.splice(i, 1);
			}
			this.starts.push(now);
		}
	}

	/**
	 * Learn from a response's headers. Every reading of Reset is at or after the real end of the
	 * window (epoch seconds and seconds-to-wait are rounded up by servers; an answer is read after it
	 * was written), so the earliest reading is the best, and the smallest Remaining is kept: answers
	 * come back out of order, and requests sent since are counted here already. `sentAt` is the time
	 * acquireBy() gave the request, `slots` the slots it took: with `sentAt`, the request counts in the
	 * documented window until a window from now.
	 */
	observe(headers: Headers | undefined, sentAt?: number, slots = 1): void {
		if (sentAt !== undefined) this.answered(sentAt, slots, Date.now());
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
		if (remaining < this.serverRemaining) {
			// The server counted more than this process sent (its own requests on the way are counted
			// here already): another process spends the same budget. Share it for this window and the
			// next one.
			const windowMs = this.spec?.windowMs ?? 60_000;
			this.sharedUntil = Math.max(this.sharedUntil, Math.max(reset, now) + windowMs);
		}
		this.serverRemaining = Math.min(this.serverRemaining, remaining);
		this.serverReset = this.serverReset === undefined ? reset : Math.min(this.serverReset, reset);
	}

	/** How long (ms) an earlier 429 still holds every request back. */
	blockedFor(now = Date.now()): number {
		return Math.max(0, this.blockedUntil - now);
	}

	/**
	 * After a 429: nobody sends before `until` plus a jitter of up to a fifth of the wait (at least
	 * 100 ms, at most 10 s), so that processes refused together do not come back together. Returns
	 * the time sending resumes. A 429 also means the account is shared (or the budget is smaller than
	 * thought): the rest of the next window is spread out.
	 */
	block(until: number, now = Date.now()): number {
		const wait = Math.max(0, until - now);
		const jitter = Math.round(this.random() * Math.min(10_000, Math.max(100, wait / 5)));
		const resume = until + jitter;
		if (resume > this.blockedUntil) this.blockedUntil = resume;
		if (this.serverLimit !== undefined) {
			// The 429's own time (Retry-After, else X-RateLimit-Reset) is the server's word on when to
			// ask again: the window is over for this limiter then, and one request goes first.
			this.serverRemaining = 0;
			this.serverReset = until;
			this.sharedUntil = Math.max(this.sharedUntil, until + (this.spec?.windowMs ?? 60_000));
		}
		return this.blockedUntil;
	}
}

/**
 * Name of the credential field holding the budget of one n8n process ("Requests per Minute", in
 * each rate-limited credential: the documented limit by default).
 */
export const REQUESTS_PER_MINUTE = 'requestsPerMinute';

/**
 * The budget of this process: the credential's Requests per Minute when set (a positive number),
 * else the documented one. Kept in the documented window's length (the same rate).
 */
export function budgetOf(spec: RateLimitSpec | undefined, credentialData?: Record<string, unknown>): RateLimitSpec | undefined {
	const raw = credentialData?.[REQUESTS_PER_MINUTE];
	const perMinute = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
	if (!Number.isFinite(perMinute) || perMinute <= 0) return spec;
	const windowMs = spec?.windowMs ?? 60_000;
	const requests = Math.max(1, Math.floor((perMinute * windowMs) / 60_000));
	if (spec && spec.requests === requests) return spec;
	return { ...(spec ?? { windowMs }), requests, windowMs };
}

const limiters = new Map<string, Limiter>();

/**
 * The limiter of one account (credential), created on first use, shared process-wide. Pass the
 * credential's data to apply its Requests per Minute (read again on every call: a changed value
 * applies to the next request).
 */
export function limiterFor(key: string, spec: RateLimitSpec | undefined, credentialData?: Record<string, unknown>): Limiter {
	const budget = budgetOf(spec, credentialData);
	let limiter = limiters.get(key);
	if (!limiter) {
		limiter = new Limiter(budget);
		limiters.set(key, limiter);
	} else if (limiter.budget?.requests !== budget?.requests || limiter.budget?.windowMs !== budget?.windowMs) {
		limiter.setBudget(budget);
	}
	return limiter;
}

/** Forget every limiter (tests start from a clean slate). */
export function resetLimiters(): void {
	limiters.clear();
}

export { header as readHeader };
