/**
 * Bad input, property-based: every field of every operation of the providers' tables
 * (ProviderSpec from the TS sources) gets generated values — control characters, emoji, 10 000
 * characters, SQL/HTML/JSON fragments, `../` ids, wrong types, null, arrays, objects, out-of-range
 * numbers — by expression, many items per workflow run (Continue On Fail, one request at a time).
 * Each item either reaches the fake as a request the documented contract accepts (2xx or a
 * documented 4xx, never 5xx; path segments encoded: an id never changes the path), or fails with
 * a clear NodeOperationError naming the item and the field, sent nowhere.
 */
import fc from 'fast-check';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { iqmTech as iqmSpec } from '../../nodes/IqmTech/spec';
import { loymax as loymaxSpec } from '../../nodes/Loymax/spec';
import { neiros as neirosSpec } from '../../nodes/Neiros/spec';
import { synergyCrm as synergySpec } from '../../nodes/SynergyCrm/spec';
import { trackingBot as trackingBotSpec } from '../../nodes/TrackingBot/spec';
import { placeOf } from '../../nodes/shared/properties';
import type { FieldSpec, OperationSpec, ProviderSpec } from '../../nodes/shared/spec';
import { figuresOf, reportFigures, type ProviderProfile } from './drivers';
import { useFaultEnv } from './env';
import { iqmTech, loymax, neiros, synergyCrm, trackingBot } from './profiles';
import { scanSecrets } from './suite';

const nasty = fc.oneof(
	fc.constantFrom(
		'../../etc/passwd', '..', '.', '%2e%2e', 'a/b', '?x=1&y=2', '#frag', "' OR 1=1; --", '<script>alert(1)</script>',
		'{"a": [1, {"b": null}]}', '\u0000\u0001\u001f', '\r\nX-Injected: 1', '😀🇷🇺👩‍👩‍👧', 'Привет', ' ', '',
		'x'.repeat(10_000), 'null', 'true', '-1', '1e309', 'NaN', '0x10', '2024-13-45', '99999999999999999999',
	),
	fc.string({ maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	fc.integer(),
	fc.double({ noNaN: true }),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 5 })), { maxLength: 3 }),
	fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

interface Target {
	profile: ProviderProfile;
	spec: ProviderSpec;
	/** A valid value per field name, for the fields not fuzzed in an item. */
	valid: Record<string, unknown>;
	/** Fake state the operations need. */
	prepare?(fake: unknown): void;
	/** Errors of known issues (reported), left out of the checks: operation value → message pattern. */
	known?: Record<string, RegExp>;
	/** Path placeholders the credential fills (Tracking Bot: the bot id). */
	pathVars?: Record<string, string>;
	/** Requests that are not an item's (logins). */
	ignore?: RegExp;
	items: number;
}

const targets: Target[] = [
	{
		profile: iqmTech,
		spec: iqmSpec,
		valid: { page: 'https://a.ru/x', sendAs: 'body' },
		items: 500,
	},
	{
		profile: neiros,
		spec: neirosSpec,
		valid: { siteId: '19', dealId: '1', amount: 10, dateStart: '2020-07-01', dateEnd: '2020-07-05' },
		prepare: (fake) => (fake as { seedDeals(site: number, n: number): void }).seedDeals(19, 5),
		ignore: /\/auth\/login$/,
		items: 400,
	},
	{
		// 106 operations: fewer items each (the table is generated from one shape per resource).
		profile: synergyCrm,
		spec: synergySpec,
		valid: { id: '1', relatedId: '1', firstName: 'Иван', lastName: 'Иванов', name: 'Тест', matchValue: 'a@b.ru' },
		items: 40,
	},
	{
		profile: trackingBot,
		spec: trackingBotSpec,
		pathVars: { ':botId': '123' },
		valid: { trackingNumber: 'ABC123456', tracking_id: '1', trackingId: '1', clientCode: 'CLIENT1', clientId: '1', status: 'pending' },
		prepare: (fake) => {
			const f = fake as { addTracking(bot: number, t: { tracking_number: string; client_code: string }): void; addClient(bot: number, code: string, name: string): void };
			f.addClient(123, 'CLIENT1', 'Клиент');
			f.addTracking(123, { tracking_number: 'T1', client_code: 'CLIENT1' });
		},
		items: 300,
	},
	{
		profile: loymax,
		spec: loymaxSpec,
		valid: {
			categories: { entries: [{ code: 'news', status: 'Y' }] },
			local_id: 'C-1', register_date: '2024-05-01T10:00:00', full_name: 'Иван', name: 'Тест', code: 'c1', date: '2024-05-01T10:00:00' },
		prepare: (fake) => {
			const f = fake as { seed(type: string, attrs: Record<string, unknown>): void };
			f.seed('customer', { local_id: 'C-1', full_name: 'Иван' });
		},
		ignore: /^\/token$/,
		items: 80,
	},
];

/** A value the field accepts, for an item where it is not generated. */
function validValue(target: Target, field: FieldSpec): unknown {
	if (target.valid[field.name] !== undefined) return target.valid[field.name];
	switch (field.type) {
		case 'options':
			return field.options?.[0]?.value ?? '';
		case 'number':
			return field.min ?? 1;
		case 'boolean':
			return true;
		case 'dateTime':
		case 'date':
			return '2024-05-01T10:00:00';
		case 'json':
			return '{}';
		case 'locator':
			return '1';
		default:
			return field.required ? 'x1' : '';
	}
}

function parametersFor(operation: OperationSpec, resource: string, fuzzed: FieldSpec[], valid: Record<string, unknown>): INodeParameters {
	const params: IDataObject = { resource, operation: operation.value, returnAll: false, limit: 3, requestOptions: { concurrency: 1, maxRetryWait: 0 } };
	for (const field of operation.fields) {
		const place = placeOf(field, operation);
		const expr = fuzzed.includes(field) ? `={{ $json.f.${field.name} }}` : undefined;
		if (!expr) {
			// A required fixed collection gets its valid value as a plain parameter.
			if (field.required && valid[field.name] !== undefined) {
				if (place === 'top') params[field.name] = valid[field.name] as IDataObject[string];
				else ((params[place] ??= {}) as IDataObject)[field.name] = valid[field.name] as IDataObject[string];
			}
			continue;
		}
		const value = field.type === 'locator' ? { __rl: true, mode: 'id', value: expr } : expr;
		if (place === 'top') params[field.name] = value as IDataObject[string];
		else ((params[place] ??= {}) as IDataObject)[field.name] = value as IDataObject[string];
	}
	return params as INodeParameters;
}

describe('bad input, generated from the provider tables', () => {
	const env = useFaultEnv();
	afterAll(() => reportFigures('bad input'));

	for (const target of targets) {
		for (const resource of target.spec.resources) {
			for (const operation of resource.operations) {
				// Lists of records and name/value pairs are fixed collections: n8n sets their inner values,
				// never the whole collection from one expression, so they are not generated as a whole.
				const fields = operation.fields.filter((f) => (f.location !== 'none' || f.type === 'options') && f.type !== 'list' && f.type !== 'keyValue');
				if (!fields.length) continue;
				it(`${target.spec.displayName} ${resource.value}/${operation.value}: ${fields.length} fields × ${target.items} items`, async () => {
					target.prepare?.(env.sandbox.fake(target.profile.fake));
					const seed = [...`${resource.value}/${operation.value}`].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
					// Each item: every field either a valid value or a generated one (about half each).
					// Many fields: one to three of them generated per item (else nearly every item would have
					// some refused value and nothing would reach the service).
					const few = fields.length > 6;
					let generated = 0;
					const items = fc.sample(
						fc.record({
							values: fc.record(Object.fromEntries(fields.map((f) => [f.name, few ? nasty : fc.option(nasty, { freq: 2, nil: undefined })]))),
							pick: fc.shuffledSubarray(fields.map((f) => f.name), { minLength: 1, maxLength: Math.min(3, fields.length) }),
						}),
						{ numRuns: target.items, seed },
					).map(({ values, pick }) => {
						const f: IDataObject = {};
						generated += fields.filter((field) => !(few && !pick.includes(field.name)) && (values as IDataObject)[field.name] !== undefined).length;
						for (const field of fields) {
							const g = few && !pick.includes(field.name) ? undefined : (values as IDataObject)[field.name];
							f[field.name] = (g === undefined ? validValue(target, field) : g) as IDataObject[string];
						}
						return { f };
					});
					const { credentials } = target.profile.credential(env);
					const result = await env.harness.runNode({
						node: target.profile.node,
						parameters: parametersFor(operation, resource.value, fields, target.valid),
						credentials,
						input: items,
						continueOnFail: true,
					});
					expect(result.error).toBeUndefined();
					const requests = env.sandbox.requests(target.profile.fake).filter((r) => !target.ignore?.test(r.path));
					// No 5xx, ever: a value the node lets through is one the service's contract handles.
					expect(requests.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.path}`)).toEqual([]);
					// Pair items and requests: one request at a time, in item order (list ops: one page).
					const byItem = new Map<number, IDataObject[]>();
					for (const out of result.items) {
						const i = (out.pairedItem as { item: number }).item;
						byItem.set(i, [...(byItem.get(i) ?? []), out.json]);
					}
					let cursor = 0;
					let refused = 0;
					let knownIssues = 0;
					const problems: string[] = [];
					// An operation with its own steps (search then write, GET-merge-PATCH) sends a varying
					// number of requests per item: no pairing, but no path of it may leave the template's
					// shape (a generated id is one encoded segment, never `..` or an extra segment).
					const loose = operation.run !== undefined;
					if (loose) {
						const depth = operation.path.split('/').length;
						for (const r of requests) {
							const segments = r.path.split('/');
							if (segments.some((x) => x === '..' || x === '.') || segments.length > depth + 1) problems.push(`path ${r.path} left the template ${operation.path}`);
						}
					}
					items.forEach((item, i) => {
						const outs = byItem.get(i) ?? [];
						const error = outs.find((o) => o.error !== undefined);
						if (error && target.known?.[operation.value]?.test(String(error.error))) {
							knownIssues++;
							return;
						}
						if (outs.length === 0 && !operation.pagination && !(loose && operation.method === 'GET')) problems.push(`item ${i}: no output`);
						if (error && error.delivery === 'not sent') {
							const named = fields.some(
								(f) =>
									String(error.error).startsWith(`Item ${i + 1}: "${f.label}"`) ||
									String(error.error).startsWith(`Item ${i + 1}: the path parameter "${f.key ?? f.name}"`),
							) || [...operation.path.matchAll(/\{(\w+)\}/g)].some(([, p]) => String(error.error).startsWith(`Item ${i + 1}: the path parameter "${p}" is required`));
							if (!named) problems.push(`item ${i}: unclear error ${String(error.error).slice(0, 120)}`);
							if (error.requestsSent !== 0) problems.push(`item ${i}: not sent but requestsSent ${String(error.requestsSent)}`);
							refused++;
							return;
						}
						if (loose) {
							if (error && !String(error.error).startsWith(`${target.spec.displayName} returned 4`)) problems.push(`item ${i}: ${String(error.error).slice(0, 160)}`);
							cursor++;
							return;
						}
						const request = requests[cursor++];
						if (!request) {
							problems.push(`item ${i}: sent, but no request in the log`);
							return;
						}
						if (error) {
							if (!/^[4]\d\d$/.test(String(error.httpCode))) problems.push(`item ${i}: ${String(error.error).slice(0, 120)}`);
							if (!String(error.error).startsWith(`${target.spec.displayName} returned 4`)) problems.push(`item ${i}: ${String(error.error)}`);
						}
						// The path is the template with each path value encoded as one segment.
						let expected = operation.path;
						for (const [name, value] of Object.entries(target.pathVars ?? {})) expected = expected.split(name).join(value);
						for (const field of operation.fields.filter((f) => f.location === 'path')) {
							const raw = (item.f as IDataObject)[field.name];
							expected = expected.split(`{${field.key ?? field.name}}`).join(encodeURIComponent(String(raw)));
						}
						// Ids are trimmed (a pasted " 12 " is id 12): that form is accepted too.
						let trimmed = operation.path;
						for (const [name, value] of Object.entries(target.pathVars ?? {})) trimmed = trimmed.split(name).join(value);
						for (const field of operation.fields.filter((f) => f.location === 'path')) {
							const raw = String((item.f as IDataObject)[field.name]).trim();
							trimmed = trimmed.split(`{${field.key ?? field.name}}`).join(encodeURIComponent(raw));
						}
						if (request.path !== expected && request.path !== trimmed) problems.push(`item ${i}: path ${request.path} ≠ ${expected}`);
						if (operation.pagination && outs.length > 0) {
							// A list item may read more pages: skip its further page requests.
							while (requests[cursor] && requests[cursor].rawQuery.includes('page=') && !/[?&]page=1(&|$)/.test(`&${requests[cursor].rawQuery}`)) cursor++;
						}
					});
					expect(problems.slice(0, 20)).toEqual([]);
					// Both outcomes occur: generated values refused before sending, and requests sent.
					expect(refused).toBeGreaterThan(items.length / 10);
					expect(cursor).toBeGreaterThan(0);
					expect(cursor + refused + knownIssues).toBeLessThanOrEqual(items.length);
					if (loose) expect(requests.length).toBeGreaterThanOrEqual(cursor);
					figuresOf(target.spec.displayName).badInputs += generated;
					scanSecrets(env, target.profile, result);
				});
			}
		}
	}
});
