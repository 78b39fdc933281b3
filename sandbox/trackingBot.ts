/**
 * Tracking Bot fake — vendor docs "API для интеграций" (a FastAPI service under /api/v1):
 * - `X-API-Key: tb_` + 32 characters; each key is bound to one bot. A key for bot A asking for
 *   bot B gets 403; an unknown bot 404; no/unknown/revoked key 401. Errors are FastAPI's
 *   `{"detail": "..."}`, validation errors `{"detail": [{loc, msg, type}]}` with 422.
 * - Lists page with `page` (≥ 1) and `page_size` (1..100) and tell `total`.
 * - A per-key rate limit (default 60 requests per 60 s, a fixed window from the first request)
 *   with X-RateLimit-Limit / -Remaining / -Reset on every answer and 429 beyond it. The docs do not
 *   say what Reset holds: switchable between epoch seconds and seconds to wait.
 * - GET /tracking/{bot_id} filters by `client_code` as every code sample of the docs uses it.
 * Switchable where the docs are silent: the envelope of the client list, the key form (`keyForm`),
 * a server ignoring `client_code` (`clientCodeFilter`).
 */
import { json, type ProviderFake, type SandboxRequest, type SandboxResponse } from './server';

export interface TbTracking {
	id: number;
	bot_id: number;
	tracking_number: string;
	client_code: string | null;
	current_status: string;
	quantity: number | null;
	weight_kg: number | null;
	price_per_kg_usd: number | null;
	total_cost_usd: number | null;
	note: string | null;
	created_at: string;
	updated_at: string;
}

export interface TbClient {
	id: number;
	bot_id: number;
	client_code: string;
	name: string;
	telegram_id: number;
	phone: string;
	created_at: string;
}

export interface TbBot {
	id: number;
	name: string;
	username: string;
	is_active: boolean;
	subscription_status: string;
}

export const TB_KEY_A = 'tb_AAAAbbbbCCCCdddd0000111122223333';
export const TB_KEY_B = 'tb_BBBBccccDDDDeeee4444555566667777';
/** A key of another form than the docs' placeholder (40 characters, no tb_ prefix). */
export const TB_KEY_40 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const TB_BOT_A = 123;
export const TB_BOT_B = 456;

const STATUSES = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'];

interface Window {
	start: number;
	count: number;
}

export class TrackingBotFake implements ProviderFake {
	prefix = '/trackingbot';
	name = 'trackingbot';
	/** key → bot id */
	keys = new Map<string, number>();
	bots: TbBot[] = [];
	tracking: TbTracking[] = [];
	clients: TbClient[] = [];
	/** Requests per window per key, window length (ms), and the form of X-RateLimit-Reset. */
	rateLimit = { requests: 60, windowMs: 60_000 };
	resetForm: 'epoch' | 'delta' = 'epoch';
	alignWindows = false;
	/** Envelope of GET /clients: `{clients, total}`, `{items, total}` or a bare array. */
	clientEnvelope: 'clients' | 'items' | 'array' = 'clients';
	rateLimited = 0;

	// ---- providers helper: alternative readings of issue 15 (Tracking Bot) ----
	/**
	 * The form of bot A's key. `documented`: tb_ + 32 characters (the docs' placeholder); `forty`:
	 * a 40-character key without the prefix (the docs only show a placeholder, issue 15.3).
	 */
	keyForm: 'documented' | 'forty' = 'documented';
	/**
	 * Whether GET /tracking/{bot_id} honours `client_code` (every code sample of the docs sends it;
	 * the parameter list does not name it). `ignore`: a server that drops unknown query parameters
	 * and returns every client's parcels (issue 15.10).
	 */
	clientCodeFilter: 'honour' | 'ignore' = 'honour';
	// ---- end providers helper ----

	private windows = new Map<string, Window>();
	private nextId = 1;
	private clock = Date.parse('2025-01-27T10:00:00Z');

	constructor() {
		this.reset();
	}

	reset(): void {
		this.keys = new Map([
			[TB_KEY_A, TB_BOT_A],
			[TB_KEY_B, TB_BOT_B],
		]);
		this.bots = [
			{ id: TB_BOT_A, name: 'Название компании', username: '@company_bot', is_active: true, subscription_status: 'active' },
			{ id: TB_BOT_B, name: 'Other cargo', username: '@other_bot', is_active: true, subscription_status: 'trial' },
		];
		this.tracking = [];
		this.clients = [];
		this.rateLimit = { requests: 60, windowMs: 60_000 };
		this.resetForm = 'epoch';
		this.alignWindows = false;
		this.clientEnvelope = 'clients';
		this.rateLimited = 0;
		this.keyForm = 'documented';
		this.clientCodeFilter = 'honour';
		this.windows = new Map();
		this.windowLog = [];
		this.nextId = 1;
		this.clock = Date.parse('2025-01-27T10:00:00Z');
	}

	private stamp(): string {
		this.clock += 1000;
		return new Date(this.clock).toISOString().slice(0, 19);
	}

	addClient(botId: number, code: string, name: string): TbClient {
		const client: TbClient = {
			id: this.clients.length + 1,
			bot_id: botId,
			client_code: code,
			name,
			telegram_id: 100000 + this.clients.length,
			phone: `+7999000${String(this.clients.length).padStart(4, '0')}`,
			created_at: this.stamp(),
		};
		this.clients.push(client);
		return client;
	}

	addTracking(botId: number, fields: Partial<TbTracking> & { tracking_number: string }): TbTracking {
		const at = this.stamp();
		const record: TbTracking = {
			id: this.nextId++,
			bot_id: botId,
			client_code: null,
			current_status: 'pending',
			quantity: null,
			weight_kg: null,
			price_per_kg_usd: null,
			total_cost_usd: null,
			note: null,
			created_at: at,
			updated_at: at,
			...fields,
		};
		this.tracking.push(record);
		return record;
	}

	/** The public shape of a tracking record (no bot_id). */
	view(t: TbTracking): Record<string, unknown> {
		const { bot_id, ...rest } = t;
		void bot_id;
		return rest;
	}

	clientView(c: TbClient): Record<string, unknown> {
		const { bot_id, ...rest } = c;
		void bot_id;
		return rest;
	}

	private limitHeaders(key: string, now: number): { headers: Record<string, string>; limited: boolean } {
		let window = this.windows.get(key);
		if (!window || now >= window.start + this.rateLimit.windowMs) {
			// A window opens with the first request after the last one ended, or (aligned) at the
			// multiple of its length it falls in — a Redis-style fixed window.
			const start = this.alignWindows ? now - (now % this.rateLimit.windowMs) : now;
			window = { start, count: 0 };
			this.windows.set(key, window);
		}
		const limited = window.count >= this.rateLimit.requests;
		if (!limited) window.count++;
		this.noteWindow(window, limited);
		const resetAt = window.start + this.rateLimit.windowMs;
		// Rounded up: the window is over by the time named (never earlier).
		const reset = this.resetForm === 'epoch' ? Math.ceil(resetAt / 1000) : Math.ceil((resetAt - now) / 1000);
		return {
			limited,
			headers: {
				'X-RateLimit-Limit': String(this.rateLimit.requests),
				'X-RateLimit-Remaining': String(Math.max(0, this.rateLimit.requests - window.count)),
				'X-RateLimit-Reset': String(reset),
			},
		};
	}

	// ---------- rate-limit record (queue mode, issue 17): what each window let through ----------

	/** Every window of every key as the limit counted it: accepted and refused requests. */
	windowLog: Array<{ key: string; start: number; accepted: number; refused: number }> = [];

	private noteWindow(window: Window, limited: boolean): void {
		let entry = this.windowLog.find((w) => w.start === window.start && this.windows.get(w.key) === window);
		if (!entry) {
			const key = [...this.windows.entries()].find(([, w]) => w === window)?.[0] ?? '';
			entry = { key, start: window.start, accepted: 0, refused: 0 };
			this.windowLog.push(entry);
		}
		if (limited) entry.refused++;
		else entry.accepted++;
	}

	/** Start every key's next request in a fresh window, and forget the record. */
	resetWindows(): void {
		this.windows = new Map();
		this.windowLog = [];
	}

	// ---------- end of the rate-limit record ----------

	handle(req: SandboxRequest): SandboxResponse {
		if (!req.path.startsWith('/api/v1/')) return json(404, { detail: 'Not Found' });
		const key = typeof req.headers['x-api-key'] === 'string' ? req.headers['x-api-key'] : undefined;
		if (!key) return json(401, { detail: 'API key is required (X-API-Key header)' });
		const keyBot = this.keyForm === 'forty' ? (key === TB_KEY_40 ? TB_BOT_A : key === TB_KEY_A ? undefined : this.keys.get(key)) : this.keys.get(key);
		if (keyBot === undefined) return json(401, { detail: 'Invalid or revoked API key' });
		const { headers, limited } = this.limitHeaders(key, Date.now());
		if (limited) {
			this.rateLimited++;
			return json(429, { detail: 'Rate limit exceeded' }, headers);
		}
		const answer = this.route(req, keyBot);
		return { ...answer, headers: { ...(answer.headers ?? {}), ...headers } };
	}

	private route(req: SandboxRequest, keyBot: number): SandboxResponse {
		const parts = req.path.slice('/api/v1/'.length).split('/').map((p) => decodeURIComponent(p));
		const [section, botRaw, ...rest] = parts;
		if (!['tracking', 'clients', 'statistics', 'bots'].includes(section) || botRaw === undefined) return json(404, { detail: 'Not Found' });
		if (!/^\d+$/.test(botRaw)) return invalid(['path', 'bot_id'], 'value is not a valid integer', 'type_error.integer');
		const botId = Number(botRaw);
		const bot = this.bots.find((b) => b.id === botId);
		if (!bot) return json(404, { detail: 'Bot not found' });
		if (botId !== keyBot) return json(403, { detail: 'This API key has no access to this bot' });
		const m = req.method;
		if (section === 'bots') {
			if (rest.length) return json(404, { detail: 'Not Found' });
			return m === 'GET' ? json(200, bot) : notAllowed();
		}
		if (section === 'statistics') {
			if (rest.length !== 1 || !['overview', 'tracking'].includes(rest[0])) return json(404, { detail: 'Not Found' });
			if (m !== 'GET') return notAllowed();
			return json(200, rest[0] === 'overview' ? this.overview(botId) : this.trackingStats(botId));
		}
		if (section === 'clients') {
			if (rest.length === 0) return m === 'GET' ? this.listClients(req, botId) : notAllowed();
			if (rest.length !== 1) return json(404, { detail: 'Not Found' });
			if (m !== 'GET') return notAllowed();
			if (!/^\d+$/.test(rest[0])) return invalid(['path', 'client_id'], 'value is not a valid integer', 'type_error.integer');
			const client = this.clients.find((c) => c.bot_id === botId && c.id === Number(rest[0]));
			return client ? json(200, this.clientView(client)) : json(404, { detail: 'Client not found' });
		}
		// tracking
		if (rest.length === 0) {
			if (m === 'GET') return this.listTracking(req, botId);
			if (m === 'POST') return this.createTracking(req, botId);
			return notAllowed();
		}
		if (rest[0] === 'by-client' && rest.length === 2) {
			if (m !== 'GET') return notAllowed();
			const list = this.tracking.filter((t) => t.bot_id === botId && t.client_code === rest[1]).map((t) => this.view(t));
			return json(200, { tracking_numbers: list, total: list.length });
		}
		if (rest.length !== 1) return json(404, { detail: 'Not Found' });
		if (!/^\d+$/.test(rest[0])) return invalid(['path', 'tracking_id'], 'value is not a valid integer', 'type_error.integer');
		const record = this.tracking.find((t) => t.bot_id === botId && t.id === Number(rest[0]));
		if (m === 'GET') return record ? json(200, this.view(record)) : json(404, { detail: 'Tracking number not found' });
		if (m === 'PUT') {
			if (req.bodyInvalid) return invalid(['body'], 'JSON decode error', 'value_error.jsondecode');
			const body = (req.body ?? {}) as Record<string, unknown>;
			if (body.status === undefined) return invalid(['body', 'status'], 'field required', 'value_error.missing');
			if (typeof body.status !== 'string' || body.status === '') return invalid(['body', 'status'], 'str type expected', 'type_error.str');
			if (!record) return json(404, { detail: 'Tracking number not found' });
			record.current_status = body.status;
			record.updated_at = this.stamp();
			return json(200, this.view(record));
		}
		return notAllowed();
	}

	private paging(req: SandboxRequest): { page: number; size: number } | SandboxResponse {
		const page = single(req.query.page) ?? '1';
		const size = single(req.query.page_size) ?? '50';
		if (!/^-?\d+$/.test(page)) return invalid(['query', 'page'], 'value is not a valid integer', 'type_error.integer');
		if (Number(page) < 1) return invalid(['query', 'page'], 'ensure this value is greater than or equal to 1', 'value_error.number.not_ge');
		if (!/^-?\d+$/.test(size)) return invalid(['query', 'page_size'], 'value is not a valid integer', 'type_error.integer');
		if (Number(size) < 1) return invalid(['query', 'page_size'], 'ensure this value is greater than or equal to 1', 'value_error.number.not_ge');
		if (Number(size) > 100) return invalid(['query', 'page_size'], 'ensure this value is less than or equal to 100', 'value_error.number.not_le');
		return { page: Number(page), size: Number(size) };
	}

	private listTracking(req: SandboxRequest, botId: number): SandboxResponse {
		const paging = this.paging(req);
		if ('status' in paging) return paging;
		const status = single(req.query.status_filter);
		const client = this.clientCodeFilter === 'honour' ? single(req.query.client_code) : undefined;
		const all = this.tracking.filter((t) => t.bot_id === botId && (!status || t.current_status === status) && (!client || t.client_code === client));
		const slice = all.slice((paging.page - 1) * paging.size, paging.page * paging.size).map((t) => this.view(t));
		return json(200, { tracking_numbers: slice, total: all.length });
	}

	private listClients(req: SandboxRequest, botId: number): SandboxResponse {
		const paging = this.paging(req);
		if ('status' in paging) return paging;
		const all = this.clients.filter((c) => c.bot_id === botId);
		const slice = all.slice((paging.page - 1) * paging.size, paging.page * paging.size).map((c) => this.clientView(c));
		if (this.clientEnvelope === 'array') return json(200, slice);
		return json(200, { [this.clientEnvelope]: slice, total: all.length });
	}

	private createTracking(req: SandboxRequest, botId: number): SandboxResponse {
		if (req.bodyInvalid) return invalid(['body'], 'JSON decode error', 'value_error.jsondecode');
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body)) return invalid(['body'], 'value is not a valid dict', 'type_error.dict');
		const errors: Array<{ loc: string[]; msg: string; type: string }> = [];
		if (body.tracking_number === undefined) errors.push({ loc: ['body', 'tracking_number'], msg: 'field required', type: 'value_error.missing' });
		else if (typeof body.tracking_number !== 'string' || body.tracking_number.trim() === '') {
			errors.push({ loc: ['body', 'tracking_number'], msg: 'str type expected', type: 'type_error.str' });
		}
		for (const f of ['client_code', 'status', 'note']) {
			if (body[f] !== undefined && body[f] !== null && typeof body[f] !== 'string') errors.push({ loc: ['body', f], msg: 'str type expected', type: 'type_error.str' });
		}
		if (body.quantity !== undefined && body.quantity !== null && !Number.isInteger(body.quantity)) {
			errors.push({ loc: ['body', 'quantity'], msg: 'value is not a valid integer', type: 'type_error.integer' });
		}
		for (const f of ['weight_kg', 'price_per_kg_usd', 'total_cost_usd']) {
			if (body[f] !== undefined && body[f] !== null && typeof body[f] !== 'number') errors.push({ loc: ['body', f], msg: 'value is not a valid float', type: 'type_error.float' });
		}
		if (errors.length) return json(422, { detail: errors });
		if (this.tracking.some((t) => t.bot_id === botId && t.tracking_number === body.tracking_number)) {
			return json(400, { detail: `Tracking number ${String(body.tracking_number)} already exists` });
		}
		const record = this.addTracking(botId, {
			tracking_number: body.tracking_number as string,
			client_code: (body.client_code as string | undefined) ?? null,
			current_status: (body.status as string | undefined) ?? 'pending',
			quantity: (body.quantity as number | undefined) ?? null,
			weight_kg: (body.weight_kg as number | undefined) ?? null,
			price_per_kg_usd: (body.price_per_kg_usd as number | undefined) ?? null,
			total_cost_usd: (body.total_cost_usd as number | undefined) ?? null,
			note: (body.note as string | undefined) ?? null,
		});
		return json(201, this.view(record));
	}

	private overview(botId: number): Record<string, number> {
		const mine = this.tracking.filter((t) => t.bot_id === botId);
		const out: Record<string, number> = {
			total_clients: this.clients.filter((c) => c.bot_id === botId).length,
			total_tracking_numbers: mine.length,
		};
		for (const s of STATUSES) out[s] = mine.filter((t) => t.current_status === s).length;
		return out;
	}

	private trackingStats(botId: number): Record<string, unknown> {
		const mine = this.tracking.filter((t) => t.bot_id === botId);
		const byStatus: Record<string, number> = {};
		for (const t of mine) byStatus[t.current_status] = (byStatus[t.current_status] ?? 0) + 1;
		const weight = mine.reduce((sum, t) => sum + (t.weight_kg ?? 0), 0);
		return { total: mine.length, by_status: byStatus, total_weight_kg: Math.round(weight * 100) / 100 };
	}
}

function single(v: string | string[] | undefined): string | undefined {
	return Array.isArray(v) ? v[v.length - 1] : v;
}

function invalid(loc: string[], msg: string, type: string): SandboxResponse {
	return json(422, { detail: [{ loc, msg, type }] });
}

function notAllowed(): SandboxResponse {
	return json(405, { detail: 'Method Not Allowed' });
}
