import { iqmTech } from './profiles';
import { defineFaultSuite } from './suite';

defineFaultSuite(iqmTech);
