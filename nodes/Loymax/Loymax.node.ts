import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/execute';
import { buildProperties } from '../shared/properties';
import { listSearchMethods } from './methods';
import { loymax } from './spec';

export class Loymax implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Loymax',
		name: 'loymax',
		icon: { light: 'file:../../icons/loymax.svg', dark: 'file:../../icons/loymax.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Manage customers, orders, events, campaigns, promo codes and dictionaries in Loymax',
		defaults: { name: 'Loymax' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'loymaxApi', required: true, }],
		properties: buildProperties(loymax),
	};

	methods = {
		listSearch: listSearchMethods,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, loymax);
	}
}
