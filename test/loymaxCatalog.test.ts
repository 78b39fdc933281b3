/**
 * Every Loymax row of sources/catalog.json must be reachable: POST /token through the
 * credential's login (preAuthentication), every other row through an operation of the node's table
 * (method + path template), with each documented body field offered under its wire name.
 */
import fs from 'fs';
import path from 'path';

import catalog from '../sources/catalog.json';
import { loymax } from '../nodes/Loymax/spec';
import type { FieldSpec } from '../nodes/shared/spec';

interface Row {
	provider: string;
	method: string;
	path: string;
	body_fields: Array<{ name: string }>;
	required_headers: string[];
}

const rows = (catalog as unknown as { endpoints: Row[] }).endpoints.filter((e) => e.provider === 'loymax');
const template = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
/** Body fields the docs left nameless, and the name the node sends them under. */
const UNNAMED: Record<string, string> = {
	'POST /customer': 'email',
	'PATCH /customer/{}': 'email',
	'POST /customer/{}/channel': 'email',
	'POST /communication/push/state': 'client_id',
};

const operations = loymax.resources.flatMap((resource) => resource.operations.map((operation) => ({ resource, operation })));
const wireNames = (fields: FieldSpec[]) => new Set(fields.map((f) => f.key ?? f.name));

describe('Loymax catalog coverage', () => {
	it('reaches every catalog row', () => {
		const missing: string[] = [];
		let covered = 0;
		for (const row of rows) {
			if (row.method === 'POST' && row.path === '/token') {
				// The login: the credential's preAuthentication posts to /token (tested in loymax.test.ts).
				const source = fs.readFileSync(path.join(__dirname, '..', 'credentials', 'LoymaxApi.credentials.ts'), 'utf8');
				if (/method: 'POST',\s*url: `\$\{baseUrl\}\/token`/.test(source)) covered++;
				else missing.push('POST /token (credential)');
				continue;
			}
			const hit = operations.find(({ operation }) => operation.method === row.method && template(operation.path) === template(row.path));
			if (hit) covered++;
			else missing.push(`${row.method} ${row.path}`);
		}
		console.log(`Loymax: ${covered} of ${rows.length} catalog rows covered`);
		expect(rows).toHaveLength(62);
		expect(missing).toEqual([]);
		expect(covered).toBe(62);
	});

	it('offers every documented body field and the device_id header under their wire names', () => {
		const missing: string[] = [];
		for (const row of rows.filter((r) => r.path !== '/token')) {
			const key = `${row.method} ${template(row.path)}`;
			const { operation } = operations.find(({ operation: o }) => o.method === row.method && template(o.path) === template(row.path))!;
			const names = wireNames(operation.fields);
			for (const field of row.body_fields ?? []) {
				const name = field.name.startsWith('(unnamed') ? UNNAMED[key] : field.name;
				if (!name || !names.has(name)) missing.push(`${key}: ${field.name}`);
			}
			const headerField = operation.fields.find((f) => f.location === 'header' && f.key === 'device_id');
			const wantsDevice = /\/device(\/\{\})?$|\/push\/state$/.test(template(row.path)) && row.method !== 'GET';
			if (wantsDevice && !headerField) missing.push(`${key}: device_id header`);
		}
		expect(missing).toEqual([]);
	});

	it('marks exactly the upserts by local_id as safe to repeat', () => {
		const idempotent = operations.filter(({ operation }) => operation.idempotent).map(({ operation }) => `${operation.method} ${operation.path}`);
		expect(idempotent.sort()).toEqual(['POST /category', 'POST /customer', 'POST /order', 'POST /product', 'POST /promocode-group']);
	});
});
