import type { IDataObject } from 'n8n-workflow';

import type { PaginationSpec } from './spec';

/** One page: the items and the body they came in. */
export interface Page {
	items: IDataObject[];
	body: unknown;
}

export type FetchPage = (qs: IDataObject) => Promise<Page>;

/** Run `task` over `inputs` with at most `concurrency` at once; results keep the input order. */
export async function mapConcurrent<T, R>(
	inputs: T[],
	concurrency: number,
	task: (input: T, index: number) => Promise<R>,
	shouldStop: () => boolean = () => false,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	let next = 0;
	const worker = async () => {
		while (next < inputs.length && !shouldStop()) {
			const index = next++;
			results[index] = await task(inputs[index], index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker);
	await Promise.all(workers);
	return results;
}

/** `meta.page-count` / `meta.last_page` / `last_page` / `total_pages` / ceil(total / size). */
export function pageCountFrom(body: unknown, pageSize: number): number | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const b = body as IDataObject;
	const meta = (b.meta ?? {}) as IDataObject;
	const direct = [meta['page-count'], meta.pageCount, meta.page_count, meta.last_page, meta.total_pages, b.last_page, b.total_pages, b.pages];
	for (const value of direct) {
		const n = Number(value);
		if (value !== undefined && value !== null && Number.isFinite(n) && n >= 0) return Math.floor(n);
	}
	const totals = [meta['record-count'], meta.total, meta.count, b.total, b.count];
	for (const value of totals) {
		const n = Number(value);
		if (value !== undefined && value !== null && Number.isFinite(n) && n >= 0 && pageSize > 0) {
			return Math.ceil(n / pageSize);
		}
	}
	return undefined;
}

/** JSON:API style `links.next`: true/false when the body has `links`, else undefined. */
export function hasNextLink(body: unknown): boolean | undefined {
	if (!body || typeof body !== 'object') return undefined;
	const links = (body as IDataObject).links as IDataObject | undefined;
	if (!links || typeof links !== 'object') return undefined;
	return links.next !== undefined && links.next !== null && links.next !== '';
}

export interface PaginateOptions {
	/** Stop after this many items (Limit); undefined = Return All. */
	limit?: number;
	/** Pages fetched at once once the page count is known. */
	concurrency?: number;
	/** Query of the first request (filters…), merged into every page's query. */
	qs: IDataObject;
}

/**
 * Page-number pagination for Return All and Limit.
 * - Page size is the largest the API allows (or the limit, when smaller), so Return All makes
 *   exactly ceil(records / maxPageSize) requests.
 * - Once the first page tells how many pages there are, the others are fetched concurrently
 *   (the transport's limiter still paces them) and returned in page order.
 * - Otherwise pages are walked one by one until a short or empty page, or `links.next` is gone.
 */
export async function paginate(spec: PaginationSpec, fetch: FetchPage, options: PaginateOptions): Promise<IDataObject[]> {
	const first = spec.firstPage ?? 1;
	const limit = options.limit;
	const size = spec.sizeParam ? Math.min(spec.maxPageSize, limit ?? spec.maxPageSize) : spec.maxPageSize;
	const pageQs = (page: number): IDataObject => {
		const qs: IDataObject = { ...options.qs, [spec.pageParam]: page };
		if (spec.sizeParam) qs[spec.sizeParam] = size;
		return qs;
	};
	const enough = (count: number) => limit !== undefined && count >= limit;
	const trim = (items: IDataObject[]) => (limit === undefined ? items : items.slice(0, limit));

	const firstPage = await fetch(pageQs(first));
	const out: IDataObject[] = [...firstPage.items];
	if (enough(out.length)) return trim(out);
	const countFn = spec.pageCount ?? pageCountFrom;
	const pageCount = countFn(firstPage.body, size);
	const nextFn = spec.hasNext ?? hasNextLink;

	if (pageCount !== undefined) {
		let lastPage = first + pageCount - 1;
		if (limit !== undefined) lastPage = Math.min(lastPage, first + Math.ceil(limit / size) - 1);
		const pages: number[] = [];
		for (let p = first + 1; p <= lastPage; p++) pages.push(p);
		const results = await mapConcurrent(pages, Math.max(1, spec.concurrency ?? options.concurrency ?? 4), async (p) => await fetch(pageQs(p)));
		for (const page of results) out.push(...page.items);
		return trim(out);
	}

	let page = first;
	let last = firstPage;
	for (;;) {
		const next = nextFn(last.body);
		if (next === false) break;
		if (next === undefined && (last.items.length === 0 || (spec.sizeParam && last.items.length < size))) break;
		if (next === undefined && !spec.sizeParam && last.items.length === 0) break;
		page++;
		last = await fetch(pageQs(page));
		if (last.items.length === 0) break;
		out.push(...last.items);
		if (enough(out.length)) break;
	}
	return trim(out);
}
