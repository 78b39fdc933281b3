/**
 * The security suite's environment: the fault environment (sandbox with every fake, the n8n
 * harness, a capture of every log line) plus two foreign hosts — one on another loopback address
 * (127.0.0.2), one on another port of 127.0.0.1 — and the secret scan.
 */
import type { INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { ForeignHost } from '../../sandbox/foreign';
import { safeStringify, useFaultEnv, type FaultEnv } from '../faults/env';
import { iqmTech, loymax, neiros, synergyCrm, trackingBot } from '../faults/profiles';
import type { ProviderProfile } from '../faults/drivers';

export interface SecurityEnv extends FaultEnv {
	/** 127.0.0.2 */
	foreign: ForeignHost;
	/** 127.0.0.1, another port */
	otherPort: ForeignHost;
}

export function useSecurityEnv(): SecurityEnv {
	const env = useFaultEnv() as SecurityEnv;
	beforeAll(async () => {
		env.foreign = await new ForeignHost('127.0.0.2').start();
		env.otherPort = await new ForeignHost('127.0.0.1').start();
	});
	beforeEach(() => {
		env.foreign.received.length = 0;
		env.otherPort.received.length = 0;
	});
	afterAll(async () => {
		await env.foreign?.stop();
		await env.otherPort?.stop();
	});
	return env;
}

export const PROFILES: ProviderProfile[] = [iqmTech, synergyCrm, neiros, trackingBot, loymax];

/** A read (GET) and, where the API has one, a write of each provider: parameters and the path a fault matches. */
export const READS: Record<string, { parameters: INodeParameters; path: RegExp }> = {
	iqmTech: { parameters: { resource: 'visit', operation: 'send', page: 'https://shop.example.ru/p/1' }, path: /^\/api\/sync\/data$/ },
	synergyCrm: { parameters: { resource: 'contact', operation: 'getAll', returnAll: false, limit: 5 }, path: /^\/api\/v1\/contacts/ },
	neiros: { parameters: { resource: 'site', operation: 'getAll' }, path: /^\/api\/userapi\/v1\/sites/ },
	trackingBot: { parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: false, limit: 5 }, path: /^\/api\/v1\/tracking\// },
	loymax: { parameters: { resource: 'customer', operation: 'getAll', returnAll: false, limit: 5 }, path: /^\/customer$/ },
};

export function credentialsOf(env: FaultEnv, profile: ProviderProfile): { credentials: Record<string, INodeCredentialsDetails>; secrets: string[] } {
	return profile.credential(env);
}

function base64Pieces(secret: string): string[] {
	const out: string[] = [];
	for (let shift = 0; shift < 3; shift++) {
		const encoded = Buffer.concat([Buffer.alloc(shift), Buffer.from(secret)]).toString('base64').replace(/=+$/, '');
		const head = shift === 0 ? 0 : shift + 1;
		const tail = (shift + Buffer.byteLength(secret)) % 3 === 0 ? 0 : 1;
		out.push(encoded.slice(head, encoded.length - tail));
	}
	return out;
}

/** The needles of one secret: plain, URL-encoded (both ways), base64 (aligned three ways), and every 12-character piece of each. */
export function needlesOf(secret: string): string[] {
	const forms = new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), Buffer.from(secret).toString('base64')]);
	if (secret.length >= 8) for (const f of base64Pieces(secret)) forms.add(f);
	const needles = new Set<string>();
	for (const form of forms) {
		if (form.length < 4) continue;
		needles.add(form);
		for (let i = 0; i + 12 <= form.length; i++) needles.add(form.slice(i, i + 12));
	}
	return [...needles];
}

export interface Scan {
	runs: number;
	secretsSearched: number;
	needles: number;
	findings: string[];
}

export function newScan(): Scan {
	return { runs: 0, secretsSearched: 0, needles: 0, findings: [] };
}

/** Everything a user or a log may see of a run: the error (every own field) and the output items. */
export function visibleText(value: unknown): string {
	return safeStringify(value);
}

/** Count a run and record every secret found in what it shows. */
export function scanFor(scan: Scan, label: string, shown: unknown, secrets: string[]): void {
	scan.runs++;
	const text = visibleText(shown);
	for (const secret of new Set(secrets.filter((s) => s && s.length >= 4))) {
		scan.secretsSearched++;
		for (const needle of needlesOf(secret)) {
			scan.needles++;
			if (text.includes(needle)) {
				scan.findings.push(`${label}: "${needle}" of a secret (${secret.slice(0, 3)}…)`);
				break;
			}
		}
	}
}
