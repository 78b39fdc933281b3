import type { ResourceSpec } from '../../shared/spec';
import { customParameters, getMany, getOne, keepFields, mergeThenPatch, pathId, pickId, remove, str } from '../shared';

// ---------- dictionary, dictionary item ----------

const dictIdPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'id', 'searchDictionaries');
export const dictPidPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'pid', 'searchDictionaries');
export const itemIdPath = pathId('itemId', 'Item ID', 'ID of the dictionary item in the Loymax Platform (a number)', 'id');

export const dictionary: ResourceSpec = {
	value: 'dictionary',
	name: 'Dictionary',
	description: 'Reference dictionaries',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a dictionary',
			description: 'Create a dictionary (POST /dictionary)',
			method: 'POST',
			path: '/dictionary',
			fields: [
				str('name', 'Name', 'Name of the dictionary', { required: true }),
				str('code', 'Code', 'Mnemonic code of the dictionary, e.g. shops', { required: true }),
				customParameters(),
			],
		},
		getOne('a dictionary', '/dictionary/{id}', [dictIdPath]),
		getMany('dictionaries', '/dictionary'),
		{
			value: 'update',
			name: 'Update',
			action: 'Update a dictionary',
			description: 'Change a dictionary by its Platform ID (PATCH /dictionary/{ID}); PATCH replaces the whole dictionary',
			method: 'PATCH',
			path: '/dictionary/{id}',
			fields: [
				dictIdPath,
				keepFields(),
				str('local_id', 'Local ID', 'ID of the dictionary in your master system'),
				str('name', 'Name', 'Name of the dictionary'),
				customParameters(),
			],
			run: mergeThenPatch({ required: ['local_id', 'name'] }),
		},
		remove('a dictionary', '/dictionary/{id}', [dictIdPath]),
	],
};
