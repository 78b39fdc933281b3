import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec, OperationContext, ResourceSpec } from '../../shared/spec';
import { dateTime, getMany, getOne, inputError, keepFields, mergeThenPatch, pathId, str } from '../shared';

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
		{
			value: 'create',
			name: 'Create',
			action: 'Create an event',
			description: 'Register an event (POST /event)',
			method: 'POST',
			path: '/event',
			fields: [
				str('name', 'Name', 'Event name (its text identifier), e.g. birthday_gift', { required: true }),
				dateTime('date', 'Date', 'Date of the event', { required: true }),
				eventClientId,
				eventContext,
			],
			prepare: (ctx) => {
				checkContextObject(ctx);
				numericClientId(ctx);
			},
		},
		getOne('an event', '/event/{id}', [eventIdPath]),
		getMany('events', '/event'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update an event',
			description: 'Change an event (PATCH /event/{ID}); PATCH replaces the whole event',
			method: 'PATCH',
			path: '/event/{id}',
			fields: [
				eventIdPath,
				keepFields(),
				str('name', 'Name', 'Event name (its text identifier)'),
				dateTime('date', 'Date', 'Date of the event'),
				eventClientId,
				eventContext,
			],
			prepare: checkContextObject,
			run: mergeThenPatch({ required: ['date'] }),
		},
	],
};
