import type { IDataObject } from 'n8n-workflow';

import { hasNextLink, listPage, mapConcurrent, nextLinkQuery, PageConcurrency, pageConcurrency, pageCountFrom, paginate, PagingError, walkPages, type Page } from '../../nodes/shared/pagination';

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

/** A list of `total` records the walker pages through; `answer` can bend each page. */
function server(total: number, answer: (qs: IDataObject, items: IDataObject[]) => Page | IDataObject[] = (_qs, items) => items) {
	const calls: IDataObject[] = [];
	const fetch = async (qs: IDataObject): Promise<Page> => {
		calls.push(qs);
		const size = Number(qs.size ?? 10);
		const start = qs.offset !== undefined ? Number(qs.offset) : (Number(qs.page) - 1) * size;
		const items = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => ({ id: start + i + 1 }));
		const out = answer(qs, items);
		return Array.isArray(out) ? { items: out, body: { items: out } } : out;
	};
	return { calls, fetch };
}

describe('walkPages', () => {
	const paging = { pageParam: 'page', sizeParam: 'size', maxPageSize: 10 };

	it('a page repeating an earlier one stops the walk with the words of what the server did', async () => {
		const { calls, fetch } = server(100, (_qs, items) => items.map((_, i) => ({ id: i + 1 })));
		const error = await walkPages({ provider: 'Acme', paging: { ...paging, strategy: 'untilShort' }, fetch }).catch((e: PagingError) => e);
		expect(error).toBeInstanceOf(PagingError);
		expect((error as PagingError).message).toBe('Acme returned the same page for page=2 as for page=1: the server seems to ignore page');
		expect(calls).toHaveLength(2);
	});

	it('records without ids are compared by content', async () => {
		const { fetch } = server(100, (_qs, items) => items.map((_, i) => ({ name: `n${i}` })));
		await expect(walkPages({ provider: 'Acme', paging: { ...paging, strategy: 'untilShort' }, fetch })).rejects.toThrow('the same page for page=2 as for page=1');
	});

	it('a page larger than asked stops the walk', async () => {
		const { fetch } = server(100, (_qs, items) => [...items, { id: 999 }]);
		await expect(walkPages({ provider: 'Acme', paging, fetch })).rejects.toThrow('Acme returned 11 records for size=10 (page=1): more than asked');
	});

	it('the absolute page cap is an error, never a silently short list', async () => {
		const { calls, fetch } = server(1000);
		await expect(walkPages({ provider: 'Acme', paging: { ...paging, strategy: 'untilShort' }, fetch, maxPages: 5 })).rejects.toThrow(
			'Acme still had more pages after 5 pages: the walk was stopped',
		);
		expect(calls).toHaveLength(5);
	});

	it('the guard error can be built by the caller (n8n errors with the item)', async () => {
		const { fetch } = server(100, (_qs, items) => items.map((_, i) => ({ id: i })));
		const fail = (message: string, description: string) => Object.assign(new Error(`[item 3] ${message}`), { description });
		await expect(walkPages({ provider: 'Acme', paging: { ...paging, strategy: 'untilShort' }, fetch, fail })).rejects.toThrow(/^\[item 3\] Acme returned the same page/);
	});

	it('offset paging: the parameter carries the record offset', async () => {
		const { calls, fetch } = server(25);
		const { items } = await walkPages({ provider: 'Acme', paging: { pageParam: 'offset', sizeParam: 'size', maxPageSize: 10, offset: true, strategy: 'untilShort' }, fetch });
		expect(items.map((i) => i.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
		expect(calls).toEqual([0, 10, 20].map((offset) => ({ offset, size: 10 })));
	});

	it('nextLink: the query of links.next goes to the same request, with the list\'s own query', async () => {
		const calls: IDataObject[] = [];
		const fetch = async (qs: IDataObject): Promise<Page> => {
			calls.push(qs);
			const cursor = Number(qs.cursor ?? 0);
			const items = cursor < 3 ? [{ id: cursor * 2 + 1 }, { id: cursor * 2 + 2 }] : [];
			const links = cursor < 2 ? { next: `https://elsewhere.example/other/path?cursor=${cursor + 1}` } : { next: null };
			return { items, body: { items, links } };
		};
		const { items } = await walkPages({ provider: 'Acme', paging: { pageParam: 'page', maxPageSize: 2, strategy: 'nextLink' }, fetch, qs: { sort: 'name' } });
		expect(items.map((i) => i.id)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(calls).toEqual([{ sort: 'name', page: 1 }, { sort: 'name', cursor: '1' }, { sort: 'name', cursor: '2' }]);
		expect(nextLinkQuery({ links: { next: { href: '/x?page%5Bnumber%5D=3' } } })).toEqual({ 'page[number]': '3' });
	});

	it('newestFirst: pages until one ends before the given time; the bound may come from page 1', async () => {
		// Records newest first: id n has time 1000 - n.
		const { calls, fetch } = server(100);
		const timeOf = (item: IDataObject) => 1000 - Number(item.id);
		const walked = await walkPages({ provider: 'Acme', paging, strategy: 'newestFirst', fetch, timeOf, before: 975 });
		expect(walked.items.map((i) => i.id)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
		expect(calls.map((c) => c.page)).toEqual([1, 2, 3]);
		const second = server(100);
		const fromFirst = await walkPages({ provider: 'Acme', paging, strategy: 'newestFirst', fetch: second.fetch, timeOf, before: (first) => timeOf(first.items[0]) - 12 });
		expect(fromFirst.items).toHaveLength(20);
		const guarded = server(100, (_qs, items) => items.map((_, i) => ({ id: i + 1 })));
		await expect(walkPages({ provider: 'Acme', paging, strategy: 'newestFirst', fetch: guarded.fetch, timeOf, before: 0 })).rejects.toThrow('the same page for page=2 as for page=1');
	});

	it('newestFirst: unknown times (NaN) do not stop the walk; the list end does', async () => {
		const { calls, fetch } = server(25);
		const { items } = await walkPages({ provider: 'Acme', paging, strategy: 'newestFirst', fetch, timeOf: () => NaN, before: 10 });
		expect(items).toHaveLength(25);
		expect(calls).toHaveLength(3);
	});

	it('onPage sees every page', async () => {
		const { fetch } = server(25);
		const seen: number[] = [];
		await walkPages({ provider: 'Acme', paging: { ...paging, strategy: 'untilShort' }, fetch, onPage: (page, n) => seen.push(n * 100 + page.items.length) });
		expect(seen).toEqual([110, 210, 305]);
	});
});

describe('adaptive page concurrency', () => {
	const steady = (c: PageConcurrency, pages: number, ms = 50) => {
		for (let i = 0; i < pages; i++) c.record(ms, false);
	};

	it('grows by half per round (as many pages as were in flight) while the round latency holds, up to the ceiling', () => {
		const c = new PageConcurrency(2, 6);
		const seen: number[] = [];
		for (let i = 0; i < 12; i++) {
			c.record(50, false);
			seen.push(c.current);
		}
		// rounds of 2, 3 and 4 pages: 2 → 3 → 4 → 6, then the ceiling
		expect(seen).toEqual([2, 3, 3, 3, 4, 4, 4, 4, 6, 6, 6, 6]);
	});

	it('8 → 16 in 20 pages while latency holds (one more per round took 92)', () => {
		const c = new PageConcurrency(8, 16);
		steady(c, 8);
		expect(c.current).toBe(12);
		steady(c, 11);
		expect(c.current).toBe(12);
		steady(c, 1);
		expect(c.current).toBe(16);
	});

	it('does not grow while the round latency is above 1.5× the best round + 10 ms', () => {
		const c = new PageConcurrency(4, 16);
		steady(c, 4, 50);
		expect(c.current).toBe(6);
		steady(c, 6, 86);
		expect(c.current).toBe(6);
		steady(c, 6, 85);
		expect(c.current).toBe(9);
	});

	it('halves at once on a retried page (429/5xx), and after two rounds in a row far slower than the best (one alone: a pause of n8n)', () => {
		const c = new PageConcurrency(8, 8);
		steady(c, 8);
		expect(c.current).toBe(8);
		c.record(50, true);
		expect(c.current).toBe(4);
		steady(c, 4, 400);
		expect(c.current).toBe(4);
		steady(c, 4, 400);
		expect(c.current).toBe(2);
		c.record(50, true);
		c.record(50, true);
		expect(c.current).toBe(1);
		const d = new PageConcurrency(8, 8);
		steady(d, 8);
		steady(d, 8, 400);
		steady(d, 8, 50);
		steady(d, 8, 400);
		expect(d.current).toBe(8);
	});

	it('one slow page in a round moves nothing (the round median is compared)', () => {
		const c = new PageConcurrency(8, 8);
		steady(c, 8);
		steady(c, 7);
		c.record(2000, false);
		expect(c.current).toBe(8);
	});

	it('"Pages in Parallel" sets the pages in flight from the first page, within the provider\'s ceiling; 0 adapts from the start', () => {
		const spec = { pageParam: 'page', maxPageSize: 100, concurrency: 8, maxConcurrency: 16 };
		expect([pageConcurrency(spec, 16).current, pageConcurrency(spec, 16).max]).toEqual([16, 16]);
		expect([pageConcurrency(spec, 3).current, pageConcurrency(spec, 3).max]).toEqual([3, 3]);
		expect([pageConcurrency(spec, 32).current, pageConcurrency(spec, 32).max]).toEqual([16, 16]);
		expect([pageConcurrency(spec, 0).current, pageConcurrency(spec, 0).max]).toEqual([8, 16]);
		expect([pageConcurrency(spec).current, pageConcurrency(spec).max]).toEqual([8, 16]);
	});

	it('the walk grows past its start when pages answer steadily, and "Pages in Parallel" caps it', async () => {
		const measure = async (pagesInParallel?: number) => {
			let inFlight = 0;
			let most = 0;
			const { fetch } = server(1000, (_qs, items) => ({ items, body: { items, meta: { 'page-count': 100 } } }));
			const tracked = async (qs: IDataObject) => {
				inFlight++;
				most = Math.max(most, inFlight);
				await new Promise((r) => setTimeout(r, 2));
				try {
					return await fetch(qs);
				} finally {
					inFlight--;
				}
			};
			const { items } = await walkPages({ provider: 'Acme', paging: { pageParam: 'page', sizeParam: 'size', maxPageSize: 10, concurrency: 2, maxConcurrency: 8 }, fetch: tracked, pagesInParallel });
			expect(items.map((i) => i.id)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
			return most;
		};
		expect(await measure()).toBeGreaterThan(2);
		expect(await measure(2)).toBeLessThanOrEqual(2);
		expect(await measure(1)).toBe(1);
	});

	it('a walk whose pages are retried slows down to one page at a time', async () => {
		let inFlight = 0;
		const trace: number[] = [];
		const { fetch } = server(400, (_qs, items) => ({ items, body: { items, meta: { 'page-count': 40 } }, retried: true }));
		const tracked = async (qs: IDataObject) => {
			inFlight++;
			trace.push(inFlight);
			await new Promise((r) => setTimeout(r, 1));
			try {
				return await fetch(qs);
			} finally {
				inFlight--;
			}
		};
		await walkPages({ provider: 'Acme', paging: { pageParam: 'page', sizeParam: 'size', maxPageSize: 10, concurrency: 8 }, fetch: tracked });
		expect(trace.slice(-10).every((n) => n === 1)).toBe(true);
	});
});

describe('listPage (list searches)', () => {
	const paging = { pageParam: 'page', sizeParam: 'size', maxPageSize: 10 };

	it('tokens are page numbers; a page repeating the one shown before is an error', async () => {
		const { fetch } = server(100, (_qs, items) => items.map((_, i) => ({ id: i + 1 })));
		const first = await listPage({ provider: 'Acme', paging, fetch, listKey: 'repeat' });
		expect(first.next).toBe('2');
		await expect(listPage({ provider: 'Acme', paging, fetch, listKey: 'repeat', token: first.next })).rejects.toThrow(
			'Acme returned the same page for page=2 as for page=1: the server seems to ignore page',
		);
	});

	it('a page count, a short page, an empty page and links.next each say whether there is more', async () => {
		const counted = server(25, (_qs, items) => ({ items, body: { items, meta: { 'page-count': 3 } } }));
		expect((await listPage({ provider: 'Acme', paging, fetch: counted.fetch, token: '2' })).next).toBe('3');
		expect((await listPage({ provider: 'Acme', paging, fetch: counted.fetch, token: '3' })).next).toBeUndefined();
		const plain = server(15);
		expect((await listPage({ provider: 'Acme', paging, fetch: plain.fetch, listKey: 'plain' })).next).toBe('2');
		expect((await listPage({ provider: 'Acme', paging, fetch: plain.fetch, listKey: 'plain', token: '2' })).next).toBeUndefined();
		const linked = server(30, (_qs, items) => ({ items, body: { items, links: { next: null } } }));
		expect((await listPage({ provider: 'Acme', paging, fetch: linked.fetch })).next).toBeUndefined();
	});

	it('a short page 1 of an API whose size is a guess offers page 2 at the server\'s size', async () => {
		const { calls, fetch } = server(12, (qs, items) => {
			const start = (Number(qs.page) - 1) * 4;
			return Array.from({ length: Math.max(0, Math.min(4, 12 - start)) }, (_, i) => ({ id: start + i + 1 }));
		});
		const guessed = { ...paging, confirmShortPage: true };
		const first = await listPage({ provider: 'Acme', paging: guessed, fetch });
		expect(first.items).toHaveLength(4);
		expect(first.next).toBe('2~4');
		const second = await listPage({ provider: 'Acme', paging: guessed, fetch, token: first.next });
		expect(second.items.map((i) => i.id)).toEqual([5, 6, 7, 8]);
		expect(second.next).toBe('3~4');
		expect(calls.map((c) => c.page)).toEqual([1, 2]);
	});
});
