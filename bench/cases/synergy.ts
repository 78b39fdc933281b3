/**
 * Goal 2: Synergy CRM Deal → Get Many, Return All (Simplify on), against what a skilled user builds
 * with stock n8n nodes and no code:
 * - `builtin`: HTTP Request 4.2 with its pagination option (page[number] = $pageCount + 1,
 *   page[size] = 100, complete when $pageCount reaches meta.page-count): one page at a time.
 * - `fanout`: the fastest stock workflow — HTTP Request reads the record count (page[size]=1),
 *   Edit Fields (Set) makes the list of page numbers, Split Out, HTTP Request with one item per
 *   page (the node starts every item's request at once), Split Out on `data`.
 * - `fanoutBatched`: the same with the HTTP Request node's batching: `batchSize` items started every
 *   `batchInterval` ms. The node does not wait for a batch's answers (it sleeps between starts), so
 *   the requests in flight are measured at the server, not assumed: 8 items every 50 ms keeps ≈ 16 in
 *   flight (a batch's answers are still being read when the next starts), 4 every 50 ms ≈ 8.
 * - `bare`: not n8n — a bare Node.js client in this process (http.get, the default keep-alive agent,
 *   `inFlight` requests at a time, UTF-8 decode + JSON.parse of each page, nothing else): what any
 *   client on this machine can reach against the same sandbox, the practical ceiling of a side.
 * The baselines output raw JSON:API resources (less work than our flat records).
 */
import http from 'http';

import type { BenchN8n, BenchNode } from '../n8n';
import type { SandboxClient } from '../sandboxClient';

export type ListSide = 'ours' | 'oursCapped' | 'builtin' | 'fanout' | 'fanoutBatched' | 'bare';

/** The knobs of a side: our "Pages in Parallel", the stock batching, the bare client's requests in flight. */
export interface SideVariant {
	/** oursCapped: Pages in Parallel. bare: requests in flight. */
	inFlight?: number;
	/** fanoutBatched: items started per batch, and the pause between batch starts (ms). */
	batchSize?: number;
	batchInterval?: number;
}

export interface ListRun {
	items: number;
	requests: number;
	statuses: Record<string, number>;
	/** Most requests that arrived at the server within one latency of each other (≈ requests in flight). */
	peakInFlight: number;
	/** First → last request arrival, ms. */
	spanMs: number;
	connection: Record<string, number>;
}

/** Peak number of arrivals within any window of `windowMs`: each is held ≥ windowMs by the server. */
export function peakWithin(at: number[], windowMs: number): number {
	let peak = 0;
	let lo = 0;
	for (let hi = 0; hi < at.length; hi++) {
		while (at[hi] - at[lo] >= windowMs) lo++;
		peak = Math.max(peak, hi - lo + 1);
	}
	return peak;
}

export interface SynergyOptions {
	latencyMs: number;
	/** Our node's parameters that cap the pages in parallel (undefined: not available yet). */
	capParameters?: (pages: number) => Record<string, unknown>;
}

export async function prepareSynergy(sandbox: SandboxClient, n8n: BenchN8n, deals: number, opts: SynergyOptions) {
	await sandbox.call('reset');
	const total = await sandbox.call<number>('seedSynergyDeals', deals);
	await sandbox.call('memo', 'synergy');
	await sandbox.call('synergyWarm', 100, ['application/vnd.api+json']);
	const url = await sandbox.url('synergy');
	const token = await sandbox.call<string>('synergyToken');
	const ours = n8n.credentials.add('synergyCrmApi', { apiToken: token, baseUrl: url });
	const header = n8n.credentials.add('httpHeaderAuth', { name: 'Authorization', value: `Bearer ${token}` });
	const auth = {
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendHeaders: true,
		specifyHeaders: 'keypair',
		headerParameters: { parameters: [{ name: 'Accept', value: 'application/vnd.api+json' }] },
	};
	const json = { response: { response: { responseFormat: 'json' } } };
	const httpGet = (name: string, query: Array<{ name: string; value: string }>, options: Record<string, unknown> = {}): BenchNode => ({
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'GET',
			url: `${url}/api/v1/deals`,
			...auth,
			sendQuery: true,
			specifyQuery: 'keypair',
			queryParameters: { parameters: query },
			options: { ...json, ...options },
		},
		credentials: { httpHeaderAuth: header },
	});
	const splitData: BenchNode = {
		name: 'Split Out',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		parameters: { fieldToSplitOut: 'data', include: 'noOtherFields', options: {} },
	};
	const fanout = (batch?: { batchSize: number; batchInterval: number }): BenchNode[] => [
		httpGet('Count', [{ name: 'page[size]', value: '1' }]),
		{
			name: 'Page Numbers',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: {
				mode: 'manual',
				assignments: {
					assignments: [
						{
							id: 'pages',
							name: 'page',
							type: 'array',
							value: "={{ Array.from({ length: Math.ceil($json.meta['record-count'] / 100) }, (_, i) => i + 1) }}",
						},
					],
				},
				includeOtherFields: false,
				options: {},
			},
		},
		{ name: 'One Item per Page', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'page', include: 'noOtherFields', options: {} } },
		httpGet(
			'Pages',
			[
				{ name: 'page[number]', value: '={{ $json.page }}' },
				{ name: 'page[size]', value: '100' },
			],
			batch ? { batching: { batch } } : {},
		),
		splitData,
	];

	const chainFor = (side: ListSide, v: SideVariant): BenchNode[] => {
		switch (side) {
			case 'ours':
			case 'oursCapped':
				return [
					{
						name: 'Synergy CRM',
						type: n8n.ours('synergyCrm'),
						parameters: {
							resource: 'deal',
							operation: 'getAll',
							returnAll: true,
							...(side === 'oursCapped' && opts.capParameters ? opts.capParameters(v.inFlight ?? 8) : {}),
						},
						credentials: { synergyCrmApi: ours },
					},
				];
			case 'builtin':
				return [
					httpGet('HTTP Request', [{ name: 'page[size]', value: '100' }], {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'page[number]', value: '={{ $pageCount + 1 }}' }] },
								paginationCompleteWhen: 'other',
								// The body of application/vnd.api+json stays text for the expression.
								completeExpression: "={{ $pageCount >= (typeof $response.body === 'string' ? JSON.parse($response.body) : $response.body).meta['page-count'] }}",
								limitPagesFetched: false,
								requestInterval: 0,
							},
						},
					}),
					splitData,
				];
			case 'fanout':
				return fanout();
			case 'fanoutBatched':
				return fanout({ batchSize: v.batchSize ?? 8, batchInterval: v.batchInterval ?? opts.latencyMs });
			case 'bare':
				throw new Error('the bare client is not an n8n workflow');
		}
	};

	/** The bare Node.js client: page 1 (its meta.page-count), then the other pages `inFlight` at a time. */
	const bare = async (inFlight: number): Promise<number> => {
		const agent = new http.Agent({ keepAlive: true });
		const get = (n: number) =>
			new Promise<{ data: unknown[]; meta: { 'page-count': number } }>((resolve, reject) => {
				http
					.get(`${url}/api/v1/deals?page[number]=${n}&page[size]=100`, { agent, headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.api+json' } }, (res) => {
						const chunks: Buffer[] = [];
						res.on('data', (c: Buffer) => chunks.push(c));
						res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
						res.on('error', reject);
					})
					.on('error', reject);
			});
		const first = await get(1);
		const records: unknown[] = [...first.data];
		const pages = first.meta['page-count'];
		let next = 2;
		const out: unknown[][] = [];
		await Promise.all(
			Array.from({ length: inFlight }, async () => {
				while (next <= pages) {
					const n = next++;
					out[n] = (await get(n)).data;
				}
			}),
		);
		for (let n = 2; n <= pages; n++) records.push(...out[n]);
		agent.destroy();
		return records.length;
	};

	const run = async (side: ListSide, v: SideVariant = {}): Promise<ListRun> => {
		await sandbox.call('clearLog');
		const count = side === 'bare' ? await bare(v.inFlight ?? 8) : (await n8n.runChain([{}], chainFor(side, v))).items.length;
		const stats = await sandbox.stats('synergy', 'GET', '^/api/v1/deals$');
		if (count !== total) throw new Error(`${side}: ${count} items, expected ${total}`);
		return {
			items: count,
			requests: stats.count,
			statuses: stats.statuses,
			peakInFlight: peakWithin(stats.at, opts.latencyMs),
			spanMs: stats.at.length ? stats.at[stats.at.length - 1] - stats.at[0] : 0,
			connection: stats.connection,
		};
	};
	return { total, run };
}
