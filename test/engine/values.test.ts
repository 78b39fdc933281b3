import type { INode } from 'n8n-workflow';
import { DateTime } from 'luxon';

import type { FieldSpec } from '../../nodes/shared/spec';
import { encodeValue, pathSegment } from '../../nodes/shared/values';

const node = { name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
const ctx = { node, itemIndex: 2, timezone: 'Europe/Moscow' };
const field = (extra: Partial<FieldSpec>): FieldSpec => ({ name: 'f', label: 'Field', location: 'body', description: 'd', type: 'string', ...extra });

describe('encodeValue', () => {
	it('formats dates in the workflow time zone in the provider\'s format', () => {
		const synergy = field({ type: 'dateTime', dateFormat: 'yyyy.MM.dd HH:mm' });
		expect(encodeValue(synergy, '2024-05-01T07:30:00Z', ctx)).toBe('2024.05.01 10:30');
		expect(encodeValue(synergy, DateTime.fromISO('2024-05-01T10:30:00', { zone: 'Europe/Moscow' }), ctx)).toBe('2024.05.01 10:30');
		expect(encodeValue(synergy, '2024-05-01 10:30', ctx)).toBe('2024.05.01 10:30');
		expect(encodeValue(field({ type: 'date', dateFormat: 'yyyy-MM-dd' }), '2024-05-01T23:30:00Z', ctx)).toBe('2024-05-02');
		expect(() => encodeValue(synergy, 'yesterday', ctx)).toThrow('Item 3: "Field" must be a date/time');
	});
	it('accepts numbers and booleans the way an AI agent gives them', () => {
		expect(encodeValue(field({ type: 'number' }), '42', ctx)).toBe(42);
		expect(encodeValue(field({ type: 'number' }), '1,5', ctx)).toBe(1.5);
		expect(encodeValue(field({ type: 'number', send: 'string' }), 7, ctx)).toBe('7');
		expect(encodeValue(field({ type: 'boolean' }), 'true', ctx)).toBe(true);
		expect(() => encodeValue(field({ type: 'number', integer: true }), '1.5', ctx)).toThrow('must be a whole number');
		expect(() => encodeValue(field({ type: 'number', max: 100 }), 101, ctx)).toThrow('must be at most 100, got 101');
		expect(() => encodeValue(field({ type: 'boolean' }), 'yes', ctx)).toThrow('must be true or false');
	});
	it('checks options, allowing any value where the field says so', () => {
		const status = field({ type: 'options', options: [{ name: 'Pending', value: 'pending' }] });
		expect(encodeValue(status, 'pending', ctx)).toBe('pending');
		expect(() => encodeValue(status, 'lost', ctx)).toThrow('must be one of "pending"; got string "lost"');
		expect(encodeValue({ ...status, allowCustom: true }, 'lost', ctx)).toBe('lost');
	});
	it('builds name/value lists and record lists', () => {
		expect(encodeValue(field({ type: 'keyValue' }), { pairs: [{ name: 'inn', value: '7700000000' }] }, ctx)).toEqual({ inn: '7700000000' });
		expect(() => encodeValue(field({ type: 'keyValue' }), { pairs: [{ name: 'a', value: 1 }, { name: 'a', value: 2 }] }, ctx)).toThrow('names "a" twice');
		const lines = field({ type: 'list', fields: [field({ name: 'sku', label: 'SKU', required: true }), field({ name: 'qty', label: 'Quantity', type: 'number' })] });
		expect(encodeValue(lines, { entries: [{ sku: 'A1', qty: '2' }] }, ctx)).toEqual([{ sku: 'A1', qty: 2 }]);
		expect(() => encodeValue(lines, { entries: [{ sku: '' }] }, ctx)).toThrow('"Field 1: SKU" is required but empty');
	});
	it('parses JSON text and rejects broken JSON', () => {
		expect(encodeValue(field({ type: 'json' }), '{"a":1}', ctx)).toEqual({ a: 1 });
		expect(() => encodeValue(field({ type: 'json' }), '{"a":', ctx)).toThrow('must be valid JSON');
	});
	it('extracts ids from resource locators, also from URLs', () => {
		const loc = field({ type: 'locator', locator: { searchMethod: 's', urlRegex: 'https://app\\.x\\.ru/deals/(\\d+)', idRegex: '^\\d+$' } });
		expect(encodeValue(loc, { __rl: true, mode: 'list', value: '15' }, ctx)).toBe('15');
		expect(encodeValue(loc, { __rl: true, mode: 'url', value: 'https://app.x.ru/deals/77' }, ctx)).toBe('77');
		expect(() => encodeValue(loc, { __rl: true, mode: 'id', value: '../1' }, ctx)).toThrow('is not valid');
	});
	it('leaves out empty optional values and rejects empty required ones', () => {
		expect(encodeValue(field({}), '', ctx)).toBeUndefined();
		expect(encodeValue(field({ sendEmpty: true }), '', ctx)).toBe('');
		expect(() => encodeValue(field({ required: true }), null, ctx)).toThrow('Item 3: "Field" is required but empty');
	});
});

describe('pathSegment', () => {
	it('encodes ids so they can never change the path', () => {
		const id = field({ location: 'path' });
		expect(pathSegment(id, '../admin?x=1#y', ctx)).toBe('..%2Fadmin%3Fx%3D1%23y');
		expect(() => pathSegment(id, '..', ctx)).toThrow('cannot be ".."');
		expect(() => pathSegment(id, '%2e%2E', ctx)).toThrow();
	});
});
