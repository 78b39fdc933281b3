import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { FieldSpec, PairType } from './spec';

/**
 * Typed name/value pairs (issue 15.4). A pair's value is typed in a text box, so without a type it
 * is text: `active` = 1500 went out as "1500", which a type-checking server refuses. A field whose
 * spec lists `pairTypes` gets a Type per pair: As Given (text stays text, an expression's number,
 * boolean or object keeps its type — the former behaviour), Text, Number, Boolean or JSON.
 */
const PAIR_TYPE_OPTIONS: Record<PairType, { name: string; description: string }> = {
	auto: { name: 'As Given', description: 'Typed text stays text; a number, boolean or object from an expression keeps its type' },
	string: { name: 'Text', description: 'Always sent as text' },
	number: { name: 'Number', description: 'The value as a number, e.g. 1500 or 12.5' },
	boolean: { name: 'Boolean', description: 'The value as true or false' },
	json: { name: 'JSON', description: 'The value parsed as JSON, e.g. {"level": "gold"} or [1, 2]' },
};

/** The Type option of one pair (only for fields with `pairTypes`). */
export function pairTypeProperty(field: FieldSpec): INodeProperties[] {
	if (!field.pairTypes?.length) return [];
	const options = field.pairTypes
		.map((t) => ({ name: PAIR_TYPE_OPTIONS[t].name, value: t, description: PAIR_TYPE_OPTIONS[t].description }))
		.sort((a, b) => a.name.localeCompare(b.name));
	const property: INodeProperties = { displayName: 'Type', name: 'type', type: 'options', options, default: 'auto', description: 'How the value is sent' };
	// As Given when offered, else the field's first type.
	if (!field.pairTypes.includes('auto')) property.default = field.pairTypes[0];
	return [property];
}

/** A pair's value in its type; `fail(problem)` builds the input error. */
export function typedPairValue(field: FieldSpec, pair: IDataObject, name: string, fail: (problem: string) => Error): unknown {
	const value = pair.value;
	if (!field.pairTypes?.length) return value;
	const type = (pair.type ?? (field.pairTypes.includes('auto') ? 'auto' : field.pairTypes[0])) as PairType;
	if (!field.pairTypes.includes(type)) throw fail(`gives "${name}" the type ${JSON.stringify(type)}; allowed: ${field.pairTypes.join(', ')}`);
	const text = typeof value === 'string' ? value.trim() : value;
	switch (type) {
		case 'auto':
			return value;
		case 'string':
			return typeof value === 'string' ? value : value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
		case 'number': {
			const n = typeof text === 'number' ? text : typeof text === 'string' && text !== '' ? Number(text) : NaN;
			if (!Number.isFinite(n)) throw fail(`"${name}" must be a number, got ${JSON.stringify(value)}`);
			return n;
		}
		case 'boolean':
			if (text === true || text === 'true' || text === 1 || text === '1') return true;
			if (text === false || text === 'false' || text === 0 || text === '0') return false;
			throw fail(`"${name}" must be true or false, got ${JSON.stringify(value)}`);
		case 'json':
			if (typeof text !== 'string') return value;
			try {
				return JSON.parse(text);
			} catch (error) {
				throw fail(`"${name}" must be valid JSON: ${(error as Error).message}`);
			}
	}
}
