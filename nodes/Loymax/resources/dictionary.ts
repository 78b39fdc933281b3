import type { ResourceSpec } from '../../shared/spec';
import { create, customParameters, getMany, getOne, keepFields, pathId, pickId, remove, str, updateWhole } from '../shared';

// ---------- dictionary, dictionary item ----------

const dictIdPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'id', 'searchDictionaries');
export const dictPidPath = pickId('dictionaryId', 'Dictionary', 'The dictionary: pick it, or give its ID in the Loymax Platform (a number)', 'pid', 'searchDictionaries');
export const itemIdPath = pathId('itemId', 'Item ID', 'ID of the dictionary item in the Loymax Platform (a number)', 'id');

export const dictionary: ResourceSpec = {
	value: 'dictionary',
	name: 'Dictionary',
	description: 'Reference dictionaries',
	operations: [
		create('a dictionary', 'Create a dictionary', '/dictionary', [
			str('name', 'Name', 'Name of the dictionary', { required: true }),
			str('code', 'Code', 'Mnemonic code of the dictionary, e.g. shops', { required: true }),
			customParameters(),
		]),
		getOne('a dictionary', '/dictionary/{id}', [dictIdPath]),
		getMany('dictionaries', '/dictionary'),
		updateWhole(
			'a dictionary',
			{ words: 'Change a dictionary by its Platform ID', whole: 'dictionary' },
			'/dictionary/{id}',
			[dictIdPath, keepFields(), str('local_id', 'Local ID', 'ID of the dictionary in your master system'), str('name', 'Name', 'Name of the dictionary'), customParameters()],
			{ required: ['local_id', 'name'] },
		),
		remove('a dictionary', '/dictionary/{id}', [dictIdPath]),
	],
};
