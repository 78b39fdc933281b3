import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, bearerHeader, failOnStatus, secretProperty, testBaseUrl, testRequest } from './shared';

export class SynergyCrmApi implements ICredentialType {
	name = 'synergyCrmApi';

	displayName = 'Synergy CRM API';

	icon: Icon = { light: 'file:../icons/synergycrm.svg', dark: 'file:../icons/synergycrm.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#synergy-crm';

	properties: INodeProperties[] = [
		secretProperty('API Token', 'apiToken', 'API token of your Synergy CRM account (Settings → API settings in the web app), sent as "Authorization: Bearer …"'),
		baseUrlProperty('https://app.syncrm.ru', 'Address of your Synergy CRM, without the /api/v1 path'),
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

	authenticate: IAuthenticate = bearerHeader('apiToken');

	/**
	 * The request of the docs' own authorization example ("Авторизация": GET /api/v1/deals with the
	 * Bearer token), limited to one record. n8n runs it as the credential's Test.
	 */
	test: ICredentialTestRequest = {
		request: testRequest(testBaseUrl('/\\/api\\/v1$/'), {
			url: '/api/v1/deals',
			method: 'GET',
			qs: { 'page[size]': 1 },
			headers: { Accept: 'application/vnd.api+json' },
		}),
		rules: failOnStatus([
			[401, 'Synergy CRM refused the API token (HTTP 401)'],
			[403, 'Synergy CRM refused to list deals with this token (HTTP 403)'],
			[404, 'No Synergy CRM API at the Base URL (HTTP 404 for GET /api/v1/deals)'],
		]),
	};
}
