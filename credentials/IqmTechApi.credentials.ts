import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class IqmTechApi implements ICredentialType {
	name = 'iqmTechApi';

	displayName = 'IQM Tech API';

	icon: Icon = { light: 'file:../icons/iqmtech.svg', dark: 'file:../icons/iqmtech.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#iqm-tech';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your personal authorization token from your IQM Tech account, sent as "Authorization: Bearer …"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://iqmtech.ru',
			required: true,
			description: 'Address of the IQM Tech service, without a path',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};
}
