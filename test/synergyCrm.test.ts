/**
 * Synergy CRM through real n8n execution against the sandbox fake (sandbox/synergyCrm.ts).
 * The table-driven part walks every resource of the docs (sources/catalog.json) and checks
 * each operation's exact request and output; the rest covers contacts/deals in depth.
 */
import type { IDataObject } from 'n8n-workflow';
import catalog from '../sources/catalog.json';
import { useEnv } from './harness/setup';
import { SYNERGY_TOKEN, type FakeRecord, type SynergyCrmFake } from '../sandbox/synergyCrm';

type Doc = {
	attributes: Array<{ name: string; type: string; required?: boolean; writable?: boolean; example?: string; constraints?: string }>;
	relationships: Record<string, string | string[]>;
	filters: Array<{ name: string }>;
};
const provider = (catalog as unknown as { providers: Record<string, { resources: Record<string, Doc>; mentioned_only_types: string[] }> }).providers['synergy-crm'];
const DOCS = provider.resources;
const MENTIONED = provider.mentioned_only_types;

/** Resource values of the node, by JSON:API type (n8n naming: singular, camelCase). */
const VALUE: Record<string, string> = {
	contacts: 'contact', 'contact-statuses': 'contactStatus', 'contact-types': 'contactType', companies: 'company',
	'company-bank-details': 'companyBankDetails', 'company-statuses': 'companyStatus', 'company-types': 'companyType',
	contracts: 'contract', deals: 'deal', 'deal-loss-reasons': 'dealLossReason', 'deal-stage-categories': 'dealPipeline',
	'deal-stages': 'dealStage', 'deal-statuses': 'dealStatus', orders: 'order', 'order-loss-reasons': 'orderLossReason',
	'order-stages': 'orderStage', 'order-statuses': 'orderStatus', 'diary-events': 'diaryEvent', users: 'user', sources: 'source',
	products: 'product', 'entity-products': 'entityProduct', 'diary-tasks': 'diaryTask', 'estate-properties': 'estateProperty',
	competitors: 'competitor', areas: 'area',
};
const camel = (s: string) => s.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const JSONAPI = 'application/vnd.api+json';

/** What the node should output for a stored record with Simplify on: id, attributes, customs. */
function simplified(fake: SynergyCrmFake, record: FakeRecord, rels: Record<string, unknown> = {}): Record<string, unknown> {
	const attributes = fake.render(record).attributes as Record<string, unknown>;
	const out: Record<string, unknown> = { id: record.id };
	for (const [k, v] of Object.entries(attributes)) out[k === 'custom' ? 'customs' : k] = v;
	return { ...out, ...rels };
}

/** A valid input value and its wire form for a documented attribute. */
function sample(type: string, attr: Doc['attributes'][number]): { input: unknown; wire: unknown } {
	const oneOf = /one of (.+)$/.exec(attr.constraints ?? '');
	if (oneOf) return { input: oneOf[1].split(',')[1]?.trim() ?? oneOf[1].trim(), wire: oneOf[1].split(',')[1]?.trim() ?? oneOf[1].trim() };
	if (type === 'contracts' && attr.name === 'date') return { input: '2024-03-01', wire: '2024-03-01' };
	if (type === 'diary-events' && attr.type === 'datetime') return { input: '2024-03-01T10:00:00', wire: '2024-03-01 10:00 +0300' };
	if (attr.name === 'description' && attr.type === 'boolean') return { input: 'Text', wire: 'Text' };
	switch (attr.type) {
		case 'integer':
			return { input: '7', wire: 7 };
		case 'decimal':
			return { input: 12.5, wire: 12.5 };
		case 'boolean':
			return { input: true, wire: true };
		case 'date':
			return { input: '2024-03-01', wire: '2024-03-01' };
		case 'datetime':
			return { input: '2024-03-01T10:00:00', wire: '2024-03-01T10:00:00.000+03:00' };
		default:
			return attr.name === 'color' ? { input: '#112233', wire: '#112233' } : { input: `Тест ${attr.name}`, wire: `Тест ${attr.name}` };
	}
}

const GROUPS: Record<string, string> = {
	'Work address': 'workAddress', 'Home address': 'homeAddress', 'Social networks & messengers': 'socialNetworks',
	'Actual address': 'actualAddress', 'Legal (juristic) address': 'legalAddress', 'Mailing address': 'mailingAddress', 'Legal details': 'legalDetails',
};

describe('Synergy CRM', () => {
	const env = useEnv();
	const fake = () => env.sandbox.fake<SynergyCrmFake>('synergy');
	const cred = (token = SYNERGY_TOKEN) => ({ synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: token, baseUrl: env.sandbox.url('synergy') }) });
	const run = async (parameters: Record<string, unknown>, extra: { continueOnFail?: boolean; input?: IDataObject[]; timezone?: string } = {}) =>
		await env.harness.runNode({ node: 'synergyCrm', parameters: parameters as never, credentials: cred(), ...extra });
	const reqs = (method?: string) => env.sandbox.requests('synergy', method);
	const item = (json: unknown, i = 0) => ({ json, pairedItem: { item: i } });
	const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

	describe('every documented resource: exact request and output per operation', () => {
		for (const [type, doc] of Object.entries(DOCS)) {
			const resource = VALUE[type];
			const writable = doc.attributes.filter((a) => a.writable !== false && a.type !== 'hash' && a.name !== 'created-at' && a.name !== 'archived-at');
			const wireName = (n: string) => (n === 'custom_number' ? 'custom-number' : n);

			it(`${type}: Create sends the required and given attributes as a JSON:API document`, async () => {
				const parameters: Record<string, unknown> = { resource, operation: 'create' };
				const attributes: Record<string, unknown> = {};
				const groups: Record<string, Record<string, unknown>> = {};
				for (const attr of writable.filter((a) => a.required)) {
					const s = sample(type, attr);
					parameters[camel(wireName(attr.name))] = s.input;
					attributes[wireName(attr.name)] = s.wire;
				}
				const optional = writable.filter((a) => !a.required).slice(0, 3);
				for (const attr of optional) {
					const s = sample(type, attr);
					const group = GROUPS[(attr as { group?: string }).group ?? ''] ?? 'additionalFields';
					groups[group] = { ...(groups[group] ?? {}), [camel(wireName(attr.name))]: s.input };
					attributes[wireName(attr.name)] = s.wire;
				}
				const result = await run({ ...parameters, ...groups });
				expect(result.error).toBeUndefined();
				const [request] = reqs();
				expect(reqs()).toHaveLength(1);
				expect(request.method).toBe('POST');
				expect(request.path).toBe(`/api/v1/${type}`);
				expect(request.rawQuery).toBe('');
				expect(request.headers['content-type']).toBe(JSONAPI);
				expect(request.headers.accept).toBe(JSONAPI);
				expect(request.headers.authorization).toBe(`Bearer ${SYNERGY_TOKEN}`);
				const data: Record<string, unknown> = { type };
				if (Object.keys(attributes).length) data.attributes = attributes;
				expect(request.body).toEqual({ data });
				expect(request.status).toBe(201);
				const created = fake().all(type).pop()!;
				expect(result.items).toEqual([item(simplified(fake(), created))]);
			});

			it(`${type}: Get, Get Many (Limit), Update, Delete`, async () => {
				const first = fake().all(type)[0];
				let result = await run({ resource, operation: 'get', id: first.id });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path, r.rawQuery])).toEqual([['GET', `/api/v1/${type}/${first.id}`, '']]);
				expect(result.items).toEqual([item(simplified(fake(), first))]);

				env.sandbox.clearLog();
				result = await run({ resource, operation: 'getAll', returnAll: false, limit: 1 });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/api/v1/${type}`, { 'page[number]': '1', 'page[size]': '1' }]]);
				expect(result.items).toEqual([item(simplified(fake(), first))]);

				env.sandbox.clearLog();
				const attr = writable.find((a) => !a.required) ?? writable[0];
				const s = sample(type, attr);
				const place = attr.required ? 'updateFields' : (GROUPS[(attr as { group?: string }).group ?? ''] ?? 'updateFields');
				result = await run({ resource, operation: 'update', id: first.id, [place]: { [camel(wireName(attr.name))]: s.input } });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path])).toEqual([['PATCH', `/api/v1/${type}/${first.id}`]]);
				expect(reqs()[0].headers['content-type']).toBe(JSONAPI);
				expect(reqs()[0].body).toEqual({ data: { type, id: first.id, attributes: { [wireName(attr.name)]: s.wire } } });
				expect(fake().get(type, first.id)!.attributes[wireName(attr.name)]).toEqual(s.wire);
				expect(result.items).toEqual([item(simplified(fake(), fake().get(type, first.id)!))]);

				env.sandbox.clearLog();
				result = await run({ resource, operation: 'delete', id: first.id });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path, r.status])).toEqual([['DELETE', `/api/v1/${type}/${first.id}`, 204]]);
				expect(fake().get(type, first.id)).toBeUndefined();
				expect(result.items).toEqual([item({ id: first.id, deleted: true })]);
			});

			const relNames = Object.keys(doc.relationships);
			if (relNames.length) {
				it(`${type}: Get Related reads /relationships/{name} and /{name}`, async () => {
					const owner = fake().all(type).find((r) => relNames.some((n) => r.rels[n])) ?? fake().all(type)[0];
					const rel = relNames.find((n) => owner.rels[n]) ?? relNames[0];
					let result = await run({ resource, operation: 'getRelated', id: owner.id, relationship: rel, identifiersOnly: true });
					expect(result.error).toBeUndefined();
					expect(reqs().map((r) => [r.method, r.path])).toEqual([['GET', `/api/v1/${type}/${owner.id}/relationships/${rel}`]]);
					const link = owner.rels[rel];
					const links = Array.isArray(link) ? link : link ? [link] : [];
					expect(result.items).toEqual(links.map((l) => item({ type: l.type, id: l.id })));

					env.sandbox.clearLog();
					result = await run({ resource, operation: 'getRelated', id: owner.id, relationship: rel });
					expect(result.error).toBeUndefined();
					expect(reqs().map((r) => [r.method, r.path])).toEqual([['GET', `/api/v1/${type}/${owner.id}/${rel}`]]);
					expect(result.items).toEqual(links.map((l) => item(simplified(fake(), fake().get(l.type, l.id)!))));
				});
			}
		}

		for (const type of MENTIONED) {
			it(`${type} (named only in relationship tables): Get and Get Many`, async () => {
				const first = fake().all(type)[0];
				let result = await run({ resource: VALUE[type], operation: 'get', id: first.id });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path])).toEqual([['GET', `/api/v1/${type}/${first.id}`]]);
				expect(result.items).toEqual([item(simplified(fake(), first))]);
				env.sandbox.clearLog();
				result = await run({ resource: VALUE[type], operation: 'getAll', returnAll: true });
				expect(result.error).toBeUndefined();
				expect(reqs().map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/api/v1/${type}`, { 'page[number]': '1', 'page[size]': '100' }]]);
				expect(result.items).toEqual(fake().all(type).map((r) => item(simplified(fake(), r))));
			});
		}
	});

	describe('contacts', () => {
		it('Get Many sends every filter (phones as in the curl samples, dates as YYYY.MM.DD HH:mm in the workflow zone)', async () => {
			const result = await run({
				resource: 'contact',
				operation: 'getAll',
				returnAll: true,
				filters: {
					lastName: 'Иванов', firstName: 'Иван', middleName: '', email: 'ivanov@example.ru', mobilePhone: '+79876543211',
					createdAtGte: '2024-01-10T09:28:00Z', createdAtLte: '2024-01-10T12:29:00', updatedAtGte: '2024-01-10T12:00:00', updatedAtLte: '2030-01-01T00:00:00',
				},
			});
			expect(result.error).toBeUndefined();
			const [request] = reqs();
			expect(request.query).toEqual({
				'filter[last-name]': 'Иванов', 'filter[first-name]': 'Иван', 'filter[email]': 'ivanov@example.ru', 'filter[mobile_phone]': '+79876543211',
				'filter[created-at-gte]': '2024.01.10 12:28', 'filter[created-at-lte]': '2024.01.10 12:29', 'filter[updated-at-gte]': '2024.01.10 12:00',
				'filter[updated-at-lte]': '2030.01.01 00:00', 'page[number]': '1', 'page[size]': '100',
			});
			// The '+' of the phone reaches the server as a plus, not a space.
			expect(request.rawQuery).toContain('%2B79876543211');
			expect(result.items).toEqual([item(simplified(fake(), fake().get('contacts', '1')!))]);
		});

		it('Get Many by any phone and other e-mail narrows the list', async () => {
			const result = await run({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { anyPhone: '+79995554433', otherEmail: '' } });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].query['filter[any_phone]']).toBe('+79995554433');
			expect(result.items.map((i) => i.json.id)).toEqual(['3']);
		});

		it('a date filter in another workflow time zone is sent in that zone', async () => {
			const result = await run({ resource: 'contact', operation: 'getAll', returnAll: true, filters: { createdAtGte: '2024-01-10T12:28:00+03:00' } }, { timezone: 'UTC' });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].query['filter[created-at-gte]']).toBe('2024.01.10 09:28');
		});

		it('Get with include returns the relationship ids and the included records', async () => {
			const result = await run({ resource: 'contact', operation: 'get', id: '1', include: ['responsible', 'companies', 'contact-type'] });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].query).toEqual({ include: 'responsible,companies,contact-type' });
			const f = fake();
			const flat = (r: FakeRecord) => ({ type: r.type, ...simplified(f, r) });
			expect(result.items).toEqual([
				item(
					simplified(f, f.get('contacts', '1')!, {
						responsible: '1', responsible_data: flat(f.get('users', '1')!),
						companies: ['1'], companies_data: [flat(f.get('companies', '1')!)],
						'contact-type': '1', 'contact-type_data': flat(f.get('contact-types', '1')!),
					}),
				),
			]);
		});

		it('Simplify off returns the raw JSON:API resource (absolute links variant)', async () => {
			fake().links = 'absolute';
			const result = await run({ resource: 'contact', operation: 'get', id: '2', simplify: false });
			expect(result.error).toBeUndefined();
			expect(result.items).toEqual([item(fake().render(fake().get('contacts', '2')!))]);
			expect(String((result.items[0].json.links as { self: string }).self)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/synergy\/api\/v1\/contacts\/2$/);
		});

		it('Create sends relationships from list, ID and URL modes and custom fields', async () => {
			const result = await run({
				resource: 'contact',
				operation: 'create',
				firstName: 'Олег',
				lastName: 'Смирнов',
				additionalFields: {
					email: 'oleg@example.ru',
					responsible: { __rl: true, mode: 'list', value: '2' },
					source: byId('1'),
					status: { __rl: true, mode: 'url', value: 'https://app.syncrm.ru/api/v1/contact-statuses/2' },
					companies: '1, 2',
					customFields: { pairs: [{ name: 'custom-1', value: 'VIP' }] },
				},
			});
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({
				data: {
					type: 'contacts',
					attributes: { 'first-name': 'Олег', 'last-name': 'Смирнов', email: 'oleg@example.ru', customs: { 'custom-1': 'VIP' } },
					relationships: {
						responsible: { data: { type: 'users', id: '2' } },
						source: { data: { type: 'sources', id: '1' } },
						status: { data: { type: 'contact-statuses', id: '2' } },
						companies: { data: [{ type: 'companies', id: '1' }, { type: 'companies', id: '2' }] },
					},
				},
			});
			const created = fake().all('contacts').pop()!;
			expect(created.rels.companies).toEqual([{ type: 'companies', id: '1' }, { type: 'companies', id: '2' }]);
			expect(result.items).toEqual([item(simplified(fake(), created))]);
		});

		it('Update merges custom fields: GET, then PATCH with the unnamed ones kept', async () => {
			const result = await run({ resource: 'contact', operation: 'update', id: '1', updateFields: { customFields: { pairs: [{ name: 'custom-1', value: 'Gold' }, { name: 'custom-9', value: 'new' }] } } });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => [r.method, r.path])).toEqual([['GET', '/api/v1/contacts/1'], ['PATCH', '/api/v1/contacts/1']]);
			const merged = { 'custom-1': 'Gold', 'custom-7': '2022-02-22T12:02:22.222+03:00', 'custom-9': 'new' };
			expect(reqs()[1].body).toEqual({ data: { type: 'contacts', id: '1', attributes: { customs: merged } } });
			expect(fake().get('contacts', '1')!.attributes.customs).toEqual(merged);
			expect(result.items[0].json.customs).toEqual(merged);
		});

		it('Update merges custom fields when the server spells the hash `custom`', async () => {
			fake().customsKey = 'custom';
			const result = await run({ resource: 'contact', operation: 'update', id: '1', updateFields: { customFields: { pairs: [{ name: 'custom-1', value: 'Gold' }] } } });
			expect(result.error).toBeUndefined();
			const merged = { 'custom-1': 'Gold', 'custom-7': '2022-02-22T12:02:22.222+03:00' };
			expect(reqs()[1].body).toEqual({ data: { type: 'contacts', id: '1', attributes: { custom: merged } } });
			expect(result.items[0].json.customs).toEqual(merged);
			expect(result.items[0].json).not.toHaveProperty('custom');
		});

		it('Update without custom fields sends one PATCH only', async () => {
			const result = await run({ resource: 'contact', operation: 'update', id: '2', updateFields: { middleName: 'Ильич', contactType: byId('1') } });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => [r.method, r.path])).toEqual([['PATCH', '/api/v1/contacts/2']]);
			expect(reqs()[0].body).toEqual({
				data: { type: 'contacts', id: '2', attributes: { 'middle-name': 'Ильич' }, relationships: { 'contact-type': { data: { type: 'contact-types', id: '1' } } } },
			});
		});

		it('a custom field name that is not custom-<N> fails before sending', async () => {
			const result = await run({ resource: 'contact', operation: 'update', id: '2', updateFields: { customFields: { pairs: [{ name: 'custom_1', value: 'x' }] } } });
			expect(result.error?.message).toContain('custom field "custom_1" is not a custom field name');
			expect(reqs()).toHaveLength(0);
		});

		it('Create or Update: no match creates (with the matched e-mail)', async () => {
			const result = await run({ resource: 'contact', operation: 'upsert', matchBy: 'email', matchValue: 'new@example.ru', firstName: 'Новый', lastName: 'Контакт' });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => [r.method, r.path, r.query])).toEqual([
				['GET', '/api/v1/contacts', { 'filter[email]': 'new@example.ru', 'page[number]': '1', 'page[size]': '100' }],
				['POST', '/api/v1/contacts', {}],
			]);
			expect(reqs()[1].body).toEqual({ data: { type: 'contacts', attributes: { 'first-name': 'Новый', 'last-name': 'Контакт', email: 'new@example.ru' } } });
			expect(result.items).toEqual([item(simplified(fake(), fake().all('contacts').pop()!))]);
		});

		it('Create or Update: one match is updated, custom fields merged', async () => {
			const result = await run({
				resource: 'contact', operation: 'upsert', matchBy: 'mobile-phone', matchValue: '+79876543211', firstName: 'Иван', lastName: 'Иванов-Петров',
				additionalFields: { customFields: { pairs: [{ name: 'custom-2', value: 'x' }] } },
			});
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => [r.method, r.path, r.query])).toEqual([
				['GET', '/api/v1/contacts', { 'filter[mobile_phone]': '+79876543211', 'page[number]': '1', 'page[size]': '100' }],
				['PATCH', '/api/v1/contacts/1', {}],
			]);
			expect(reqs()[1].body).toEqual({
				data: { type: 'contacts', id: '1', attributes: { 'first-name': 'Иван', 'last-name': 'Иванов-Петров', customs: { 'custom-1': 'VIP', 'custom-7': '2022-02-22T12:02:22.222+03:00', 'custom-2': 'x' } } },
			});
			expect(fake().all('contacts')).toHaveLength(3);
			expect(result.items).toEqual([item(simplified(fake(), fake().get('contacts', '1')!))]);
		});

		it('Create or Update: several matches fail the item naming the ids, nothing written', async () => {
			const result = await run(
				{ resource: 'contact', operation: 'upsert', matchBy: 'email', matchValue: 'petrov@example.ru', firstName: 'П', lastName: 'П' },
				{ continueOnFail: true, input: [{}] },
			);
			expect(reqs().map((r) => r.method)).toEqual(['GET']);
			expect(result.items).toHaveLength(1);
			expect(result.items[0].json.error).toBe('Item 1: 2 contacts match email = "petrov@example.ru" (IDs 2, 3); nothing was changed');
		});

		it('a 422 from the API is shown in its own words, naming the field', async () => {
			const result = await run({ resource: 'contact', operation: 'create', firstName: 'A', lastName: 'B', additionalFields: { responsible: byId('999') } });
			expect(result.error?.message).toBe('Synergy CRM returned 422: responsible: the users record identified by 999 could not be found.');
			expect(reqs().map((r) => r.status)).toEqual([422]);
		});

		it('a required attribute left empty fails before anything is sent', async () => {
			const result = await run({ resource: 'contact', operation: 'create', firstName: 'A', lastName: '={{ $json.last }}' }, { input: [{ last: '' }] });
			expect(result.error?.message).toBe('Item 1: "Last Name" is required but empty');
			expect(reqs()).toHaveLength(0);
		});

		it('a refused token is a clear 401', async () => {
			const result = await env.harness.runNode({ node: 'synergyCrm', parameters: { resource: 'contact', operation: 'get', id: '1' }, credentials: cred('wrong-token-123') });
			expect(result.error?.message).toBe('Synergy CRM returned 401: Требуется авторизация: неверный или отсутствующий API-токен');
			expect(result.error?.message).not.toContain('wrong-token-123');
		});
	});

	describe('companies', () => {
		it('Create or Update by INN updates the one match', async () => {
			const result = await run({ resource: 'company', operation: 'upsert', matchBy: 'inn', matchValue: '7701234567', name: 'АО Ромашка (новое)' });
			expect(result.error).toBeUndefined();
			expect(reqs().map((r) => [r.method, r.path, r.query])).toEqual([
				['GET', '/api/v1/companies', { 'filter[inn]': '7701234567', 'page[number]': '1', 'page[size]': '100' }],
				['PATCH', '/api/v1/companies/2', {}],
			]);
			expect(reqs()[1].body).toEqual({ data: { type: 'companies', id: '2', attributes: { name: 'АО Ромашка (новое)' } } });
		});

		it('Create or Update by any phone creates when none matches', async () => {
			const result = await run({ resource: 'company', operation: 'upsert', matchBy: 'any-phone', matchValue: '+70000000000', name: 'ООО Новая' });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].query['filter[any_phone]']).toBe('+70000000000');
			expect(reqs()[1].body).toEqual({ data: { type: 'companies', attributes: { name: 'ООО Новая' } } });
		});

		it('Create puts grouped attributes (legal details, addresses) into attributes', async () => {
			const result = await run({ resource: 'company', operation: 'create', name: 'ООО Тест', legalDetails: { inn: '1234567890', kpp: '123456789' }, legalAddress: { juristicCity: 'Казань' }, mailingAddress: { mailingZipCode: '420000' } });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({ data: { type: 'companies', attributes: { name: 'ООО Тест', inn: '1234567890', kpp: '123456789', 'juristic-city': 'Казань', 'mailing-zip-code': '420000' } } });
		});
	});

	describe('deals', () => {
		it('Return All over 3 pages: exactly ceil(records / 100) requests', async () => {
			fake().seedDeals(250);
			const total = fake().all('deals').length;
			expect(total).toBe(251);
			const result = await run({ resource: 'deal', operation: 'getAll', returnAll: true });
			expect(result.error).toBeUndefined();
			const pages = reqs().map((r) => r.query);
			expect(pages).toHaveLength(3);
			expect(pages.sort((a, b) => Number(a['page[number]']) - Number(b['page[number]']))).toEqual([1, 2, 3].map((n) => ({ 'page[number]': String(n), 'page[size]': '100' })));
			expect(result.items.map((i) => i.json.id)).toEqual(fake().all('deals').map((r) => r.id));
		});

		it('Limit 150 reads two pages of 100 and returns 150', async () => {
			fake().seedDeals(400);
			const result = await run({ resource: 'deal', operation: 'getAll', returnAll: false, limit: 150 });
			expect(result.error).toBeUndefined();
			expect(reqs()).toHaveLength(2);
			expect(result.items).toHaveLength(150);
			expect(result.items[149].json.id).toBe('150');
		});

		it('Return All of 10 000 deals', async () => {
			fake().seedDeals(9999);
			const result = await run({ resource: 'deal', operation: 'getAll', returnAll: true });
			expect(result.error).toBeUndefined();
			expect(reqs()).toHaveLength(100);
			expect(result.items).toHaveLength(10000);
		});

		it('Get Many with filters and include', async () => {
			fake().seedDeals(3);
			const result = await run({
				resource: 'deal', operation: 'getAll', returnAll: true, include: ['stage', 'responsible'],
				filters: { createdAtLte: '2024-01-10T12:35:00' },
			});
			expect(result.error).toBeUndefined();
			expect(reqs()[0].query).toEqual({ include: 'stage,responsible', 'filter[created-at-lte]': '2024.01.10 12:35', 'page[number]': '1', 'page[size]': '100' });
			const f = fake();
			const flat = (r: FakeRecord) => ({ type: r.type, ...simplified(f, r) });
			expect(result.items).toEqual([
				item(simplified(f, f.get('deals', '1')!, { responsible: '1', responsible_data: flat(f.get('users', '1')!), stage: '1', stage_data: flat(f.get('deal-stages', '1')!) })),
			]);
		});

		it('Create links stage, pipeline, company, contact, loss reason and products', async () => {
			const result = await run({
				resource: 'deal', operation: 'create',
				additionalFields: {
					name: 'Сделка API', amount: 1500.5, plannedAt: '2024-05-01', stage: byId('1'), stageCategory: byId('1'), company: byId('2'),
					contact: byId('3'), lossReason: byId('1'), products: '1',
				},
			});
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({
				data: {
					type: 'deals',
					attributes: { name: 'Сделка API', amount: 1500.5, 'planned-at': '2024-05-01' },
					relationships: {
						company: { data: { type: 'companies', id: '2' } }, contact: { data: { type: 'contacts', id: '3' } },
						stage: { data: { type: 'deal-stages', id: '1' } }, 'stage-category': { data: { type: 'deal-stage-categories', id: '1' } },
						'loss-reason': { data: { type: 'deal-loss-reasons', id: '1' } }, products: { data: [{ type: 'products', id: '1' }] },
					},
				},
			});
		});

		it('Update merges deal custom fields', async () => {
			const result = await run({ resource: 'deal', operation: 'update', id: '1', updateFields: { customFields: { pairs: [{ name: 'custom-4', value: 'B' }] } } });
			expect(result.error).toBeUndefined();
			expect(fake().get('deals', '1')!.attributes.customs).toEqual({ 'custom-3': 'A', 'custom-4': 'B' });
		});
	});

	describe('other resources', () => {
		it('Contract parties: a contact and a company', async () => {
			const result = await run({ resource: 'contract', operation: 'create', additionalFields: { name: 'Договор', firstParty: byId('contacts:2'), secondParty: { __rl: true, mode: 'list', value: 'companies:1' } } });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({
				data: { type: 'contracts', attributes: { name: 'Договор' }, relationships: { 'first-party': { data: { type: 'contacts', id: '2' } }, 'second-party': { data: { type: 'companies', id: '1' } } } },
			});
		});

		it('Diary Event create as in the docs sample', async () => {
			const result = await run({ resource: 'diaryEvent', operation: 'create', additionalFields: { name: 'Задача по API', startTime: '2022-02-22T12:00:00', responsible: byId('2'), company: byId('1') } });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({
				data: {
					type: 'diary-events',
					attributes: { name: 'Задача по API', 'start-time': '2022-02-22 12:00 +0300' },
					relationships: { responsible: { data: { type: 'users', id: '2' } }, company: { data: { type: 'companies', id: '1' } } },
				},
			});
		});

		it('Bank details belong to a company', async () => {
			const result = await run({ resource: 'companyBankDetails', operation: 'create', name: 'Резервный', additionalFields: { isDefault: false, company: byId('2') } });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].body).toEqual({ data: { type: 'company-bank-details', attributes: { name: 'Резервный', 'is-default': false }, relationships: { company: { data: { type: 'companies', id: '2' } } } } });
		});
	});

	describe('resource locator lists', () => {
		it('lists users page by page through the credential', async () => {
			const list = await env.harness.listSearch('synergyCrm', 'searchUsers', cred());
			expect(list.results).toEqual([{ name: 'Иван Петров', value: '1' }, { name: 'Мария Сидорова', value: '2' }]);
			expect(list.paginationToken).toBeUndefined();
			expect(reqs()[0].query).toEqual({ 'page[number]': '1', 'page[size]': '100' });
			expect(reqs()[0].headers.authorization).toBe(`Bearer ${SYNERGY_TOKEN}`);
		});

		it('searches contacts on the server by e-mail and by last name', async () => {
			let list = await env.harness.listSearch('synergyCrm', 'searchContacts', cred(), 'petrov@example.ru');
			expect(reqs()[0].query['filter[email]']).toBe('petrov@example.ru');
			expect(list.results).toEqual([{ name: 'Петров Пётр', value: '2' }, { name: 'Петрова Анна', value: '3' }]);
			list = await env.harness.listSearch('synergyCrm', 'searchContacts', cred(), 'Иванов');
			expect(reqs()[1].query['filter[last-name]']).toBe('Иванов');
			expect(list.results).toEqual([{ name: 'Иванов Иван', value: '1' }]);
		});

		it('pages a long list with a pagination token', async () => {
			for (let i = 0; i < 148; i++) fake().insert('contacts', { 'first-name': `Имя ${i}`, 'last-name': 'Тестов' });
			const first = await env.harness.listSearch('synergyCrm', 'searchContacts', cred());
			expect(first.results).toHaveLength(100);
			expect(first.paginationToken).toBe('2');
			const second = await env.harness.listSearch('synergyCrm', 'searchContacts', cred(), undefined, '2');
			expect(second.results).toHaveLength(51);
			expect(second.paginationToken).toBeUndefined();
		});

		it('contract parties list companies, then contacts', async () => {
			const companies = await env.harness.listSearch('synergyCrm', 'searchContractParties', cred());
			expect(companies.results).toEqual([{ name: 'Company: ООО Синергия Софт', value: 'companies:1' }, { name: 'Company: АО Ромашка', value: 'companies:2' }]);
			expect(companies.paginationToken).toBe('contacts:1');
			const contacts = await env.harness.listSearch('synergyCrm', 'searchContractParties', cred(), undefined, 'contacts:1');
			expect(contacts.results.map((r) => r.value)).toEqual(['contacts:1', 'contacts:2', 'contacts:3']);
		});
	});

	describe('the fake follows the docs (requests the node never sends)', () => {
		const call = async (method: string, p: string, body?: unknown, contentType = JSONAPI) =>
			await fetch(`${env.sandbox.url('synergy')}${p}`, {
				method,
				headers: { Authorization: `Bearer ${SYNERGY_TOKEN}`, ...(body ? { 'Content-Type': contentType } : {}) },
				body: body ? JSON.stringify(body) : undefined,
			});
		it('rejects unknown attributes, wrong types, missing required attributes with 422 JSON:API errors', async () => {
			const res = await call('POST', '/api/v1/contacts', { data: { type: 'contacts', attributes: { 'first-name': 1, nickname: 'x' } } });
			expect(res.status).toBe(422);
			expect(((await res.json()) as { errors: Array<{ detail: string; source: { pointer: string } }> }).errors.map((e) => [e.detail, e.source.pointer])).toEqual([
				['first-name - must be a string', '/data/attributes/first-name'],
				['nickname is not allowed.', '/data/attributes/nickname'],
				["last-name - can't be blank", '/data/attributes/last-name'],
			]);
		});
		it('rejects a page size above 100, a date filter not in YYYY.MM.DD HH:MM, an undocumented filter and a JSON Content-Type', async () => {
			expect((await call('GET', '/api/v1/deals?page%5Bsize%5D=101')).status).toBe(400);
			expect((await call('GET', '/api/v1/deals?filter%5Bcreated-at-gte%5D=2022-02-22')).status).toBe(400);
			expect((await call('GET', '/api/v1/deals?filter%5Bemail%5D=x')).status).toBe(400);
			expect((await call('POST', '/api/v1/deals', { data: { type: 'deals' } }, 'application/json')).status).toBe(415);
			const page = (await (await call('GET', '/api/v1/deals')).json()) as { meta: unknown };
			expect(page.meta).toEqual({ 'record-count': 1, 'page-count': 1 });
		});
	});

	describe('credential', () => {
		it('its Test is the docs\' own authorization example (GET /api/v1/deals), run as n8n runs it, and fails on a wrong token', async () => {
			const test = (data: Record<string, string>) => env.harness.testCredential('synergyCrm', 'synergyCrmApi', data);
			expect(await test({ apiToken: SYNERGY_TOKEN, baseUrl: `${env.sandbox.url('synergy')}/` })).toEqual({ status: 'OK', message: 'Connection successful!' });
			const [sent] = reqs();
			expect([sent.method, sent.path, sent.query, sent.headers.authorization, sent.headers.accept]).toEqual(['GET', '/api/v1/deals', { 'page[size]': '1' }, `Bearer ${SYNERGY_TOKEN}`, JSONAPI]);
			expect(await test({ apiToken: SYNERGY_TOKEN, baseUrl: `${env.sandbox.url('synergy')}/api/v1` })).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect(reqs()[1].path).toBe('/api/v1/deals');
			// n8n 1.x shows its own words for a 401 (its NodeApiError drops the cause the rules read).
			expect(await test({ apiToken: 'nope-nope', baseUrl: env.sandbox.url('synergy') })).toEqual({ status: 'Error', message: 'Authorization failed - please check your credentials' });
			expect(reqs()[2].status).toBe(401);
		});

		it('a Base URL given with /api/v1 works', async () => {
			const credentials = { synergyCrmApi: env.harness.credentials.add('synergyCrmApi', { apiToken: SYNERGY_TOKEN, baseUrl: `${env.sandbox.url('synergy')}/api/v1/` }) };
			const result = await env.harness.runNode({ node: 'synergyCrm', parameters: { resource: 'user', operation: 'get', id: '1' }, credentials });
			expect(result.error).toBeUndefined();
			expect(reqs()[0].path).toBe('/api/v1/users/1');
		});
	});
});
