/*
 * The demo/e2e world: the sandbox (dist-dev/sandbox, compiled from sandbox/ by tsconfig.dev.json)
 * seeded with realistic Russian-market data through the fakes' public methods, and the n8n
 * credentials (one per provider) that point at it.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST_DEV = path.join(ROOT, 'dist-dev', 'sandbox');

/**
 * Compiles sandbox/ (and what it imports) into dist-dev/ with scripts/tsconfig.sandbox.json
 * (tsconfig.dev.json limited to the sandbox: the benchmarks and the test harness are not needed
 * to run the demo or the e2e checks, and their type errors are not the user's concern here).
 */
function buildSandbox({ say = console.log } = {}) {
	const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	try {
		execFileSync(process.execPath, [tsc, '-p', path.join('scripts', 'tsconfig.sandbox.json')], { cwd: ROOT, stdio: 'pipe', timeout: 300000 });
	} catch (error) {
		// tsc still emits when another file has type errors: go on when the sandbox is there.
		if (!fs.existsSync(path.join(DIST_DEV, 'index.js'))) throw error;
		const first = String(error.stdout ?? '').split('\n').find((l) => /error TS/.test(l)) ?? '';
		say(`  (the sandbox build reported type errors, e.g. ${first.slice(0, 160)}; the sandbox was emitted)`);
	}
}

function loadSandboxModule() {
	for (const key of Object.keys(require.cache)) if (key.startsWith(path.join(ROOT, 'dist-dev'))) delete require.cache[key];
	return require(path.join(DIST_DEV, 'index.js'));
}

const has = (sandbox, name) => {
	try {
		sandbox.fake(name);
		return true;
	} catch {
		return false;
	}
};

/** Demo data. Fixed values so the e2e checks can name them. */
const DEMO = {
	neiros: {
		user: { email: 'test@test.ru', password: '123456' },
		siteId: 19,
		deals: [
			{ id: 9101, phone: '79161234567', canal: 'Яндекс.Директ', traffic: 'yandex / cpc', summ: 0, status: 'Неразобранное', duration: 184 },
			{ id: 9102, phone: '79037654321', canal: 'Google Ads', traffic: 'google / cpc', summ: 0, status: 'Неразобранное', duration: 95 },
			// The same phone as a contact already in Synergy CRM (Иван Иванов, +79876543211): linked, not duplicated.
			{ id: 9103, phone: '+7 987 654-32-11', canal: 'ВКонтакте', traffic: 'vk / target', summ: 0, status: 'Неразобранное', duration: 240 },
		],
	},
	synergy: {
		sources: ['Яндекс.Директ', 'Google Ads', 'ВКонтакте', 'Neiros'],
		stages: ['Груз принят', 'В пути', 'Доставлен', 'Выдан клиенту', 'Отменён'],
		/** Custom field of a deal holding the Tracking Bot tracking number. */
		trackingField: 'custom-5',
	},
	tracking: {
		botId: 123,
		clients: [
			{ code: 'MSK-001', name: 'Ольга Смирнова' },
			{ code: 'SPB-002', name: 'Дмитрий Кузнецов' },
		],
		parcels: [
			{ tracking_number: 'CN2024112301RU', client_code: 'MSK-001', current_status: 'in_transit', quantity: 3, weight_kg: 12.5, total_cost_usd: 178.6, note: 'Одежда, Гуанчжоу → Москва' },
			{ tracking_number: 'CN2024112302RU', client_code: 'SPB-002', current_status: 'delivered', quantity: 1, weight_kg: 2.1, total_cost_usd: 30.0, note: 'Электроника' },
			{ tracking_number: 'CN2024112303RU', client_code: 'MSK-001', current_status: 'pending', quantity: 2, weight_kg: 5, total_cost_usd: 71.45, note: 'Без сделки в CRM' },
		],
	},
	iqm: { token: 'iqm-test-token-0123456789' },
	loymax: {
		customers: [
			{ local_id: 'C-1001', full_name: 'Елена Васильева', phone: '+79031234567', register_date: '2024-03-01T10:00:00+03:00' },
			{ local_id: 'C-1002', full_name: 'Сергей Морозов', phone: '+79167778899', register_date: '2024-05-14T12:30:00+03:00' },
		],
		orders: [
			{ local_id: 'ORD-5001', client_id: 'C-1001', number: '5001', status_name: 'Оплачен', date: '2024-11-22T18:40:00+03:00', items_cnt: 2, items_sum: 3490 },
			{ local_id: 'ORD-5002', client_id: 'C-1002', number: '5002', status_name: 'Оплачен', date: '2024-11-22T20:15:00+03:00', items_cnt: 1, items_sum: 12990 },
		],
	},
};

/** Creates the sandbox, mounts every fake and seeds the demo data. */
function createDemoSandbox() {
	const mod = loadSandboxModule();
	const sandbox = mod.createSandbox();
	seed(sandbox, mod);
	return { sandbox, mod };
}

function seed(sandbox, mod) {
	if (has(sandbox, 'neiros')) {
		const neiros = sandbox.fake('neiros');
		const today = new Date().toISOString().slice(0, 10);
		const made = neiros.seedDeals(DEMO.neiros.siteId, DEMO.neiros.deals.length, today, DEMO.neiros.deals[0].id);
		made.forEach((deal, i) => Object.assign(deal, DEMO.neiros.deals[i]));
		// Older history on another site, so the site filter matters.
		neiros.seedDeals(53, 5, '2024-10-01', 8001);
	}
	if (has(sandbox, 'synergy')) {
		const crm = sandbox.fake('synergy');
		for (const name of DEMO.synergy.sources) crm.insert('sources', { name });
		const category = crm.insert('deal-stage-categories', {
			name: 'Доставка грузов из Китая',
			'amount-calc-method': 'manually',
			'cost-calc-method': 'manually',
			'is-default': false,
			'win-by-diaries': false,
		});
		const stages = DEMO.synergy.stages.map((name, i) =>
			crm.insert('deal-stages', { name, duration: 0, 'next-if-items-done': false, description: name, color: ['#9e9e9e', '#2196f3', '#4caf50', '#009688', '#f44336'][i] }, {
				'deal-stage-category': { type: 'deal-stage-categories', id: category.id },
			}),
		);
		// Deals linked to the Tracking Bot parcels through the tracking-number custom field.
		const contactOlga = crm.insert('contacts', { 'first-name': 'Ольга', 'last-name': 'Смирнова', 'mobile-phone': '+79265550101', email: 'olga.smirnova@example.ru' });
		const contactDmitry = crm.insert('contacts', { 'first-name': 'Дмитрий', 'last-name': 'Кузнецов', 'mobile-phone': '+79115550202' });
		const link = (rec) => ({ type: rec.type, id: rec.id });
		crm.insert(
			'deals',
			{ name: 'Доставка CN2024112301RU', amount: 178.6, customs: { [DEMO.synergy.trackingField]: 'CN2024112301RU' } },
			{ contact: link(contactOlga), stage: link(stages[0]), 'stage-category': link(category) },
		);
		crm.insert(
			'deals',
			{ name: 'Доставка CN2024112302RU', amount: 30, customs: { [DEMO.synergy.trackingField]: 'CN2024112302RU' } },
			{ contact: link(contactDmitry), stage: link(stages[1]), 'stage-category': link(category) },
		);
	}
	if (has(sandbox, 'trackingbot')) {
		const tb = sandbox.fake('trackingbot');
		for (const c of DEMO.tracking.clients) tb.addClient(DEMO.tracking.botId, c.code, c.name);
		for (const p of DEMO.tracking.parcels) tb.addTracking(DEMO.tracking.botId, { ...p, price_per_kg_usd: 14.29 });
	}
	if (has(sandbox, 'loymax')) seedLoymax(sandbox.fake('loymax'));
}

/** Loymax: customers with phones and a few orders (through the fake's public helpers when present). */
function seedLoymax(loymax) {
	for (const c of DEMO.loymax.customers) loymax.seed('customer', c);
	for (const o of DEMO.loymax.orders) loymax.seed('order', o);
}

/** Credential ids (n8n uses 16-character ids) referenced by the example workflows. */
const CREDENTIAL_IDS = {
	iqmTechApi: 'rmSbxIqmTech0001',
	synergyCrmApi: 'rmSbxSynergy0001',
	neirosApi: 'rmSbxNeiros00001',
	trackingBotApi: 'rmSbxTracking001',
	loymaxApi: 'rmSbxLoymax00001',
};

const CREDENTIAL_NAMES = {
	iqmTechApi: 'IQM Tech (sandbox)',
	synergyCrmApi: 'Synergy CRM (sandbox)',
	neirosApi: 'Neiros (sandbox)',
	trackingBotApi: 'Tracking Bot (sandbox)',
	loymaxApi: 'Loymax (sandbox)',
};

/** n8n credentials (plain data; `n8n import:credentials` encrypts it) for every mounted fake. */
function sandboxCredentials(sandbox, mod) {
	const out = [];
	const add = (type, data) => out.push({ id: CREDENTIAL_IDS[type], name: CREDENTIAL_NAMES[type], type, data });
	if (has(sandbox, 'iqm')) add('iqmTechApi', { apiToken: DEMO.iqm.token, baseUrl: sandbox.url('iqm') });
	if (has(sandbox, 'synergy')) add('synergyCrmApi', { apiToken: mod.SYNERGY_TOKEN ?? loadConst('synergyCrm', 'SYNERGY_TOKEN'), baseUrl: sandbox.url('synergy') });
	if (has(sandbox, 'neiros')) add('neirosApi', { authMethod: 'login', ...DEMO.neiros.user, baseUrl: sandbox.url('neiros') });
	if (has(sandbox, 'trackingbot')) {
		add('trackingBotApi', { apiKey: mod.TB_KEY_A ?? loadConst('trackingBot', 'TB_KEY_A'), baseUrl: sandbox.url('trackingbot'), botId: DEMO.tracking.botId });
	}
	if (has(sandbox, 'loymax')) {
		const login = loymaxLogin();
		add('loymaxApi', { ...login, baseUrl: sandbox.url('loymax') });
	}
	return out;
}

function loadConst(file, name) {
	try {
		return require(path.join(DIST_DEV, `${file}.js`))[name];
	} catch {
		return undefined;
	}
}

function loymaxLogin() {
	const user = loadConst('loymax', 'LOYMAX_USER');
	return { username: user.username, password: user.password };
}

module.exports = { ROOT, DEMO, CREDENTIAL_IDS, CREDENTIAL_NAMES, buildSandbox, loadSandboxModule, createDemoSandbox, sandboxCredentials, has };
