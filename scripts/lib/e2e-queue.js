/*
 * The queue-mode leg of `npm run e2e` (issue 17): this package on n8n's distributed engine.
 *
 * Postgres and Redis (Debian packages `postgresql`, `redis-server`) are started on 127.0.0.1 with
 * their data folders in the leg's temp folder, then an n8n main (EXECUTIONS_MODE=queue: webhooks,
 * pollers) and N workers (`n8n worker --concurrency=10`), each with its own user folder holding the
 * package snapshot as a community package (the same link as the other legs).
 * 1. The four examples run on the workers: each is imported with its Manual Trigger replaced by a
 *    Webhook (responds when the last node finished), called once, and checked on the sandbox's
 *    state with the same assertions as the single-process leg.
 * 2. Load: 20 executions at once (webhook calls), each creating 10 Tracking Bot tracking numbers
 *    and 10 Loymax events, all on one Tracking Bot key (sandbox 60 per window, the minute scaled
 *    to 10 s) and one Loymax account (sandbox 1000/min scaled to 600/min). Measured from the
 *    sandbox's log: items lost, duplicate writes, 429s, requests per window against the limit,
 *    logins and requests per process (each connection is traced to its n8n process id).
 * 3. Triggers: a Tracking Bot Trigger (poll every 10 s) posting each event to a local sink is
 *    activated; records are added while the main runs and while it is stopped; every record must
 *    reach the sink exactly once, and every poll request must come from the main.
 * Options: E2E_QUEUE_WORKERS=2 (workers), E2E_QUEUE_LINES=1,2 (lines this leg runs on), KEEP_E2E=1 keeps the folders.
 */
'use strict';

const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');

const { ensureRuntime, n8nEnv, prepareUserFolder, startServer, stopProcess, n8nCommand } = require('./runtime');
const { createDemoSandbox, sandboxCredentials } = require('./demo');
const { ROOT, activateWorkflow, importAll, tail } = require('./n8n-setup');
const { WORKFLOW_CHECKS, secs, freePort, standaloneChecks } = require('./e2e-checks');

const PKG = 'n8n-nodes-rumarket';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Scaled limits of the load (the sandbox's; the credentials' Requests per Minute follow them). */
const LOAD = {
	executions: 20,
	itemsPerExecution: 10,
	tracking: { requests: 60, windowMs: 10_000 }, // documented 60 per minute, the minute scaled to 10 s
	loymax: { requests: 600, windowMs: 60_000 }, // documented 1000 per minute, scaled to 600
};

// ---------- Postgres and Redis ----------

function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
	return versions.length ? path.join(base, versions[0], 'bin') : undefined;
}

function which(cmd) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin', '/usr/local/bin'])) {
		const file = path.join(dir, cmd);
		if (fs.existsSync(file)) return file;
	}
	return undefined;
}

/** Postgres refuses to run as root: as root, its commands run as the `postgres` user. */
function asPostgres(bin, args, options = {}) {
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const [cmd, argv] = isRoot ? [which('runuser') ?? 'runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
	return execFileSync(cmd, argv, { stdio: 'pipe', timeout: 120000, ...options }).toString();
}

async function startPostgres(dir, log) {
	const bin = postgresBin();
	if (!bin) throw new Error('Postgres is not installed: apt-get install -y postgresql');
	// Its data folder must be reachable by the postgres user: under the system temp folder.
	const data = fs.mkdtempSync(path.join(os.tmpdir(), 'rumarket-pg-'));
	fs.writeFileSync(path.join(dir, 'postgres-data.txt'), `${data}\n`);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	if (isRoot) execFileSync('chown', ['-R', 'postgres', data]);
	const port = await freePort();
	asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'n8n', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const pgLog = path.join(data, 'postgres.log');
	asPostgres(path.join(bin, 'pg_ctl'), [
		'-D', data, '-l', pgLog, '-w', '-t', '60',
		'-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${data} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`,
		'start',
	]);
	execFileSync(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', 'n8n'], { stdio: 'pipe', timeout: 60000 });
	const version = execFileSync(path.join(bin, 'postgres'), ['--version']).toString().trim();
	const psql = (sql) => execFileSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'n8n', '-d', 'n8n', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { stdio: 'pipe', timeout: 60000 }).toString().trim();
	return {
		port,
		version,
		psql,
		stop: () => {
			try {
				asPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
			} catch (error) {
				fs.appendFileSync(log, `\npg_ctl stop: ${error.message}\n`);
			}
			try {
				fs.copyFileSync(pgLog, path.join(dir, 'postgres.log'));
			} catch {
				/* no log */
			}
			fs.rmSync(data, { recursive: true, force: true });
		},
	};
}

function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (d) => {
			socket.destroy();
			resolve(/PONG/.test(String(d)));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

async function startRedis(dir) {
	const bin = which('redis-server');
	if (!bin) throw new Error('Redis is not installed: apt-get install -y redis-server');
	const port = await freePort();
	const data = path.join(dir, 'redis');
	fs.mkdirSync(data, { recursive: true });
	const out = fs.createWriteStream(path.join(dir, 'redis.log'));
	const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	child.stdout.pipe(out);
	child.stderr.pipe(out);
	const deadline = Date.now() + 20000;
	while (!(await redisPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start (see ${path.join(dir, 'redis.log')})`);
		await sleep(100);
	}
	const version = execFileSync(bin, ['--version']).toString().trim().split(' ').find((w) => w.startsWith('v='))?.slice(2) ?? '?';
	return { port, version, stop: () => stopProcess(child) };
}

/**
 * Activates workflows with the one UPDATE n8n's own CLI runs (`update:workflow --active=true` on
 * 1.x; `publish:workflow` on 2.x: active + activeVersionId = the current version), at once for all
 * of them: each CLI call takes ≈ 20 s here. The trigger workflow is activated with the CLI itself.
 */
function activateInDatabase(pg, ids) {
	const list = ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ');
	const hasVersions = pg.psql(`SELECT count(*) FROM information_schema.columns WHERE table_name = 'workflow_entity' AND column_name = 'activeVersionId'`) === '1';
	const sql = hasVersions
		? `UPDATE workflow_entity SET active = true, "activeVersionId" = "versionId" WHERE id IN (${list}) AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = workflow_entity.id AND h."versionId" = workflow_entity."versionId")`
		: `UPDATE workflow_entity SET active = true WHERE id IN (${list})`;
	const out = pg.psql(`${sql} RETURNING id`);
	const done = out.split('\n').filter((l) => ids.includes(l.trim()));
	if (done.length !== ids.length) throw new Error(`activated ${done.length} of ${ids.length} workflows (${done.join(', ')})`);
}

// ---------- n8n processes ----------

/** `n8n worker` in the background; resolves once it logged that it is ready. */
async function startWorker(info, env, { log, concurrency, timeoutMs = 240000 }) {
	const out = fs.createWriteStream(log, { flags: 'a' });
	const started = Date.now();
	const child = spawn(info.nodeBin, [info.n8nBin, 'worker', `--concurrency=${concurrency}`], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let output = '';
	let exited = null;
	const sink = (chunk) => {
		out.write(chunk);
		output = (output + chunk).slice(-200000);
	};
	child.stdout.on('data', sink);
	child.stderr.on('data', sink);
	child.on('close', (code, signal) => {
		exited = { code, signal };
		out.end();
	});
	while (!/worker is now ready/i.test(output)) {
		if (exited) throw new Error(`n8n worker exited during start (${exited.signal ?? `exit ${exited.code}`}): ${output.slice(-2000)}`);
		if (Date.now() - started > timeoutMs) {
			await stopProcess(child);
			throw new Error(`n8n worker not ready within ${timeoutMs / 1000} s: ${output.slice(-2000)}`);
		}
		await sleep(300);
	}
	return { child, pid: child.pid, startMs: Date.now() - started, output: () => output, stop: () => stopProcess(child) };
}

// ---------- who sent a request: connection → process id ----------

/** The inode of the client's end of a TCP connection (its local port, our port as its peer). */
function socketInode(port, serverPort) {
	const hex = port.toString(16).toUpperCase().padStart(4, '0');
	const peer = serverPort.toString(16).toUpperCase().padStart(4, '0');
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			// ESTABLISHED only: an earlier connection on the same ports may linger in TIME_WAIT (inode 0).
			if (cols.length > 9 && cols[3] === '01' && cols[1].endsWith(`:${hex}`) && cols[2].endsWith(`:${peer}`)) return cols[9];
		}
	}
	return undefined;
}

/** The pid (among `pids`) holding the socket with that inode. */
function pidOfInode(inode, pids) {
	const target = `socket:[${inode}]`;
	for (const pid of pids) {
		let fds = [];
		try {
			fds = fs.readdirSync(`/proc/${pid}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return pid;
			} catch {
				/* closed meanwhile */
			}
		}
	}
	return undefined;
}

/**
 * Tags every sandbox request with the n8n process that sent it: the peer of each connection is
 * looked up once, while it is open. `processes()` gives the pids to search (they change across
 * restarts). Returns a function giving a recorded request's pid.
 */
/** Command line of every process that sent a request, read while it ran (a main still starting up is not listed yet). */
const commandLines = new Map();

function socketTracer(processes) {
	const bySocket = new WeakMap();
	return (socket) => {
		let pid = bySocket.get(socket);
		if (pid === undefined) {
			const inode = socketInode(socket.remotePort, socket.localPort);
			pid = (inode && pidOfInode(inode, processes().map((p) => p.pid))) || 0;
			if (!pid && inode) {
				// Not one of the listed processes (yet): search every process.
				const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
				pid = pidOfInode(inode, all) || 0;
			}
			if (pid && !commandLines.has(pid)) {
				try {
					commandLines.set(pid, fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
				} catch {
					/* gone */
				}
			}
			bySocket.set(socket, pid);
		}
		return pid;
	};
}

function traceProcesses(sandbox, pidOfSocket) {
	const byHeaders = new WeakMap();
	const original = sandbox.onRequest;
	sandbox.onRequest = function traced(req, res) {
		byHeaders.set(req.headers, pidOfSocket(req.socket));
		return original.call(this, req, res);
	};
	return (record) => byHeaders.get(record.headers) ?? 0;
}

// ---------- workflows ----------

/** An example with its Manual Trigger replaced by a Webhook answering when the last node is done. */
function asWebhookWorkflow(wf) {
	const copy = JSON.parse(JSON.stringify(wf));
	delete copy.file;
	const trigger = copy.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	const webhookPath = `queue-${wf.id}`;
	trigger.type = 'n8n-nodes-base.webhook';
	trigger.typeVersion = 2;
	trigger.parameters = { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} };
	trigger.webhookId = `${wf.id}-queue`.slice(0, 36);
	// Its other triggers (schedule, pollers) are left out: activating the copy must start only the webhook.
	const others = copy.nodes.filter((n) => n !== trigger && n.type !== 'n8n-nodes-base.webhook' && /trigger$/i.test(n.type));
	copy.nodes = copy.nodes.filter((n) => !others.includes(n));
	for (const n of others) delete copy.connections[n.name];
	// Other webhooks of the example (the live IQM → Loymax one) keep their path: make it unique.
	for (const n of copy.nodes) {
		if (n !== trigger && n.type === 'n8n-nodes-base.webhook') n.parameters = { ...n.parameters, path: `${n.parameters.path}-q` };
		if (n !== trigger && n.type === 'n8n-nodes-base.webhook') n.webhookId = `${n.webhookId ?? wf.id}-q`.slice(0, 36);
	}
	copy.id = `${wf.id}Q`.slice(0, 16);
	copy.name = `${wf.name} (queue)`;
	copy.active = false;
	return { workflow: copy, webhookPath, original: wf };
}

const CRED = (type, ids) => ({ [type]: { id: ids[type], name: type } });

function loadWorkflow(ids) {
	return {
		id: 'rmQueueLoad00001',
		name: 'Queue load: Tracking Bot + Loymax writes',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Create Tracking Number', type: 'main', index: 0 }]] },
			'Create Tracking Number': { main: [[{ node: 'Create Event', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: 'q1', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'rumarket-queue-load', parameters: { httpMethod: 'POST', path: 'rumarket-queue-load', responseMode: 'lastNode', options: {} } },
			{ id: 'q2', name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'body.keys', options: { destinationFieldName: 'key' } } },
			{
				id: 'q3',
				name: 'Create Tracking Number',
				type: `${PKG}.trackingBot`,
				typeVersion: 1,
				position: [400, 0],
				credentials: CRED('trackingBotApi', ids),
				parameters: { resource: 'trackingNumber', operation: 'create', trackingNumber: '={{ $json.key }}', requestOptions: { maxRetryWait: 120 } },
			},
			{
				id: 'q4',
				name: 'Create Event',
				type: `${PKG}.loymax`,
				typeVersion: 1,
				position: [600, 0],
				credentials: CRED('loymaxApi', ids),
				parameters: { resource: 'event', operation: 'create', name: '={{ "load_" + $json.tracking_number }}', date: '2024-11-23T10:00:00', requestOptions: { maxRetryWait: 120 } },
			},
		],
	};
}

function triggerWorkflow(ids, sinkUrl) {
	return {
		id: 'rmQueueTrigger01',
		name: 'Queue trigger: new tracking numbers → sink',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { 'Tracking Bot Trigger': { main: [[{ node: 'Sink', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 't1',
				name: 'Tracking Bot Trigger',
				type: `${PKG}.trackingBotTrigger`,
				typeVersion: 1,
				position: [0, 0],
				credentials: CRED('trackingBotApi', ids),
				// n8n's shortest poll: every minute (it refuses sub-minute cron expressions).
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'new' },
			},
			{
				id: 't2',
				name: 'Sink',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [200, 0],
				parameters: {
					method: 'POST',
					url: sinkUrl,
					sendBody: true,
					bodyParameters: { parameters: [{ name: 'tn', value: '={{ $json.tracking_number }}' }, { name: 'id', value: '={{ $json.id }}' }] },
					options: {},
				},
			},
		],
	};
}

/** A local HTTP endpoint the trigger workflow posts each event to. */
async function startSink(pidOfSocket) {
	const events = [];
	const server = http.createServer((req, res) => {
		const pid = pidOfSocket(req.socket);
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			let json = {};
			try {
				json = JSON.parse(body);
			} catch {
				json = { raw: body };
			}
			events.push({ at: Date.now(), body: json, pid });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { events, url: `http://127.0.0.1:${server.address().port}/event`, stop: () => new Promise((r) => server.close(() => r())) };
}

// ---------- measurements ----------

/** Most requests in any sliding window of `windowMs`. */
function peakIn(records, windowMs) {
	const at = records.map((r) => r.at).sort((a, b) => a - b);
	let best = 0;
	for (let i = 0, j = 0; j < at.length; j++) {
		while (at[j] - at[i] >= windowMs) i++;
		best = Math.max(best, j - i + 1);
	}
	return best;
}

function countBy(list, key) {
	const out = new Map();
	for (const item of list) out.set(key(item), (out.get(key(item)) ?? 0) + 1);
	return out;
}

async function post(url, body, timeoutMs = 300000) {
	const controller = new AbortController();
	const timer = setTimeout(() => controller.abort(), timeoutMs);
	try {
		const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal });
		const text = await res.text();
		return { status: res.status, text };
	} finally {
		clearTimeout(timer);
	}
}

async function waitFor(cond, timeoutMs, stepMs = 250) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (cond()) return true;
		await sleep(stepMs);
	}
	return cond();
}

// ---------- the leg ----------

/**
 * ctx (scripts/e2e.js, legs are discovered): { line, info, check(name, fn), packageCopy (the package
 * snapshot), workflows (examples), workers? }. E2E_QUEUE_WORKERS=4 runs four workers.
 */
async function run(ctx) {
	const { line } = ctx;
	// E2E_QUEUE_LINES=2 runs this leg on n8n 2.x only (CI time).
	if (process.env.E2E_QUEUE_LINES && !process.env.E2E_QUEUE_LINES.split(',').map((l) => l.trim()).includes(String(line))) return;
	const check = (_line, name, fn) => ctx.check(name, fn);
	const started = Date.now();
	const workers = Number(ctx.workers ?? process.env.E2E_QUEUE_WORKERS ?? 2);
	const label = `queue mode, ${workers} workers`;
	console.log(`\n===== n8n ${line}.x — ${label} =====`);
	const info = ctx.info ?? (await ensureRuntime(line, { say: () => {} })).info;
	const base = path.join(ROOT, '.e2e', `queue-n8n${line}-${process.pid}`);
	fs.rmSync(base, { recursive: true, force: true });
	fs.mkdirSync(base, { recursive: true });
	const log = path.join(base, 'n8n.log');
	const stops = [];
	const figures = {};
	let failed = false;
	const step = async (name, fn) => {
		const ok = await check(line, `[${label}] ${name}`, fn);
		if (!ok) failed = true;
		return ok;
	};

	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(0);
	stops.push(() => sandbox.stop());
	const processes = [];
	const pidOfSocket = socketTracer(() => processes);
	const pidOf = traceProcesses(sandbox, pidOfSocket);
	const sink = await startSink(pidOfSocket);
	stops.push(() => sink.stop());
	const nameOf = (pid) => {
		const listed = processes.find((p) => p.pid === pid)?.name;
		if (listed) return listed;
		const cmd = commandLines.get(pid) ?? '';
		if (/n8n\S* start\b/.test(cmd)) return 'main';
		if (/n8n\S* worker\b/.test(cmd)) return 'worker (unlisted)';
		return pid ? `pid ${pid}` : 'unknown';
	};

	try {
		let pg;
		let redis;
		const okServices = await step('Postgres and Redis started on 127.0.0.1 (data in the leg\'s temp folder)', async () => {
			const t = Date.now();
			pg = await startPostgres(base, log);
			stops.unshift(() => pg.stop());
			redis = await startRedis(base);
			stops.unshift(() => redis.stop());
			return `${pg.version} on :${pg.port}, Redis ${redis.version} on :${redis.port}, ${secs(Date.now() - t)}`;
		});
		if (!okServices) return;

		const encryptionKey = `rumarket-queue-${process.pid}`;
		const queueEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			QUEUE_HEALTH_CHECK_ACTIVE: 'false',
			EXECUTIONS_DATA_PRUNE: 'false',
		};
		const envFor = async (name) => {
			const userFolder = prepareUserFolder(path.join(base, name), ctx.packageCopy);
			return n8nEnv(info, { userFolder, port: await freePort(), brokerPort: await freePort(), encryptionKey, extra: queueEnv });
		};
		const mainEnv = await envFor('main');
		const mainPort = Number(mainEnv.N8N_PORT);

		// Credentials: the sandbox's, with each rate-limited one's Requests per Minute set to the scaled
		// limit divided between the processes that use it (README "Queue mode and multiple mains").
		const fake = (name) => sandbox.fake(name);
		fake('trackingbot').rateLimit = { ...LOAD.tracking };
		fake('loymax').rateLimit = { ...LOAD.loymax };
		const perMinute = (limit) => Math.round((limit.requests * 60_000) / limit.windowMs);
		const credentials = sandboxCredentials(sandbox, mod).map((c) => {
			if (c.type === 'trackingBotApi') return { ...c, data: { ...c.data, requestsPerMinute: Math.floor(perMinute(LOAD.tracking) / (workers + 1)) } };
			if (c.type === 'loymaxApi') return { ...c, data: { ...c.data, requestsPerMinute: Math.floor(perMinute(LOAD.loymax) / workers) } };
			return c;
		});
		const ids = Object.fromEntries(credentials.map((c) => [c.type, c.id]));
		const examples = (ctx.workflows ?? []).filter((wf) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')).map(asWebhookWorkflow);
		const load = loadWorkflow(ids);
		const trigger = triggerWorkflow(ids, sink.url);

		const okImport = await step(`import ${credentials.length} credentials + ${examples.length + 2} workflows into Postgres (n8n CLI)`, async () => {
			const all = [...examples.map((e) => ({ ...e.workflow, file: `${e.workflow.id}.json` })), { ...load, file: `${load.id}.json` }, { ...trigger, file: `${trigger.id}.json` }];
			const r = await importAll(info, mainEnv, { credentials, workflows: all, workDir: path.join(base, 'import'), log });
			activateInDatabase(pg, [...examples.map((e) => e.workflow.id), load.id]);
			return `credentials ${secs(r.credentials.ms)}, workflows ${secs(r.workflows?.ms ?? 0)}, ${examples.length + 1} webhook workflows activated`;
		});
		if (!okImport) return;

		let main;
		const startMain = async () => {
			main = await startServer(info, mainEnv, { log, timeoutMs: 300000 });
			// Every main that ran is "main" (a restarted main has a new pid; the old one's requests are the main's too).
			processes.unshift({ name: 'main', pid: main.child.pid, proc: main });
			return main;
		};
		const okUp = await step(`n8n ${info.version} main + ${workers} workers up (EXECUTIONS_MODE=queue, concurrency 10)`, async () => {
			await startMain();
			stops.unshift(() => main.stop());
			const ws = await Promise.all(
				Array.from({ length: workers }, async (_, i) => {
					const env = await envFor(`worker${i + 1}`);
					const w = await startWorker(info, env, { log: path.join(base, `worker${i + 1}.log`), concurrency: 10 });
					return { name: `worker ${i + 1}`, pid: w.pid, proc: w };
				}),
			);
			for (const w of ws) {
				processes.push(w);
				stops.unshift(() => w.proc.stop());
			}
			return `main ready in ${secs(main.startMs)} (pid ${main.child.pid}); workers ready in ${ws.map((w) => `${secs(w.proc.startMs)} (pid ${w.pid})`).join(', ')}`;
		});
		if (!okUp) return;
		const webhook = (p) => `http://127.0.0.1:${mainPort}/webhook/${p}`;
		const workerLogs = () => processes.filter((p) => p.name.startsWith('worker')).map((p) => ({ name: p.name, text: p.proc.output() }));
		const executionsPerWorker = () => workerLogs().map((w) => `${w.name} ${(w.text.match(/Worker started execution|Start job/g) ?? []).length}`).join(', ');

		// 1. The four examples, on the workers.
		for (const ex of examples) {
			const spec = WORKFLOW_CHECKS[ex.original.id];
			await step(`example "${ex.original.name}" runs on a worker`, async () => {
				const before = spec?.before?.(sandbox, 1);
				const mark = sandbox.log.length;
				const r = await post(webhook(ex.webhookPath), {});
				if (r.status !== 200) throw new Error(`webhook answered HTTP ${r.status}: ${r.text.slice(0, 500)}`);
				const sent = sandbox.log.slice(mark);
				const senders = [...new Set(sent.map((x) => nameOf(pidOf(x))))];
				const byMain = sent.filter((x) => nameOf(pidOf(x)) === 'main').map((x) => `${x.provider} ${x.method} ${x.path} → ${x.status}`);
				if (byMain.length) throw new Error(`the main sent requests of the execution: ${byMain.join('; ')} (senders: ${senders.join(', ')})`);
				const said = spec ? spec.assert(sandbox, { run: 1, before, credentials }) : 'no state assertions';
				return `${said}; requests from ${senders.join(', ')}`;
			});
		}

		// 2. The load.
		await step(`load: ${LOAD.executions} executions at once, ${LOAD.itemsPerExecution} Tracking Bot + ${LOAD.itemsPerExecution} Loymax writes each`, async () => {
			sandbox.clearLog();
			const tb = fake('trackingbot');
			const lx = fake('loymax');
			const trackingBefore = tb.tracking.length;
			const eventsBefore = lx.stores.event.length;
			lx.expireAllTokens?.();
			tb.resetWindows();
			const keys = Array.from({ length: LOAD.executions }, (_, e) => Array.from({ length: LOAD.itemsPerExecution }, (_, i) => `QL${String(e + 1).padStart(2, '0')}-${String(i + 1).padStart(2, '0')}`));
			const t = Date.now();
			const answers = await Promise.all(keys.map(async (k) => await post(webhook('rumarket-queue-load'), { keys: k })));
			const loadMs = Date.now() - t;
			const bad = answers.map((a, i) => ({ ...a, i })).filter((a) => a.status !== 200);
			const all = keys.flat();
			const tbPosts = sandbox.requests('trackingbot', 'POST');
			const lxPosts = sandbox.requests('loymax', 'POST', '/event');
			const tbDone = countBy(tbPosts.filter((r) => r.processed), (r) => r.body?.tracking_number);
			const lxDone = countBy(lxPosts.filter((r) => r.processed), (r) => r.body?.name);
			const lostTb = all.filter((k) => !tbDone.has(k));
			const lostLx = all.filter((k) => !lxDone.has(`load_${k}`));
			const dupTb = [...tbDone].filter(([, n]) => n > 1).map(([k]) => k);
			const dupLx = [...lxDone].filter(([, n]) => n > 1).map(([k]) => k);
			const storedTb = countBy(tb.tracking.slice(trackingBefore), (r) => r.tracking_number);
			const storedLx = countBy(lx.stores.event.slice(eventsBefore), (r) => r.attrs.name);
			const tbAll = sandbox.requests('trackingbot');
			const lxAll = sandbox.requests('loymax');
			const logins = lxAll.filter((r) => r.path === '/token');
			const loginsBy = countBy(logins, (r) => nameOf(pidOf(r)));
			const tbBy = countBy(tbAll, (r) => nameOf(pidOf(r)));
			const lxBy = countBy(lxAll, (r) => nameOf(pidOf(r)));
			// The fake's own count per window (a window opens with the first request after the last ended).
			const windows = tb.windowLog.filter((w) => w.accepted + w.refused > 0);
			const full = windows.slice(0, -1);
			const tbShare = full.length ? full.reduce((s, w) => s + w.accepted, 0) / (full.length * LOAD.tracking.requests) : NaN;
			const tbSpan = tbAll.length ? tbAll[tbAll.length - 1].at - tbAll[0].at : 0;
			const ideal = (Math.ceil(tbAll.filter((r) => r.status !== 429).length / LOAD.tracking.requests) - 1) * LOAD.tracking.windowMs;
			const lxPeak = peakIn(lxAll.filter((r) => r.status !== 429), LOAD.loymax.windowMs);
			const lxPeakBy = [...countBy(lxAll, (r) => nameOf(pidOf(r))).keys()].map((n) => `${n} ${peakIn(lxAll.filter((r) => nameOf(pidOf(r)) === n), 60_000)}`);
			figures.load = {
				executions: LOAD.executions,
				items: all.length,
				ms: loadMs,
				lost: lostTb.length + lostLx.length,
				duplicates: dupTb.length + dupLx.length,
				tb429: tbAll.filter((r) => r.status === 429).length,
				lx429: lxAll.filter((r) => r.status === 429).length,
				tbWindows: windows.map((w) => `${w.accepted}${w.refused ? `+${w.refused}×429` : ''}`),
				tbShare,
				tbSpan,
				ideal,
				lxPeak,
				lxPeakBy,
				logins: Object.fromEntries(loginsBy),
				tbBy: Object.fromEntries(tbBy),
				lxBy: Object.fromEntries(lxBy),
				executionsPerWorker: executionsPerWorker(),
			};
			const detail = [
				`${LOAD.executions} executions, ${all.length} items × 2 writes in ${secs(loadMs)}`,
				`lost ${lostTb.length + lostLx.length}, duplicate writes ${dupTb.length + dupLx.length}`,
				`429s: Tracking Bot ${figures.load.tb429}, Loymax ${figures.load.lx429}`,
				`Tracking Bot accepted per ${LOAD.tracking.windowMs / 1000} s window (limit ${LOAD.tracking.requests}): ${figures.load.tbWindows.join(', ')} → ${Number.isNaN(tbShare) ? 'n/a' : `${Math.round(tbShare * 100)} %`} of the allowed rate in the full windows; ${secs(tbSpan)} for what needs ≥ ${secs(ideal)}`,
				`Loymax peak ${lxPeak} per minute of ${LOAD.loymax.requests} allowed (${Math.round((lxPeak / LOAD.loymax.requests) * 100)} %), per process ${lxPeakBy.join(', ')} (budget ${Math.floor(perMinute(LOAD.loymax) / workers)} each)`,
				`Loymax logins per process: ${[...loginsBy].map(([n, c]) => `${n} ${c}`).join(', ') || 'none'}`,
				`requests per process: Tracking Bot ${[...tbBy].map(([n, c]) => `${n} ${c}`).join(', ')}; Loymax ${[...lxBy].map(([n, c]) => `${n} ${c}`).join(', ')}`,
				`executions per worker: ${figures.load.executionsPerWorker}`,
			].join('; ');
			console.log(`      ${detail.split('; ').join('\n      ')}`);
			if (bad.length) throw new Error(`${bad.length} executions failed, e.g. #${bad[0].i + 1}: HTTP ${bad[0].status} ${bad[0].text.slice(0, 400)} — ${detail}`);
			if (lostTb.length || lostLx.length) throw new Error(`lost items: ${[...lostTb, ...lostLx.map((k) => `load_${k}`)].slice(0, 10).join(', ')} — ${detail}`);
			if (dupTb.length || dupLx.length) throw new Error(`duplicate writes: ${[...dupTb, ...dupLx].slice(0, 10).join(', ')} — ${detail}`);
			if ([...storedTb.values()].some((n) => n !== 1) || storedTb.size !== all.length) throw new Error(`Tracking Bot stored ${storedTb.size} distinct of ${all.length} — ${detail}`);
			if ([...storedLx.values()].some((n) => n !== 1) || storedLx.size !== all.length) throw new Error(`Loymax stored ${storedLx.size} distinct of ${all.length} — ${detail}`);
			const byMain = [...tbAll, ...lxAll].filter((r) => nameOf(pidOf(r)) === 'main').map((r) => `${r.provider} ${r.method} ${r.path} → ${r.status}`);
			if (byMain.length) throw new Error(`the main sent requests during the load: ${byMain.slice(0, 8).join('; ')} — ${detail}`);
			return detail;
		});

		// 3. Polling triggers: on the main only, each event once across a main restart.
		await step('polling trigger (every minute): each new record emitted once across a main restart; polls from the main only', async () => {
			const tb = fake('trackingbot');
			const t = Date.now();
			const add = (prefix, n) => Array.from({ length: n }, (_, i) => tb.addTracking(123, { tracking_number: `${prefix}${i + 1}` }).tracking_number);
			const emitted = () => countBy(sink.events, (e) => e.body.tn);
			const polls = () => sandbox.requests('trackingbot', 'GET');
			const pollTimes = () => polls().map((r) => `${nameOf(pidOf(r))}@${secs(r.at - t)}`).join(' ');
			await main.stop();
			const a = await activateWorkflow(info, mainEnv, trigger.id, { log });
			if (!a.ok) throw new Error(`activating the trigger workflow: ${a.output}`);
			sandbox.clearLog();
			mainEnv.N8N_LOG_LEVEL = 'debug';
			await startMain();
			// The first poll (at activation) takes the baseline: no replay of the records already there.
			// Records added right after it must come with the next scheduled poll — on 2.x too, where
			// the activation poll is a test whose node state n8n does not keep (the trigger's baseline
			// copy in the workflow's static data carries it; nodes/shared/polling.ts).
			if (!(await waitFor(() => polls().length > 0, 30000))) throw new Error('no poll within 30 s of the main start');
			await sleep(1500);
			const first = add('TA', 3);
			if (!(await waitFor(() => first.every((k) => emitted().has(k)), 95000))) throw new Error(`events ${first.join(', ')} not emitted within 95 s: ${JSON.stringify([...emitted()])}; polls ${pollTimes()}`);
			// The main stops; records arrive meanwhile; a new main continues from the stored cursor.
			await main.stop();
			const downtime = add('TB', 2);
			const restartAt = Date.now();
			await startMain();
			if (!(await waitFor(() => downtime.every((k) => emitted().has(k)), 95000))) throw new Error(`records added while the main was down not emitted: ${JSON.stringify([...emitted()])}; polls ${pollTimes()}`);
			const restartMs = Date.now() - restartAt;
			// One more poll after the restart: only the record added since, nothing again.
			const after = add('TC', 1);
			if (!(await waitFor(() => after.every((k) => emitted().has(k)), 95000))) throw new Error(`records added after the restart not emitted: ${JSON.stringify([...emitted()])}; polls ${pollTimes()}`);
			await sleep(3000);
			const counts = emitted();
			const expected = [...first, ...downtime, ...after];
			const twice = [...counts].filter(([, n]) => n > 1);
			const unexpected = [...counts.keys()].filter((k) => !expected.includes(k));
			const pollsBy = countBy(polls(), (r) => nameOf(pidOf(r)));
			const sinkBy = countBy(sink.events, (e) => nameOf(e.pid));
			const detail = `${expected.length} records → ${sink.events.length} events (${[...counts].map(([k, n]) => `${k}×${n}`).join(', ')}); polls by ${[...pollsBy].map(([n, c]) => `${n} ${c}`).join(', ')}; events delivered by ${[...sinkBy].map(([n, c]) => `${n} ${c}`).join(', ')}; main restart to events ${secs(restartMs)}; ${secs(Date.now() - t)}`;
			figures.trigger = detail;
			if (twice.length) throw new Error(`emitted more than once: ${twice.map(([k, n]) => `${k}×${n}`).join(', ')} — ${detail}`);
			if (unexpected.length) throw new Error(`emitted records that were there before the activation: ${unexpected.slice(0, 10).join(', ')} — ${detail}`);
			if ([...pollsBy.keys()].some((n) => n !== 'main')) throw new Error(`polls from another process than the main — ${detail}`);
			return detail;
		});
	} finally {
		for (const stop of stops) {
			try {
				await stop();
			} catch (error) {
				console.log(`      (stopping: ${error.message})`);
			}
		}
		const ms = Date.now() - started;
		console.log(`      n8n ${line}.x ${label}: ${secs(ms)}`);
		if (figures.load) fs.writeFileSync(path.join(ROOT, '.e2e', `queue-figures-n8n${line}-${workers}w.json`), JSON.stringify({ line, workers, ms, ...figures }, null, 2));
		if (!process.env.KEEP_E2E && !failed) fs.rmSync(base, { recursive: true, force: true });
		else console.log(`      queue-mode folders and logs kept: ${path.relative(ROOT, base)}`);
	}
}

module.exports = { run, LOAD, peakIn, asWebhookWorkflow };

// Standalone: node scripts/lib/e2e-queue.js [--n8n 2] [--workers 2] (builds nothing: run `npm run build` and
// the sandbox build first, as npm run e2e does).
if (require.main === module) {
	const { snapshotPackage } = require('./runtime');
	const { buildSandbox } = require('./demo');
	const { exampleWorkflows } = require('./n8n-setup');
	const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt);
	const standalone = standaloneChecks({ maxDetail: 1500 });
	const results = standalone.results;
	const check = async (name, fn) => await standalone.check(Number(arg('--n8n', '2')), name, fn);
	(async () => {
		buildSandbox({ say: () => {} });
		const packageDir = path.join(ROOT, '.e2e', `package-queue-${process.pid}`);
		snapshotPackage(packageDir);
		try {
			await run({ line: Number(arg('--n8n', '2')), check, packageCopy: packageDir, workflows: exampleWorkflows(), workers: Number(arg('--workers', process.env.E2E_QUEUE_WORKERS ?? 2)) });
		} finally {
			fs.rmSync(packageDir, { recursive: true, force: true });
		}
		const bad = results.filter((r) => !r).length;
		console.log(bad ? `QUEUE LEG FAIL (${bad})` : 'QUEUE LEG PASS');
		process.exit(bad ? 1 : 0);
	})().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
