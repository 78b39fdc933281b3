/**
 * Commands the sandbox child runs on the benchmark's behalf: seed a provider's fake, read the
 * request log. Seeding goes through each fake's own helpers (the same ones the tests use).
 */
import type { Sandbox } from '../sandbox';

export interface RequestStats {
	count: number;
	/** status → number of answers */
	statuses: Record<string, number>;
	/** Arrival times (ms since epoch) of every matching request, in order. */
	at: number[];
	/** `Connection` request header → number of requests (`close`: a new TCP connection per request). */
	connection: Record<string, number>;
}

type Command = (sandbox: Sandbox, ...args: never[]) => unknown;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFake = any;

export const commands: Record<string, Command> = {
	url: (sandbox, provider: string) => sandbox.url(provider),
	/** CPU time (ms) the sandbox process used so far. */
	cpu: () => {
		const u = process.cpuUsage();
		return (u.user + u.system) / 1000;
	},
	/** Forget every fake's state and the log; keep the injected latency. */
	reset: (sandbox) => {
		const latency = sandbox.latencyMs;
		for (const name of ['synergy', 'trackingbot']) {
			const fake = sandbox.fake<AnyFake>(name);
			if (fake.__originalHandle) fake.handle = fake.__originalHandle;
		}
		sandbox.reset();
		sandbox.latencyMs = latency;
		return true;
	},
	latency: (sandbox, ms: number) => {
		sandbox.latencyMs = ms;
		return true;
	},
	clearLog: (sandbox) => {
		sandbox.clearLog();
		return true;
	},
	stats: (sandbox, provider: string, method?: string, pathRegex?: string): RequestStats => {
		const list = sandbox.requests(provider, method, pathRegex ? new RegExp(pathRegex) : undefined);
		const statuses: Record<string, number> = {};
		const connection: Record<string, number> = {};
		for (const r of list) {
			statuses[r.status] = (statuses[r.status] ?? 0) + 1;
			const c = String(r.headers.connection ?? '(none)').toLowerCase();
			connection[c] = (connection[c] ?? 0) + 1;
		}
		return { count: list.length, statuses, at: list.map((r) => r.at), connection };
	},
	/** Deals up to `total` (the fake starts with one). */
	seedSynergyDeals: (sandbox, total: number) => {
		const fake = sandbox.fake<AnyFake>('synergy');
		fake.seedDeals(Math.max(0, total - fake.all('deals').length));
		return fake.all('deals').length;
	},
	/**
	 * Serve repeated identical reads of a fake from a memo of the serialized answer. The Synergy
	 * CRM fake renders ~200 KB of JSON:API per 100-deal page (10-50 ms of CPU on the one sandbox
	 * thread) and the Tracking Bot fake scans every record for each page: a single-threaded server
	 * would be on the critical path of both sides (a real one answers pages in parallel, and its
	 * cost is not the node's). Any write clears the memo; `reset` removes it.
	 */
	memo: (sandbox, provider: string) => {
		const fake = sandbox.fake<AnyFake>(provider);
		const original = fake.__originalHandle ?? fake.handle.bind(fake);
		fake.__originalHandle = original;
		const memo = new Map<string, unknown>();
		const keyOf = (req: AnyFake) =>
			`${req.method} ${req.path} ${JSON.stringify(Object.entries(req.query).sort())} ${String(req.headers.authorization)} ${String(req.headers['x-api-key'])} ${String(req.headers.accept ?? '')}`;
		fake.handle = (req: AnyFake) => {
			if (req.method !== 'GET') {
				memo.clear();
				return original(req);
			}
			const key = keyOf(req);
			let answer = memo.get(key) as AnyFake;
			if (!answer) {
				answer = original(req);
				if (answer.body !== undefined && typeof answer.body !== 'string') answer = { ...answer, body: JSON.stringify(answer.body) };
				memo.set(key, answer);
			}
			return answer;
		};
		return memo.size;
	},
	/** Fill the Tracking Bot memo with every page of 100 (what Return All asks for). */
	trackingWarm: async (sandbox) => {
		const m = await import('../sandbox/trackingBot');
		const fake = sandbox.fake<AnyFake>('trackingbot');
		const pages = Math.ceil(fake.tracking.length / 100);
		for (let p = 1; p <= pages; p++) {
			const query = { page: String(p), page_size: '100' };
			fake.handle({
				provider: 'trackingbot',
				method: 'GET',
				path: `/api/v1/tracking/${m.TB_BOT_A}`,
				query,
				rawQuery: new URLSearchParams(query).toString(),
				headers: { 'x-api-key': m.TB_KEY_A, accept: 'application/json' },
				body: undefined,
				rawBody: '',
				bodyInvalid: false,
			});
		}
		return pages;
	},
	/** Fill the memo with every page of `size`, as both sides will ask for them. */
	synergyWarm: async (sandbox, size: number, accepts: string[]) => {
		const fake = sandbox.fake<AnyFake>('synergy');
		const token = (await import('../sandbox/synergyCrm')).SYNERGY_TOKEN;
		const pages = Math.ceil(fake.all('deals').length / size);
		for (const accept of accepts) {
			for (let p = 1; p <= pages; p++) {
				const query = { 'page[number]': String(p), 'page[size]': String(size) };
				fake.handle({
					provider: 'synergy',
					method: 'GET',
					path: '/api/v1/deals',
					query,
					rawQuery: '',
					headers: { authorization: `Bearer ${token}`, accept },
					body: undefined,
					rawBody: '',
					bodyInvalid: false,
				});
			}
		}
		return pages;
	},
	synergyToken: async () => (await import('../sandbox/synergyCrm')).SYNERGY_TOKEN,
	trackingKey: async () => {
		const m = await import('../sandbox/trackingBot');
		return { key: m.TB_KEY_A, bot: m.TB_BOT_A };
	},
	seedTracking: async (sandbox, count: number) => {
		const m = await import('../sandbox/trackingBot');
		const fake = sandbox.fake<AnyFake>('trackingbot');
		const statuses = ['pending', 'in_transit', 'delivered', 'issued', 'cancelled'];
		for (let i = 0; i < count; i++) {
			fake.addTracking(m.TB_BOT_A, {
				tracking_number: `TRK${String(i).padStart(8, '0')}`,
				client_code: `CLIENT${i % 50}`,
				current_status: statuses[i % statuses.length],
				quantity: 1 + (i % 7),
				weight_kg: 0.5 + (i % 20),
				total_cost_usd: 10 + (i % 100),
			});
		}
		return fake.tracking.length;
	},
	trackingRate: (sandbox, requests: number, windowMs: number) => {
		const fake = sandbox.fake<AnyFake>('trackingbot');
		fake.rateLimit = { requests, windowMs };
		return fake.rateLimited;
	},
	/** A token for the baseline (the HTTP Request node has no login step of its own). */
	loymaxLogin: async (sandbox) => {
		const { LOYMAX_USER } = await import('../sandbox/loymax');
		const fake = sandbox.fake<AnyFake>('loymax');
		const query = { username: LOYMAX_USER.username, password: LOYMAX_USER.password };
		const answer = fake.handle({
			provider: 'loymax',
			method: 'POST',
			path: '/token',
			query,
			rawQuery: new URLSearchParams(query).toString(),
			headers: { 'content-type': 'application/json' },
			body: undefined,
			rawBody: '',
			bodyInvalid: false,
		});
		return { ...LOYMAX_USER, token: answer.body.token as string };
	},
	/** The fake's user, for our credential (the node logs in itself). */
	loymaxUser: async () => {
		const { LOYMAX_USER } = await import('../sandbox/loymax');
		return { ...LOYMAX_USER };
	},
	/** A token for the stock side, obtained over HTTP: the login is in the log and in the rate window. */
	loymaxLoginHttp: async (sandbox) => {
		const { LOYMAX_USER } = await import('../sandbox/loymax');
		const query = new URLSearchParams({ username: LOYMAX_USER.username, password: LOYMAX_USER.password });
		const res = await fetch(`${sandbox.url('loymax')}/token?${query.toString()}`, { method: 'POST' });
		const body = (await res.json()) as { token?: string; access_token?: string } | string;
		const token = typeof body === 'string' ? body : (body.token ?? body.access_token);
		if (!token) throw new Error(`loymax login answered ${res.status}`);
		return token;
	},
	/** local_id of every stored customer. */
	loymaxCustomerIds: (sandbox) => (sandbox.fake<AnyFake>('loymax').stores.customer as Array<{ attrs: Record<string, unknown> }>).map((r) => String(r.attrs.local_id)),
	loymaxRate: (sandbox, requests: number, windowMs: number) => {
		sandbox.fake<AnyFake>('loymax').rateLimit = { requests, windowMs };
		return true;
	},
	trackingRateLimited: (sandbox) => sandbox.fake<AnyFake>('trackingbot').rateLimited as number,
};
