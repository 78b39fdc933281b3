import { IqmTechFake } from './iqmTech';
import { LoymaxFake } from './loymax';
import { SynergyCrmFake } from './synergyCrm';
import { NeirosFake } from './neiros';
import { TrackingBotFake } from './trackingBot';
import { Sandbox } from './server';

export { Sandbox } from './server';
export type { FaultRule, ProviderFake, RecordedRequest, SandboxRequest, SandboxResponse } from './server';
export { IqmTechFake } from './iqmTech';
export { LoymaxFake } from './loymax';
export { SynergyCrmFake } from './synergyCrm';
export { NeirosFake } from './neiros';
export { TrackingBotFake } from './trackingBot';

/** A sandbox with every provider's fake mounted. */
export function createSandbox(): Sandbox {
	return new Sandbox([new IqmTechFake(), new SynergyCrmFake(), new NeirosFake(), new TrackingBotFake(), new LoymaxFake()]);
}
