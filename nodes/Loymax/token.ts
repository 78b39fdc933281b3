/**
 * The token of a POST /token answer. Its shape is not documented (seeds/loymax.txt: "Пример
 * запроса:" is empty), so every plausible form is accepted: `token`, `access_token`, `data.token`,
 * `data.attributes.token` (JSON:API), `data.attributes.access_token`, a JSON string, or a bare
 * text body. Returns undefined when none is there.
 */
export function tokenFromResponse(body: unknown): string | undefined {
	const usable = (v: unknown): string | undefined => {
		if (typeof v !== 'string') return undefined;
		const t = v.trim().replace(/^Bearer\s+/i, '');
		// A token is one word of printable characters: never an HTML page or a sentence.
		return t !== '' && /^[\x21-\x7e]+$/.test(t) ? t : undefined;
	};
	if (typeof body === 'string') {
		const text = body.trim();
		if (/^[[{"]/.test(text)) {
			try {
				return tokenFromResponse(JSON.parse(text) as unknown);
			} catch {
				return undefined;
			}
		}
		return usable(text);
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const obj = body as Record<string, unknown>;
	const data = obj.data as Record<string, unknown> | string | undefined;
	const attributes =
		data && typeof data === 'object' ? (data.attributes as Record<string, unknown> | undefined) : undefined;
	const candidates: unknown[] = [
		obj.token,
		obj.access_token,
		obj.accessToken,
		typeof data === 'string' ? data : undefined,
		data && typeof data === 'object' ? data.token : undefined,
		data && typeof data === 'object' ? data.access_token : undefined,
		attributes?.token,
		attributes?.access_token,
	];
	for (const candidate of candidates) {
		const token = usable(candidate);
		if (token) return token;
	}
	return undefined;
}

/** Replace the password (and its URL-encoded form) in a text. */
export function withoutSecret(text: string, secret: string): string {
	if (!secret) return text;
	let out = text;
	for (const form of new Set([secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+')])) {
		if (form) out = out.split(form).join('[redacted]');
	}
	return out;
}
