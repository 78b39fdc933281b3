// Scratch: Synergy CRM sides once each (development aid, not part of npm run bench).
// node --expose-gc dist-dev/bench/try.js 10000 ours cap:8 batch:4:50 fanout bare:16   (PROF=1: profile the first)
import './runtime';
import { BenchN8n } from './n8n';
import { SandboxClient } from './sandboxClient';
import { prepareSynergy, type ListSide, type SideVariant } from './cases/synergy';
import { measure } from './measure';
import { profile } from './profile';

function sideOf(spec: string): [ListSide, SideVariant] {
	const [kind, a, b] = spec.split(':');
	if (kind === 'cap') return ['oursCapped', { inFlight: Number(a) }];
	if (kind === 'batch') return ['fanoutBatched', { batchSize: Number(a), batchInterval: Number(b ?? 50) }];
	if (kind === 'bare') return ['bare', { inFlight: Number(a ?? 8) }];
	return [kind as ListSide, {}];
}

async function main() {
	const [deals, ...specs] = process.argv.slice(2);
	const sandbox = await SandboxClient.start(50);
	const n8n = await BenchN8n.create();
	try {
		const s = await prepareSynergy(sandbox, n8n, Number(deals), { latencyMs: 50, capParameters: (n) => ({ requestOptions: { pagesInParallel: n } }) });
		if (process.env.PROF) {
			const { summary } = await profile(() => s.run(...sideOf(specs[0])));
			console.log(JSON.stringify(summary, null, 1));
		}
		for (const spec of specs) {
			const m = await measure(() => s.run(...sideOf(spec)));
			const v = m.value;
			console.log(spec.padEnd(12), 'wall', (m.wallMs / 1000).toFixed(2), 's cpu', (m.cpuMs / 1000).toFixed(2), 'peak', v.peakInFlight, 'requests', v.requests, 'span', v.spanMs);
		}
	} finally {
		sandbox.stop();
	}
	process.exit(0);
}
void main();
