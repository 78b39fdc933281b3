import type { IDataObject } from 'n8n-workflow';

import type { ResourceSpec } from '../../shared/spec';
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
						{
							name: 'status',
							label: 'Status',
							type: 'options',
							location: 'none',
							default: 'Y',
							description: 'Subscription status',
							options: [
								{ name: 'Subscribed (Y)', value: 'Y' },
								{ name: 'Not Subscribed (N)', value: 'N' },
								{ name: 'No Data (ND)', value: 'ND' },
							],
						},
					],
				},
				{
					name: 'categoriesFormat',
					label: 'Categories Format',
					type: 'options',
					location: 'none',
					group: 'subscriptionOptions',
					default: 'objects',
					description:
						'How the categories array is written. The docs only say "category - status" (no example survived): objects with code and status (default), or one {"code": "status"} object per category.',
					options: [
						{ name: 'Objects With Code and Status', value: 'objects', description: '[{"code": "news", "status": "Y"}]' },
						{ name: 'Code to Status Pairs', value: 'pairs', description: '[{"news": "Y"}]' },
					],
				},
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
