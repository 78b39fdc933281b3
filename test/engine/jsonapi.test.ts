import { decode, encodeResource, flatten, hasPrimaryData, indexIncluded, primaryData } from '../../nodes/shared/jsonapi';

describe('JSON:API', () => {
	it('encodes attributes and relationships with string ids', () => {
		expect(encodeResource('deals', { name: 'Поставка', amount: 1500 }, { responsible: { type: 'users', id: '7' }, products: [{ type: 'products', id: '1' }], source: null }, 42)).toEqual({
			data: {
				type: 'deals',
				id: '42',
				attributes: { name: 'Поставка', amount: 1500 },
				relationships: {
					responsible: { data: { type: 'users', id: '7' } },
					products: { data: [{ type: 'products', id: '1' }] },
					source: { data: null },
				},
			},
		});
		expect(encodeResource('contacts', {}, {})).toEqual({ data: { type: 'contacts' } });
	});

	const doc = {
		data: [
			{
				id: 1,
				type: 'deals',
				attributes: { name: 'A', 'created-at': '2024.05.01 10:00' },
				relationships: { responsible: { data: { type: 'users', id: 7 } }, products: { data: [{ type: 'products', id: '3' }] }, source: { data: null }, company: { links: { related: '/x' } } },
			},
		],
		included: [{ id: '7', type: 'users', attributes: { name: 'Иван' } }],
	};

	it('flattens records: id as string, attributes, relationship ids, included on request', () => {
		expect(decode(doc)).toEqual([{ id: '1', type: 'deals', name: 'A', 'created-at': '2024.05.01 10:00', responsible: '7', products: ['3'], source: null }]);
		expect(decode(doc, { withIncluded: true })[0].responsible_data).toEqual({ id: '7', type: 'users', name: 'Иван' });
		expect(flatten(doc.data[0] as never, { camelCase: true }).createdAt).toBe('2024.05.01 10:00');
	});

	it('reads primary data liberally', () => {
		expect(primaryData({ data: { id: '1', type: 'x' } })).toHaveLength(1);
		expect(primaryData({ data: null })).toEqual([]);
		expect(primaryData({ errors: [] })).toEqual([]);
		expect(primaryData('not json')).toEqual([]);
		expect(hasPrimaryData({ data: null })).toBe(true);
		expect(hasPrimaryData({ meta: {} })).toBe(false);
		expect(indexIncluded({}).size).toBe(0);
	});

	it('indexes a page\'s included records once, however many records of the page are simplified', () => {
		const users = Array.from({ length: 50 }, (_, i) => ({ id: String(i), type: 'users', attributes: { name: `U${i}` } }));
		const page = {
			data: Array.from({ length: 100 }, (_, i) => ({ id: String(i), type: 'deals', attributes: { n: i }, relationships: { responsible: { data: { type: 'users', id: String(i % 50) } } } })),
			included: users,
		};
		const sets = jest.spyOn(Map.prototype, 'set');
		const records = page.data.map((r) => flatten(r as never, { included: indexIncluded(page) }));
		expect(sets).toHaveBeenCalledTimes(50); // one index of the 50 included users, not 100 × 50
		sets.mockRestore();
		expect(indexIncluded(page)).toBe(indexIncluded(page));
		expect(records[73]).toEqual({ id: '73', type: 'deals', n: 73, responsible: '23', responsible_data: { id: '23', type: 'users', name: 'U23' } });
		// Another body gets its own index.
		expect(indexIncluded({ included: [users[0]] }).size).toBe(1);
	});
});
