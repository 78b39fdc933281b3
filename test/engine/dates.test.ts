/**
 * The hand-written date path of values.ts (formatDate) against luxon doing the same work the way
 * the node did before (fromISO → fromSQL → fromFormat → fromRFC2822 in the workflow zone, then
 * toFormat / toISO), on thousands of inputs: zones with DST gaps and folds, half-hour offsets and
 * half-hour DST (Lord Howe), fixed zones, every text form the fast path takes and many it leaves to
 * luxon, invalid dates, Date / epoch / luxon inputs. Plus: the common ISO path never calls luxon.
 */
import { DateTime } from 'luxon';
import type { INode } from 'n8n-workflow';

import type { FieldSpec } from '../../nodes/shared/spec';
import { encodeValue, formatDate } from '../../nodes/shared/values';

/** What the node did before the fast path (luxon only, zone given by name). */
function reference(value: unknown, zone: string, format?: string): string | undefined {
	let date: DateTime | undefined;
	if (DateTime.isDateTime(value)) date = value.setZone(zone);
	else if (value instanceof Date) date = DateTime.fromJSDate(value, { zone });
	else if (typeof value === 'number' && Number.isFinite(value)) date = DateTime.fromMillis(value > 1e11 ? value : value * 1000, { zone });
	else if (typeof value === 'string') {
		const t = value.trim();
		let p = DateTime.fromISO(t, { zone, setZone: false });
		if (!p.isValid) p = DateTime.fromSQL(t, { zone });
		if (!p.isValid) p = DateTime.fromFormat(t, 'yyyy.MM.dd HH:mm', { zone });
		if (!p.isValid) p = DateTime.fromRFC2822(t, { zone });
		if (!p.isValid && /^\d{10,13}$/.test(t)) return reference(Number(t), zone, format);
		date = p.isValid ? p.setZone(zone) : undefined;
	}
	if (!date || !date.isValid) return undefined;
	return (format === undefined ? date.toISO() : date.toFormat(format)) ?? undefined;
}

const ZONES = ['Europe/Moscow', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Europe/London', 'UTC', 'utc+3', 'Etc/GMT+5'];
const FORMATS = [
	undefined,
	'yyyy-MM-dd',
	'yyyy-MM-dd HH:mm ZZZ',
	"yyyy-MM-dd'T'HH:mm:ssZZ",
	'yyyy.MM.dd HH:mm',
	'dd.MM.yyyy HH:mm:ss.SSS Z',
	"yyyy-MM-dd'T'HH:mm:ss'Z'",
	'EEE, dd MMM yyyy HH:mm', // names: luxon's
	'D t', // locale macros: luxon's
];

/** Deterministic pseudo-random numbers. */
function rng(seed: number): () => number {
	let s = seed;
	return () => {
		s = (s * 1103515245 + 12345) % 2147483648;
		return s / 2147483648;
	};
}

const pad = (n: number, l = 2) => String(n).padStart(l, '0');

function textForms(rand: () => number): string[] {
	const out: string[] = [];
	// Around DST changes (New York 2024-03-10 02:00 gap, 2024-11-03 01:00 fold; Lord Howe 02:00 / 01:30;
	// Moscow 2011-03-27 and 2014-10-26; London 2024-03-31 / 10-27) and spread over 1900-2100.
	const anchors = ['2024-03-10', '2024-11-03', '2024-04-07', '2024-10-06', '2011-03-27', '2014-10-26', '2024-03-31', '2024-10-27'];
	for (let i = 0; i < 200; i++) {
		const anchor = anchors[i % anchors.length];
		const [y, mo, d] = i % 3 === 0 ? [1900 + Math.floor(rand() * 200), 1 + Math.floor(rand() * 12), 1 + Math.floor(rand() * 31)] : anchor.split('-').map(Number);
		const h = i % 3 === 0 ? Math.floor(rand() * 24) : Math.floor(rand() * 4);
		const mi = [0, 15, 30, 45, 59][Math.floor(rand() * 5)];
		const s = Math.floor(rand() * 60);
		const date = `${y}-${pad(mo)}-${pad(d)}`;
		const offsets = ['', 'Z', '+03:00', '+0300', '+03', '-05:00', '-00:30', '+05:30', '+14:00'];
		const offset = offsets[Math.floor(rand() * offsets.length)];
		const frac = ['', '.5', '.123', ',25', '.123456789', '.29', '.999'][Math.floor(rand() * 7)];
		out.push(`${date}T${pad(h)}:${pad(mi)}:${pad(s)}${frac}${offset}`);
		out.push(`${date} ${pad(h)}:${pad(mi)}${offset ? ` ${offset}` : ''}`);
		out.push(`${date} ${pad(h)}:${pad(mi)}:${pad(s)}${offset}`);
		if (i % 4 === 0) out.push(date, `${date}T${pad(h)}:${pad(mi)}`, `  ${date}T${pad(h)}:${pad(mi)}  `);
	}
	// Invalid or outside the fast path: luxon decides (and both must agree).
	out.push('2024-02-30', '2023-02-29', '2024-02-29T10:00', '2024-05-01T24:00', '2024-05-01T24:00:00Z', '2024-05-01T23:60', '2024-13-01');
	out.push('2024-05-01T10:00 +03:00', '2024-05-01 10:00+03:00', '2024-05-01T10:00:00+03:00[Europe/Moscow]', '20240501T1000', '2024-W18-3');
	out.push('2024.05.01 10:30', 'Wed, 01 May 2024 10:00:00 +0300', '1714557600', '1714557600123', 'yesterday', '', '2024-05-01T10:00:00+99:99');
	out.push('2024-05-01T10:00:00.', '2024-05-01T10:00:00+03:0', '2024-05-01T10:00:00+3', '2024-05-01T1:00', '2024-05-01 10:00 Z', '2024-05-01 10:00 ');
	out.push(`2024-05-01T10:00:00.${'1'.repeat(30)}`, `2024-05-01T10:00:00.${'1'.repeat(31)}`, '2024-05-01T10:00:60', '2024-05-01T10:00:00+0330', '2024-05-01T10:00:00-0030');
	out.push('2024-05-01X10:00', '2024/05/01', '2024-5-01', '2024-05-01T10:00:00ZZ', '2024-05-01 10:00 +03:00:00', '0000-02-29T12:00Z', '1900-02-29', '2000-02-29T00:00');
	out.push('0099-12-31T23:00:00Z', '0050-06-01', '9999-12-31T23:30:00-05:00', '1000-01-01T00:00:00+14:00');
	return out;
}

describe('formatDate (hand-written ISO path) gives what luxon gives', () => {
	const rand = rng(42);
	const texts = textForms(rand);
	const others: unknown[] = [
		new Date('2024-05-01T07:30:00Z'),
		new Date('invalid'),
		1714557600,
		1714557600123,
		1714557600123.5,
		-1,
		Number.NaN,
		DateTime.fromISO('2024-05-01T10:30:00', { zone: 'America/New_York' }),
		DateTime.fromISO('2024-03-10T03:30:00', { zone: 'America/New_York' }),
		DateTime.invalid('test'),
		{},
		true,
	];
	it.each(ZONES)('in %s', (zone) => {
		let compared = 0;
		for (const format of FORMATS) {
			for (const value of [...texts, ...others]) {
				const expected = reference(value, zone, format);
				const got = formatDate(value, zone, format);
				if (got !== expected) throw new Error(`${JSON.stringify(value)} in ${zone} as ${format}: got ${got}, luxon ${expected}`);
				compared++;
			}
		}
		expect(compared).toBe(FORMATS.length * (texts.length + others.length));
	});
	it('an unknown zone makes every date invalid, as with luxon', () => {
		expect(formatDate('2024-05-01T10:00:00', 'Mars/Olympus')).toBeUndefined();
		expect(reference('2024-05-01T10:00:00', 'Mars/Olympus')).toBeUndefined();
	});
});

describe('the common ISO path does not use luxon', () => {
	const node = { name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	const ctx = { node, itemIndex: 0, timezone: 'Europe/Moscow' };
	const dateTime = (dateFormat?: string): FieldSpec => ({ name: 'd', label: 'D', location: 'body', description: 'd', type: 'dateTime', dateFormat });
	afterEach(() => jest.restoreAllMocks());
	it('encodes ISO and SQL texts, Dates and epoch values without parsing or formatting through luxon', () => {
		formatDate('2024-01-01T00:00:00', 'Europe/Moscow', 'yyyy'); // zone set up once (luxon names it)
		const spies = [
			jest.spyOn(DateTime, 'fromISO'),
			jest.spyOn(DateTime, 'fromSQL'),
			jest.spyOn(DateTime, 'fromFormat'),
			jest.spyOn(DateTime, 'fromMillis'),
			jest.spyOn(DateTime, 'fromJSDate'),
			jest.spyOn(DateTime.prototype, 'toFormat'),
			jest.spyOn(DateTime.prototype, 'toISO'),
		];
		expect(encodeValue(dateTime(), '2024-05-01T10:00:00', ctx)).toBe('2024-05-01T10:00:00.000+03:00');
		expect(encodeValue(dateTime(), '2024-05-01T07:00:00Z', ctx)).toBe('2024-05-01T10:00:00.000+03:00');
		expect(encodeValue(dateTime('yyyy-MM-dd HH:mm ZZZ'), '2024-05-01 12:00', ctx)).toBe('2024-05-01 12:00 +0300');
		expect(encodeValue(dateTime("yyyy-MM-dd'T'HH:mm:ssZZ"), new Date('2024-05-01T07:00:00Z'), ctx)).toBe('2024-05-01T10:00:00+03:00');
		expect(encodeValue({ ...dateTime(), type: 'date' }, 1714557600, ctx)).toBe('2024-05-01');
		expect(encodeValue(dateTime('yyyy.MM.dd HH:mm'), '2024-05-01T10:30:00+05:00', ctx)).toBe('2024.05.01 08:30');
		for (const spy of spies) expect(spy).not.toHaveBeenCalled();
	});
	it('an invalid luxon DateTime is a clear input error, not the text "Invalid DateTime"', () => {
		expect(() => encodeValue(dateTime(), DateTime.invalid('bad expression'), ctx)).toThrow('Item 1: "D" must be a date/time');
	});
});
