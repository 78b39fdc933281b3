/**
 * One n8n for both sides of every comparison. The baseline (n8n's own HTTP Request node, from
 * n8n-nodes-base) and this package's nodes must run inside the same n8n-core, with the same
 * n8n-workflow module instance (two copies break `instanceof NodeApiError` and friends). We use the
 * n8n that `runtime/n8n1` pins (n8n 1.123.81: its n8n-core, n8n-workflow and n8n-nodes-base), and
 * make every `require('n8n-workflow' | 'n8n-core' | '@n8n/di')` made from outside that tree resolve
 * into it, which is what happens when n8n loads a community package (peer dependency).
 * Import this module before anything that imports n8n.
 */
import fs from 'fs';
import Module from 'module';
import path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

function candidates(): string[] {
	const fromEnv = process.env.BENCH_N8N_MODULES;
	return [
		...(fromEnv ? [path.resolve(fromEnv)] : []),
		path.join(ROOT, 'runtime', 'n8n1', 'node_modules'),
		path.join(ROOT, 'bench', 'node_modules'),
	];
}

/**
 * The node_modules folder holding n8n-nodes-base (and the n8n-core every side runs in); the
 * root's node_modules (n8n-core only, no baseline) when none is installed.
 */
export const N8N_MODULES = (() => {
	for (const dir of candidates()) if (fs.existsSync(path.join(dir, 'n8n-nodes-base', 'package.json'))) return dir;
	return path.join(ROOT, 'node_modules');
})();

export const HAS_BASELINE = fs.existsSync(path.join(N8N_MODULES, 'n8n-nodes-base', 'package.json'));

const SHARED = new Set(['n8n-workflow', 'n8n-core', '@n8n/di']);

function packageOf(request: string): string {
	if (request.startsWith('.') || path.isAbsolute(request)) return '';
	const parts = request.split('/');
	return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Resolve the shared packages from N8N_MODULES, wherever the request comes from. */
function hasOwn(pkg: string): boolean {
	return fs.existsSync(path.join(N8N_MODULES, pkg, 'package.json'));
}

type Resolve = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
const anchor = [path.dirname(N8N_MODULES)];
// n8n-core comes from the root when the n8n tree is bench/node_modules (n8n-nodes-base alone).
const redirected = new Set([...SHARED].filter(hasOwn));
mod._resolveFilename = function (request, parent, isMain, options) {
	const pkg = packageOf(request);
	if (redirected.has(pkg) && !(parent?.filename ?? '').startsWith(N8N_MODULES + path.sep)) {
		return original.call(this, request, parent, isMain, { paths: anchor });
	}
	return original.call(this, request, parent, isMain, options);
};

export function versions(): Record<string, string> {
	const read = (pkg: string) => {
		try {
			return (require(require.resolve(`${pkg}/package.json`, { paths: anchor })) as { version: string }).version;
		} catch {
			return 'n/a';
		}
	};
	return { n8n: read('n8n'), 'n8n-core': read('n8n-core'), 'n8n-workflow': read('n8n-workflow'), 'n8n-nodes-base': read('n8n-nodes-base') };
}
