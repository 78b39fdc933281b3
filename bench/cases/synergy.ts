/**
 * Target 1: Synergy CRM Deal → Get Many, Return All, against n8n's HTTP Request node with its
 * built-in pagination (page[number] = $pageCount + 1, page[size] = 100, complete when $pageCount
 * reaches meta.page-count, no page cap) followed by Split Out on `data` (one item per deal, the
 * raw JSON:API resource: less work than our simplified records).
 */
import type { BenchN8n } from '../n8n';
import type { SandboxClient } from '../sandboxClient';

export interface ListRun {
	items: number;
	requests: number;
	statuses: Record<string, number>;
}

export async function prepareSynergy(sandbox: SandboxClient, n8n: BenchN8n, deals: number) {
	await sandbox.call('reset');
	const total = await sandbox.call<number>('seedSynergyDeals', deals);
	await sandbox.call('memo', 'synergy');
	await sandbox.call('synergyWarm', 100, ['application/vnd.api+json']);
	const url = await sandbox.url('synergy');
	const token = await sandbox.call<string>('synergyToken');
	const ours = n8n.credentials.add('synergyCrmApi', { apiToken: token, baseUrl: url });
	const header = n8n.credentials.add('httpHeaderAuth', { name: 'Authorization', value: `Bearer ${token}` });

	const run = async (side: 'ours' | 'baseline'): Promise<ListRun> => {
		await sandbox.call('clearLog');
		const chain =
			side === 'ours'
				? [
						{
							name: 'Synergy CRM',
							type: n8n.ours('synergyCrm'),
							parameters: { resource: 'deal', operation: 'getAll', returnAll: true },
							credentials: { synergyCrmApi: ours },
						},
					]
				: [
						{
							name: 'HTTP Request',
							type: 'n8n-nodes-base.httpRequest',
							typeVersion: 4.2,
							parameters: {
								method: 'GET',
								url: `${url}/api/v1/deals`,
								authentication: 'genericCredentialType',
								genericAuthType: 'httpHeaderAuth',
								sendQuery: true,
								specifyQuery: 'keypair',
								queryParameters: { parameters: [{ name: 'page[size]', value: '100' }] },
								sendHeaders: true,
								specifyHeaders: 'keypair',
								headerParameters: { parameters: [{ name: 'Accept', value: 'application/vnd.api+json' }] },
								options: {
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
									response: { response: { responseFormat: 'json' } },
								},
							},
							credentials: { httpHeaderAuth: header },
						},
						{
							name: 'Split Out',
							type: 'n8n-nodes-base.splitOut',
							typeVersion: 1,
							parameters: { fieldToSplitOut: 'data', include: 'noOtherFields', options: {} },
						},
					];
		const { items } = await n8n.runChain([{}], chain);
		const stats = await sandbox.stats('synergy', 'GET', '^/api/v1/deals$');
		if (items.length !== total) throw new Error(`${side}: ${items.length} items, expected ${total}`);
		return { items: items.length, requests: stats.count, statuses: stats.statuses };
	};
	return { total, run };
}
