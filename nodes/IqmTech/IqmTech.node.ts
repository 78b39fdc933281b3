import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/execute';
import { buildProperties } from '../shared/properties';
import { iqmTech } from './spec';

export class IqmTech implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IQM Tech',
		name: 'iqmTech',
		icon: { light: 'file:../../icons/iqmtech.svg', dark: 'file:../../icons/iqmtech.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send visit and lead data to IQM Tech',
		defaults: { name: 'IQM Tech' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'iqmTechApi', required: true, }],
		properties: buildProperties(iqmTech),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, iqmTech);
	}
}
