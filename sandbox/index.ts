import { IqmTechFake } from './iqmTech';
import { Sandbox } from './server';

export { Sandbox } from './server';
export type { FaultRule, ProviderFake, RecordedRequest, SandboxRequest, SandboxResponse } from './server';
export { IqmTechFake } from './iqmTech';

/** A sandbox with every provider's fake mounted. */
export function createSandbox(): Sandbox {
	return new Sandbox([new IqmTechFake()]);
}
