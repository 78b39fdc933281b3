import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec, OperationContext, ResourceSpec } from '../../shared/spec';
import { create, dateTime, getMany, getOne, inputError, keepFields, pathId, str, updateWhole } from '../shared';

// ---------- event ----------

const eventIdPath = pathId('eventId', 'Event ID', 'ID of the event', 'id');
const eventContext: FieldSpec = {
	name: 'context',
	label: 'Context (JSON)',
	type: 'json',
	key: 'context',
	location: 'body',
	description: 'Event context as a JSON object; messages use its values through macros, e.g. {"order_sum": 1500, "shop": "Tverskaya"}',
};
const eventClientId = str(
	'client_id',
	'Client ID',
	'ID of the customer in your master system. Without it the event is a system event (applies to all customers).',
);

/** Event client_id is typed number on POST and string on PATCH (sections "Зарегистрировать событие", "Изменить событие"): a numeric id goes as a number on POST. */
function numericClientId(ctx: OperationContext): void {
	const body = ctx.request.body as IDataObject;
	if (typeof body.client_id === 'string' && /^\d{1,15}$/.test(body.client_id)) body.client_id = Number(body.client_id);
}

function checkContextObject(ctx: OperationContext): void {
	const body = ctx.request.body as IDataObject;
	if (body.context !== undefined && (typeof body.context !== 'object' || body.context === null || Array.isArray(body.context))) {
		throw inputError(ctx, '"Context (JSON)" must be a JSON object, e.g. {"order_sum": 1500}');
	}
}

export const event: ResourceSpec = {
	value: 'event',
	name: 'Event',
	description: 'Customer and system events',
	operations: [
		create(
			'an event',
			'Register an event',
			'/event',
			[
				str('name', 'Name', 'Event name (its text identifier), e.g. birthday_gift', { required: true }),
				dateTime('date', 'Date', 'Date of the event', { required: true }),
				eventClientId,
				eventContext,
			],
			{
				prepare: (ctx) => {
					checkContextObject(ctx);
					numericClientId(ctx);
				},
			},
		),
		getOne('an event', '/event/{id}', [eventIdPath]),
		getMany('events', '/event'),
		updateWhole(
			'an event',
			{ words: 'Change an event', whole: 'event' },
			'/event/{id}',
			[eventIdPath, keepFields(), str('name', 'Name', 'Event name (its text identifier)'), dateTime('date', 'Date', 'Date of the event'), eventClientId, eventContext],
			{ required: ['date'] },
			{ prepare: checkContextObject },
		),
	],
};
