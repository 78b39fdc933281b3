/**
 * The sandbox in its own process (the provider's side of the wire): the benchmark process runs
 * only n8n, so the fake's JSON encoding does not steal the event loop the nodes are measured on.
 * Commands arrive over IPC: `{id, fn, args}` → `{id, result}` / `{id, error}`.
 */
import { createSandbox } from '../sandbox';
import { commands } from './seed';

async function main(): Promise<void> {
	const sandbox = createSandbox();
	const latency = Number(process.env.BENCH_LATENCY_MS ?? 50);
	await sandbox.start(0);
	sandbox.latencyMs = latency;
	process.on('message', (msg: { id: number; fn: string; args: unknown[] }) => {
		void (async () => {
			try {
				const handler = commands[msg.fn] as ((...args: unknown[]) => unknown) | undefined;
				if (!handler) throw new Error(`Unknown sandbox command ${msg.fn}`);
				const result = await handler(sandbox, ...(msg.args ?? []));
				process.send!({ id: msg.id, result });
			} catch (error) {
				process.send!({ id: msg.id, error: (error as Error).stack ?? String(error) });
			}
		})();
	});
	process.on('disconnect', () => void sandbox.stop().then(() => process.exit(0)));
	process.send!({ ready: true, port: sandbox.port });
}

void main();
