/**
 * n8n requires English UI text (issue 15.12): no Cyrillic in any string a user sees in a node or a
 * credential — display names, descriptions, placeholders, hints, option names and descriptions,
 * actions, resource locator modes, defaults, subtitles — as n8n loads the package from dist/.
 */
import type { ICredentialType, INodeType } from 'n8n-workflow';

import { Harness } from './harness/n8n';

const CYRILLIC = /[\u0400-\u04FF]/;
const UI_KEYS = new Set(['displayName', 'description', 'placeholder', 'hint', 'name', 'action', 'subtitle', 'default', 'errorMessage', 'value']);

/** Every UI string of a description, with where it is. Descends through every object and array. */
function uiStrings(value: unknown, path: string, out: Array<[string, string]>, key = ''): void {
	if (typeof value === 'string') {
		if (UI_KEYS.has(key)) out.push([path, value]);
		return;
	}
	if (Array.isArray(value)) {
		value.forEach((v, n) => uiStrings(v, `${path}[${n}]`, out, key));
		return;
	}
	if (value && typeof value === 'object') {
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			// Codex/metadata and the credential's request templates are not UI text.
			if (k === 'codex' || k === 'authenticate' || k === 'test' || k === 'requestDefaults') continue;
			uiStrings(v, `${path}.${k}`, out, k);
		}
	}
}

describe('English-only UI text', () => {
	let harness: Harness;
	beforeAll(async () => {
		harness = await Harness.create();
	});

	it('finds the strings it checks (the walk is not empty)', () => {
		const strings: Array<[string, string]> = [];
		const type = harness.pkg.nodeTypes.getByNameAndVersion('n8n-nodes-rumarket.synergyCrm') as INodeType;
		uiStrings(type.description, 'synergyCrm', strings);
		expect(strings.length).toBeGreaterThan(1000);
		expect(strings.some(([, s]) => s.includes('e.g. Ivan'))).toBe(true);
	});

	it('no node has Cyrillic in its UI strings', () => {
		const found: string[] = [];
		for (const name of harness.pkg.nodeNames) {
			const type = harness.pkg.nodeTypes.getByNameAndVersion(name) as INodeType;
			const strings: Array<[string, string]> = [];
			uiStrings(type.description, name, strings);
			for (const [where, text] of strings) if (CYRILLIC.test(text)) found.push(`${where}: ${text}`);
		}
		expect(found).toEqual([]);
	});

	it('no credential has Cyrillic in its UI strings', () => {
		const found: string[] = [];
		for (const [name, type] of harness.pkg.credentialTypes as Map<string, ICredentialType>) {
			const strings: Array<[string, string]> = [];
			uiStrings({ displayName: type.displayName, properties: type.properties }, name, strings);
			for (const [where, text] of strings) if (CYRILLIC.test(text)) found.push(`${where}: ${text}`);
		}
		expect(found).toEqual([]);
	});

	it('the check catches Cyrillic (a planted string fails it)', () => {
		const strings: Array<[string, string]> = [];
		uiStrings({ properties: [{ displayName: 'Name', description: 'e.g. Иван', options: [{ name: 'заявки', value: 'x' }] }] }, 'planted', strings);
		expect(strings.filter(([, s]) => CYRILLIC.test(s)).map(([w]) => w)).toEqual(['planted.properties[0].description', 'planted.properties[0].options[0].name']);
	});
});
