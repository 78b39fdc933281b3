import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/execute';
import { buildProperties } from '../shared/properties';
import { searchSites } from './methods';
import { neiros } from './spec';

export class Neiros implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Neiros',
		name: 'neiros',
		icon: { light: 'file:../../icons/neiros.svg', dark: 'file:../../icons/neiros.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read sites and deals of Neiros end-to-end analytics and set deal amounts',
		defaults: { name: 'Neiros' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'neirosApi', required: true, }],
		properties: buildProperties(neiros),
	};

	methods = {
		listSearch: { searchSites },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, neiros);
	}
}
