/*
 * e2e leg "real install": the package as a user gets it. `npm pack` → a real npm registry on
 * 127.0.0.1 (Verdaccio, scripts/lib/registry.js) → n8n's own community-package installer → the
 * examples and credential Tests on that install → update to a newer version → uninstall; on n8n 1.x
 * and 2.x, for the combined package and for each single-service package ALONE (one after another in
 * the same n8n: nothing else of ours is installed while one is checked).
 *
 * n8n's installer (packages/cli/src/modules/community-packages/community-packages.service.ts) is
 * driven through its REST endpoints (POST / PATCH / DELETE /rest/community-packages after owner
 * setup), unchanged. It refuses any registry but https://registry.npmjs.org without an enterprise
 * license (getNpmRegistry() throws FeatureNotLicensedError for N8N_COMMUNITY_PACKAGES_REGISTRY, on
 * 1.123 and 2.41 alike), so n8n keeps its default registry and reaches it the way a company network
 * would: through an HTTPS proxy (HTTPS_PROXY, the proxy's certificate trusted through
 * NODE_EXTRA_CA_CERTS / npm's cafile). The proxy (startNpmjsProxy) answers for registry.npmjs.org
 * only, from the local Verdaccio, and refuses every other host; every request it forwarded is
 * listed in the check. So the whole installer runs — registry checks (version lookup), `npm pack`,
 * peer/dev/optional dependencies stripped, `npm install --ignore-scripts`, the package loaded into
 * the running n8n without a restart, the installed-packages table, update (PATCH) and uninstall
 * (DELETE, unloaded at once) — and n8n is started once per line. A last restart shows nothing of
 * ours is left, and names the local registry directly (N8N_COMMUNITY_PACKAGES_REGISTRY) to check
 * that n8n still refuses it without a license. npm runs with its own empty cache and user config,
 * so nothing of this reaches the machine's npm cache.
 *
 * The n8n user folder lives in the OS temp folder: nothing of the repository (its node_modules
 * above all) is on the module path of that n8n; `n8n-workflow` must resolve from n8n's own install.
 * The examples run headless (`n8n execute --id`, a second n8n process on the same database) while
 * the server runs; the combined package runs examples/*.json, a single-service package the
 * one-node workflow of SINGLE_EXAMPLES (the examples each need two services).
 *
 * run(ctx) is the per-line hook of scripts/e2e.js (E2E_ONLY=install picks this leg alone;
 * E2E_INSTALL=combined keeps the combined package only, E2E_INSTALL=0 skips the leg);
 * runLeg({ lines, check(line, name, fn), installs: {line: Promise<{info}>}, freePort(), packages })
 * runs it for several lines. Standalone: node scripts/lib/e2e-install.js [--n8n 1] [--combined].
 */
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');

const { ROOT, n8nEnv, n8nCommand, startServer, parseCliJson } = require('./runtime');
const { N8nRest, DEMO_OWNER, exampleWorkflows, importAll, tail } = require('./n8n-setup');
const { createDemoSandbox, sandboxCredentials, CREDENTIAL_IDS, CREDENTIAL_NAMES, DEMO } = require('./demo');
const { WORKFLOW_CHECKS } = require('./e2e-checks');
const registryLib = require('./registry');

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const NPMJS = 'registry.npmjs.org';

function exec(cmd, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		execFile(cmd, args, { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${String(stderr || stdout).trim().slice(-1200)}`));
			else resolve({ stdout, stderr });
		});
	});
}

/** Node and credential type names a package declares (loaded from its dist/), with node versions. */
function declared(dir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const load = (file) => {
		const mod = require(path.join(dir, file));
		return new (Object.values(mod).find((v) => typeof v === 'function'))();
	};
	const versions = {};
	const nodes = (pkg.n8n?.nodes ?? []).map((f) => {
		const inst = load(f);
		const desc = inst.description ?? inst.nodeVersions?.[inst.currentVersion]?.description;
		versions[desc.name] = inst.currentVersion ?? (Array.isArray(desc.version) ? Math.max(...desc.version) : desc.version);
		return `${pkg.name}.${desc.name}`;
	});
	const credentials = (pkg.n8n?.credentials ?? []).map((f) => load(f).name);
	return { name: pkg.name, version: pkg.version, nodes, credentials, versions };
}

/** The next patch version: what the update step publishes and installs. */
function nextPatch(version) {
	const [major, minor, patch] = version.split('-')[0].split('.').map(Number);
	return `${major}.${minor}.${patch + 1}`;
}

/**
 * The "newer release": the packed tarball unpacked, its version raised, packed again with tar
 * (an npm tarball is a gzipped tar of package/; `npm pack` made the first one).
 */
async function packNewerVersion(tarball, version, workDir) {
	const dir = path.join(workDir, `repack-${path.basename(tarball, '.tgz')}-${version}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'package'), { recursive: true });
	await exec('tar', ['-xzf', tarball, '-C', path.join(dir, 'package'), '--strip-components=1'], { cwd: workDir, env: process.env });
	const pjPath = path.join(dir, 'package', 'package.json');
	const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
	pj.version = version;
	fs.writeFileSync(pjPath, `${JSON.stringify(pj, null, 2)}\n`);
	const out = path.join(workDir, 'tarballs', `${pj.name}-${version}.tgz`);
	await exec('tar', ['-czf', out, '--owner=0', '--group=0', '--numeric-owner', '-C', dir, 'package'], { cwd: workDir, env: process.env });
	return { tarball: out, name: pj.name, version };
}

/**
 * Publishes a tarball the way `npm publish` does it (PUT /<name> with the manifest and the tarball
 * attached) without starting an npm process for each one. The first version of the combined
 * package goes through the npm CLI itself (registryLib.publish).
 */
async function publishHttp(tarball, registry) {
	const crypto = require('crypto');
	const data = fs.readFileSync(tarball);
	const { stdout } = await exec('tar', ['-xzOf', tarball, 'package/package.json'], { cwd: path.dirname(tarball), env: process.env });
	const pj = JSON.parse(stdout);
	const file = `${pj.name}-${pj.version}.tgz`;
	const body = {
		_id: pj.name,
		name: pj.name,
		description: pj.description,
		'dist-tags': { latest: pj.version },
		versions: {
			[pj.version]: {
				...pj,
				_id: `${pj.name}@${pj.version}`,
				dist: {
					shasum: crypto.createHash('sha1').update(data).digest('hex'),
					integrity: `sha512-${crypto.createHash('sha512').update(data).digest('base64')}`,
					tarball: `${registry.url}/${pj.name}/-/${file}`,
				},
			},
		},
		_attachments: { [file]: { content_type: 'application/octet-stream', data: data.toString('base64'), length: data.length } },
	};
	const res = await fetch(`${registry.url}/${encodeURIComponent(pj.name)}`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${registry.token}` },
		body: JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`publishing ${file}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
}

/**
 * An HTTPS proxy on 127.0.0.1 that answers for registry.npmjs.org from the local registry (a
 * throw-away self-signed certificate for that name, made with openssl) and refuses every other
 * host. Plain-HTTP requests in absolute form (what axios sends through a proxy) are served the same
 * way. `seen` lists what was forwarded, `refused` what was turned away.
 */
async function startNpmjsProxy(registryUrl, workDir) {
	const key = path.join(workDir, 'npmjs-proxy.key');
	const cert = path.join(workDir, 'npmjs-proxy.crt');
	await exec('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${NPMJS}`, '-addext', `subjectAltName=DNS:${NPMJS}`], { cwd: workDir, env: process.env });
	const target = new URL(registryUrl);
	const seen = [];
	const refused = [];
	const sockets = new Set();
	const forward = (req, res) => {
		let route = req.url;
		let host = String(req.headers.host ?? '').split(':')[0];
		if (/^https?:\/\//i.test(route)) {
			const u = new URL(route);
			host = u.hostname;
			route = `${u.pathname}${u.search}`;
		}
		if (host !== NPMJS) {
			refused.push(`${req.method} ${host}${route}`);
			res.writeHead(403, { 'Content-Type': 'text/plain' });
			res.end(`the e2e proxy serves ${NPMJS} only`);
			return;
		}
		seen.push(`${req.method} ${decodeURIComponent(route.split('?')[0])}`);
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: req.method, path: route, headers: { ...req.headers, host: NPMJS, 'x-forwarded-proto': 'https' } },
			(answer) => {
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => {
			res.writeHead(502, { 'Content-Type': 'text/plain' });
			res.end(String(error.message));
		});
		req.pipe(upstream);
	};
	const tlsServer = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, forward);
	const proxy = http.createServer(forward);
	proxy.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req, socket, head) => {
		const [host, port] = String(req.url).split(':');
		if (host !== NPMJS || (port && port !== '443')) {
			refused.push(`CONNECT ${req.url}`);
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head?.length) socket.unshift(head);
		tlsServer.emit('connection', socket);
	});
	await new Promise((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${proxy.address().port}`;
	return {
		url,
		cert,
		seen,
		refused,
		stop: () =>
			new Promise((resolve) => {
				for (const s of sockets) s.destroy();
				proxy.close(() => resolve());
				tlsServer.close();
			}),
	};
}

/**
 * Node and credential types n8n wrote for its editor (.cache/n8n/public/types/*.json). After a
 * hot install n8n rewrites them in the background: `until(types)` is waited for (≤ 15 s), and a
 * file caught half-written is read again.
 */
async function loadedTypes(userFolder, until = () => true) {
	const dir = path.join(userFolder, '.cache', 'n8n', 'public', 'types');
	const read = (f) => new Set(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).map((t) => t.name));
	const deadline = Date.now() + 15000;
	for (;;) {
		let types;
		let problem;
		try {
			types = { nodes: read('nodes.json'), credentials: read('credentials.json') };
		} catch (error) {
			problem = error;
		}
		if (types && until(types)) return types;
		if (Date.now() > deadline) {
			if (types) return types;
			throw problem;
		}
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** One more try when the connection to n8n itself dropped ("fetch failed": a socket reset under load). */
async function again(fn) {
	try {
		return await fn();
	} catch (error) {
		if (!/fetch failed|ECONNRESET|socket/i.test(String(error.message))) throw error;
		await new Promise((r) => setTimeout(r, 1000));
		return await fn();
	}
}

function wrongSecret(cred) {
	const data = { ...cred.data };
	for (const key of ['apiToken', 'apiKey', 'password']) if (typeof data[key] === 'string') data[key] = key === 'apiKey' ? 'tb_ZZZZzzzzZZZZzzzzZZZZzzzzZZZZzzzz' : `${data[key]}-wrong`;
	return { ...cred, data };
}

const expect = (cond, message) => {
	if (!cond) throw new Error(message);
};
const sameSet = (a, b) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * The example of a single-service package: Manual Trigger → its node, one documented call on the
 * seeded sandbox; `assert` checks the request that went out and the items that came back.
 */
const SINGLE_EXAMPLES = {
	'n8n-nodes-iqm-tech': {
		node: 'iqmTech',
		credential: 'iqmTechApi',
		title: 'send a site visit',
		parameters: { resource: 'visit', operation: 'send', page: 'https://shop.example.ru/install-check', additionalFields: { phone: '+7 903 000-00-01' } },
		before: (sandbox) => sandbox.fake('iqm').visits.length,
		assert: (sandbox, items, before) => {
			const visits = sandbox.fake('iqm').visits.slice(before);
			expect(visits.length === 1, `expected 1 IQM Tech visit stored, got ${visits.length}`);
			expect(visits[0].data.page === 'https://shop.example.ru/install-check' && visits[0].data.phone === '+7 903 000-00-01', `IQM visit data: ${JSON.stringify(visits[0].data)}`);
			expect(items.length === 1, `expected 1 output item, got ${items.length}`);
			return `1 visit stored (page, phone as sent); 1 item out`;
		},
	},
	'n8n-nodes-synergy-crm': {
		node: 'synergyCrm',
		credential: 'synergyCrmApi',
		title: 'list deal stages',
		parameters: { resource: 'dealStage', operation: 'getAll', returnAll: true },
		before: (sandbox) => sandbox.requests('synergy').length,
		assert: (sandbox, items, before) => {
			const sent = sandbox.requests('synergy').slice(before);
			expect(sent.length >= 1 && sent.every((r) => r.method === 'GET' && /\/deal-stages$/.test(r.path) && r.status === 200), `requests: ${sent.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			const names = items.map((i) => i.name ?? i.attributes?.name);
			const stored = sandbox.fake('synergy').all('deal-stages').map((r) => r.attributes.name);
			expect(sameSet(names, stored) && DEMO.synergy.stages.every((n) => names.includes(n)), `stage names: ${JSON.stringify(names)}; the CRM holds ${JSON.stringify(stored)}`);
			return `${sent.map((r) => `${r.method} ${r.path}`).join(', ')}; ${items.length} stages, as stored: ${names.join(', ')}`;
		},
	},
	'n8n-nodes-neiros': {
		node: 'neiros',
		credential: 'neirosApi',
		title: 'list deals of site 19 since yesterday',
		parameters: { resource: 'deal', operation: 'getAll', siteId: { __rl: true, mode: 'id', value: '19' }, returnAll: true, filters: { dateStart: '={{ $today.minus({ days: 1 }).toFormat("yyyy-MM-dd") }}' } },
		before: (sandbox) => sandbox.requests('neiros').length,
		assert: (sandbox, items, before) => {
			const sent = sandbox.requests('neiros').slice(before);
			const lists = sent.filter((r) => r.method === 'GET' && /\/projects$/.test(r.path));
			expect(lists.length >= 1 && lists.every((r) => r.status === 200 && /19/.test(r.rawQuery) && /date_start=/.test(r.rawQuery)), `requests: ${sent.map((r) => `${r.method} ${r.path}?${r.rawQuery} ${r.status}`).join(', ')}`);
			const ids = items.map((i) => String(i.id));
			expect(sameSet(ids, DEMO.neiros.deals.map((d) => String(d.id))), `deal ids: ${JSON.stringify(ids)} (site 19 holds ${DEMO.neiros.deals.map((d) => d.id).join(', ')})`);
			return `${sent.map((r) => `${r.method} ${r.path}?${r.rawQuery}`).join(', ')}; deals ${ids.join(', ')}`;
		},
	},
	'n8n-nodes-tracking-bot': {
		node: 'trackingBot',
		credential: 'trackingBotApi',
		title: 'list parcels',
		parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
		before: (sandbox) => sandbox.requests('trackingbot').length,
		assert: (sandbox, items, before) => {
			const sent = sandbox.requests('trackingbot').slice(before);
			expect(sent.length >= 1 && sent.every((r) => r.method === 'GET' && r.status === 200), `requests: ${sent.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			const numbers = items.map((i) => i.tracking_number);
			expect(sameSet(numbers, DEMO.tracking.parcels.map((p) => p.tracking_number)), `tracking numbers: ${JSON.stringify(numbers)}`);
			return `${sent.map((r) => `${r.method} ${r.path}`).join(', ')}; ${numbers.join(', ')}`;
		},
	},
	'n8n-nodes-loymax': {
		node: 'loymax',
		credential: 'loymaxApi',
		title: 'list customers',
		parameters: { resource: 'customer', operation: 'getAll', returnAll: true },
		before: (sandbox) => sandbox.requests('loymax').length,
		assert: (sandbox, items, before) => {
			// A login (POST /token) happens only when the saved credential holds no session token yet:
			// after the combined package ran, the same saved credential (same type) is reused as is.
			const sent = sandbox.requests('loymax').slice(before);
			expect(sent.some((r) => r.method === 'GET' && /\/customer$/.test(r.path) && r.status === 200), `requests: ${sent.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			expect(sent.every((r) => r.status === 200), `refused: ${sent.filter((r) => r.status !== 200).map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			const ids = items.map((i) => i.local_id ?? i.attributes?.local_id ?? i.id);
			expect(sameSet(ids, DEMO.loymax.customers.map((c) => c.local_id)), `customers: ${JSON.stringify(items).slice(0, 300)}`);
			return `${sent.map((r) => `${r.method} ${r.path}`).join(', ')}; customers ${ids.join(', ')}`;
		},
	},
};

/** Workflow id of a single-service package's example (16 characters, like n8n's). */
const singleId = (name) => `rmInst${name.replace(/^n8n-nodes-/, '').replace(/[^a-z]/g, '')}`.padEnd(16, '0').slice(0, 16);

function singleWorkflow(pkg) {
	const spec = SINGLE_EXAMPLES[pkg.name];
	if (!spec) return undefined;
	return {
		file: `${pkg.name}.json`,
		id: singleId(pkg.name),
		name: `${pkg.name}: ${spec.title}`,
		active: false,
		settings: { executionOrder: 'v1', timezone: 'Europe/Moscow' },
		connections: { 'Run now': { main: [[{ node: spec.node, type: 'main', index: 0 }]] } },
		nodes: [
			{ id: 'a0000000-0000-4000-a000-000000000001', name: 'Run now', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a0000000-0000-4000-a000-000000000002',
				name: spec.node,
				type: `${pkg.name}.${spec.node}`,
				typeVersion: pkg.versions[spec.node] ?? 1,
				position: [240, 0],
				parameters: spec.parameters,
				credentials: { [spec.credential]: { id: CREDENTIAL_IDS[spec.credential], name: CREDENTIAL_NAMES[spec.credential] } },
			},
		],
	};
}

/** The examples a package runs: examples/*.json for the combined package (its node types), or its one-node workflow. */
function examplesFor(pkg) {
	if (pkg.name === 'n8n-nodes-rumarket') return exampleWorkflows().filter((wf) => wf.nodes.every((n) => !/^n8n-nodes-rumarket\./.test(n.type) || pkg.nodes.includes(n.type)));
	const wf = singleWorkflow(pkg);
	return wf ? [wf] : [];
}

/** Output items of one node in `n8n execute --rawOutput`. */
function itemsOf(output, nodeName) {
	const runData = output.data?.resultData?.runData ?? output.resultData?.runData ?? {};
	return (runData[nodeName]?.[0]?.data?.main?.[0] ?? []).map((i) => i.json);
}

/**
 * One n8n line: start n8n once, then for each package in turn install it with n8n's installer,
 * check it, run its examples and credential Tests, update and uninstall it — nothing else of ours is
 * installed meanwhile. A last restart shows that nothing is left.
 */
async function lineCycle(ctx, line, info, packages, registry, published) {
	const { check, freePort } = ctx;
	const lineStarted = Date.now();
	const base = fs.mkdtempSync(path.join(os.tmpdir(), `rumarket-install-n8n${line}-`));
	const userFolder = path.join(base, 'user');
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const log = path.join(base, 'n8n.log');
	const proxy = await startNpmjsProxy(registry.url, base);
	const npmrc = path.join(base, 'npmrc');
	fs.writeFileSync(npmrc, '');
	const port = await freePort();
	// n8n's environment: none of the repository's npm settings and no node_modules/.bin on PATH
	// (`npm run` passes both down; n8n's installer runs `npm` and `tar` from PATH); npm sees the
	// proxy, trusts its certificate, and keeps its cache and config inside this run's folder.
	const env = n8nEnv(info, {
		userFolder,
		port,
		brokerPort: await freePort(),
		encryptionKey: `rumarket-install-${process.pid}`,
		extra: {
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			HTTPS_PROXY: proxy.url,
			https_proxy: proxy.url,
			NO_PROXY: '127.0.0.1,localhost',
			no_proxy: '127.0.0.1,localhost',
			NODE_EXTRA_CA_CERTS: proxy.cert,
			npm_config_cafile: proxy.cert,
			npm_config_userconfig: npmrc,
			npm_config_cache: path.join(base, 'npm-cache'),
			npm_config_update_notifier: 'false',
		},
	});
	const npmKept = new Set(['npm_config_cafile', 'npm_config_userconfig', 'npm_config_cache', 'npm_config_update_notifier']);
	for (const key of Object.keys(env)) if (/^npm_/i.test(key) && !npmKept.has(key)) delete env[key];
	env.PATH = env.PATH.split(path.delimiter)
		.filter((dir) => !/[\\/]node_modules[\\/]\.bin$/.test(dir) && !/[\\/]node-gyp-bin$/.test(dir))
		.join(path.delimiter);
	// Headless runs beside the server: a second n8n process, its own task-broker port.
	const cliEnv = { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...(info.line === 2 ? { N8N_EXPRESSION_ENGINE: 'legacy' } : {}) };
	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(0);
	const credentials = sandboxCredentials(sandbox, mod);
	const perPackage = [];
	let server;
	let rest;
	const stop = async () => {
		if (server) await server.stop();
		server = undefined;
	};
	const start = async (extra = {}) => {
		server = await startServer(info, { ...env, ...extra }, { log, timeoutMs: 240000 });
		const client = new N8nRest(server.base);
		// n8n 1.x can answer 503 "Database is not ready!" for a moment after "Editor is now accessible".
		for (let attempt = 0; ; attempt++) {
			try {
				await client.ownerLogin(DEMO_OWNER);
				return client;
			} catch (error) {
				if (attempt >= 30 || !/not ready|503/.test(String(error.message))) throw error;
				await new Promise((r) => setTimeout(r, 1000));
			}
		}
	};
	try {
		const workflows = packages.flatMap((p) => examplesFor(p));
		const okSetup = await check(line, `n8n ${info.version} with no package of ours: ${credentials.length} credentials + ${workflows.length} workflows imported (n8n CLI), server started once for the line`, async () => {
			const r = await importAll(info, env, { credentials, workflows, workDir: path.join(base, 'import'), log });
			rest = await start();
			return `import ${secs(r.credentials.ms + (r.workflows?.ms ?? 0))}, server ready in ${secs(server.startMs)}; registry = n8n's default https://${NPMJS} through HTTPS_PROXY ${proxy.url} → ${registry.url}`;
		});
		if (!okSetup) return;
		for (const pkg of packages) {
			const t = Date.now();
			await packageCycle(ctx, line, { info, pkg, rest: () => rest, output: () => server?.output() ?? '', userFolder, nodesDir, proxy, sandbox, credentials, cliEnv, log, published });
			perPackage.push(`${pkg.name} ${secs(Date.now() - t)}`);
		}
		await check(line, `after a restart nothing of ours is loaded or listed as installed`, async () => {
			await stop();
			// This start also names the local registry directly (N8N_COMMUNITY_PACKAGES_REGISTRY): the
			// check below shows why the leg goes through the proxy.
			rest = await start({ N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url });
			const types = await loadedTypes(userFolder, (t) => ![...t.nodes].some((n) => packages.some((p) => n.startsWith(`${p.name}.`))));
			const ours = [...types.nodes].filter((n) => packages.some((p) => n.startsWith(`${p.name}.`)));
			const creds = [...types.credentials].filter((c) => packages.some((p) => p.credentials.includes(c)));
			if (ours.length || creds.length) throw new Error(`still loaded: ${[...ours, ...creds].join(', ')}`);
			const listed = await rest.get('/community-packages');
			if (listed.length) throw new Error(`still listed: ${listed.map((p) => p.packageName).join(', ')}`);
			const left = fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((n) => !n.startsWith('.'));
			if (left.length) throw new Error(`left in .n8n/nodes/node_modules: ${left.join(', ')}`);
			return `ready in ${secs(server.startMs)}; 0 packages`;
		});
		await check(line, `n8n ${info.version} refuses a custom registry without a license (N8N_COMMUNITY_PACKAGES_REGISTRY=${registry.url})`, async () => {
			const [pkg] = packages;
			const r = await again(() => rest.call('POST', '/community-packages', { name: pkg.name, version: pkg.version }));
			const text = JSON.stringify(r.body);
			if (r.status === 200) throw new Error(`n8n installed from the custom registry (the leg could use it directly): ${text.slice(0, 300)}`);
			if (!/licen[cs]e|not licensed/i.test(text)) throw new Error(`refused for another reason: HTTP ${r.status} ${text.slice(0, 400)}`);
			if (fs.existsSync(path.join(nodesDir, 'node_modules', pkg.name))) throw new Error(`${pkg.name} was downloaded anyway`);
			return `HTTP ${r.status}: ${String(r.body?.message ?? text).replace(/\s+/g, ' ').slice(0, 200)}`;
		});
	} finally {
		await stop();
		await sandbox.stop();
		await proxy.stop();
		console.log(`      [n8n ${line}.x] real install, one n8n start for ${packages.length} package(s): ${perPackage.join(', ')}; line ${secs(Date.now() - lineStarted)}`);
		if (proxy.refused.length) console.log(`      [n8n ${line}.x] the proxy refused (other hosts): ${[...new Set(proxy.refused)].join(', ')}`);
		if (!process.env.KEEP_E2E) fs.rmSync(base, { recursive: true, force: true });
		else console.log(`      kept: ${base}`);
	}
}

/** Install → check → examples → credential Tests → update → uninstall, for one package, through n8n's REST installer. */
async function packageCycle(ctx, line, { info, pkg, rest: restOf, output, userFolder, nodesDir, proxy, sandbox, credentials, cliEnv, log, published }) {
	const { check } = ctx;
	const tag = ` [${pkg.name}]`;
	const dir = path.join(nodesDir, 'node_modules', pkg.name);
	const own = credentials.filter((c) => pkg.credentials.includes(c.type));
	const rest = restOf();
	const newer = published[pkg.name].newer;
	const okInstall = await check(line, `install ${pkg.name}@${pkg.version} with n8n's installer (POST /rest/community-packages), alone`, async () => {
		const installedBefore = await rest.get('/community-packages');
		if (installedBefore.length) throw new Error(`another package is installed: ${installedBefore.map((p) => p.packageName).join(', ')}`);
		const from = proxy.seen.length;
		const r = await again(() => rest.call('POST', '/community-packages', { name: pkg.name, version: pkg.version }));
		if (r.status !== 200) throw new Error(`HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 600)}`);
		const answer = r.body?.data ?? r.body;
		const nodes = (answer.installedNodes ?? []).map((n) => n.type);
		if (answer.installedVersion !== pkg.version || !sameSet(nodes, pkg.nodes)) throw new Error(`n8n answered ${JSON.stringify(answer).slice(0, 500)}`);
		const fetched = proxy.seen.slice(from).filter((s) => s.includes(pkg.name));
		if (!fetched.some((s) => s.endsWith('.tgz'))) throw new Error(`the tarball did not come from the local registry (proxy saw: ${proxy.seen.slice(from).join(', ')})`);
		return `n8n ${answer.installedVersion}, ${nodes.length} node(s) registered; fetched through the proxy: ${[...new Set(fetched)].join(', ')}`;
	});
	if (!okInstall) return;

	await check(line, `installed package: no peer/dev dependency copies, n8n-workflow not reachable from it${tag}`, async () => {
		const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		if (pj.peerDependencies || pj.devDependencies) throw new Error('peer/dev dependencies left in the installed package.json');
		const mods = fs.existsSync(path.join(dir, 'node_modules')) ? fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => !n.startsWith('.')) : [];
		if (mods.length) throw new Error(`the install brought modules along: ${mods.join(', ')}`);
		let resolved = null;
		try {
			resolved = require.resolve('n8n-workflow', { paths: [dir] });
		} catch {
			/* expected */
		}
		if (resolved) throw new Error(`n8n-workflow resolves from the install folder to ${resolved} (must come from n8n only)`);
		if (dir.startsWith(ROOT)) throw new Error('the n8n user folder is inside the repository');
		const others = fs.readdirSync(path.join(nodesDir, 'node_modules')).filter((n) => !n.startsWith('.') && n !== pkg.name);
		if (others.length) throw new Error(`other packages in .n8n/nodes/node_modules: ${others.join(', ')}`);
		const modules = n8nResolves(info, dir);
		return `.n8n/nodes/node_modules/${pkg.name}: ${fs.readdirSync(dir).sort().join(', ')}; nothing else installed; outside the repository; ${modules}`;
	});

	await check(line, `every node and credential of ${pkg.name} is loaded without a restart${tag}`, async () => {
		const all = (t) => pkg.nodes.every((n) => t.nodes.has(n)) && pkg.credentials.every((c) => t.credentials.has(c));
		const types = await loadedTypes(userFolder, all);
		const missing = [...pkg.nodes.filter((t) => !types.nodes.has(t)), ...pkg.credentials.filter((c) => !types.credentials.has(c))];
		if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
		const bad = output()
			.split('\n')
			.filter((l) => l.includes(pkg.name) && /(warn|error|fail|could not|cannot)/i.test(l));
		if (bad.length) throw new Error(`n8n logged: ${bad.slice(0, 3).join(' | ')}`);
		return `${pkg.nodes.map((n) => n.split('.')[1]).join(', ')}; ${pkg.credentials.join(', ')}`;
	});

	for (const wf of examplesFor(pkg)) {
		const single = SINGLE_EXAMPLES[pkg.name];
		const spec = single ?? WORKFLOW_CHECKS[wf.id];
		const before = single ? single.before(sandbox) : spec?.before?.(sandbox, 1);
		await check(line, `example "${wf.name}" runs on the installed package${tag}`, async () => {
			const r = await n8nCommand(info, ['execute', `--id=${wf.id}`, '--rawOutput'], cliEnv, { log, timeoutMs: 180000 });
			if (r.code !== 0) throw new Error(`n8n execute exit ${r.code ?? r.signal}: ${tail(r, 1200)}`);
			const output = parseCliJson(r.stdout);
			if (!output) throw new Error(`no JSON result: ${tail(r, 800)}`);
			const error = output.data?.resultData?.error ?? output.resultData?.error;
			if (error) throw new Error(`workflow error: ${error.message}`);
			if (single) return `n8n ${secs(r.ms)}; ${single.assert(sandbox, itemsOf(output, single.node), before)}`;
			return spec ? `n8n ${secs(r.ms)}; ${spec.assert(sandbox, { run: 1, before, output, credentials })}` : `n8n ${secs(r.ms)}`;
		});
	}

	for (const cred of own) {
		await check(line, `credential Test on the install: ${cred.name} passes, a wrong secret fails${tag}`, async () => {
			const ok = await again(() => rest.testCredential(cred));
			if (ok.status !== 'OK') throw new Error(`expected OK, got HTTP ${ok.httpStatus}: ${ok.status} ${ok.message}`);
			const bad = await again(() => rest.testCredential(wrongSecret(cred)));
			if (bad.status !== 'Error') throw new Error(`wrong secret: expected Error, got HTTP ${bad.httpStatus}: ${bad.status} ${bad.message}`);
			return `OK "${ok.message}"; wrong secret: "${bad.message}"`;
		});
	}
	for (const cred of own.filter((c) => typeof c.data.password === 'string')) {
		await check(line, `credential Test of ${cred.name} after an execution stored a session token: the editor's form with a changed (wrong) password fails${tag}`, async () => staleTokenTest(rest, cred));
	}

	await check(line, `update ${pkg.name} ${pkg.version} → ${newer.version} (PATCH /rest/community-packages)${tag}`, async () => {
		const from = proxy.seen.length;
		const r = await again(() => rest.call('PATCH', '/community-packages', { name: pkg.name, version: newer.version }));
		if (r.status !== 200) throw new Error(`HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
		const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
		if (installed !== newer.version) throw new Error(`installed version is ${installed}`);
		const listed = (await rest.get('/community-packages')).find((p) => p.packageName === pkg.name);
		if (listed?.installedVersion !== newer.version) throw new Error(`n8n lists ${JSON.stringify(listed).slice(0, 300)}`);
		const types = await loadedTypes(userFolder, (t) => pkg.nodes.every((n) => t.nodes.has(n)) && pkg.credentials.every((c) => t.credentials.has(c)));
		const missing = [...pkg.nodes.filter((n) => !types.nodes.has(n)), ...pkg.credentials.filter((c) => !types.credentials.has(c))];
		if (missing.length) throw new Error(`after the update, missing: ${missing.join(', ')}`);
		const [first] = own;
		if (first) {
			const ok = await again(() => rest.testCredential(first));
			if (ok.status !== 'OK') throw new Error(`credential Test after the update: ${ok.status} ${ok.message}`);
		}
		return `${newer.version} on disk and listed, loaded without a restart${first ? `, ${first.name} Test OK` : ''}; fetched: ${[...new Set(proxy.seen.slice(from).filter((s) => s.endsWith('.tgz')))].join(', ')}`;
	});

	await check(line, `uninstall ${pkg.name} (DELETE /rest/community-packages)${tag}`, async () => {
		const r = await again(() => rest.call('DELETE', `/community-packages?name=${encodeURIComponent(pkg.name)}`));
		if (r.status !== 200) throw new Error(`HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
		if (fs.existsSync(dir)) throw new Error(`the folder of ${pkg.name} is still there`);
		const types = await loadedTypes(userFolder, (t) => !pkg.nodes.some((n) => t.nodes.has(n)) && !pkg.credentials.some((c) => t.credentials.has(c)));
		const left = [...pkg.nodes.filter((n) => types.nodes.has(n)), ...pkg.credentials.filter((c) => types.credentials.has(c))];
		if (left.length) throw new Error(`still loaded: ${left.join(', ')}`);
		const listed = await rest.get('/community-packages');
		if (listed.length) throw new Error(`still listed: ${listed.map((p) => p.packageName).join(', ')}`);
		return 'folder removed, nodes and credential types unloaded at once, no package listed';
	});
}

/**
 * Every bare module the installed package requires, resolved the way n8n resolves it (n8n puts the
 * node_modules folders above its own files on NODE_PATH for community packages): each must come
 * from n8n's own install. Those folders reach up to the repository's node_modules when the runtime
 * lives inside it (runtime/n8n<line>), so a module n8n lacks would be found there here and missing
 * for a user — that is a failure.
 */
function n8nResolves(info, dir) {
	const own = fs.realpathSync(path.join(info.dir, 'node_modules'));
	const from = fs.realpathSync(path.join(info.dir, 'node_modules', 'n8n', 'dist'));
	const files = (function walk(d) {
		return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.js') ? [path.join(d, e.name)] : []));
	})(path.join(dir, 'dist'));
	const names = new Set();
	for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) names.add(m[1]);
	const said = [];
	for (const name of [...names].sort()) {
		if (require('module').builtinModules.includes(name.replace(/^node:/, ''))) {
			said.push(`${name} (Node)`);
			continue;
		}
		let resolved;
		try {
			resolved = fs.realpathSync(require.resolve(name, { paths: [from] }));
		} catch {
			throw new Error(`${name} (required by the package) is not in n8n ${info.version}'s install`);
		}
		if (!resolved.startsWith(own + path.sep)) throw new Error(`${name} resolves to ${resolved}, outside n8n's own install (${own})`);
		const root = name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/');
		const at = resolved.lastIndexOf(`${path.sep}node_modules${path.sep}${root.split('/').join(path.sep)}${path.sep}`);
		const pj = at < 0 ? '' : path.join(resolved.slice(0, at), 'node_modules', root, 'package.json');
		said.push(`${name}${pj && fs.existsSync(pj) ? `@${JSON.parse(fs.readFileSync(pj, 'utf8')).version}` : ''} (${path.relative(own, path.dirname(pj || resolved))})`);
	}
	return `modules it requires, as n8n resolves them, all from n8n's own install: ${said.join(', ')}`;
}

/**
 * What the editor sends when a user opens a saved credential, types a wrong password and clicks
 * Test: the stored data as GET /rest/credentials/:id?includeData=true gives it (secrets redacted),
 * with the password changed. After an execution, the stored data holds a session token obtained
 * with the right password: the Test must still fail.
 */
async function staleTokenTest(rest, cred) {
	const stored = await rest.get(`/credentials/${cred.id}?includeData=true`);
	const data = stored.data ?? {};
	const tokenField = Object.keys(data).find((k) => /token/i.test(k) && k !== 'apiToken');
	const hadToken = tokenField !== undefined && data[tokenField] !== '' && data[tokenField] !== undefined;
	const form = { ...data, password: `${cred.data.password}-changed` };
	const r = await again(() => rest.testCredential({ ...cred, data: form }));
	const said = `stored ${tokenField ?? 'token field'}: ${hadToken ? `present (${String(data[tokenField]).slice(0, 14)}…)` : 'empty'}; Test with the changed password → ${r.status} "${r.message}"`;
	if (!hadToken) return `${said} (no stored token to go stale: nothing to show)`;
	if (r.status !== 'Error') throw new Error(`a wrong password passed the Test: ${said}`);
	return said;
}

/**
 * Packs the packages, starts the local registry and publishes two versions of each. Resolves
 * { registry, published, stop() } or undefined when the check failed. stop() also runs at process
 * exit (SIGTERM to Verdaccio is sent synchronously), so a failed run never leaves it behind.
 */
async function publishAll(check, packages) {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rumarket-registry-'));
	let registry;
	const published = {};
	const extra = [];
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		const done = registry?.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
		await done;
	};
	process.once('exit', () => void stop());
	const ok = await check(0, `local registry up (Verdaccio on 127.0.0.1), ${packages.length} package(s) packed and published (2 versions each)`, async () => {
		const v = await registryLib.ensureVerdaccio({ say: (m) => console.log(`      ${m}`) });
		registry = await registryLib.startRegistry(path.join(workDir, 'verdaccio'), { log: path.join(workDir, 'verdaccio.log') });
		const said = [];
		const t = Date.now();
		for (const pkg of packages) {
			const first = await registryLib.pack(pkg.dir, path.join(workDir, 'tarballs'));
			// dist/ only, and no dot-file in it (test/harness/globalSetup.js leaves dist/.built after `npm test`).
			const bad = first.files.filter((f) => !/^(LICENSE|README\.md|package\.json|dist\/.*)$/.test(f) || f.split('/').some((part) => part.startsWith('.')));
			if (bad.length) extra.push(`${pkg.name}: ${bad.join(', ')}`);
			if (pkg.dir === ROOT) await registryLib.publish(first.tarball, registry);
			else await publishHttp(first.tarball, registry);
			const newer = await packNewerVersion(first.tarball, nextPatch(first.version), workDir);
			await publishHttp(newer.tarball, registry);
			published[pkg.name] = { first, newer };
			said.push(`${pkg.name} ${first.version} + ${newer.version} (${first.files.length} files)`);
		}
		return `${registry.url}${v.installMs ? `, Verdaccio installed in ${secs(v.installMs)}` : ''}, started in ${secs(registry.startMs)}; packed + published in ${secs(Date.now() - t)}: ${said.join('; ')}`;
	});
	if (!ok) {
		await stop();
		return undefined;
	}
	await check(0, `each tarball holds only LICENSE, README.md, package.json and dist/ (no dot-file)`, async () => {
		if (extra.length) throw new Error(`more in the tarball: ${extra.join('; ')}`);
		return packages.map((p) => `${p.name} ${published[p.name].first.files.length} files`).join(', ');
	});
	return { registry, published, stop };
}

/** The leg for several lines: one registry, then the line cycle per line. */
async function runLeg(ctx) {
	const { check, lines } = ctx;
	const legStarted = Date.now();
	console.log(`\n===== real install: npm pack → local registry (Verdaccio) → n8n's installer =====`);
	const packages = (ctx.packages ?? [{ dir: ROOT }]).map((p) => ({ ...p, ...declared(p.dir) }));
	const shared = await publishAll(check, packages);
	if (!shared) return;
	try {
		for (const line of lines) {
			let info;
			try {
				info = (await ctx.installs[line]).info;
			} catch (error) {
				await check(line, 'runtime for the real install', async () => {
					throw error;
				});
				continue;
			}
			await lineCycle(ctx, line, info, packages, shared.registry, shared.published);
		}
	} finally {
		await shared.stop();
		console.log(`      real-install leg: ${secs(Date.now() - legStarted)}`);
	}
}

/**
 * The packages `npm run e2e` installs, one after another: the combined package, then the five
 * single-service packages (built now by scripts/build-packages.js from the current dist/).
 * E2E_INSTALL=combined keeps only the first; E2E_INSTALL=0 skips the leg (as E2E_ONLY without `install` does).
 */
function defaultPackages({ combinedOnly = process.env.E2E_INSTALL === 'combined' } = {}) {
	const packages = [{ dir: ROOT }];
	if (combinedOnly) return packages;
	require('child_process').execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-packages.js'), '--no-build'], { cwd: ROOT, stdio: 'pipe' });
	const base = path.join(ROOT, 'build', 'packages');
	return [...packages, ...fs.readdirSync(base).sort().map((n) => ({ dir: path.join(base, n) }))];
}

/** The n8n lines `npm run e2e` will run this leg on (its own reading of --n8n, E2E_LINES, E2E_INSTALL_LINES). */
function legLines() {
	const { lineOf } = require('./runtime');
	const argv = process.argv;
	const lines = (argv.includes('--n8n') ? [argv[argv.indexOf('--n8n') + 1]] : (process.env.E2E_LINES ?? '1,2').split(',')).map(lineOf);
	const only = process.env.E2E_INSTALL_LINES;
	return only ? lines.filter((l) => only.split(',').map((x) => Number(x.trim())).includes(l)) : lines;
}

let sharedRun;

/**
 * The hook scripts/e2e.js calls once per n8n line (legs are discovered by file name): ctx = { line,
 * info, check(name, fn), freePort, … }. The packages are built, packed and published once for all
 * lines; the registry stops after the last line (or at process exit).
 */
async function run(ctx) {
	if (process.env.E2E_INSTALL === '0') return undefined;
	console.log(`\n===== real install: npm pack → local registry (Verdaccio) → n8n's installer =====`);
	const lineStarted = Date.now();
	sharedRun ??= (async () => {
		const packages = defaultPackages().map((p) => ({ ...p, ...declared(p.dir) }));
		return { packages, shared: await publishAll((_line, name, fn) => ctx.check(name, fn), packages) };
	})();
	const { packages, shared } = await sharedRun;
	if (!shared) return undefined;
	try {
		await lineCycle({ check: (_line, name, fn) => ctx.check(name, fn), freePort: ctx.freePort }, ctx.line, ctx.info, packages, shared.registry, shared.published);
	} finally {
		const lines = legLines();
		if (!lines.length || ctx.line === lines[lines.length - 1]) await shared.stop();
		console.log(`      real-install leg on n8n ${ctx.line}.x: ${secs(Date.now() - lineStarted)}`);
	}
	return undefined;
}

module.exports = { run, runLeg, defaultPackages, declared, startNpmjsProxy, n8nResolves, SINGLE_EXAMPLES };

// Standalone: node scripts/lib/e2e-install.js [--n8n 1] [--combined] [--only <name,…>] (after npm run build).
if (require.main === module) {
	const net = require('net');
	const { ensureRuntime, lineOf } = require('./runtime');
	const { buildSandbox } = require('./demo');
	const results = [];
	const check = async (line, name, fn) => {
		const t = Date.now();
		try {
			const detail = await fn();
			console.log(`PASS  ${line ? `[n8n ${line}.x]` : '[setup]'} ${name} (${secs(Date.now() - t)})${detail ? ` — ${detail}` : ''}`);
			results.push(true);
			return true;
		} catch (error) {
			console.log(`FAIL  ${line ? `[n8n ${line}.x]` : '[setup]'} ${name} (${secs(Date.now() - t)}) — ${String(error.message ?? error).replace(/\s+/g, ' ').slice(0, 900)}`);
			results.push(false);
			return false;
		}
	};
	const freePort = () =>
		new Promise((resolve, reject) => {
			const srv = net.createServer();
			srv.once('error', reject);
			srv.listen(0, '127.0.0.1', () => {
				const { port } = srv.address();
				srv.close(() => resolve(port));
			});
		});
	const argv = process.argv.slice(2);
	const lines = (argv.includes('--n8n') ? [argv[argv.indexOf('--n8n') + 1]] : (process.env.E2E_LINES ?? '1,2').split(',')).map(lineOf);
	const installs = Object.fromEntries(lines.map((l) => [l, ensureRuntime(l)]));
	let packages = defaultPackages({ combinedOnly: argv.includes('--combined') });
	if (argv.includes('--only')) {
		const only = argv[argv.indexOf('--only') + 1].split(',');
		packages = packages.filter((p) => only.some((o) => p.dir.endsWith(o) || (o === 'n8n-nodes-rumarket' && p.dir === ROOT)));
	}
	buildSandbox({ say: () => {} });
	runLeg({ check, lines, installs, freePort, packages })
		.then(() => {
			const failed = results.filter((r) => !r).length;
			console.log(`\nreal install: ${results.length - failed} passed, ${failed} failed`);
			process.exit(failed ? 1 : 0);
		})
		.catch((error) => {
			console.error(error);
			process.exit(1);
		});
}
