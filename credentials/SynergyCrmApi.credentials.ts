import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class SynergyCrmApi implements ICredentialType {
	name = 'synergyCrmApi';

	displayName = 'Synergy CRM API';

	icon: Icon = { light: 'file:../icons/synergycrm.svg', dark: 'file:../icons/synergycrm.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#synergy-crm';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'apiToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'API token of your Synergy CRM account (Settings → API settings in the web app), sent as "Authorization: Bearer …"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.syncrm.ru',
			required: true,
			description: 'Address of your Synergy CRM, without the /api/v1 path',
		},
		{
			displayName: 'Account Time Zone',
			name: 'accountTimeZone',
			type: 'string',
			default: 'Europe/Moscow',
			placeholder: 'e.g. Europe/Moscow',
			description:
				'Time zone of your Synergy CRM account (an IANA name). Date filters (YYYY.MM.DD HH:mm, which carry no zone) are written in it. The triggers prefer the offset of the server\'s own timestamps when it has sent any.',
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

	/** The cheapest documented read: one user of the account. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/api\\/v1$/, "")}}',
			url: '/api/v1/users',
			method: 'GET',
			qs: { 'page[size]': 1 },
			headers: { Accept: 'application/vnd.api+json' },
		},
	};
}
