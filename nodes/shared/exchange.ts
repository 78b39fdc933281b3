/**
 * The limits of one HTTP exchange, below the transport: a deadline for the whole exchange
 * (connect, headers and body), a bound on the body size, and the redirect rule.
 *
 * Node code may not use timers or Node's own modules (n8n's scanner), so the deadline is an
 * `AbortSignal.timeout` (its timer does not keep the process alive) and the body is read from the
 * stream n8n's helper hands back (`encoding: 'stream'`), counting bytes as they come.
 */

/** The parts of the runtime used here (the package compiles without Node's types). */
export interface AbortSignalLike {
	readonly aborted: boolean;
	addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
	removeEventListener(type: 'abort', listener: () => void): void;
}

interface BytesLike {
	toString(encoding?: string): string;
}

/** The runtime's AbortSignal and Buffer (the package compiles without Node's or the DOM's types). */
declare const AbortSignal: {
	timeout(ms: number): AbortSignalLike;
	any?(signals: AbortSignalLike[]): AbortSignalLike;
};
declare const Buffer: { concat(list: Uint8Array[], total?: number): BytesLike };

/** A readable body stream (Node's IncomingMessage). */
export interface BodyStream extends AsyncIterable<Uint8Array> {
	destroy(error?: Error): void;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export class ExchangeTimeout extends Error {
	constructor() {
		super('timeout');
		this.name = 'ExchangeTimeout';
	}
}

export class ResponseTooLarge extends Error {
	constructor(readonly limit: number) {
		super('response too large');
		this.name = 'ResponseTooLarge';
	}
}

/** A deadline `ms` from now. */
export function deadlineIn(ms: number): AbortSignalLike {
	return AbortSignal.timeout(Math.max(1, Math.round(ms)));
}

/**
 * Give request options an abort signal that n8n-core cannot drop: `httpRequestWithAuthentication`
 * sets `abortSignal` to the execution's cancel signal, replacing any of ours; this keeps both.
 */
export function keepDeadline(options: object, deadline: AbortSignalLike): void {
	let signal = deadline;
	Object.defineProperty(options, 'abortSignal', {
		enumerable: true,
		configurable: true,
		get: () => signal,
		set: (other?: AbortSignalLike) => {
			signal = other && other !== deadline && AbortSignal.any ? AbortSignal.any([deadline, other]) : deadline;
		},
	});
}

/** Settle `work` or reject with ExchangeTimeout at the deadline, whichever comes first. */
export async function beforeDeadline<T>(work: Promise<T>, deadline: AbortSignalLike, onLate?: (value: T) => void): Promise<T> {
	if (deadline.aborted) {
		void work.then(onLate, () => undefined);
		throw new ExchangeTimeout();
	}
	let listener: () => void = () => undefined;
	const timedOut = new Promise<never>((_resolve, reject) => {
		listener = () => {
			// The answer may still come: release it (a stream left open would hold the socket).
			void work.then(onLate, () => undefined);
			reject(new ExchangeTimeout());
		};
		deadline.addEventListener('abort', listener, { once: true });
	});
	return await Promise.race([work, timedOut]).finally(() => deadline.removeEventListener('abort', listener));
}

function isStream(body: unknown): body is BodyStream {
	return !!body && typeof body === 'object' && Symbol.asyncIterator in body && typeof (body as BodyStream).destroy === 'function';
}

/** Close a body stream nobody will read. */
export function discard(body: unknown): void {
	if (isStream(body)) body.destroy();
}

/**
 * The body as text, read within the deadline and at most `limit` bytes: past either the stream is
 * destroyed (the connection closed) and ExchangeTimeout / ResponseTooLarge is thrown. Memory stays
 * bounded by the limit. A body that is not a stream (already read by the helper) is returned as is.
 */
export async function readBody(body: unknown, deadline: AbortSignalLike, limit: number): Promise<unknown> {
	if (!isStream(body)) return body;
	const chunks: Uint8Array[] = [];
	let total = 0;
	const read = (async () => {
		for await (const chunk of body) {
			total += chunk.length;
			if (total > limit) throw new ResponseTooLarge(limit);
			chunks.push(chunk);
		}
	})();
	await beforeDeadline(read, deadline).catch(async (error: unknown) => {
		body.destroy();
		void read.catch(() => undefined);
		return await Promise.reject(error);
	});
	return Buffer.concat(chunks, total).toString('utf8');
}

/** The target of a redirect, and whether it stays on the origin (scheme, host and port) of `from`. */
export function redirectTarget(from: string, location: string): { url: URL; sameOrigin: boolean } | undefined {
	try {
		const origin = new URL(from);
		const url = new URL(location, origin);
		return { url, sameOrigin: url.origin === origin.origin && /^https?:$/.test(url.protocol) };
	} catch {
		return undefined;
	}
}
