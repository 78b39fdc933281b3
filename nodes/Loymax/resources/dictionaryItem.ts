import type { ResourceSpec } from '../../shared/spec';
import { create, customParameters, getMany, getOne, keepFields, remove, str, updateWhole } from '../shared';
import { dictPidPath } from './dictionary';
import { itemIdPath } from './dictionary';

export const dictionaryItem: ResourceSpec = {
	value: 'dictionaryItem',
	name: 'Dictionary Item',
	description: 'Items of a dictionary',
	operations: [
		create('a dictionary item', 'Add an item to a dictionary', '/dictionary/{pid}/item', [
			dictPidPath,
			str('name', 'Name', 'Name of the item', { required: true }),
			str('code', 'Code', 'Mnemonic code of the item, e.g. shop_12', { required: true }),
			customParameters(),
		]),
		getOne('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
		// The docs write this path /dictionary/:id/item, with the dictionary id (pid) in it.
		getMany('items of a dictionary', '/dictionary/{pid}/item', [dictPidPath]),
		updateWhole(
			'a dictionary item',
			{ words: 'Change a dictionary item', whole: 'item' },
			'/dictionary/{pid}/item/{id}',
			[dictPidPath, itemIdPath, keepFields(), str('name', 'Name', 'Name of the item'), customParameters()],
			{ required: ['name'] },
		),
		remove('a dictionary item', '/dictionary/{pid}/item/{id}', [dictPidPath, itemIdPath]),
	],
};
