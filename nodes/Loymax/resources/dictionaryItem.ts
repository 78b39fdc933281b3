import type { ResourceSpec } from '../../shared/spec';
import { customParameters, getMany, getOne, keepFields, mergeThenPatch, remove, str } from '../shared';
import { dictPidPath } from './dictionary';
import { itemIdPath } from './dictionary';

export const dictionaryItem: ResourceSpec = {
	value: 'dictionaryItem',
	name: 'Dictionary Item',
	description: 'Items of a dictionary',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a dictionary item',
			description: 'Add an item to a dictionary (POST /dictionary/{PID}/item)',
			method: 'POST',
			path: '/dictionary/{pid}/item',
			fields: [
				dictPidPath,
				str('name', 'Name', 'Name of the item', { required: true }),
				str('code', 'Code', 'Mnemonic code of the item, e.g. shop_12', { required: true }),
				customParameters(),
			],
		},
		getOne('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
		// The docs write this path /dictionary/:id/item, with the dictionary id (pid) in it.
		getMany('items of a dictionary', '/dictionary/{pid}/item', [dictPidPath]),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a dictionary item',
			description: 'Change a dictionary item (PATCH /dictionary/{PID}/item/{ID}); PATCH replaces the whole item',
			method: 'PATCH',
			path: '/dictionary/{pid}/item/{id}',
			fields: [dictPidPath, itemIdPath, keepFields(), str('name', 'Name', 'Name of the item'), customParameters()],
			run: mergeThenPatch({ required: ['name'] }),
		},
		remove('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
	],
};
