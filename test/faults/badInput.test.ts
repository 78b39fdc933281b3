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
import { neiros as neirosSpec } from '../../nodes/Neiros/spec';
import { placeOf } from '../../nodes/shared/properties';
import type { FieldSpec, OperationSpec, ProviderSpec } from '../../nodes/shared/spec';
import { figuresOf, reportFigures, type ProviderProfile } from './drivers';
import { useFaultEnv } from './env';
import { iqmTech, neiros } from './profiles';
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
];

function parametersFor(operation: OperationSpec, resource: string, fuzzed: FieldSpec[]): INodeParameters {
	const params: IDataObject = { resource, operation: operation.value, returnAll: false, limit: 3, requestOptions: { concurrency: 1, maxRetryWait: 0 } };
	for (const field of operation.fields) {
		const place = placeOf(field, operation);
		const expr = fuzzed.includes(field) ? `={{ $json.f.${field.name} }}` : undefined;
		if (!expr) continue;
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
				const fields = operation.fields.filter((f) => f.location !== 'none' || f.type === 'options');
				if (!fields.length) continue;
				it(`${target.spec.displayName} ${resource.value}/${operation.value}: ${fields.length} fields × ${target.items} items`, async () => {
					target.prepare?.(env.sandbox.fake(target.profile.fake));
					const seed = [...`${resource.value}/${operation.value}`].reduce((a, c) => a * 31 + c.charCodeAt(0), 7) >>> 0;
					// Each item: every field either a valid value or a generated one (about half each).
					const items = fc.sample(
						fc.record(Object.fromEntries(fields.map((f) => [f.name, fc.option(nasty, { freq: 2, nil: undefined })]))),
						{ numRuns: target.items, seed },
					).map((gen) => {
						const f: IDataObject = {};
						for (const field of fields) {
							const g = (gen as IDataObject)[field.name];
							f[field.name] = (g === undefined ? target.valid[field.name] ?? '' : g) as IDataObject[string];
						}
						return { f };
					});
					const { credentials } = target.profile.credential(env);
					const result = await env.harness.runNode({
						node: target.profile.node,
						parameters: parametersFor(operation, resource.value, fields),
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
					const problems: string[] = [];
					items.forEach((item, i) => {
						const outs = byItem.get(i) ?? [];
						const error = outs.find((o) => o.error !== undefined);
						if (outs.length === 0 && !operation.pagination) problems.push(`item ${i}: no output`);
						if (error && error.delivery === 'not sent') {
							const named = fields.some((f) => String(error.error).startsWith(`Item ${i + 1}: "${f.label}"`));
							if (!named) problems.push(`item ${i}: unclear error ${String(error.error).slice(0, 120)}`);
							if (error.requestsSent !== 0) problems.push(`item ${i}: not sent but requestsSent ${String(error.requestsSent)}`);
							refused++;
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
						for (const field of operation.fields.filter((f) => f.location === 'path')) {
							const raw = (item.f as IDataObject)[field.name];
							expected = expected.split(`{${field.key ?? field.name}}`).join(encodeURIComponent(String(raw)));
						}
						if (request.path !== expected) problems.push(`item ${i}: path ${request.path} ≠ ${expected}`);
						if (operation.pagination && outs.length > 0) {
							// A list item may read more pages: skip its further page requests.
							while (requests[cursor] && requests[cursor].rawQuery.includes('page=') && !/[?&]page=1(&|$)/.test(`&${requests[cursor].rawQuery}`)) cursor++;
						}
					});
					expect(problems.slice(0, 20)).toEqual([]);
					// Both outcomes occur: generated values refused before sending, and requests sent.
					expect(refused).toBeGreaterThan(items.length / 10);
					expect(cursor).toBeGreaterThan(0);
					expect(cursor + refused).toBeLessThanOrEqual(items.length);
					figuresOf(target.spec.displayName).badInputs += items.length * fields.length;
					scanSecrets(env, target.profile, result);
				});
			}
		}
	}
});
