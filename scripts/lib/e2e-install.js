/*
 * e2e leg "real install": the package as a user gets it. `npm pack` → a real npm registry on
 * 127.0.0.1 (Verdaccio, scripts/lib/registry.js) → n8n's community-package installer → the examples
 * and credential Tests on that install → update to a newer version → uninstall; on n8n 1.x and 2.x.
 *
 * n8n's installer (packages/cli/src/modules/community-packages/community-packages.service.ts) is
 * asked first, through its REST endpoint (POST /rest/community-packages after owner setup), with
 * N8N_COMMUNITY_PACKAGES_REGISTRY pointing at the local registry. n8n 1.123 and 2.41 refuse any
 * registry but registry.npmjs.org without an enterprise license (getNpmRegistry() throws
 * FeatureNotLicensedError) — the leg checks that it is that refusal and nothing else, then performs
 * the installer's own steps exactly, in the order downloadPackage() does them:
 *   npm pack <pkg>@<version> --registry=<local> --quiet          (in <user>/.n8n/nodes)
 *   tar -xzf <tarball> -C node_modules/<pkg> --strip-components=1
 *   drop devDependencies, peerDependencies, optionalDependencies from its package.json
 *   npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *               --ignore-scripts=true --package-lock=false --registry=<local>   (in the package folder)
 *   dependencies[<pkg>] = <version> in <user>/.n8n/nodes/package.json; remove the tarball
 * and, where the service loads the package in-process, restarts n8n (which loads every package in
 * <user>/.n8n/nodes/node_modules at start). Update = the same steps with the newer version;
 * uninstall = deletePackageDirectory() (+ the dependency entry), then a restart. Every output line
 * says which path was used. If an n8n version accepts the registry, its REST endpoints are used for
 * install, update (PATCH) and uninstall (DELETE) instead.
 *
 * The n8n user folder lives in the OS temp folder: nothing of the repository (its node_modules
 * above all) is on the module path of that n8n; `n8n-workflow` must resolve from n8n's own install.
 *
 * run(ctx) is the per-line hook of scripts/e2e.js (E2E_ONLY=install picks this leg alone);
 * runLeg({ lines, check(line, name, fn), installs: {line: Promise<{info}>}, freePort(), groups }) runs
 * it for several lines; each group is installed into one fresh n8n.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');

const { ROOT, n8nEnv, n8nCommand, startServer, parseCliJson } = require('./runtime');
const { N8nRest, DEMO_OWNER, exampleWorkflows, importAll, tail } = require('./n8n-setup');
const { createDemoSandbox, sandboxCredentials } = require('./demo');
const { WORKFLOW_CHECKS } = require('./e2e-checks');
const registryLib = require('./registry');

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const NPM_INSTALL_ARGS = ['--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'];

function exec(cmd, args, { cwd, env }) {
	return new Promise((resolve, reject) => {
		execFile(cmd, args, { cwd, env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`${cmd} ${args.slice(0, 2).join(' ')} failed: ${String(stderr || stdout).trim().slice(-1200)}`));
			else resolve({ stdout, stderr });
		});
	});
}

/** Node and credential type names a package declares (loaded from its dist/). */
function declared(dir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const load = (file) => {
		const mod = require(path.join(dir, file));
		return new (Object.values(mod).find((v) => typeof v === 'function'))();
	};
	const nodes = (pkg.n8n?.nodes ?? []).map((f) => {
		const inst = load(f);
		return `${pkg.name}.${(inst.description ?? inst.nodeVersions?.[inst.currentVersion]?.description).name}`;
	});
	const credentials = (pkg.n8n?.credentials ?? []).map((f) => load(f).name);
	return { name: pkg.name, version: pkg.version, nodes, credentials };
}

/** The next patch version: what the update step publishes and installs. */
function nextPatch(version) {
	const [major, minor, patch] = version.split('-')[0].split('.').map(Number);
	return `${major}.${minor}.${patch + 1}`;
}

/** A copy of the packed package with another version, packed again (the "newer release"). */
async function packNewerVersion(tarball, version, workDir) {
	const dir = path.join(workDir, `repack-${version}`);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	await exec('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { cwd: workDir, env: process.env });
	const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	pj.version = version;
	fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pj, null, 2)}\n`);
	return await registryLib.pack(dir, path.join(workDir, 'tarballs'));
}

/** The installer's downloadPackage() steps, exactly (see the header). */
async function installerSteps(nodesDir, name, version, registryUrl, env) {
	const packageDir = path.join(nodesDir, 'node_modules', name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	const { stdout } = await exec('npm', ['pack', `${name}@${version}`, `--registry=${registryUrl}`, '--quiet'], { cwd: nodesDir, env });
	const tarballName = stdout.trim().split('\n').pop();
	try {
		await exec('tar', ['-xzf', tarballName, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir, env });
		const pjPath = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...pj } = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
		fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2), 'utf8');
		await exec('npm', ['install', ...NPM_INSTALL_ARGS, `--registry=${registryUrl}`], { cwd: packageDir, env });
		const rootPj = path.join(nodesDir, 'package.json');
		const root = JSON.parse(fs.readFileSync(rootPj, 'utf8'));
		root.dependencies = { ...(root.dependencies ?? {}), [name]: pj.version };
		fs.writeFileSync(rootPj, JSON.stringify(root, null, 2), 'utf8');
	} finally {
		fs.rmSync(path.join(nodesDir, tarballName), { force: true });
	}
	return packageDir;
}

/** The installer's uninstall: deletePackageDirectory() (and the dependency entry). */
function uninstallSteps(nodesDir, name) {
	fs.rmSync(path.join(nodesDir, 'node_modules', name), { recursive: true, force: true });
	const rootPj = path.join(nodesDir, 'package.json');
	const root = JSON.parse(fs.readFileSync(rootPj, 'utf8'));
	delete root.dependencies?.[name];
	fs.writeFileSync(rootPj, JSON.stringify(root, null, 2), 'utf8');
}

function loadedTypes(userFolder) {
	const dir = path.join(userFolder, '.cache', 'n8n', 'public', 'types');
	const read = (f) => new Set(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).map((t) => t.name));
	return { nodes: read('nodes.json'), credentials: read('credentials.json') };
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

/**
 * The examples a group of installed packages can run: those whose every rumarket node is in one of
 * them, with each node type renamed to the package that provides it (n8n-nodes-rumarket.neiros →
 * n8n-nodes-neiros.neiros when the single-service packages are installed).
 */
function examplesFor(group) {
	const owner = new Map();
	for (const pkg of group) for (const t of pkg.nodes) owner.set(t.split('.').slice(1).join('.'), pkg.name);
	const shortOf = (type) => type.split('.').slice(1).join('.');
	const ours = (type) => /^n8n-nodes-rumarket\./.test(type);
	return exampleWorkflows()
		.filter((wf) => wf.nodes.every((n) => !ours(n.type) || owner.has(shortOf(n.type))))
		.map((wf) => ({ ...wf, nodes: wf.nodes.map((n) => (ours(n.type) ? { ...n, type: `${owner.get(shortOf(n.type))}.${shortOf(n.type)}` } : n)) }));
}

async function installCycle(ctx, line, info, group, registry, published) {
	const { check } = ctx;
	const names = group.map((p) => p.name).join(' + ');
	const tag = group.length === 1 && group[0].name === 'n8n-nodes-rumarket' ? '' : ` [${group.map((p) => p.name.replace(/^n8n-nodes-/, '')).join(', ')}]`;
	const allNodes = group.flatMap((p) => p.nodes);
	const allCreds = group.flatMap((p) => p.credentials);
	const base = fs.mkdtempSync(path.join(os.tmpdir(), `rumarket-install-n8n${line}-`));
	const userFolder = path.join(base, 'user');
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const log = path.join(base, 'n8n.log');
	const { freePort } = ctx;
	const port = await freePort();
	const env = n8nEnv(info, {
		userFolder,
		port,
		brokerPort: await freePort(),
		encryptionKey: `rumarket-install-${process.pid}`,
		extra: { N8N_COMMUNITY_PACKAGES_ENABLED: 'true', N8N_UNVERIFIED_PACKAGES_ENABLED: 'true', N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url },
	});
	// npm for the installer's steps: this machine's npm, with none of the repository's npm settings.
	const npmEnv = { ...registryLib.cleanNpmEnv(), PATH: env.PATH, npm_config_userconfig: registry.userconfig };
	const { sandbox, mod } = createDemoSandbox();
	await sandbox.start(0);
	const credentials = sandboxCredentials(sandbox, mod).filter((c) => allCreds.includes(c.type));
	let server;
	let path_ = 'n8n REST installer';
	const started = Date.now();
	const stop = async () => {
		if (server) await server.stop();
		server = undefined;
	};
	const start = async () => {
		server = await startServer(info, env, { log, timeoutMs: 240000 });
		const rest = new N8nRest(server.base);
		// n8n 1.x can answer 503 "Database is not ready!" for a moment after "Editor is now accessible".
		for (let attempt = 0; ; attempt++) {
			try {
				await rest.ownerLogin(DEMO_OWNER);
				return rest;
			} catch (error) {
				if (attempt >= 30 || !/not ready|503/.test(String(error.message))) throw error;
				await new Promise((r) => setTimeout(r, 1000));
			}
		}
	};
	try {
		let rest;
		const okInstall = await check(line, `install ${group.map((p) => `${p.name}@${p.version}`).join(' + ')} from the local registry${tag}`, async () => {
			rest = await start();
			const said = [];
			for (const pkg of group) {
				if (path_.startsWith('n8n REST')) {
					const r = await rest.call('POST', '/community-packages', { name: pkg.name, version: pkg.version });
					if (r.status === 200) {
						said.push(`${pkg.name}: n8n's installer (POST /rest/community-packages)`);
						continue;
					}
					const text = JSON.stringify(r.body);
					if (!/licen[cs]e|custom.*registry|not licensed/i.test(text)) throw new Error(`n8n's installer failed for another reason than the registry license: HTTP ${r.status} ${text.slice(0, 500)}`);
					path_ = "the installer's own steps (n8n refused the local registry)";
					await stop();
					rest = undefined;
					said.push(`n8n ${info.version} refused the registry (HTTP ${r.status}: ${String(r.body?.message ?? text).replace(/\s+/g, ' ').slice(0, 170)})`);
				}
				const dir = await installerSteps(nodesDir, pkg.name, pkg.version, registry.url, npmEnv);
				said.push(`installer's steps: npm pack ${pkg.name}@${pkg.version} from ${registry.url}, peer/dev/optional dependencies stripped, npm install --ignore-scripts in ${path.relative(userFolder, dir)}`);
			}
			return `${said.join('; ')} — ${secs(Date.now() - started)}`;
		});
		if (!okInstall) return;

		await check(line, `installed package: no peer/dev dependency copies, n8n-workflow not reachable from it${tag}`, async () => {
			for (const pkg of group) {
				const dir = path.join(nodesDir, 'node_modules', pkg.name);
				const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
				if (pj.peerDependencies || pj.devDependencies) throw new Error('peer/dev dependencies left in the installed package.json');
				const own = fs.existsSync(path.join(dir, 'node_modules')) ? fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => !n.startsWith('.')) : [];
				if (own.length) throw new Error(`the install brought modules along: ${own.join(', ')}`);
				let resolved = null;
				try {
					resolved = require.resolve('n8n-workflow', { paths: [dir] });
				} catch {
					/* expected */
				}
				if (resolved) throw new Error(`n8n-workflow resolves from the install folder to ${resolved} (must come from n8n only)`);
				if (dir.startsWith(ROOT)) throw new Error('the n8n user folder is inside the repository');
			}
			return `${group.length} package folder(s) under .n8n/nodes/node_modules: dist + package.json, no node_modules; outside the repository`;
		});

		// Headless runs of the examples (n8n CLI), before the server starts (one sqlite writer).
		const workflows = examplesFor(group);
		if (workflows.length && credentials.length) {
			const okImport = await check(line, `import ${credentials.length} credentials + ${workflows.length} example workflows into the installed n8n${tag}`, async () => {
				const r = await importAll(info, env, { credentials, workflows, workDir: path.join(base, 'import'), log });
				return `credentials ${secs(r.credentials.ms)}, workflows ${secs(r.workflows?.ms ?? 0)}`;
			});
			const cliEnv = info.line === 2 ? { ...env, N8N_EXPRESSION_ENGINE: 'legacy' } : env;
			for (const wf of okImport ? workflows : []) {
				const spec = WORKFLOW_CHECKS[wf.id];
				const beforeState = spec?.before?.(sandbox, 1);
				await check(line, `example "${wf.name}" runs on the installed package${tag}`, async () => {
					const r = await n8nCommand(info, ['execute', `--id=${wf.id}`, '--rawOutput'], cliEnv, { log, timeoutMs: 180000 });
					if (r.code !== 0) throw new Error(`n8n execute exit ${r.code ?? r.signal}: ${tail(r, 1200)}`);
					const output = parseCliJson(r.stdout);
					if (!output) throw new Error(`no JSON result: ${tail(r, 800)}`);
					const error = output.data?.resultData?.error ?? output.resultData?.error;
					if (error) throw new Error(`workflow error: ${error.message}`);
					return spec ? `n8n ${secs(r.ms)}; ${spec.assert(sandbox, { run: 1, before: beforeState, output, credentials })}` : `n8n ${secs(r.ms)}`;
				});
			}
		} else {
			await check(line, `examples for ${names}${tag}`, async () => 'no example uses only these packages\' nodes (the examples are cross-service)');
		}

		if (!rest) {
			await check(line, `n8n restarts and loads the installed package${tag}`, async () => {
				rest = await start();
				return `ready in ${secs(server.startMs)}`;
			});
		}
		if (!rest) return;
		await check(line, `every node and credential of the installed ${names} is loaded${tag}`, async () => {
			const types = loadedTypes(userFolder);
			const missing = [...allNodes.filter((t) => !types.nodes.has(t)), ...allCreds.filter((c) => !types.credentials.has(c))];
			if (missing.length) throw new Error(`missing: ${missing.join(', ')}`);
			const bad = server
				.output()
				.split('\n')
				.filter((l) => group.some((p) => l.includes(p.name)) && /(warn|error|fail|could not|cannot)/i.test(l));
			if (bad.length) throw new Error(`n8n logged: ${bad.slice(0, 3).join(' | ')}`);
			return `${allNodes.length} nodes, ${allCreds.length} credentials`;
		});
		for (const cred of credentials) {
			await check(line, `credential Test on the install: ${cred.name} passes, a wrong secret fails${tag}`, async () => {
				const ok = await again(() => rest.testCredential(cred));
				if (ok.status !== 'OK') throw new Error(`expected OK, got HTTP ${ok.httpStatus}: ${ok.status} ${ok.message}`);
				const bad = await again(() => rest.testCredential(wrongSecret(cred)));
				if (bad.status !== 'Error') throw new Error(`wrong secret: expected Error, got HTTP ${bad.httpStatus}: ${bad.status} ${bad.message}`);
				return `OK "${ok.message}"; wrong secret: "${bad.message}"`;
			});
		}

		// Update to a newer version published to the same registry.
		await check(line, `update ${group.map((p) => `${p.name} ${p.version} → ${published[p.name].newer.version}`).join(', ')}${tag}`, async () => {
			const t = Date.now();
			if (!path_.startsWith('n8n REST')) await stop();
			for (const pkg of group) {
				const newer = published[pkg.name].newer;
				if (path_.startsWith('n8n REST')) {
					const r = await rest.call('PATCH', '/community-packages', { name: pkg.name, version: newer.version });
					if (r.status !== 200) throw new Error(`PATCH /rest/community-packages: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
				} else {
					await installerSteps(nodesDir, pkg.name, newer.version, registry.url, npmEnv);
				}
			}
			if (!path_.startsWith('n8n REST')) rest = await start();
			for (const pkg of group) {
				const installed = JSON.parse(fs.readFileSync(path.join(nodesDir, 'node_modules', pkg.name, 'package.json'), 'utf8')).version;
				if (installed !== published[pkg.name].newer.version) throw new Error(`${pkg.name}: installed version is ${installed}`);
			}
			const types = loadedTypes(userFolder);
			const missing = allNodes.filter((n) => !types.nodes.has(n));
			if (missing.length) throw new Error(`after the update, missing: ${missing.join(', ')}`);
			const [first] = credentials;
			if (first) {
				const ok = await rest.testCredential(first);
				if (ok.status !== 'OK') throw new Error(`credential Test after the update: ${ok.status} ${ok.message}`);
			}
			return `${path_}; newer versions installed and loaded${first ? `, ${first.name} Test OK` : ''} — ${secs(Date.now() - t)}`;
		});

		await check(line, `uninstall ${names}${tag}`, async () => {
			const t = Date.now();
			for (const pkg of group) {
				if (path_.startsWith('n8n REST')) {
					const r = await rest.call('DELETE', `/community-packages?name=${encodeURIComponent(pkg.name)}`);
					if (r.status !== 200) throw new Error(`DELETE /rest/community-packages: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 400)}`);
				} else {
					await stop();
					uninstallSteps(nodesDir, pkg.name);
				}
			}
			await stop();
			rest = await start();
			const types = loadedTypes(userFolder);
			const left = [...allNodes.filter((n) => types.nodes.has(n)), ...allCreds.filter((c) => types.credentials.has(c))];
			if (left.length) throw new Error(`still loaded after uninstall: ${left.join(', ')}`);
			for (const pkg of group) if (fs.existsSync(path.join(nodesDir, 'node_modules', pkg.name))) throw new Error(`the folder of ${pkg.name} is still there`);
			return `${path_}; no node or credential left after a restart — ${secs(Date.now() - t)}`;
		});
	} finally {
		await stop();
		await sandbox.stop();
		console.log(`      [n8n ${line}.x] real-install cycle of ${names}: ${secs(Date.now() - started)} (${path_})`);
		if (!process.env.KEEP_E2E) fs.rmSync(base, { recursive: true, force: true });
		else console.log(`      kept: ${base}`);
	}
}

/** The leg: pack, start the registry, publish two versions, run the install cycle per line and group. */
async function runLeg(ctx) {
	const { check, lines } = ctx;
	const legStarted = Date.now();
	console.log('\n===== real install: npm pack → local registry (Verdaccio) → n8n installer =====');
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rumarket-registry-'));
	// Groups installed into one n8n each: the combined package alone; the single-service packages
	// together (their credential types do not overlap; each overlaps the combined package's).
	const groups = (ctx.groups ?? [[{ dir: ROOT }]]).map((g) => g.map((p) => ({ ...p, ...declared(p.dir) })));
	const packages = groups.flat();
	let registry;
	const published = {};
	const ok = await check(0, `local registry up (Verdaccio on 127.0.0.1), ${packages.length} package(s) packed and published (2 versions each)`, async () => {
		const v = await registryLib.ensureVerdaccio({ say: (m) => console.log(`      ${m}`) });
		registry = await registryLib.startRegistry(path.join(workDir, 'verdaccio'), { log: path.join(workDir, 'verdaccio.log') });
		const said = [];
		for (const pkg of packages) {
			const first = await registryLib.pack(pkg.dir, path.join(workDir, 'tarballs'));
			const bad = first.files.filter((f) => !/^(LICENSE|README\.md|package\.json|dist\/.*)$/.test(f));
			if (bad.length) throw new Error(`${pkg.name}: the tarball holds more than LICENSE, README.md, package.json, dist/: ${bad.join(', ')}`);
			await registryLib.publish(first.tarball, registry);
			const newer = await packNewerVersion(first.tarball, nextPatch(first.version), workDir);
			await registryLib.publish(newer.tarball, registry);
			published[pkg.name] = { first, newer };
			said.push(`${pkg.name} ${first.version} + ${newer.version} (${first.files.length} files)`);
		}
		return `${registry.url}${v.installMs ? `, Verdaccio installed in ${secs(v.installMs)}` : ''}, started in ${secs(registry.startMs)}; ${said.join('; ')}`;
	});
	try {
		if (!ok) return;
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
			for (const group of groups) await installCycle(ctx, line, info, group, registry, published);
		}
	} finally {
		await registry?.stop();
		fs.rmSync(workDir, { recursive: true, force: true });
		console.log(`      real-install leg: ${secs(Date.now() - legStarted)}`);
	}
}

/**
 * The groups `npm run e2e` installs: the combined package, then the five single-service packages
 * together (built now by scripts/build-packages.js from the current dist/). E2E_INSTALL=combined
 * keeps only the first; E2E_INSTALL=0 skips the leg (as E2E_ONLY without `install` does).
 */
function defaultGroups() {
	const groups = [[{ dir: ROOT }]];
	if (process.env.E2E_INSTALL === 'combined') return groups;
	require('child_process').execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-packages.js'), '--no-build'], { cwd: ROOT, stdio: 'pipe' });
	const base = path.join(ROOT, 'build', 'packages');
	groups.push(fs.readdirSync(base).sort().map((n) => ({ dir: path.join(base, n) })));
	return groups;
}

/**
 * The hook scripts/e2e.js calls once per n8n line (legs are discovered by file name): ctx = { line,
 * info, check(name, fn), freePort, … }. The registry is started and the packages published per line.
 */
async function run(ctx) {
	if (process.env.E2E_INSTALL === '0') return undefined;
	return await runLeg({
		lines: [ctx.line],
		check: (_line, name, fn) => ctx.check(name, fn),
		installs: { [ctx.line]: Promise.resolve({ info: ctx.info }) },
		freePort: ctx.freePort,
		groups: defaultGroups(),
	});
}

module.exports = { run, runLeg, defaultGroups, installerSteps, declared };

// Standalone: node scripts/lib/e2e-install.js [--n8n 1] [--packages [--only-packages]] (after npm run build).
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
	let groups;
	if (argv.includes('--packages')) {
		const baseDir = path.join(ROOT, 'build', 'packages');
		const singles = fs.readdirSync(baseDir).sort().map((n) => ({ dir: path.join(baseDir, n) }));
		groups = argv.includes('--only-packages') ? [singles] : [[{ dir: ROOT }], singles];
	}
	buildSandbox({ say: () => {} });
	runLeg({ check, lines, installs, freePort, groups })
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
