import { DateTime, IANAZone, Zone } from 'luxon';
import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { typedPairValue } from './pairs';
import type { FieldSpec } from './spec';

/** Bad input: names the item, the field and what is allowed. Nothing has been sent. */
export function inputError(node: INode, itemIndex: number, field: FieldSpec, problem: string): NodeOperationError {
	const message = `Item ${itemIndex + 1}: "${field.label}" ${problem}`;
	const error = new NodeOperationError(node, message, {
		itemIndex,
		description: `${field.description} (parameter "${field.name}"). The item was not sent.`,
	});
	error.context.delivery = 'not sent';
	error.context.field = field.name;
	return error;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'number') return `number ${String(value)}`;
	return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

/** An empty value: left out of the request unless the field says to send it. */
export function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null || value === '') return true;
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object' && !(value instanceof Date) && !DateTime.isDateTime(value)) {
		const obj = value as IDataObject;
		if ('__rl' in obj) return isEmpty(obj.value);
		return Object.keys(obj).length === 0;
	}
	return false;
}

const QUARTER_HOUR = 15 * 60_000;

/**
 * An IANA zone whose UTC offsets are remembered per quarter hour. Luxon asks a zone for its offset
 * (Intl formatToParts: tens of µs each) several times for every date it parses or formats, which
 * made dates the largest CPU cost of building a request. Offsets change only at transitions: a
 * quarter hour whose first and last millisecond have the same offset has it throughout and is
 * remembered; one containing a transition is always asked of the real zone.
 */
class OffsetCachingZone extends Zone {
	private readonly offsets = new Map<number, number>();

	constructor(private readonly inner: IANAZone) {
		super();
	}

	get type(): string {
		return this.inner.type;
	}

	get name(): string {
		return this.inner.name;
	}

	get ianaName(): string {
		return this.inner.name;
	}

	get isUniversal(): boolean {
		return this.inner.isUniversal;
	}

	get isValid(): boolean {
		return this.inner.isValid;
	}

	offsetName(ts: number, opts: Parameters<Zone['offsetName']>[1]): string | null {
		return this.inner.offsetName(ts, opts);
	}

	formatOffset(ts: number, format: Parameters<Zone['formatOffset']>[1]): string {
		return this.inner.formatOffset(ts, format);
	}

	offset(ts: number): number {
		const quarter = Math.floor(ts / QUARTER_HOUR);
		const known = this.offsets.get(quarter);
		if (known !== undefined) return known;
		const first = this.inner.offset(quarter * QUARTER_HOUR);
		if (first !== this.inner.offset((quarter + 1) * QUARTER_HOUR - 1)) return this.inner.offset(ts);
		if (this.offsets.size >= 100_000) this.offsets.clear();
		this.offsets.set(quarter, first);
		return first;
	}

	equals(other: Zone): boolean {
		return other.type === this.type && other.name === this.name;
	}
}

const zones = new Map<string, Zone | string>();

/** The workflow's zone for luxon: an offset-caching zone for IANA names, else the name as is. */
function zoneFor(name: string): Zone | string {
	let zone = zones.get(name);
	if (zone === undefined) {
		// As luxon reads the name ("UTC", "local", "utc+3" are not IANA zones for it).
		const normalized = DateTime.fromMillis(0, { zone: name }).zone;
		zone = normalized instanceof IANAZone && normalized.isValid ? new OffsetCachingZone(normalized) : name;
		zones.set(name, zone);
	}
	return zone;
}

/** Parse an n8n date/time value (ISO text, luxon DateTime, Date, epoch ms) in the given zone. */
export function parseDate(value: unknown, zoneName: string): DateTime | undefined {
	const zone = zoneFor(zoneName);
	if (DateTime.isDateTime(value)) return value.setZone(zone);
	if (value instanceof Date) return DateTime.fromJSDate(value, { zone });
	if (typeof value === 'number' && Number.isFinite(value)) {
		return DateTime.fromMillis(value > 1e11 ? value : value * 1000, { zone });
	}
	if (typeof value === 'string') {
		const trimmed = value.trim();
		let parsed = DateTime.fromISO(trimmed, { zone, setZone: false });
		if (!parsed.isValid) parsed = DateTime.fromSQL(trimmed, { zone });
		if (!parsed.isValid) parsed = DateTime.fromFormat(trimmed, 'yyyy.MM.dd HH:mm', { zone });
		if (!parsed.isValid) parsed = DateTime.fromRFC2822(trimmed, { zone });
		if (!parsed.isValid && /^\d{10,13}$/.test(trimmed)) return parseDate(Number(trimmed), zoneName);
		return parsed.isValid ? parsed.setZone(zone) : undefined;
	}
	return undefined;
}

/** The id inside a resource locator value ({__rl, mode, value}) or a plain value. */
function locatorValue(field: FieldSpec, value: unknown): unknown {
	if (value && typeof value === 'object' && '__rl' in (value as IDataObject)) {
		const rl = value as IDataObject;
		if (rl.mode === 'url' && field.locator?.urlRegex && typeof rl.value === 'string') {
			const match = new RegExp(field.locator.urlRegex).exec(rl.value);
			return match ? (match[1] ?? match[0]) : rl.value;
		}
		return rl.value;
	}
	return value;
}

export interface EncodeContext {
	node: INode;
	itemIndex: number;
	timezone: string;
	/** The server's zone, for fields the server compares with its own records (`dateZone: 'server'`). */
	serverZone?: string;
}

/**
 * Validate one field's value and encode it for the wire. Returns undefined for "not given".
 * Accepts what an AI agent or an expression gives (numbers as strings, "true"/"false").
 */
/** A text or ID field: text, or a finite number as text (never NaN, Infinity, true/false or an object). */
function encodeText(field: FieldSpec, raw: unknown, fail: (problem: string) => NodeOperationError): unknown {
	let value = raw;
	// A number is fine as text (IDs, codes); NaN, Infinity, true/false and objects are not:
	// an expression gave the wrong thing, and sending "NaN" or "true" would hide it.
	if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
	if (typeof value !== 'string') throw fail(`must be text, got ${describe(value)}`);
	const text = value;
	if (field.maxLength !== undefined && text.length > field.maxLength) {
		throw fail(`is too long: at most ${field.maxLength} characters are allowed, got ${text.length}`);
	}
	if (field.minLength !== undefined && text.length < field.minLength) {
		throw fail(`is too short: at least ${field.minLength} characters are required, got ${text.length}`);
	}
	if (field.location === 'header' && /[\r\n]/.test(text)) throw fail('must not contain line breaks');
	const regex = field.pattern?.regex ?? (field.type === 'locator' ? field.locator?.idRegex : undefined);
	if (regex && !new RegExp(regex).test(text)) {
		throw fail(`is not valid: ${field.pattern?.hint ?? `expected an ID matching ${regex}`}`);
	}
	if (field.numericString) {
		const n = Number(text.replace(',', '.'));
		if (!Number.isFinite(n)) throw fail(`must be a number (e.g. 55.7558), got "${text.slice(0, 40)}"`);
		if (field.min !== undefined && n < field.min) throw fail(`must be at least ${field.min}, got ${n}`);
		if (field.max !== undefined && n > field.max) throw fail(`must be at most ${field.max}, got ${n}`);
		return text.replace(',', '.');
	}
	if (field.send === 'number') {
		const n = Number(text);
		if (!Number.isFinite(n)) throw fail(`must be a number, got "${text.slice(0, 40)}"`);
		return n;
	}
	return text;
}

/** A list of name/value pairs or a list of records (each entry's sub-fields encoded like fields). */
function encodeCollection(field: FieldSpec, value: unknown, ctx: EncodeContext, fail: (problem: string) => NodeOperationError): unknown {
	switch (field.type) {
		case 'keyValue': {
			const pairs = Array.isArray(value) ? value : ((value as IDataObject).pairs as IDataObject[] | undefined) ?? [];
			if (!Array.isArray(pairs)) throw fail('must be a list of name/value pairs');
			const out: IDataObject = {};
			for (const pair of pairs as IDataObject[]) {
				// A name offered from a list (FieldSpec.nameSearch) is a resource locator { __rl, mode, value }.
				const given = pair?.name && typeof pair.name === 'object' && '__rl' in (pair.name as IDataObject) ? (pair.name as IDataObject).value : pair?.name;
				const name = typeof given === 'string' ? given.trim() : '';
				if (!name) throw fail('has an entry without a name');
				if (name in out) throw fail(`names "${name}" twice`);
				out[name] = typedPairValue(field, pair, name, fail) as IDataObject[string];
			}
			return Object.keys(out).length ? out : undefined;
	}
	case 'list': {
		const entries = Array.isArray(value) ? value : ((value as IDataObject).entries as IDataObject[] | undefined) ?? [];
		if (!Array.isArray(entries)) throw fail('must be a list');
		return (entries as IDataObject[]).map((entry, n) => {
			const out: IDataObject = {};
			for (const sub of field.fields ?? []) {
				const subField = { ...sub, label: `${field.label} ${n + 1}: ${sub.label}` };
				const encoded = encodeValue(subField, entry?.[sub.name], ctx);
				if (encoded !== undefined) setPath(out, sub.key ?? sub.name, encoded);
			}
			return out;
		});
	}
	}
	return value;
}

export function encodeValue(field: FieldSpec, raw: unknown, ctx: EncodeContext): unknown {
	const fail = (problem: string) => inputError(ctx.node, ctx.itemIndex, field, problem);
	let value = field.type === 'locator' ? locatorValue(field, raw) : raw;
	if (typeof value === 'string' && field.type !== 'json' && field.type !== 'string') value = value.trim();

	if (isEmpty(value)) {
		if (field.required) throw fail('is required but empty');
		return field.sendEmpty && (value === '' || value === null) ? value : undefined;
	}
	if (field.required && typeof value === 'string' && value.trim() === '') throw fail('is required but holds only spaces');

	switch (field.type) {
		case 'string':
		case 'color':
		case 'locator':
			return encodeText(field, value, fail);
		case 'number': {
			const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(',', '.')) : NaN;
			if (!Number.isFinite(n)) throw fail(`must be a number, got ${describe(value)}`);
			if (field.integer && !Number.isInteger(n)) throw fail(`must be a whole number, got ${n}`);
			if (field.min !== undefined && n < field.min) throw fail(`must be at least ${field.min}, got ${n}`);
			if (field.max !== undefined && n > field.max) throw fail(`must be at most ${field.max}, got ${n}`);
			return field.send === 'string' ? String(n) : n;
		}
		case 'boolean': {
			let b: boolean;
			if (typeof value === 'boolean') b = value;
			else if (value === 'true' || value === 1 || value === '1') b = true;
			else if (value === 'false' || value === 0 || value === '0') b = false;
			else throw fail(`must be true or false, got ${describe(value)}`);
			return field.send === 'string' ? String(b) : b;
		}
		case 'date':
		case 'dateTime': {
			const date = parseDate(value, ctx.timezone);
			if (!date) throw fail(`must be a date/time (e.g. 2024-05-01T10:00:00 or an n8n date), got ${describe(value)}`);
			if (field.dateFormat) return inFieldZone(date, field, ctx).toFormat(field.dateFormat);
			return field.type === 'date' ? date.toFormat('yyyy-MM-dd') : date.toISO();
		}
		case 'options': {
			const allowed = (field.options ?? []).map((o) => o.value);
			const match = allowed.find((a) => a === value || String(a) === String(value));
			if (match !== undefined) return match;
			if (field.allowCustom && (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) return value;
			throw fail(`must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${describe(value)}`);
		}
		case 'multiOptions': {
			const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [value];
			const allowed = (field.options ?? []).map((o) => String(o.value));
			for (const v of list) {
				if (!allowed.includes(String(v)) && !field.allowCustom) {
					throw fail(`must be one or more of ${allowed.join(', ')}; got ${describe(v)}`);
				}
			}
			return field.join ? list.join(field.join) : list;
		}
		case 'json': {
			if (typeof value === 'string') {
				try {
					return JSON.parse(value);
				} catch (error) {
					throw fail(`must be valid JSON: ${(error as Error).message}`);
				}
			}
			if (typeof value === 'object') return value;
			throw fail(`must be JSON, got ${describe(value)}`);
		}
		case 'keyValue':
		case 'list':
			return encodeCollection(field, value, ctx, fail);
	}
	return value;
}

/** Set `a.b.c` in an object. */
export function setPath(target: IDataObject, path: string, value: unknown): void {
	const parts = path.split('.');
	let cursor = target;
	for (const part of parts.slice(0, -1)) {
		if (typeof cursor[part] !== 'object' || cursor[part] === null) cursor[part] = {};
		cursor = cursor[part] as IDataObject;
	}
	cursor[parts[parts.length - 1]] = value as IDataObject[string];
}

/** A path segment that cannot change the path: rejects `.`/`..`, encodes everything else. */
export function pathSegment(field: FieldSpec, value: unknown, ctx: EncodeContext): string {
	const text = String(value);
	if (text === '.' || text === '..' || /^(%2e){1,2}$/i.test(text)) {
		throw inputError(ctx.node, ctx.itemIndex, field, `cannot be "${text}"`);
	}
	return encodeURIComponent(text);
}

/**
 * A date the server compares with its own records is written in the server's zone (DESIGN "Time"):
 * the user's value was read in the workflow zone; the same instant is formatted in the server's.
 */
export function inFieldZone(date: DateTime, field: FieldSpec, ctx: EncodeContext): DateTime {
	return field.dateZone === 'server' && ctx.serverZone ? date.setZone(ctx.serverZone) : date;
}
