/*
 * What each example workflow must have done to the sandbox after a headless run in real n8n.
 * `before(sandbox, run)` snapshots what is needed; `assert(sandbox, {run, before})` throws with
 * a precise message, or returns a short summary.
 * Also how a check runs and prints (scripts/e2e.js, and the legs run on their own), and freePort.
 */
'use strict';

const net = require('net');

const { DEMO } = require('./demo');

function expect(cond, message) {
	if (!cond) throw new Error(message);
}

const crmOf = (sandbox) => sandbox.fake('synergy');
const customs = (rec) => rec.attributes.customs ?? rec.attributes.custom ?? {};
const idOf = (linkage) => (linkage && !Array.isArray(linkage) ? linkage.id : undefined);
const digits = (v) => String(v ?? '').replace(/\D/g, '').slice(-10);

const WORKFLOW_CHECKS = {
	rmExNeirosToCrm1: {
		runs: 2,
		before: (sandbox) => ({ deals: crmOf(sandbox).all('deals').length, contacts: crmOf(sandbox).all('contacts').length }),
		assert: (sandbox, { run, before }) => {
			const crm = crmOf(sandbox);
			const deals = crm.all('deals');
			const contacts = crm.all('contacts');
			if (run > 1) {
				expect(deals.length === before.deals, `second run created ${deals.length - before.deals} deals again (expected none: already copied)`);
				expect(contacts.length === before.contacts, `second run created ${contacts.length - before.contacts} contacts`);
				return 'second run copied nothing (already copied)';
			}
			expect(deals.length === before.deals + DEMO.neiros.deals.length, `expected ${DEMO.neiros.deals.length} new CRM deals, got ${deals.length - before.deals}`);
			expect(contacts.length === before.contacts + 2, `expected 2 new contacts (one phone was already a contact), got ${contacts.length - before.contacts}`);
			for (const nd of DEMO.neiros.deals) {
				const deal = deals.find((d) => customs(d)['custom-6'] === String(nd.id));
				expect(deal, `no CRM deal with custom-6 = ${nd.id}`);
				const contact = crm.get('contacts', idOf(deal.rels.contact));
				expect(contact, `CRM deal ${deal.id} (Neiros ${nd.id}) is not linked to a contact`);
				const phones = ['mobile-phone', 'work-phone', 'other-phone', 'general-phone'].map((p) => digits(contact.attributes[p]));
				expect(phones.includes(digits(nd.phone)), `deal ${deal.id} is linked to contact ${contact.id} without phone ${nd.phone}`);
				const source = crm.get('sources', idOf(deal.rels.source));
				expect(source && source.attributes.name === nd.canal, `deal ${deal.id}: source ${source?.attributes.name} ≠ channel ${nd.canal}`);
				expect(String(deal.attributes.name).includes(nd.canal), `deal name "${deal.attributes.name}" lacks the channel`);
			}
			const ivan = DEMO.neiros.deals.find((d) => d.id === 9103);
			const ivanDeal = deals.find((d) => customs(d)['custom-6'] === String(ivan.id));
			expect(idOf(ivanDeal.rels.contact) === '1', `the deal from ${ivan.phone} should link the existing contact 1 (Иван Иванов), got ${idOf(ivanDeal.rels.contact)}`);
			return `${DEMO.neiros.deals.length} CRM deals, 2 new contacts + 1 existing, sources = channels`;
		},
	},
	rmExIqmToLoymax1: {
		before: (sandbox) => ({ visits: sandbox.fake('iqm').visits.length, events: sandbox.fake('loymax').webEvents.length }),
		assert: (sandbox, { before }) => {
			const visits = sandbox.fake('iqm').visits.slice(before.visits);
			const events = sandbox.fake('loymax').webEvents.slice(before.events);
			expect(visits.length === 1, `expected 1 IQM Tech visit, got ${visits.length}`);
			expect(visits[0].data.page === 'https://shop.example.ru/catalog/smartfony' && visits[0].data.phone === '+7 903 123-45-67', `IQM visit data: ${JSON.stringify(visits[0].data)}`);
			expect(events.length === 1, `expected 1 Loymax web event, got ${events.length}`);
			const ev = flat(events[0]);
			expect(ev.client_id === 'C-1001' && ev.session_id === 's-20241123-0001' && ev.name === 'product_view', `Loymax web event: ${JSON.stringify(ev)}`);
			return 'IQM visit stored; Loymax web event for C-1001 (Елена Васильева)';
		},
	},
	rmExTrackingCrm1: {
		runs: 2,
		before: (sandbox) => ({ patches: sandbox.requests('synergy', 'PATCH').length }),
		assert: (sandbox, { run, before }) => {
			const crm = crmOf(sandbox);
			const patches = sandbox.requests('synergy', 'PATCH').length - before.patches;
			const stageName = (deal) => crm.get('deal-stages', idOf(deal.rels.stage))?.attributes.name;
			const dealOf = (tn) => crm.all('deals').find((d) => customs(d)[DEMO.synergy.trackingField] === tn);
			expect(stageName(dealOf('CN2024112301RU')) === 'В пути', `deal of CN2024112301RU (in_transit) is at stage "${stageName(dealOf('CN2024112301RU'))}"`);
			expect(stageName(dealOf('CN2024112302RU')) === 'Доставлен', `deal of CN2024112302RU (delivered) is at stage "${stageName(dealOf('CN2024112302RU'))}"`);
			if (run > 1) {
				expect(patches === 0, `second run sent ${patches} PATCH requests (nothing changed)`);
				return 'second run: no change, no update';
			}
			expect(patches === 2, `expected 2 deal updates, got ${patches}`);
			return '2 deals moved: В пути, Доставлен; parcel without a deal ignored';
		},
	},
	rmExLoymaxCrm001: {
		runs: 2,
		before: (sandbox) => ({ orders: crmOf(sandbox).all('orders').length }),
		assert: (sandbox, { run, before }) => {
			const orders = crmOf(sandbox).all('orders');
			if (run > 1) {
				expect(orders.length === before.orders, `second run created ${orders.length - before.orders} orders again`);
				return 'second run copied nothing';
			}
			expect(orders.length === before.orders + DEMO.loymax.orders.length, `expected ${DEMO.loymax.orders.length} new CRM orders, got ${orders.length - before.orders}`);
			for (const lo of DEMO.loymax.orders) {
				const o = orders.find((r) => customs(r)['custom-8'] === lo.local_id);
				expect(o, `no CRM order with custom-8 = ${lo.local_id}`);
				expect(Number(o.attributes.amount) === lo.items_sum, `order ${lo.local_id}: amount ${o.attributes.amount} ≠ ${lo.items_sum}`);
				expect(String(o.attributes.name).includes(lo.number), `order ${lo.local_id}: name "${o.attributes.name}"`);
				expect(customs(o)['custom-9'] === lo.client_id, `order ${lo.local_id}: custom-9 ${customs(o)['custom-9']} ≠ ${lo.client_id}`);
			}
			return `${DEMO.loymax.orders.length} CRM orders with amounts and Loymax ids`;
		},
	},
};

/** A stored Loymax record may be {id, attrs} or plain. */
function flat(rec) {
	return rec && typeof rec === 'object' && rec.attrs ? { id: rec.id, ...rec.attrs } : rec;
}

const webhookCheck = {
	rmExIqmToLoymax1: async (base, sandbox) => {
		const iqm = sandbox.fake('iqm');
		const loymax = sandbox.fake('loymax');
		const visits = iqm.visits.length;
		const events = loymax.webEvents.length;
		const res = await fetch(`${base}/webhook/rumarket-visit`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ page: 'https://shop.example.ru/cart', phone: '8 (916) 777-88-99', session_id: 's-live-1', event: 'add_to_cart', utm_source: 'vk' }),
		});
		expect(res.status === 200, `webhook answered HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
		const deadline = Date.now() + 30000;
		while (Date.now() < deadline && (iqm.visits.length === visits || loymax.webEvents.length === events)) await new Promise((r) => setTimeout(r, 250));
		const visit = iqm.visits.slice(visits)[0];
		const ev = flat(loymax.webEvents.slice(events)[0]);
		expect(visit && visit.data.page === 'https://shop.example.ru/cart', `IQM got ${JSON.stringify(visit?.data)}`);
		expect(ev && ev.client_id === 'C-1002' && ev.name === 'add_to_cart' && ev.session_id === 's-live-1', `Loymax got ${JSON.stringify(ev)}`);
		return 'POST /webhook/rumarket-visit → IQM visit + Loymax add_to_cart for C-1002';
	},
};

// ---------- running checks: scripts/e2e.js and the legs run on their own ----------

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** A free TCP port on 127.0.0.1 (the OS picks it; the probe is closed before it is returned). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** The PASS/FAIL line of a check as scripts/e2e.js prints it ("[setup]" for line 0). */
function checkLine(line, name, ok, ms, detail = '') {
	return `${ok ? 'PASS' : 'FAIL'}  ${line ? `[n8n ${line}.x]` : '[setup]'} ${name}${ms !== undefined ? ` (${secs(ms)})` : ''}${detail ? ` — ${detail}` : ''}`;
}

/**
 * Runs one check: { ok, ms, detail }. detail is what `fn` returned when it is text, else '', or the
 * error's words on one line, cut at `maxDetail` characters.
 */
async function runCheck(fn, maxDetail = 900) {
	const t = Date.now();
	try {
		const detail = await fn();
		return { ok: true, ms: Date.now() - t, detail: typeof detail === 'string' ? detail : '' };
	} catch (error) {
		return { ok: false, ms: Date.now() - t, detail: String(error.message ?? error).replace(/\s+/g, ' ').slice(0, maxDetail) };
	}
}

/**
 * check(line, name, fn) for a leg run on its own (node scripts/lib/e2e-<leg>.js): prints the PASS/FAIL
 * line like scripts/e2e.js and returns whether it passed; `results` lists each outcome.
 */
function standaloneChecks({ maxDetail = 900 } = {}) {
	const results = [];
	const check = async (line, name, fn) => {
		const r = await runCheck(fn, maxDetail);
		console.log(checkLine(line, name, r.ok, r.ms, r.detail));
		results.push(r.ok);
		return r.ok;
	};
	return { check, results };
}

module.exports = { WORKFLOW_CHECKS, webhookCheck, secs, freePort, checkLine, runCheck, standaloneChecks };
