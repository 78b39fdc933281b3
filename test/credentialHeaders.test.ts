/**
 * The header each credential sends (issue 18: `authenticate` as a function, no expression engine
 * per request).
 *
 * 1. Each `authenticate` is a function n8n calls with (credentials, request options) — as n8n's
 *    CredentialsHelper.authenticate does on 1.x and 2.x — and returns a copy of the options with
 *    one header set: the other headers kept, nothing given to it changed.
 * 2. For every value a credential may hold, the function renders the header exactly as the generic
 *    `={{…}}` block it replaced rendered it through n8n's own expression engine (resolved as
 *    CredentialsHelper.resolveValue does), on n8n-workflow 1.x (the one in node_modules) and on
 *    2.x's when runtime/n8n2 is installed.
 * 3. A node run inside n8n-core's WorkflowExecute sends the exact header to the sandbox, and no
 *    expression carrying `$credentials` is evaluated (fails on the former generic form).
 */
import * as fs from 'fs';
import * as path from 'path';

import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, ICredentialType, IDataObject, IHttpRequestOptions, INode, Workflow as WorkflowType } from 'n8n-workflow';
import { Expression } from 'n8n-workflow';

import { IQM_TOKEN, LOYMAX_PASSWORD, LOYMAX_USERNAME, NEIROS_EMAIL, NEIROS_PASSWORD, SYNERGY_FAULT_TOKEN, TB_FAULT_KEY } from './faults/profiles';
import { PROFILES, READS, useSecurityEnv } from './security/env';

type AuthFn = (credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions) => Promise<IHttpRequestOptions>;

/** The generic blocks these credentials had before (credentials/shared.ts ownedBearer / bearerHeader, Tracking Bot, Neiros). */
const OWNER = (a: string, b: string) => `(String($credentials.${a} ?? "") + "\\n" + String($credentials.${b} ?? "")).hash("sha256")`;
const FORMER: Record<string, { header: string; expression: string }> = {
	synergyCrmApi: { header: 'Authorization', expression: '=Bearer {{$credentials.apiToken}}' },
	iqmTechApi: { header: 'Authorization', expression: '=Bearer {{$credentials.apiToken}}' },
	trackingBotApi: { header: 'X-API-Key', expression: '={{String($credentials.apiKey).trim()}}' },
	loymaxApi: {
		header: 'Authorization',
		expression: `={{"Bearer " + ($credentials.sessionOwner === ${OWNER('username', 'password')} ? $credentials.sessionToken : "")}}`,
	},
	neirosApi: {
		header: 'Authorization',
		expression: `={{"Bearer " + ($credentials.authMethod === "token" ? String($credentials.apiToken).trim() : ($credentials.sessionOwner === ${OWNER('email', 'password')} ? $credentials.sessionToken : ""))}}`,
	},
};

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** Values a field may hold: typed text (spaces, Cyrillic, astral characters, "|"), empty, missing, and what an imported JSON credential could carry. */
const SECRETS: unknown[] = ['tok-123', ' spaced token ', '\u00a0nbsp\ufeff', '\tkey\n', '', undefined, null, 'тест', 'key😀', '323|RvUx', 0, 123, false, true, NaN];

/** Credential data for each type: every SECRETS value in its secret, and for the logins every owner case. */
type Data = Record<string, unknown>;

function cases(type: string): Data[] {
	const login = (user: string, a: unknown, b: unknown): Data[] => {
		const owner = sha(`${String(a ?? '')}\n${String(b ?? '')}`);
		return [
			{ [user]: a, password: b, sessionOwner: owner, sessionToken: 'sess-token-1' },
			{ [user]: a, password: b, sessionOwner: owner, sessionToken: undefined },
			{ [user]: a, password: b, sessionOwner: owner, sessionToken: null },
			{ [user]: a, password: b, sessionOwner: sha(`${String(a ?? '')}\n${String(b ?? '')}x`), sessionToken: 'sess-token-1' },
			{ [user]: a, password: b, sessionOwner: '', sessionToken: 'sess-token-1' },
			{ [user]: a, password: b, sessionToken: 'sess-token-1' },
		];
	};
	const logins: Array<[unknown, unknown]> = [
		[LOYMAX_USERNAME, LOYMAX_PASSWORD],
		['Имя', 'пароль😀 с пробелом '],
		['', ''],
		[undefined, 'only-password'],
		['a\nb', 'c'],
		[5, null],
		['user', undefined],
	];
	switch (type) {
		case 'synergyCrmApi':
		case 'iqmTechApi':
			return [...SECRETS.map((apiToken) => ({ apiToken, baseUrl: 'https://x.example' })), { baseUrl: 'https://x.example' }];
		case 'trackingBotApi':
			return [...SECRETS.map((apiKey) => ({ apiKey, botId: 1 })), { botId: 1 }];
		case 'loymaxApi':
			return logins.flatMap(([u, p]) => login('username', u, p));
		case 'neirosApi':
			return [
				...SECRETS.map((apiToken) => ({ authMethod: 'token', apiToken, sessionOwner: sha('a\nb'), sessionToken: 'sess' })),
				...logins.flatMap(([u, p]) => login('email', u, p).map((c) => ({ authMethod: 'login', apiToken: 'unused', ...c }))),
				...login('email', NEIROS_EMAIL, NEIROS_PASSWORD),
			];
	}
	throw new Error(type);
}

/** n8n-workflow copies whose expression engine renders the former blocks: 1.x always, 2.x when installed. */
const WORKFLOW_LINES: Array<[string, string]> = [['1.x (node_modules)', require.resolve('n8n-workflow')]];
const N8N2 = path.join(__dirname, '..', 'runtime', 'n8n2', 'node_modules', 'n8n-workflow');
if (fs.existsSync(path.join(N8N2, 'package.json'))) WORKFLOW_LINES.push([`2.x (runtime/n8n2, ${(require(path.join(N8N2, 'package.json')) as { version: string }).version})`, N8N2]);

/** CredentialsHelper.resolveValue of n8n (1.123 and 2.41 alike): the expression through the engine, '' when falsy. */
function formerResolver(modulePath: string): (value: string, credentials: Data) => string {
	const { Workflow } = require(modulePath) as { Workflow: new (p: unknown) => WorkflowType };
	const node: INode = { id: 'n', name: 'N', type: 't', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodeTypes = { getByName: () => ({ description: { properties: [] } }), getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return (value, credentials) => {
		const r = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials } as never, undefined, '') as unknown;
		return r ? String(r) : '';
	};
}

describe('credential headers: authenticate is a function setting the same header as before', () => {
	const env = useSecurityEnv();
	const types = () => env.harness.pkg.credentialTypes as Map<string, ICredentialType>;
	const fn = (type: string) => types().get(type)!.authenticate as unknown as AuthFn;
	const figures: string[] = [];
	afterAll(() => console.info(`credential headers: ${figures.join('; ')}`));

	it('every credential of the package has a function authenticate (never a generic expression block)', () => {
		expect([...types().keys()].sort()).toEqual(Object.keys(FORMER).sort());
		for (const [name, type] of types()) expect([name, typeof type.authenticate]).toEqual([name, 'function']);
	});

	it.each([
		['synergyCrmApi', { apiToken: SYNERGY_FAULT_TOKEN }, 'Authorization', `Bearer ${SYNERGY_FAULT_TOKEN}`],
		['iqmTechApi', { apiToken: IQM_TOKEN }, 'Authorization', `Bearer ${IQM_TOKEN}`],
		['trackingBotApi', { apiKey: `  ${TB_FAULT_KEY} ` }, 'X-API-Key', TB_FAULT_KEY],
		['loymaxApi', { username: 'u', password: 'p', sessionOwner: sha('u\np'), sessionToken: 'jwt.a.b' }, 'Authorization', 'Bearer jwt.a.b'],
		['loymaxApi', { username: 'u', password: 'changed', sessionOwner: sha('u\np'), sessionToken: 'jwt.a.b' }, 'Authorization', 'Bearer '],
		['neirosApi', { authMethod: 'token', apiToken: ' 323|RvUx ' }, 'Authorization', 'Bearer 323|RvUx'],
		['neirosApi', { authMethod: 'login', email: 'e', password: 'p', sessionOwner: sha('e\np'), sessionToken: '9|tok' }, 'Authorization', 'Bearer 9|tok'],
	])('%s: called with the credential, returns the options with the header, the rest kept, nothing changed in place', async (type, credentials, header, value) => {
		const requestOptions = Object.freeze({
			url: '/x',
			method: 'GET' as const,
			qs: Object.freeze({ a: 1 }),
			headers: Object.freeze({ Accept: 'application/json', 'X-Other': 'kept' }),
		}) as IHttpRequestOptions;
		const frozenCredentials = Object.freeze({ ...credentials }) as ICredentialDataDecryptedObject;
		const out = await fn(type)(frozenCredentials, requestOptions);
		expect(out).toEqual({ url: '/x', method: 'GET', qs: { a: 1 }, headers: { Accept: 'application/json', 'X-Other': 'kept', [header]: value } });
		expect(out).not.toBe(requestOptions);
		expect(requestOptions.headers).toEqual({ Accept: 'application/json', 'X-Other': 'kept' });
		// Options without headers (n8n's generic form created them as well).
		expect(await fn(type)(frozenCredentials, { url: '/y' })).toEqual({ url: '/y', headers: { [header]: value } });
		// Called again on its own result (n8n does so after a 401 and a new login): the header is replaced, not doubled.
		expect((await fn(type)(frozenCredentials, out)).headers).toEqual(out.headers);
	});

	describe.each(WORKFLOW_LINES)('the same text as the former expression rendered by n8n-workflow %s', (_line, modulePath) => {
		it.each(Object.keys(FORMER))('%s', async (type) => {
			const resolve = formerResolver(modulePath);
			const { header, expression } = FORMER[type];
			const list = cases(type);
			const rendered: string[] = [];
			for (const data of list) {
				const credentials = { ...data } as ICredentialDataDecryptedObject;
				const out = await fn(type)(credentials, { url: '/' });
				rendered.push(String((out.headers as IDataObject)[header]));
				expect([data, (out.headers as IDataObject)[header]]).toEqual([data, resolve(expression, { ...data })]);
			}
			// The cases reach every kind of answer (sent, not sent, empty, "undefined"/"null" as n8n wrote them).
			if (type === 'loymaxApi') expect(new Set(rendered)).toEqual(new Set(['Bearer sess-token-1', 'Bearer undefined', 'Bearer null', 'Bearer ']));
			if (type === 'synergyCrmApi') expect(rendered).toContain('Bearer ');
			if (type === 'trackingBotApi') expect(rendered).toEqual(expect.arrayContaining(['undefined', 'null', '', 'nbsp', 'key']));
			figures.push(`${type} ${_line}: ${list.length} cases equal`);
		});
	});

	it('a lone UTF-16 surrogate in a login field: the token is sent, as its login stored it (the former expression hashed other bytes and never sent it)', async () => {
		const credentials = { username: 'u', password: 'p\ud800x', sessionToken: 'jwt.lone' } as ICredentialDataDecryptedObject;
		// What preAuthentication stores (credentials/shared.ts sessionOwnerOf).
		const { sessionOwnerOf } = require(path.join(__dirname, '..', 'dist', 'credentials', 'shared')) as { sessionOwnerOf: (...v: unknown[]) => string };
		credentials.sessionOwner = sessionOwnerOf(credentials.username, credentials.password);
		expect(((await fn('loymaxApi')(credentials, { url: '/' })).headers as IDataObject).Authorization).toBe('Bearer jwt.lone');
		expect(formerResolver(require.resolve('n8n-workflow'))(FORMER.loymaxApi.expression, credentials)).toBe('Bearer ');
	});

	it.each(PROFILES.map((p) => [p.node, p] as const))('%s: a node run sends the exact header to the sandbox, and no expression with $credentials is evaluated', async (node, profile) => {
		const spy = jest.spyOn(Expression.prototype, 'getSimpleParameterValue');
		try {
			const { credentials } = profile.credential(env);
			const result = await env.harness.runNode({ node, parameters: READS[node].parameters, credentials });
			expect(result.error).toBeUndefined();
			const withCredentials = spy.mock.calls.filter((call) => (call[3] as IDataObject | undefined)?.$credentials !== undefined);
			expect(withCredentials).toEqual([]);
		} finally {
			spy.mockRestore();
		}
		const sent = env.sandbox.requests(profile.fake).filter((r) => READS[node].path.test(r.path));
		expect(sent.length).toBeGreaterThan(0);
		const stored = (env.harness.credentials as unknown as { store: Map<string, { type: string; data: IDataObject }> }).store;
		const data = [...stored.values()].filter((s) => s.type === `${node}Api`).pop()!.data;
		const expected: Record<string, [string, string]> = {
			iqmTech: ['authorization', `Bearer ${IQM_TOKEN}`],
			synergyCrm: ['authorization', `Bearer ${SYNERGY_FAULT_TOKEN}`],
			trackingBot: ['x-api-key', TB_FAULT_KEY],
			// The token the login obtained (stored by preAuthentication with its owner).
			loymax: ['authorization', `Bearer ${String(data.sessionToken)}`],
			neiros: ['authorization', `Bearer ${String(data.sessionToken)}`],
		};
		const [name, value] = expected[node];
		if (node === 'loymax' || node === 'neiros') expect(data.sessionToken).toEqual(expect.stringMatching(/^\S{8,}$/));
		for (const r of sent) {
			expect([r.path, r.headers[name]]).toEqual([r.path, value]);
			// One scheme only: the header of the other scheme is never added.
			expect(r.headers[name === 'x-api-key' ? 'authorization' : 'x-api-key']).toBeUndefined();
		}
		figures.push(`${node}: ${sent.length} request(s) with ${name}`);
	});

	it('Tracking Bot: a key pasted with spaces is sent trimmed and accepted', async () => {
		const profile = PROFILES.find((p) => p.node === 'trackingBot')!;
		const { credentials } = profile.credential(env);
		const stored = (env.harness.credentials as unknown as { store: Map<string, { data: IDataObject }> }).store;
		stored.get(Object.values(credentials)[0].id!)!.data.apiKey = `  ${TB_FAULT_KEY}\t`;
		const result = await env.harness.runNode({ node: 'trackingBot', parameters: READS.trackingBot.parameters, credentials });
		expect(result.error).toBeUndefined();
		expect(env.sandbox.requests('trackingbot').map((r) => r.headers['x-api-key'])).toEqual(env.sandbox.requests('trackingbot').map(() => TB_FAULT_KEY));
	});
});
