import type { IDataObject } from 'n8n-workflow';

import type { FieldSpec, ResourceSpec } from '../../shared/spec';
import { choice, getMany, num, pathId, str } from '../shared';
import { customerLocalIdPath } from './customer';

export const deviceIdHeader: FieldSpec = {
	name: 'deviceId',
	label: 'Device ID',
	type: 'string',
	key: 'device_id',
	location: 'header',
	required: true,
	description: 'Unique ID of the device, sent in the documented "device_id" header',
};
export const sourceCode = num('source_code', 'Source Code', 'ID of the event source (a number)', { integer: true });

export const customerDevice: ResourceSpec = {
	value: 'customerDevice',
	name: 'Customer Device',
	description: 'Devices of a customer for push mailings',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a customer device',
			description: 'Register a device of the customer (POST /customer/{LOCAL_ID}/device)',
			method: 'POST',
			path: '/customer/{local_id}/device',
			fields: [
				customerLocalIdPath,
				deviceIdHeader,
				str('token', 'Push Token', 'Push token from Google, Apple or Harmony, depending on the platform', { required: true }),
				choice('platform', 'Platform', 'Client platform, as documented: Ios, Android or Harmony', [['Android', 'Android'], ['Harmony', 'Harmony'], ['Ios', 'Ios']], {
					required: true,
					default: 'Android',
				}),
				sourceCode,
			],
		},
		getMany('devices of a customer', '/customer/{local_id}/device', [customerLocalIdPath]),
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a customer device',
			description: 'Remove a device of the customer by its push token (DELETE /customer/{LOCAL_ID}/device/{TOKEN})',
			method: 'DELETE',
			path: '/customer/{local_id}/device/{token}',
			// The documented body (source_code) goes with the DELETE (section "Удалить устройство"); none when not given.
			bodyStyle: 'json',
			fields: [
				customerLocalIdPath,
				pathId('token', 'Push Token', 'Push token of the device (Google, Apple or Harmony); it is percent-encoded in the path', 'token'),
				deviceIdHeader,
				sourceCode,
			],
			prepare: (ctx) => {
				if (!Object.keys((ctx.request.body as IDataObject) ?? {}).length) delete ctx.request.body;
			},
			emptyResponse: { success: true },
		},
	],
};
