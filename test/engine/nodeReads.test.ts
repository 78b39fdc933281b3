/**
 * A page walk reads the node once per execution, not once per page: n8n-core's getNode() deep-copies
 * the node on every call (a CPU profile of a 100-page Return All showed it under the transport's
 * per-request login check). Every provider's Return All, through real n8n execution against the
 * sandbox: the node is read as often for 6 pages as for 2. So is the credential where it has no
 * login (n8n otherwise fetches, decrypts and resolves it again for every request); a credential
 * that logs in is still read by n8n per request (a token renewed meanwhile is seen).
 */
import { ExecuteContext } from 'n8n-core';

import { fromDist } from '../harness/n8n';
import { checkReturnAll, runReturnAll, type ProviderProfile } from '../faults/drivers';
import { useFaultEnv } from '../faults/env';
import { loymax, neiros, synergyCrm, trackingBot } from '../faults/profiles';

describe('the node is read once per execution, not once per page', () => {
	const env = useFaultEnv();
	// ExecuteContext's base class (n8n-core's NodeExecutionContext) holds getNode().
	const base = Object.getPrototypeOf(ExecuteContext.prototype) as { getNode(): unknown; getCredentials(type: string): Promise<unknown> };

	// IQM Tech has no paged list.
	it.each([
		['Synergy CRM', synergyCrm, false],
		['Neiros', neiros, true],
		['Tracking Bot', trackingBot, false],
		['Loymax', loymax, true],
	] as Array<[string, ProviderProfile, boolean]>)('%s Return All: the node (and a credential without a login) read as often for 6 pages as for 2', async (_name, profile, login) => {
		const spy = jest.spyOn(base, 'getNode');
		const credentialSpy = jest.spyOn(base, 'getCredentials');
		try {
			const reads: number[] = [];
			const credentialReads: number[] = [];
			for (const pages of [2, 6]) {
				// Each run as the fault suite starts one: a fresh sandbox and limiters, a new credential
				// (a login each time where the credential logs in).
				env.sandbox.reset();
				env.sandbox.seed(1);
				fromDist<{ resetLimiters(): void }>('nodes/shared/pacing').resetLimiters();
				spy.mockClear();
				credentialSpy.mockClear();
				const outcome = await runReturnAll(env, profile, pages, { concurrency: 1 });
				checkReturnAll(profile, outcome, true);
				expect(env.sandbox.requests(profile.fake).filter((r) => profile.list!.path.test(r.path)).length).toBeGreaterThanOrEqual(pages);
				reads.push(spy.mock.calls.length);
				credentialReads.push(credentialSpy.mock.calls.length);
			}
			expect(reads[1]).toBe(reads[0]);
			if (login) expect(credentialReads[1]).toBeGreaterThanOrEqual(credentialReads[0] + 4);
			else expect(credentialReads[1]).toBe(credentialReads[0]);
		} finally {
			spy.mockRestore();
			credentialSpy.mockRestore();
		}
	});
});
