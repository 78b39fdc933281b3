import { IqmTechFake } from './iqmTech';
import { SynergyCrmFake } from './synergyCrm';
import { Sandbox } from './server';

export { Sandbox } from './server';
export type { FaultRule, ProviderFake, RecordedRequest, SandboxRequest, SandboxResponse } from './server';
export { IqmTechFake } from './iqmTech';
export { SynergyCrmFake } from './synergyCrm';

/** A sandbox with every provider's fake mounted. */
export function createSandbox(): Sandbox {
	return new Sandbox([new IqmTechFake(), new SynergyCrmFake()]);
}
