// Scratch: one side once (development aid, not part of npm run bench).
import './runtime';
import { BenchN8n } from './n8n';
import { SandboxClient } from './sandboxClient';
import { prepareSynergy, type ListSide } from './cases/synergy';
import { measure } from './measure';
import { profile } from './profile';

async function main() {
	const [deals, ...sides] = process.argv.slice(2);
	const sandbox = await SandboxClient.start(50);
	const n8n = await BenchN8n.create();
	try {
		const s = await prepareSynergy(sandbox, n8n, Number(deals), { latencyMs: 50, inFlight: 8 });
		if (process.env.PROF) {
			const { summary } = await profile(() => s.run(sides[0] as ListSide));
			console.log(JSON.stringify(summary, null, 1));
		}
		for (const side of sides) {
			const m = await measure(() => s.run(side as ListSide));
			console.log(side, (m.wallMs / 1000).toFixed(2), 's cpu', (m.cpuMs / 1000).toFixed(2), JSON.stringify(m.value));
		}
	} finally {
		sandbox.stop();
	}
	process.exit(0);
}
void main();
