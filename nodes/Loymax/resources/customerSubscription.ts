import type { IDataObject } from 'n8n-workflow';

import type { ResourceSpec } from '../../shared/spec';
import { choice } from '../shared';
import { customerLocalIdPath } from './customer';

// ---------- customer subscription, channels, mailings, devices, bonus, markers ----------

export const customerSubscription: ResourceSpec = {
	value: 'customerSubscription',
	name: 'Customer Subscription',
	description: 'Subscriptions of a customer to mailing categories',
	operations: [
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer subscriptions',
			description:
				'Set the subscription status of mailing categories (PATCH /customer/{LOCAL_ID}/subscribe). Categories not sent keep their status.',
			method: 'PATCH',
			path: '/customer/{local_id}/subscribe',
			fields: [
				customerLocalIdPath,
				{
					name: 'categories',
					label: 'Categories',
					type: 'list',
					key: 'categories',
					location: 'body',
					required: true,
					description: 'Mailing categories by code, each with its status: Y (subscribed), N (not subscribed), ND (no data)',
					fields: [
						{ name: 'code', label: 'Category Code', type: 'string', location: 'none', required: true, description: 'Code of the mailing category, e.g. news', placeholder: 'news' },
						choice('status', 'Status', 'Subscription status', [['Subscribed (Y)', 'Y'], ['Not Subscribed (N)', 'N'], ['No Data (ND)', 'ND']], { location: 'none', default: 'Y' }),
					],
				},
				choice(
					'categoriesFormat',
					'Categories Format',
					'How the categories array is written. The docs only say "category - status" (no example survived): objects with code and status (default), or one {"code": "status"} object per category.',
					[
						['Objects With Code and Status', 'objects', '[{"code": "news", "status": "Y"}]'],
						['Code to Status Pairs', 'pairs', '[{"news": "Y"}]'],
					],
					{ location: 'none', group: 'subscriptionOptions', default: 'objects' },
				),
			],
			prepare: (ctx) => {
				const body = ctx.request.body as IDataObject;
				if (ctx.values.categoriesFormat === 'pairs') {
					body.categories = (body.categories as IDataObject[]).map((c) => ({ [String(c.code)]: c.status }));
				}
			},
		},
	],
};
