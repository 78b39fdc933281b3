/**
 * Target 2: Loymax → Customer → Create or Update (POST /customer, an upsert by local_id) of
 * 1 000 input items, each mapped with expressions from the item.
 * - ours: the node with its default Items in Parallel (5), then with Items in Parallel = 1;
 * - baseline: n8n's HTTP Request node, POST per item with the same body (fields mapped with
 *   expressions), authenticated by a Header Auth credential holding a token the bench obtained
 *   beforehand (the HTTP Request node has no login step; ours logs in itself, once per run).
 *   Two settings: its default (no batching: every item's request fired at once), and batching as
 *   a user respects the documented 1 000 requests/min (16 items per batch, 1 s apart).
 * Between runs the fake's state, its rate-limit window and our process-wide limiter are reset:
 * each run starts with the full documented budget, like a run a minute later.
 */
import type { IDataObject } from 'n8n-workflow';

import type { BenchN8n, BenchNode } from '../n8n';
import type { SandboxClient } from '../sandboxClient';
import { resetLimiters } from './tracking';

export type LoymaxSide = 'ours' | 'oursSerial' | 'baseline' | 'baselineBatched';

export interface UpsertRun {
	items: number;
	requests: number;
	statuses: Record<string, number>;
	orderKept: boolean;
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

export async function runLoymax(sandbox: SandboxClient, n8n: BenchN8n, side: LoymaxSide, input: IDataObject[]): Promise<UpsertRun> {
	await sandbox.call('reset');
	// 1 000 upserts and the login are 1 001 requests: one over the documented 1 000/min. The
	// comparison is about sending, not about the limit: the fake allows 2 000/min here.
	await sandbox.call('loymaxRate', 2000, 60_000);
	resetLimiters();
	const url = await sandbox.url('loymax');
	const login = await sandbox.call<{ username: string; password: string; token: string }>('loymaxLogin');
	await sandbox.call('clearLog');
	let chain: BenchNode[];
	if (side === 'ours' || side === 'oursSerial') {
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
					additionalFields: Object.fromEntries(FIELDS.map((f) => [f, `={{ $json.${f} }}`])),
					...(side === 'oursSerial' ? { requestOptions: { concurrency: 1 } } : {}),
				},
				credentials: { loymaxApi: credential },
			},
		];
	} else {
		const header = n8n.credentials.add('httpHeaderAuth', { name: 'Authorization', value: `Bearer ${login.token}` });
		chain = [
			{
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
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
					options: side === 'baselineBatched' ? { batching: { batch: { batchSize: 16, batchInterval: 1000 } } } : {},
				},
				credentials: { httpHeaderAuth: header },
			},
		];
	}
	const { items } = await n8n.runChain(input, chain);
	const stats = await sandbox.stats('loymax', 'POST', '^/customer$');
	if (items.length !== input.length) throw new Error(`loymax ${side}: ${items.length} items, expected ${input.length}`);
	// Ours outputs the customer record; the HTTP Request node the raw answer ({data: {attributes}}).
	const localId = (json: IDataObject): unknown => {
		const data = (json.data ?? {}) as IDataObject;
		return json.local_id ?? data.local_id ?? (data.attributes as IDataObject | undefined)?.local_id;
	};
	const orderKept = items.every((item, i) => localId(item.json) === input[i].local_id && (item.pairedItem as { item: number } | undefined)?.item === i);
	return { items: items.length, requests: stats.count, statuses: stats.statuses, orderKept };
}
