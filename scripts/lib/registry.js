/*
 * A real local npm registry for the real-install e2e leg: Verdaccio 6.8.0 (runtime/verdaccio, its own
 * package.json + lockfile; installed on first use like the n8n runtimes), started on 127.0.0.1 with a
 * throw-away config and storage (no uplinks: nothing is fetched from or published to the internet),
 * a user created through the registry's own npm login API, and `npm pack` / `npm publish` run by the
 * real npm CLI against it.
 */
'use strict';

const { spawn, execFile } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const { ROOT, run, stopProcess } = require('./runtime');
const { freePort } = require('./e2e-checks');

const DIR = path.join(ROOT, 'runtime', 'verdaccio');
const BIN = path.join(DIR, 'node_modules', 'verdaccio', 'bin', 'verdaccio');

/** npm's own environment for commands we run: none of the repository's npm_config_* settings. */
function cleanNpmEnv(extra = {}) {
	const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
	return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

function lockHash() {
	const lock = path.join(DIR, 'package-lock.json');
	return crypto.createHash('sha256').update(fs.existsSync(lock) ? fs.readFileSync(lock) : fs.readFileSync(path.join(DIR, 'package.json'))).digest('hex');
}

/** Installs Verdaccio into runtime/verdaccio from its lockfile when missing (≈ 15–35 s). */
async function ensureVerdaccio({ say = console.log } = {}) {
	const marker = path.join(DIR, 'node_modules', '.rumarket-ready');
	try {
		if (fs.readFileSync(marker, 'utf8').trim() === lockHash() && fs.existsSync(BIN)) return { installMs: 0 };
	} catch {
		/* not installed */
	}
	const started = Date.now();
	say('Installing Verdaccio 6.8.0 into runtime/verdaccio (first run only)');
	const hadLock = fs.existsSync(path.join(DIR, 'package-lock.json'));
	fs.mkdirSync(path.join(ROOT, 'runtime', 'logs'), { recursive: true });
	await run('npm', [hadLock ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: DIR,
		env: cleanNpmEnv(),
		log: path.join(ROOT, 'runtime', 'logs', 'install-verdaccio.log'),
		timeoutMs: 10 * 60 * 1000,
	});
	fs.writeFileSync(marker, `${lockHash()}\n`);
	return { installMs: Date.now() - started };
}

/**
 * Starts Verdaccio on 127.0.0.1 with its config and storage under `workDir`; resolves
 * { url, token, userconfig, stop(), startMs } once /-/ping answers and a publishing user exists.
 */
async function startRegistry(workDir, { log } = {}) {
	fs.mkdirSync(workDir, { recursive: true });
	const port = await freePort();
	const storage = path.join(workDir, 'storage');
	const config = path.join(workDir, 'config.yaml');
	fs.writeFileSync(
		config,
		[
			`storage: ${storage}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(workDir, 'htpasswd')}`,
			'    max_users: 10',
			'uplinks: {}',
			'packages:',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    unpublish: $authenticated',
			'server:',
			'  keepAliveTimeout: 60',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const started = Date.now();
	const out = log ? fs.createWriteStream(log, { flags: 'a' }) : null;
	const child = spawn(process.execPath, [BIN, '--config', config, '--listen', `127.0.0.1:${port}`], {
		cwd: workDir,
		env: cleanNpmEnv(),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	let exited = null;
	const sink = (c) => {
		out?.write(c);
		output = (output + c).slice(-5000);
	};
	child.stdout.on('data', sink);
	child.stderr.on('data', sink);
	child.on('close', (code, signal) => {
		exited = { code, signal };
		out?.end();
	});
	const url = `http://127.0.0.1:${port}`;
	for (;;) {
		if (exited) throw new Error(`Verdaccio exited during start (${exited.signal ?? exited.code}): ${output.slice(-1500)}`);
		if (Date.now() - started > 60000) {
			await stopProcess(child);
			throw new Error(`Verdaccio did not answer /-/ping within 60 s: ${output.slice(-1500)}`);
		}
		try {
			if ((await fetch(`${url}/-/ping`)).ok) break;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 300));
	}
	// A publishing user, created through the npm login API (what `npm adduser` calls).
	const name = 'rumarket-e2e';
	const password = crypto.randomBytes(12).toString('hex');
	const res = await fetch(`${url}/-/user/org.couchdb.user:${name}`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ _id: `org.couchdb.user:${name}`, name, password, type: 'user', roles: [], date: new Date().toISOString() }),
	});
	const body = await res.json().catch(() => ({}));
	if (!res.ok || !body.token) {
		await stopProcess(child);
		throw new Error(`Verdaccio refused to create the publishing user: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
	}
	const userconfig = path.join(workDir, 'npmrc');
	const host = url.replace(/^http:/, '');
	fs.writeFileSync(userconfig, `registry=${url}/\n${host}/:_authToken=${body.token}\n`);
	return { url, token: body.token, userconfig, startMs: Date.now() - started, stop: () => stopProcess(child), output: () => output };
}

function execNpm(args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		execFile('npm', args, { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(Object.assign(new Error(`npm ${args.slice(0, 2).join(' ')} failed: ${String(stderr || stdout).trim().slice(-1500)}`), { stdout, stderr }));
			else resolve({ stdout, stderr });
		});
	});
}

/** `npm pack` of a package directory into `dest`; returns { tarball, files, name, version }. */
async function pack(packageDir, dest) {
	fs.mkdirSync(dest, { recursive: true });
	const { stdout } = await execNpm(['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: packageDir, env: cleanNpmEnv() });
	const [info] = JSON.parse(stdout);
	return { tarball: path.join(dest, info.filename), files: info.files.map((f) => f.path), name: info.name, version: info.version };
}

/**
 * `npm publish <tarball>` to the local registry. The package's publishConfig asks for npm
 * provenance (the guard against a local publish to npmjs.com); a local registry cannot attest, so
 * this one publish says --provenance=false explicitly.
 */
async function publish(tarball, registry) {
	const { stdout, stderr } = await execNpm(['publish', tarball, `--registry=${registry.url}/`, `--userconfig=${registry.userconfig}`, '--ignore-scripts', '--provenance=false', '--access=public'], {
		cwd: path.dirname(tarball),
		env: cleanNpmEnv(),
	});
	return `${stdout}${stderr}`;
}

module.exports = { ensureVerdaccio, startRegistry, pack, publish, cleanNpmEnv, VERDACCIO_DIR: DIR };
