import type { ResourceSpec } from '../../shared/spec';
import { getMany, getOne, pathId } from '../shared';

export const poll: ResourceSpec = {
	value: 'poll',
	name: 'Poll',
	description: 'Polls (surveys)',
	operations: [
		// The docs' //communication/poll/:id is sent with one slash (section "Получить опрос").
		getOne('a poll', '/communication/poll/{id}', [pathId('pollId', 'Poll ID', 'ID of the poll in the Loymax Platform (a number)', 'id')]),
		getMany('polls', '/communication/poll/'),
	],
};
