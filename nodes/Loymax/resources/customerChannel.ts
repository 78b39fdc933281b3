import type { IDataObject } from 'n8n-workflow';

import type { ResourceSpec } from '../../shared/spec';
import { inputError, yesNo } from '../shared';
import { customerLocalIdPath } from './customer';

export const customerChannel: ResourceSpec = {
	value: 'customerChannel',
	name: 'Customer Channel',
	description: 'E-mail, SMS and push channel statuses of a customer',
	operations: [
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer channels',
			description:
				'Set the status of the e-mail, SMS and push channels (POST /customer/{LOCAL_ID}/channel). Only channels given are sent; the others keep their status.',
			method: 'POST',
			path: '/customer/{local_id}/channel',
			fields: [
				customerLocalIdPath,
				// The e-mail field lost its name in the docs (section "Обновить статус подписки клиента"): "email".
				yesNo('email', 'Email', 'Whether the customer receives e-mail mailings'),
				yesNo('sms', 'SMS', 'Whether the customer receives SMS mailings'),
				yesNo('push', 'Push', 'Whether the customer receives push mailings'),
			],
			prepare: (ctx) => {
				if (!Object.keys(ctx.request.body as IDataObject).length) {
					throw inputError(ctx, 'give at least one of Email, SMS or Push');
				}
			},
		},
	],
};
