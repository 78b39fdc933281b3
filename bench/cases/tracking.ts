/**
 * Target 3: Tracking Bot → Tracking Number → Get Many, Return All, under the per-key rate limit.
 * The documented limit (60 requests per minute, X-RateLimit-* headers, 429 beyond) is scaled down
 * in time so the run stays short: `requests` per `windowMs` (default 30 per 30 s: the documented
 * average of one request per second, with a window half as long). 5 000 records are 50 pages of
 * 100, i.e. two windows. The fake counts a fixed window from the first request and says when it
 * ends in X-RateLimit-Reset (whole epoch seconds, as its docs leave open).
 * Achieved rate as a share of the allowed one: a perfect client needs (ceil(n / L) - 1) × W
 * between its first and its last request; share = that / the time it took.
 */
import path from 'path';

import type { BenchN8n } from '../n8n';
import { ROOT } from '../runtime';
import type { SandboxClient } from '../sandboxClient';

export interface TrackingRun {
	items: number;
	requests: number;
	rejected429: number;
	spanMs: number;
	idealSpanMs: number;
	share: number;
}

export function resetLimiters(): void {
	(require(path.join(ROOT, 'dist', 'nodes', 'shared', 'pacing.js')) as { resetLimiters(): void }).resetLimiters();
}

/** Seed and configure the fake; the returned function runs the node once (what is timed). */
export async function prepareTracking(
	sandbox: SandboxClient,
	n8n: BenchN8n,
	records: number,
	limit: { requests: number; windowMs: number },
	memo = false,
): Promise<() => Promise<TrackingRun>> {
	await sandbox.call('reset');
	await sandbox.call('seedTracking', records);
	await sandbox.call('trackingRate', limit.requests, limit.windowMs);
	if (memo) {
		await sandbox.call('memo', 'trackingbot');
		await sandbox.call('trackingWarm');
	}
	const { key, bot } = await sandbox.call<{ key: string; bot: number }>('trackingKey');
	const url = await sandbox.url('trackingbot');
	const credential = n8n.credentials.add('trackingBotApi', { apiKey: key, baseUrl: `${url}/api/v1`, botId: bot });
	return async () => {
		resetLimiters();
		await sandbox.call('trackingRate', limit.requests, limit.windowMs);
		await sandbox.call('clearLog');
		const before = await sandbox.call<number>('trackingRateLimited');
		const { items } = await n8n.runChain(
			[{}],
			[
				{
					name: 'Tracking Bot',
					type: n8n.ours('trackingBot'),
					parameters: { resource: 'trackingNumber', operation: 'getAll', returnAll: true },
					credentials: { trackingBotApi: credential },
				},
			],
		);
		const stats = await sandbox.stats('trackingbot');
		const rejected429 = (await sandbox.call<number>('trackingRateLimited')) - before;
		if (items.length !== records) throw new Error(`tracking: ${items.length} items, expected ${records}`);
		const spanMs = stats.at[stats.at.length - 1] - stats.at[0];
		const idealSpanMs = (Math.ceil(stats.count / limit.requests) - 1) * limit.windowMs;
		return {
			items: items.length,
			requests: stats.count,
			rejected429,
			spanMs,
			idealSpanMs,
			share: idealSpanMs === 0 ? 1 : idealSpanMs / spanMs,
		};
	};
}
