import type { IDataObject } from 'n8n-workflow';

import type { OperationContext, ResourceSpec } from '../../shared/spec';
import { choice, create, str } from '../shared';
import { deviceIdHeader } from './customerDevice';
import { sourceCode } from './customerDevice';

/** Client ID sent under the name given in Client ID Field Name (the docs lost the field's name). */
function renameClientId(ctx: OperationContext): void {
	const rename = ctx.values.firstFieldName as string | undefined;
	const body = ctx.request.body as IDataObject;
	if (rename && rename !== 'client_id') {
		body[rename] = body.client_id;
		delete body.client_id;
	}
}

export const pushState: ResourceSpec = {
	value: 'pushMessageState',
	name: 'Push Message State',
	description: 'Delivery and read statuses of push messages',
	operations: [
		create(
			'a push message state',
			'Register that a push message was delivered or read',
			'/communication/push/state',
			[
				deviceIdHeader,
				choice('state', 'State', 'Status of the push message: Delivered or Read', [['Delivered', 'Delivered'], ['Read', 'Read']], { required: true, default: 'Delivered' }),
				str('message_id', 'Message ID', 'ID of the push message, taken from the push payload', { required: true }),
				// The first body field is required but has no name in the docs (section "Зарегистрировать статус push-сообщения"): we send
				// the customer's master-system id as client_id (the first field of the other event
				// bodies); its name can be changed below.
				str('client_id', 'Client ID', 'ID of the customer in your master system (the first, unnamed, required field of the docs)', {
					required: true,
				}),
				sourceCode,
				{
					name: 'firstFieldName',
					label: 'Client ID Field Name',
					type: 'string',
					location: 'none',
					default: 'client_id',
					description:
						'Name under which Client ID is sent. The docs list a required first field without its name; client_id is our assumption.',
				},
			],
			{ prepare: renameClientId },
		),
	],
};
