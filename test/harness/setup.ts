/**
 * One sandbox and one harness per test file: `const env = useEnv()` at the top of a describe.
 */
import { createSandbox, type Sandbox } from '../../sandbox';
import { Harness, fromDist, shutdownN8n } from './n8n';

export interface Env {
	sandbox: Sandbox;
	harness: Harness;
}

export function useEnv(): Env {
	const env = {} as Env;
	beforeAll(async () => {
		env.sandbox = await createSandbox().start(0);
		env.harness = await Harness.create();
	});
	beforeEach(() => {
		env.sandbox.reset();
		// The nodes run from dist/: reset the limiters of that module instance.
		fromDist<{ resetLimiters(): void }>('nodes/shared/pacing').resetLimiters();
	});
	afterAll(async () => {
		await env.sandbox?.stop();
		shutdownN8n();
	});
	return env;
}
