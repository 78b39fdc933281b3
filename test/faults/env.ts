/**
 * Environment of the fault and bad-input suites: one sandbox with every provider fake that has
 * landed (each mounted on its own, so a provider still being written does not stop the others),
 * the n8n harness, and a capture of every log line (console and n8n's LoggerProxy) for the
 * secret scan.
 */
import { LoggerProxy } from 'n8n-workflow';

import { Sandbox, type ProviderFake } from '../../sandbox/server';
import { Harness, fromDist, shutdownN8n } from '../harness/n8n';

export interface FaultEnv {
	sandbox: Sandbox;
	harness: Harness;
	/** Every console / n8n logger line since the file started. */
	logs: string[];
}

const FAKES: Array<[string, string]> = [
	['iqmTech', 'IqmTechFake'],
	['synergyCrm', 'SynergyCrmFake'],
	['neiros', 'NeirosFake'],
	['trackingBot', 'TrackingBotFake'],
	['loymax', 'LoymaxFake'],
];

/** The fakes that exist in sandbox/ right now. */
export function availableFakes(): ProviderFake[] {
	const out: ProviderFake[] = [];
	for (const [file, cls] of FAKES) {
		let mod: Record<string, new () => ProviderFake>;
		try {
			mod = require(`../../sandbox/${file}`) as Record<string, new () => ProviderFake>;
		} catch (error) {
			if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`sandbox/${file}`)) continue;
			throw error;
		}
		if (mod[cls]) out.push(new mod[cls]());
	}
	return out;
}

function text(args: unknown[]): string {
	return args
		.map((a) => {
			if (typeof a === 'string') return a;
			if (a instanceof Error) return `${a.message} ${(a as { description?: string }).description ?? ''} ${a.stack ?? ''}`;
			try {
				return safeStringify(a);
			} catch {
				return String(a);
			}
		})
		.join(' ');
}

/** JSON of anything (cycles cut, errors with their own properties), for the secret scan. */
export function safeStringify(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, v: unknown) => {
		if (typeof v === 'bigint') return String(v);
		if (v && typeof v === 'object') {
			if (seen.has(v)) return '[cycle]';
			seen.add(v);
			if (v instanceof Error) {
				const own: Record<string, unknown> = { message: v.message, stack: v.stack };
				for (const key of Object.getOwnPropertyNames(v)) own[key] = (v as unknown as Record<string, unknown>)[key];
				return own;
			}
		}
		return v;
	});
}

export function useFaultEnv(): FaultEnv {
	const env = { logs: [] as string[] } as FaultEnv;
	const spies: jest.SpyInstance[] = [];
	beforeAll(async () => {
		env.sandbox = await new Sandbox(availableFakes()).start(0);
		env.harness = await Harness.create();
		for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
			spies.push(jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void env.logs.push(text(args))));
		}
		const capture = (message: string, meta?: object) => void env.logs.push(`${message} ${meta ? text([meta]) : ''}`);
		LoggerProxy.init({ error: capture, warn: capture, info: capture, debug: capture } as never);
	});
	beforeEach(() => {
		env.sandbox.reset();
		env.sandbox.seed(1);
		fromDist<{ resetLimiters(): void }>('nodes/shared/pacing').resetLimiters();
	});
	afterAll(async () => {
		for (const spy of spies) spy.mockRestore();
		await env.sandbox?.stop();
		shutdownN8n();
	});
	return env;
}

/** Whether a provider's fake and node are both loaded. */
export function hasProvider(env: FaultEnv, fake: string, node: string): boolean {
	try {
		env.sandbox.fake(fake);
	} catch {
		return false;
	}
	return env.harness.pkg.nodeNames.some((n) => n.endsWith(`.${node}`));
}
