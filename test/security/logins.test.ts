/**
 * One login at a time per process and account (issue 17, item 3): parallel items and executions
 * wait for the login in flight; a 401 after another execution renewed the token takes the newer
 * token. With the sandbox fault "a new login revokes every earlier token", logins stay bounded.
 */
import { PROFILES, READS, useSecurityEnv } from './env';

const LOGINS: Array<[string, string, RegExp]> = [
	['Loymax', 'loymax', /^\/token$/],
	['Neiros', 'neiros', /^\/api\/userapi\/v1\/auth\/login$/],
];

describe('security: one login at a time per account', () => {
	const env = useSecurityEnv();
	const figures: string[] = [];
	afterAll(() => console.info(`logins: ${figures.join('; ')}`));

	const loginsIn = (fake: string, path: RegExp) => env.sandbox.requests(fake, 'POST', path).length;

	it.each(LOGINS)('%s: 5 items in parallel on first use → 1 login', async (name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		const { credentials } = profile.credential(env);
		const result = await env.harness.runNode({ node, parameters: { ...READS[node].parameters, requestOptions: { concurrency: 5 } }, credentials, input: [{}, {}, {}, {}, {}] });
		expect(result.error).toBeUndefined();
		figures.push(`${name}: 5 parallel items → ${loginsIn(profile.fake, path)} login`);
		expect(loginsIn(profile.fake, path)).toBe(1);
	});

	it.each(LOGINS)('%s: 8 executions at once, a new login revoking every earlier token → logins bounded, every item done', async (name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		env.sandbox.revokeOnLogin(profile.fake, path);
		const { credentials } = profile.credential(env);
		// A first run stores a token; then it is revoked by a login elsewhere (another process).
		expect((await env.harness.runNode({ node, parameters: READS[node].parameters, credentials })).error).toBeUndefined();
		profile.expireTokens?.(env.sandbox.fake(profile.fake));
		env.sandbox.clearLog();
		const runs = await Promise.all(
			Array.from({ length: 8 }, async () =>
				await env.harness.runNode({ node, parameters: { ...READS[node].parameters, requestOptions: { concurrency: 5 } }, credentials, input: [{}, {}, {}, {}, {}] }),
			),
		);
		expect(runs.map((r) => r.error?.message)).toEqual(runs.map(() => undefined));
		const logins = loginsIn(profile.fake, path);
		const refused = env.sandbox.requests(profile.fake).filter((r) => r.status === 401).length;
		figures.push(`${name}: 8 executions × 5 items after a revocation, revoke-on-login on → ${logins} login(s), ${refused} answers 401`);
		expect(logins).toBe(1);
	});

	it.each(LOGINS)('%s: a token stored for another password is never sent — a changed, wrong password fails at the login; the right one uses its token again', async (name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		const { credentials } = profile.credential(env);
		const store = (env.harness.credentials as unknown as { store: Map<string, { data: Record<string, unknown> }> }).store;
		const id = Object.values(credentials)[0].id!;
		expect((await env.harness.runNode({ node, parameters: READS[node].parameters, credentials })).error).toBeUndefined();
		const data = store.get(id)!.data;
		const token = String(data.sessionToken);
		const password = data.password;
		expect(token).not.toBe('');
		expect(data.sessionOwner).toMatch(/^[0-9a-f]{64}$/);
		const reads = () => env.sandbox.requests(profile.fake).filter((r) => !path.test(r.path));
		// The password is changed to a wrong one; the stored token (still valid) must not make it look right.
		data.password = 'not-the-password-1';
		env.sandbox.clearLog();
		const wrong = await env.harness.runNode({ node, parameters: READS[node].parameters, credentials });
		expect(wrong.error).toBeDefined();
		// The read goes without a token (401), the transport's one re-login retry makes n8n log in with
		// the password typed now — refused — and the item fails with the provider's words.
		expect(reads().map((r) => [r.headers.authorization, r.status])).toEqual([
			['Bearer', 401],
			['Bearer', 401],
		]);
		expect(wrong.error?.message).toMatch(/^(Loymax returned 401: Loymax refused the login \(HTTP 401: Invalid username or password\)|Neiros returned 401: Neiros login failed \(HTTP 401\): These credentials do not match our records\.)/);
		expect(loginsIn(profile.fake, path)).toBe(1);
		expect(JSON.stringify(wrong.error)).not.toContain(token);
		figures.push(`${name}: changed wrong password with a valid stored token → token not sent, 1 login refused`);
		// Back to the right password: its own token is sent again, no login.
		data.password = password;
		env.sandbox.clearLog();
		expect((await env.harness.runNode({ node, parameters: READS[node].parameters, credentials })).error).toBeUndefined();
		expect(reads().map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
		expect(loginsIn(profile.fake, path)).toBe(0);
	});

	it.each(LOGINS)('%s: a 401 after another execution renewed the token uses the newer token (no second login)', async (name, node, path) => {
		const profile = PROFILES.find((p) => p.node === node)!;
		env.sandbox.revokeOnLogin(profile.fake, path);
		const { credentials } = profile.credential(env);
		const store = (env.harness.credentials as unknown as { store: Map<string, { data: Record<string, unknown> }> }).store;
		const id = Object.values(credentials)[0].id!;
		expect((await env.harness.runNode({ node, parameters: READS[node].parameters, credentials })).error).toBeUndefined();
		const first = store.get(id)!.data.sessionToken;
		// The token lives a while before it is revoked (a renewed token is taken over only while
		// younger than half the life of the refused one).
		await new Promise((resolve) => setTimeout(resolve, 1500));
		// Another execution logs in (revoking `first`) and keeps its token; this credential still holds `first`.
		profile.expireTokens?.(env.sandbox.fake(profile.fake));
		const other = { ...credentials };
		expect((await env.harness.runNode({ node, parameters: READS[node].parameters, credentials: other })).error).toBeUndefined();
		const renewed = store.get(id)!.data.sessionToken;
		store.get(id)!.data.sessionToken = first;
		env.sandbox.clearLog();
		const result = await env.harness.runNode({ node, parameters: READS[node].parameters, credentials });
		expect(result.error).toBeUndefined();
		figures.push(`${name}: stale token after a renewal elsewhere → ${loginsIn(profile.fake, path)} login(s)`);
		expect(loginsIn(profile.fake, path)).toBe(0);
		expect(store.get(id)!.data.sessionToken).toBe(renewed);
	});
});
