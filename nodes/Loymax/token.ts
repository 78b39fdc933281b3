import { tokenOf } from '../../credentials/login';

/**
 * The token of a POST /token answer: the one token reader (credentials/login.ts), with a bare
 * text body accepted (Loymax documents no example answer, "Получить токен").
 */
export function tokenFromResponse(body: unknown): string | undefined {
	return tokenOf(body, true);
}
