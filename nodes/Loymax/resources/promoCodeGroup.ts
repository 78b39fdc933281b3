import type { IDataObject } from 'n8n-workflow';

import type { ResourceSpec } from '../../shared/spec';
import { customParameters, getMany, getOne, inputError, keepFields, optional, pathId, pickId, remove, str, updateWhole, upsert, upsertKey } from '../shared';

// ---------- promo code group ----------

const promoIdPath = pickId('groupId', 'Group', 'The promo code group: pick it, or give its ID in the Loymax Platform (a number)', 'id', 'searchPromoCodeGroups');
const promoName = str('name', 'Name', 'Name of the promo code group', { required: true });
const promoLocalId = upsertKey('ID of the promo code group in your master system');

export const promoCodeGroup: ResourceSpec = {
	value: 'promoCodeGroup',
	name: 'Promo Code Group',
	description: 'Groups of promo codes',
	operations: [
		// Groups cannot be read by local_id (only by Platform ID): no Keep Fields Not Given here; the
		// local_id field says that every field not sent is reset (README: use Update to keep fields).
		upsert('a promo code group', '/promocode-group', [promoLocalId, promoName, customParameters()]),
		getOne('a promo code group', '/promocode-group/{id}', [promoIdPath]),
		getMany('promo code groups', '/promocode-group'),
		updateWhole(
			'a promo code group',
			{ words: 'Change a promo code group by its Platform ID', whole: 'group' },
			'/promocode-group/{id}',
			[promoIdPath, keepFields(), ...optional([promoLocalId, promoName]), customParameters()],
			{ required: ['local_id', 'name'] },
		),
		remove('a promo code group', '/promocode-group/{id}', [promoIdPath]),
		{
			value: 'uploadCodes',
			name: 'Upload Codes',
			action: 'Upload codes to a promo code group',
			description: 'Upload promo codes into a group (POST /promocode-group/{ID}/codes). The body is not documented: the codes are sent as a "codes" array of strings.',
			method: 'POST',
			path: '/promocode-group/{id}/codes',
			fields: [
				pathId(
					'groupId',
					'Group ID',
					'ID of the group in the path. The docs name it both the Platform ID and the master-system local_id; give the one your Loymax instance accepts.',
					'id',
				),
				{
					name: 'codes',
					label: 'Codes',
					type: 'string',
					key: 'codes',
					location: 'body',
					required: true,
					typeOptions: { rows: 4 },
					description: 'Promo codes, separated by commas or new lines, e.g. SPRING-001, SPRING-002',
				},
				customParameters(),
			],
			prepare: (ctx) => {
				const body = ctx.request.body as IDataObject;
				const list = String(body.codes)
					.split(/[\n,;]/)
					.map((c) => c.trim())
					.filter(Boolean);
				if (!list.length) throw inputError(ctx, '"Codes" has no promo code');
				body.codes = list;
			},
		},
	],
};
