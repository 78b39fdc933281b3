/**
 * Target 4 (and 5): the engine's own CPU cost per item, against JSON.parse of the same payload.
 * - decode: a Synergy CRM deals page (100 records, as the fake renders it: attributes, customs,
 *   relationship links, meta) parsed with JSON.parse, then turned into output records the way the
 *   node does (listItems + the provider's simplify = jsonapi flatten), and jsonapi.decode alone.
 * - the answer's text before that: its bytes decoded (UTF-8, as the transport reads a body) and
 *   every known secret looked for in it (secrets.ts redact for output, what transport.ts parseBody
 *   does to every answer), with the secrets of a process that has seen a Synergy CRM token, a
 *   Loymax JWT and a Tracking Bot key.
 * - build: every field of Synergy CRM "Deal → Create" validated/encoded (values.ts encodeValue)
 *   and the request built (execute.ts buildRequest, JSON:API body); compared with JSON.parse of
 *   the request bodies it produced.
 * Pages are processed one at a time and dropped (as the node does), so memory stays flat.
 */
import path from 'path';

import type { IDataObject, INode } from 'n8n-workflow';

import { median } from '../measure';
import { ROOT } from '../runtime';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const dist = (rel: string): Any => require(path.join(ROOT, 'dist', rel));

export interface EngineFigures {
	records: number;
	parseNsPerItem: number;
	simplifyNsPerItem: number;
	decodeNsPerItem: number;
	simplifyRatio: number;
	decodeRatio: number;
	utf8NsPerItem: number;
	utf8Ratio: number;
	redactNsPerItem: number;
	redactRatio: number;
	buildRecords: number;
	buildNsPerItem: number;
	buildParseNsPerItem: number;
	buildRatio: number;
	buildNoDatesNsPerItem: number;
	buildNoDatesRatio: number;
	heapGrowthBytes: number;
}

function cpuNs(fn: () => void): number {
	const t0 = process.cpuUsage();
	fn();
	const d = process.cpuUsage(t0);
	return (d.user + d.system) * 1000;
}

/** Real pages from the Synergy CRM fake (without a server: its handler called directly). */
function synergyPages(count: number): string[] {
	const { SynergyCrmFake, SYNERGY_TOKEN } = require(path.join(ROOT, 'dist-dev', 'sandbox', 'synergyCrm.js')) as Any;
	const fake = new SynergyCrmFake();
	fake.seedDeals(100 * count);
	const pages: string[] = [];
	for (let p = 1; p <= count; p++) {
		const query = { 'page[number]': String(p), 'page[size]': '100' };
		const answer = fake.handle({
			provider: 'synergy',
			method: 'GET',
			path: '/api/v1/deals',
			query,
			rawQuery: new URLSearchParams(query).toString(),
			headers: { authorization: `Bearer ${SYNERGY_TOKEN}`, accept: 'application/vnd.api+json' },
			body: undefined,
			rawBody: '',
			bodyInvalid: false,
		});
		if (answer.status !== 200) throw new Error(`synergy fake answered ${answer.status}`);
		pages.push(JSON.stringify(answer.body));
	}
	return pages;
}

/** A plausible raw value for every field of an operation (what a user maps from the input item). */
function rawValues(fields: Any[], i: number): IDataObject {
	const out: IDataObject = {};
	for (const f of fields) {
		switch (f.type) {
			case 'string':
			case 'color':
				out[f.name] = f.pattern ? undefined : `${f.name} ${i}`;
				break;
			case 'number':
				out[f.name] = f.min !== undefined ? f.min + (i % 10) : 1000 + i;
				break;
			case 'boolean':
				out[f.name] = i % 2 === 0;
				break;
			case 'date':
			case 'dateTime':
				out[f.name] = '2024-05-01T10:00:00';
				break;
			case 'options':
				out[f.name] = f.options?.[i % f.options.length]?.value;
				break;
			case 'locator':
				out[f.name] = { __rl: true, mode: 'id', value: String(1 + (i % 50)) };
				break;
			case 'keyValue':
				out[f.name] = { pairs: [{ name: 'custom-1', value: `v${i}` }] };
				break;
			default:
				break;
		}
		if (f.location === 'relationship' && f.type !== 'locator') out[f.name] = String(1 + (i % 50));
	}
	return out;
}

export function runEngine(records: number, buildRecords = records, passes = 3): EngineFigures {
	const { findOperation, buildRequest, listItemsOf } = dist('nodes/shared/execute.js');
	const { encodeValue } = dist('nodes/shared/values.js');
	const { decode } = dist('nodes/shared/jsonapi.js');
	const { redact, rememberSecrets } = dist('nodes/shared/secrets.js');
	const { SYNERGY_TOKEN } = require(path.join(ROOT, 'dist-dev', 'sandbox', 'synergyCrm.js')) as Any;
	rememberSecrets(SYNERGY_TOKEN, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhcGktdXNlciJ9.c2lnbmF0dXJl', 'tb-key-3f9a1c77d2e84b06a5c1');
	const { synergyCrm } = dist('nodes/SynergyCrm/spec.js');
	const pages = synergyPages(10);
	const bytes = pages.map((p) => Buffer.from(p, 'utf8'));
	const pageCount = Math.ceil(records / 100);
	const readItems = synergyCrm.listItems ?? listItemsOf;
	const heap0 = process.memoryUsage().heapUsed;

	// Warm up the JIT on every path first.
	for (let i = 0; i < 200; i++) {
		const body = JSON.parse(pages[i % pages.length]);
		readItems(body).map((r: IDataObject) => synergyCrm.simplify(r, body));
		decode(body);
		redact(pages[i % pages.length], [], { output: true });
	}
	let sink = 0;
	const best = (fn: () => void) => Math.min(...Array.from({ length: passes }, () => cpuNs(fn)));
	const parsed = pages.map((p) => JSON.parse(p));
	const parseNs = best(() => {
		for (let p = 0; p < pageCount; p++) sink += JSON.parse(pages[p % pages.length]).data.length;
	});
	// Each page body is used once per pass, like a response: parse outside the timed part.
	const simplifyNs = best(() => {
		for (let p = 0; p < pageCount; p++) {
			const body = parsed[p % parsed.length];
			sink += readItems(body).map((r: IDataObject) => synergyCrm.simplify(r, body)).length;
		}
	});
	const decodeNs = best(() => {
		for (let p = 0; p < pageCount; p++) sink += decode(parsed[p % parsed.length]).length;
	});
	const utf8Ns = best(() => {
		for (let p = 0; p < pageCount; p++) sink += bytes[p % bytes.length].toString('utf8').length;
	});
	const redactNs = best(() => {
		for (let p = 0; p < pageCount; p++) sink += (redact(pages[p % pages.length], [], { output: true }) as string).length;
	});

	const { operation } = findOperation(synergyCrm, 'deal', 'create');
	const node = { id: 'b', name: 'Bench', type: 'bench', typeVersion: 1, position: [0, 0], parameters: {} } as unknown as INode;
	const measureBuild = (fields: Any[]) => {
		const op = { ...operation, fields };
		const inputs = Array.from({ length: 1000 }, (_, i) => rawValues(fields, i));
		const buildOne = (i: number) => {
			const ctx = { node, itemIndex: i, timezone: 'Europe/Moscow' };
			const raw = inputs[i % inputs.length];
			const values: IDataObject = {};
			for (const field of fields) {
				const encoded = encodeValue(field, raw[field.name], ctx);
				if (encoded !== undefined) values[field.name] = encoded;
			}
			return buildRequest(op, values, ctx, synergyCrm);
		};
		const bodies = inputs.map((_, i) => JSON.stringify(buildOne(i).body));
		for (let i = 0; i < 5000; i++) buildOne(i);
		// The two sides alternate, pass after pass, and the ratio is the median of the passes' ratios:
		// measured one after the other (best of 3 each) a garbage collection in either side moved the
		// ratio by ±0.3 from run to run.
		const builds: number[] = [];
		const parses: number[] = [];
		for (let k = 0; k < Math.max(3, passes + 2); k++) {
			builds.push(
				cpuNs(() => {
					for (let i = 0; i < buildRecords; i++) sink += buildOne(i).path.length;
				}),
			);
			parses.push(
				cpuNs(() => {
					for (let i = 0; i < buildRecords; i++) sink += JSON.parse(bodies[i % bodies.length]).data ? 1 : 0;
				}),
			);
		}
		return { ns: median(builds), parseNs: median(parses), ratio: median(builds.map((b, k) => b / parses[k])) };
	};
	const all = measureBuild(operation.fields);
	const noDates = measureBuild(operation.fields.filter((f: Any) => f.type !== 'date' && f.type !== 'dateTime'));
	const buildNs = all.ns;
	const buildParseNs = all.parseNs;
	if (sink < 0) console.log(sink);
	const heapGrowthBytes = Math.max(0, process.memoryUsage().heapUsed - heap0);
	return {
		records,
		parseNsPerItem: parseNs / records,
		simplifyNsPerItem: simplifyNs / records,
		decodeNsPerItem: decodeNs / records,
		simplifyRatio: simplifyNs / parseNs,
		decodeRatio: decodeNs / parseNs,
		utf8NsPerItem: utf8Ns / records,
		utf8Ratio: utf8Ns / parseNs,
		redactNsPerItem: redactNs / records,
		redactRatio: redactNs / parseNs,
		buildRecords,
		buildNsPerItem: buildNs / buildRecords,
		buildParseNsPerItem: buildParseNs / buildRecords,
		buildRatio: all.ratio,
		buildNoDatesNsPerItem: noDates.ns / buildRecords,
		buildNoDatesRatio: noDates.ratio,
		heapGrowthBytes,
	};
}
