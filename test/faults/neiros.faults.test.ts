import { neiros } from './profiles';
import { defineFaultSuite } from './suite';

defineFaultSuite(neiros);
