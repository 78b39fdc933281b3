#!/usr/bin/env node
/*
 * npm run scan — n8n's official community-package scanner (@n8n/scan-community-package, pinned in
 * devDependencies), run as it runs for verification, on local folders instead of the npm registry:
 * its own `analyzePackage` with its own ESLint configuration and inline `eslint-disable` comments
 * ignored (allowInlineConfig: false), on
 *   1. the source: package.json + nodes/ + credentials/ (the scanner's SOURCE_FILE_PATTERNS), and
 *   2. the packed tarball (`npm pack`, unpacked): every .js file and the published package.json,
 * for the combined package and, with --packages, for every single-service package built by
 * `npm run build:packages` (build/packages/<name>/ with its own source/ copy).
 * The registry-only parts of the CLI (provenance attestation, source download from GitHub) need a
 * published version and are left to the publish workflow; everything it lints is linted here.
 * Usage: node scripts/scan.mjs [--packages]
 * Exits 1 when any leg reports a problem.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { createRequire } from 'module';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'package.json'));

async function loadScanner() {
	const dir = process.env.SCANNER_DIR
		? path.join(process.env.SCANNER_DIR, 'node_modules', '@n8n', 'scan-community-package')
		: path.dirname(require.resolve('@n8n/scan-community-package/package.json'));
	const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
	const mod = await import(pathToFileURL(path.join(dir, 'scanner', 'scanner.mjs')).href);
	return { ...mod, version };
}

/** Problems counted from the stylish report ("✖ 7 problems (7 errors, 0 warnings)"). */
function count(result) {
	if (result.passed) return 0;
	const m = /✖ (\d+) problems?/.exec(result.details ?? '');
	return m ? Number(m[1]) : 1;
}

/** `npm pack` of a package directory into a temp folder, unpacked; returns {dir, files}. */
function packAndUnpack(packageDir) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rumarket-scan-'));
	const json = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
		cwd: packageDir,
		encoding: 'utf8',
		env: { ...process.env, npm_config_loglevel: 'error' },
	});
	const [info] = JSON.parse(json);
	const unpacked = path.join(out, 'package');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', path.join(out, info.filename), '-C', unpacked, '--strip-components=1']);
	return { dir: unpacked, tarball: path.join(out, info.filename), files: info.files.map((f) => f.path), root: out };
}

async function scanOne(scanner, label, packageDir, sourceDir) {
	const rows = [];
	const source = await scanner.analyzePackage(sourceDir, scanner.SOURCE_FILE_PATTERNS);
	rows.push({ label, leg: 'source', problems: count(source), result: source });
	const packed = packAndUnpack(packageDir);
	try {
		const dist = await scanner.analyzePackage(packed.dir, ['**/*.js', 'package.json']);
		rows.push({ label, leg: `tarball (${packed.files.length} files)`, problems: count(dist), result: dist });
	} finally {
		fs.rmSync(packed.root, { recursive: true, force: true });
	}
	return rows;
}

async function main() {
	const args = process.argv.slice(2);
	const scanner = await loadScanner();
	const targets = [];
	targets.push({ label: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name, dir: ROOT, source: ROOT });
	if (args.includes('--packages')) {
		const base = path.join(ROOT, 'build', 'packages');
		if (!fs.existsSync(base)) throw new Error('build/packages/ is missing: run `npm run build:packages` first');
		for (const name of fs.readdirSync(base).sort()) targets.push({ label: name, dir: path.join(base, name), source: path.join(base, name, 'source') });
	}
	console.log(`@n8n/scan-community-package ${scanner.version}: analyzePackage on the source (${scanner.SOURCE_FILE_PATTERNS.join(', ')}) and on the packed tarball (**/*.js, package.json); inline eslint-disable ignored`);
	const rows = [];
	for (const t of targets) rows.push(...(await scanOne(scanner, t.label, t.dir, t.source)));
	for (const r of rows) {
		console.log(`${r.problems === 0 ? 'PASS' : 'FAIL'}  ${r.label} — ${r.leg}: ${r.problems} problem(s)`);
		if (r.problems) console.log(r.result.details ?? r.result.message);
	}
	const total = rows.reduce((n, r) => n + r.problems, 0);
	console.log(`scan: ${total} problem(s) in ${rows.length} leg(s)`);
	process.exit(total ? 1 : 0);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
