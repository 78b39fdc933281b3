#!/usr/bin/env node
/*
 * npm run e2e — end-to-end checks in a real n8n, on n8n 1.x (Node 20) and n8n 2.x (Node 24).
 * For each line: install the pinned runtime if missing, start the seeded sandbox, import the
 * sandbox credentials and every example workflow with the n8n CLI, execute each workflow headless
 * (`n8n execute --id`), assert on the sandbox's state; then start the n8n server and check that
 * every node and credential of the package loaded (nodes.json / credentials.json written by n8n,
 * no warning about the package in n8n's logs), that every credential's Test passes against the
 * sandbox and fails with a wrong secret (REST /rest/credentials/test after /rest/owner/setup on
 * 127.0.0.1), and that the Webhook example answers live.
 * Options: E2E_LINES=1,2 (default both) or --n8n 1; KEEP_E2E=1 keeps .e2e/ folders; E2E_ONLY=base,triggers,…
 * runs only those legs (base = the checks above; others = scripts/lib/e2e-<name>.js, see extraLegs).
 * Prints a PASS/FAIL line per check and exits non-zero when one fails.
 */
'use strict';

const fs = require('fs');
const path = require('path');

const { ensureRuntime, lineOf, n8nEnv, prepareUserFolder, snapshotPackage, startServer, n8nCommand, parseCliJson } = require('./lib/runtime');
const { buildSandbox, createDemoSandbox, sandboxCredentials } = require('./lib/demo');
const { ROOT, activateWorkflow, buildPackage, exampleWorkflows, importAll, declaredTypes, N8nRest, DEMO_OWNER, tail } = require('./lib/n8n-setup');
const { WORKFLOW_CHECKS, webhookCheck, secs, freePort, checkLine, runCheck } = require('./lib/e2e-checks');

const results = [];
const PACKAGE_COPY = path.join(ROOT, '.e2e', `package-${process.pid}`);

function record(line, name, ok, ms, detail = '') {
	results.push({ line, name, ok, ms, detail });
	console.log(checkLine(line, name, ok, ms, detail));
	return ok;
}

async function check(line, name, fn) {
	const r = await runCheck(fn);
	return record(line, name, r.ok, r.ms, r.detail);
}

async function runLine(line, declared, workflowsAll, install) {
	console.log(`\n===== n8n ${line}.x =====`);
	let info;
	const okInstall = await check(line, 'runtime installed (lockfile install --ignore-scripts + native rebuild)', async () => {
		const r = await install;
		info = r.info;
		return r.installMs ? `n8n ${info.version}, installed in ${secs(r.installMs)}` : `n8n ${info.version}, already installed`;
	});
	if (!okInstall) return;

	const base = path.join(ROOT, '.e2e', `n8n${line}-${process.pid}`);
	fs.rmSync(base, { recursive: true, force: true });
	const userFolder = prepareUserFolder(path.join(base, 'user'), PACKAGE_COPY);
	const log = path.join(base, 'n8n.log');
	const port = await freePort();
	const env = n8nEnv(info, { userFolder, port, brokerPort: await freePort(), encryptionKey: `rumarket-e2e-${process.pid}` });

	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(0);
	const credentials = sandboxCredentials(sandbox, mod);
	const known = new Set(declared.nodes.map((n) => n.type));
	const workflows = workflowsAll.filter((wf) => wf.nodes.every((n) => !n.type.startsWith(`${declared.manifest.name}.`) || known.has(n.type)));
	for (const wf of workflowsAll.filter((w) => !workflows.includes(w))) {
		const missing = wf.nodes.filter((n) => n.type.startsWith(`${declared.manifest.name}.`) && !known.has(n.type)).map((n) => n.type);
		record(line, `example "${wf.name}" can be imported`, false, undefined, `node types not in the package: ${[...new Set(missing)].join(', ')}`);
	}

	try {
		const okImport = await check(line, `import ${credentials.length} credentials + ${workflows.length} workflows (n8n CLI)`, async () => {
			const r = await importAll(info, env, { credentials, workflows, workDir: path.join(base, 'import'), log });
			return `credentials ${secs(r.credentials.ms)}, workflows ${secs(r.workflows?.ms ?? 0)}`;
		});
		if (!okImport) return;

		// n8n 2.x's CLI process can segfault while exiting after a run with the default (isolated-vm)
		// expression engine (seen after successful runs too): the headless runs use the legacy engine
		// there; the server below keeps the default engine (credential tests, live webhook run).
		const cliEnv = info.line === 2 ? { ...env, N8N_EXPRESSION_ENGINE: 'legacy' } : env;
		for (const wf of workflows) {
			const spec = WORKFLOW_CHECKS[wf.id];
			const runs = spec?.runs ?? 1;
			for (let run = 1; run <= runs; run++) {
				const before = spec?.before?.(sandbox, run);
				await check(line, `execute "${wf.name}"${runs > 1 ? ` (run ${run})` : ''}`, async () => {
					const r = await n8nCommand(info, ['execute', `--id=${wf.id}`, '--rawOutput'], cliEnv, { log, timeoutMs: 180000 });
					if (r.code !== 0) throw new Error(`n8n execute exit ${r.code ?? r.signal}${r.code === 139 ? ' (segfault)' : ''}: ${tail(r, 1500)}`);
					const output = parseCliJson(r.stdout);
					if (!output) throw new Error(`no JSON result in the output: ${tail(r, 800)}`);
					const error = output.data?.resultData?.error ?? output.resultData?.error;
					if (error) throw new Error(`workflow error: ${error.message}`);
					if (!spec) return `${secs(r.ms)}; no state assertions for this workflow`;
					const said = spec.assert(sandbox, { run, before, output, credentials });
					return `n8n ${secs(r.ms)}; ${said}`;
				});
			}
		}

		const hook = workflows.find((wf) => wf.nodes.some((n) => n.type === 'n8n-nodes-base.webhook'));
		let hookActive = false;
		if (hook) {
			hookActive = await check(line, `activate the webhook workflow "${hook.name}"`, async () => {
				const r = await activateWorkflow(info, env, hook.id, { log });
				if (!r.ok) throw new Error(r.output);
				return `${r.command} ${secs(r.ms)}`;
			});
		}

		let server;
		const okStart = await check(line, 'n8n server starts with the package', async () => {
			server = await startServer(info, env, { log, timeoutMs: 240000 });
			return `ready in ${secs(server.startMs)}`;
		});
		if (!okStart) return;
		try {
			await check(line, 'every node of the package is loaded (nodes.json)', async () => {
				const file = path.join(userFolder, '.cache', 'n8n', 'public', 'types', 'nodes.json');
				const types = new Set(JSON.parse(fs.readFileSync(file, 'utf8')).map((t) => t.name));
				const missing = declared.nodes.filter((n) => !types.has(n.type)).map((n) => n.type);
				if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
				return declared.nodes.map((n) => n.type.split('.')[1]).join(', ');
			});
			await check(line, 'every credential of the package is loaded (credentials.json)', async () => {
				const file = path.join(userFolder, '.cache', 'n8n', 'public', 'types', 'credentials.json');
				const types = new Set(JSON.parse(fs.readFileSync(file, 'utf8')).map((t) => t.name));
				const missing = declared.credentials.filter((c) => !types.has(c.name)).map((c) => c.name);
				if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
				return declared.credentials.map((c) => c.name).join(', ');
			});
			await check(line, 'no warning or error about the package in n8n logs', async () => {
				const text = fs.readFileSync(log, 'utf8') + server.output();
				const bad = text
					.split('\n')
					.filter((l) => /rumarket|dist\/(nodes|credentials)\//i.test(l) && /(warn|error|fail|could not|cannot|deprecat)/i.test(l));
				if (bad.length) throw new Error([...new Set(bad)].slice(0, 5).join(' | '));
				return 'clean';
			});

			const rest = new N8nRest(server.base);
			const okOwner = await check(line, 'owner set up via REST /rest/owner/setup (127.0.0.1)', async () => await rest.ownerLogin(DEMO_OWNER));
			if (okOwner) {
				for (const cred of credentials) {
					await check(line, `credential test passes: ${cred.name}`, async () => {
						const r = await rest.testCredential(cred);
						if (r.status !== 'OK') throw new Error(`HTTP ${r.httpStatus}: ${r.status} ${r.message}`);
						return r.message;
					});
					const wrong = wrongSecret(cred);
					await check(line, `credential test fails with a wrong secret: ${cred.name}`, async () => {
						const r = await rest.testCredential(wrong);
						if (r.status !== 'Error') throw new Error(`expected Error, got HTTP ${r.httpStatus}: ${r.status} ${r.message}`);
						if (Object.values(cred.data).some((v) => typeof v === 'string' && v.length > 5 && /token|secret|tb_|\|/.test(v) && r.message?.includes(v))) {
							throw new Error('the message shows a secret');
						}
						return r.message;
					});
				}
				for (const cred of declared.credentials.filter((c) => !credentials.some((x) => x.type === c.name))) {
					record(line, `credential test passes: ${cred.displayName}`, false, undefined, 'no sandbox fake/credential for it');
				}
			}

			if (hook && hookActive && webhookCheck[hook.id]) {
				await check(line, `webhook of "${hook.name}" answers live`, async () => await webhookCheck[hook.id](server.base, sandbox, { info, env, log, rest }));
			}
		} finally {
			await server.stop();
		}
	} finally {
		await sandbox.stop();
		if (!process.env.KEEP_E2E && results.filter((r) => r.line === line).every((r) => r.ok)) fs.rmSync(base, { recursive: true, force: true });
		else console.log(`      n8n folder and log kept: ${path.relative(ROOT, base)}`);
	}
}

/**
 * Further e2e legs: every scripts/lib/e2e-<name>.js exporting `run(ctx)` runs after the base checks
 * of each n8n line, in name order. ctx: { line, info (runtime), check(name, fn), record(name, ok, ms,
 * detail), packageCopy, declared, workflows, freePort, ROOT }. E2E_ONLY=base,<name>,… picks legs.
 */
function extraLegs() {
	const dir = path.join(__dirname, 'lib');
	return fs
		.readdirSync(dir)
		.filter((f) => /^e2e-[a-z0-9-]+\.js$/.test(f) && f !== 'e2e-checks.js')
		.sort()
		.map((f) => ({ name: f.slice(4, -3), mod: require(path.join(dir, f)) }))
		.filter((l) => typeof l.mod.run === 'function')
		.map((l) => ({ name: l.name, run: l.mod.run }));
}

/** E2E_<LEG>_LINES=1,2 (e.g. E2E_TRIGGERS_LINES=1) limits a leg to those n8n lines. */
function legOnLine(name, line) {
	const value = process.env[`E2E_${name.toUpperCase().replace(/-/g, '_')}_LINES`];
	return !value || value.split(',').map((l) => Number(l.trim())).includes(line);
}

/** The same credential with its secret changed (the Test must then fail). */
function wrongSecret(cred) {
	const data = { ...cred.data };
	for (const key of ['apiToken', 'apiKey', 'password']) if (typeof data[key] === 'string') data[key] = key === 'apiKey' ? 'tb_ZZZZzzzzZZZZzzzzZZZZzzzzZZZZzzzz' : `${data[key]}-wrong`;
	return { ...cred, data };
}

async function main() {
	const started = Date.now();
	const lines = (process.argv.includes('--n8n') ? [process.argv[process.argv.indexOf('--n8n') + 1]] : (process.env.E2E_LINES ?? '1,2').split(',')).map(lineOf);
	console.log('» Building the package (dist/) and the sandbox (dist-dev/)');
	await check(0, 'build package and sandbox', async () => {
		buildPackage();
		buildSandbox({ say: () => {} });
	});
	if (results.some((r) => !r.ok)) return finish(started);
	snapshotPackage(PACKAGE_COPY);
	const declared = declaredTypes();
	const workflows = exampleWorkflows();
	await check(0, 'every example workflow has an id and a Manual Trigger first (headless runs)', async () => {
		// n8n execute starts from the first trigger node in the list: it must be the Manual Trigger.
		const firstTrigger = (wf) => wf.nodes.find((n) => /trigger|webhook/i.test(n.type));
		const bad = workflows.filter((wf) => !wf.id || firstTrigger(wf)?.type !== 'n8n-nodes-base.manualTrigger').map((wf) => wf.name);
		if (bad.length) throw new Error(bad.join(', '));
		if (!workflows.length) throw new Error('no examples/*.json');
		return `${workflows.length} workflows`;
	});
	// Installs are mostly network and disk: run them side by side, use each when its line runs.
	const installs = {};
	for (const line of lines) {
		// n8n 2.x reuses n8n 1.x's sqlite3 build (N-API) when both are being installed.
		const other = line === 2 && installs[1] ? installs[1].then((r) => r.info.dir) : undefined;
		installs[line] = ensureRuntime(line, { say: (m) => console.log(`      [n8n ${line}.x] ${m}`), sqliteFrom: other });
		installs[line].catch(() => {});
	}
	const legs = extraLegs();
	const only = process.env.E2E_ONLY ? process.env.E2E_ONLY.split(',') : undefined;
	for (const line of lines) {
		const t = Date.now();
		if (!only || only.includes('base')) {
			try {
				await runLine(line, declared, workflows, installs[line]);
			} catch (error) {
				record(line, 'n8n line completed', false, Date.now() - t, String(error.stack ?? error).slice(0, 900));
			}
		}
		for (const leg of legs.filter((l) => (!only || only.includes(l.name)) && legOnLine(l.name, line))) {
			const tl = Date.now();
			console.log(`\n----- n8n ${line}.x: ${leg.name} -----`);
			try {
				const { info } = await installs[line];
				await leg.run({ line, info, check: (name, fn) => check(line, name, fn), record: (name, ok, ms, detail) => record(line, name, ok, ms, detail), packageCopy: PACKAGE_COPY, declared, workflows, freePort, ROOT });
			} catch (error) {
				record(line, `${leg.name} leg completed`, false, Date.now() - tl, String(error.stack ?? error).slice(0, 900));
			}
			console.log(`      n8n ${line}.x ${leg.name} leg ${secs(Date.now() - tl)}`);
		}
		console.log(`      n8n ${line}.x total ${secs(Date.now() - t)}`);
	}
	finish(started);
}

function finish(started) {
	if (!process.env.KEEP_E2E) fs.rmSync(PACKAGE_COPY, { recursive: true, force: true });
	const failed = results.filter((r) => !r.ok);
	console.log(`\n===== e2e summary: ${results.length - failed.length} passed, ${failed.length} failed, ${secs(Date.now() - started)} =====`);
	for (const r of failed) console.log(`FAIL  [n8n ${r.line}.x] ${r.name} — ${r.detail}`);
	console.log(failed.length ? 'E2E FAIL' : 'E2E PASS');
	process.exit(failed.length ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
