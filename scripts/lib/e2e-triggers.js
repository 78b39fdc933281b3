/**
 * e2e leg "triggers" (issue 14): the polling triggers live inside a running n8n.
 *
 * Four ACTIVE workflows (Synergy CRM On New Contact, Synergy CRM On Updated Contact, Tracking Bot On
 * New Tracking Number, Loymax On New Customer), each polling every minute against the sandbox,
 * while the sandbox creates and changes records every 15 s; n8n is restarted mid-way. Then the
 * executions are read from n8n's execution history (REST, logged in as the owner) and their items
 * compared with what the sandbox created: 0 missed, 0 duplicated, 0 records from before activation.
 * On 2.x the same run is repeated with durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED with
 * the scheduler it requires), which 2.41.1 offers; E2E_TRIGGERS_MODES picks the 2.x passes (`default`,
 * `durable-cursors`).
 *
 * Wall time per run ≈ 2 × start (≈ 20–40 s) + E2E_TRIGGERS_MINUTES (default 4) + 75 s settling.
 */
const fs = require('fs');
const path = require('path');

const { createDemoSandbox, sandboxCredentials } = require('./demo');
const { importAll, activateWorkflow, N8nRest, DEMO_OWNER } = require('./n8n-setup');
const { n8nEnv, prepareUserFolder, startServer } = require('./runtime');

const MINUTES = Number(process.env.E2E_TRIGGERS_MINUTES ?? 4);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function pollNode(type, name, parameters, credentials) {
	return {
		id: `${name}-node`,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: { ...parameters, pollTimes: { item: [{ mode: 'everyMinute' }] } },
		credentials,
	};
}

function workflows(pkg, creds) {
	const ref = (type) => ({ [type]: { id: creds[type].id, name: creds[type].name } });
	const wf = (id, node) => ({ id, name: `Trigger e2e ${id}`, active: false, nodes: [node], connections: {}, settings: { saveDataSuccessExecution: 'all' } });
	return [
		wf('trgSynNew0000001', pollNode(`${pkg}.synergyCrmTrigger`, 'Synergy New', { event: 'new', resource: 'contact', options: {} }, ref('synergyCrmApi'))),
		wf('trgSynUpd0000001', pollNode(`${pkg}.synergyCrmTrigger`, 'Synergy Updated', { event: 'updated', resource: 'contact', options: {} }, ref('synergyCrmApi'))),
		wf('trgTbNew00000001', pollNode(`${pkg}.trackingBotTrigger`, 'Tracking New', { event: 'new', options: {} }, ref('trackingBotApi'))),
		wf('trgLmxCust000001', pollNode(`${pkg}.loymaxTrigger`, 'Loymax Customer', { resource: 'customer', options: {} }, ref('loymaxApi'))),
	];
}

/** The items every execution of a workflow emitted (execution history over REST). */
async function emittedItems(rest, workflowId, flatted) {
	// n8n 2.x refuses a limit above 100 ("Execution limit must be between 1 and 100"): pages of 100,
	// each after the last id of the one before.
	const rows = [];
	for (let lastId; ;) {
		const query = `filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100${lastId ? `&lastId=${lastId}` : ''}`;
		const list = await rest.call('GET', `/executions?${query}`);
		if (list.status !== 200) throw new Error(`GET /rest/executions answered ${list.status}: ${JSON.stringify(list.body).slice(0, 300)}`);
		const page = list.body?.data?.results ?? list.body?.data ?? [];
		rows.push(...page);
		if (page.length < 100) break;
		lastId = page[page.length - 1].id;
	}
	const items = [];
	let executions = 0;
	for (const row of rows) {
		const one = await rest.call('GET', `/executions/${row.id}`);
		const raw = one.body?.data?.data ?? one.body?.data;
		const data = typeof raw === 'string' ? flatted.parse(raw) : raw;
		const runData = data?.resultData?.runData ?? {};
		executions++;
		for (const runs of Object.values(runData)) for (const run of runs) for (const item of run?.data?.main?.[0] ?? []) items.push(item.json);
	}
	return { executions, items };
}

async function runOnce(ctx, label, extraEnv) {
	const { line, info, check } = ctx;
	const base = path.join(ctx.ROOT, '.e2e', `triggers-n8n${line}-${label}-${process.pid}`);
	fs.rmSync(base, { recursive: true, force: true });
	const userFolder = prepareUserFolder(path.join(base, 'user'), ctx.packageCopy);
	const log = path.join(base, 'n8n.log');
	const env = { ...n8nEnv(info, { userFolder, port: await ctx.freePort(), brokerPort: await ctx.freePort(), encryptionKey: `rumarket-trg-${process.pid}` }), ...extraEnv };
	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(0);
	const started = Date.now();
	let server;
	try {
		const syn = sandbox.fake('synergy');
		const tb = sandbox.fake('trackingbot');
		const lmx = sandbox.fake('loymax');
		tb.rateLimit = { requests: 1000, windowMs: 60_000 };
		const creds = Object.fromEntries(sandboxCredentials(sandbox, mod).map((c) => [c.type, c]));
		const pkg = ctx.declared.manifest.name;
		const wfs = workflows(pkg, creds);
		await importAll(info, env, { credentials: Object.values(creds), workflows: wfs.map((w) => ({ ...w, file: path.join(base, `${w.id}.json`) })), workDir: path.join(base, 'import'), log });
		for (const w of wfs) {
			const r = await activateWorkflow(info, env, w.id, { log });
			if (!r.ok) throw new Error(`activate ${w.id}: ${r.output}`);
		}
		// History: records before activation are never emitted.
		const naive = (ms) => new Date(ms).toISOString().slice(0, 19);
		const history = { syn: new Set(syn.all('contacts').map((c) => c.id)), tb: new Set(tb.tracking.map((t) => String(t.id))), lmx: new Set(lmx.stores.customer.map((r) => String(r.id))) };
		const made = { syn: [], synUpd: [], tb: [], lmx: [] };
		let serial = 0;
		const change = () => {
			serial++;
			const now = Date.now();
			const c = syn.insert('contacts', { 'first-name': 'v1', 'last-name': `Live ${serial}`, 'created-at': syn.serverIso(now), 'updated-at': syn.serverIso(now) });
			made.syn.push(c.id);
			if (serial > 2) {
				const target = syn.get('contacts', made.syn[serial - 3]);
				target.attributes['first-name'] = `v2-${serial}`;
				target.attributes['updated-at'] = syn.serverIso(now);
				made.synUpd.push(`${target.id}#${target.attributes['first-name']}`);
			}
			made.tb.push(String(tb.addTracking(123, { tracking_number: `LIVE${serial}`, created_at: naive(now), updated_at: naive(now) }).id));
			made.lmx.push(String(lmx.seed('customer', { local_id: `L${serial}`, full_name: `Live ${serial}`, register_date: new Date(now).toISOString() }).id));
		};
		server = await startServer(info, env, { log, timeoutMs: 240000 });
		await sleep(5000); // activation polls (baselines)
		const end = Date.now() + MINUTES * 60_000;
		let restarted = false;
		while (Date.now() < end) {
			change();
			if (!restarted && Date.now() > end - (MINUTES * 60_000) / 2) {
				await server.stop();
				change();
				server = await startServer(info, env, { log, timeoutMs: 240000 });
				restarted = true;
			}
			await sleep(15_000);
		}
		await sleep(75_000); // the last poll
		const rest = new N8nRest(server.base);
		await rest.ownerLogin(DEMO_OWNER);
		const flatted = require(path.join(info.dir, 'node_modules', 'flatted'));
		const expect = {
			trgSynNew0000001: { keys: made.syn, key: (i) => String(i.id), history: history.syn },
			trgSynUpd0000001: { keys: [...made.syn.map((id) => `${id}#v1`), ...made.synUpd], key: (i) => `${i.id}#${i['first-name']}`, history: new Set([...history.syn].map((id) => `${id}#${syn.get('contacts', id)?.attributes['first-name']}`)) },
			trgTbNew00000001: { keys: made.tb, key: (i) => String(i.id), history: history.tb },
			trgLmxCust000001: { keys: made.lmx, key: (i) => String(i.id), history: history.lmx },
		};
		for (const w of wfs) {
			await check(`${label}: ${w.nodes[0].name} polled live (restart mid-way): 0 missed, 0 duplicated`, async () => {
				const { executions, items } = await emittedItems(rest, w.id, flatted);
				const e = expect[w.id];
				const got = items.map(e.key);
				const counts = new Map();
				for (const k of got) counts.set(k, (counts.get(k) ?? 0) + 1);
				// On Updated: a contact updated before any poll saw its v1 reports its latest version only.
				const required = w.id === 'trgSynUpd0000001' ? e.keys.filter((k) => !k.endsWith('#v1') || got.includes(k) || !e.keys.some((x) => x.startsWith(`${k.split('#')[0]}#v2`))) : e.keys;
				const missed = required.filter((k) => !counts.has(k));
				const duplicated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
				const replayed = got.filter((k) => e.history.has(k));
				const requests = sandbox.log.length;
				const detail = `${executions} executions, ${items.length} items, expected ${required.length}, missed ${missed.length}, duplicated ${duplicated.length}, replayed ${replayed.length}; sandbox requests ${requests}`;
				if (missed.length || duplicated.length || replayed.length) throw new Error(`${detail}: missed ${missed.slice(0, 5)}, dup ${duplicated.slice(0, 5)}, replayed ${replayed.slice(0, 5)}`);
				return detail;
			});
		}
		ctx.record(`${label}: live trigger run wall time`, true, Date.now() - started, `${Math.round((Date.now() - started) / 1000)} s`);
	} finally {
		await server?.stop();
		await sandbox.stop();
	}
}

/** The n8n 2.x durable poll cursors (PollCursorService) and the scheduler they need; 2.41.1 offers them. */
const DURABLE_CURSORS = {
	N8N_SCHEDULER_ENABLED: 'true',
	N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true',
	N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'true',
	N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true',
};

/**
 * The passes of a line: `default` (n8n's own settings) on 1.x; on 2.x `default` and
 * `durable-cursors`, of which E2E_TRIGGERS_MODES (e.g. `durable-cursors`) picks some.
 */
async function run(ctx) {
	if (ctx.line !== 2) return await runOnce(ctx, 'default', {});
	const chosen = (process.env.E2E_TRIGGERS_MODES ?? 'default,durable-cursors').split(',').map((m) => m.trim());
	for (const mode of ['default', 'durable-cursors'].filter((m) => chosen.includes(m))) await runOnce(ctx, mode, mode === 'durable-cursors' ? DURABLE_CURSORS : {});
}

module.exports = { run, emittedItems };
