/**
 * A page walk reads the node once per execution, not once per page: n8n-core's getNode() deep-copies
 * the node on every call (a CPU profile of a 100-page Return All showed it under the transport's
 * per-request login check). Every provider's Return All, through real n8n execution against the
 * sandbox: the node is read as often for 6 pages as for 2.
 */
import { ExecuteContext } from 'n8n-core';

import { fromDist } from '../harness/n8n';
import { checkReturnAll, runReturnAll, type ProviderProfile } from '../faults/drivers';
import { useFaultEnv } from '../faults/env';
import { loymax, neiros, synergyCrm, trackingBot } from '../faults/profiles';

describe('the node is read once per execution, not once per page', () => {
	const env = useFaultEnv();
	// ExecuteContext's base class (n8n-core's NodeExecutionContext) holds getNode().
	const base = Object.getPrototypeOf(ExecuteContext.prototype) as { getNode(): unknown };

	// IQM Tech has no paged list.
	it.each([
		['Synergy CRM', synergyCrm],
		['Neiros', neiros],
		['Tracking Bot', trackingBot],
		['Loymax', loymax],
	] as Array<[string, ProviderProfile]>)('%s Return All: as many getNode() calls for 6 pages as for 2', async (_name, profile) => {
		const spy = jest.spyOn(base, 'getNode');
		try {
			const reads: number[] = [];
			for (const pages of [2, 6]) {
				// Each run as the fault suite starts one: a fresh sandbox and limiters, a new credential
				// (a login each time where the credential logs in).
				env.sandbox.reset();
				env.sandbox.seed(1);
				fromDist<{ resetLimiters(): void }>('nodes/shared/pacing').resetLimiters();
				spy.mockClear();
				const outcome = await runReturnAll(env, profile, pages, { concurrency: 1 });
				checkReturnAll(profile, outcome, true);
				expect(env.sandbox.requests(profile.fake).filter((r) => profile.list!.path.test(r.path)).length).toBeGreaterThanOrEqual(pages);
				reads.push(spy.mock.calls.length);
			}
			expect(reads[1]).toBe(reads[0]);
		} finally {
			spy.mockRestore();
		}
	});
});
