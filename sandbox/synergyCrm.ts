/**
 * Synergy CRM fake — JSON:API v1.0 as the vendor docs (Synergy CRM API) document it (attribute lists,
 * required attributes, relationships, filters per type are read from sources/catalog.json,
 * which transcribes the docs). Bearer auth on every request; POST/PATCH need
 * Content-Type application/vnd.api+json; page[number]/page[size] (default 50, max 100) with
 * meta.record-count/meta.page-count; include; filters with dates as `YYYY.MM.DD HH:mm`
 * (account time zone: Moscow, +03:00); the `customs` hash. Errors the jsonapi-resources way:
 * `{errors:[{title, detail, code, status, source:{pointer}}]}`.
 * Variants (docs ambiguous): `links` absolute or relative; the custom-field hash spelled
 * `customs` (samples) or `custom` (attribute tables) in responses; calls the docs do not document
 * served or answered 405 / 404 (`undocumented`).
 */
import fs from 'fs';
import path from 'path';

import { bearer, json, type ProviderFake, type SandboxRequest, type SandboxResponse } from './server';

interface DocAttribute {
	name: string;
	type: string;
	required?: boolean;
	writable?: boolean;
	constraints?: string;
}
interface DocType {
	attributes: DocAttribute[];
	relationships: Record<string, string | string[]>;
	filters: Array<{ name: string }>;
}
type Linkage = { type: string; id: string };
export interface FakeRecord {
	id: string;
	type: string;
	attributes: Record<string, unknown>;
	rels: Record<string, Linkage | Linkage[] | null>;
}

function loadCatalog(): { types: Record<string, DocType>; mentioned: string[] } {
	let dir = __dirname;
	for (let i = 0; i < 5; i++) {
		const file = path.join(dir, 'sources', 'catalog.json');
		if (fs.existsSync(file)) {
			const provider = JSON.parse(fs.readFileSync(file, 'utf8')).providers['synergy-crm'];
			return { types: provider.resources, mentioned: provider.mentioned_only_types };
		}
		dir = path.dirname(dir);
	}
	throw new Error('catalog.json not found');
}

const TO_MANY = new Set(['companies', 'contacts', 'deals', 'orders', 'products', 'entities-products', 'tasks', 'events', 'bank-details', 'estate-properties']);
const PHONES = ['general-phone', 'mobile-phone', 'work-phone', 'other-phone'];
const OFFSET_MS = 3 * 3600_000;
export const SYNERGY_TOKEN = 'synergy-test-token-0123456789';

const err = (status: number, title: string, detail: string, pointer?: string, code = String(status)) =>
	json(status, { errors: [{ title, detail, code, status: String(status), ...(pointer ? { source: { pointer } } : {}) }] }, { 'Content-Type': 'application/vnd.api+json' });

/** `2022-02-22T12:02:22.222+03:00` of an epoch ms (account zone +03:00). */
export function mskIso(ms: number): string {
	return new Date(ms + OFFSET_MS).toISOString().replace('Z', '+03:00');
}

export class SynergyCrmFake implements ProviderFake {
	prefix = '/synergy';
	name = 'synergy';
	tokens = new Set<string>([SYNERGY_TOKEN]);
	/** `relative` (`/api/v1/...`, most samples) or `absolute` (`http://host/api/v1/...`, the contracts sample). */
	links: 'relative' | 'absolute' = 'relative';
	/** Response spelling of the custom-field hash: `customs` (samples) or `custom` (tables). */
	customsKey: 'customs' | 'custom' = 'customs';
	readonly docs: Record<string, DocType>;
	readonly mentioned: string[];

	// ---- providers helper: alternative readings of issue 15 (Synergy CRM) ----
	/**
	 * Calls the docs do not document (diary events other than create; Get / Get Many of the
	 * mentioned-only types). `serve` (default): served like the documented types. `405` / `404`:
	 * the server does not offer them (issue 15.8).
	 */
	undocumented: 'serve' | '405' | '404' = 'serve';
	// ---- end providers helper ----

	store = new Map<string, Map<string, FakeRecord>>();
	private nextId = new Map<string, number>();
	/** Deterministic clock: every write moves it one minute on. */
	clock = Date.UTC(2024, 0, 10, 9, 0);
	host = '';

	constructor() {
		const { types, mentioned } = loadCatalog();
		this.docs = types;
		this.mentioned = mentioned;
		this.reset();
	}

	/** Wire attribute names of a type (the contracts sample sends `custom-number` where the table says `custom_number`). */
	attributeDocs(type: string): DocAttribute[] {
		return (this.docs[type]?.attributes ?? []).map((a) => (a.name === 'custom_number' ? { ...a, name: 'custom-number' } : a));
	}

	private table(type: string): Map<string, FakeRecord> {
		if (!this.store.has(type)) this.store.set(type, new Map());
		return this.store.get(type)!;
	}

	private tick(): string {
		this.clock += 60_000;
		return mskIso(this.clock);
	}

	/** Insert a record as the server would store it (no validation: seeding). */
	insert(type: string, attributes: Record<string, unknown>, rels: FakeRecord['rels'] = {}): FakeRecord {
		const n = (this.nextId.get(type) ?? 1);
		this.nextId.set(type, n + 1);
		const now = this.tick();
		const attrs: Record<string, unknown> = {};
		for (const a of this.attributeDocs(type)) attrs[a.type === 'hash' ? 'customs' : a.name] = a.type === 'hash' ? {} : null;
		Object.assign(attrs, { 'created-at': now, 'updated-at': now }, attributes);
		if (!this.docs[type]) {
			delete attrs['created-at'];
			delete attrs['updated-at'];
		}
		const record: FakeRecord = { id: String(n), type, attributes: attrs, rels: { ...rels } };
		this.table(type).set(record.id, record);
		return record;
	}

	get(type: string, id: string): FakeRecord | undefined {
		return this.store.get(type)?.get(id);
	}

	all(type: string): FakeRecord[] {
		return [...this.table(type).values()];
	}

	reset(): void {
		this.store = new Map();
		this.nextId = new Map();
		this.clock = Date.UTC(2024, 0, 10, 9, 0);
		this.links = 'relative';
		this.customsKey = 'customs';
		this.undocumented = 'serve';
		this.tokens = new Set([SYNERGY_TOKEN]);
		const u = (id: string) => ({ type: 'users', id });
		this.insert('users', { name: 'Иван Петров', email: 'ivan@example.ru' });
		this.insert('users', { name: 'Мария Сидорова', email: 'maria@example.ru' });
		this.insert('sources', { name: 'Сайт' });
		this.insert('sources', { name: 'Выставка' });
		for (const t of ['products', 'entity-products', 'diary-tasks', 'estate-properties', 'competitors', 'areas']) this.insert(t, { name: `${t} 1` });
		for (const t of ['contact-statuses', 'company-statuses', 'deal-statuses', 'order-statuses']) {
			this.insert(t, { name: 'Новый', color: '#1f2f3f' });
			this.insert(t, { name: 'В работе', color: '#ee66aa' });
		}
		for (const t of ['contact-types', 'company-types', 'deal-loss-reasons', 'order-loss-reasons']) this.insert(t, { name: `${t}: первый` });
		this.insert('deal-stage-categories', { name: 'Воронка сделок', 'amount-calc-method': 'manually', 'cost-calc-method': 'manually', 'is-default': true, 'win-by-diaries': false });
		this.insert('deal-stages', { name: 'Первичный контакт', duration: 20000, 'next-if-items-done': false, description: 'Первый этап', color: '#ee66aa' }, { 'deal-stage-category': { type: 'deal-stage-categories', id: '1' } });
		this.insert('order-stages', { name: 'Новая заявка', duration: 100, 'next-if-items-done': false, description: 'Этап', color: '#000000' });
		this.insert('companies', { name: 'ООО Синергия Софт', inn: '0101010101', email: 'office@syncrm.ru', 'work-phone': '+79876543210', customs: { 'custom-1': 'Gold', 'custom-2': '' } }, { responsible: u('1'), user: u('1'), 'company-type': { type: 'company-types', id: '1' } });
		this.insert('companies', { name: 'АО Ромашка', inn: '7701234567', email: 'info@romashka.ru' }, { responsible: u('2'), user: u('2') });
		this.insert('company-bank-details', { name: 'Основной счёт', 'bank-name': 'ПАО СБЕРБАНК', bik: '044525225', 'corr-number': '30101810400000000225', number: '40702810900000000001', 'is-default': true }, { company: { type: 'companies', id: '1' } });
		this.table('companies').get('1')!.rels['bank-details'] = [{ type: 'company-bank-details', id: '1' }];
		this.insert('contacts', { 'first-name': 'Иван', 'last-name': 'Иванов', email: 'ivanov@example.ru', 'mobile-phone': '+79876543211', customs: { 'custom-1': 'VIP', 'custom-7': '2022-02-22T12:02:22.222+03:00' } }, { responsible: u('1'), user: u('1'), source: { type: 'sources', id: '1' }, 'contact-type': { type: 'contact-types', id: '1' }, status: { type: 'contact-statuses', id: '1' }, companies: [{ type: 'companies', id: '1' }] });
		this.insert('contacts', { 'first-name': 'Пётр', 'last-name': 'Петров', email: 'petrov@example.ru', 'work-phone': '+79991112233' }, { responsible: u('2'), user: u('2') });
		this.insert('contacts', { 'first-name': 'Анна', 'last-name': 'Петрова', email: 'petrov@example.ru', 'other-phone': '+79995554433' }, { responsible: u('2'), user: u('2') });
		this.insert('deals', { name: 'Поставка ПО', amount: 2200000.0, cost: 1000000.0, profit: 1200000.0, number: 1, customs: { 'custom-3': 'A' } }, { responsible: u('1'), user: u('1'), company: { type: 'companies', id: '1' }, contact: { type: 'contacts', id: '1' }, stage: { type: 'deal-stages', id: '1' }, 'stage-category': { type: 'deal-stage-categories', id: '1' }, source: { type: 'sources', id: '1' }, status: { type: 'deal-statuses', id: '1' } });
		this.insert('orders', { name: 'Заявка с сайта', amount: '2222.0', number: 1 }, { responsible: u('1'), stage: { type: 'order-stages', id: '1' }, status: { type: 'order-statuses', id: '1' } });
		this.insert('contracts', { name: 'Договор поставки', number: 22, 'custom-number': 'abc-22', date: '2022-02-22' }, { 'first-party': { type: 'companies', id: '1' }, 'second-party': { type: 'contacts', id: '1' }, user: u('1') });
		this.insert('diary-events', { name: 'Звонок', description: 'Позвонить клиенту', 'start-time': '2024-01-11T10:00:00.000+03:00' }, { responsible: u('1'), company: { type: 'companies', id: '1' } });
	}

	/** Bulk deals for pagination (fast: no validation), created one minute apart. */
	seedDeals(count: number): void {
		for (let i = 0; i < count; i++) this.insert('deals', { name: `Сделка ${i + 1}`, amount: 1000 + i, number: 100 + i }, { responsible: { type: 'users', id: '1' } });
	}

	private link(path: string): string {
		return this.links === 'absolute' ? `${this.host}/api/v1${path}` : `/api/v1${path}`;
	}

	render(record: FakeRecord, include: string[] = []): Record<string, unknown> {
		const attributes: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(record.attributes)) attributes[k === 'customs' ? this.customsKey : k] = v;
		const relationships: Record<string, unknown> = {};
		for (const name of Object.keys(this.docs[record.type]?.relationships ?? {})) {
			const rel: Record<string, unknown> = {
				links: { self: this.link(`/${record.type}/${record.id}/relationships/${name}`), related: this.link(`/${record.type}/${record.id}/${name}`) },
			};
			if (include.includes(name)) rel.data = record.rels[name] ?? (TO_MANY.has(name) ? [] : null);
			relationships[name] = rel;
		}
		const out: Record<string, unknown> = { id: record.id, type: record.type, links: { self: this.link(`/${record.type}/${record.id}`) }, attributes };
		if (Object.keys(relationships).length) out.relationships = relationships;
		return out;
	}

	private document(data: FakeRecord | FakeRecord[], include: string[], extra: Record<string, unknown> = {}): SandboxResponse {
		const list = Array.isArray(data) ? data : [data];
		const body: Record<string, unknown> = { data: Array.isArray(data) ? list.map((r) => this.render(r, include)) : this.render(data, include), ...extra };
		if (include.length) {
			const seen = new Set<string>();
			const included: unknown[] = [];
			for (const r of list) {
				for (const name of include) {
					const link = r.rels[name];
					for (const l of Array.isArray(link) ? link : link ? [link] : []) {
						const key = `${l.type}:${l.id}`;
						const target = this.get(l.type, l.id);
						if (seen.has(key) || !target) continue;
						seen.add(key);
						included.push(this.render(target));
					}
				}
			}
			body.included = included;
		}
		return json(200, body, { 'Content-Type': 'application/vnd.api+json' });
	}

	handle(req: SandboxRequest): SandboxResponse {
		this.host = `http://${String(req.headers.host ?? '127.0.0.1')}/synergy`;
		const token = bearer(req);
		if (!token || !this.tokens.has(token)) return err(401, 'Unauthorized', 'Требуется авторизация: неверный или отсутствующий API-токен');
		const accept = String(req.headers.accept ?? '');
		if (/application\/vnd\.api\+json\s*;/.test(accept) && !/application\/vnd\.api\+json\s*(,|$)/.test(accept) && !accept.includes('*/*')) {
			return err(406, 'Not acceptable', 'All requests must use the application/vnd.api+json media type without parameters');
		}
		const m = /^\/api\/v1\/([a-z-]+)(?:\/([^/]+)(?:\/(relationships\/)?([a-z-]+))?)?\/?$/.exec(req.path);
		if (!m) return err(404, 'Not found', `No route matches ${req.path}`);
		const [, type, id, relLink, relName] = m;
		const doc = this.docs[type];
		if (!doc && !this.mentioned.includes(type)) return err(404, 'Not found', `No route matches ${req.path}`);
		if (!doc && req.method !== 'GET') return err(405, 'Method not allowed', `${req.method} is not supported for ${type}`);
		const undocumentedCall = !doc || (type === 'diary-events' && !(req.method === 'POST' && !id));
		if (undocumentedCall && this.undocumented === '405') return err(405, 'Method not allowed', `${req.method} ${req.path} is not supported`);
		if (undocumentedCall && this.undocumented === '404') return err(404, 'Not found', `No route matches ${req.path}`);
		if (req.method === 'GET' || req.method === 'DELETE') {
			if (req.method === 'GET') {
				if (relName) return this.getRelated(type, id, relName, !!relLink);
				return id ? this.getOne(type, id, req) : this.list(type, req);
			}
			if (!id || relName) return err(405, 'Method not allowed', 'DELETE needs a record URL');
			if (!this.get(type, id)) return err(404, 'Record not found', `The record identified by ${id} could not be found.`);
			this.table(type).delete(id);
			return { status: 204 };
		}
		if (req.method !== 'POST' && req.method !== 'PATCH') return err(405, 'Method not allowed', `${req.method} is not supported`);
		if ((req.method === 'POST' && id) || (req.method === 'PATCH' && (!id || relName))) return err(405, 'Method not allowed', `${req.method} ${req.path} is not supported`);
		const contentType = String(req.headers['content-type'] ?? '');
		if (contentType.trim() !== 'application/vnd.api+json') {
			return err(415, 'Unsupported media type', `All requests that create or update must use the 'application/vnd.api+json' Content-Type. This request specified '${contentType}'.`);
		}
		if (req.bodyInvalid) return err(400, 'Bad Request', 'The request body is not valid JSON');
		return this.write(type, req.method === 'PATCH' ? id : undefined, req.body);
	}

	private parseInclude(type: string, req: SandboxRequest): string[] | SandboxResponse {
		const raw = req.query.include;
		if (raw === undefined) return [];
		const names = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
		const rels = this.docs[type]?.relationships ?? {};
		for (const n of names) if (!(n in rels)) return err(400, 'Invalid field', `${n} is not a valid includable relationship of ${type}`, undefined, '112');
		return names;
	}

	private getOne(type: string, id: string, req: SandboxRequest): SandboxResponse {
		const include = this.parseInclude(type, req);
		if (!Array.isArray(include)) return include;
		const record = this.get(type, id);
		if (!record) return err(404, 'Record not found', `The record identified by ${id} could not be found.`, undefined, '404');
		return this.document(record, include);
	}

	private getRelated(type: string, id: string, name: string, linkageOnly: boolean): SandboxResponse {
		const record = this.get(type, id);
		if (!record) return err(404, 'Record not found', `The record identified by ${id} could not be found.`);
		if (!(name in (this.docs[type]?.relationships ?? {}))) return err(404, 'Not found', `${name} is not a relationship of ${type}`);
		const link = record.rels[name] ?? (TO_MANY.has(name) ? [] : null);
		if (linkageOnly) {
			return json(200, { links: { self: this.link(`/${type}/${id}/relationships/${name}`), related: this.link(`/${type}/${id}/${name}`) }, data: link }, { 'Content-Type': 'application/vnd.api+json' });
		}
		if (Array.isArray(link)) return this.document(link.map((l) => this.get(l.type, l.id)).filter((r): r is FakeRecord => !!r), []);
		if (!link) return json(200, { data: null }, { 'Content-Type': 'application/vnd.api+json' });
		const target = this.get(link.type, link.id);
		return target ? this.document(target, []) : json(200, { data: null });
	}

	private list(type: string, req: SandboxRequest): SandboxResponse {
		const include = this.parseInclude(type, req);
		if (!Array.isArray(include)) return include;
		const allowed = new Set((this.docs[type]?.filters ?? []).map((f) => f.name));
		let records = this.all(type);
		for (const [key, raw] of Object.entries(req.query)) {
			const fm = /^filter\[([a-z_-]+)\]$/.exec(key);
			if (fm) {
				// The filter tables dasherize phone filters, the curl samples use underscores: both spellings accepted.
				const name = fm[1].replace(/_/g, '-');
				if (!allowed.has(name)) return err(400, 'Filter not allowed', `${fm[1]} is not allowed.`, undefined, '102');
				const value = String(Array.isArray(raw) ? raw[raw.length - 1] : raw);
				const result = this.applyFilter(records, name, value);
				if (!Array.isArray(result)) return result;
				records = result;
			} else if (!['include', 'page[number]', 'page[size]', 'sort'].includes(key)) {
				return err(400, 'Param not allowed', `${key} is not allowed.`, undefined, '105');
			}
		}
		const number = req.query['page[number]'] === undefined ? 1 : Number(req.query['page[number]']);
		const size = req.query['page[size]'] === undefined ? 50 : Number(req.query['page[size]']);
		if (!Number.isInteger(number) || number < 1) return err(400, 'Invalid page value', `${String(req.query['page[number]'])} is not a valid value for number page parameter.`, undefined, '118');
		if (!Number.isInteger(size) || size < 1 || size > 100) return err(400, 'Invalid page value', `size exceeds maximum page size of 100.`, undefined, '118');
		const page = records.slice((number - 1) * size, number * size);
		return this.document(page, include, { meta: { 'record-count': records.length, 'page-count': Math.ceil(records.length / size) } });
	}

	private applyFilter(records: FakeRecord[], name: string, value: string): FakeRecord[] | SandboxResponse {
		const dm = /^(.*)-(gte|lte)$/.exec(name);
		if (dm) {
			const parts = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2})$/.exec(value);
			if (!parts) return err(400, 'Invalid filter value', `${value} is not a valid value for ${name}; use YYYY.MM.DD HH:MM`, undefined, '103');
			const [, y, mo, d, h, mi] = parts.map(Number);
			const at = Date.UTC(y, mo - 1, d, h, mi) - OFFSET_MS;
			return records.filter((r) => {
				const v = r.attributes[dm[1]];
				if (typeof v !== 'string') return false;
				const t = Date.parse(v);
				return dm[2] === 'gte' ? t >= at : t < at + 60_000;
			});
		}
		const eq = (v: unknown) => v !== null && v !== undefined && String(v).toLowerCase() === value.toLowerCase();
		if (name === 'any-phone') return records.filter((r) => PHONES.some((p) => eq(r.attributes[p])));
		if (name === 'q') {
			const needle = value.toLowerCase();
			return records.filter((r) => ['name', 'number', 'custom-number'].some((k) => String(r.attributes[k] ?? '').toLowerCase().includes(needle)));
		}
		// archived/discarded/actual/table-state-id: the docs show only the value 2 without saying what it
		// selects; the fake accepts them and does not narrow the list.
		if (['archived', 'discarded', 'actual', 'table-state-id'].includes(name)) return records;
		return records.filter((r) => eq(r.attributes[name]));
	}

	private checkAttribute(attr: DocAttribute, value: unknown, type: string): string | undefined {
		if (value === null) return attr.required ? "can't be blank" : undefined;
		switch (attr.type) {
			case 'string': {
				if (typeof value !== 'string') return 'must be a string';
				const oneOf = /one of (.+)$/.exec(attr.constraints ?? '');
				if (oneOf && !oneOf[1].split(',').map((s) => s.trim()).includes(value)) return `is not included in the list (${oneOf[1]})`;
				return attr.required && value.trim() === '' ? "can't be blank" : undefined;
			}
			case 'integer':
				return Number.isInteger(value) || (typeof value === 'string' && /^-?\d+$/.test(value)) ? undefined : 'must be an integer';
			case 'decimal':
				return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) ? undefined : 'must be a number';
			case 'boolean':
				// The stage tables type description as boolean though it is a text: both accepted.
				if (attr.name === 'description') return typeof value === 'string' || typeof value === 'boolean' ? undefined : 'must be a string';
				return typeof value === 'boolean' ? undefined : 'must be true or false';
			case 'date':
				return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? undefined : 'must be a date (YYYY-MM-DD)';
			case 'datetime':
				if (typeof value !== 'string') return 'must be a date/time';
				if (type === 'contracts' && attr.name === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
				if (type === 'diary-events' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{4}$/.test(value)) return undefined;
				return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(value) ? undefined : 'must be an ISO 8601 date/time';
			case 'hash': {
				if (!value || typeof value !== 'object' || Array.isArray(value)) return 'must be a hash of custom-<N> keys';
				for (const [k, v] of Object.entries(value)) {
					if (!/^custom-\d+$/.test(k)) return `has an unknown custom field ${k}`;
					if (v !== null && typeof v !== 'string') return `${k} must be a string`;
				}
				return undefined;
			}
			default:
				return undefined;
		}
	}

	private write(type: string, id: string | undefined, body: unknown): SandboxResponse {
		const data = (body as { data?: Record<string, unknown> } | undefined)?.data;
		if (!data || typeof data !== 'object' || Array.isArray(data)) return err(400, 'Missing Parameter', 'The required parameter, data, is missing.', '/data', '106');
		if (data.type !== type) return err(409, 'Type mismatch', `${String(data.type)} is not a valid type for this operation.`, '/data/type', '110');
		if (id !== undefined && String(data.id) !== id) return err(400, 'Key is not included in URL', `The URL does not support the key ${String(data.id)}`, '/data/id', '114');
		if (id === undefined && data.id !== undefined) return err(403, 'Client generated IDs are not supported', 'Client generated IDs are not supported', '/data/id');
		const existing = id !== undefined ? this.get(type, id) : undefined;
		if (id !== undefined && !existing) return err(404, 'Record not found', `The record identified by ${id} could not be found.`);
		const docs = this.attributeDocs(type);
		const attrs = (data.attributes ?? {}) as Record<string, unknown>;
		if (typeof attrs !== 'object' || Array.isArray(attrs)) return err(422, 'Invalid attributes', 'attributes must be an object', '/data/attributes');
		const errors: Array<Record<string, unknown>> = [];
		const clean: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(attrs)) {
			const hashKey = key === 'custom' || key === 'customs';
			const attr = hashKey ? docs.find((a) => a.type === 'hash') : docs.find((a) => a.name === key || (key === 'custom_number' && a.name === 'custom-number'));
			const pointer = `/data/attributes/${key}`;
			if (!attr) {
				errors.push({ title: 'Param not allowed', detail: `${key} is not allowed.`, code: '105', status: '422', source: { pointer } });
				continue;
			}
			if (attr.writable === false) {
				errors.push({ title: 'Param not allowed', detail: `${key} is read-only.`, code: '105', status: '422', source: { pointer } });
				continue;
			}
			const problem = this.checkAttribute(attr, value, type);
			if (problem) errors.push({ title: problem, detail: `${key} - ${problem}`, code: '100', status: '422', source: { pointer } });
			else clean[hashKey ? 'customs' : attr.name] = value;
		}
		if (!existing) {
			for (const a of docs) if (a.required && !(a.name in attrs) && (clean[a.name] === undefined || clean[a.name] === null)) {
				errors.push({ title: "can't be blank", detail: `${a.name} - can't be blank`, code: '100', status: '422', source: { pointer: `/data/attributes/${a.name}` } });
			}
		}
		const rels: FakeRecord['rels'] = {};
		const relDocs = this.docs[type]?.relationships ?? {};
		for (const [name, rel] of Object.entries((data.relationships ?? {}) as Record<string, { data?: unknown }>)) {
			const pointer = `/data/relationships/${name}`;
			const target = relDocs[name];
			if (!target) {
				errors.push({ title: 'Param not allowed', detail: `${name} is not allowed.`, code: '105', status: '422', source: { pointer } });
				continue;
			}
			const allowedTypes = Array.isArray(target) ? target : [target];
			const linkage = rel?.data;
			const many = TO_MANY.has(name);
			const list = linkage === null ? [] : Array.isArray(linkage) ? linkage : [linkage];
			if (linkage === undefined || many !== Array.isArray(linkage) && linkage !== null) {
				errors.push({ title: 'Invalid Links Object', detail: `${name}: data must be ${many ? 'an array of' : 'a'} resource identifier${many ? 's' : ''}`, code: '115', status: '422', source: { pointer } });
				continue;
			}
			const out: Linkage[] = [];
			for (const l of list as Array<{ type?: unknown; id?: unknown }>) {
				// Samples send numeric ids (e.g. the deal-stages creation sample): accepted like the string form.
				const lid = typeof l?.id === 'number' || typeof l?.id === 'string' ? String(l.id) : '';
				if (!allowedTypes.includes(String(l?.type))) {
					errors.push({ title: 'Type mismatch', detail: `${String(l?.type)} is not a valid type for ${name} (expected ${allowedTypes.join(' or ')})`, code: '110', status: '422', source: { pointer } });
				} else if (!this.get(String(l.type), lid)) {
					errors.push({ title: 'Record not found', detail: `${name}: the ${String(l.type)} record identified by ${lid} could not be found.`, code: '404', status: '422', source: { pointer } });
				} else out.push({ type: String(l.type), id: lid });
			}
			rels[name] = many ? out : (out[0] ?? null);
		}
		if (errors.length) return json(422, { errors }, { 'Content-Type': 'application/vnd.api+json' });
		if (existing) {
			// Assigning the hash attribute replaces it as a whole (a Rails hash column): unnamed keys are lost.
			Object.assign(existing.attributes, clean, { 'updated-at': this.tick() });
			Object.assign(existing.rels, rels);
			return this.document(existing, []);
		}
		const record = this.insert(type, clean, rels);
		const res = this.document(record, []);
		return { ...res, status: 201 };
	}
}
