import type { ResourceSpec } from '../../shared/spec';
import { getMany } from '../shared';

export const blackList: ResourceSpec = {
	value: 'blackList',
	name: 'Black List',
	description: 'Bad e-mail addresses and phone numbers',
	operations: [
		getMany('black-listed contacts', '/black-list/{type}', [
			{
				name: 'type',
				label: 'Type',
				type: 'options',
				key: 'type',
				// Documented under "Request Body" of this GET, but it is the path segment (section "Получить список плохих контактов").
				location: 'path',
				required: true,
				default: 'email',
				description: 'Which black list: e-mail addresses or phone numbers',
				options: [
					{ name: 'Email', value: 'email' },
					{ name: 'Phone', value: 'phone' },
				],
			},
		]),
	],
};
