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

const zones = new Map<string, Zone>();

/**
 * The workflow's zone for luxon: an offset-caching zone for IANA names, else the zone luxon makes
 * of the name ("UTC", "local", "utc+3" are not IANA zones for it; an unknown name is luxon's
 * invalid zone, so every date in it is invalid, as with the name itself).
 */
function zoneFor(name: string): Zone {
	let zone = zones.get(name);
	if (zone === undefined) {
		const normalized = DateTime.fromMillis(0, { zone: name }).zone;
		zone = normalized instanceof IANAZone && normalized.isValid ? new OffsetCachingZone(normalized) : normalized;
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

// ---------------------------------------------------------------------------------------------
// Fast path for the common case: an ISO / SQL date text (or a Date, epoch ms, luxon DateTime)
// formatted with digits and offsets only. Building a request with luxon cost ≈ 8 µs per date
// (fromISO's regexes, fromObject, toFormat's tokenizer) — 7× JSON.parse of the request. This path
// does what luxon does, step by step (the same regex subset, its validity rules, its `fixOffset`
// for wall times, its padding and offset formats), with the same zone object, and hands every
// other input or format token to luxon. test/engine/values.test.ts compares both on thousands of
// inputs across zones with DST gaps and folds.
// ---------------------------------------------------------------------------------------------

const MAX_DATE_MS = 8.64e15;
const DAY_MS = 86_400_000;

function padStart(n: number, length = 2): string {
	return n < 0 ? `-${String(-n).padStart(length, '0')}` : String(n).padStart(length, '0');
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yoe = y - era * 400;
	const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
	return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * luxon's objToLocalTS: wall-clock fields as if UTC. Exact for every year (luxon repairs Date.UTC's
 * 0-99 → 19xx rule; this arithmetic never had it).
 */
function localTs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
	return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

/** The zone's offset at the instant wallToTs returned, when it had to look it up anyway. */
let wallOffset: number | undefined;

/** luxon's fixOffset: the instant of a wall-clock time in a zone (gaps and folds as luxon has them). */
function wallToTs(local: number, zone: Zone): number {
	const o = zone.offset(Date.now());
	let guess = local - o * 60_000;
	const o2 = zone.offset(guess);
	if (o === o2) {
		wallOffset = o;
		return guess;
	}
	guess -= (o2 - o) * 60_000;
	const o3 = zone.offset(guess);
	if (o2 === o3) {
		wallOffset = o2;
		return guess;
	}
	return local - Math.min(o2, o3) * 60_000;
}

/** `count` ASCII digits at `at` as a number, or -1. */
function digitsAt(text: string, at: number, count: number): number {
	let n = 0;
	for (let i = at; i < at + count; i++) {
		const c = text.charCodeAt(i) - 48; // NaN past the end
		if (!(c >= 0 && c <= 9)) return -1;
		n = n * 10 + c;
	}
	return n;
}

/**
 * The instant of luxon's ISO (`T`) and SQL (space) texts `yyyy-MM-dd[( |T)HH:mm[:ss[(.|,)fff]]]`
 * with an optional offset (`Z`, `±HH`, `±HHmm`, `±HH:mm`; SQL also after a space), read the way
 * luxon reads them; undefined for any other text (luxon then reads it, or refuses it).
 */
function fastTextInstant(text: string, zone: Zone): number | undefined {
	const len = text.length;
	if (len < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
	const y = digitsAt(text, 0, 4);
	const mo = digitsAt(text, 5, 2);
	const d = digitsAt(text, 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
	let h = 0;
	let mi = 0;
	let s = 0;
	let ms = 0;
	let at = 10;
	if (len > 10) {
		const sep = text[10];
		if ((sep !== 'T' && sep !== ' ') || len < 16 || text.charCodeAt(13) !== 58) return undefined;
		h = digitsAt(text, 11, 2);
		mi = digitsAt(text, 14, 2);
		if (h < 0 || h > 23 || mi < 0 || mi > 59) return undefined;
		at = 16;
		if (text.charCodeAt(at) === 58) {
			s = digitsAt(text, 17, 2);
			if (s < 0 || s > 59 || len < 19) return undefined;
			at = 19;
			const point = text.charCodeAt(at);
			if (point === 46 || point === 44) {
				let end = at + 1;
				while (end < len && end - at <= 30 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
				if (end === at + 1) return undefined;
				// luxon's parseMillis, also for more than 3 digits.
				ms = Math.floor(parseFloat(`0.${text.slice(at + 1, end)}`) * 1000);
				at = end;
			}
		}
		if (at < len && text.charCodeAt(at) === 32) {
			// ISO allows no space before the offset; SQL one.
			if (sep !== ' ' || at + 1 === len) return undefined;
			at++;
		}
		const local = localTs(y, mo, d, h, mi, s, ms);
		if (at === len) return wallToTs(local, zone);
		const sign = text[at];
		if (sign === 'Z') return at + 1 === len ? local : undefined;
		if (sign !== '+' && sign !== '-') return undefined;
		const offHour = digitsAt(text, at + 1, 2);
		if (offHour < 0) return undefined;
		let offMin = 0;
		at += 3;
		if (at < len) {
			if (text.charCodeAt(at) === 58) at++;
			offMin = digitsAt(text, at, 2);
			if (offMin < 0 || at + 2 !== len) return undefined;
		}
		// luxon's signedOffset: the minutes take the hour's sign, also for "-00:30".
		const offset = sign === '-' ? -(offHour * 60 + offMin) : offHour * 60 + offMin;
		return local - offset * 60_000;
	}
	return wallToTs(localTs(y, mo, d, 0, 0, 0, 0), zone);
}

/** The instant (epoch ms) of a value, or undefined when only luxon can tell (then luxon decides). */
function fastInstant(value: unknown, zone: Zone): number | undefined {
	if (typeof value === 'string') return fastTextInstant(value.length && (value.charCodeAt(0) <= 32 || value.charCodeAt(value.length - 1) <= 32) ? value.trim() : value, zone);
	if (typeof value === 'number') {
		const ms = value > 1e11 ? value : value * 1000;
		return Number.isInteger(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
	}
	if (value instanceof Date) {
		const ms = value.getTime();
		return Number.isFinite(ms) ? ms : undefined;
	}
	if (DateTime.isDateTime(value) && value.isValid) return value.toMillis();
	return undefined;
}

interface Wall {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	millisecond: number;
	offset: number;
	universal: boolean;
}

type Part = string | ((w: Wall) => string);

/** luxon's formatOffset (short "+03:00", techie "+0300", narrow "+3" / "+5:30"). */
function offsetText(offset: number, format: 'short' | 'techie' | 'narrow'): string {
	const hours = Math.trunc(Math.abs(offset / 60));
	const minutes = Math.trunc(Math.abs(offset % 60));
	const sign = offset >= 0 ? '+' : '-';
	if (format === 'short') return `${sign}${padStart(hours)}:${padStart(minutes)}`;
	if (format === 'techie') return `${sign}${padStart(hours)}${padStart(minutes)}`;
	return `${sign}${hours}${minutes > 0 ? `:${minutes}` : ''}`;
}

const TOKENS: Record<string, (w: Wall) => string> = {
	yyyy: (w) => padStart(w.year, 4),
	MM: (w) => padStart(w.month),
	dd: (w) => padStart(w.day),
	HH: (w) => padStart(w.hour),
	mm: (w) => padStart(w.minute),
	ss: (w) => padStart(w.second),
	SSS: (w) => padStart(w.millisecond, 3),
	Z: (w) => offsetText(w.offset, 'narrow'),
	ZZ: (w) => offsetText(w.offset, 'short'),
	ZZZ: (w) => offsetText(w.offset, 'techie'),
};

/** luxon's toISO(): extended date and time with milliseconds, "Z" only in a fixed UTC zone. */
function isoText(w: Wall): string {
	const longYear = w.year > 9999 || w.year < 0;
	const year = `${longYear && w.year >= 0 ? '+' : ''}${padStart(w.year, longYear ? 6 : 4)}`;
	const offset = w.universal && w.offset === 0 ? 'Z' : offsetText(w.offset, 'short');
	return `${year}-${padStart(w.month)}-${padStart(w.day)}T${padStart(w.hour)}:${padStart(w.minute)}:${padStart(w.second)}.${padStart(w.millisecond, 3)}${offset}`;
}

const compiled = new Map<string, Part[] | null>();

/**
 * A toFormat pattern split as luxon's Formatter.parseFormat splits it; null when a token is not
 * one of the digit/offset tokens above (names, locale macros, week numbers…: luxon formats those).
 */
function compileFormat(format: string): Part[] | null {
	let parts = compiled.get(format);
	if (parts !== undefined) return parts;
	const splits: Array<{ literal: boolean; val: string }> = [];
	let current: string | null = null;
	let full = '';
	let bracketed = false;
	for (const c of format) {
		if (c === "'") {
			if (full.length > 0) splits.push({ literal: bracketed || /^\s+$/.test(full), val: full });
			current = null;
			full = '';
			bracketed = !bracketed;
		} else if (bracketed || c === current) {
			full += c;
		} else {
			if (full.length > 0) splits.push({ literal: /^\s+$/.test(full), val: full });
			full = c;
			current = c;
		}
	}
	if (full.length > 0) splits.push({ literal: bracketed || /^\s+$/.test(full), val: full });
	parts = [];
	for (const split of splits) {
		if (split.literal) parts.push(split.val);
		else if (TOKENS[split.val]) parts.push(TOKENS[split.val]);
		else if (!/[A-Za-z]/.test(split.val)) parts.push(split.val);
		else {
			parts = null;
			break;
		}
	}
	if (compiled.size < 1000) compiled.set(format, parts);
	return parts;
}

let fastChecked: boolean | undefined;

/**
 * Whether luxon formats digits the plain way here (its default locale could set another numbering
 * system or calendar): checked once against luxon itself.
 */
function fastFormattingWorks(): boolean {
	if (fastChecked === undefined) {
		const probe = DateTime.fromMillis(1_714_557_600_123, { zone: 'UTC' });
		fastChecked = probe.toFormat('yyyy-MM-dd HH:mm:ss.SSS ZZ') === '2024-05-01 10:00:00.123 +00:00';
	}
	return fastChecked;
}

/**
 * An n8n date/time value as text in the workflow's zone: `format` is a luxon toFormat pattern;
 * without one, ISO 8601 with milliseconds and offset (luxon's toISO). Undefined when the value is
 * not a date.
 */
export function formatDate(value: unknown, zoneName: string, format?: string): string | undefined {
	const zone = zoneFor(zoneName);
	const parts = format === undefined ? undefined : compileFormat(format);
	if (parts !== null && zone.isValid && fastFormattingWorks()) {
		wallOffset = undefined;
		const ts = fastInstant(value, zone);
		if (ts !== undefined) {
			const offset = wallOffset ?? zone.offset(ts);
			// luxon's tsToObj (through Date, which truncates a fractional ms) without a Date.
			const shifted = Math.trunc(ts + offset * 60_000);
			if (Math.abs(shifted) <= MAX_DATE_MS) {
				const days = Math.floor(shifted / DAY_MS);
				let rest = shifted - days * DAY_MS;
				// H. Hinnant's civil_from_days.
				const z = days + 719_468;
				const era = Math.floor(z / 146_097);
				const doe = z - era * 146_097;
				const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
				const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
				const mp = Math.floor((5 * doy + 2) / 153);
				const month = mp < 10 ? mp + 3 : mp - 9;
				const millisecond = rest % 1000;
				rest = (rest - millisecond) / 1000;
				const wall: Wall = {
					year: yoe + era * 400 + (month <= 2 ? 1 : 0),
					month,
					day: doy - Math.floor((153 * mp + 2) / 5) + 1,
					hour: Math.floor(rest / 3600),
					minute: Math.floor(rest / 60) % 60,
					second: rest % 60,
					millisecond,
					offset,
					universal: zone.isUniversal,
				};
				if (parts === undefined) return isoText(wall);
				let out = '';
				for (const part of parts) out += typeof part === 'string' ? part : part(wall);
				return out;
			}
		}
	}
	const date = parseDate(value, zoneName);
	// An invalid luxon DateTime (e.g. from a bad expression) is not a date: luxon would send the
	// text "Invalid DateTime".
	if (!date || !date.isValid) return undefined;
	return (format === undefined ? date.toISO() : date.toFormat(format)) ?? undefined;
}

/** The id inside a resource locator value ({__rl, mode, value}) or a plain value. */
function locatorValue(field: FieldSpec, value: unknown): unknown {
	if (value && typeof value === 'object' && '__rl' in (value as IDataObject)) {
		const rl = value as IDataObject;
		if (rl.mode === 'url' && field.locator?.urlRegex && typeof rl.value === 'string') {
			const match = compiledRegex(field.locator.urlRegex).exec(rl.value);
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
/** A field's pattern (a table string) compiled once: a Synergy CRM deal has ten ID fields, each checked on every item. */
const regexes = new Map<string, RegExp>();
function compiledRegex(source: string): RegExp {
	let regex = regexes.get(source);
	if (!regex) {
		regex = new RegExp(source);
		regexes.set(source, regex);
	}
	return regex;
}

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
	if (regex && !compiledRegex(regex).test(text)) {
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
			// A filter the server compares with its records: read in the workflow zone, written in the
			// server's (DESIGN "Time"); every other date takes the fast path (read and written in one zone).
			if (field.dateZone === 'server' && ctx.serverZone && field.dateFormat) {
				const date = parseDate(value, ctx.timezone);
				if (!date) throw fail(`must be a date/time (e.g. 2024-05-01T10:00:00 or an n8n date), got ${describe(value)}`);
				return inFieldZone(date, field, ctx).toFormat(field.dateFormat);
			}
			const text = formatDate(value, ctx.timezone, field.dateFormat ?? (field.type === 'date' ? 'yyyy-MM-dd' : undefined));
			if (text === undefined) throw fail(`must be a date/time (e.g. 2024-05-01T10:00:00 or an n8n date), got ${describe(value)}`);
			return text;
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

/** The segments of the paths of the tables (a handful of strings), split once. */
const pathParts = new Map<string, string[]>();

/** Set `a.b.c` in an object. */
export function setPath(target: IDataObject, path: string, value: unknown): void {
	let parts = pathParts.get(path);
	if (!parts) {
		parts = path.split('.');
		if (pathParts.size < 10_000) pathParts.set(path, parts);
	}
	let cursor = target;
	for (let i = 0; i < parts.length - 1; i++) {
		const part = parts[i];
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
