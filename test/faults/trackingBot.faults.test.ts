import { trackingBot } from './profiles';
import { defineFaultSuite } from './suite';

defineFaultSuite(trackingBot);
