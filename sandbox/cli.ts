/* Starts the sandbox on 127.0.0.1 (npm run sandbox [-- --port 8787]) and prints each fake's URL. */
import { createSandbox } from './index';

async function main(): Promise<void> {
	const portArg = process.argv.indexOf('--port');
	const port = portArg > -1 ? Number(process.argv[portArg + 1]) : Number(process.env.SANDBOX_PORT ?? 8787);
	const sandbox = createSandbox();
	const latency = process.argv.indexOf('--latency');
	if (latency > -1) sandbox.latencyMs = Number(process.argv[latency + 1]);
	await sandbox.start(port);
	for (const name of ['iqm', 'synergy', 'neiros', 'trackingbot', 'loymax']) {
		try {
			console.log(`${name.padEnd(12)} ${sandbox.url(name)}`);
		} catch {
			// not mounted yet
		}
	}
	const stop = async () => {
		await sandbox.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

void main();
