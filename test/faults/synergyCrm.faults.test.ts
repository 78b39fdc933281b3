import { synergyCrm } from './profiles';
import { defineFaultSuite } from './suite';

defineFaultSuite(synergyCrm);
