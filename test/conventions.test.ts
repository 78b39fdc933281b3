/**
 * What n8n's linters cannot see: the properties our engine generates from the tables. Every node
 * of the package (as n8n loads it) is checked against the n8n UI conventions here.
 */
import type { INodeProperties, INodeType, INodePropertyOptions, INodePropertyCollection } from 'n8n-workflow';

import { Harness } from './harness/n8n';

function walk(props: INodeProperties[], visit: (p: INodeProperties, path: string) => void, path = ''): void {
	for (const p of props) {
		visit(p, `${path}${p.name}`);
		const options = (p.options ?? []) as Array<INodeProperties | INodePropertyOptions | INodePropertyCollection>;
		if (p.type === 'collection') walk(options as INodeProperties[], visit, `${path}${p.name}.`);
		if (p.type === 'fixedCollection') {
			for (const group of options as INodePropertyCollection[]) walk(group.values, visit, `${path}${p.name}.${group.name}.`);
		}
	}
}

describe('n8n conventions of every node', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await Harness.create();
	});

	it('loads at least the IQM Tech node and credential', () => {
		expect(harness.pkg.nodeNames).toContain('n8n-nodes-rumarket.iqmTech');
		expect(harness.pkg.credentialNames).toContain('iqmTechApi');
	});

	it('every node and property follows the conventions', () => {
		const problems: string[] = [];
		for (const name of harness.pkg.nodeNames) {
			const type = harness.pkg.nodeTypes.getByNameAndVersion(name) as INodeType;
			const d = type.description;
			const isTrigger = !!d.polling || d.group.includes('trigger');
			if (!isTrigger && !d.usableAsTool) problems.push(`${name}: action node not usableAsTool`);
			// pollTimes is n8n's own property, added to every polling trigger by n8n's loader.
			walk(d.properties.filter((p) => p.name !== 'pollTimes'), (p, path) => {
				const at = `${name} ${path}`;
				if (!/^[A-Z0-9(]/.test(p.displayName)) problems.push(`${at}: displayName "${p.displayName}" not Title Case`);
				if (p.default === undefined) problems.push(`${at}: no default`);
				if (p.type === 'boolean' && p.description && !p.description.startsWith('Whether')) problems.push(`${at}: boolean description must start with "Whether"`);
				if (p.name !== 'operation' && p.name !== 'resource' && p.type !== 'notice' && !p.description && p.type !== 'fixedCollection' && p.type !== 'collection') {
					problems.push(`${at}: no description`);
				}
				if (p.type === 'options' && Array.isArray(p.options)) {
					const names = (p.options as INodePropertyOptions[]).map((o) => o.name);
					const sorted = [...names].sort((a, b) => a.localeCompare(b));
					if (names.join('|') !== sorted.join('|')) problems.push(`${at}: options not sorted`);
					const values = (p.options as INodePropertyOptions[]).map((o) => o.value);
					if (typeof p.default !== 'string' || (!values.includes(p.default) && !String(p.default).startsWith('='))) {
						if (!values.includes(p.default as never)) problems.push(`${at}: default ${JSON.stringify(p.default)} not an option`);
					}
					if (p.name === 'operation') {
						for (const o of p.options as INodePropertyOptions[]) if (!o.action) problems.push(`${at}: operation ${o.value} has no action`);
					}
				}
			});
		}
		expect(problems).toEqual([]);
	});
});
