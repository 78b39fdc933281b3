import type { IDataObject } from 'n8n-workflow';

import type { PageStrategy, PaginationSpec } from './spec';

export type { PageStrategy } from './spec';

/** One page: the items and the body they came in; `retried` when a 429/5xx was retried for it. */
export interface Page {
	items: IDataObject[];
	body: unknown;
	retried?: boolean;
}

export type FetchPage = (qs: IDataObject) => Promise<Page>;

/** Absolute page cap of one walk (1 000 000 records at 100 a page): past it the walk is an error. */
export const MAX_PAGES = 10_000;

/** A walk the server's answers made unsafe to go on with (a repeated page, a page too large, the cap). */
export class PagingError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'PagingError';
	}
}

/** The paging of a list for a credential: what the credential chose where the API's paging is a guess. */
export function pagingFor(paging: PaginationSpec, credentialData: IDataObject | undefined): PaginationSpec {
	return paging.forCredential ? paging.forCredential(credentialData ?? {}) : paging;
}

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

/** The query of a body's `links.next` (its host and path are never used: the walk stays on its own request). */
export function nextLinkQuery(body: unknown): IDataObject | undefined {
	const links = body && typeof body === 'object' ? ((body as IDataObject).links as IDataObject | undefined) : undefined;
	const next = links && typeof links === 'object' ? links.next : undefined;
	const href = typeof next === 'string' ? next : next && typeof next === 'object' ? (next as IDataObject).href : undefined;
	if (typeof href !== 'string' || href === '') return undefined;
	let url: URL;
	try {
		url = new URL(href, 'http://link.invalid');
	} catch {
		return undefined;
	}
	const qs: IDataObject = {};
	for (const [key, value] of url.searchParams) qs[key] = value;
	return Object.keys(qs).length ? qs : undefined;
}

/**
 * Pages in flight, adapted round by round (issue 18). A round is as many answered pages as were in
 * flight when it began; its latency is the median of theirs, so one slow page (a GC pause, a busy
 * moment of the server) moves nothing.
 * - Latency held (the round's median within 1.5× the best round's + 10 ms) and no retry: the pages
 *   in flight grow by half (8 → 12 → 16: a list of 100 pages reaches its ceiling after 20 pages,
 *   not 92 as one more per round did), up to `max`.
 * - Two rounds in a row far slower than the best (over 2.5× and 20 ms more): halved; a retried
 *   page (429/5xx): halved at once.
 * Never above `max` (the provider's ceiling, or the user's "Pages in Parallel"), never below 1. The
 * account's limiter in the transport still paces every request: a documented rate limit is kept
 * whatever this says.
 *
 * Measured (bench/RESULTS.md, 10 000 Synergy CRM deals at 50 ms): a tighter rule that undid a
 * growth when the round's latency rose by 10 % settled at 8–12 pages in flight, where the list took
 * 0.9 s instead of 0.6 s at 16 and came no closer to the physical limit (79 % at 8, 67 % at 16):
 * the latency added by more pages in flight is this n8n's CPU reading them, which more in flight
 * still overlaps with the network.
 */
export class PageConcurrency {
	current: number;
	/** Median latency of the fastest round so far, ms. */
	private best = Infinity;
	private round: number[] = [];
	/** Rounds in a row far slower than the best. */
	private slowRounds = 0;

	constructor(
		start: number,
		readonly max: number,
	) {
		this.current = Math.max(1, Math.min(start, max));
	}

	record(latencyMs: number, retried: boolean): void {
		if (retried) {
			this.current = Math.max(1, Math.floor(this.current / 2));
			this.round = [];
			return;
		}
		this.round.push(latencyMs);
		if (this.round.length < this.current) return;
		const sorted = this.round.sort((a, b) => a - b);
		const median = sorted[sorted.length >> 1];
		this.round = [];
		if (this.best < Infinity && median > this.best * 2.5 && median - this.best > 20) {
			// Two such rounds in a row: one alone is as likely a pause of this n8n (a garbage collection
			// while 16 pages wait to be read) as a slower server.
			if (++this.slowRounds < 2) return;
			this.slowRounds = 0;
			this.current = Math.max(1, Math.floor(this.current / 2));
			// The best stays in reach: a server that got slower for good is not compared with its past forever.
			this.best = Math.min(median, this.best * 1.5);
			return;
		}
		this.slowRounds = 0;
		this.best = Math.min(this.best, median);
		if (median <= this.best * 1.5 + 10) this.current = Math.min(this.max, this.current + Math.max(1, Math.floor(this.current / 2)));
	}
}

/**
 * The concurrency of a walk. Automatic: the provider's start, growing up to its ceiling while
 * latency holds. The user's "Pages in Parallel": that many from the first page (within the
 * provider's ceiling), still halved after a 429/5xx or a sharp slowdown.
 */
export function pageConcurrency(paging: PaginationSpec, userCap?: number, fallback = 4): PageConcurrency {
	const start = Math.max(1, paging.concurrency ?? fallback);
	const max = Math.max(start, paging.maxConcurrency ?? start);
	const cap = Number(userCap);
	if (Number.isFinite(cap) && cap >= 1) {
		const n = Math.min(max, Math.floor(cap));
		return new PageConcurrency(n, n);
	}
	return new PageConcurrency(start, max);
}

/** Run `task` over `inputs` with as many at once as `limit.current` says at each launch; input order kept. */
async function adaptivePool<T, R>(inputs: T[], limit: PageConcurrency, task: (input: T) => Promise<R & { retried?: boolean }>): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	if (!inputs.length) return results;
	return await new Promise<R[]>((resolve, reject) => {
		let next = 0;
		let active = 0;
		let done = 0;
		let failed = false;
		const launch = () => {
			while (!failed && next < inputs.length && active < limit.current) {
				const index = next++;
				active++;
				const started = Date.now();
				task(inputs[index]).then(
					(result) => {
						active--;
						done++;
						results[index] = result;
						limit.record(Date.now() - started, !!result.retried);
						if (done === inputs.length) resolve(results);
						else launch();
					},
					(error: unknown) => {
						active--;
						if (!failed) {
							failed = true;
							reject(error);
						}
					},
				);
			}
		};
		launch();
	});
}

export interface WalkOptions {
	/** Display name for the errors: "Loymax". */
	provider: string;
	paging: PaginationSpec;
	/** Default: `paging.strategy`, else `pageCount`. */
	strategy?: PageStrategy;
	fetch: FetchPage;
	/** Query of the list (filters, sort), merged into every page's query. */
	qs?: IDataObject;
	/** Stop after this many items (Limit); undefined = every item. */
	limit?: number;
	/** Page size to ask for (default: the limit when smaller, else the largest the API allows). */
	pageSize?: number;
	/** Absolute page cap (default MAX_PAGES): reaching it is an error, never a silently short list. */
	maxPages?: number;
	/** Identity of an item for the repeated-page guard (default `id`, else the whole item). */
	idOf?: (item: IDataObject) => string | undefined;
	/** The user's "Pages in Parallel": that many pages at once, within the provider's ceiling (0 / undefined: automatic). */
	pagesInParallel?: number;
	/** newestFirst: stop after the page whose last item is older than this (ms); a function gets page 1. */
	before?: number | ((first: Page) => number);
	/** newestFirst: time of an item in ms (NaN: unknown, does not stop the walk). */
	timeOf?: (item: IDataObject) => number;
	/** Sees every page as it arrives (page number, or the n-th page of a link walk). */
	onPage?: (page: Page, pageNumber: number) => void;
	/** Builds the error of a guard (default: PagingError). */
	fail?: (message: string, description: string) => Error;
}

export interface WalkResult {
	items: IDataObject[];
	/** Pages requested. */
	pages: number;
}

/** A short fingerprint of a page's records (their ids, else their content): FNV-1a, 32 bits, hex. */
export function pageSignature(items: IDataObject[], idOf: (item: IDataObject) => string | undefined = defaultId): string {
	let hash = 0x811c9dc5;
	for (const item of items) {
		const key = `${idOf(item) ?? JSON.stringify(item)}\u0001`;
		for (let i = 0; i < key.length; i++) {
			hash ^= key.charCodeAt(i);
			hash = Math.imul(hash, 0x01000193) >>> 0;
		}
	}
	return `${items.length.toString(36)}.${hash.toString(36)}`;
}

const defaultId = (item: IDataObject): string | undefined =>
	item && typeof item === 'object' && item.id !== undefined && item.id !== null ? `id:${String(item.id)}` : undefined;

/** One walk's state and guards. */
class Walk {
	readonly spec: PaginationSpec;
	readonly first: number;
	readonly ask: number | undefined;
	readonly max: number;
	readonly items: IDataObject[] = [];
	/** Records per full page: the size asked, or the server's own when it answers smaller pages. */
	step: number;
	requested = 0;
	readonly seen = new Map<string, string>();
	/** Signature of the last page with records. */
	last: string | undefined;
	private biggest = 0;

	constructor(readonly o: WalkOptions) {
		this.spec = o.paging;
		this.first = o.paging.firstPage ?? (o.paging.offset ? 0 : 1);
		const largest = o.pageSize ?? o.paging.maxPageSize;
		this.ask = o.paging.sizeParam ? Math.max(1, Math.min(largest, o.limit ?? largest)) : undefined;
		this.step = this.ask ?? o.paging.maxPageSize;
		this.max = o.maxPages ?? MAX_PAGES;
	}

	get enough(): boolean {
		return this.o.limit !== undefined && this.items.length >= this.o.limit;
	}

	result(): WalkResult {
		const items = this.o.limit === undefined ? this.items : this.items.slice(0, this.o.limit);
		return { items, pages: this.requested };
	}

	fail(message: string, description: string): Error {
		return this.o.fail ? this.o.fail(message, description) : new PagingError(message, description);
	}

	/** The page parameter's value for page `n` (a record offset for offset paging). */
	value(n: number): number {
		return this.spec.offset ? this.first + (n - 1) * this.step : this.first + n - 1;
	}

	label(n: number): string {
		return `${this.spec.pageParam}=${this.value(n)}`;
	}

	qsFor(n: number): IDataObject {
		const qs: IDataObject = { ...(this.o.qs ?? {}), [this.spec.pageParam]: this.value(n) };
		if (this.spec.sizeParam && this.ask !== undefined) qs[this.spec.sizeParam] = this.ask;
		return qs;
	}

	/** Fetch a page (by number, or by the query of a next link) and run the guards on it. */
	async get(n: number, linkQs?: IDataObject): Promise<Page> {
		if (this.requested >= this.max) {
			throw this.fail(
				`${this.o.provider} still had more pages after ${this.max} pages: the walk was stopped`,
				`Every page so far was new and full, so the list may be longer than ${this.max} pages, or the server keeps answering pages that never end. Narrow the list with a filter, or use Limit.`,
			);
		}
		this.requested++;
		const qs = linkQs ? { ...(this.o.qs ?? {}), ...linkQs } : this.qsFor(n);
		const where = !linkQs
			? this.label(n)
			: linkQs[this.spec.pageParam] !== undefined
				? `${this.spec.pageParam}=${String(linkQs[this.spec.pageParam])}`
				: `the next link (${Object.entries(linkQs).map(([k, v]) => `${k}=${String(v)}`).join('&')})`;
		const page = await this.o.fetch(qs);
		this.check(page, where);
		this.o.onPage?.(page, n);
		return page;
	}

	private check(page: Page, where: string): void {
		const count = page.items.length;
		if (this.ask !== undefined && count > this.ask) {
			throw this.fail(
				`${this.o.provider} returned ${count} records for ${this.spec.sizeParam}=${this.ask} (${where}): more than asked`,
				`The server seems to ignore ${this.spec.sizeParam}, so its pages cannot be walked safely (records could be skipped or read twice). If the API pages with other parameter names, choose them in the credential where it offers a paging style.`,
			);
		}
		if (this.ask === undefined && this.biggest > 0 && count > this.biggest && this.o.paging.fixedPageSize) {
			throw this.fail(
				`${this.o.provider} returned ${count} records for ${where} after pages of ${this.biggest}: a page larger than the ones before`,
				'The pages of this list do not have one size, so they cannot be walked safely (records could be skipped or read twice).',
			);
		}
		this.biggest = Math.max(this.biggest, count);
		if (!count) return;
		const idOf = this.o.idOf ?? defaultId;
		const signature = pageSignature(page.items, idOf);
		this.last = signature;
		const earlier = this.seen.get(signature);
		if (earlier !== undefined) {
			throw this.fail(
				`${this.o.provider} returned the same page for ${where} as for ${earlier}: the server seems to ignore ${this.spec.pageParam}`,
				`The page walk was stopped so that it cannot loop or return the same records twice. If the API pages with other parameter names, choose them in the credential where it offers a paging style; otherwise use Limit (one page).`,
			);
		}
		this.seen.set(signature, where);
	}

	add(page: Page): void {
		this.items.push(...page.items);
	}
}

/**
 * The one page walker of actions (Return All / Limit), list searches and triggers.
 * Strategies (`paging.strategy`, or `strategy`):
 * - `pageCount`: page numbers; the count comes from page 1 (`meta.page-count`, `last_page`,
 *   ceil(total / size)); the other pages are fetched in parallel (adaptive), returned in order.
 *   Without a count on page 1 it walks as `untilShort`.
 * - `untilShort`: page numbers until a short or empty page (or `links.next` absent in a body with
 *   links); without a size parameter until an empty page, or a short page past `pageCount`'s bound.
 * - `nextLink`: the query of `links.next` on the same path; a body without links falls back to
 *   page numbers as `untilShort`.
 * - `newestFirst`: a newest-first list page by page until a page's last item is older than `before`.
 * Guards: a page repeating an earlier one, a page larger than asked, and `maxPages` stop the walk
 * with an error saying what the server did. A page 1 shorter than asked with nothing saying it is
 * the last is followed by page 2: when that has new records the server used a smaller page size
 * than asked, and the walk goes on at the server's size instead of stopping short.
 */
export async function walkPages(options: WalkOptions): Promise<WalkResult> {
	const walk = new Walk(options);
	const strategy = options.strategy ?? options.paging.strategy ?? 'pageCount';
	const firstPage = await walk.get(1);
	walk.add(firstPage);
	if (walk.enough || firstPage.items.length === 0) return walk.result();
	if (strategy === 'pageCount') return await byCount(walk, firstPage);
	if (strategy === 'newestFirst') return await newestFirst(walk, firstPage);
	return await untilShort(walk, firstPage, strategy === 'nextLink');
}

function learnStep(walk: Walk, firstPage: Page): void {
	const count = firstPage.items.length;
	if (walk.ask !== undefined && count > 0 && count < walk.ask) walk.step = count;
	if (walk.ask === undefined && count > 0) walk.step = count;
}

async function byCount(walk: Walk, firstPage: Page): Promise<WalkResult> {
	const { spec, o } = walk;
	const short = walk.ask !== undefined && firstPage.items.length < walk.ask;
	const count = (spec.pageCount ?? pageCountFrom)(firstPage.body, short ? firstPage.items.length : walk.step);
	if (count === undefined) return await untilShort(walk, firstPage, false);
	if (short && count > 1) learnStep(walk, firstPage);
	let last = count;
	if (o.limit !== undefined) last = Math.min(last, Math.ceil(o.limit / walk.step));
	const pages: number[] = [];
	for (let n = 2; n <= last; n++) pages.push(n);
	const limit = pageConcurrency(spec, o.pagesInParallel);
	// A page's body is read by its guards and hooks in walk.get and not needed after: the walk keeps
	// the records only, so 100 parsed bodies (their links and relationships) do not survive until
	// the last page arrives (issue 18: the garbage collector copied them, ≈ 10 % of a Return All).
	const results = await adaptivePool(pages, limit, async (n) => {
		const page = await walk.get(n);
		return { items: page.items, body: undefined, retried: page.retried } as Page;
	});
	for (const page of results) walk.add(page);
	if (spec.confirmCount && last === 1) {
		// The count is read from a field whose meaning is a guess: when it says one page and that page
		// is full (a `total` of this page's records reads the same), the next pages are asked for until
		// a short or empty one, so that field alone cannot cut the list short. A count above one
		// already means more than a page of records.
		let page = results.length ? results[results.length - 1] : firstPage;
		for (let n = Math.max(1, last); !walk.enough && page.items.length >= walk.step; ) {
			page = await walk.get(++n);
			walk.add(page);
		}
	}
	return walk.result();
}

/** Whether a page is the last by what its body and size say (`hasNext` first, then the size). */
function isLast(walk: Walk, page: Page, n: number, bound: number | undefined): boolean {
	if (page.items.length === 0) return true;
	const next = (walk.spec.hasNext ?? hasNextLink)(page.body);
	if (next === false) return true;
	if (next === true) return false;
	if (bound !== undefined && n >= bound) return true;
	if (walk.ask !== undefined) return page.items.length < walk.step;
	// No size parameter: the server's size. A short page ends the walk only when the body carries
	// paging metadata (a fixed-size paginator); otherwise only an empty page does.
	return bound !== undefined && page.items.length < walk.step;
}

/** A short page 1 that nothing else marks as the last, of an API whose size parameter is a guess. */
function unsureShort(walk: Walk, page: Page): boolean {
	const count = page.items.length;
	if (!walk.spec.confirmShortPage || walk.ask === undefined || count === 0 || count >= walk.ask) return false;
	return (walk.spec.hasNext ?? hasNextLink)(page.body) === undefined;
}

async function untilShort(walk: Walk, firstPage: Page, followLinks: boolean): Promise<WalkResult> {
	const { spec, o } = walk;
	const hint = walk.ask === undefined ? (spec.pageCount ?? pageCountFrom)(firstPage.body, firstPage.items.length) : undefined;
	const bound = hint !== undefined && hint >= 1 ? hint : undefined;
	if (walk.ask === undefined) learnStep(walk, firstPage);
	let last = firstPage;
	let n = 1;
	if (isLast(walk, firstPage, 1, bound)) {
		// A short page 1 with nothing else saying it is the last: when the API's size parameter is a
		// guess, page 2 tells whether the server used a smaller size than asked.
		if (!unsureShort(walk, firstPage)) return walk.result();
		learnStep(walk, firstPage);
		const probe = await walk.get(2);
		if (probe.items.length === 0) return walk.result();
		walk.add(probe);
		last = probe;
		n = 2;
		if (walk.enough || isLast(walk, probe, 2, bound)) return walk.result();
	}
	const limit = pageConcurrency(spec, o.pagesInParallel);
	// With a bound the next pages are fetched a window at a time, never past the bound; the window
	// starts at one page and doubles while pages come back full (at most `limit.current`), so a
	// bound that over-counts costs at most a window's worth of empty pages.
	let grow = 1;
	while (!walk.enough) {
		const linkQs = followLinks ? nextLinkQuery(last.body) : undefined;
		const need = o.limit !== undefined ? Math.ceil((o.limit - walk.items.length) / walk.step) : Infinity;
		const width = bound !== undefined && !linkQs ? Math.max(1, Math.min(grow, limit.current, bound - n, need)) : 1;
		grow *= 2;
		const window: number[] = [];
		for (let k = 1; k <= width; k++) window.push(n + k);
		const pages = await adaptivePool(window, limit, async (p) => await walk.get(p, linkQs));
		let stop = false;
		for (let k = 0; k < pages.length && !stop; k++) {
			const page = pages[k];
			n = window[k];
			if (page.items.length === 0) {
				stop = true;
				break;
			}
			walk.add(page);
			last = page;
			stop = walk.enough || isLast(walk, page, n, bound);
		}
		if (stop) break;
	}
	return walk.result();
}

async function newestFirst(walk: Walk, firstPage: Page): Promise<WalkResult> {
	const { o } = walk;
	const before = typeof o.before === 'function' ? o.before(firstPage) : (o.before ?? -Infinity);
	const timeOf = o.timeOf ?? (() => NaN);
	if (walk.ask === undefined) learnStep(walk, firstPage);
	const endsBefore = (page: Page) => page.items.length > 0 && timeOf(page.items[page.items.length - 1]) < before;
	let page = firstPage;
	let n = 1;
	while (!walk.enough && !endsBefore(page)) {
		if (isLast(walk, page, n, undefined)) {
			if (n !== 1 || !unsureShort(walk, page)) break;
			learnStep(walk, page);
		}
		n++;
		page = await walk.get(n, nextLinkQuery(page.body));
		if (page.items.length === 0) break;
		walk.add(page);
	}
	return walk.result();
}

export interface ListPageOptions {
	provider: string;
	paging: PaginationSpec;
	fetch: FetchPage;
	qs?: IDataObject;
	/** Page size to ask for (default: the API's largest). */
	pageSize?: number;
	/** The token `listPage` returned for this page (undefined: the first page). */
	token?: string;
	/** Which list of which account (fingerprints of pages shown are kept per list). */
	listKey?: string;
	fail?: (message: string, description: string) => Error;
}

/** Fingerprints of the list pages shown lately, by list and page: a repeated next page is caught. */
const shownPages = new Map<string, string>();
const SHOWN_PAGES_KEPT = 500;

function rememberShown(key: string, signature: string): void {
	shownPages.delete(key);
	shownPages.set(key, signature);
	if (shownPages.size > SHOWN_PAGES_KEPT) shownPages.delete(shownPages.keys().next().value as string);
}

/**
 * One page of a list for a resource locator's "From List" (n8n asks for the next page with the
 * token as the user scrolls): the same "is there more" rules and guards as `walkPages`. The token
 * is the next page number (with `~size` when the server answered smaller pages than asked); the
 * fingerprint of every page shown is kept, so a server answering the same page again is an error,
 * not an endless dropdown.
 */
export async function listPage(options: ListPageOptions): Promise<{ items: IDataObject[]; body: unknown; next?: string }> {
	const [pageText, stepText] = (options.token ?? '').split('~');
	const walk = new Walk({ provider: options.provider, paging: options.paging, fetch: options.fetch, qs: options.qs, pageSize: options.pageSize, maxPages: Infinity, fail: options.fail });
	const n = Math.max(1, Math.floor(Number(pageText)) || 1);
	const step = Number(stepText);
	if (Number.isFinite(step) && step >= 1) walk.step = step;
	const key = (page: number) => `${options.listKey ?? ''}|${JSON.stringify(options.qs ?? {})}|${page}`;
	const previous = n > 1 ? shownPages.get(key(n - 1)) : undefined;
	if (previous) walk.seen.set(previous, walk.label(n - 1));
	const page = await walk.get(n);
	if (walk.last) rememberShown(key(n), walk.last);
	const count = page.items.length;
	const token = () => (walk.ask !== undefined && walk.step !== walk.ask ? `${n + 1}~${walk.step}` : `${n + 1}`);
	const answer = (more: boolean) => ({ items: page.items, body: page.body, next: more ? token() : undefined });
	if (count === 0) return answer(false);
	const next = (walk.spec.hasNext ?? hasNextLink)(page.body);
	if (next !== undefined) return answer(next);
	const short = walk.ask !== undefined && count < walk.step;
	const pages = (walk.spec.pageCount ?? pageCountFrom)(page.body, n === 1 && (short || walk.ask === undefined) ? count : walk.step);
	if (n === 1 && pages !== undefined && pages > 1) learnStep(walk, page);
	if (pages !== undefined) return answer(n < pages);
	if (!short) return answer(true);
	if (n === 1 && unsureShort(walk, page)) {
		learnStep(walk, page);
		return answer(true);
	}
	return answer(false);
}

export interface PaginateOptions {
	/** Stop after this many items (Limit); undefined = Return All. */
	limit?: number;
	/** Pages fetched at once once the page count is known (overrides the spec's start and ceiling). */
	concurrency?: number;
	/** Query of the first request (filters…), merged into every page's query. */
	qs: IDataObject;
	provider?: string;
}

/** `walkPages` for a list of items (tests and older call sites). */
export async function paginate(spec: PaginationSpec, fetch: FetchPage, options: PaginateOptions): Promise<IDataObject[]> {
	const paging = spec.concurrency === undefined && options.concurrency !== undefined ? { ...spec, concurrency: options.concurrency } : spec;
	const result = await walkPages({ provider: options.provider ?? 'The API', paging, fetch, qs: options.qs, limit: options.limit });
	return result.items;
}
