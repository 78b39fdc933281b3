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
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiToken}}',
			},
		},
	};

	/**
	 * The request of the docs' own authorization example ("Авторизация": GET /api/v1/deals with the
	 * Bearer token), limited to one record. n8n runs it as the credential's Test.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{String($credentials.baseUrl).trim().replace(/\\/+$/, "").replace(/\\/api\\/v1$/, "")}}',
			url: '/api/v1/deals',
			method: 'GET',
			qs: { 'page[size]': 1 },
			headers: { Accept: 'application/vnd.api+json' },
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: 'Synergy CRM refused the API token (HTTP 401)' } },
			{ type: 'responseCode', properties: { value: 403, message: 'Synergy CRM refused to list deals with this token (HTTP 403)' } },
			{ type: 'responseCode', properties: { value: 404, message: 'No Synergy CRM API at the Base URL (HTTP 404 for GET /api/v1/deals)' } },
		],
	};
}
