/**
 * IQM Tech fake — vendor docs "Интеграция по API": one endpoint, POST /api/sync/data, bearer token,
 * Content-Type application/json on every request, the 16 parameters in the JSON body or the
 * query string (page required, ≤ 255; phone ≤ 20; the others ≤ 255; latitude/longitude numeric).
 * Errors are answered the Laravel way (`{message, errors: {field: [..]}}`, 422), which is what an
 * `/api/...` endpoint with these rules answers; the docs do not document errors or the response.
 */
import { bearer, json, type ProviderFake, type SandboxRequest, type SandboxResponse } from './server';

export const IQM_FIELDS = [
	'page', 'ref', 'phone', 'browser', 'device', 'platform', 'ip_address', 'utm_term', 'utm_source',
	'utm_campaign', 'utm_medium', 'utm_content', 'latitude', 'longitude', 'gender', 'age',
] as const;

const MAX: Record<string, number | undefined> = {
	page: 255, ref: 255, phone: 20, browser: 255, device: 255, platform: 255, utm_term: 255,
	utm_source: 255, utm_campaign: 255, utm_medium: 255, utm_content: 255, gender: 255, age: 255,
};

export interface StoredVisit {
	id: number;
	token: string;
	source: 'body' | 'query';
	data: Record<string, unknown>;
}

export class IqmTechFake implements ProviderFake {
	prefix = '/iqm';
	name = 'iqm';
	tokens = new Set<string>(['iqm-test-token-0123456789']);
	visits: StoredVisit[] = [];
	/** Success answer: a JSON object (default), an empty 200, or plain text. */
	responseStyle: 'json' | 'empty' | 'text' = 'json';
	private nextId = 1;

	reset(): void {
		this.visits = [];
		this.nextId = 1;
		this.responseStyle = 'json';
		this.tokens = new Set(['iqm-test-token-0123456789']);
	}

	handle(req: SandboxRequest): SandboxResponse {
		if (req.path !== '/api/sync/data') return json(404, { message: 'Not Found' });
		if (req.method !== 'POST') return json(405, { message: `The ${req.method} method is not supported for this route. Supported methods: POST.` });
		const token = bearer(req);
		if (!token || !this.tokens.has(token)) return json(401, { message: 'Unauthenticated.' });
		const contentType = String(req.headers['content-type'] ?? '');
		if (!contentType.toLowerCase().startsWith('application/json')) {
			return json(415, { message: 'Content-Type must be application/json' });
		}
		if (req.bodyInvalid) return json(400, { message: 'Malformed JSON body' });
		const body = (req.body ?? {}) as Record<string, unknown>;
		if (typeof body !== 'object' || Array.isArray(body)) return json(422, { message: 'The body must be a JSON object.' });
		const fromQuery = Object.keys(req.query).length > 0;
		const data: Record<string, unknown> = { ...req.query, ...body };
		const errors: Record<string, string[]> = {};
		for (const key of Object.keys(data)) {
			if (!(IQM_FIELDS as readonly string[]).includes(key)) continue;
			const value = data[key];
			if (value === null) continue;
			if (key === 'latitude' || key === 'longitude') {
				if (!(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))) {
					errors[key] = [`The ${key} field must be a number.`];
				}
				continue;
			}
			if (typeof value !== 'string') {
				errors[key] = [`The ${key} field must be a string.`];
				continue;
			}
			const max = MAX[key];
			if (max !== undefined && value.length > max) errors[key] = [`The ${key} field must not be greater than ${max} characters.`];
		}
		if (data.page === undefined || data.page === null || data.page === '') errors.page = ['The page field is required.'];
		const names = Object.keys(errors);
		if (names.length) {
			const first = errors[names[0]][0];
			const more = names.length > 1 ? ` (and ${names.length - 1} more error${names.length > 2 ? 's' : ''})` : '';
			return json(422, { message: `${first}${more}`, errors });
		}
		const visit: StoredVisit = { id: this.nextId++, token, source: fromQuery ? 'query' : 'body', data };
		this.visits.push(visit);
		if (this.responseStyle === 'empty') return { status: 200 };
		if (this.responseStyle === 'text') return { status: 200, body: 'OK', headers: { 'Content-Type': 'text/plain' } };
		return json(200, { success: true, id: visit.id });
	}
}
