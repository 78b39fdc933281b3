import { errorWords, joinUrl, redact } from '../../nodes/shared/transport';
import { Limiter, resetTimeFromHeader, retryAfterMs, waitFrom429 } from '../../nodes/shared/pacing';

/** A slot's time from acquireBy without a deadline (which always gives one). */
async function slotOf(limiter: Limiter, count = 1): Promise<number> {
	const got = await limiter.acquireBy(count);
	if (!('at' in got)) throw new Error(`no slot without a deadline: ${JSON.stringify(got)}`);
	return got.at;
}

describe('errorWords: the provider\'s own words, whatever the shape', () => {
	it.each([
		['JSON:API errors with pointer', { errors: [{ title: 'Invalid', detail: 'is required', source: { pointer: '/data/attributes/first-name' } }] }, 'first-name: is required'],
		['JSON:API errors, title only', { errors: [{ title: 'Not found' }, { detail: 'x' }] }, 'Not found; x'],
		['FastAPI detail string', { detail: 'Bot not found' }, 'Bot not found'],
		['FastAPI validation list', { detail: [{ loc: ['body', 'tracking_number'], msg: 'field required' }] }, 'tracking_number: field required'],
		['Laravel message + errors', { message: 'The given data was invalid.', errors: { email: ['The email must be valid.'] } }, 'The given data was invalid. (email: The email must be valid.)'],
		['error string', { error: 'invalid_token' }, 'invalid_token'],
		['error object', { error: { message: 'Nope' } }, 'Nope'],
		['plain text', 'Service temporarily unavailable', 'Service temporarily unavailable'],
		['JSON text', '{"message":"Too Many Attempts."}', 'Too Many Attempts.'],
	])('%s', (_name, body, words) => {
		expect(errorWords(body)).toBe(words);
	});
	it('says nothing for HTML, empty and unknown shapes', () => {
		expect(errorWords('<!DOCTYPE html><html><body>502</body></html>')).toBeUndefined();
		expect(errorWords('')).toBeUndefined();
		expect(errorWords({ foo: 1 })).toBeUndefined();
		expect(errorWords(null)).toBeUndefined();
	});
});

describe('redact / joinUrl', () => {
	it('removes secrets and their URL-encoded forms', () => {
		expect(redact('token 323|AbcDef and 323%7CAbcDef', ['323|AbcDef'])).toBe('token [redacted] and [redacted]');
	});
	it('joins without double slashes and keeps absolute URLs', () => {
		expect(joinUrl('https://a.ru/', '/api/v1/x')).toBe('https://a.ru/api/v1/x');
		expect(joinUrl('https://a.ru/base', 'x')).toBe('https://a.ru/base/x');
		expect(joinUrl('https://a.ru', 'https://a.ru/y')).toBe('https://a.ru/y');
	});
});

describe('rate-limit headers', () => {
	const now = 1_700_000_000_000;
	it('reads X-RateLimit-Reset as epoch seconds, epoch ms or seconds to wait', () => {
		expect(resetTimeFromHeader('1700000030', now)).toBe(1_700_000_030_000);
		expect(resetTimeFromHeader('1700000030000', now)).toBe(1_700_000_030_000);
		expect(resetTimeFromHeader('12', now)).toBe(now + 12_000);
		expect(resetTimeFromHeader('soon', now)).toBeUndefined();
	});
	it('reads Retry-After as seconds or an HTTP date, and prefers it', () => {
		expect(retryAfterMs({ 'Retry-After': '3' }, now)).toBe(3000);
		expect(retryAfterMs({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
		expect(waitFrom429({ 'retry-after': '2', 'x-ratelimit-reset': '9' }, now)).toBe(2000);
		expect(waitFrom429({ 'x-ratelimit-reset': '9' }, now)).toBe(9000);
		expect(waitFrom429({}, now)).toBeUndefined();
	});
});

describe('Limiter', () => {
	it('keeps a documented budget: N per window', async () => {
		const limiter = new Limiter({ requests: 5, windowMs: 300 });
		const started = Date.now();
		for (let i = 0; i < 10; i++) await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});
	it('counts a request until a window after its answer (the server counts it when it arrives, after its slot)', async () => {
		const limiter = new Limiter({ requests: 3, windowMs: 300 });
		const started = Date.now();
		// A turn of two slots (a request that makes n8n log in first) and one more request.
		const login = await slotOf(limiter, 2);
		const other = await slotOf(limiter);
		await new Promise((resolve) => setTimeout(resolve, 150));
		limiter.observe({}, login, 2);
		const answered = Date.now();
		// Answered (the login's two slots): free a window after the answer; unanswered: a window after its slot.
		await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
		expect(Date.now() - answered).toBeLessThan(295);
		await slotOf(limiter);
		expect(Date.now() - answered).toBeGreaterThanOrEqual(295);
		limiter.observe({}, other);
	});
	it('follows the server\'s budget: goes at once while requests remain, waits for the reset when none do', async () => {
		const limiter = new Limiter({ requests: 1, windowMs: 60_000 });
		limiter.observe({ 'x-ratelimit-limit': '3', 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': '0.3' });
		const started = Date.now();
		await slotOf(limiter);
		await slotOf(limiter);
		expect(Date.now() - started).toBeLessThan(100);
		await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	});
	it('after a 429 nobody goes before the named time', async () => {
		const limiter = new Limiter(undefined);
		limiter.block(Date.now() + 200);
		const started = Date.now();
		await slotOf(limiter);
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	});
	it('falls back to the documented budget when the server stops sending the headers', async () => {
		const limiter = new Limiter({ requests: 1000, windowMs: 60_000 });
		// One answer (e.g. a 429) with the headers, then none: no stall after the reset.
		limiter.observe({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.2' }, Date.now());
		const started = Date.now();
		const probe = await slotOf(limiter);
		limiter.observe({}, probe);
		for (let i = 0; i < 150; i++) limiter.observe({}, await slotOf(limiter));
		expect(Date.now() - started).toBeLessThan(1500);
	});
});
