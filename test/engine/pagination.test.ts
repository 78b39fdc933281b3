import type { IDataObject } from 'n8n-workflow';

import { hasNextLink, mapConcurrent, pageCountFrom, paginate } from '../../nodes/shared/pagination';

/** A fake list API of `total` records, pages of the requested size; records the queries. */
function api(total: number, opts: { meta?: 'jsonapi' | 'laravel' | 'total' | 'none' | 'links'; maxSize?: number; delay?: (page: number) => number } = {}) {
	const calls: IDataObject[] = [];
	const fetch = async (qs: IDataObject) => {
		calls.push(qs);
		const page = Number(qs.page);
		const size = Math.min(Number(qs.size ?? 10), opts.maxSize ?? 1000);
		if (opts.delay) await new Promise((r) => setTimeout(r, opts.delay!(page)));
		const items = Array.from({ length: Math.max(0, Math.min(size, total - (page - 1) * size)) }, (_, i) => ({ id: (page - 1) * size + i + 1 }));
		const pages = Math.ceil(total / size);
		const body =
			opts.meta === 'jsonapi'
				? { data: items, meta: { 'record-count': total, 'page-count': pages } }
				: opts.meta === 'laravel'
					? { data: items, last_page: pages, total: 999 }
					: opts.meta === 'total'
						? { items, total }
						: opts.meta === 'links'
							? { data: items, links: page < pages ? { next: `/x?page=${page + 1}` } : { self: '/x' } }
							: { items };
		return { items, body };
	};
	return { calls, fetch };
}

const ids = (items: IDataObject[]) => items.map((i) => i.id);

describe('paginate', () => {
	const spec = { pageParam: 'page', sizeParam: 'size', maxPageSize: 100 };

	it.each(['jsonapi', 'laravel', 'total', 'links', 'none'] as const)('Return All over %s metadata: every record once, ceil(N/size) requests', async (meta) => {
		const { calls, fetch } = api(1234, { meta });
		const out = await paginate(spec, fetch, { qs: { filter: 'x' } });
		expect(ids(out)).toEqual(Array.from({ length: 1234 }, (_, i) => i + 1));
		// Without a count or a next link, a short last page ends the walk.
		expect(calls).toHaveLength(13);
		expect(calls[0]).toEqual({ filter: 'x', page: 1, size: 100 });
	});

	it('Limit asks only for the pages it needs, with the page size cut to the limit', async () => {
		const { calls, fetch } = api(1000, { meta: 'jsonapi' });
		expect(ids(await paginate(spec, fetch, { qs: {}, limit: 30 }))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		expect(calls).toEqual([{ page: 1, size: 30 }]);
		const second = api(1000, { meta: 'jsonapi' });
		expect(await paginate(spec, second.fetch, { qs: {}, limit: 250 })).toHaveLength(250);
		expect(second.calls.map((c) => c.page)).toEqual([1, 2, 3]);
	});

	it('fetches the remaining pages concurrently but returns them in page order', async () => {
		const { fetch } = api(500, { meta: 'jsonapi', delay: (p) => (6 - p) * 10 });
		let inFlight = 0;
		let most = 0;
		const tracked = async (qs: IDataObject) => {
			inFlight++;
			most = Math.max(most, inFlight);
			try {
				return await fetch(qs);
			} finally {
				inFlight--;
			}
		};
		const out = await paginate(spec, tracked, { qs: {}, concurrency: 4 });
		expect(ids(out)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
		expect(most).toBe(4);
	});

	it('a provider can fetch more pages at once than the default', async () => {
		const { fetch } = api(2000, { meta: 'jsonapi', delay: () => 5 });
		let inFlight = 0;
		let most = 0;
		const tracked = async (qs: IDataObject) => {
			inFlight++;
			most = Math.max(most, inFlight);
			try {
				return await fetch(qs);
			} finally {
				inFlight--;
			}
		};
		expect(await paginate({ ...spec, concurrency: 8 }, tracked, { qs: {} })).toHaveLength(2000);
		expect(most).toBe(8);
	});

	it('an empty list is one request', async () => {
		const { calls, fetch } = api(0, { meta: 'none' });
		expect(await paginate(spec, fetch, { qs: {} })).toEqual([]);
		expect(calls).toHaveLength(1);
	});

	it('without a size parameter walks until an empty page', async () => {
		const { calls, fetch } = api(25, { meta: 'none' });
		const out = await paginate({ pageParam: 'page', maxPageSize: 10 }, fetch, { qs: {} });
		expect(out).toHaveLength(25);
		expect(calls).toHaveLength(4);
	});
});

describe('page metadata readers', () => {
	it('reads page counts in the usual shapes', () => {
		expect(pageCountFrom({ meta: { 'page-count': 7 } }, 100)).toBe(7);
		expect(pageCountFrom({ last_page: 3 }, 100)).toBe(3);
		expect(pageCountFrom({ total: 250 }, 100)).toBe(3);
		expect(pageCountFrom({ meta: { 'record-count': 0 } }, 100)).toBe(0);
		expect(pageCountFrom({ data: [] }, 100)).toBeUndefined();
		expect(pageCountFrom('html', 100)).toBeUndefined();
	});
	it('reads links.next, absolute or relative', () => {
		expect(hasNextLink({ links: { next: 'https://x/y?page[number]=2' } })).toBe(true);
		expect(hasNextLink({ links: { next: '/y?page=2' } })).toBe(true);
		expect(hasNextLink({ links: { next: null } })).toBe(false);
		expect(hasNextLink({ data: [] })).toBeUndefined();
	});
});

describe('mapConcurrent', () => {
	it('keeps order, bounds concurrency and stops launching on request', async () => {
		let stop = false;
		const started: number[] = [];
		const out = await mapConcurrent([1, 2, 3, 4, 5, 6], 2, async (n) => {
			started.push(n);
			if (n === 3) stop = true;
			return n * 10;
		}, () => stop);
		expect(out.slice(0, 3)).toEqual([10, 20, 30]);
		expect(started.length).toBeLessThan(6);
	});
});
