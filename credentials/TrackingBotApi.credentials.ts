import type { IAuthenticate, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { baseUrlProperty, failOnStatus, headerAuth, requestsPerMinuteProperty, secretProperty, testBaseUrl, testRequest } from './shared';

export class TrackingBotApi implements ICredentialType {
	name = 'trackingBotApi';

	displayName = 'Tracking Bot API';

	icon: Icon = { light: 'file:../icons/trackingbot.svg', dark: 'file:../icons/trackingbot.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#tracking-bot';

	properties: INodeProperties[] = [
		secretProperty(
			'API Key',
			'apiKey',
			'API key of the bot, sent as the X-API-Key header. The docs show the form tb_ followed by 32 characters; a key of another form is accepted and the Test asks the server. A key only gives access to its own bot.',
			{ placeholder: 'tb_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' },
		),
		baseUrlProperty('', 'Address of your Tracking Bot platform, with or without the documented /api/v1 suffix (both work)', 'https://your-api-domain.com/api/v1'),
		{
			displayName: 'Bot ID',
			name: 'botId',
			type: 'number',
			default: 0,
			required: true,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: 'Numeric ID of the bot the API key belongs to (the {bot_id} in every API path), e.g. 123',
		},
		requestsPerMinuteProperty(
			60,
			'Budget of ONE n8n process for this API key: at most this many requests per minute until Tracking Bot reports its own budget (documented: 60 per minute per key). Each process counts separately: in queue mode divide the limit between the workers and the main (e.g. 2 workers + main → 20). Once Tracking Bot answers with X-RateLimit-* headers, those count every process and are followed; when they show another process using the key, the rest of the window is spread out; a 429 is waited out and retried.',
		),
	];

	/** The key as typed, without surrounding spaces (a pasted key often carries some). */
	authenticate: IAuthenticate = headerAuth('X-API-Key', (credentials) => String(credentials.apiKey).trim());

	/** The cheapest documented read: the bot the key belongs to (GET /api/v1/bots/{bot_id}). */
	test: ICredentialTestRequest = {
		request: testRequest(testBaseUrl('/\\/api\\/v1$/i'), {
			url: '={{"/api/v1/bots/" + encodeURIComponent(String($credentials.botId))}}',
			method: 'GET',
			headers: { Accept: 'application/json' },
		}),
		rules: failOnStatus([
			[401, 'Tracking Bot refused the API key (HTTP 401)'],
			[403, 'The API key has no access to this bot (HTTP 403): check the Bot ID'],
			[404, 'No such bot for this API key (HTTP 404): check the Bot ID and the Base URL'],
		]),
	};
}
