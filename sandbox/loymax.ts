/**
 * Loymax fake — as the vendor docs "REST API" describe it (sections cited by title).
 * - POST /token with `username` / `password` as QUERY parameters (as documented) issues a JWT-like
 *   token living `tokenLifetimeMs` (documented: 1 hour); an expired token answers 401.
 * - Every other method needs `Authorization: Bearer <token>` of a user with the API role (403
 *   otherwise).
 * - 1000 requests per minute per client (documented), 429 past it; window and count configurable.
 * - Collections page with page[number] / page[size] and answer `links.next` while more pages exist
 *   (the names were lost from the docs; the API says it follows JSON:API); `sort` is the documented
 *   JSON array [{"attribute": …, "direction": "asc"|"desc"}].
 * - POST on customer / order / product / category / promo code group upserts by local_id; PATCH
 *   replaces the whole record: every documented field not sent is reset to empty, extra
 *   (configured) parameters not sent are dropped — exactly as the docs warn.
 * - "Booleans" are "Y" / "N" / "" strings; subscription statuses Y / N / ND.
 * Where the docs are silent the fake is switchable: the token answer (`tokenShape`), the list and
 * record envelopes (`envelope`), absolute or relative links, a `meta` block with the total, a
 * type-checking bonus endpoint (`bonusEndpoint`), an upsert keeping unsent fields (`upsertUnsent`).
 */
import { bearer, json, type ProviderFake, type SandboxRequest, type SandboxResponse } from './server';

export type TokenShape = 'token' | 'access_token' | 'data.token' | 'data.attributes.token' | 'json-string' | 'text' | 'none';
export type Envelope = 'jsonapi' | 'flat' | 'array';

type Attrs = Record<string, unknown>;
export interface LoymaxRecord {
	id: number;
	attrs: Attrs;
}

interface User {
	password: string;
	roles: string[];
}

export const LOYMAX_USER = { username: 'api-user', password: 'p@ss w0rd&=+?' };
export const LOYMAX_NO_ROLE_USER = { username: 'web-user', password: 'web-secret-1' };

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		detail: string,
		readonly pointer?: string,
	) {
		super(detail);
	}
}

const fail = (status: number, title: string, detail: string, field?: string): never => {
	throw new HttpError(status, title, detail, field ? `/data/attributes/${field}` : undefined);
};
const invalid = (field: string, detail: string): never => fail(422, 'Unprocessable Entity', detail, field);
const notFound = (what: string): never => fail(404, 'Not Found', `${what} not found`);

/** Documented body fields with their "empty" value (what a full replacement resets them to). */
const FIELDS: Record<string, Attrs> = {
	customer: {
		local_id: '', full_name: '', first_name: '', middle_name: '', last_name: '', email: '', phone: '', 'push-id': '',
		sex: '', birth_date: '', country: '', city: '', zip: '', register_date: '',
	},
	order: { local_id: '', client_id: '', number: '', status_name: '', date: '', items_cnt: 0, items_sum: 0, items: [] },
	event: { client_id: '', name: '', date: '', context: {} },
	product: { name: '', local_id: '', category_id: '' },
	category: { name: '', local_id: '', parent_id: '' },
	'promocode-group': { name: '', local_id: '' },
	dictionary: { name: '', code: '', local_id: '' },
	'dictionary-item': { name: '', code: '' },
	bonus: { active: 0, awaiting_activation: 0, awaiting_deactivation: 0, nearest_deactivation_date: '', nearest_deactivation_amount: 0 },
};

function b64url(value: string): string {
	return Buffer.from(value).toString('base64url');
}

export class LoymaxFake implements ProviderFake {
	prefix = '/loymax';
	name = 'loymax';

	users: Record<string, User> = {};
	tokenLifetimeMs = 3_600_000;
	tokenShape: TokenShape = 'token';
	envelope: Envelope = 'jsonapi';
	absoluteLinks = false;
	/** Add `meta: {total}` to collections. */
	listMeta = false;
	rateLimit = { requests: 1000, windowMs: 60_000 };
	defaultPageSize = 20;
	maxPageSize = 100;
	/** Tokens issued, with their user and expiry. */
	tokens = new Map<string, { username: string; exp: number }>();
	host = '';

	stores: Record<string, LoymaxRecord[]> = {};
	subscriptions = new Map<string, Record<string, string>>();
	channels = new Map<string, Record<string, string>>();
	devices = new Map<string, Attrs[]>();
	bonuses = new Map<string, Attrs>();
	markers = new Map<string, Attrs[]>();
	webEvents: Attrs[] = [];
	pushStates: Attrs[] = [];
	promoCodes = new Map<number, string[]>();
	mailings = new Map<string, Attrs[]>();
	campaigns: Record<string, Attrs[]> = {};
	participants = new Map<string, Attrs[]>();
	polls: Attrs[] = [];
	blackList: Record<string, Attrs[]> = {};

	// ---- providers helper: alternative readings of issue 15 (Loymax) ----
	/**
	 * PATCH /customer/{local_id}/bonus. `replace` (default): a full replacement taking any body, as
	 * the section says of every PATCH. `typed`: the balances are computed by the server — `active`
	 * must be a number (Int/Float in "Типы данных") and sets the balance, the other four balances are
	 * read only (422 when sent), nothing not sent changes (issue 15.4).
	 */
	bonusEndpoint: 'replace' | 'typed' = 'replace';
	/**
	 * POST upsert on an existing local_id. `reset` (default, documented): every field not sent is
	 * reset to empty. `keep`: the other reading — fields not sent keep their values (issue 15.5).
	 */
	upsertUnsent: 'reset' | 'keep' = 'reset';
	// ---- end providers helper ----

	private hits: number[] = [];
	private nextId = 1;
	private tokenCount = 0;

	constructor() {
		this.reset();
	}

	reset(): void {
		this.users = {
			[LOYMAX_USER.username]: { password: LOYMAX_USER.password, roles: ['API'] },
			[LOYMAX_NO_ROLE_USER.username]: { password: LOYMAX_NO_ROLE_USER.password, roles: ['WEB'] },
		};
		this.tokenLifetimeMs = 3_600_000;
		this.tokenShape = 'token';
		this.envelope = 'jsonapi';
		this.absoluteLinks = false;
		this.listMeta = false;
		this.rateLimit = { requests: 1000, windowMs: 60_000 };
		this.defaultPageSize = 20;
		this.maxPageSize = 100;
		this.tokens = new Map();
		this.bonusEndpoint = 'replace';
		this.upsertUnsent = 'reset';
		this.hits = [];
		this.nextId = 1;
		this.tokenCount = 0;
		this.stores = { customer: [], order: [], event: [], product: [], category: [], 'promocode-group': [], dictionary: [], 'dictionary-item': [] };
		this.subscriptions = new Map();
		this.channels = new Map();
		this.devices = new Map();
		this.bonuses = new Map();
		this.markers = new Map();
		this.webEvents = [];
		this.pushStates = [];
		this.promoCodes = new Map();
		this.mailings = new Map();
		this.campaigns = {
			email: [
				{ id: 1, name: 'Spring sale', status: 'sent' },
				{ id: 2, name: 'Welcome', status: 'active' },
				{ id: 3, name: 'Birthday', status: 'active' },
			],
			sms: [{ id: 11, name: 'Code reminder', status: 'sent' }],
			push: [
				{ id: 21, name: 'Cart left', status: 'active' },
				{ id: 22, name: 'Weekend', status: 'draft' },
			],
		};
		this.participants = new Map([
			['email:1', [{ id: 101, local_id: 'C-1', status: 'delivered' }, { id: 102, local_id: 'C-2', status: 'opened' }]],
			['sms:11', [{ id: 103, local_id: 'C-1', status: 'delivered' }]],
			['push:21', [{ id: 104, local_id: 'C-3', status: 'read' }]],
		]);
		this.polls = [
			{ id: 31, name: 'NPS', questions: 3 },
			{ id: 32, name: 'Store rating', questions: 1 },
		];
		this.blackList = {
			email: [{ id: 41, value: 'bounce@example.ru', reason: 'hard bounce' }],
			phone: [{ id: 42, value: '+79990000000', reason: 'unsubscribed' }],
		};
	}

	/** Add a record straight into the store (test setup). */
	seed(type: string, attrs: Attrs): LoymaxRecord {
		const record = { id: this.nextId++, attrs: { ...FIELDS[type], ...attrs } };
		this.stores[type].push(record);
		return record;
	}

	/** A token that expired already, for tests. */
	expireAllTokens(): void {
		for (const info of this.tokens.values()) info.exp = 0;
	}

	// ---------- plumbing ----------

	handle(req: SandboxRequest): SandboxResponse {
		this.host = String(req.headers.host ?? '127.0.0.1');
		const now = Date.now();
		this.hits = this.hits.filter((t) => t > now - this.rateLimit.windowMs);
		if (this.hits.length >= this.rateLimit.requests) {
			// The docs show no body for the 429 and no Retry-After header.
			return json(429, { errors: [{ status: '429', title: 'Too Many Requests', detail: 'Request limit exceeded' }] });
		}
		this.hits.push(now);
		try {
			return this.route(req);
		} catch (error) {
			if (error instanceof HttpError) {
				return json(error.status, {
					errors: [{ status: String(error.status), title: error.title, detail: error.message, ...(error.pointer ? { source: { pointer: error.pointer } } : {}) }],
				});
			}
			throw error;
		}
	}

	private checkContentType(req: SandboxRequest, jsonOnly = false): void {
		if (req.rawBody.trim() === '') return;
		const type = String(req.headers['content-type'] ?? '').toLowerCase();
		const ok = type.startsWith('application/json') || (!jsonOnly && type.startsWith('application/vnd.api+json'));
		if (!ok) fail(415, 'Unsupported Media Type', `Content-Type must be ${jsonOnly ? 'application/json' : 'application/json or application/vnd.api+json'}`);
		if (req.bodyInvalid) fail(400, 'Bad Request', 'Malformed JSON body');
	}

	private body(req: SandboxRequest, jsonOnly = false): Attrs {
		this.checkContentType(req, jsonOnly);
		const body = req.body ?? {};
		if (typeof body !== 'object' || Array.isArray(body)) fail(400, 'Bad Request', 'The body must be a JSON object');
		return body as Attrs;
	}

	private authorize(req: SandboxRequest): string {
		const token = bearer(req);
		const info = token ? this.tokens.get(token) : undefined;
		if (!info) return fail(401, 'Unauthorized', 'Invalid or missing token');
		if (info.exp <= Date.now()) return fail(401, 'Unauthorized', 'Token expired');
		if (!this.users[info.username]?.roles.includes('API')) fail(403, 'Forbidden', 'Allowed only for authorized users with role API');
		return info.username;
	}

	private issueToken(req: SandboxRequest): SandboxResponse {
		if (req.method !== 'POST') fail(405, 'Method Not Allowed', 'Use POST');
		this.checkContentType(req);
		const username = req.query.username;
		const password = req.query.password;
		if (typeof username !== 'string' || username === '' || typeof password !== 'string' || password === '') {
			fail(400, 'Bad Request', 'Query parameters username and password are required');
		}
		const user = this.users[username as string];
		if (!user || user.password !== password) fail(401, 'Unauthorized', 'Invalid username or password');
		const iat = Date.now();
		const exp = iat + this.tokenLifetimeMs;
		this.tokenCount++;
		const token = [
			b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
			b64url(JSON.stringify({ sub: username, roles: user!.roles, iat: Math.floor(iat / 1000), exp: Math.floor(exp / 1000), n: this.tokenCount })),
			b64url(`sig-${this.tokenCount}-${iat}`),
		].join('.');
		this.tokens.set(token, { username: username as string, exp });
		switch (this.tokenShape) {
			case 'token':
				return json(200, { token });
			case 'access_token':
				return json(200, { access_token: token, token_type: 'Bearer', expires_in: Math.round(this.tokenLifetimeMs / 1000) });
			case 'data.token':
				return json(200, { data: { token } });
			case 'data.attributes.token':
				return json(200, { data: { type: 'token', id: String(this.tokenCount), attributes: { token } } });
			case 'json-string':
				return { status: 200, body: JSON.stringify(token), headers: { 'Content-Type': 'application/json' } };
			case 'text':
				return { status: 200, body: token, headers: { 'Content-Type': 'text/plain' } };
			case 'none':
				return json(200, { status: 'ok' });
		}
	}

	// ---------- rendering ----------

	private resource(type: string, id: number | string, attrs: Attrs): Attrs {
		return this.envelope === 'jsonapi' ? { type, id: String(id), attributes: attrs } : { id, ...attrs };
	}

	private one(type: string, id: number | string, attrs: Attrs, status = 200): SandboxResponse {
		const data = this.resource(type, id, attrs);
		return json(status, this.envelope === 'array' ? data : { data });
	}

	private list(req: SandboxRequest, type: string, rows: Array<{ id: number | string; attrs: Attrs }>): SandboxResponse {
		let records = [...rows];
		const sortRaw = req.query.sort;
		if (sortRaw !== undefined) {
			let rules: unknown;
			try {
				rules = JSON.parse(String(sortRaw));
			} catch {
				rules = undefined;
			}
			if (!Array.isArray(rules)) fail(400, 'Bad Request', 'sort must be a JSON array of {"attribute", "direction"} objects');
			for (const rule of rules as Attrs[]) {
				if (!rule || typeof rule.attribute !== 'string' || !['asc', 'desc'].includes(String(rule.direction))) {
					fail(400, 'Bad Request', 'Each sort condition needs "attribute" and "direction" (asc or desc)');
				}
			}
			records.sort((a, b) => {
				for (const rule of rules as Attrs[]) {
					const key = String(rule.attribute);
					const va = key === 'id' ? a.id : a.attrs[key];
					const vb = key === 'id' ? b.id : b.attrs[key];
					const cmp = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va ?? '').localeCompare(String(vb ?? ''));
					if (cmp !== 0) return rule.direction === 'desc' ? -cmp : cmp;
				}
				return 0;
			});
		}
		const number = req.query['page[number]'] === undefined ? 1 : Number(req.query['page[number]']);
		const sizeRaw = req.query['page[size]'] === undefined ? this.defaultPageSize : Number(req.query['page[size]']);
		if (!Number.isInteger(number) || number < 1) fail(400, 'Bad Request', 'page[number] must be a positive integer');
		if (!Number.isInteger(sizeRaw) || sizeRaw < 1) fail(400, 'Bad Request', 'page[size] must be a positive integer');
		const size = Math.min(sizeRaw, this.maxPageSize);
		const total = records.length;
		records = records.slice((number - 1) * size, number * size);
		const data = records.map((r) => this.resource(type, r.id, r.attrs));
		if (this.envelope === 'array') return json(200, data);
		const base = `${this.absoluteLinks ? `http://${this.host}${this.prefix}` : ''}${req.path}`;
		const link = (n: number) => `${base}?page[number]=${n}&page[size]=${size}`;
		const links: Attrs = { self: link(number) };
		if (number * size < total) links.next = link(number + 1);
		return json(200, { data, links, ...(this.listMeta ? { meta: { total } } : {}) });
	}

	// ---------- validation ----------

	private requireText(body: Attrs, keys: string[]): void {
		for (const key of keys) {
			if (body[key] === undefined || body[key] === null || body[key] === '') invalid(key, `The field ${key} is required`);
		}
	}

	private types(body: Attrs, text: string[], numbers: string[] = []): void {
		for (const key of text) {
			if (body[key] !== undefined && typeof body[key] !== 'string') invalid(key, `The field ${key} must be a string`);
		}
		for (const key of numbers) {
			if (body[key] !== undefined && (typeof body[key] !== 'number' || !Number.isFinite(body[key]))) {
				invalid(key, `The field ${key} must be a number`);
			}
		}
	}

	private allowed(body: Attrs, key: string, values: string[]): void {
		if (body[key] !== undefined && !values.includes(body[key] as string)) {
			invalid(key, `The field ${key} must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
		}
	}

	/** The whole record: documented fields reset to empty, then what was sent (full replacement). */
	private replaced(type: string, body: Attrs): Attrs {
		return { ...FIELDS[type], ...body };
	}

	private byKey(type: string, key: string, value: string): LoymaxRecord | undefined {
		return this.stores[type].find((r) => String(r.attrs[key]) === value);
	}

	private byId(type: string, id: string): LoymaxRecord | undefined {
		return this.stores[type].find((r) => String(r.id) === id);
	}

	private upsert(type: string, body: Attrs): SandboxResponse {
		const existing = body.local_id !== undefined ? this.byKey(type, 'local_id', String(body.local_id)) : undefined;
		if (existing) {
			existing.attrs = this.upsertUnsent === 'keep' ? { ...existing.attrs, ...body } : this.replaced(type, body);
			return this.one(type, existing.id, existing.attrs, 200);
		}
		const record = { id: this.nextId++, attrs: this.replaced(type, body) };
		this.stores[type].push(record);
		return this.one(type, record.id, record.attrs, 201);
	}

	private customerBody(body: Attrs, patch: boolean): void {
		this.requireText(body, ['local_id', 'register_date']);
		this.types(body, ['local_id', 'full_name', 'first_name', 'middle_name', 'last_name', 'email', 'phone', 'sex', 'birth_date', 'country', 'city', 'zip', 'register_date', ...(patch ? ['push-id'] : [])]);
		if (!['full_name', 'first_name', 'middle_name', 'last_name'].some((k) => typeof body[k] === 'string' && body[k] !== '')) {
			invalid('full_name', 'At least one of full_name, first_name, middle_name, last_name must be filled');
		}
		this.allowed(body, 'sex', ['M', 'F', '']);
	}

	private orderBody(body: Attrs, patch: boolean): void {
		this.requireText(body, patch ? ['local_id', 'date'] : ['date']);
		this.types(body, ['local_id', 'client_id', 'number', 'status_name', 'date'], ['items_cnt', 'items_sum']);
		if (body.items !== undefined) {
			if (!Array.isArray(body.items)) invalid('items', 'The field items must be an array');
			(body.items as unknown[]).forEach((line, n) => {
				if (!line || typeof line !== 'object' || Array.isArray(line)) invalid('items', `items[${n}] must be an object`);
				const l = line as Attrs;
				for (const key of ['local_id', 'client_id', 'product_id']) if (l[key] !== undefined && typeof l[key] !== 'string') invalid('items', `items[${n}].${key} must be a string`);
				for (const key of ['price', 'cnt', 'sum']) if (l[key] !== undefined && typeof l[key] !== 'number') invalid('items', `items[${n}].${key} must be a number`);
			});
		}
	}

	private eventBody(body: Attrs, patch: boolean): void {
		this.requireText(body, patch ? ['date'] : ['name', 'date']);
		this.types(body, ['name', 'date']);
		if (body.client_id !== undefined && typeof body.client_id !== 'string' && typeof body.client_id !== 'number') invalid('client_id', 'The field client_id must be a number or a string');
		if (body.context !== undefined && (typeof body.context !== 'object' || body.context === null || Array.isArray(body.context))) {
			invalid('context', 'The field context must be an object');
		}
	}

	private customer(id: string): LoymaxRecord {
		return this.byKey('customer', 'local_id', id) ?? notFound(`Customer ${id}`);
	}

	// ---------- routes ----------

	private route(req: SandboxRequest): SandboxResponse {
		// The docs show two URLs with a double slash (//communication/...): served like one slash, as
		// web servers merging slashes do. Trailing slashes are significant: the documented form only.
		const path = req.path.replace(/\/{2,}/g, '/');
		const m = req.method;
		if (path === '/token') return this.issueToken(req);
		this.authorize(req);
		let g: RegExpExecArray | null;
		const is = (method: string, regex: RegExp) => m === method && (g = regex.exec(path)) !== null;
		const p = (n: number) => decodeURIComponent(g![n]);

		// customer
		if (is('GET', /^\/customer$/)) return this.list(req, 'customer', this.stores.customer);
		if (is('POST', /^\/customer$/)) {
			const body = this.body(req);
			this.customerBody(body, false);
			if (body['push-id'] !== undefined) invalid('push-id', 'push-id is accepted on PATCH only');
			const answer = this.upsert('customer', body);
			return answer;
		}
		if (is('GET', /^\/customer\/([^/]+)$/)) {
			const c = this.customer(p(1));
			return this.one('customer', c.id, c.attrs);
		}
		if (is('PATCH', /^\/customer\/([^/]+)$/)) {
			const c = this.customer(p(1));
			const body = this.body(req);
			this.customerBody(body, true);
			c.attrs = this.replaced('customer', body);
			return this.one('customer', c.id, c.attrs);
		}
		if (is('PATCH', /^\/customer\/([^/]+)\/subscribe$/)) {
			const c = this.customer(p(1));
			const body = this.body(req);
			if (!Array.isArray(body.categories) || body.categories.length === 0) invalid('categories', 'The field categories is required (an array)');
			const current = this.subscriptions.get(String(c.attrs.local_id)) ?? {};
			const updates: Record<string, string> = {};
			for (const entry of body.categories as unknown[]) {
				if (!entry || typeof entry !== 'object' || Array.isArray(entry)) invalid('categories', 'Each category must be an object');
				const e = entry as Attrs;
				const pairs: Array<[string, unknown]> = 'code' in e ? [[String(e.code), e.status]] : Object.entries(e);
				for (const [code, status] of pairs) {
					if (!code) invalid('categories', 'A category code is empty');
					if (!['Y', 'N', 'ND'].includes(status as string)) invalid('categories', `Subscription status of ${code} must be Y, N or ND`);
					updates[code] = status as string;
				}
			}
			// Categories not sent keep their status (documented).
			const next = { ...current, ...updates };
			this.subscriptions.set(String(c.attrs.local_id), next);
			return this.one('subscription', String(c.attrs.local_id), { categories: next });
		}
		if (is('POST', /^\/customer\/([^/]+)\/channel$/)) {
			const c = this.customer(p(1));
			const body = this.body(req);
			const given = ['email', 'sms', 'push'].filter((k) => k in body);
			if (!given.length) invalid('email', 'Give at least one of email, sms, push');
			for (const key of given) this.allowed(body, key, ['Y', 'N', '']);
			const next = { email: '', sms: '', push: '', ...this.channels.get(String(c.attrs.local_id)) };
			for (const key of given) next[key as 'email'] = body[key] as string;
			this.channels.set(String(c.attrs.local_id), next);
			return this.one('channel', String(c.attrs.local_id), next);
		}
		if (is('GET', /^\/customer\/([^/]+)\/mailing$/)) {
			const c = this.customer(p(1));
			const rows = this.mailings.get(String(c.attrs.local_id)) ?? [];
			return this.list(req, 'mailing', rows.map((r) => strip({ id: r.id as number, attrs: r })));
		}
		if (is('POST', /^\/customer\/([^/]+)\/device$/)) {
			const c = this.customer(p(1));
			const deviceId = this.deviceHeader(req);
			const body = this.body(req);
			this.requireText(body, ['token', 'platform']);
			this.types(body, ['token', 'platform'], ['source_code']);
			this.allowed(body, 'platform', ['Ios', 'Android', 'Harmony']);
			const list = this.devices.get(String(c.attrs.local_id)) ?? [];
			const device = { id: this.nextId++, device_id: deviceId, token: body.token, platform: body.platform, ...(body.source_code !== undefined ? { source_code: body.source_code } : {}) };
			this.devices.set(String(c.attrs.local_id), [...list.filter((d) => d.device_id !== deviceId), device]);
			return this.one('device', device.id, strip({ id: device.id, attrs: device }).attrs, 201);
		}
		if (is('GET', /^\/customer\/([^/]+)\/device$/)) {
			const c = this.customer(p(1));
			return this.list(req, 'device', (this.devices.get(String(c.attrs.local_id)) ?? []).map((d) => strip({ id: d.id as number, attrs: d })));
		}
		if (is('DELETE', /^\/customer\/([^/]+)\/device\/([^/]+)$/)) {
			const c = this.customer(p(1));
			const token = p(2);
			const deviceId = this.deviceHeader(req);
			const body = this.body(req);
			this.types(body, [], ['source_code']);
			const list = this.devices.get(String(c.attrs.local_id)) ?? [];
			if (!list.some((d) => d.token === token && d.device_id === deviceId)) notFound('Device');
			this.devices.set(String(c.attrs.local_id), list.filter((d) => !(d.token === token && d.device_id === deviceId)));
			return { status: 204 };
		}
		if (is('GET', /^\/customer\/([^/]+)\/bonus$/)) {
			const c = this.customer(p(1));
			return this.one('bonus', String(c.attrs.local_id), this.bonuses.get(String(c.attrs.local_id)) ?? { ...FIELDS.bonus });
		}
		if (is('PATCH', /^\/customer\/([^/]+)\/bonus$/)) {
			const c = this.customer(p(1));
			const body = this.body(req);
			let next = this.replaced('bonus', body);
			if (this.bonusEndpoint === 'typed') {
				for (const key of ['awaiting_activation', 'awaiting_deactivation', 'nearest_deactivation_date', 'nearest_deactivation_amount']) {
					if (key in body) invalid(key, `${key} is computed and read only`);
				}
				this.types(body, [], ['active']);
				next = { ...FIELDS.bonus, ...this.bonuses.get(String(c.attrs.local_id)), ...body };
			}
			this.bonuses.set(String(c.attrs.local_id), next);
			return this.one('bonus', String(c.attrs.local_id), next);
		}
		if (is('POST', /^\/customer\/([^/]+)\/marker\/$/) || is('DELETE', /^\/customer\/([^/]+)\/marker\/$/)) {
			const c = this.customer(p(1));
			const body = this.body(req);
			this.requireText(body, ['name', 'client_id']);
			this.types(body, ['name'], ['client_id']);
			if (body.client_id !== c.id) invalid('client_id', `client_id ${String(body.client_id)} is not the Platform id of customer ${String(c.attrs.local_id)}`);
			const list = this.markers.get(String(c.attrs.local_id)) ?? [];
			if (m === 'POST') {
				if (!list.some((x) => x.name === body.name)) list.push({ id: this.nextId++, name: body.name, client_id: c.id });
				this.markers.set(String(c.attrs.local_id), list);
				const marker = list.find((x) => x.name === body.name)!;
				return this.one('marker', marker.id as number, { name: marker.name, client_id: c.id }, 201);
			}
			if (!list.some((x) => x.name === body.name)) notFound(`Marker ${String(body.name)}`);
			this.markers.set(String(c.attrs.local_id), list.filter((x) => x.name !== body.name));
			return { status: 204 };
		}
		if (is('GET', /^\/customer\/([^/]+)\/marker\/$/)) {
			const c = this.customer(p(1));
			return this.list(req, 'marker', (this.markers.get(String(c.attrs.local_id)) ?? []).map((x) => strip({ id: x.id as number, attrs: x })));
		}

		// order, product, category: upsert by local_id, addressed by local_id
		for (const type of ['order', 'product', 'category']) {
			const base = new RegExp(`^\\/${type}$`);
			const item = new RegExp(`^\\/${type}\\/([^/]+)$`);
			const check = (body: Attrs, patch: boolean) => {
				if (type === 'order') this.orderBody(body, patch);
				else {
					this.requireText(body, ['name', 'local_id']);
					this.types(body, ['name', 'local_id', type === 'product' ? 'category_id' : 'parent_id']);
				}
			};
			if (is('GET', base)) return this.list(req, type, this.stores[type]);
			if (is('POST', base)) {
				const body = this.body(req);
				check(body, false);
				return this.upsert(type, body);
			}
			if (is('GET', item)) {
				const r = this.byKey(type, 'local_id', p(1)) ?? notFound(`${type} ${p(1)}`);
				return this.one(type, r.id, r.attrs);
			}
			if (is('PATCH', item)) {
				const r = this.byKey(type, 'local_id', p(1)) ?? notFound(`${type} ${p(1)}`);
				const body = this.body(req);
				check(body, true);
				r.attrs = this.replaced(type, body);
				return this.one(type, r.id, r.attrs);
			}
		}

		// event (Content-Type application/json only)
		if (is('GET', /^\/event$/)) return this.list(req, 'event', this.stores.event);
		if (is('POST', /^\/event$/)) {
			const body = this.body(req, true);
			this.eventBody(body, false);
			const record = { id: this.nextId++, attrs: this.replaced('event', body) };
			this.stores.event.push(record);
			return this.one('event', record.id, record.attrs, 201);
		}
		if (is('GET', /^\/event\/([^/]+)$/)) {
			const r = this.byId('event', p(1)) ?? notFound(`Event ${p(1)}`);
			return this.one('event', r.id, r.attrs);
		}
		if (is('PATCH', /^\/event\/([^/]+)$/)) {
			const r = this.byId('event', p(1)) ?? notFound(`Event ${p(1)}`);
			const body = this.body(req, true);
			this.eventBody(body, true);
			r.attrs = this.replaced('event', body);
			return this.one('event', r.id, r.attrs);
		}
		if (is('POST', /^\/web_event$/)) {
			const body = this.body(req);
			this.requireText(body, ['client_id', 'session_id', 'date', 'name']);
			this.types(body, ['client_id', 'source_code', 'session_id', 'date', 'name', 'category_id', 'product_id', 'container'], ['quantity', 'price']);
			const record = { id: this.nextId++, ...body };
			this.webEvents.push(record);
			return this.one('web_event', record.id, body, 201);
		}

		// communications
		for (const channel of ['email', 'sms', 'push']) {
			if (is('GET', new RegExp(`^\\/communication\\/${channel}\\/$`))) {
				return this.list(req, `${channel}-mailing`, this.campaigns[channel].map((r) => strip({ id: r.id as number, attrs: r })));
			}
			if (is('GET', new RegExp(`^\\/communication\\/${channel}\\/(\\d+)$`))) {
				const r = this.campaigns[channel].find((x) => String(x.id) === p(1)) ?? notFound(`Mailing ${p(1)}`);
				return this.one(`${channel}-mailing`, r.id as number, strip({ id: 0, attrs: r }).attrs);
			}
			if (is('GET', new RegExp(`^\\/communication\\/${channel}\\/(\\d+)\\/customers$`))) {
				if (!this.campaigns[channel].some((x) => String(x.id) === p(1))) notFound(`Mailing ${p(1)}`);
				return this.list(req, 'participant', (this.participants.get(`${channel}:${p(1)}`) ?? []).map((r) => strip({ id: r.id as number, attrs: r })));
			}
		}
		if (is('POST', /^\/communication\/push\/state$/)) {
			const deviceId = this.deviceHeader(req);
			const body = this.body(req);
			this.requireText(body, ['state', 'message_id']);
			this.allowed(body, 'state', ['Delivered', 'Read']);
			this.types(body, ['message_id'], ['source_code']);
			// The docs list a required first field without a name: some other non-empty string field.
			const unnamed = Object.keys(body).filter((k) => !['state', 'message_id', 'source_code'].includes(k) && typeof body[k] === 'string' && body[k] !== '');
			if (!unnamed.length) invalid('client_id', 'A required field is missing');
			const record = { id: this.nextId++, device_id: deviceId, ...body };
			this.pushStates.push(record);
			return this.one('push-state', record.id, { device_id: deviceId, ...body }, 201);
		}
		if (is('GET', /^\/communication\/poll\/$/)) return this.list(req, 'poll', this.polls.map((r) => strip({ id: r.id as number, attrs: r })));
		if (is('GET', /^\/communication\/poll\/(\d+)$/)) {
			const r = this.polls.find((x) => String(x.id) === p(1)) ?? notFound(`Poll ${p(1)}`);
			return this.one('poll', r.id as number, strip({ id: 0, attrs: r }).attrs);
		}
		if (is('GET', /^\/black-list\/([^/]+)$/)) {
			const type = p(1);
			if (!['email', 'phone'].includes(type)) invalid('type', 'type must be email or phone');
			return this.list(req, 'black-list', this.blackList[type].map((r) => strip({ id: r.id as number, attrs: r })));
		}

		// promo code groups: upsert by local_id, addressed by Platform id
		if (is('GET', /^\/promocode-group$/)) return this.list(req, 'promocode-group', this.stores['promocode-group']);
		if (is('POST', /^\/promocode-group$/)) {
			const body = this.body(req);
			this.requireText(body, ['name', 'local_id']);
			this.types(body, ['name', 'local_id']);
			return this.upsert('promocode-group', body);
		}
		if (is('GET', /^\/promocode-group\/([^/]+)$/)) {
			const r = this.byId('promocode-group', p(1)) ?? notFound(`Promo code group ${p(1)}`);
			return this.one('promocode-group', r.id, r.attrs);
		}
		if (is('PATCH', /^\/promocode-group\/([^/]+)$/)) {
			const r = this.byId('promocode-group', p(1)) ?? notFound(`Promo code group ${p(1)}`);
			const body = this.body(req);
			this.requireText(body, ['local_id', 'name']);
			this.types(body, ['name', 'local_id']);
			r.attrs = this.replaced('promocode-group', body);
			return this.one('promocode-group', r.id, r.attrs);
		}
		if (is('DELETE', /^\/promocode-group\/([^/]+)$/)) {
			const r = this.byId('promocode-group', p(1)) ?? notFound(`Promo code group ${p(1)}`);
			this.stores['promocode-group'] = this.stores['promocode-group'].filter((x) => x !== r);
			return { status: 204 };
		}
		if (is('POST', /^\/promocode-group\/([^/]+)\/codes$/)) {
			// The docs disagree on the id (Platform id in the path, local_id in the table): both found.
			const r = this.byId('promocode-group', p(1)) ?? this.byKey('promocode-group', 'local_id', p(1)) ?? notFound(`Promo code group ${p(1)}`);
			const body = this.body(req);
			// The body is not documented: an array of code strings under "codes" is what this fake takes.
			if (!Array.isArray(body.codes) || !body.codes.length || body.codes.some((c) => typeof c !== 'string' || c === '')) {
				invalid('codes', 'codes must be a non-empty array of strings');
			}
			const list = this.promoCodes.get(r.id) ?? [];
			const added = (body.codes as string[]).filter((c) => !list.includes(c));
			this.promoCodes.set(r.id, [...list, ...added]);
			return this.one('promocode-upload', r.id, { uploaded: added.length, total: list.length + added.length });
		}

		// dictionaries and items (POST: application/json only)
		if (is('GET', /^\/dictionary$/)) return this.list(req, 'dictionary', this.stores.dictionary);
		if (is('POST', /^\/dictionary$/)) {
			const body = this.body(req, true);
			this.requireText(body, ['name', 'code']);
			this.types(body, ['name', 'code']);
			const record = { id: this.nextId++, attrs: this.replaced('dictionary', body) };
			this.stores.dictionary.push(record);
			return this.one('dictionary', record.id, record.attrs, 201);
		}
		if (is('GET', /^\/dictionary\/(\d+)$/) || is('PATCH', /^\/dictionary\/(\d+)$/) || is('DELETE', /^\/dictionary\/(\d+)$/)) {
			const r = this.byId('dictionary', p(1)) ?? notFound(`Dictionary ${p(1)}`);
			if (m === 'GET') return this.one('dictionary', r.id, r.attrs);
			if (m === 'DELETE') {
				this.stores.dictionary = this.stores.dictionary.filter((x) => x !== r);
				return { status: 204 };
			}
			const body = this.body(req);
			this.requireText(body, ['local_id', 'name']);
			this.types(body, ['local_id', 'name', 'code']);
			r.attrs = this.replaced('dictionary', body);
			return this.one('dictionary', r.id, r.attrs);
		}
		if (is('GET', /^\/dictionary\/(\d+)\/item$/) || is('POST', /^\/dictionary\/(\d+)\/item$/)) {
			const d = this.byId('dictionary', p(1)) ?? notFound(`Dictionary ${p(1)}`);
			const items = this.stores['dictionary-item'].filter((x) => x.attrs.dictionary_id === d.id);
			if (m === 'GET') return this.list(req, 'dictionary-item', items);
			const body = this.body(req, true);
			this.requireText(body, ['name', 'code']);
			this.types(body, ['name', 'code']);
			const record = { id: this.nextId++, attrs: { ...this.replaced('dictionary-item', body), dictionary_id: d.id } };
			this.stores['dictionary-item'].push(record);
			return this.one('dictionary-item', record.id, record.attrs, 201);
		}
		if (is('GET', /^\/dictionary\/(\d+)\/item\/(\d+)$/) || is('PATCH', /^\/dictionary\/(\d+)\/item\/(\d+)$/) || is('DELETE', /^\/dictionary\/(\d+)\/item\/(\d+)$/)) {
			const d = this.byId('dictionary', p(1)) ?? notFound(`Dictionary ${p(1)}`);
			const r = this.stores['dictionary-item'].find((x) => String(x.id) === p(2) && x.attrs.dictionary_id === d.id) ?? notFound(`Item ${p(2)}`);
			if (m === 'GET') return this.one('dictionary-item', r.id, r.attrs);
			if (m === 'DELETE') {
				this.stores['dictionary-item'] = this.stores['dictionary-item'].filter((x) => x !== r);
				return { status: 204 };
			}
			const body = this.body(req);
			this.requireText(body, ['name']);
			this.types(body, ['name', 'code']);
			r.attrs = { ...this.replaced('dictionary-item', body), dictionary_id: d.id };
			return this.one('dictionary-item', r.id, r.attrs);
		}
		return fail(404, 'Not Found', `No route ${m} ${req.path}`);
	}

	private deviceHeader(req: SandboxRequest): string {
		const value = req.headers.device_id;
		if (typeof value !== 'string' || value === '') return fail(400, 'Bad Request', 'Header device_id is required');
		return value;
	}
}

/** A row without its `id` among the attributes (the id is the resource id). */
function strip(row: { id: number; attrs: Attrs }): { id: number; attrs: Attrs } {
	const attrs = { ...row.attrs };
	delete attrs.id;
	return { id: row.id, attrs };
}
