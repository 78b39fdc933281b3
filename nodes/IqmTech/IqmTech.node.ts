import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
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
		credentials: [{ name: 'iqmTechApi', required: true, testedBy: 'iqmTechApiTest' }],
		properties: buildProperties(iqmTech),
	};

	methods = {
		credentialTest: {
			/**
			 * IQM Tech has one endpoint and it stores what it gets, so the test sends it a request
			 * without the required `page`: a refused token answers 401/403, an accepted one a
			 * validation error — and nothing is stored either way.
			 */
			async iqmTechApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const baseUrl = String(data.baseUrl ?? 'https://iqmtech.ru').replace(/\/+$/, '');
				if (!/^https?:\/\/[^/]+/i.test(baseUrl)) {
					return { status: 'Error', message: 'The Base URL must be an http(s) URL such as https://iqmtech.ru' };
				}
				try {
					// ICredentialTestFunctions offers only `request` (no httpRequest) in n8n 1.x and 2.x.
					// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
					await this.helpers.request({
						method: 'POST',
						uri: `${baseUrl}/api/sync/data`,
						headers: { Authorization: `Bearer ${String(data.apiToken ?? '')}`, 'Content-Type': 'application/json' },
						body: {},
						json: true,
						timeout: 20000,
						// A redirect is never followed with the credential (another host could receive it).
						followRedirect: false,
						followAllRedirects: false,
					});
					return { status: 'OK', message: 'Connection successful' };
				} catch (error) {
					const status = Number((error as { statusCode?: number }).statusCode ?? 0);
					if (status === 401 || status === 403) return { status: 'Error', message: `IQM Tech refused the token (HTTP ${status})` };
					// Only a validation answer proves the token: a 404/405 means the Base URL is not IQM Tech.
					if (status === 400 || status === 422) return { status: 'OK', message: 'Token accepted' };
					if (status >= 400 && status < 500) {
						return { status: 'Error', message: `No IQM Tech sync endpoint at the Base URL (HTTP ${status} for POST /api/sync/data)` };
					}
					return {
						status: 'Error',
						message: status ? `IQM Tech answered HTTP ${status}` : 'Could not reach IQM Tech at the Base URL',
					};
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperations(this, iqmTech);
	}
}
