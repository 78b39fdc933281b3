#!/usr/bin/env node
/*
 * Writes the example workflows (examples/*.json). The JSON files are what users import; this
 * script is how they are kept consistent (node ids, positions, credential references).
 * Run: node scripts/build-examples.js
 *
 * Every example has its real trigger (Schedule, Webhook or one of the package's polling triggers)
 * AND a Manual Trigger "Run now", so it can be run headless with `n8n execute --id` (the e2e checks).
 *
 * In the editor, "Execute workflow" starts from the trigger n8n auto-selects — NOT "Run now": n8n
 * ranks Form > Webhook > community/app triggers > Schedule > Manual (editor-ui
 * findTriggerNodeToAutoSelect). So the real trigger's path must itself produce the result the
 * sticky note promises when a newcomer clicks:
 *   - a polling trigger only wakes the workflow up: it feeds the same catch-up read as "Run now"
 *     (executed once), and Remove Duplicates / the stage comparison make repeated runs harmless;
 *   - the Webhook carries a pinned sample visit (pinData is used by manual executions only; a
 *     production call of the active workflow uses the posted body);
 *   - the Schedule Trigger feeds the same nodes as "Run now".
 * Resource locator parameters are written in n8n's own shape ({ __rl, mode, value }), checked
 * against the built node descriptions (dist/): a plain string there shows as "Mode…" in the editor.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const { CREDENTIAL_IDS, CREDENTIAL_NAMES, DEMO } = require('./lib/demo');

const PKG = 'n8n-nodes-rumarket';
const OUT = path.join(__dirname, '..', 'examples');

const uuid = (seed) => {
	const h = crypto.createHash('sha1').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** Whether the package declares a node (package.json n8n.nodes): triggers are used when they exist. */
const pkgJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const hasNode = (file) => (pkgJson.n8n?.nodes ?? []).some((f) => f.endsWith(`/${file}.node.js`));

/** The built node descriptions (dist/), by node type name, for the resource locator check. */
function nodeDescriptions() {
	const out = {};
	for (const file of pkgJson.n8n?.nodes ?? []) {
		let mod;
		try {
			mod = require(path.join(__dirname, '..', file));
		} catch {
			continue; // not built yet: run `npm run build` first (checked in rlShape)
		}
		const Cls = Object.values(mod).find((v) => typeof v === 'function');
		const desc = new Cls().description;
		out[`${PKG}.${desc.name}`] = desc;
	}
	return out;
}

/** Whether a property's displayOptions.show (resource / operation / other top-level values) match the node's parameters. */
function shown(prop, params) {
	const show = prop.displayOptions?.show ?? {};
	return Object.entries(show).every(([key, allowed]) => key.startsWith('@') || !Array.isArray(allowed) || allowed.includes(params[key]));
}

/** A plain value as n8n stores a resource locator: the first mode that takes typed text (id, name …). */
const asLocator = (prop, value) => ({ __rl: true, mode: (prop.modes ?? []).find((m) => m.name !== 'list')?.name ?? 'id', value });
const isLocatorValue = (v) => typeof v === 'object' && v !== null && v.__rl === true;

/** Walks parameter values along their properties: collections, fixed collections (single or multiple values). */
function shapeValues(props, values) {
	for (const prop of props) {
		const value = values?.[prop.name];
		if (value === undefined || value === null) continue;
		if (prop.type === 'resourceLocator' && !isLocatorValue(value)) values[prop.name] = asLocator(prop, value);
		if (prop.type === 'collection' && typeof value === 'object') shapeValues(prop.options ?? [], value);
		if (prop.type === 'fixedCollection' && typeof value === 'object') {
			for (const group of prop.options ?? []) {
				const entries = value[group.name];
				for (const entry of Array.isArray(entries) ? entries : entries ? [entries] : []) shapeValues(group.values ?? [], entry);
			}
		}
	}
}

/**
 * Rewrites every plain value given to a resourceLocator parameter (top level, inside a collection
 * such as Additional Fields / Update Fields, or inside a fixed collection such as Custom Fields)
 * into n8n's own shape { __rl, mode, value }. Throws when the package's nodes are not built (the
 * check would silently do nothing).
 */
function rlShape(wf, descriptions = nodeDescriptions()) {
	for (const node of wf.nodes) {
		if (!node.type.startsWith(`${PKG}.`)) continue;
		const desc = descriptions[node.type];
		if (!desc) throw new Error(`build-examples: ${node.type} is not built (run npm run build first)`);
		shapeValues(desc.properties.filter((p) => shown(p, node.parameters)), node.parameters);
	}
	return wf;
}

const cred = (type) => ({ [type]: { id: CREDENTIAL_IDS[type], name: CREDENTIAL_NAMES[type] } });
const byId = (value) => ({ __rl: true, mode: 'id', value });

function workflow({ id, name, description, nodes, connections, tags = [], pinData = {} }) {
	// The Manual Trigger goes first: with no start node given, n8n (`n8n execute`, Workflow.getStartNode)
	// starts from the first trigger/poll node in this list, and headless runs must start here.
	const ordered = [...nodes.filter((n) => n.type === 'n8n-nodes-base.manualTrigger'), ...nodes.filter((n) => n.type !== 'n8n-nodes-base.manualTrigger')];
	const named = ordered.map((n) => ({ id: uuid(`${id}/${n.name}`), ...n }));
	return {
		id,
		name,
		active: false,
		nodes: named,
		connections,
		settings: { executionOrder: 'v1', timezone: 'Europe/Moscow', saveManualExecutions: true },
		pinData,
		versionId: uuid(`${id}/version`),
		meta: { templateCredsSetupCompleted: true, description },
		tags,
	};
}

/** connections: [from, to, fromOutput = 0] */
function connect(...edges) {
	const out = {};
	for (const [from, to, output = 0] of edges) {
		out[from] ??= { main: [] };
		while (out[from].main.length <= output) out[from].main.push([]);
		out[from].main[output].push({ node: to, type: 'main', index: 0 });
	}
	return out;
}

const note = (name, content, position, width = 420, height = 260) => ({
	name,
	type: 'n8n-nodes-base.stickyNote',
	typeVersion: 1,
	position,
	parameters: { content, width, height },
});

const manual = (position) => ({ name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position, parameters: {} });

const set = (name, position, assignments, { keep = false, extra = {} } = {}) => ({
	name,
	type: 'n8n-nodes-base.set',
	typeVersion: 3.4,
	position,
	parameters: {
		assignments: {
			assignments: assignments.map(([field, value, type = 'string']) => ({ id: uuid(`${name}/${field}`), name: field, value, type })),
		},
		...(keep ? { includeOtherFields: true } : {}),
		options: {},
	},
	...extra,
});

const condition = (name, left, operation, right = '', type = 'string') => ({
	id: uuid(`${name}/${left}/${operation}`),
	leftValue: left,
	rightValue: right,
	operator: { type, operation, ...(['exists', 'notExists', 'empty', 'notEmpty', 'true', 'false'].includes(operation) ? { singleValue: true } : {}) },
});

const conditions = (name, list) => ({
	conditions: {
		options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
		conditions: list.map((c) => condition(name, ...c)),
		combinator: 'and',
	},
	looseTypeValidation: true,
	options: {},
});

const phoneExpr = (from) => `'+7' + String(${from} ?? '').replace(/\\D/g, '').slice(-10)`;

// ---------------------------------------------------------------- 1. Neiros → Synergy CRM
function neirosToSynergy() {
	const site = String(DEMO.neiros.siteId);
	const loop = 'For each deal';
	const deal = `$('${loop}').item.json`;
	const trigger = hasNode('NeirosTrigger');
	const entry = trigger
		? {
				name: 'New Neiros deal',
				type: `${PKG}.neirosTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { event: 'newDeal', siteId: byId(site) },
				credentials: cred('neirosApi'),
			}
		: { name: 'Every 15 minutes', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 15 }] } } };
	return workflow({
		id: 'rmExNeirosToCrm1',
		name: 'Neiros → Synergy CRM: new deals with their contact',
		description:
			'New Neiros deals (calls) of a site become Synergy CRM deals, linked to the contact with that phone (found, or created), with the Neiros channel as the deal source.',
		nodes: [
			note(
				'About',
				`## Neiros → Synergy CRM\n**Execute workflow** copies the deals of Neiros site **${site}** since yesterday that were not copied before. Active, ${trigger ? 'the **New Neiros deal** trigger (polling) starts the same copy whenever a new deal appears' : 'it runs every 15 minutes'}; *Run now* does the same by hand.\n\n- the full deal (phone, channel) is read with Deal → Get\n- the contact is found by phone (any phone field), or created\n- the deal source is the CRM source named like the Neiros channel (fallback: "Neiros")\n- the Neiros deal id goes into the custom field **custom-6**\n- *Remove Duplicates* remembers the deals already copied, so each deal is copied once.`,
				[-200, -340],
				560,
				320,
			),
			entry,
			manual([0, 220]),
			{
				name: 'Neiros deals since yesterday',
				type: `${PKG}.neiros`,
				typeVersion: 1,
				position: [240, 220],
				// Once per run, whatever started it (the trigger may report several new deals at once).
				executeOnce: true,
				parameters: {
					resource: 'deal',
					operation: 'getAll',
					siteId: byId(site),
					returnAll: true,
					filters: { dateStart: '={{ $today.minus({ days: 1 }).toFormat("yyyy-MM-dd") }}' },
				},
				credentials: cred('neirosApi'),
			},
			{
				name: 'Only deals not copied yet',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				position: [480, 100],
				parameters: { operation: 'removeItemsSeenInPreviousExecutions', logic: 'removeItemsWithAlreadySeenKeyValues', dedupeValue: '={{ $json.id }}', options: {} },
			},
			{
				// The deal list gives only id, site and date; the call data (phone, channel …) comes from Get.
				name: 'Neiros deal details',
				type: `${PKG}.neiros`,
				typeVersion: 1,
				position: [720, 100],
				parameters: { resource: 'deal', operation: 'get', dealId: '={{ $json.id }}', siteId: byId(site) },
				credentials: cred('neirosApi'),
			},
			set('Deal data', [960, 100], [
				['neirosDealId', '={{ String($json.id) }}'],
				['phone', `={{ ${phoneExpr('$json.phone')} }}`],
				['channel', '={{ $json.canal }}'],
				['traffic', '={{ $json.traffic }}'],
				['amount', '={{ Number($json.summ) || 0 }}', 'number'],
				['record', '={{ $json.record }}'],
				['calledAt', '={{ $json.created_at }}'],
			]),
			{ name: loop, type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, position: [1200, 100], parameters: { batchSize: 1, options: {} } },
			{
				name: 'CRM lead sources',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [1440, 200],
				executeOnce: true,
				parameters: { resource: 'source', operation: 'getAll', returnAll: true },
				credentials: cred('synergyCrmApi'),
			},
			{
				name: 'Find contact by phone',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [1680, 200],
				executeOnce: true,
				alwaysOutputData: true,
				parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: 1, filters: { anyPhone: `={{ ${deal}.phone }}` } },
				credentials: cred('synergyCrmApi'),
			},
			{
				name: 'Contact found?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.2,
				position: [1920, 200],
				parameters: conditions('Contact found?', [['={{ $json.id }}', 'exists']]),
			},
			{
				name: 'Create contact',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [2160, 320],
				parameters: {
					resource: 'contact',
					operation: 'create',
					firstName: 'Клиент',
					lastName: `={{ 'Neiros ' + ${deal}.phone }}`,
					additionalFields: {
						mobilePhone: `={{ ${deal}.phone }}`,
						description: `={{ 'Создан из звонка Neiros ' + ${deal}.neirosDealId + ' (' + ${deal}.channel + ')' }}`,
					},
				},
				credentials: cred('synergyCrmApi'),
			},
			{
				name: 'Create CRM deal',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [2400, 180],
				parameters: {
					resource: 'deal',
					operation: 'create',
					additionalFields: {
						name: `={{ 'Звонок ' + ${deal}.phone + ' — ' + ${deal}.channel }}`,
						description: `={{ 'Neiros: ' + ${deal}.traffic + ', запись: ' + ${deal}.record }}`,
						amount: `={{ ${deal}.amount }}`,
						contact: byId('={{ $json.id }}'),
						source: byId(
							`={{ ($('CRM lead sources').all().find(s => s.json.name === ${deal}.channel) || $('CRM lead sources').all().find(s => s.json.name === 'Neiros') || { json: { id: '' } }).json.id }}`,
						),
						customFields: { pairs: [{ name: 'custom-6', value: `={{ ${deal}.neirosDealId }}` }] },
					},
				},
				credentials: cred('synergyCrmApi'),
			},
		],
		connections: connect(
			[entry.name, 'Neiros deals since yesterday'],
			['Run now', 'Neiros deals since yesterday'],
			['Neiros deals since yesterday', 'Only deals not copied yet'],
			['Only deals not copied yet', 'Neiros deal details'],
			['Neiros deal details', 'Deal data'],
			['Deal data', loop],
			[loop, 'CRM lead sources', 1],
			['CRM lead sources', 'Find contact by phone'],
			['Find contact by phone', 'Contact found?'],
			['Contact found?', 'Create CRM deal', 0],
			['Contact found?', 'Create contact', 1],
			['Create contact', 'Create CRM deal'],
			['Create CRM deal', loop],
		),
	});
}

// ---------------------------------------------------------------- 2. IQM Tech → Loymax
/** The sample visit: pinned on the Webhook (editor runs) and set by "Sample visit" (Run now, headless runs). */
const SAMPLE_VISIT = {
	page: 'https://shop.example.ru/catalog/smartfony',
	ref: 'https://yandex.ru/',
	phone: '+7 903 123-45-67',
	browser: 'Chrome',
	device: 'Desktop',
	platform: 'Windows',
	ip_address: '95.31.18.119',
	utm_source: 'yandex',
	utm_medium: 'cpc',
	utm_campaign: 'black_friday',
	session_id: 's-20241123-0001',
	event: 'product_view',
};

function iqmToLoymax() {
	const visit = "$('Visit').first().json";
	return workflow({
		id: 'rmExIqmToLoymax1',
		name: 'Site visit → IQM Tech + Loymax web event',
		description:
			'A visit posted to the n8n webhook is sent to IQM Tech and registered as a Loymax web event for the Loymax customer with that phone.',
		nodes: [
			note(
				'About',
				'## Site visit → IQM Tech + Loymax\nPOST the visit to this workflow\'s webhook `/webhook/rumarket-visit` (JSON: page, phone, ref, utm_*, session_id, event …).\n\n1. the visit goes to **IQM Tech** (Visit → Send)\n2. the **Loymax** customer with the same phone (digits compared) gets a **web event** (default name: product_view)\n\nVisitors who are not Loymax customers are only sent to IQM Tech. **Execute workflow** runs with the sample visit pinned on the webhook (unpin it to wait for a real call); calls to the active workflow use what was posted.',
				[-240, -320],
				520,
				280,
			),
			{
				name: 'Visit webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: uuid('rmExIqmToLoymax1/webhook'),
				parameters: { httpMethod: 'POST', path: 'rumarket-visit', responseMode: 'onReceived', options: {} },
			},
			manual([0, 220]),
			set('Sample visit', [240, 220], [['body', `={{ ${JSON.stringify(SAMPLE_VISIT)} }}`, 'object']]),
			set('Visit', [480, 100], [
				['page', '={{ $json.body.page }}'],
				['ref', '={{ $json.body.ref || "" }}'],
				['phone', '={{ $json.body.phone || "" }}'],
				['browser', '={{ $json.body.browser || "" }}'],
				['device', '={{ $json.body.device || "" }}'],
				['platform', '={{ $json.body.platform || "" }}'],
				['ip_address', '={{ $json.body.ip_address || "" }}'],
				['utm_source', '={{ $json.body.utm_source || "" }}'],
				['utm_medium', '={{ $json.body.utm_medium || "" }}'],
				['utm_campaign', '={{ $json.body.utm_campaign || "" }}'],
				['session_id', '={{ $json.body.session_id || $execution.id }}'],
				['event', '={{ $json.body.event || "product_view" }}'],
				['phoneDigits', "={{ String($json.body.phone || '').replace(/\\D/g, '').slice(-10) }}"],
			]),
			{
				name: 'Send visit to IQM Tech',
				type: `${PKG}.iqmTech`,
				typeVersion: 1,
				position: [720, 100],
				parameters: {
					resource: 'visit',
					operation: 'send',
					page: '={{ $json.page }}',
					additionalFields: {
						ref: '={{ $json.ref }}',
						phone: '={{ $json.phone }}',
						browser: '={{ $json.browser }}',
						device: '={{ $json.device }}',
						platform: '={{ $json.platform }}',
						ip_address: '={{ $json.ip_address }}',
						utm_source: '={{ $json.utm_source }}',
						utm_medium: '={{ $json.utm_medium }}',
						utm_campaign: '={{ $json.utm_campaign }}',
					},
				},
				credentials: cred('iqmTechApi'),
			},
			{
				name: 'Loymax customers',
				type: `${PKG}.loymax`,
				typeVersion: 1,
				position: [960, 100],
				executeOnce: true,
				parameters: { resource: 'customer', operation: 'getAll', returnAll: true },
				credentials: cred('loymaxApi'),
			},
			{
				name: 'Customer with this phone',
				type: 'n8n-nodes-base.filter',
				typeVersion: 2.2,
				position: [1200, 100],
				parameters: conditions('Customer with this phone', [
					[`={{ String($json.phone || '').replace(/\\D/g, '').slice(-10) }}`, 'equals', `={{ ${visit}.phoneDigits }}`],
					[`={{ ${visit}.phoneDigits }}`, 'notEmpty'],
				]),
			},
			{
				name: 'Register Loymax web event',
				type: `${PKG}.loymax`,
				typeVersion: 1,
				position: [1440, 100],
				parameters: {
					resource: 'webEvent',
					operation: 'create',
					client_id: '={{ $json.local_id }}',
					session_id: `={{ ${visit}.session_id }}`,
					date: '={{ $now.toISO() }}',
					name: `={{ ${visit}.event }}`,
					additionalFields: { container: `={{ ${visit}.page }}`, source_code: 'site' },
				},
				credentials: cred('loymaxApi'),
			},
		],
		connections: connect(
			['Visit webhook', 'Visit'],
			['Run now', 'Sample visit'],
			['Sample visit', 'Visit'],
			['Visit', 'Send visit to IQM Tech'],
			['Send visit to IQM Tech', 'Loymax customers'],
			['Loymax customers', 'Customer with this phone'],
			['Customer with this phone', 'Register Loymax web event'],
		),
		// What the Webhook node outputs for a JSON POST (v2): headers, params, query, body.
		pinData: {
			'Visit webhook': [
				{
					json: {
						headers: { host: 'localhost:5678', 'content-type': 'application/json', 'user-agent': 'curl/8.5.0' },
						params: {},
						query: {},
						body: SAMPLE_VISIT,
						webhookUrl: 'http://localhost:5678/webhook/rumarket-visit',
						executionMode: 'production',
					},
				},
			],
		},
	});
}

// ---------------------------------------------------------------- 3. Tracking Bot → Synergy CRM
function trackingToSynergy() {
	const field = DEMO.synergy.trackingField;
	const stageOf = `({ pending: 'Груз принят', in_transit: 'В пути', delivered: 'Доставлен', issued: 'Выдан клиенту', cancelled: 'Отменён' })`;
	const parcel = `($('Parcel').all().find(p => p.json.tracking_number === ($json.customs || {})['${field}']) || { json: {} }).json`;
	const trigger = hasNode('TrackingBotTrigger');
	const entry = trigger
		? {
				name: 'Parcel status changed',
				type: `${PKG}.trackingBotTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: { event: 'statusChanged', statuses: [] },
				credentials: cred('trackingBotApi'),
			}
		: { name: 'Every 10 minutes', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ field: 'minutes', minutesInterval: 10 }] } } };
	return workflow({
		id: 'rmExTrackingCrm1',
		name: 'Tracking Bot → Synergy CRM: deal stage follows the parcel status',
		description:
			'When a Tracking Bot parcel status changes, the Synergy CRM deal holding that tracking number (custom field) moves to the matching stage.',
		nodes: [
			note(
				'About',
				`## Tracking Bot → Synergy CRM\n**Execute workflow** checks every parcel. Active, ${trigger ? 'the **Parcel status changed** trigger (polling) starts the same check whenever a status changes' : 'it checks every 10 minutes'}; *Run now* does the same by hand. The CRM deal whose custom field **${field}** holds the tracking number moves to the stage of the parcel status when it is not there yet:\n\npending → Груз принят · in_transit → В пути · delivered → Доставлен · issued → Выдан клиенту · cancelled → Отменён\n\nStage names are looked up in Synergy CRM (Deal Stage → Get Many); deals are read with their stage (include=stage).`,
				[-220, -340],
				580,
				320,
			),
			entry,
			manual([0, 220]),
			{
				name: 'All parcels',
				type: `${PKG}.trackingBot`,
				typeVersion: 1,
				position: [240, 220],
				// Once per run, whatever started it (the trigger may report several changes at once).
				executeOnce: true,
				parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
				credentials: cred('trackingBotApi'),
			},
			set('Parcel', [480, 100], [
				['tracking_number', '={{ $json.tracking_number }}'],
				['current_status', '={{ $json.current_status }}'],
			]),
			{
				name: 'CRM deal stages',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [720, 100],
				executeOnce: true,
				parameters: { resource: 'dealStage', operation: 'getAll', returnAll: true },
				credentials: cred('synergyCrmApi'),
			},
			{
				name: 'CRM deals',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [960, 100],
				executeOnce: true,
				// include=stage puts the stage id into each deal (JSON:API relationships carry only links otherwise).
				parameters: { resource: 'deal', operation: 'getAll', returnAll: true, include: ['stage'] },
				credentials: cred('synergyCrmApi'),
			},
			set('Deal and wanted stage', [1200, 100], [
				['dealId', '={{ $json.id }}'],
				['trackingNumber', `={{ ($json.customs || {})['${field}'] || '' }}`],
				['currentStageId', "={{ String($json.stage || '') }}"],
				['status', `={{ ${parcel}.current_status || '' }}`],
				['stageName', `={{ ${stageOf}[${parcel}.current_status] || '' }}`],
				['stageId', `={{ ($('CRM deal stages').all().find(s => s.json.name === ${stageOf}[${parcel}.current_status]) || { json: { id: '' } }).json.id }}`],
			]),
			{
				name: 'Stage changed',
				type: 'n8n-nodes-base.filter',
				typeVersion: 2.2,
				position: [1440, 100],
				parameters: conditions('Stage changed', [
					['={{ $json.trackingNumber }}', 'notEmpty'],
					['={{ $json.stageId }}', 'notEmpty'],
					['={{ $json.stageId }}', 'notEquals', '={{ $json.currentStageId }}'],
				]),
			},
			{
				name: 'Move CRM deal',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [1680, 100],
				parameters: { resource: 'deal', operation: 'update', id: '={{ $json.dealId }}', updateFields: { stage: byId('={{ $json.stageId }}') } },
				credentials: cred('synergyCrmApi'),
			},
		],
		connections: connect(
			[entry.name, 'All parcels'],
			['Run now', 'All parcels'],
			['All parcels', 'Parcel'],
			['Parcel', 'CRM deal stages'],
			['CRM deal stages', 'CRM deals'],
			['CRM deals', 'Deal and wanted stage'],
			['Deal and wanted stage', 'Stage changed'],
			['Stage changed', 'Move CRM deal'],
		),
	});
}

// ---------------------------------------------------------------- 4. Loymax → Synergy CRM
function loymaxToSynergy() {
	return workflow({
		id: 'rmExLoymaxCrm001',
		name: 'Loymax → Synergy CRM: nightly copy of new orders',
		description: 'Every night at 02:00: Loymax orders not copied before become Synergy CRM orders (name, number, amount, Loymax ids in custom fields).',
		nodes: [
			note(
				'About',
				'## Loymax → Synergy CRM (nightly)\n**Execute workflow** (or *Run now*) copies now what the active workflow copies at 02:00 every night: the Loymax orders are read (Order → Get Many) and the ones not copied before (*Remove Duplicates* keeps their local_id) become **Synergy CRM orders**:\n\n- name "Loymax: заказ №<number>", amount = items_sum\n- custom fields: **custom-8** = Loymax order local_id, **custom-9** = Loymax customer id',
				[-220, -300],
				520,
				260,
			),
			{ name: 'Every night at 02:00', type: 'n8n-nodes-base.scheduleTrigger', typeVersion: 1.2, position: [0, 0], parameters: { rule: { interval: [{ field: 'days', daysInterval: 1, triggerAtHour: 2 }] } } },
			manual([0, 200]),
			{
				name: 'Loymax orders',
				type: `${PKG}.loymax`,
				typeVersion: 1,
				position: [240, 100],
				parameters: { resource: 'order', operation: 'getAll', returnAll: true },
				credentials: cred('loymaxApi'),
			},
			{
				name: 'Only orders not copied yet',
				type: 'n8n-nodes-base.removeDuplicates',
				typeVersion: 2,
				position: [480, 100],
				parameters: { operation: 'removeItemsSeenInPreviousExecutions', logic: 'removeItemsWithAlreadySeenKeyValues', dedupeValue: '={{ $json.local_id }}', options: {} },
			},
			{
				name: 'Create CRM order',
				type: `${PKG}.synergyCrm`,
				typeVersion: 1,
				position: [720, 100],
				parameters: {
					resource: 'order',
					operation: 'create',
					additionalFields: {
						name: '={{ "Loymax: заказ №" + ($json.number || $json.local_id) }}',
						description: '={{ "Статус: " + ($json.status_name || "—") + ", позиций: " + ($json.items_cnt ?? "—") + ", дата: " + $json.date }}',
						amount: '={{ Number($json.items_sum) || 0 }}',
						customFields: {
							pairs: [
								{ name: 'custom-8', value: '={{ $json.local_id }}' },
								{ name: 'custom-9', value: '={{ $json.client_id || "" }}' },
							],
						},
					},
				},
				credentials: cred('synergyCrmApi'),
			},
		],
		connections: connect(
			['Every night at 02:00', 'Loymax orders'],
			['Run now', 'Loymax orders'],
			['Loymax orders', 'Only orders not copied yet'],
			['Only orders not copied yet', 'Create CRM order'],
		),
	});
}

const FILES = {
	'neiros-to-synergy-crm.json': neirosToSynergy,
	'iqm-tech-visit-to-loymax.json': iqmToLoymax,
	'tracking-bot-to-synergy-crm.json': trackingToSynergy,
	'loymax-orders-to-synergy-crm.json': loymaxToSynergy,
};

if (require.main === module) {
	fs.mkdirSync(OUT, { recursive: true });
	for (const [file, make] of Object.entries(FILES)) {
		fs.writeFileSync(path.join(OUT, file), `${JSON.stringify(rlShape(make()), null, '\t')}\n`);
		console.log(`examples/${file}`);
	}
}

module.exports = { FILES, SAMPLE_VISIT, rlShape, nodeDescriptions };
