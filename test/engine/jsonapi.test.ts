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
});
