/**
 * The sandbox: one local HTTP server (127.0.0.1 only) hosting a fake of each provider under its
 * own path prefix. Each fake follows the vendor docs (shared/seeds, shared/providers), not our
 * node: it validates requests against the documented contract, checks auth, keeps state in memory
 * and answers the way the docs say. The server records every request and can inject faults.
 */
import http from 'http';
import type { AddressInfo } from 'net';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface SandboxRequest {
	provider: string;
	method: string;
	/** Path after the provider prefix, decoded segments kept encoded (as sent). */
	path: string;
	/** Parsed query: repeated keys become arrays. */
	query: Record<string, string | string[]>;
	rawQuery: string;
	headers: http.IncomingHttpHeaders;
	/** Parsed JSON body, or undefined when the body is empty or not JSON (see rawBody). */
	body: unknown;
	rawBody: string;
	/** Whether rawBody was present but not valid JSON. */
	bodyInvalid: boolean;
}

export interface SandboxResponse {
	status: number;
	headers?: Record<string, string>;
	/** Objects are sent as JSON; strings as they are. */
	body?: unknown;
}

export interface ProviderFake {
	/** Path prefix, e.g. `/iqm`. */
	prefix: string;
	name: string;
	handle(req: SandboxRequest): SandboxResponse | Promise<SandboxResponse>;
	reset?(): void;
}

export interface RecordedRequest {
	provider: string;
	method: string;
	path: string;
	query: Record<string, string | string[]>;
	rawQuery: string;
	headers: http.IncomingHttpHeaders;
	body: unknown;
	rawBody: string;
	status: number;
	/** Whether the fake handled (processed) the request; false for injected refusals. */
	processed: boolean;
	fault?: string;
	at: number;
	/** Bytes of a streamed fault answer (trickle / bodyBytes) written before the client left. */
	bytesSent?: number;
}

/** A fault to inject. Matching requests (after `skip`) get it, `times` times (default: always). */
export interface FaultRule {
	provider?: string;
	method?: string;
	/** Regex the path (after the prefix) must match. */
	path?: string | RegExp;
	/** Skip this many matching requests first. */
	skip?: number;
	/** Apply this many times, then stop (undefined: no limit). */
	times?: number;
	/** Apply to a matching request with this probability (0..1), drawn from the seeded RNG. */
	probability?: number;
	/** Respond with this status (and headers/body) instead of the fake's answer. */
	status?: number;
	headers?: Record<string, string>;
	/** Body as is: a string is sent raw (HTML page, truncated JSON, empty). */
	body?: unknown;
	/** Let the fake process the request first, then answer with the fault (a write that happened). */
	afterProcessing?: boolean;
	/** Close the connection without an answer. */
	drop?: boolean;
	/** Wait this long before answering. */
	delayMs?: number;
	/** Replace the fake's JSON answer body (e.g. drop `data`), keeping its status. */
	mangle?: (body: unknown) => unknown;
	/**
	 * Security faults (test/security). `echo`: answer `status` (default 400) with a body repeating
	 * every credential the request carried — Authorization, X-API-Key, the query and the body — as
	 * a careless server does in its error words (`{"errors":[{"detail":"token Bearer eyJ…"}]}`).
	 */
	echo?: boolean;
	/** Send the headers (status 200, JSON), then `bytes` every `everyMs` ms, forever (until the client leaves). */
	trickle?: { bytes: number; everyMs: number };
	/** Answer 200 with a valid JSON body of this many bytes, streamed in 64 KB chunks. */
	bodyBytes?: number;
	label?: string;
}

interface ActiveRule extends FaultRule {
	seen: number;
	applied: number;
}

/** Small seeded PRNG (mulberry32) so fault runs are reproducible. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function parseQuery(raw: string): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [key, value] of new URLSearchParams(raw)) {
		const existing = out[key];
		if (existing === undefined) out[key] = value;
		else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Sandbox {
	readonly log: RecordedRequest[] = [];
	private readonly fakes: ProviderFake[] = [];
	private rules: ActiveRule[] = [];
	private server?: http.Server;
	private random: () => number = seededRandom(1);
	/** Latency added to every answer (benchmarks: a realistic round trip). */
	latencyMs = 0;
	// ---- triggers switches: the server's clock and changes while a list is paged ----
	/**
	 * The server's clock, sent as the HTTP `Date` header (RFC 9110: origin servers with a clock send
	 * it). Undefined: Node's own (the real time). Tests of clock offsets and steps set it.
	 */
	serverNow?: () => number;
	/** Whether answers carry a `Date` header at all (a proxy may strip it): the triggers must cope. */
	dateHeader = true;
	/** Called before a fake handles a request (e.g. create or delete records while pages are read). */
	beforeHandle?: (req: SandboxRequest) => void;
	// ---- end of triggers switches ----
	port = 0;

	constructor(fakes: ProviderFake[] = []) {
		for (const fake of fakes) this.mount(fake);
	}

	mount(fake: ProviderFake): this {
		this.fakes.push(fake);
		return this;
	}

	fake<T extends ProviderFake>(name: string): T {
		const fake = this.fakes.find((f) => f.name === name);
		if (!fake) throw new Error(`No fake ${name}`);
		return fake as T;
	}

	/** Base URL of a provider's fake, e.g. http://127.0.0.1:PORT/iqm */
	url(name: string): string {
		return `http://127.0.0.1:${this.port}${this.fake(name).prefix}`;
	}

	async start(port = 0): Promise<this> {
		this.server = http.createServer((req, res) => {
			void this.onRequest(req, res);
		});
		this.server.keepAliveTimeout = 5000;
		await new Promise<void>((resolve, reject) => {
			this.server!.once('error', reject);
			this.server!.listen(port, '127.0.0.1', () => resolve());
		});
		this.port = (this.server.address() as AddressInfo).port;
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections?.();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	private readonly unwrap: Array<() => void> = [];

	/**
	 * Fault: a new login revokes every token issued before it (a service allowing one session per
	 * user). `fake.tokens` is the fake's token store (Map or Set); `loginPath` matches its login.
	 */
	revokeOnLogin(name: string, loginPath: RegExp): this {
		const fake = this.fake<ProviderFake & { tokens: Map<string, unknown> | Set<string> }>(name);
		const handle = fake.handle;
		fake.handle = async (req: SandboxRequest) => {
			if (!loginPath.test(req.path)) return await handle.call(fake, req);
			const before = [...fake.tokens.keys()];
			const answer = await handle.call(fake, req);
			if (answer.status < 300) for (const token of before) fake.tokens.delete(token);
			return answer;
		};
		this.unwrap.push(() => {
			fake.handle = handle;
		});
		return this;
	}

	/** Forget the log, the faults and every fake's state. */
	reset(): void {
		for (const undo of this.unwrap.splice(0)) undo();
		this.log.length = 0;
		this.rules = [];
		this.latencyMs = 0;
		this.serverNow = undefined;
		this.dateHeader = true;
		this.beforeHandle = undefined;
		for (const fake of this.fakes) fake.reset?.();
	}

	clearLog(): void {
		this.log.length = 0;
	}

	inject(rule: FaultRule): this {
		this.rules.push({ ...rule, seen: 0, applied: 0 });
		return this;
	}

	clearFaults(): void {
		this.rules = [];
	}

	seed(seed: number): void {
		this.random = seededRandom(seed);
	}

	/** Requests recorded for one provider (optionally one method / path regex). */
	requests(provider: string, method?: string, path?: RegExp | string): RecordedRequest[] {
		return this.log.filter(
			(r) =>
				r.provider === provider &&
				(!method || r.method === method) &&
				(!path || (typeof path === 'string' ? r.path === path : path.test(r.path))),
		);
	}

	private pickFault(req: SandboxRequest): ActiveRule | undefined {
		for (const rule of this.rules) {
			if (rule.provider && rule.provider !== req.provider) continue;
			if (rule.method && rule.method !== req.method) continue;
			if (rule.path && !(typeof rule.path === 'string' ? new RegExp(rule.path) : rule.path).test(req.path)) continue;
			rule.seen++;
			if (rule.skip && rule.seen <= rule.skip) continue;
			if (rule.times !== undefined && rule.applied >= rule.times) continue;
			if (rule.probability !== undefined && this.random() >= rule.probability) continue;
			rule.applied++;
			return rule;
		}
		return undefined;
	}

	private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const url = req.url ?? '/';
		const qIndex = url.indexOf('?');
		const fullPath = qIndex === -1 ? url : url.slice(0, qIndex);
		const rawQuery = qIndex === -1 ? '' : url.slice(qIndex + 1);
		const fake = this.fakes.find((f) => fullPath === f.prefix || fullPath.startsWith(`${f.prefix}/`));
		let body: unknown;
		let bodyInvalid = false;
		if (rawBody.trim() !== '') {
			try {
				body = JSON.parse(rawBody);
			} catch {
				bodyInvalid = true;
			}
		}
		const request: SandboxRequest = {
			provider: fake?.name ?? 'unknown',
			method: (req.method ?? 'GET').toUpperCase(),
			path: fake ? fullPath.slice(fake.prefix.length) || '/' : fullPath,
			query: parseQuery(rawQuery),
			rawQuery,
			headers: req.headers,
			body,
			rawBody,
			bodyInvalid,
		};
		const record: RecordedRequest = {
			provider: request.provider,
			method: request.method,
			path: request.path,
			query: request.query,
			rawQuery,
			headers: req.headers,
			body,
			rawBody,
			status: 0,
			processed: false,
			at: Date.now(),
		};
		this.log.push(record);

		const fault = fake ? this.pickFault(request) : undefined;
		if (fault) record.fault = fault.label ?? (fault.drop ? 'drop' : String(fault.status ?? 'fault'));
		if (this.latencyMs) await sleep(this.latencyMs);
		if (fault?.delayMs) await sleep(fault.delayMs);

		if (fault?.trickle || fault?.bodyBytes) {
			record.status = 200;
			streamFault(res, fault, record);
			return;
		}
		let answer: SandboxResponse;
		if (!fake) {
			answer = { status: 404, body: { error: `No fake at ${fullPath}` } };
		} else if (fault && !fault.afterProcessing && !fault.echo && (fault.drop || fault.status !== undefined)) {
			if (fault.drop) {
				req.socket.destroy();
				return;
			}
			answer = { status: fault.status!, headers: fault.headers, body: fault.body };
		} else if (fault?.echo) {
			answer = { status: fault.status ?? 400, headers: fault.headers, body: echoBody(request) };
		} else {
			try {
				this.beforeHandle?.(request);
				answer = await fake.handle(request);
				record.processed = answer.status < 400;
			} catch (error) {
				answer = { status: 500, body: { error: `sandbox fake crashed: ${(error as Error).message}` } };
			}
			if (fault?.afterProcessing) {
				if (fault.drop) {
					req.socket.destroy();
					return;
				}
				answer = { status: fault.status ?? 500, headers: fault.headers, body: fault.body };
			} else if (fault?.mangle) {
				answer = { ...answer, body: fault.mangle(answer.body) };
			}
		}
		record.status = answer.status;
		const headers: Record<string, string> = { ...(answer.headers ?? {}) };
		let payload = '';
		if (answer.body !== undefined) {
			if (typeof answer.body === 'string') {
				payload = answer.body;
				headers['Content-Type'] ??= /^\s*</.test(payload) ? 'text/html; charset=utf-8' : 'application/json';
			} else {
				payload = JSON.stringify(answer.body);
				headers['Content-Type'] ??= 'application/json';
			}
		}
		headers['Content-Length'] = String(Buffer.byteLength(payload));
		res.sendDate = this.dateHeader;
		if (this.dateHeader && this.serverNow) headers.Date = new Date(this.serverNow()).toUTCString();
		res.writeHead(answer.status, headers);
		res.end(payload);
	}
}

/** What a careless server says in an error: every credential of the request, word for word. */
export function echoBody(req: SandboxRequest): Json {
	const words = `token ${String(req.headers.authorization ?? '')} key ${String(req.headers['x-api-key'] ?? '')} query ${req.rawQuery} body ${req.rawBody}`;
	return {
		errors: [{ detail: words, title: 'Echo' }],
		message: words,
		detail: words,
		echo: { authorization: String(req.headers.authorization ?? ''), apiKey: String(req.headers['x-api-key'] ?? ''), query: req.rawQuery, body: req.rawBody },
	};
}

/** A trickling or an oversized answer, written as a stream. */
function streamFault(res: http.ServerResponse, fault: FaultRule, record: RecordedRequest): void {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	record.bytesSent = 0;
	const write = res.write.bind(res);
	res.write = ((chunk: string, ...rest: never[]) => {
		record.bytesSent! += Buffer.byteLength(chunk);
		return write(chunk, ...rest);
	}) as typeof res.write;
	if (fault.trickle) {
		const { bytes, everyMs } = fault.trickle;
		res.write('{"data":["');
		const timer = setInterval(() => {
			if (res.destroyed || res.writableEnded) return clearInterval(timer);
			res.write('x'.repeat(bytes));
		}, everyMs);
		res.on('close', () => clearInterval(timer));
		return;
	}
	let left = Math.max(0, (fault.bodyBytes ?? 0) - 14);
	const chunk = 'x'.repeat(64 * 1024);
	res.write('{"data":["');
	const pump = (): void => {
		while (left > 0) {
			const piece = left >= chunk.length ? chunk : chunk.slice(0, left);
			left -= piece.length;
			if (!res.write(piece)) {
				res.once('drain', pump);
				return;
			}
		}
		res.end('"]}');
	};
	res.on('close', () => {
		left = 0;
	});
	pump();
}

/** Shared checks a fake uses. */
export function bearer(req: SandboxRequest): string | undefined {
	const auth = req.headers.authorization;
	if (typeof auth !== 'string') return undefined;
	const match = /^Bearer (.+)$/.exec(auth);
	return match ? match[1] : undefined;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
	return { status, body, headers };
}
