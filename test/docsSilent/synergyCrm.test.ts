/**
 * Issue 15 (8, 9, 11): Synergy CRM where the docs are silent. Calls the docs do not document are
 * marked and, against a server that does not offer them (405 or 404), fail with words saying so;
 * Create or Update needs the names only to create; relationship labels say what the docs say.
 */
import type { INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';

import { useEnv } from '../harness/setup';
import { SYNERGY_TOKEN, type SynergyCrmFake } from '../../sandbox/synergyCrm';

const MENTIONED: Array<[string, string]> = [
	['user', 'users'], ['source', 'sources'], ['product', 'products'], ['entityProduct', 'entity-products'],
	['diaryTask', 'diary-tasks'], ['estateProperty', 'estate-properties'], ['competitor', 'competitors'], ['area', 'areas'],
];
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Every undocumented operation, with the parameters that run it and the request it sends. */
const UNDOCUMENTED: Array<{ name: string; params: Record<string, unknown>; call: string }> = [
	{ name: 'diary event: Get', params: { resource: 'diaryEvent', operation: 'get', id: byId('1') }, call: 'GET /api/v1/diary-events/1' },
	{ name: 'diary event: Get Many', params: { resource: 'diaryEvent', operation: 'getAll', limit: 5 }, call: 'GET /api/v1/diary-events' },
	{ name: 'diary event: Update', params: { resource: 'diaryEvent', operation: 'update', id: byId('1'), updateFields: { name: 'Call back' } }, call: 'PATCH /api/v1/diary-events/1' },
	{ name: 'diary event: Delete', params: { resource: 'diaryEvent', operation: 'delete', id: byId('1') }, call: 'DELETE /api/v1/diary-events/1' },
	{ name: 'diary event: Get Related', params: { resource: 'diaryEvent', operation: 'getRelated', id: byId('1'), relationship: 'company' }, call: 'GET /api/v1/diary-events/1/company' },
	...MENTIONED.flatMap(([value, type]) => [
		{ name: `${type}: Get`, params: { resource: value, operation: 'get', id: byId('1') }, call: `GET /api/v1/${type}/1` },
		{ name: `${type}: Get Many`, params: { resource: value, operation: 'getAll', returnAll: true }, call: `GET /api/v1/${type}` },
	]),
];

describe('Synergy CRM where the docs are silent', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<SynergyCrmFake>('synergy');
	const cred = () => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: env.sandbox.url('synergy') }) });
	const run = (parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
		env.harness.runNode({ node: 'synergyCrm', parameters: parameters as never, credentials: cred(), ...extra });
	const reqs = () => env.sandbox.requests('synergy');
	const description = () => (env.harness.pkg.nodeTypes.getByNameAndVersion('n8n-nodes-rumarket.synergyCrm') as INodeType).description;
	const operations = (resource: string) =>
		(description().properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource))!.options as INodePropertyOptions[]);

	describe('operations not in the vendor docs (15.8)', () => {
		it('exactly these are marked "(not in the vendor docs)"', () => {
			const marked: string[] = [];
			const resources = description().properties.find((p) => p.name === 'resource')!.options as INodePropertyOptions[];
			for (const r of resources) {
				for (const o of operations(String(r.value))) if (String(o.description).endsWith('(not in the vendor docs)')) marked.push(`${String(r.value)}.${String(o.value)}`);
			}
			expect(marked.sort()).toEqual(
				[
					'diaryEvent.delete', 'diaryEvent.get', 'diaryEvent.getAll', 'diaryEvent.getRelated', 'diaryEvent.update',
					...MENTIONED.flatMap(([value]) => [`${value}.get`, `${value}.getAll`]),
				].sort(),
			);
		});

		it.each(UNDOCUMENTED.map((u) => [u.name, u] as const))('%s: served, it works (undocumented = serve)', async (_name, u) => {
			const result = await run(u.params);
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => `${r.method} ${r.path}`)).toEqual([u.call]);
			expect(result.items.length).toBeGreaterThan(0);
		});

		it.each(UNDOCUMENTED.map((u) => [u.name, u] as const))('%s: a server answering 405 gives a clear error, tried once', async (_name, u) => {
			fake().undocumented = '405';
			const result = await run(u.params);
			expect(result.error?.message).toMatch(/^Synergy CRM returned 405: .* — ".+" is not in the vendor docs and this Synergy CRM server does not offer it \((GET|PATCH|DELETE) \/api\/v1\//);
			expect(reqs().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`${u.call} 405`]);
		});

		it.each(UNDOCUMENTED.map((u) => [u.name, u] as const))('%s: a server answering 404 says the record may not exist or the call may not be offered', async (_name, u) => {
			fake().undocumented = '404';
			const result = await run(u.params);
			expect(result.error?.message).toMatch(/— ".+" is not in the vendor docs: the record may not exist, or this Synergy CRM server may not offer the call/);
			expect(reqs()).toHaveLength(1);
		});

		it('Continue On Fail: the 405 error item is paired with its input and says so', async () => {
			fake().undocumented = '405';
			const result = await run({ resource: 'source', operation: 'get', id: byId('={{ $json.id }}') }, { continueOnFail: true, input: [{ id: '1' }, { id: '2' }] });
			expect(result.items.map((i) => [String(i.json.error).includes('is not in the vendor docs'), i.json.httpCode, (i.pairedItem as { item: number }).item])).toEqual([
				[true, '405', 0],
				[true, '405', 1],
			]);
		});

		it('documented calls are untouched by the switch: diary event Create still works against a 405 server', async () => {
			fake().undocumented = '405';
			const result = await run({ resource: 'diaryEvent', operation: 'create', name: 'Call', additionalFields: {} });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /api/v1/diary-events 201']);
		});
	});

	describe('contact Create or Update: names only to create (15.9)', () => {
		it('a match is updated without names: the stored names are not overwritten', async () => {
			const result = await run({ resource: 'contact', operation: 'upsert', matchBy: 'mobile-phone', matchValue: '+79876543211', additionalFields: { description: 'Called back' } });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/contacts', 'PATCH /api/v1/contacts/1']);
			expect(reqs()[1].body).toEqual({ data: { type: 'contacts', id: '1', attributes: { description: 'Called back' } } });
			const stored = fake().get('contacts', '1')!.attributes;
			expect([stored['first-name'], stored['last-name'], stored.description]).toEqual(['Иван', 'Иванов', 'Called back']);
		});

		it('no match and no names: a clear error naming them, nothing written', async () => {
			const result = await run({ resource: 'contact', operation: 'upsert', matchBy: 'email', matchValue: 'nobody@example.ru', additionalFields: { description: 'x' } });
			expect(result.error?.message).toBe('Item 1: no contact matches email = "nobody@example.ru", and "First Name" and "Last Name" are required to create one');
			expect(reqs().map((r) => r.method)).toEqual(['GET']);
		});

		it('no match with names: created', async () => {
			const result = await run({ resource: 'contact', operation: 'upsert', matchBy: 'email', matchValue: 'new@example.ru', firstName: 'Olga', lastName: 'Orlova' });
			expect(result.error).toBeUndefined();
			expect(reqs()[1].body).toEqual({ data: { type: 'contacts', attributes: { 'first-name': 'Olga', 'last-name': 'Orlova', email: 'new@example.ru' } } });
		});

		it('company: the name only to create', async () => {
			const updated = await run({ resource: 'company', operation: 'upsert', matchBy: 'inn', matchValue: '7701234567', additionalFields: { email: 'new@romashka.ru' } });
			expect(updated.error).toBeUndefined();
			expect(reqs()[1].body).toEqual({ data: { type: 'companies', id: '2', attributes: { email: 'new@romashka.ru' } } });
			expect(fake().get('companies', '2')!.attributes.name).toBe('АО Ромашка');
			const refused = await run({ resource: 'company', operation: 'upsert', matchBy: 'inn', matchValue: '1111111111' });
			expect(refused.error?.message).toBe('Item 1: no company matches inn = "1111111111", and "Name" is required to create one');
		});

		it('the name fields are optional in the UI and say when they are needed', () => {
			const props = description().properties.filter(
				(p) => (p.displayOptions?.show?.resource as string[] | undefined)?.includes('contact') && (p.displayOptions?.show?.operation as string[] | undefined)?.includes('upsert'),
			);
			const first = props.find((p) => p.name === 'firstName') as INodeProperties;
			expect(first.required).toBeUndefined();
			expect(first.description).toContain('Required when no record matches and one is created; on a match it changes only when given.');
			// Create keeps them required.
			const create = description().properties.find(
				(p) => p.name === 'firstName' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes('contact') && (p.displayOptions?.show?.operation as string[] | undefined)?.includes('create'),
			);
			expect(create?.required).toBe(true);
		});
	});

	describe('labels say what the docs say (15.11)', () => {
		const field = (resource: string, operation: string, name: string) =>
			description()
				.properties.filter((p) => (p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource) && (p.displayOptions?.show?.operation as string[] | undefined)?.includes(operation))
				.flatMap((p) => (p.type === 'collection' ? (p.options as INodeProperties[]) : [p]))
				.find((p) => p.name === name)!;

		it('user = the creator, stage-category = the deal pipeline', () => {
			expect(field('deal', 'create', 'user').displayName).toBe('Creator (User)');
			expect(field('deal', 'create', 'user').description).toContain('The user who created the record');
			expect(field('deal', 'create', 'stageCategory').displayName).toBe('Pipeline (Stage Category)');
			expect(field('deal', 'create', 'stageCategory').description).toContain('The deal pipeline, or funnel');
			const rels = (field('deal', 'getRelated', 'relationship').options as INodePropertyOptions[]).map((o) => o.name);
			expect(rels).toEqual(expect.arrayContaining(['Creator (User)', 'Pipeline (Stage Category)']));
		});

		it('Neiros: the update is "adding a sum to a deal", add-or-set not known', () => {
			const neiros = (env.harness.pkg.nodeTypes.getByNameAndVersion('n8n-nodes-rumarket.neiros') as INodeType).description;
			const op = (neiros.properties.find((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[] | undefined)?.includes('deal'))!.options as INodePropertyOptions[]).find(
				(o) => o.value === 'updateAmount',
			)!;
			expect(op.action).toBe('Add a sum to a deal');
			expect(op.description).toContain('The docs title this call "adding a sum to a deal" and do not say whether the sum is added to the deal amount or replaces it');
		});
	});
});
