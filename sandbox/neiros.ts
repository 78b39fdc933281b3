/**
 * Neiros fake — the Neiros user API docs (a Laravel API with Sanctum-style tokens `NNN|secret`):
 * POST /api/userapi/v1/auth/login {email, password} → {user, token}; every other endpoint needs
 * `Authorization: Bearer <token>` (the whole token, "|" included) and answers 401
 * {"message":"Unauthenticated."} without a valid one. Tokens can be revoked (re-login tests).
 * GET /projects pages by `page` with `last_page` / `total` (Laravel meaning: number of the last
 * page, number of records). Validation errors are Laravel's 422 {message, errors{field:[..]}}.
 * Switchable where the docs are silent: the login answer's shape, the absence of `last_page`.
 */
import { bearer, json, type ProviderFake, type SandboxRequest, type SandboxResponse } from './server';

export interface NeirosDeal {
	id: number;
	site_id: number;
	date: string;
	neiros_visit: string;
	neiros_id: string;
	created_at: string;
	phone: string;
	duration: number;
	record: string;
	canal: string;
	traffic: string;
	summ: number;
	status: string;
}

export interface NeirosUser {
	id: number;
	name: string;
	email: string;
	password: string;
	sites: Array<{ name: string; id: number }>;
}

const API = '/api/userapi/v1';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class NeirosFake implements ProviderFake {
	prefix = '/neiros';
	name = 'neiros';
	users: NeirosUser[] = [];
	deals: NeirosDeal[] = [];
	/** token → user id */
	tokens = new Map<string, number>();
	/** Deals per page of GET /projects (not documented; Laravel's default is 15). */
	perPage = 15;
	/** Login answer: as documented `{user, token}`, `{data: {token}}` or `{access_token, token_type}`. */
	loginShape: 'documented' | 'data' | 'access_token' = 'documented';
	/** Leave `last_page` / `total` out of list answers (the client then walks to an empty page). */
	omitLastPage = false;
	/** Revoke every token once this many authenticated requests were answered. */
	revokeAfterRequests: number | undefined;
	/** Logins made, and the updates received (site_id, deal id, summ). */
	logins = 0;
	updates: Array<{ id: number; site_id: number; summ: number }> = [];
	private authenticated = 0;
	private nextTokenId = 323;

	constructor() {
		this.reset();
	}

	reset(): void {
		this.users = [
			{
				id: 176,
				name: 'Тест',
				email: 'test@test.ru',
				password: '123456',
				sites: [
					{ name: 'wistis.ru', id: 19 },
					{ name: 'autokovrik.ru', id: 53 },
					{ name: 'yandex.ru', id: 167 },
					{ name: 'plugin.wistis.ru', id: 174 },
				],
			},
			{ id: 177, name: 'Other', email: 'other@test.ru', password: 'secret-other', sites: [{ name: 'other.ru', id: 500 }] },
		];
		this.deals = [];
		this.tokens = new Map();
		this.perPage = 15;
		this.loginShape = 'documented';
		this.omitLastPage = false;
		this.revokeAfterRequests = undefined;
		this.logins = 0;
		this.updates = [];
		this.authenticated = 0;
		this.nextTokenId = 323;
	}

	/** Seed `count` deals for a site, one a day from `from`. */
	seedDeals(siteId: number, count: number, from = '2020-07-01', firstId = 1): NeirosDeal[] {
		const start = Date.parse(`${from}T00:00:00Z`);
		const made: NeirosDeal[] = [];
		for (let i = 0; i < count; i++) {
			const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
			const id = firstId + i;
			const deal: NeirosDeal = {
				id,
				site_id: siteId,
				date: day,
				neiros_visit: `5f1363cc9eafb805ea19${String(id).padStart(4, '0')}`,
				neiros_id: String(4602600 + id),
				created_at: `${day}T21:04:48.000000Z`,
				phone: `7999${String(id).padStart(7, '0')}`,
				duration: 15 + i,
				record: `https://audio.neiros.ru/${id}.mp3`,
				canal: 'Google',
				traffic: 'google',
				summ: 0,
				status: 'Неразобранное',
			};
			this.deals.push(deal);
			made.push(deal);
		}
		return made;
	}

	/** Issue a token as the login does (for tests that start with a known token). */
	issueToken(userId = 176): string {
		const id = this.nextTokenId++;
		const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
		let secret = '';
		for (let i = 0; i < 40; i++) secret += alphabet[(id * 7919 + i * 104729 + i * i * 31) % alphabet.length];
		const token = `${id}|${secret}`;
		this.tokens.set(token, userId);
		return token;
	}

	revokeAll(): void {
		this.tokens.clear();
	}

	handle(req: SandboxRequest): SandboxResponse {
		if (!req.path.startsWith(`${API}/`)) return notFound(req);
		const route = req.path.slice(API.length);
		if (route === '/auth/login') {
			if (req.method !== 'POST') return methodNotAllowed(req.method, 'POST');
			return this.login(req);
		}
		const known = route === '/projects' || route === '/sites' || /^\/project\/[^/]+(\/update)?$/.test(route);
		if (!known) return notFound(req);
		const token = bearer(req);
		const userId = token ? this.tokens.get(token) : undefined;
		const user = this.users.find((u) => u.id === userId);
		if (!user) return json(401, { message: 'Unauthenticated.' });
		this.authenticated++;
		if (this.revokeAfterRequests !== undefined && this.authenticated >= this.revokeAfterRequests) {
			this.revokeAfterRequests = undefined;
			const answer = this.route(req, route, user);
			this.revokeAll();
			return answer;
		}
		return this.route(req, route, user);
	}

	private route(req: SandboxRequest, route: string, user: NeirosUser): SandboxResponse {
		if (route === '/sites') {
			if (req.method !== 'GET') return methodNotAllowed(req.method, 'GET, HEAD');
			return json(200, { data: user.sites.map((s) => ({ name: s.name, id: s.id })) });
		}
		if (route === '/projects') {
			if (req.method !== 'GET') return methodNotAllowed(req.method, 'GET, HEAD');
			return this.listDeals(req, user);
		}
		const update = /^\/project\/([^/]+)\/update$/.exec(route);
		if (update) {
			if (req.method !== 'POST') return methodNotAllowed(req.method, 'POST');
			return this.updateDeal(req, user, decodeURIComponent(update[1]));
		}
		const get = /^\/project\/([^/]+)$/.exec(route)!;
		if (req.method !== 'GET') return methodNotAllowed(req.method, 'GET, HEAD');
		return this.getDeal(req, user, decodeURIComponent(get[1]));
	}

	private login(req: SandboxRequest): SandboxResponse {
		if (req.bodyInvalid) return json(400, { message: 'Malformed JSON body.' });
		const body = (req.body ?? {}) as Record<string, unknown>;
		const errors: Record<string, string[]> = {};
		if (typeof body.email !== 'string' || body.email === '') errors.email = ['The email field is required.'];
		else if (!/^[^@\s]+@[^@\s]+$/.test(body.email)) errors.email = ['The email must be a valid email address.'];
		if (typeof body.password !== 'string' || body.password === '') errors.password = ['The password field is required.'];
		if (Object.keys(errors).length) return laravel422(errors);
		const user = this.users.find((u) => u.email === body.email && u.password === body.password);
		if (!user) return json(401, { message: 'These credentials do not match our records.' });
		this.logins++;
		const token = this.issueToken(user.id);
		if (this.loginShape === 'data') return json(200, { data: { token, user: { name: user.name, email: user.email, id: user.id } } });
		if (this.loginShape === 'access_token') return json(200, { access_token: token, token_type: 'Bearer' });
		return json(200, { user: { name: user.name, email: user.email, id: user.id }, token });
	}

	/** site_id from the query (GET) or the JSON body (POST), validated the Laravel way. */
	private site(user: NeirosUser, raw: unknown, errors: Record<string, string[]>): { name: string; id: number } | undefined | 'forbidden' {
		if (raw === undefined || raw === null || raw === '') {
			errors.site_id = ['The site id field is required.'];
			return undefined;
		}
		if (!(typeof raw === 'number' ? Number.isInteger(raw) : typeof raw === 'string' && /^\d+$/.test(raw))) {
			errors.site_id = ['The site id must be an integer.'];
			return undefined;
		}
		const site = user.sites.find((s) => s.id === Number(raw));
		return site ?? 'forbidden';
	}

	private listDeals(req: SandboxRequest, user: NeirosUser): SandboxResponse {
		const q = req.query;
		const errors: Record<string, string[]> = {};
		const site = this.site(user, single(q.site_id), errors);
		for (const key of ['date_start', 'date_end'] as const) {
			const v = single(q[key]);
			if (v !== undefined && v !== '' && (!DATE.test(v) || Number.isNaN(Date.parse(v)))) {
				errors[key] = [`The ${key.replace('_', ' ')} does not match the format Y-m-d.`];
			}
		}
		const pageRaw = single(q.page);
		if (pageRaw !== undefined && !/^\d+$/.test(pageRaw)) errors.page = ['The page must be an integer.'];
		if (Object.keys(errors).length) return laravel422(errors);
		if (site === 'forbidden') return json(403, { message: 'This action is unauthorized.' });
		const from = single(q.date_start);
		const to = single(q.date_end);
		const all = this.deals.filter((d) => d.site_id === site!.id && (!from || d.date >= from) && (!to || d.date <= to));
		const page = Math.max(1, Number(pageRaw ?? 1));
		const lastPage = Math.max(1, Math.ceil(all.length / this.perPage));
		const slice = all.slice((page - 1) * this.perPage, page * this.perPage).map((d) => ({ id: d.id, site_id: d.site_id, date: d.date }));
		const body: Record<string, unknown> = { data: { projects: slice } };
		if (!this.omitLastPage) {
			body.last_page = lastPage;
			body.total = all.length;
		}
		return json(200, body);
	}

	private getDeal(req: SandboxRequest, user: NeirosUser, id: string): SandboxResponse {
		const errors: Record<string, string[]> = {};
		const site = this.site(user, single(req.query.site_id), errors);
		if (Object.keys(errors).length) return laravel422(errors);
		if (site === 'forbidden') return json(403, { message: 'This action is unauthorized.' });
		const deal = this.deals.find((d) => String(d.id) === id && d.site_id === site!.id);
		if (!deal) return json(404, { message: 'Сделка не найдена' });
		const { date, site_id, ...fields } = deal;
		void date;
		void site_id;
		return json(200, { data: fields });
	}

	private updateDeal(req: SandboxRequest, user: NeirosUser, id: string): SandboxResponse {
		if (req.bodyInvalid) return json(400, { message: 'Malformed JSON body.' });
		const body = (req.body ?? {}) as Record<string, unknown>;
		const errors: Record<string, string[]> = {};
		const site = this.site(user, body.site_id, errors);
		const summ = body.summ;
		if (summ === undefined || summ === null || summ === '') errors.summ = ['The summ field is required.'];
		else if (!(typeof summ === 'number' || (typeof summ === 'string' && Number.isFinite(Number(summ))))) errors.summ = ['The summ must be a number.'];
		if (Object.keys(errors).length) return laravel422(errors);
		if (site === 'forbidden') return json(403, { message: 'This action is unauthorized.' });
		const deal = this.deals.find((d) => String(d.id) === id && d.site_id === site!.id);
		if (!deal) return json(404, { message: 'Сделка не найдена' });
		deal.summ = Number(summ);
		this.updates.push({ id: deal.id, site_id: deal.site_id, summ: deal.summ });
		return json(200, { success: true });
	}
}

function single(v: string | string[] | undefined): string | undefined {
	return Array.isArray(v) ? v[v.length - 1] : v;
}

function laravel422(errors: Record<string, string[]>): SandboxResponse {
	const names = Object.keys(errors);
	const first = errors[names[0]][0];
	const more = names.length > 1 ? ` (and ${names.length - 1} more error${names.length > 2 ? 's' : ''})` : '';
	return json(422, { message: `${first}${more}`, errors });
}

function notFound(req: SandboxRequest): SandboxResponse {
	return json(404, { message: `The route ${req.path.replace(/^\//, '')} could not be found.` });
}

function methodNotAllowed(method: string, allowed: string): SandboxResponse {
	return json(405, { message: `The ${method} method is not supported for this route. Supported methods: ${allowed}.` });
}
