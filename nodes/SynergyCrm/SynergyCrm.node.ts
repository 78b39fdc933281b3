import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { executeOperations } from '../shared/execute';
import { buildProperties } from '../shared/properties';
import { listSearchMethods } from './methods';
import { synergyCrm } from './spec';

export class SynergyCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Synergy CRM',
		name: 'synergyCrm',
		icon: { light: 'file:../../icons/synergycrm.svg', dark: 'file:../../icons/synergycrm.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Create, read, update and delete contacts, companies, deals, orders and more in Synergy CRM',
		defaults: { name: 'Synergy CRM' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'synergyCrmApi', required: true }],
		properties: buildProperties(synergyCrm),
	};

	methods = {
		listSearch: listSearchMethods,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, synergyCrm);
	}
}
