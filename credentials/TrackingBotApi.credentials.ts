import type { IAuthenticateGeneric, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

export class TrackingBotApi implements ICredentialType {
	name = 'trackingBotApi';

	displayName = 'Tracking Bot API';

	icon: Icon = { light: 'file:../icons/trackingbot.svg', dark: 'file:../icons/trackingbot.dark.svg' };

	documentationUrl = 'https://github.com/rumarket/n8n-nodes-rumarket#tracking-bot';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'tb_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
			description:
				'API key of the bot, sent as the X-API-Key header. The docs show the form tb_ followed by 32 characters; a key of another form is accepted and the Test asks the server. A key only gives access to its own bot.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://your-api-domain.com/api/v1',
			description: 'Address of your Tracking Bot platform, with or without the documented /api/v1 suffix (both work)',
		},
		{
			displayName: 'Bot ID',
			name: 'botId',
			type: 'number',
			default: 0,
			required: true,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description: 'Numeric ID of the bot the API key belongs to (the {bot_id} in every API path), e.g. 123',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'X-API-Key': '={{String($credentials.apiKey).trim()}}',
			},
		},
	};
}
