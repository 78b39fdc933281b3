/**
 * Every Synergy CRM row of sources/catalog.json must be reachable through an operation of
 * the node's table (method + path template), every documented query parameter through a field,
 * and the generated table (nodes/SynergyCrm/resources.ts) must match the catalog.
 */
import fs from 'fs';
import path from 'path';

import catalog from '../sources/catalog.json';
import { routes, synergyCrm } from '../nodes/SynergyCrm/spec';

interface Row {
	provider: string;
	resource: string;
	operation: string;
	method: string;
	path: string;
	query_params: string[];
	documentation_status: string;
}

const rows = (catalog as unknown as { endpoints: Row[] }).endpoints.filter((e) => e.provider === 'synergy-crm');
const template = (p: string) => p.replace(/\{[^}]+\}/g, '{}');

describe('Synergy CRM catalog coverage', () => {
	it('reaches every catalog row with an operation (method + path template)', () => {
		const table = routes();
		const missing: string[] = [];
		let covered = 0;
		for (const row of rows) {
			const hit = table.find((r) => r.method === row.method && template(r.path) === template(row.path));
			if (hit) covered++;
			else missing.push(`${row.method} ${row.path}`);
		}
		console.log(`Synergy CRM: ${covered} of ${rows.length} catalog rows covered`);
		expect(rows).toHaveLength(115);
		expect(missing).toEqual([]);
		expect(covered).toBe(rows.length);
	});

	it('offers every documented query parameter of each list/get row', () => {
		const missing: string[] = [];
		for (const row of rows.filter((r) => r.method === 'GET')) {
			const op = synergyCrm.resources
				.flatMap((r) => r.operations)
				.find((o) => o.method === 'GET' && template(o.path) === template(row.path) && (row.operation === 'list') === !!o.pagination);
			if (!op) continue; // relationship rows: covered by Get Related above
			const keys = new Set(op.fields.map((f) => (f.key ?? f.name).replace(/_/g, '-')));
			if (op.pagination) {
				keys.add(op.pagination.pageParam);
				keys.add(op.pagination.sizeParam!);
			}
			for (const q of row.query_params) if (!keys.has(q.replace(/_/g, '-'))) missing.push(`${row.path} ${q}`);
		}
		expect(missing).toEqual([]);
	});

	it('the generated table matches the catalog', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { render } = require('../scripts/generate-synergy-crm.js') as { render: () => string };
		const committed = fs.readFileSync(path.join(__dirname, '..', 'nodes', 'SynergyCrm', 'resources.ts'), 'utf8');
		expect(committed).toBe(render());
	});

	it('npm run generate -- --check passes on the committed table', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { execFileSync } = require('child_process') as typeof import('child_process');
		const root = path.join(__dirname, '..');
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
		expect(pkg.scripts.generate).toBe('node scripts/generate-synergy-crm.js');
		expect(execFileSync(process.execPath, ['scripts/generate-synergy-crm.js', '--check'], { cwd: root, encoding: 'utf8' })).toBe('nodes/SynergyCrm/resources.ts is current\n');
	});
});
