import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCredential } from '../shared/credentials';
import { listItemsOf, recordOf } from '../shared/execute';
import type { CredentialInfo, FieldSpec, OperationContext, OperationSpec, PaginationSpec, ProviderSpec } from '../shared/spec';

/*
 * Tracking Bot (vendor docs "API для интеграций"). Every path holds the bot id of the credential, written
 * `:botId` in this table and filled from the credential before sending (the API key is bound to
 * that one bot). Paths carry /api/v1 themselves; the credential's Base URL may or may not end in
 * the documented /api/v1 (section "Базовый URL"): the reader drops it, so no URL ever reads /api/v1/api/v1.
 */

export const BOT = ':botId';

type AnyFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Drop a trailing /api/v1 (or /api/v1/) from a base URL. */
export function normaliseBaseUrl(url: string): string {
	return url.replace(/\/+$/, '').replace(/\/api\/v1$/i, '');
}

/**
 * Why an API key cannot be one (undefined when it can). The docs' section "Формат ключа" shows only
 * a placeholder (`tb_` + 32 x's): a real key of another form must still work, so any non-empty key
 * without line breaks is sent and the server decides (the credential Test asks it).
 */
export function apiKeyProblem(key: unknown): string | undefined {
	const text = typeof key === 'string' ? key.trim() : '';
	if (text === '') return 'is empty';
	if (/[\r\n]/.test(text)) return 'must not contain line breaks';
	return undefined;
}

/** The bot id as a positive integer, or undefined. */
export function botIdOf(raw: unknown): number | undefined {
	const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
	return Number.isInteger(n) && n > 0 ? n : undefined;
}

export async function readTrackingBotCredential(fn: AnyFunctions): Promise<CredentialInfo> {
	const info = await readCredential(
		fn,
		{ type: 'trackingBotApi', defaultBaseUrl: '', secretFields: ['apiKey'], normaliseBaseUrl, noLogin: true },
		'Tracking Bot',
	);
	const problem = apiKeyProblem(info.data.apiKey);
	if (problem) throw new NodeOperationError(fn.getNode(), `The API Key of the Tracking Bot credential ${problem}`);
	const botId = botIdOf(info.data.botId);
	if (botId === undefined) {
		throw new NodeOperationError(fn.getNode(), 'The Bot ID of the Tracking Bot credential must be a positive whole number, e.g. 123');
	}
	// The key is the limit's unit ("60 requests per minute per API key").
	return { ...info, data: { ...info.data, botId } };
}

/** A path of this table with the credential's bot id in it. */
export async function withBot(fn: AnyFunctions, path: string): Promise<string> {
	const credential = await readTrackingBotCredential(fn);
	return path.split(BOT).join(encodeURIComponent(String(credential.data.botId)));
}

export const STATUSES = [
	{ name: 'Pending', value: 'pending', description: 'Registered, not shipped yet' },
	{ name: 'In Transit', value: 'in_transit', description: 'On its way' },
	{ name: 'Delivered', value: 'delivered', description: 'Arrived at the warehouse' },
	{ name: 'Issued', value: 'issued', description: 'Handed over to the client' },
	{ name: 'Cancelled', value: 'cancelled', description: 'Cancelled and not to be delivered' },
];

const STATUS_WORDS = 'pending, in_transit, delivered, issued or cancelled (other values the platform knows are accepted as typed)';

const trackingId: FieldSpec = {
	name: 'trackingId',
	label: 'Tracking Number ID',
	key: 'tracking_id',
	type: 'string',
	location: 'path',
	required: true,
	pattern: { regex: '^\\d+$', hint: 'the numeric "id" of a tracking number (e.g. 1), not the tracking number text' },
	placeholder: '1',
	description: 'Numeric "id" of the tracking number record (e.g. 1) as returned by Get Many — not the tracking number text such as ABC123456',
};

const clientLocator = (name: string, key: string, label: string, location: FieldSpec['location'], description: string, byCode: boolean): FieldSpec => ({
	name,
	label,
	key,
	type: 'locator',
	location,
	required: location === 'path',
	locator: {
		searchMethod: byCode ? 'searchClientCodes' : 'searchClients',
		searchable: true,
		idPlaceholder: byCode ? 'e.g. CLIENT123' : 'e.g. 42',
		...(byCode ? {} : { idRegex: '^\\d+$' }),
	},
	description,
});

/**
 * `page` / `page_size` (max 100). The docs ("Получить список трек-номеров", response example) show
 * `"total": 1` without saying what it counts: read as the number of records (ceil(total / 100)
 * pages); when that makes one full page, page 2 is asked for too (`confirmCount`), so a `total` that
 * counts something else (the records of this page, never more than 100) cannot cut the list short.
 */
export const PAGES: PaginationSpec = { pageParam: 'page', sizeParam: 'page_size', maxPageSize: 100, confirmCount: true };

/** Items of a list answer: `tracking_numbers` (documented), `clients`, `items`, or a bare array. */
function itemsOf(body: unknown): IDataObject[] {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const obj = body as IDataObject;
		for (const key of ['tracking_numbers', 'clients', 'items', 'results', 'data']) {
			if (Array.isArray(obj[key])) return obj[key] as IDataObject[];
		}
	}
	return listItemsOf(body);
}

/**
 * Get Many with the Client Code filter. The section "Получить список трек-номеров" lists page,
 * page_size and status_filter only, while every code sample ("Примеры использования") sends
 * client_code. A server that ignores it would return every client's parcels: the answer is
 * checked, and records of another client fail the item (never returned as filtered).
 */
async function onlyOfClient(ctx: OperationContext): Promise<IDataObject[]> {
	const returnAll = ctx.fn.getNodeParameter('returnAll', ctx.itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (ctx.fn.getNodeParameter('limit', ctx.itemIndex, 50) as number);
	const records = await ctx.paginate(ctx.request, PAGES, limit);
	const code = ctx.values.clientCode;
	if (code === undefined) return records;
	const others = [...new Set(records.filter((r) => r.client_code !== code).map((r) => String(r.client_code ?? 'none')))];
	if (others.length) {
		throw new NodeOperationError(
			ctx.fn.getNode(),
			`Item ${ctx.itemIndex + 1}: Tracking Bot ignored the Client Code filter: its answer holds tracking numbers of other clients (${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}); none were returned`,
			{
				itemIndex: ctx.itemIndex,
				description: `Use the operation "Get Many by Client" (GET /api/v1/tracking/{bot_id}/by-client/${String(code)}), which names the client in its path.`,
			},
		);
	}
	return records;
}

/** Fill `:botId` in the built request (every operation). */
async function fillBot(ctx: OperationContext): Promise<void> {
	ctx.request.path = await withBot(ctx.fn, ctx.request.path);
}

const op = (spec: Omit<OperationSpec, 'prepare'>): OperationSpec => ({ ...spec, prepare: fillBot });

export const trackingBot: ProviderSpec = {
	displayName: 'Tracking Bot',
	credentialType: 'trackingBotApi',
	credential: readTrackingBotCredential,
	headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
	protectedHeaders: ['x-api-key'],
	// "60 requests per minute per API key" by default; the X-RateLimit-* headers then rule.
	rateLimit: { requests: 60, windowMs: 60_000 },
	customPagination: { pageParam: 'page', sizeParam: 'page_size', maxPageSize: 100 },
	listItems: itemsOf,
	recordOf: (body) => (Array.isArray(body) ? (body as IDataObject[]) : recordOf(body)),
	resources: [
		{
			value: 'trackingNumber',
			name: 'Tracking Number',
			description: 'Cargo tracking numbers of the bot',
			operations: [
				op({
					value: 'create',
					name: 'Create',
					action: 'Create a tracking number',
					description: 'Register a tracking number for the bot (POST /api/v1/tracking/{bot_id})',
					method: 'POST',
					path: `/api/v1/tracking/${BOT}`,
					fields: [
						{
							name: 'trackingNumber',
							label: 'Tracking Number',
							key: 'tracking_number',
							type: 'string',
							location: 'body',
							required: true,
							placeholder: 'ABC123456',
							description: 'The tracking number text, e.g. ABC123456',
						},
						clientLocator('clientCode', 'client_code', 'Client Code', 'body', 'Code of the client the cargo belongs to, e.g. CLIENT123', true),
						{
							name: 'status',
							label: 'Status',
							type: 'options',
							location: 'body',
							options: STATUSES,
							allowCustom: true,
							default: 'pending',
							description: `Initial status: ${STATUS_WORDS}. Returned as current_status.`,
						},
						{
							name: 'quantity',
							label: 'Quantity',
							type: 'number',
							location: 'body',
							integer: true,
							min: 0,
							description: 'Number of pieces, a whole number, e.g. 5',
						},
						{
							name: 'weightKg',
							label: 'Weight (Kg)',
							key: 'weight_kg',
							type: 'number',
							location: 'body',
							min: 0,
							description: 'Weight in kilograms, e.g. 10.5',
						},
						{
							name: 'pricePerKgUsd',
							label: 'Price per Kg (USD)',
							key: 'price_per_kg_usd',
							type: 'number',
							location: 'body',
							min: 0,
							description: 'Price per kilogram in US dollars, e.g. 14.29',
						},
						{
							name: 'totalCostUsd',
							label: 'Total Cost (USD)',
							key: 'total_cost_usd',
							type: 'number',
							location: 'body',
							min: 0,
							description: 'Total cost in US dollars, e.g. 150.00 (sent as given; the platform does not compute it from weight and price)',
						},
						{
							name: 'note',
							label: 'Note',
							type: 'string',
							location: 'body',
							description: 'Free-text note, e.g. Fragile',
						},
					],
				}),
				op({
					value: 'get',
					name: 'Get',
					action: 'Get a tracking number',
					description: 'Get one tracking number record by its numeric ID (GET /api/v1/tracking/{bot_id}/{tracking_id})',
					method: 'GET',
					path: `/api/v1/tracking/${BOT}/{tracking_id}`,
					fields: [trackingId],
				}),
				op({
					value: 'getAll',
					name: 'Get Many',
					action: 'Get many tracking numbers',
					description: 'List the tracking numbers of the bot, optionally of one status or one client (GET /api/v1/tracking/{bot_id})',
					method: 'GET',
					path: `/api/v1/tracking/${BOT}`,
					fields: [
						clientLocator(
							'clientCode',
							'client_code',
							'Client Code',
							'query',
							'Only tracking numbers of this client code, e.g. CLIENT123 (sent as client_code, as in every code sample of the docs). The answer is checked: if the server returns parcels of other clients, the item fails instead of returning them.',
							true,
						),
						{
							name: 'status',
							label: 'Status',
							key: 'status_filter',
							type: 'options',
							location: 'query',
							options: STATUSES,
							allowCustom: true,
							default: 'pending',
							description: `Only tracking numbers with this current status: ${STATUS_WORDS} (sent as status_filter)`,
						},
					],
					pagination: PAGES,
					run: onlyOfClient,
				}),
				op({
					value: 'getAllByClient',
					name: 'Get Many by Client',
					action: 'Get many tracking numbers of a client',
					description: 'List the tracking numbers of one client code (GET /api/v1/tracking/{bot_id}/by-client/{client_code})',
					method: 'GET',
					path: `/api/v1/tracking/${BOT}/by-client/{client_code}`,
					fields: [clientLocator('clientCode', 'client_code', 'Client Code', 'path', 'Code of the client, e.g. CLIENT123 (the client_code of a client)', true)],
					// Not documented: assumed the list shape of the code samples ({"tracking_numbers": [..]}).
					run: async (ctx) => itemsOf(await ctx.send(ctx.request)),
				}),
				op({
					value: 'updateStatus',
					name: 'Update Status',
					action: 'Update the status of a tracking number',
					description: 'Set the status of a tracking number (PUT /api/v1/tracking/{bot_id}/{tracking_id}, only "status" is sent)',
					method: 'PUT',
					path: `/api/v1/tracking/${BOT}/{tracking_id}`,
					fields: [
						trackingId,
						{
							name: 'status',
							label: 'Status',
							type: 'options',
							location: 'body',
							required: true,
							options: STATUSES,
							allowCustom: true,
							default: 'in_transit',
							description: `New status: ${STATUS_WORDS}`,
						},
					],
				}),
			],
		},
		{
			value: 'client',
			name: 'Client',
			description: 'Clients of the bot',
			operations: [
				op({
					value: 'get',
					name: 'Get',
					action: 'Get a client',
					description: 'Get one client by its numeric ID (GET /api/v1/clients/{bot_id}/{client_id})',
					method: 'GET',
					path: `/api/v1/clients/${BOT}/{client_id}`,
					fields: [clientLocator('clientId', 'client_id', 'Client', 'path', 'The client: pick one from the list or give its numeric ID, e.g. 42', false)],
				}),
				op({
					value: 'getAll',
					name: 'Get Many',
					action: 'Get many clients',
					description: 'List the clients of the bot (GET /api/v1/clients/{bot_id})',
					method: 'GET',
					path: `/api/v1/clients/${BOT}`,
					fields: [],
					pagination: PAGES,
				}),
			],
		},
		{
			value: 'statistics',
			name: 'Statistics',
			description: 'Counters of the bot',
			operations: [
				op({
					value: 'overview',
					name: 'Overview',
					action: 'Get the overview statistics',
					description: 'Counts of clients and tracking numbers, in total and per status (GET /api/v1/statistics/{bot_id}/overview)',
					method: 'GET',
					path: `/api/v1/statistics/${BOT}/overview`,
					fields: [],
				}),
				op({
					value: 'tracking',
					name: 'Tracking',
					action: 'Get the tracking number statistics',
					description: 'Statistics of the tracking numbers (GET /api/v1/statistics/{bot_id}/tracking; the shape is the platform\'s)',
					method: 'GET',
					path: `/api/v1/statistics/${BOT}/tracking`,
					fields: [],
				}),
			],
		},
		{
			value: 'bot',
			name: 'Bot',
			description: 'The bot of the API key',
			operations: [
				op({
					value: 'get',
					name: 'Get',
					action: 'Get the bot',
					description: 'Name, username, activity and subscription status of the bot of the credential (GET /api/v1/bots/{bot_id})',
					method: 'GET',
					path: `/api/v1/bots/${BOT}`,
					fields: [],
				}),
			],
		},
	],
};
