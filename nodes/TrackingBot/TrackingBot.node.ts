import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/execute';
import { buildProperties } from '../shared/properties';
import { searchClientCodes, searchClients } from './methods';
import { trackingBot } from './spec';

export class TrackingBot implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tracking Bot',
		name: 'trackingBot',
		icon: { light: 'file:../../icons/trackingbot.svg', dark: 'file:../../icons/trackingbot.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage cargo tracking numbers and clients of a Tracking Bot (Telegram) platform',
		defaults: { name: 'Tracking Bot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'trackingBotApi', required: true, }],
		properties: buildProperties(trackingBot),
	};

	methods = {
		listSearch: { searchClients, searchClientCodes },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, trackingBot);
	}
}
