#!/usr/bin/env node
/*
 * npm run build:packages — one standalone n8n community package per service, built from this
 * repository (n8n verifies exactly one service per package). For each service, build/packages/<name>/
 * holds what `npm pack` ships — package.json (its own name, n8n section, the same peer dependency and
 * publish guard), LICENSE, README.md (the service's README section + the shared sections) and dist/
 * (its node, trigger, credential, icons and the shared engine, compiled by `npm run build`) — plus
 * source/ (package.json + its TypeScript nodes/ and credentials/, never packed) for the scanner's
 * source leg. The combined package n8n-nodes-rumarket stays the default; a single-service package
 * and the combined one declare the same credential type names, which n8n keeps global: install one
 * or the other, never both.
 * Usage: node scripts/build-packages.js [--no-build]
 */
'use strict';

const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'build', 'packages');

/** The services: folder under nodes/, credential class, icon prefix, README heading, package name. */
const SERVICES = [
	{ folder: 'IqmTech', credential: 'IqmTechApi', icon: 'iqmtech', title: 'IQM Tech', name: 'n8n-nodes-iqm-tech', about: 'visit and lead sync', keywords: ['iqm tech'] },
	{ folder: 'SynergyCrm', credential: 'SynergyCrmApi', icon: 'synergycrm', title: 'Synergy CRM', name: 'n8n-nodes-synergy-crm', about: 'JSON:API CRM', keywords: ['synergy crm'] },
	{ folder: 'Neiros', credential: 'NeirosApi', icon: 'neiros', title: 'Neiros', name: 'n8n-nodes-neiros', about: 'call tracking and end-to-end analytics', keywords: ['neiros'] },
	{ folder: 'TrackingBot', credential: 'TrackingBotApi', icon: 'trackingbot', title: 'Tracking Bot', name: 'n8n-nodes-tracking-bot', about: 'Telegram cargo-tracking bots', keywords: ['tracking bot'] },
	{ folder: 'Loymax', credential: 'LoymaxApi', icon: 'loymax', title: 'Loymax', name: 'n8n-nodes-loymax', about: 'loyalty platform and CDP', keywords: ['loymax'] },
];

function copy(from, to, filter = () => true) {
	// No build info and no dot-file (test/harness/globalSetup.js writes dist/.built): never shipped.
	fs.cpSync(from, to, { recursive: true, filter: (src) => !/\.tsbuildinfo$/.test(src) && !path.basename(src).startsWith('.') && filter(src) });
}

/** README sections by their `## ` heading. */
function readmeSections() {
	const text = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const sections = new Map();
	let current = '';
	for (const line of text.split('\n')) {
		const m = /^## (.+)$/.exec(line);
		if (m) current = m[1].trim();
		if (!sections.has(current)) sections.set(current, []);
		sections.get(current).push(line);
	}
	return new Map([...sections].map(([k, v]) => [k, v.join('\n').trim()]));
}

function readme(service, root, sections) {
	const own = sections.get(service.title) ?? `## ${service.title}`;
	const common = ['Common options (every action node)', 'Triggers'].map((h) => sections.get(h)).filter(Boolean);
	return `# ${service.name}

n8n community node for **${service.title}** (${service.about}): one service of
[${root.name}](${root.homepage}), built from the same source and released with the same version.

## Install

In n8n: **Settings → Community Nodes → Install** and enter \`${service.name}\`.

**${service.name} or ${root.name} — not both.** \`${root.name}\` holds all five services;
\`${service.name}\` holds only ${service.title}. Both declare the credential type
\`${service.credential.charAt(0).toLowerCase()}${service.credential.slice(1)}\`, and n8n keeps credential type names global, so
installing both makes one shadow the other. To switch, uninstall one, then install the other: saved
credentials keep working (same type name and fields), while workflows must have their ${service.title}
nodes re-selected (node type names start with the package name).

${own}

${common.join('\n\n')}
`;
}

function packageJson(root, service, nodeFiles) {
	const creds = `dist/credentials/${service.credential}.credentials.js`;
	return {
		name: service.name,
		version: root.version,
		description: `n8n node for ${service.title} (${service.about}); one service of ${root.name}`,
		keywords: ['n8n-community-node-package', 'n8n', ...service.keywords],
		license: root.license,
		homepage: root.homepage,
		author: root.author,
		repository: root.repository,
		engines: root.engines,
		files: root.files,
		n8n: { n8nNodesApiVersion: root.n8n.n8nNodesApiVersion, credentials: [creds], nodes: nodeFiles },
		peerDependencies: root.peerDependencies,
		publishConfig: root.publishConfig,
	};
}

function main() {
	if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
	const root = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const sections = readmeSections();
	fs.rmSync(OUT, { recursive: true, force: true });
	const made = [];
	for (const service of SERVICES) {
		const dir = path.join(OUT, service.name);
		const nodeFiles = root.n8n.nodes.filter((f) => f.startsWith(`dist/nodes/${service.folder}/`));
		if (!nodeFiles.length) throw new Error(`no node of ${service.folder} in package.json`);
		const pj = packageJson(root, service, nodeFiles);
		// What npm packs.
		copy(path.join(ROOT, 'dist', 'nodes', service.folder), path.join(dir, 'dist', 'nodes', service.folder));
		copy(path.join(ROOT, 'dist', 'nodes', 'shared'), path.join(dir, 'dist', 'nodes', 'shared'));
		// The service's credential, and the credentials' shared helpers (login.ts: files without `.credentials.`).
		const credentialFile = (f) => f.startsWith(`${service.credential}.credentials.`) || !f.includes('.credentials.');
		for (const f of fs.readdirSync(path.join(ROOT, 'dist', 'credentials')).filter(credentialFile)) {
			copy(path.join(ROOT, 'dist', 'credentials', f), path.join(dir, 'dist', 'credentials', f));
		}
		for (const f of fs.readdirSync(path.join(ROOT, 'dist', 'icons')).filter((f) => f.startsWith(`${service.icon}.`))) {
			copy(path.join(ROOT, 'dist', 'icons', f), path.join(dir, 'dist', 'icons', f));
		}
		fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pj, null, 2)}\n`);
		fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(dir, 'LICENSE'));
		fs.writeFileSync(path.join(dir, 'README.md'), readme(service, root, sections));
		// The scanner's source leg: the package.json and the TypeScript it is built from.
		const src = path.join(dir, 'source');
		copy(path.join(ROOT, 'nodes', service.folder), path.join(src, 'nodes', service.folder));
		copy(path.join(ROOT, 'nodes', 'shared'), path.join(src, 'nodes', 'shared'));
		for (const f of fs.readdirSync(path.join(ROOT, 'credentials')).filter(credentialFile)) {
			copy(path.join(ROOT, 'credentials', f), path.join(src, 'credentials', f));
		}
		copy(path.join(ROOT, 'icons'), path.join(src, 'icons'), (p) => fs.statSync(p).isDirectory() || path.basename(p).startsWith(`${service.icon}.`));
		fs.writeFileSync(path.join(src, 'package.json'), `${JSON.stringify(pj, null, 2)}\n`);
		// Every file the package declares is there, and no import leaves the package.
		for (const f of [...pj.n8n.nodes, ...pj.n8n.credentials]) if (!fs.existsSync(path.join(dir, f))) throw new Error(`${service.name}: ${f} missing`);
		for (const file of walk(path.join(dir, 'dist')).filter((f) => f.endsWith('.js'))) {
			const text = fs.readFileSync(file, 'utf8');
			for (const m of text.matchAll(/require\("(\.[^"]+)"\)/g)) {
				const target = path.resolve(path.dirname(file), m[1]);
				if (!['.js', '/index.js', ''].some((ext) => fs.existsSync(target + ext) && fs.statSync(target + ext).isFile())) {
					throw new Error(`${service.name}: ${path.relative(dir, file)} requires ${m[1]}, which is not in the package`);
				}
			}
		}
		made.push(`${service.name} (${nodeFiles.length} node(s), 1 credential)`);
	}
	console.log(`build/packages: ${made.join(', ')}`);
}

function walk(dir) {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

main();
