/**
 * CPU profile of one run inside this process (V8's sampling profiler through node:inspector),
 * summed by package: this package's dist/, n8n-core, n8n-workflow, n8n-nodes-base, axios, luxon,
 * Node's own modules, GC. A built-in without a script (JSON.parse, RegExp…) counts for the package
 * that called it. The sandbox runs in another process and is not in the profile.
 */
import inspector from 'inspector';
import path from 'path';

import { ROOT } from './runtime';

interface CallFrame {
	functionName: string;
	url: string;
	lineNumber: number;
}
interface ProfileNode {
	id: number;
	callFrame: CallFrame;
	children?: number[];
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

export interface ProfileSummary {
	totalMs: number;
	/** package → ms of CPU (self time, built-ins counted for their caller). */
	byPackage: Array<{ name: string; ms: number; share: number }>;
	/** For each package, which package called into it (nearest caller of another package), ms. */
	callers: Record<string, Record<string, number>>;
	/** Heaviest functions by self time. */
	top: Array<{ name: string; where: string; ms: number; share: number }>;
}

function post<T>(session: inspector.Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))),
	);
}

function packageOf(url: string): string | undefined {
	if (!url) return undefined;
	if (url.startsWith('node:')) return 'Node.js core (http, streams, timers…)';
	const file = url.replace(/^file:\/\//, '');
	const own = path.join(ROOT, 'dist') + path.sep;
	if (file.startsWith(own)) return 'this package (dist/)';
	const i = file.lastIndexOf(`node_modules${path.sep}`);
	if (i >= 0) {
		const rest = file.slice(i + 'node_modules/'.length).split(path.sep);
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	if (file.includes(`${path.sep}dist-dev${path.sep}`)) return 'benchmark harness';
	return 'other';
}

export async function profile<T>(fn: () => Promise<T>, intervalUs = 200): Promise<{ value: T; summary: ProfileSummary }> {
	const session = new inspector.Session();
	session.connect();
	await post(session, 'Profiler.enable');
	await post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
	await post(session, 'Profiler.start');
	let value: T;
	try {
		value = await fn();
	} finally {
		var { profile: p } = await post<{ profile: Profile }>(session, 'Profiler.stop');
		session.disconnect();
	}
	const byId = new Map(p.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map<number, number>();
	for (let i = 0; i < p.samples.length; i++) {
		const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
		self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
	}
	const pkg = new Map<string, number>();
	const fns = new Map<string, { where: string; ms: number }>();
	const callers: Record<string, Record<string, number>> = {};
	let total = 0;
	for (const [id, ms] of self) {
		const node = byId.get(id)!;
		const name = node.callFrame.functionName;
		if (name === '(idle)') continue;
		total += ms;
		let owner: string | undefined;
		if (name === '(garbage collector)') owner = 'garbage collector';
		else if (name === '(program)') owner = 'V8 / native (program)';
		else {
			let cursor: ProfileNode | undefined = node;
			while (cursor && !(owner = packageOf(cursor.callFrame.url))) cursor = byId.get(parent.get(cursor.id) ?? -1);
			owner ??= 'other';
		}
		pkg.set(owner, (pkg.get(owner) ?? 0) + ms);
		{
			let cursor = byId.get(parent.get(id) ?? -1);
			let caller: string | undefined;
			while (cursor && (!(caller = packageOf(cursor.callFrame.url)) || caller === owner)) cursor = byId.get(parent.get(cursor.id) ?? -1);
			const by = cursor ? caller! : '(event loop)';
			callers[owner] ??= {};
			callers[owner][by] = (callers[owner][by] ?? 0) + ms;
		}
		const where = node.callFrame.url ? `${packageOf(node.callFrame.url)} ${path.basename(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : `(built-in, for ${owner})`;
		const key = `${name || '(anonymous)'}|${where}`;
		const entry = fns.get(key) ?? { where, ms: 0 };
		entry.ms += ms;
		fns.set(key, entry);
	}
	const byPackage = [...pkg.entries()].map(([name, ms]) => ({ name, ms, share: ms / total })).sort((a, b) => b.ms - a.ms);
	const top = [...fns.entries()]
		.map(([key, v]) => ({ name: key.split('|')[0], where: v.where, ms: v.ms, share: v.ms / total }))
		.sort((a, b) => b.ms - a.ms)
		.slice(0, 15);
	return { value: value!, summary: { totalMs: total, byPackage, callers, top } };
}
