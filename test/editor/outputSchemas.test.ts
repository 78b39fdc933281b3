/**
 * Output schemas (`nodes/<Node>/__schema__/v1.0.0/<resource>/<operation>.json`, the layout n8n's own
 * nodes ship and n8n's server serves at /schemas/<node>/<version>/<resource>/<operation>.json):
 * the editor shows their fields for mapping before the node has run.
 *
 * They are generated from what the nodes really output against the sandbox (Simplify on, the
 * default): Get Many of every resource that has a record in the (seeded) sandbox, then Get of that
 * record by its id; operations that need no input (statistics, bot, sites) as they are.
 * `UPDATE_SCHEMAS=1 npx jest test/editor/outputSchemas.test.ts` writes them; otherwise this test
 * fails when a committed schema differs from what the node outputs now, or one is missing/stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { IDataObject, INodeProperties, INodeType } from 'n8n-workflow';

import { useEnv } from '../harness/setup';
import { nodeType } from '../harness/n8n';
import { SYNERGY_TOKEN } from '../../sandbox/synergyCrm';
import { TB_BOT_A, TB_KEY_A } from '../../sandbox/trackingBot';
import { LOYMAX_USER } from '../../sandbox/loymax';

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDERS: Record<string, string> = { iqmTech: 'IqmTech', loymax: 'Loymax', synergyCrm: 'SynergyCrm', neiros: 'Neiros', trackingBot: 'TrackingBot' };
/** Operations that need nothing but the credential: run as they are. */
const STANDALONE: Record<string, Array<[string, string, IDataObject?]>> = {
	trackingBot: [
		['statistics', 'overview'],
		['statistics', 'tracking'],
		['bot', 'get'],
	],
	neiros: [['site', 'getAll']],
};
/** Extra parameters Get Many needs on some resources (sandbox seeds). */
const GET_MANY_EXTRA: Record<string, IDataObject> = {
	'neiros/deal': { siteId: { __rl: true, mode: 'id', value: '19' }, filters: { dateStart: new Date().toISOString().slice(0, 10) } },
};

const today = new Date().toISOString().slice(0, 10);
/* eslint-disable @typescript-eslint/no-explicit-any */
/** One realistic record per resource the sandbox does not seed by itself (the demo's data). */
const SEEDS: Record<string, (fake: (name: string) => any) => void> = {
	'trackingBot/client': (f) => f('trackingbot').addClient(TB_BOT_A, 'MSK-001', 'Ольга Смирнова'),
	'trackingBot/trackingNumber': (f) => {
		f('trackingbot').addClient(TB_BOT_A, 'MSK-001', 'Ольга Смирнова');
		f('trackingbot').addTracking(TB_BOT_A, { tracking_number: 'CN2024112301RU', client_code: 'MSK-001', current_status: 'in_transit', quantity: 3, weight_kg: 12.5, price_per_kg_usd: 14.29, total_cost_usd: 178.6, note: 'Одежда' });
	},
	'neiros/deal': (f) => f('neiros').seedDeals(19, 1, today, 9101),
	'loymax/customer': (f) => f('loymax').seed('customer', { local_id: 'C-1001', full_name: 'Елена Васильева', first_name: 'Елена', last_name: 'Васильева', email: 'elena@example.ru', phone: '+79031234567', sex: 'F', birth_date: '1990-04-12', city: 'Москва', register_date: '2024-03-01T10:00:00+03:00' }),
	'loymax/order': (f) => f('loymax').seed('order', { local_id: 'ORD-5001', client_id: 'C-1001', number: '5001', status_name: 'Оплачен', date: '2024-11-22T18:40:00+03:00', items_cnt: 2, items_sum: 3490, items: [{ product_id: 'P-1', quantity: 2, price: 1745 }] }),
	'loymax/event': (f) => f('loymax').seed('event', { client_id: 'C-1001', name: 'purchase', date: '2024-11-22T18:40:00+03:00', context: { channel: 'site' } }),
	'loymax/product': (f) => f('loymax').seed('product', { name: 'Смартфон', local_id: 'P-1', category_id: 'CAT-1' }),
	'loymax/category': (f) => f('loymax').seed('category', { name: 'Смартфоны', local_id: 'CAT-1', parent_id: '' }),
	'loymax/promoCodeGroup': (f) => f('loymax').seed('promocode-group', { name: 'Black Friday', local_id: 'BF-2024' }),
	'loymax/dictionary': (f) => f('loymax').seed('dictionary', { name: 'Города', code: 'cities', local_id: 'D-1' }),
};

type Schema = { type: string; properties?: Record<string, Schema>; items?: Schema };

/** JSON Schema of a value (n8n's editor reads type / properties / items). */
export function schemaOf(value: unknown): Schema {
	if (value === null || value === undefined) return { type: 'null' };
	if (Array.isArray(value)) return value.length ? { type: 'array', items: schemaOf(value.find((v) => v !== null) ?? value[0]) } : { type: 'array' };
	if (typeof value === 'object') {
		const properties: Record<string, Schema> = {};
		for (const key of Object.keys(value as IDataObject).sort()) properties[key] = schemaOf((value as IDataObject)[key]);
		return { type: 'object', properties };
	}
	if (typeof value === 'number') return { type: Number.isInteger(value) ? 'integer' : 'number' };
	return { type: typeof value };
}

describe('output schemas (__schema__) match what the nodes output', () => {
	const env = useEnv();
	const creds: Record<string, () => IDataObject> = {
		synergyCrm: () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) }),
		trackingBot: () => ({ trackingBotApi: env.harness.credentials.add('trackingBotApi', { apiKey: TB_KEY_A, baseUrl: env.sandbox.url('trackingbot'), botId: TB_BOT_A }) }),
		neiros: () => ({ neirosApi: env.harness.credentials.add('neirosApi', { authMethod: 'login', email: 'test@test.ru', password: '123456', baseUrl: env.sandbox.url('neiros') }) }),
		loymax: () => ({ loymaxApi: env.harness.credentials.add('loymaxApi', { ...LOYMAX_USER, baseUrl: env.sandbox.url('loymax') }) }),
	};

	const skipped: string[] = [];
	const run = async (node: string, parameters: IDataObject): Promise<IDataObject | undefined> => {
		// A resource whose Get Many needs more input (a parent id …) or has no seeded record gets no schema.
		const result = await env.harness.runNode({ node, parameters: parameters as never, credentials: creds[node]() as never }).catch(() => undefined);
		if (!result || result.error || !result.items.length) {
			skipped.push(`${node}/${String(parameters.resource)}/${String(parameters.operation)}`);
			return undefined;
		}
		return result.items[0].json as IDataObject;
	};

	it('generates (UPDATE_SCHEMAS=1) or checks every schema file', async () => {
		const wanted = new Map<string, Schema>();
		for (const node of Object.keys(creds)) {
			const type = env.harness.pkg.nodeTypes.getByNameAndVersion(nodeType(node)) as INodeType;
			const props = type.description.properties as INodeProperties[];
			const resources = (props.find((p) => p.name === 'resource')?.options ?? []) as Array<{ value: string }>;
			for (const { value: resource } of resources) {
				if (resource === '__CUSTOM_API_CALL__' || resource === 'customApiCall') continue;
				const ops = props
					.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource))
					.flatMap((p) => (p.options ?? []) as Array<{ value: string }>)
					.map((o) => o.value);
				if (!ops.includes('getAll')) continue;
				// A fresh sandbox per resource: seeds as the tests see them.
				env.sandbox.reset();
				SEEDS[`${node}/${resource}`]?.((name) => env.sandbox.fake(name));
				const item = await run(node, { resource, operation: 'getAll', returnAll: false, limit: 1, ...(GET_MANY_EXTRA[`${node}/${resource}`] ?? {}) });
				if (!item) continue;
				wanted.set(`${FOLDERS[node]}/__schema__/v1.0.0/${resource}/getAll.json`, schemaOf(item));
				if (!ops.includes('get')) continue;
				// Get reads that record by its id (a list may give less than a Get, e.g. Neiros deals).
				const extra = GET_MANY_EXTRA[`${node}/${resource}`] ?? {};
				const getParams: IDataObject = { resource, operation: 'get', ...extra };
				for (const p of props.filter((q) => q.required && q.displayOptions?.show?.operation?.includes('get') && (q.displayOptions?.show?.resource as string[] | undefined)?.includes(resource))) {
					if (p.name in getParams) continue;
					// Loymax reads customers, orders, products and categories by their local_id.
					const id = String(/local/i.test(p.name) || (node === 'loymax' && item.local_id) ? item.local_id : item.id);
					getParams[p.name] = p.type === 'resourceLocator' ? { __rl: true, mode: 'id', value: id } : id;
				}
				const got = await run(node, getParams);
				if (got) wanted.set(`${FOLDERS[node]}/__schema__/v1.0.0/${resource}/get.json`, schemaOf(got));
			}
			for (const [resource, operation, extra] of STANDALONE[node] ?? []) {
				env.sandbox.reset();
				const item = await run(node, { resource, operation, returnAll: false, limit: 1, ...(extra ?? {}) });
				if (item) wanted.set(`${FOLDERS[node]}/__schema__/v1.0.0/${resource}/${operation}.json`, schemaOf(item));
			}
		}
		if (process.env.UPDATE_SCHEMAS) console.log(`${wanted.size} schemas; no record to learn from: ${skipped.join(', ')}`);
		expect(wanted.size).toBeGreaterThan(30);

		const text = (schema: Schema) => `${JSON.stringify({ ...schema, version: 1 }, null, '\t')}\n`;
		const existing = (Object.values(FOLDERS) as string[]).flatMap((folder) => listJson(path.join(ROOT, 'nodes', folder, '__schema__')).map((f) => path.relative(path.join(ROOT, 'nodes'), f)));
		if (process.env.UPDATE_SCHEMAS) {
			for (const file of existing) fs.rmSync(path.join(ROOT, 'nodes', file));
			for (const [file, schema] of wanted) {
				fs.mkdirSync(path.dirname(path.join(ROOT, 'nodes', file)), { recursive: true });
				fs.writeFileSync(path.join(ROOT, 'nodes', file), text(schema));
			}
			return;
		}
		expect(existing.sort()).toEqual([...wanted.keys()].sort());
		for (const [file, schema] of wanted) expect(fs.readFileSync(path.join(ROOT, 'nodes', file), 'utf8')).toBe(text(schema));
	});
});

function listJson(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listJson(path.join(dir, e.name)) : e.name.endsWith('.json') ? [path.join(dir, e.name)] : []));
}
