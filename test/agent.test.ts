/**
 * Nodes used as AI Agent tools: the agent fills parameters through $fromAI(), which gives text
 * for numbers and dates. Each node is run here with parameters given that way (expressions that
 * resolve to strings): accepted and sent in the documented form, or refused with a message that
 * says which field, what was given and what is allowed — something an agent can act on.
 */
import type { INodeType } from 'n8n-workflow';

import { useEnv } from './harness/setup';
import { SYNERGY_TOKEN } from '../sandbox/synergyCrm';
import { TB_BOT_A, TB_KEY_A } from '../sandbox/trackingBot';
import { LOYMAX_USER } from '../sandbox/loymax';
import { nodeType } from './harness/n8n';

const agent = (value: string) => `={{ ${JSON.stringify(value)} }}`;

describe('parameters given the way an AI agent gives them', () => {
	const env = useEnv();
	const creds = {
		synergy: () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) }),
		tb: () => ({ trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: env.sandbox.url('trackingbot'), botId: TB_BOT_A }) }),
		neiros: () => ({ neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }) }),
		loymax: () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) }),
		iqm: () => ({ iqmTechApi: env.harness.credentials.add('iqmTechApi', { apiToken: 'iqm-test-token-0123456789', baseUrl: env.sandbox.url('iqm') }) }),
	};

	it('every action node is usable as a tool and every operation has an action sentence', () => {
		for (const name of ['iqmTech', 'synergyCrm', 'neiros', 'trackingBot', 'loymax']) {
			const type = env.harness.pkg.nodeTypes.getByNameAndVersion(nodeType(name)) as INodeType;
			expect(type.description.usableAsTool).toBe(true);
		}
	});

	it('Tracking Bot: numbers as text are sent as numbers', async () => {
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: {
				resource: 'trackingNumber',
				operation: 'create',
				trackingNumber: agent('AGENT-0001'),
				additionalFields: { quantity: agent('5'), weightKg: agent('10.5'), status: agent('in_transit') },
			} as never,
			credentials: creds.tb(),
		});
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('trackingbot', 'POST');
		expect(request.body).toMatchObject({ tracking_number: 'AGENT-0001', quantity: 5, weight_kg: 10.5, status: 'in_transit' });
	});

	it('Tracking Bot: a quantity that is not a whole number is refused with what is allowed', async () => {
		const result = await env.harness.runNode({
			node: 'trackingBot',
			parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: 'X1', additionalFields: { quantity: agent('five') } } as never,
			credentials: creds.tb(),
		});
		expect(result.error?.message).toBe('Item 1: "Quantity" must be a number, got string "five"');
		expect(result.error?.description).toContain('Number of pieces, a whole number');
		expect(env.sandbox.requests('trackingbot', 'POST')).toHaveLength(0);
	});

	it('Synergy CRM: dates and amounts as text are sent in the documented forms', async () => {
		const result = await env.harness.runNode({
			node: 'synergyCrm',
			parameters: {
				resource: 'deal',
				operation: 'getAll',
				limit: agent('3'),
				filters: { createdAtGte: agent('2024-01-10 09:28') },
			} as never,
			credentials: creds.synergy(),
		});
		expect(result.error).toBeUndefined();
		const [request] = env.sandbox.requests('synergy', 'GET');
		expect(request.query['filter[created-at-gte]']).toBe('2024.01.10 09:28');
		expect(request.query['page[size]']).toBe('3');
	});

	it('Synergy CRM: an unreadable date is refused naming the field and the expected form', async () => {
		const result = await env.harness.runNode({
			node: 'synergyCrm',
			parameters: { resource: 'deal', operation: 'getAll', returnAll: true, filters: { createdAtGte: agent('last Tuesday') } } as never,
			credentials: creds.synergy(),
		});
		expect(result.error?.message).toBe('Item 1: "Created At From" must be a date/time (e.g. 2024-05-01T10:00:00 or an n8n date), got string "last Tuesday"');
		expect(env.sandbox.log).toHaveLength(0);
	});

	it('Neiros: a date range as text is sent as YYYY-MM-DD and the site id as given', async () => {
		const result = await env.harness.runNode({
			node: 'neiros',
			parameters: {
				resource: 'deal',
				operation: 'getAll',
				siteId: { __rl: true, mode: 'id', value: agent('19') },
				returnAll: true,
				filters: { dateStart: agent('2020-01-01T10:00:00'), dateEnd: agent('2023-01-01') },
			} as never,
			credentials: creds.neiros(),
		});
		expect(result.error).toBeUndefined();
		const list = env.sandbox.requests('neiros', 'GET').filter((r) => r.path.endsWith('/projects'));
		expect(list[0].query).toMatchObject({ site_id: '19', date_start: '2020-01-01', date_end: '2023-01-01', page: '1' });
	});

	it('Loymax: a Y/N flag given as true is refused with the allowed values', async () => {
		const result = await env.harness.runNode({
			node: 'loymax',
			parameters: { resource: 'customerChannel', operation: 'update', customerId: 'C-1', updateFields: { sms: agent('true') } } as never,
			credentials: creds.loymax(),
		});
		expect(result.error?.message).toBe('Item 1: "SMS" must be one of "Y", "N", ""; got string "true"');
		expect(env.sandbox.requests('loymax').filter((r) => r.path !== '/token')).toHaveLength(0);
	});

	it('IQM Tech: coordinates and age as numbers are sent as text, as documented', async () => {
		const result = await env.harness.runNode({
			node: 'iqmTech',
			parameters: { resource: 'visit', operation: 'send', page: agent('https://shop.ru/'), additionalFields: { latitude: '={{ 55.7558 }}', age: '={{ 30 }}' } } as never,
			credentials: creds.iqm(),
		});
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('iqm')[0].body).toEqual({ page: 'https://shop.ru/', latitude: '55.7558', age: '30' });
	});
});
