/**
 * Generic fault drivers: run a batch of write items or a Return All through the real n8n engine
 * while the sandbox injects faults, then hold the result against the sandbox's request log (the
 * ground truth): every write item done exactly once, or failed with an honest account of what
 * reached the service; Return All with no gap and no duplicate.
 */
import type { IDataObject, INodeCredentialsDetails, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FaultRule, ProviderFake, RecordedRequest, Sandbox } from '../../sandbox/server';
import type { RunResult } from '../harness/n8n';
import { safeStringify, type FaultEnv } from './env';

export interface CredentialSetup {
	credentials: Record<string, INodeCredentialsDetails>;
	/** Every secret value of the credential (and any token the service issues). */
	secrets: string[];
}

export interface WriteProfile {
	/** Node parameters of a write whose values come from `$json` of each item. */
	parameters: INodeParameters;
	/** `n` input items (and whatever state the fake needs for them). */
	prepare(fake: ProviderFake, n: number): IDataObject[];
	/** Which item a recorded request writes, or undefined when it is not a write of the batch. */
	keyOfRequest(r: RecordedRequest): string | undefined;
	keyOfInput(item: IDataObject): string;
	/** Path (after the provider prefix) of the write requests, for fault rules. */
	path: RegExp;
	/** Keys of the writes the fake's state holds (a second ground truth), when it can tell. */
	writesInFake?(fake: ProviderFake): string[];
	/** Extra check of a successful output item. */
	checkOutput?(json: IDataObject, input: IDataObject): void;
	/** Whether the write is an idempotent request (retried on 5xx / lost connections). */
	idempotent: boolean;
	/** Malformed-answer cases (fault labels) the provider's write code mishandles (known issues, reported). */
	unguardedAnswers?: string[];
	/** Malformed-answer cases the provider's write code reports as "the answer has no record" (a 200 without the written record). */
	failingAnswers?: string[];
}

export interface ListProfile {
	/** Node parameters of a Return All. */
	parameters: INodeParameters;
	/** Seed `pages` pages of records; returns the ids Return All must give, in order. */
	prepare(fake: ProviderFake, pages: number): string[];
	/** Page requests in the log. */
	isPageRequest(r: RecordedRequest): boolean;
	idOf(json: IDataObject): string;
	/** Path of the page requests, for fault rules. */
	path: RegExp;
	/** Malformed-page cases the provider's own list code does not detect (known issues, reported). */
	unguardedPages?: string[];
}

export interface ProviderProfile {
	/** Fake name in the sandbox, e.g. `iqm`. */
	fake: string;
	/** Short node name, e.g. `iqmTech`. */
	node: string;
	displayName: string;
	credential(env: FaultEnv): CredentialSetup;
	write?: WriteProfile;
	list?: ListProfile;
	/** Make every token issued so far invalid (token expiry / revocation), when the service logs in. */
	expireTokens?(fake: ProviderFake): void;
	/** Tokens the fake issued (added to the secrets). */
	issuedTokens?(fake: ProviderFake): string[];
	/** Whether a recorded request is a login. */
	isLogin?(r: RecordedRequest): boolean;
	/**
	 * false when the service documents no X-RateLimit-Limit / -Remaining budget headers: its
	 * injected 429 then names only X-RateLimit-Reset (see the Loymax profile).
	 */
	rateLimitHeaders?: boolean;
	/** Default pause after a 429 without a wait (documented by the provider), seconds. */
	documentedPause?: number;
}

/** Figures for the report. */
export interface Figures {
	faultsInjected: number;
	itemsProcessed: number;
	itemsLost: number;
	duplicateWrites: number;
	badInputs: number;
	leaks: number;
	runs: number;
}

export const figures: Record<string, Figures> = {};

export function figuresOf(provider: string): Figures {
	return (figures[provider] ??= { faultsInjected: 0, itemsProcessed: 0, itemsLost: 0, duplicateWrites: 0, badInputs: 0, leaks: 0, runs: 0 });
}

/** Print (and keep) the figures of a file at the end. */
export function reportFigures(title: string): void {
	const rows = Object.entries(figures).map(([p, f]) => `${p}: ${JSON.stringify(f)}`);
	process.stdout.write(`\n[${title}] ${rows.join('\n  ')}\n`);
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const fs = require('fs') as typeof import('fs');
		const file = require('path').join(require('os').tmpdir(), 'rumarket-fault-figures.jsonl');
		fs.appendFileSync(file, `${JSON.stringify({ title, at: new Date().toISOString(), figures })}\n`);
	} catch {
		// figures are informative only
	}
}

export const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seeded positions: `count` distinct request numbers in [from, to). */
export function seededPositions(random: () => number, count: number, from: number, to: number, minGap = 1): number[] {
	const out: number[] = [];
	for (let tries = 0; out.length < count && tries < 10_000; tries++) {
		const n = from + Math.floor(random() * (to - from));
		if (out.every((m) => Math.abs(m - n) >= minGap)) out.push(n);
	}
	return out.sort((a, b) => a - b);
}

/** Count the requests the sandbox answered with an injected fault. */
export function faultsIn(log: RecordedRequest[]): number {
	return log.filter((r) => r.fault !== undefined).length;
}

/**
 * Token expiry at random points: after the answer to each request numbered in `at` (authenticated
 * requests of the provider, counted from 1), every token issued so far stops working.
 */
export function expireTokensAt(sandbox: Sandbox, profile: ProviderProfile, at: number[]): { expired: () => number } {
	const fake = sandbox.fake(profile.fake);
	const original = fake.handle.bind(fake);
	let count = 0;
	let expired = 0;
	const pending = new Set(at);
	fake.handle = async (req) => {
		const answer = await original(req);
		const isLogin = profile.isLogin?.({ ...req, status: answer.status, processed: true, at: 0 } as RecordedRequest) ?? false;
		if (!isLogin && answer.status !== 401) {
			count++;
			if (pending.delete(count)) {
				profile.expireTokens!(fake);
				expired++;
			}
		}
		return answer;
	};
	return { expired: () => expired };
}

export interface BatchOutcome {
	result: RunResult;
	input: IDataObject[];
	/** Output items of each input item. */
	outputs: INodeExecutionData[][];
	succeeded: number[];
	failed: number[];
	/** Writes per key that reached the service and were processed. */
	writes: Map<string, number>;
	/** Requests per key (processed or not). */
	requests: Map<string, number>;
	/** The requests of each key, in order. */
	trail: Map<string, RecordedRequest[]>;
}

export async function runWriteBatch(
	env: FaultEnv,
	profile: ProviderProfile,
	n: number,
	options: { requestOptions?: IDataObject; continueOnFail?: boolean; settle?: number } = {},
): Promise<BatchOutcome> {
	const write = profile.write!;
	const fake = env.sandbox.fake(profile.fake);
	const input = write.prepare(fake, n);
	const { credentials } = profile.credential(env);
	const result = await env.harness.runNode({
		node: profile.node,
		parameters: { ...write.parameters, requestOptions: { concurrency: 5, ...(options.requestOptions ?? {}) } } as INodeParameters,
		credentials,
		input,
		continueOnFail: options.continueOnFail ?? true,
	});
	// A timed-out request may still be processed by the service after the client gave up.
	if (options.settle) await sleepMs(options.settle);
	const outputs: INodeExecutionData[][] = input.map(() => []);
	for (const item of result.items) {
		const paired = item.pairedItem as { item: number } | undefined;
		if (paired && typeof paired.item === 'number') outputs[paired.item]?.push(item);
		else throw new Error(`an output item without pairedItem: ${safeStringify(item.json).slice(0, 200)}`);
	}
	const writes = new Map<string, number>();
	const requests = new Map<string, number>();
	const trail = new Map<string, RecordedRequest[]>();
	for (const r of env.sandbox.requests(profile.fake)) {
		const key = write.keyOfRequest(r);
		if (key === undefined) continue;
		requests.set(key, (requests.get(key) ?? 0) + 1);
		trail.set(key, [...(trail.get(key) ?? []), r]);
		if (r.processed) writes.set(key, (writes.get(key) ?? 0) + 1);
	}
	const succeeded: number[] = [];
	const failed: number[] = [];
	outputs.forEach((items, i) => (items.some((it) => it.json.error !== undefined) ? failed : succeeded).push(i));
	const f = figuresOf(profile.displayName);
	f.runs++;
	f.itemsProcessed += n;
	f.faultsInjected += faultsIn(env.sandbox.requests(profile.fake));
	return { result, input, outputs, succeeded, failed, writes, requests, trail };
}

/**
 * The guarantees of a batch: each input has output; a success was written exactly once; a failure
 * says what happened (`delivery`, `requestsSent`) and the log agrees.
 */
export function checkBatch(profile: ProviderProfile, outcome: BatchOutcome, env?: FaultEnv): void {
	const write = profile.write!;
	const f = figuresOf(profile.displayName);
	const problems: string[] = [];
	outcome.input.forEach((item, i) => {
		const key = write.keyOfInput(item);
		const out = outcome.outputs[i];
		const writes = outcome.writes.get(key) ?? 0;
		const sent = outcome.requests.get(key) ?? 0;
		// An idempotent write (an upsert by an external id) repeated after an unknown outcome is
		// harmless: it counts as a duplicate only when the service ends up holding it twice.
		if (writes > 1 && !write.idempotent) f.duplicateWrites += writes - 1;
		if (out.length === 0) {
			f.itemsLost++;
			problems.push(`item ${i} (${key}): no output`);
			return;
		}
		// A non-idempotent write is never repeated after an answer that leaves its fate unknown.
		const trail = outcome.trail.get(key) ?? [];
		const ambiguous = trail.findIndex((r) => r.status === 0 || r.status >= 500 || r.fault === 'slow' || (r.status === 200 && r.fault !== undefined));
		if (!write.idempotent && ambiguous !== -1 && ambiguous < trail.length - 1) {
			problems.push(`item ${i} (${key}): sent again after ${trail[ambiguous].fault ?? trail[ambiguous].status}`);
		}
		const error = out.find((o) => o.json.error !== undefined);
		if (!error) {
			if (write.idempotent ? writes < 1 : writes !== 1) problems.push(`item ${i} (${key}): succeeded but written ${writes} times`);
			if (out.length !== 1) problems.push(`item ${i} (${key}): ${out.length} output items`);
			// The record as the service answered it (a faulted answer may be shaped differently).
			if (trail.length && trail[trail.length - 1].fault === undefined) write.checkOutput?.(out[0].json, item);
			return;
		}
		const json = error.json;
		if (out.length !== 1) problems.push(`item ${i}: an error item and ${out.length - 1} more`);
		if (!['not sent', 'refused', 'unknown'].includes(json.delivery as string)) problems.push(`item ${i}: delivery ${String(json.delivery)}`);
		if (typeof json.requestsSent !== 'number') problems.push(`item ${i}: requestsSent ${String(json.requestsSent)}`);
		if (typeof json.error !== 'string' || !json.error.startsWith(profile.displayName)) {
			if (json.delivery !== 'not sent') problems.push(`item ${i}: error does not name ${profile.displayName}: ${String(json.error)}`);
		}
		if (writes > 1 && !write.idempotent) problems.push(`item ${i} (${key}): failed but written ${writes} times`);
		if ((json.delivery === 'not sent' || json.delivery === 'refused') && writes !== 0) {
			problems.push(`item ${i} (${key}): delivery "${String(json.delivery)}" but written ${writes} times`);
		}
		if (json.delivery === 'not sent' && sent !== 0) problems.push(`item ${i} (${key}): "not sent" but ${sent} requests`);
		// A request that timed out or lost its connection may never have reached the service.
		const lostOnTheWay = typeof json.error === 'string' && json.error.startsWith(`${profile.displayName} request failed`);
		if (json.delivery !== 'not sent' && sent === 0 && !lostOnTheWay) problems.push(`item ${i} (${key}): "${String(json.delivery)}" but no request in the log`);
		// Each attempt is one request (two when the credential logs in again after a 401).
		const perAttempt = profile.isLogin ? 2 : 1;
		if (typeof json.requestsSent === 'number' && sent > json.requestsSent * perAttempt) {
			problems.push(`item ${i} (${key}): ${sent} requests logged, the error says ${json.requestsSent}`);
		}
		if (json.delivery !== 'not sent' && json.requestsSent === 0) problems.push(`item ${i} (${key}): "${String(json.delivery)}" with requestsSent 0`);
	});
	if (write.writesInFake && env) {
		const inFake = write.writesInFake(env.sandbox.fake(profile.fake));
		const counts = new Map<string, number>();
		for (const k of inFake) counts.set(k, (counts.get(k) ?? 0) + 1);
		for (const [k, c] of counts) {
			if (c > 1) {
				f.duplicateWrites += write.idempotent ? c - 1 : 0;
				problems.push(`the fake holds ${c} writes of ${k}`);
			}
		}
		for (const [k, c] of outcome.writes) {
			// An upsert repeated holds one record however often it was processed.
			const held = counts.get(k) ?? 0;
			if (write.idempotent ? held !== 1 : held !== c) problems.push(`log says ${c} writes of ${k}, the fake ${held}`);
		}
	}
	expect(problems).toEqual([]);
}

export interface ListOutcome {
	result: RunResult;
	expected: string[];
	ids: string[];
}

export async function runReturnAll(
	env: FaultEnv,
	profile: ProviderProfile,
	pages: number,
	requestOptions: IDataObject = {},
): Promise<ListOutcome> {
	const list = profile.list!;
	const expected = list.prepare(env.sandbox.fake(profile.fake), pages);
	const { credentials } = profile.credential(env);
	const result = await env.harness.runNode({
		node: profile.node,
		parameters: { ...list.parameters, returnAll: true, requestOptions } as INodeParameters,
		credentials,
		input: [{}],
	});
	const ids = result.items.map((i) => list.idOf(i.json));
	const f = figuresOf(profile.displayName);
	f.runs++;
	f.itemsProcessed += expected.length;
	f.faultsInjected += faultsIn(env.sandbox.requests(profile.fake));
	return { result, expected, ids };
}

/** Return All: complete, no duplicate, or a clear error — never a silently short list. */
export function checkReturnAll(profile: ProviderProfile, outcome: ListOutcome, mustSucceed: boolean): void {
	const f = figuresOf(profile.displayName);
	const { result, expected, ids } = outcome;
	if (result.error) {
		if (mustSucceed) throw new Error(`Return All failed: ${result.error.message}`);
		expect(result.error.message).toMatch(new RegExp(`^${profile.displayName} (returned \\d{3}|request failed)`));
		return;
	}
	const dup = ids.length - new Set(ids).size;
	f.duplicateWrites += 0;
	const missing = expected.filter((id) => !ids.includes(id));
	f.itemsLost += missing.length;
	expect({ missing: missing.length, duplicates: dup }).toEqual({ missing: 0, duplicates: 0 });
	expect(ids).toEqual(expected);
	for (const item of result.items) expect(item.pairedItem).toEqual({ item: 0 });
}

/** A 5xx / drop / slow / malformed rule placed on the given request paths. */
export function rule(profile: ProviderProfile, extra: Partial<FaultRule>): FaultRule {
	return { provider: profile.fake, ...extra };
}
