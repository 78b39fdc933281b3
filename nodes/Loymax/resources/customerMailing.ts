import type { ResourceSpec } from '../../shared/spec';
import { getMany } from '../shared';
import { customerIdPath } from './customer';

export const customerMailing: ResourceSpec = {
	value: 'customerMailing',
	name: 'Customer Mailing',
	description: 'Mailings and campaigns a customer took part in',
	operations: [getMany('mailings of a customer', '/customer/{id}/mailing', [customerIdPath])],
};
