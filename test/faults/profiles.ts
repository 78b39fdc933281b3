/**
 * One profile per provider: how to make a batch of writes and a Return All of many pages against
 * its fake, how to tell a write in the request log, how to expire its tokens, and every secret
 * its credential holds.
 */
import type { IDataObject } from 'n8n-workflow';

import type { ProviderFake, RecordedRequest } from '../../sandbox/server';
import type { ProviderProfile } from './drivers';

// ---------------------------------------------------------------- IQM Tech
interface IqmFakeShape extends ProviderFake {
	tokens: Set<string>;
	visits: Array<{ data: Record<string, unknown> }>;
}
export const IQM_TOKEN = 'iqm-fault-token-7f3a9c1e5b';

export const iqmTech: ProviderProfile = {
	fake: 'iqm',
	node: 'iqmTech',
	displayName: 'IQM Tech',
	credential: (env) => {
		(env.sandbox.fake('iqm') as IqmFakeShape).tokens.add(IQM_TOKEN);
		return {
			credentials: { iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: IQM_TOKEN, baseUrl: env.sandbox.url('iqm') }) },
			secrets: [IQM_TOKEN],
		};
	},
	write: {
		parameters: { resource: 'visit', operation: 'send', page: '={{ $json.url }}', additionalFields: { utm_source: '={{ $json.src }}' } },
		prepare: (_fake, n) => Array.from({ length: n }, (_, i) => ({ url: `https://shop.example.ru/p/${i}`, src: `s${i}` })),
		keyOfInput: (item) => String(item.url),
		path: /^\/api\/sync\/data$/,
		keyOfRequest: (r) => (r.method === 'POST' && r.path === '/api/sync/data' ? (r.body as IDataObject | undefined)?.page as string : undefined),
		writesInFake: (fake) => (fake as IqmFakeShape).visits.map((v) => String(v.data.page)),
		idempotent: false,
	},
};

// ---------------------------------------------------------------- Neiros
interface NeirosFakeShape extends ProviderFake {
	users: Array<{ id: number; email: string; password: string; sites: Array<{ id: number; name: string }> }>;
	deals: Array<{ id: number }>;
	tokens: Map<string, number>;
	perPage: number;
	updates: Array<{ id: number; site_id: number; summ: number }>;
	seedDeals(siteId: number, count: number, from?: string, firstId?: number): Array<{ id: number }>;
	revokeAll(): void;
}
export const NEIROS_EMAIL = 'faults@neiros.test';
export const NEIROS_PASSWORD = 'Neiros-Fault-Pass-4e8b2d';
const NEIROS_SITE = 19;
const neirosIssued = new Set<string>();

export const neiros: ProviderProfile = {
	fake: 'neiros',
	node: 'neiros',
	displayName: 'Neiros',
	credential: (env) => {
		const fake = env.sandbox.fake('neiros') as NeirosFakeShape;
		const user = fake.users.find((u) => u.id === 176)!;
		user.email = NEIROS_EMAIL;
		user.password = NEIROS_PASSWORD;
		return {
			credentials: {
				neirosApi: env.harness.credentials.add('neirosApi', {
					authMethod: 'login',
					email: NEIROS_EMAIL,
					password: NEIROS_PASSWORD,
					baseUrl: env.sandbox.url('neiros'),
				}),
			},
			secrets: [NEIROS_PASSWORD],
		};
	},
	write: {
		parameters: {
			resource: 'deal',
			operation: 'updateAmount',
			dealId: '={{ $json.id }}',
			siteId: { __rl: true, mode: 'id', value: String(NEIROS_SITE) },
			amount: '={{ $json.amount }}',
		},
		prepare: (fake, n) => {
			(fake as NeirosFakeShape).seedDeals(NEIROS_SITE, n);
			return Array.from({ length: n }, (_, i) => ({ id: String(i + 1), amount: 1000 + i }));
		},
		keyOfInput: (item) => String(item.id),
		path: /^\/api\/userapi\/v1\/project\/[^/]+\/update$/,
		keyOfRequest: (r) => /^\/api\/userapi\/v1\/project\/([^/]+)\/update$/.exec(r.path)?.[1],
		writesInFake: (fake) => (fake as NeirosFakeShape).updates.map((u) => String(u.id)),
		checkOutput: (json) => expect(json).toEqual({ success: true }),
		idempotent: false,
	},
	list: {
		parameters: { resource: 'deal', operation: 'getAll', siteId: { __rl: true, mode: 'id', value: String(NEIROS_SITE) } },
		prepare: (fake, pages) => {
			const f = fake as NeirosFakeShape;
			f.perPage = 15;
			return f.seedDeals(NEIROS_SITE, pages * 15 - 3).map((d) => String(d.id));
		},
		isPageRequest: (r) => r.path === '/api/userapi/v1/projects',
		idOf: (json) => String(json.id),
		path: /^\/api\/userapi\/v1\/projects$/,
	},
	expireTokens: (fake) => {
		const f = fake as NeirosFakeShape;
		for (const token of f.tokens.keys()) neirosIssued.add(token);
		f.revokeAll();
	},
	issuedTokens: (fake) => [...neirosIssued, ...(fake as NeirosFakeShape).tokens.keys()],
	isLogin: (r: RecordedRequest) => r.path === '/api/userapi/v1/auth/login',
};

// ---------------------------------------------------------------- Synergy CRM
interface SynergyFakeShape extends ProviderFake {
	tokens: Set<string>;
	all(type: string): Array<{ id: string; attributes: Record<string, unknown> }>;
	seedDeals(count: number): void;
}
export const SYNERGY_FAULT_TOKEN = 'synergy-fault-token-3d9e71c4a2';

export const synergyCrm: ProviderProfile = {
	fake: 'synergy',
	node: 'synergyCrm',
	displayName: 'Synergy CRM',
	credential: (env) => {
		(env.sandbox.fake('synergy') as SynergyFakeShape).tokens.add(SYNERGY_FAULT_TOKEN);
		return {
			credentials: {
				synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_FAULT_TOKEN, baseUrl: env.sandbox.url('synergy') }),
			},
			secrets: [SYNERGY_FAULT_TOKEN],
		};
	},
	// A POST creates a new contact each time: not idempotent.
	write: {
		parameters: { resource: 'contact', operation: 'create', firstName: '={{ $json.first }}', lastName: '={{ $json.last }}' },
		prepare: (_fake, n) => Array.from({ length: n }, (_, i) => ({ first: `F-${String(i).padStart(4, '0')}`, last: `Фамилия ${i}` })),
		keyOfInput: (item) => String(item.first),
		path: /^\/api\/v1\/contacts$/,
		keyOfRequest: (r) => {
			if (r.method !== 'POST' || r.path !== '/api/v1/contacts') return undefined;
			const attrs = ((r.body as IDataObject | undefined)?.data as IDataObject | undefined)?.attributes as IDataObject | undefined;
			return attrs?.['first-name'] as string | undefined;
		},
		writesInFake: (fake) =>
			(fake as SynergyFakeShape)
				.all('contacts')
				.map((c) => String(c.attributes['first-name']))
				.filter((name) => name.startsWith('F-')),
		checkOutput: (json, input) => {
			expect(json.id).toEqual(expect.any(String));
			expect(json['first-name'] ?? (json.attributes as IDataObject | undefined)?.['first-name']).toBe(input.first);
		},
		idempotent: false,
		// A 200 without the written record is an error (the write may have happened), never a dropped item.
		failingAnswers: ['empty 200', 'number', 'null', 'no data'],
	},
	list: {
		parameters: { resource: 'deal', operation: 'getAll' },
		prepare: (fake, pages) => {
			const f = fake as SynergyFakeShape;
			f.seedDeals(pages * 100 - 7 - f.all('deals').length);
			return f.all('deals').map((d) => d.id);
		},
		isPageRequest: (r) => r.method === 'GET' && r.path === '/api/v1/deals',
		idOf: (json) => String(json.id),
		path: /^\/api\/v1\/deals$/,
	},
};

// ---------------------------------------------------------------- Tracking Bot
interface TrackingBotFakeShape extends ProviderFake {
	rateLimit: { requests: number; windowMs: number };
	tracking: Array<{ id: number; bot_id: number; tracking_number: string }>;
	addTracking(botId: number, fields: { tracking_number: string }): { id: number };
}
// The fake knows two keys (sandbox/trackingBot.ts); the first is bound to bot 123.
export const TB_FAULT_KEY = 'tb_AAAAbbbbCCCCdddd0000111122223333';
const TB_BOT = 123;

export const trackingBot: ProviderProfile = {
	fake: 'trackingbot',
	node: 'trackingBot',
	displayName: 'Tracking Bot',
	credential: (env) => {
		// The documented 60 requests a minute, scaled down: a 1 s window the node learns from X-RateLimit-*.
		const fake = env.sandbox.fake('trackingbot') as TrackingBotFakeShape;
		if (fake.rateLimit.windowMs !== 1000) fake.rateLimit = { requests: 400, windowMs: 1000 };
		return {
			credentials: {
				trackingBotApi: env.harness.credentials.add('trackingBotApi', {
					apiKey: TB_FAULT_KEY,
					baseUrl: `${env.sandbox.url('trackingbot')}/api/v1`,
					botId: TB_BOT,
				}),
			},
			secrets: [TB_FAULT_KEY],
		};
	},
	// A POST registers a new tracking number: not idempotent (a second one answers 400 "already exists").
	write: {
		parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: '={{ $json.number }}', additionalFields: { note: '={{ $json.note }}' } },
		prepare: (_fake, n) => Array.from({ length: n }, (_, i) => ({ number: `TRK${String(i).padStart(6, '0')}`, note: `Заметка ${i}` })),
		keyOfInput: (item) => String(item.number),
		path: new RegExp(`^/api/v1/tracking/${TB_BOT}$`),
		keyOfRequest: (r) =>
			r.method === 'POST' && r.path === `/api/v1/tracking/${TB_BOT}` ? ((r.body as IDataObject | undefined)?.tracking_number as string) : undefined,
		writesInFake: (fake) => (fake as TrackingBotFakeShape).tracking.map((t) => t.tracking_number),
		checkOutput: (json, input) => expect([json.tracking_number, json.note, typeof json.id]).toEqual([input.number, input.note, 'number']),
		idempotent: false,
	},
	list: {
		parameters: { resource: 'trackingNumber', operation: 'getAll' },
		prepare: (fake, pages) => {
			const f = fake as TrackingBotFakeShape;
			return Array.from({ length: pages * 100 - 5 }, (_, i) => String(f.addTracking(TB_BOT, { tracking_number: `LST${String(i).padStart(6, '0')}` }).id));
		},
		isPageRequest: (r) => r.method === 'GET' && r.path === `/api/v1/tracking/${TB_BOT}`,
		idOf: (json) => String(json.id),
		path: new RegExp(`^/api/v1/tracking/${TB_BOT}$`),
	},
};

// ---------------------------------------------------------------- Loymax
interface LoymaxFakeShape extends ProviderFake {
	tokens: Map<string, { username: string; exp: number }>;
	tokenLifetimeMs: number;
	maxPageSize: number;
	stores: Record<string, Array<{ id: number; attrs: Record<string, unknown> }>>;
	seed(type: string, attrs: Record<string, unknown>): { id: number };
	expireAllTokens(): void;
}
// The fake's API user (sandbox/loymax.ts LOYMAX_USER): the password has characters a URL must encode.
export const LOYMAX_USERNAME = 'api-user';
export const LOYMAX_PASSWORD = 'p@ss w0rd&=+?';
const loymaxIssued = new Set<string>();

export const loymax: ProviderProfile = {
	fake: 'loymax',
	node: 'loymax',
	displayName: 'Loymax',
	credential: (env) => ({
		credentials: {
			loymaxApi: env.harness.credentials.add('loymaxApi', { username: LOYMAX_USERNAME, password: LOYMAX_PASSWORD, baseUrl: env.sandbox.url('loymax') }),
		},
		secrets: [LOYMAX_PASSWORD],
	}),
	// POST /customer upserts by local_id (documented): idempotent, so retried after 5xx / lost connections.
	write: {
		parameters: {
			resource: 'customer',
			operation: 'upsert',
			local_id: '={{ $json.id }}',
			register_date: '2024-05-01T10:00:00',
			// One POST per item (no read first), as this suite counts writes.
			keepFields: false,
			additionalFields: { full_name: '={{ $json.name }}' },
		},
		prepare: (_fake, n) => Array.from({ length: n }, (_, i) => ({ id: `C-${String(i).padStart(4, '0')}`, name: `Клиент ${i}` })),
		keyOfInput: (item) => String(item.id),
		path: /^\/customer$/,
		keyOfRequest: (r) => (r.method === 'POST' && r.path === '/customer' ? ((r.body as IDataObject | undefined)?.local_id as string) : undefined),
		writesInFake: (fake) => (fake as LoymaxFakeShape).stores.customer.map((c) => String(c.attrs.local_id)),
		checkOutput: (json, input) => expect([json.local_id, json.full_name]).toEqual([input.id, input.name]),
		idempotent: true,
	},
	list: {
		parameters: { resource: 'customer', operation: 'getAll' },
		prepare: (fake, pages) => {
			const f = fake as LoymaxFakeShape;
			// Pages of 10 (the largest page size is not documented; the fake caps it).
			f.maxPageSize = 10;
			return Array.from({ length: pages * 10 - 3 }, (_, i) => String(f.seed('customer', { local_id: `L-${i}`, full_name: `Клиент ${i}` }).id));
		},
		isPageRequest: (r) => r.method === 'GET' && r.path === '/customer',
		idOf: (json) => String(json.id),
		path: /^\/customer$/,
	},
	expireTokens: (fake) => {
		const f = fake as LoymaxFakeShape;
		for (const token of f.tokens.keys()) loymaxIssued.add(token);
		f.expireAllTokens();
	},
	issuedTokens: (fake) => [...loymaxIssued, ...(fake as LoymaxFakeShape).tokens.keys()],
	isLogin: (r: RecordedRequest) => r.path === '/token',
	documentedPause: 60,
	// Loymax documents no X-RateLimit-* headers (a 429 without Retry-After, then "pause 1 minute").
	// KNOWN ISSUE (nodes/shared/pacing.ts, Limiter.nextSlotIn / observe — the engine): one answer
	// carrying X-RateLimit-Limit/-Remaining (e.g. a 429 with Limit 100, Remaining 0, Reset 1) switches
	// the limiter to a "server budget" for good; when the server never sends the headers again, the
	// budget is spent after Limit requests and the window of unknown end is given up only after the
	// documented window (Loymax: 60 s) — a 60 s stall per 100 requests, not bounded by Max Retry Wait.
	// So the injected 429 names only X-RateLimit-Reset here.
	rateLimitHeaders: false,
};
