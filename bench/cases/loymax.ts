/**
 * Goal 3: Loymax → Customer → Create or Update (POST /customer, an upsert by local_id), each
 * item's fields mapped with expressions, against the documented limit of 1 000 requests per minute
 * (the fake counts a sliding minute, as our limiter does; a 429 has no Retry-After).
 * - ours: the node with its defaults (Items in Parallel 5); it logs in itself (POST /token counts
 *   against the limit) and, with Keep Fields Not Given on (the default), reads each customer first
 *   (GET /customer/{local_id}, a 404 for a new one): 1 000 upserts are 2 001 requests. With Keep
 *   Fields Not Given off ('oursSendOnly', what the stock side does) they are 1 001, so the last one
 *   must wait for the minute.
 * - stock: n8n's HTTP Request node, one request per item, "On Error: Continue" (so a refused item
 *   is reported instead of stopping the workflow), with a Header Auth credential holding a token
 *   obtained beforehand from the same fake (that login counts against the limit too, as the
 *   user's login step would). Settings: default (no batching: every item's request at once), and
 *   batching to stay under the limit (16 items per second = 960/min).
 * Between runs the fake's state and window and our process-wide limiter are reset: each run starts
 * with the full budget, like a run a minute after the last one.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BenchN8n, BenchNode } from '../n8n';
import type { SandboxClient } from '../sandboxClient';
import { resetLimiters } from './tracking';

export type LoymaxSide = 'ours' | 'oursSendOnly' | 'stock' | 'stockBatched';

export interface UpsertRun {
	items: number;
	/** POST /customer requests that reached the fake (with refusals), and the login. */
	requests: number;
	logins: number;
	statuses: Record<string, number>;
	/** GET /customer/{local_id} reads (Keep Fields Not Given), with their statuses. */
	reads: number;
	readStatuses: Record<string, number>;
	/** Every request that reached the fake (login, reads, upserts) and their statuses. */
	all: number;
	allStatuses: Record<string, number>;
	/** Output items that carry an error (refused, not written). */
	failedItems: number;
	/** Input records not in the fake afterwards. */
	lost: number;
	orderKept: boolean;
	/** First → last request (login included), ms. */
	spanMs: number;
}

export function customers(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, i) => ({
		local_id: `C-${String(i + 1).padStart(6, '0')}`,
		register_date: '2024-05-01T10:00:00+03:00',
		first_name: `Имя${i}`,
		last_name: `Фамилия${i}`,
		email: `customer${i}@example.ru`,
		phone: `+7916${String(1000000 + i).slice(-7)}`,
	}));
}

const FIELDS = ['first_name', 'last_name', 'email', 'phone'];

export async function runLoymax(sandbox: SandboxClient, n8n: BenchN8n, side: LoymaxSide, input: IDataObject[], perMinute = 1000): Promise<UpsertRun> {
	await sandbox.call('reset');
	await sandbox.call('loymaxRate', perMinute, 60_000);
	resetLimiters();
	const url = await sandbox.url('loymax');
	await sandbox.call('clearLog');
	let chain: BenchNode[];
	if (side === 'ours' || side === 'oursSendOnly') {
		const login = await sandbox.call<{ username: string; password: string }>('loymaxUser');
		const credential = n8n.credentials.add('loymaxApi', { username: login.username, password: login.password, baseUrl: url });
		chain = [
			{
				name: 'Loymax',
				type: n8n.ours('loymax'),
				parameters: {
					resource: 'customer',
					operation: 'upsert',
					local_id: '={{ $json.local_id }}',
					register_date: '={{ $json.register_date }}',
					...(side === 'oursSendOnly' ? { keepFields: false } : {}),
					additionalFields: Object.fromEntries(FIELDS.map((f) => [f, `={{ $json.${f} }}`])),
				},
				credentials: { loymaxApi: credential },
			},
		];
	} else {
		// Through the server: the login is a request in the log and in the window.
		const token = await sandbox.call<string>('loymaxLoginHttp');
		const header = n8n.credentials.add('httpHeaderAuth', { name: 'Authorization', value: `Bearer ${token}` });
		chain = [
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				continueOnFail: true,
				parameters: {
					method: 'POST',
					url: `${url}/customer`,
					authentication: 'genericCredentialType',
					genericAuthType: 'httpHeaderAuth',
					sendBody: true,
					contentType: 'json',
					specifyBody: 'keypair',
					bodyParameters: {
						parameters: ['local_id', 'register_date', ...FIELDS].map((f) => ({ name: f, value: `={{ $json.${f} }}` })),
					},
					options: side === 'stockBatched' ? { batching: { batch: { batchSize: 16, batchInterval: 1000 } } } : {},
				},
				credentials: { httpHeaderAuth: header },
			},
		];
	}
	const { items } = await n8n.runChain(input, chain);
	const stats = await sandbox.stats('loymax', 'POST', '^/customer$');
	const reads = await sandbox.stats('loymax', 'GET', '^/customer/');
	const all = await sandbox.stats('loymax');
	const logins = (await sandbox.stats('loymax', 'POST', '^/token$')).count;
	if (items.length !== input.length) throw new Error(`loymax ${side}: ${items.length} items, expected ${input.length}`);
	const stored = new Set(await sandbox.call<string[]>('loymaxCustomerIds'));
	const lost = input.filter((c) => !stored.has(String(c.local_id))).length;
	// Ours outputs the customer record; the HTTP Request node the raw answer ({data: {attributes}}).
	const localId = (json: IDataObject): unknown => {
		const data = (json.data ?? {}) as IDataObject;
		return json.local_id ?? data.local_id ?? (data.attributes as IDataObject | undefined)?.local_id;
	};
	const failedItems = items.filter((item) => item.json.error !== undefined || item.error !== undefined).length;
	const orderKept = items.every((item, i) => (item.pairedItem as { item: number } | undefined)?.item === i && (item.json.error !== undefined || localId(item.json) === input[i].local_id));
	return {
		items: items.length,
		requests: stats.count,
		logins,
		statuses: stats.statuses,
		reads: reads.count,
		readStatuses: reads.statuses,
		all: all.count,
		allStatuses: all.statuses,
		failedItems,
		lost,
		orderKept,
		spanMs: all.at.length ? all.at[all.at.length - 1] - all.at[0] : 0,
	};
}
