import type { OperationContext, ResourceSpec } from '../../shared/spec';
import { customParameters, getOne, keepFields, mergeThenPatch } from '../shared';
import { customerLocalIdPath } from './customer';

/**
 * Section "Бонусы клиента": GET returns five computed balances (active bonuses, awaiting activation,
 * awaiting deactivation, nearest deactivation date and amount) without naming the fields. Read back
 * for "Keep Fields Not Given", they are never sent back (issue 15.4): these names are the guess,
 * editable in Read-Only Fields.
 */
const BONUS_COMPUTED = ['active', 'awaiting_activation', 'awaiting_deactivation', 'nearest_deactivation_date', 'nearest_deactivation_amount'];

function bonusReadOnly(ctx: OperationContext): string[] {
	const raw = ctx.values.readOnlyFields;
	const list = raw === undefined ? BONUS_COMPUTED : String(raw).split(',');
	return list.map((n) => n.trim()).filter(Boolean);
}

export const customerBonus: ResourceSpec = {
	value: 'customerBonus',
	name: 'Customer Bonus',
	description: 'Bonus balance of a customer',
	operations: [
		getOne(
			'the bonuses of a customer',
			'/customer/{local_id}/bonus',
			[customerLocalIdPath],
		),
		{
			value: 'update',
			name: 'Update',
			action: 'Update customer bonuses',
			description:
				'Change the bonus record of a customer (PATCH /customer/{LOCAL_ID}/bonus). Its fields are not documented: give them as custom parameters, named as Get returns them, with Type Number for amounts.',
			method: 'PATCH',
			path: '/customer/{local_id}/bonus',
			fields: [
				customerLocalIdPath,
				{
					...keepFields(),
					description:
						'Whether to keep the fields not given here. Loymax PATCH replaces the whole record. On: the node reads the bonus record first (GET), drops the computed balances listed in Read-Only Fields, merges the given fields and sends the rest. Off: exactly the given fields are sent.',
				},
				{
					...customParameters(),
					group: 'top',
					default: {},
					description:
						'Bonus fields to set, as name/value pairs (the docs do not list them; Get shows their names). Amounts are numbers (Int or Float in the docs\' type table): give them Type Number, e.g. active = 1500.',
				},
				{
					name: 'readOnlyFields',
					label: 'Read-Only Fields',
					type: 'string',
					location: 'none',
					group: 'top',
					default: BONUS_COMPUTED.join(', '),
					showWhen: { keepFields: [true] },
					description:
						'Fields of the bonus record never sent back when kept, separated by commas. The docs describe what Get returns — active bonuses, bonuses awaiting activation and deactivation, the nearest deactivation date and amount — as computed balances without naming the fields; these are our names for them. A field given in Custom Parameters is always sent.',
				},
			],
			run: mergeThenPatch({ required: [], readOnly: bonusReadOnly }),
		},
	],
};
