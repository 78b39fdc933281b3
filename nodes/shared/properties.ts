import type { INodeProperties, INodePropertyOptions, IDataObject, INodePropertyMode } from 'n8n-workflow';

import { allResources } from './customApiCall';
import { pairTypeProperty } from './pairs';
import type { FieldSpec, OperationSpec, ProviderSpec, ResourceSpec } from './spec';

/** The collection an optional field sits in when its spec names none. */
export function defaultGroup(operation: OperationSpec): string {
	if (operation.value.startsWith('update') || operation.value === 'upsert') {
		return operation.value === 'upsert' ? 'additionalFields' : 'updateFields';
	}
	if (operation.value.startsWith('getAll') || operation.value === 'search') return 'filters';
	return 'additionalFields';
}

/** Where a field is in the UI: `top` or a collection name. */
export function placeOf(field: FieldSpec, operation: OperationSpec): string {
	if (field.required || field.location === 'path') return 'top';
	return field.group ?? defaultGroup(operation);
}

const GROUP_LABELS: Record<string, string> = {
	additionalFields: 'Additional Fields',
	updateFields: 'Update Fields',
	filters: 'Filters',
};

function groupLabel(group: string): string {
	return GROUP_LABELS[group] ?? group.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

function byName<T extends { name: string }>(list: T[]): T[] {
	return [...list].sort((a, b) => a.name.localeCompare(b.name));
}

function defaultFor(field: FieldSpec): INodeProperties['default'] {
	if (field.default !== undefined) return field.default as INodeProperties['default'];
	switch (field.type) {
		case 'number':
			return 0;
		case 'boolean':
			return false;
		case 'options':
			return field.options?.[0]?.value ?? '';
		case 'multiOptions':
			return [];
		case 'json':
			return '{}';
		case 'keyValue':
		case 'list':
			return {};
		case 'locator':
			return { mode: 'list', value: '' };
		default:
			return '';
	}
}

/** A resource locator mode (modes have no default, unlike parameters). */
function mode(label: string, name: string, type: INodePropertyMode['type'], rest: Partial<INodePropertyMode>): INodePropertyMode {
	return Object.assign({ displayName: label, name, type }, rest) as INodePropertyMode;
}

function locatorModes(field: FieldSpec): INodePropertyMode[] {
	const spec = field.locator!;
	const modes: INodePropertyMode[] = [
		mode('From List', 'list', 'list', {
			placeholder: `Select a ${field.label.toLowerCase()}...`,
			typeOptions: { searchListMethod: spec.searchMethod, searchable: spec.searchable ?? true },
		}),
		mode('By ID', 'id', 'string', {
			placeholder: spec.idPlaceholder ?? 'e.g. 123',
			...(spec.idRegex
				? { validation: [{ type: 'regex', properties: { regex: spec.idRegex, errorMessage: `Not a valid ${field.label} ID` } }] }
				: {}),
		}),
	];
	if (spec.urlRegex) {
		modes.push(
			mode('By URL', 'url', 'string', {
				placeholder: spec.urlPlaceholder ?? 'https://…',
				validation: [{ type: 'regex', properties: { regex: spec.urlRegex, errorMessage: `Not a valid ${field.label} URL` } }],
				extractValue: { type: 'regex', regex: spec.urlRegex },
			}),
		);
	}
	return modes;
}

/** One field as an n8n property (without displayOptions). */
export function fieldProperty(field: FieldSpec): INodeProperties {
	const base = {
		displayName: field.label,
		name: field.name,
		description: field.description,
		default: defaultFor(field),
		...(field.required ? { required: true } : {}),
		...(field.placeholder ? { placeholder: field.placeholder } : {}),
	};
	switch (field.type) {
		case 'string':
			return { ...base, type: 'string', ...(field.typeOptions ? { typeOptions: field.typeOptions } : {}) };
		case 'number':
			return { ...base, type: 'number', typeOptions: numberTypeOptions(field) };
		case 'boolean':
			return { ...base, type: 'boolean' };
		case 'dateTime':
		case 'date':
			return { ...base, type: 'dateTime' };
		case 'color':
			return { ...base, type: 'color' };
		case 'json':
			return { ...base, type: 'json', typeOptions: { rows: 4, ...(field.typeOptions ?? {}) } };
		case 'options':
			return {
				...base,
				type: 'options',
				options: byName(field.options ?? []) as INodePropertyOptions[],
				...(field.typeOptions ? { typeOptions: field.typeOptions } : {}),
			};
		case 'multiOptions':
			return { ...base, type: 'multiOptions', options: byName(field.options ?? []) as INodePropertyOptions[] };
		case 'keyValue':
			return repeatable(base, field, 'Field', 'pairs', [
				pairNameProperty(field),
				{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'Value to set' },
				...pairTypeProperty(field),
			]);
		case 'list':
			return repeatable(base, field, field.label, 'entries', (field.fields ?? []).map((sub) => fieldProperty(sub)));
		case 'locator':
			return { ...base, type: 'resourceLocator', modes: locatorModes(field) };
	}
}

/** Min, max and whole numbers of a number field, then its own type options. */
function numberTypeOptions(field: FieldSpec): INodeProperties['typeOptions'] {
	return {
		...(field.min !== undefined ? { minValue: field.min } : {}),
		...(field.max !== undefined ? { maxValue: field.max } : {}),
		...(field.integer ? { numberPrecision: 0 } : {}),
		...(field.typeOptions ?? {}),
	};
}

/** A field of repeatable entries (name/value pairs, list rows): one fixedCollection option holding `values`. */
function repeatable(base: Partial<INodeProperties>, field: FieldSpec, entryLabel: string, entryName: string, values: INodeProperties[]): INodeProperties {
	return {
		...base,
		type: 'fixedCollection',
		placeholder: field.placeholder ?? `Add ${field.label}`,
		typeOptions: { multipleValues: true },
		options: [{ displayName: entryLabel, name: entryName, values }],
	} as INodeProperties;
}

/** The Name of a name/value pair: picked from the names seen on the account (nameSearch), or typed. */
function pairNameProperty(field: FieldSpec): INodeProperties {
	if (!field.nameSearch) {
		return { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Name of the field as the service spells it' };
	}
	return {
		displayName: 'Name',
		name: 'name',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: 'Name of the field as the service spells it: pick one seen on the account, or type it',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a field…',
				typeOptions: { searchListMethod: field.nameSearch, searchable: true },
			},
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder: field.placeholder ?? 'e.g. custom-12' },
		],
	};
}

function show(resource: ResourceSpec, operation: OperationSpec, extra?: IDataObject): INodeProperties['displayOptions'] {
	return { show: { resource: [resource.value], operation: [operation.value], ...(extra ?? {}) } } as INodeProperties['displayOptions'];
}

/** The properties of one operation: top-level fields, collections, Return All / Limit, Simplify. */
export function operationProperties(resource: ResourceSpec, operation: OperationSpec, provider: ProviderSpec): INodeProperties[] {
	const props: INodeProperties[] = [];
	const groups = new Map<string, FieldSpec[]>();
	for (const field of operation.fields) {
		const place = placeOf(field, operation);
		if (place === 'top') {
			props.push({ ...fieldProperty(field), displayOptions: show(resource, operation, field.showWhen) });
		} else {
			if (!groups.has(place)) groups.set(place, []);
			groups.get(place)!.push(field);
		}
	}
	if (operation.pagination) {
		props.push(
			{
				displayName: 'Return All',
				name: 'returnAll',
				type: 'boolean',
				default: false,
				description: 'Whether to return all results or only up to a given limit',
				displayOptions: show(resource, operation),
			},
			{
				displayName: 'Limit',
				name: 'limit',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1 },
				description: 'Max number of results to return',
				displayOptions: show(resource, operation, { returnAll: [false] }),
			},
		);
	}
	for (const [group, fields] of groups) {
		const showWhen = fields.every((f) => f.showWhen) ? fields[0].showWhen : undefined;
		props.push({
			displayName: groupLabel(group),
			name: group,
			type: 'collection',
			placeholder: group === 'filters' ? 'Add Filter' : 'Add Field',
			default: {},
			displayOptions: show(resource, operation, showWhen),
			options: byName(fields.map((f) => fieldProperty(f))) as INodeProperties[],
		});
	}
	if (operation.simplify && provider.simplify) {
		props.push({
			displayName: 'Simplify',
			name: 'simplify',
			type: 'boolean',
			default: true,
			description: 'Whether to return a simplified version of the response instead of the raw data',
			displayOptions: show(resource, operation),
		});
	}
	return props;
}

/** Options shared by every operation: parallel items, retries, timeout. */
export function requestOptionsProperty(provider: ProviderSpec): INodeProperties {
	const options: INodeProperties[] = [
		{
			displayName: 'Items in Parallel',
			name: 'concurrency',
			type: 'number',
			default: 5,
			typeOptions: { minValue: 1, maxValue: 50 },
			description:
				'How many input items are sent at the same time. Output keeps the input order; the rate limit of the account is kept whatever this is.',
		},
		{
			displayName: 'Pages in Parallel',
			name: 'pagesInParallel',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0, maxValue: 32 },
			description:
				'Pages of a list (Return All) read at the same time. 0 adapts it: starts at the service\'s figure and grows while answers keep their speed. A number reads that many at once (up to the service\'s ceiling). Either way fewer after a 429/5xx or a sharp slowdown; the rate limit of the account is kept.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWait',
			type: 'number',
			default: 120,
			typeOptions: { minValue: 0 },
			description:
				'Longest total time to wait and retry when the service says it is busy (429) or fails temporarily (5xx on requests that are safe to repeat). Past it, the item fails with a clear error.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: 60,
			typeOptions: { minValue: 1 },
			description:
				'Longest time for one request, start to end: connecting, the answer and reading all of it (a login on the way included). A write that times out may still have been processed.',
		},
		{
			displayName: 'Max Response Size (MB)',
			name: 'maxResponseSize',
			type: 'number',
			default: 64,
			typeOptions: { minValue: 1 },
			description: 'Largest answer read for one request. A larger one fails the item (reading stops there) instead of filling the memory of n8n.',
		},
	];
	if (provider.rateLimit?.pauseAfter429Ms !== undefined) {
		options.push({
			displayName: 'Pause After Rate Limit (Seconds)',
			name: 'pauseAfter429',
			type: 'number',
			default: Math.round(provider.rateLimit.pauseAfter429Ms / 1000),
			typeOptions: { minValue: 0 },
			description: `How long to pause when ${provider.displayName} answers 429 without saying how long to wait (the documented pause)`,
		});
	}
	return {
		displayName: 'Options',
		name: 'requestOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: byName(options),
	};
}

/** A resource or operation selector (its default is the first entry of the table). */
function selector(label: string, name: string, options: INodePropertyOptions[], defaultValue: string, displayOptions?: INodeProperties['displayOptions']): INodeProperties {
	return Object.assign(
		{ displayName: label, name, type: 'options', noDataExpression: true, options: byName(options), default: defaultValue },
		displayOptions ? { displayOptions } : {},
	) as INodeProperties;
}

/** Resource and operation selectors plus every operation's fields. */
export function buildProperties(provider: ProviderSpec): INodeProperties[] {
	const resources = allResources(provider);
	const props: INodeProperties[] = [
		selector(
			'Resource',
			'resource',
			resources.map((r) => ({ name: r.name, value: r.value, description: r.description })),
			resources[0].value,
		),
	];
	for (const resource of resources) {
		props.push(
			selector(
				'Operation',
				'operation',
				resource.operations.map((o) => ({ name: o.name, value: o.value, action: o.action, description: o.description })),
				resource.operations[0].value,
				{ show: { resource: [resource.value] } },
			),
		);
	}
	for (const resource of resources) {
		for (const operation of resource.operations) props.push(...operationProperties(resource, operation, provider));
	}
	props.push(...(provider.extraProperties ?? []));
	props.push(requestOptionsProperty(provider));
	return props;
}
