import type { ResourceSpec } from '../../shared/spec';
import { choice, getMany } from '../shared';

export const blackList: ResourceSpec = {
	value: 'blackList',
	name: 'Black List',
	description: 'Bad e-mail addresses and phone numbers',
	operations: [
		getMany('black-listed contacts', '/black-list/{type}', [
			// Documented under "Request Body" of this GET, but it is the path segment (section "Получить список плохих контактов").
			choice('type', 'Type', 'Which black list: e-mail addresses or phone numbers', [['Email', 'email'], ['Phone', 'phone']], { location: 'path', required: true, default: 'email' }),
		]),
	],
};
