import type { FieldSpec, ProviderSpec } from '../shared/spec';
import { readCredential } from '../shared/credentials';

const text = (name: string, label: string, description: string, maxLength: number | undefined, placeholder: string): FieldSpec => ({
	name,
	label,
	type: 'string',
	location: 'body',
	description,
	maxLength,
	placeholder,
});

/** The 16 documented parameters of POST /api/sync/data (vendor docs "Интеграция по API"). */
export const visitFields: FieldSpec[] = [
	{
		name: 'sendAs',
		label: 'Send Parameters In',
		type: 'options',
		location: 'none',
		group: 'top',
		default: 'body',
		description: 'Where the parameters go: the JSON body (recommended by IQM Tech) or the URL query string',
		options: [
			{ name: 'JSON Body', value: 'body', description: 'Send the parameters as a JSON object in the POST body' },
			{ name: 'Query String', value: 'query', description: 'Send the parameters in the URL; the body is an empty JSON object' },
		],
	},
	{
		...text('page', 'Page URL', 'URL of the visited page (required; not a page number), at most 255 characters', 255, 'https://shop.example.ru/catalog'),
		required: true,
	},
	text('ref', 'Referrer URL', 'URL the visitor came from, at most 255 characters', 255, 'https://yandex.ru/'),
	text('phone', 'Phone', 'Visitor phone number, at most 20 characters, e.g. +7 925 203-23-40', 20, '+7 925 203-23-40'),
	text('browser', 'Browser', 'Browser name, at most 255 characters, e.g. Chrome', 255, 'Chrome'),
	text('device', 'Device', 'Device name, at most 255 characters, e.g. iPhone', 255, 'iPhone'),
	text('platform', 'Platform', 'Operating system, at most 255 characters, e.g. iOS', 255, 'iOS'),
	// The docs give no length limit for ip_address; the service's other fields stop at 255.
	text('ip_address', 'IP Address', 'Visitor IP address, e.g. 192.168.1.1', undefined, '192.168.1.1'),
	text('utm_term', 'UTM Term', 'utm_term of the visit, at most 255 characters', 255, 'search-term'),
	text('utm_source', 'UTM Source', 'utm_source of the visit, at most 255 characters', 255, 'google'),
	text('utm_campaign', 'UTM Campaign', 'utm_campaign of the visit, at most 255 characters', 255, 'spring_sale'),
	text('utm_medium', 'UTM Medium', 'utm_medium of the visit, at most 255 characters', 255, 'email'),
	text('utm_content', 'UTM Content', 'utm_content of the visit, at most 255 characters', 255, 'promo_code'),
	// Quirk 5: numeric|string in the table, strings in the example: sent as strings.
	{
		...text('latitude', 'Latitude', 'Latitude in degrees, a number or numeric text (sent as text), e.g. 55.7558', undefined, '55.7558'),
		numericString: true,
		min: -90,
		max: 90,
	},
	{
		...text('longitude', 'Longitude', 'Longitude in degrees, a number or numeric text (sent as text), e.g. 37.6173', undefined, '37.6173'),
		numericString: true,
		min: -180,
		max: 180,
	},
	text('gender', 'Gender', 'Visitor gender as free text (no fixed values are documented), e.g. male', 255, 'male'),
	text('age', 'Age', 'Visitor age, sent as text (e.g. "30"), at most 255 characters', 255, '30'),
];

export const iqmTech: ProviderSpec = {
	displayName: 'IQM Tech',
	credentialType: 'iqmTechApi',
	credential: async (fn) =>
		await readCredential(fn, { type: 'iqmTechApi', defaultBaseUrl: 'https://iqmtech.ru', secretFields: ['apiToken'], noLogin: true }, 'IQM Tech'),
	// Quirk 11: Content-Type application/json on every request, even with the parameters in the URL.
	headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
	resources: [
		{
			value: 'visit',
			name: 'Visit',
			description: 'Visit and lead data synchronised to IQM Tech',
			operations: [
				{
					value: 'send',
					name: 'Send',
					action: 'Send visit data',
					description: 'Send one visit (page, referrer, phone, device, UTM tags, location, visitor) to POST /api/sync/data',
					method: 'POST',
					path: '/api/sync/data',
					fields: visitFields,
					emptyResponse: { success: true },
					prepare: (ctx) => {
						const sendAs = ctx.fn.getNodeParameter('sendAs', ctx.itemIndex, 'body') as string;
						if (sendAs === 'query') {
							// Quirks 3/10/11: still a POST with Content-Type, the body an empty JSON object.
							ctx.request.qs = { ...(ctx.request.body as Record<string, string>) };
							ctx.request.body = '{}';
						}
					},
				},
			],
		},
	],
};
