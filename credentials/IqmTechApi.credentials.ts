import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, bearerHeader, secretProperty, testBaseUrl, testRequest } from './shared';

export class IqmTechApi implements ICredentialType {
	name = 'iqmTechApi';

	displayName = 'IQM Tech API';

	icon: Icon = { light: 'file:../icons/iqmtech.svg', dark: 'file:../icons/iqmtech.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#iqm-tech';

	properties: INodeProperties[] = [
		secretProperty('API Token', 'apiToken', 'Your personal authorization token from your IQM Tech account, sent as "Authorization: Bearer …"'),
		baseUrlProperty('https://iqmtech.ru', 'Address of the IQM Tech service, without a path'),
	];

	authenticate: IAuthenticate = bearerHeader('apiToken');

	/**
	 * IQM Tech has one endpoint and it stores what it gets, so the Test sends it an empty body
	 * (no required `page`): nothing can be stored, and only an accepted token reaches validation.
	 * A refused token answers 401 "Unauthenticated." (Laravel); a wrong Base URL a 404/405 page.
	 * n8n's test rules see the body but not the status when status errors are ignored, so the
	 * validation answer is recognised by its body: the docs' field rules (max:255, nullable,
	 * numeric|string) are Laravel validation rules, whose answer carries an `errors` object.
	 * Anything else fails the Test: it proves nothing about the token.
	 */
	test: ICredentialTestRequest = {
		request: testRequest(testBaseUrl(), {
			url: '/api/sync/data',
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
			body: {},
			ignoreHttpStatusErrors: true,
		}),
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'message', value: 'Unauthenticated.', message: 'IQM Tech refused the token (Unauthenticated.)' } },
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'errors',
					value: undefined,
					message:
						'IQM Tech did not answer with a validation error, so the token is not proven: the token was refused, or the Base URL is not the IQM Tech sync endpoint (POST /api/sync/data)',
				},
			},
		],
	};
}
