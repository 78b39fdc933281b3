/*
 * Shared steps of `npm start` and `npm run e2e`: build the package, link it into an n8n user
 * folder, import the sandbox credentials and the example workflows with the n8n CLI, and talk to
 * a running n8n's REST API (owner setup, login, credential test).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const { n8nCommand } = require('./runtime');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');

/** `npm run build` (tsc + icons → dist/). */
function buildPackage({ say = console.log } = {}) {
	const npm = process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath) ? [process.execPath, process.env.npm_execpath] : ['npm'];
	try {
		execFileSync(npm[0], [...npm.slice(1), 'run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe', timeout: 600000 });
	} catch (error) {
		// tsc emits despite type errors: go on when every declared file is there (n8n then has the last word).
		const { nodes, credentials } = packageManifest();
		const missing = [...nodes, ...credentials].filter((f) => !fs.existsSync(path.join(ROOT, f)));
		const first = `${error.stdout ?? ''}${error.stderr ?? ''}`.split('\n').find((l) => /error/i.test(l)) ?? String(error.message);
		if (missing.length) throw new Error(`npm run build failed (${first.trim().slice(0, 300)}); missing ${missing.join(', ')}`);
		say(`  (npm run build reported errors: ${first.trim().slice(0, 200)} — dist/ is complete, going on)`);
	}
}

/** The package's n8n section: node and credential files (dist paths). */
function packageManifest() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	return { name: pkg.name, nodes: pkg.n8n?.nodes ?? [], credentials: pkg.n8n?.credentials ?? [] };
}

/** Type names the package declares: nodes as `<pkg>.<name>`, credentials by name (loads dist/). */
function declaredTypes() {
	const manifest = packageManifest();
	const load = (file) => {
		const mod = require(path.join(ROOT, file));
		const Cls = Object.values(mod).find((v) => typeof v === 'function');
		return new Cls();
	};
	const nodes = manifest.nodes.map((file) => {
		const inst = load(file);
		const desc = inst.description ?? inst.nodeVersions?.[inst.currentVersion]?.description;
		return { file, type: `${manifest.name}.${desc.name}`, displayName: desc.displayName, description: desc.description, credentials: (desc.credentials ?? []).map((c) => c.name) };
	});
	const credentials = manifest.credentials.map((file) => {
		const inst = load(file);
		return { file, name: inst.name, displayName: inst.displayName, hasTest: Boolean(inst.test) };
	});
	return { manifest, nodes, credentials };
}

/** The example workflows (examples/*.json), each with an id. */
function exampleWorkflows() {
	if (!fs.existsSync(EXAMPLES)) return [];
	return fs
		.readdirSync(EXAMPLES)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: path.join(EXAMPLES, f), ...JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')) }));
}

/**
 * Imports credentials and workflows with the n8n CLI. Workflows are copied to a staging folder
 * first so the ones whose node types are not in the package yet can be left out (and reported).
 */
async function importAll(info, env, { credentials, workflows, workDir, log }) {
	const results = {};
	fs.mkdirSync(workDir, { recursive: true });
	const credFile = path.join(workDir, 'credentials.json');
	fs.writeFileSync(credFile, JSON.stringify(credentials, null, 2));
	results.credentials = await n8nCommand(info, ['import:credentials', `--input=${credFile}`], env, { log });
	if (results.credentials.code !== 0) throw new Error(`n8n import:credentials failed (exit ${results.credentials.code}):\n${tail(results.credentials)}`);
	const wfDir = path.join(workDir, 'workflows');
	fs.rmSync(wfDir, { recursive: true, force: true });
	fs.mkdirSync(wfDir, { recursive: true });
	for (const wf of workflows) {
		const copy = { ...wf };
		delete copy.file;
		fs.writeFileSync(path.join(wfDir, path.basename(wf.file)), JSON.stringify(copy, null, 2));
	}
	if (workflows.length) {
		results.workflows = await n8nCommand(info, ['import:workflow', '--separate', `--input=${wfDir}`], env, { log });
		if (results.workflows.code !== 0) throw new Error(`n8n import:workflow failed (exit ${results.workflows.code}):\n${tail(results.workflows)}`);
	}
	return results;
}

/**
 * Ids of the credentials and workflows already in an n8n user folder's database
 * (`<folder>/.n8n/database.sqlite`), read-only with the runtime's own sqlite3 module — in the
 * runtime's own Node (n8n 2.x's sqlite3 is built for Node 24 and crashes Node 20).
 * `{ exists: false }` before n8n's first run. `npm start` imports only what is missing from it.
 */
async function existingIds(info, userFolder) {
	const file = path.join(userFolder, '.n8n', 'database.sqlite');
	if (!fs.existsSync(file)) return { exists: false, credentials: new Set(), workflows: new Set() };
	const script = `
		const sqlite3 = require(${JSON.stringify(path.join(info.dir, 'node_modules', 'sqlite3'))});
		const db = new sqlite3.Database(process.argv[1], sqlite3.OPEN_READONLY, (error) => {
			if (error) { console.log(JSON.stringify({ error: error.message })); process.exit(0); }
			const ids = (table) => new Promise((resolve) => db.all('SELECT id FROM ' + table, (e, rows) => resolve(e ? null : rows.map((r) => String(r.id)))));
			Promise.all([ids('credentials_entity'), ids('workflow_entity')]).then(([credentials, workflows]) => {
				console.log(JSON.stringify({ credentials, workflows }));
				db.close();
			});
		});`;
	const out = execFileSync(info.nodeBin, ['-e', script, file], { encoding: 'utf8', timeout: 60000 });
	const answer = JSON.parse(out.trim().split('\n').pop());
	if (answer.error) throw new Error(`Cannot read ${file}: ${answer.error}`);
	// Before n8n's migrations ran the tables do not exist yet: nothing is there.
	return {
		exists: Boolean(answer.credentials && answer.workflows),
		credentials: new Set(answer.credentials ?? []),
		workflows: new Set(answer.workflows ?? []),
	};
}

/** Activates (1.x) / publishes (2.x) a workflow so its webhook listens once n8n starts. */
async function activateWorkflow(info, env, id, { log } = {}) {
	const attempts = info.line === 2 ? [['publish:workflow', `--id=${id}`], ['update:workflow', `--id=${id}`, '--active=true']] : [['update:workflow', `--id=${id}`, '--active=true']];
	let last;
	for (const args of attempts) {
		last = await n8nCommand(info, args, env, { log });
		if (last.code === 0 && !/error|unknown command|not found/i.test(`${last.stdout}${last.stderr}`.split('\n').filter((l) => !/deprecat/i.test(l)).join('\n'))) return { ok: true, command: args[0], ms: last.ms };
	}
	return { ok: false, output: tail(last, 800) };
}

function tail(result, n = 3000) {
	return `${result.stdout}\n${result.stderr}`.trim().slice(-n);
}

/** Minimal cookie-keeping REST client for a running n8n on 127.0.0.1. */
class N8nRest {
	constructor(base) {
		this.base = base;
		this.cookie = '';
	}

	async call(method, route, body) {
		const res = await fetch(`${this.base}/rest${route}`, {
			method,
			headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(this.cookie ? { Cookie: this.cookie } : {}), 'browser-id': 'rumarket-e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
		for (const c of setCookie) {
			const pair = c.split(';')[0];
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, body: json ?? text };
	}

	/** Creates the owner (first run) or logs in (later runs). */
	async ownerLogin(owner) {
		const setup = await this.call('POST', '/owner/setup', owner);
		if (setup.status === 200) return 'created';
		const login = await this.call('POST', '/login', { email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password });
		if (login.status === 200) return 'logged-in';
		throw new Error(`Could not set up or log in the owner: setup ${setup.status} ${JSON.stringify(setup.body).slice(0, 300)}; login ${login.status} ${JSON.stringify(login.body).slice(0, 300)}`);
	}

	/** Runs the Test of a stored credential the way the editor's "Retry"/"Save" does. */
	/** GET /rest/<route> → the `data` of the answer (throws on a non-2xx answer). */
	async get(route) {
		const res = await this.call('GET', route);
		if (res.status >= 300) throw new Error(`GET ${route}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		return res.body?.data ?? res.body;
	}

	/** PATCH /rest/<route> with a JSON body → the `data` of the answer (throws on a non-2xx answer). */
	async patch(route, body) {
		const res = await this.call('PATCH', route, body);
		if (res.status >= 300) throw new Error(`PATCH ${route}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
		return res.body?.data ?? res.body;
	}

	async testCredential(cred) {
		const res = await this.call('POST', '/credentials/test', { credentials: { id: cred.id, name: cred.name, type: cred.type, data: cred.data } });
		const data = res.body?.data ?? res.body;
		return { httpStatus: res.status, status: data?.status, message: data?.message ?? (typeof res.body === 'string' ? res.body.slice(0, 300) : JSON.stringify(res.body).slice(0, 300)) };
	}
}

const DEMO_OWNER = { email: 'demo@rumarket.local', firstName: 'Demo', lastName: 'Owner', password: 'Rumarket-demo-2024' };

module.exports = { ROOT, EXAMPLES, activateWorkflow, existingIds, buildPackage, packageManifest, declaredTypes, exampleWorkflows, importAll, N8nRest, DEMO_OWNER, tail };
