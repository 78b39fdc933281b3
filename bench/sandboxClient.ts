/** Talks to the sandbox child process (sandboxChild.ts). */
import { fork, type ChildProcess } from 'child_process';
import path from 'path';

import type { RequestStats } from './seed';

export class SandboxClient {
	private next = 0;
	private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

	private constructor(
		private readonly child: ChildProcess,
		readonly port: number,
	) {
		child.on('message', (msg: { id?: number; result?: unknown; error?: string }) => {
			if (msg.id === undefined) return;
			const p = this.pending.get(msg.id);
			if (!p) return;
			this.pending.delete(msg.id);
			if (msg.error) p.reject(new Error(`sandbox: ${msg.error}`));
			else p.resolve(msg.result);
		});
	}

	static async start(latencyMs: number): Promise<SandboxClient> {
		const child = fork(path.join(__dirname, 'sandboxChild.js'), [], {
			env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs) },
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			execArgv: ['--max-old-space-size=4096'],
		});
		const port = await new Promise<number>((resolve, reject) => {
			child.once('message', (msg: { ready?: boolean; port?: number }) => (msg.ready ? resolve(msg.port!) : reject(new Error('sandbox did not start'))));
			child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
		});
		return new SandboxClient(child, port);
	}

	async call<T = unknown>(fn: string, ...args: unknown[]): Promise<T> {
		const id = ++this.next;
		return await new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ id, fn, args });
		});
	}

	url(provider: string): Promise<string> {
		return this.call<string>('url', provider);
	}

	stats(provider: string, method?: string, pathRegex?: string): Promise<RequestStats> {
		return this.call<RequestStats>('stats', provider, method, pathRegex);
	}

	stop(): void {
		this.child.disconnect();
	}
}
