/**
 * Bookkeeping for the trigger simulations: the events that must be emitted (each exactly once),
 * the events emitted, and the figures the tests assert and print.
 */
export class Ledger {
	readonly expected = new Set<string>();
	readonly emitted: string[] = [];
	changes = 0;
	polls = 0;
	failedPolls = 0;
	restarts = 0;
	maxBatch = 0;
	/** Versions superseded before a backlogged poll could emit them (reported by the newer version). */
	coalesced = 0;

	expect(key: string): void {
		this.expected.add(key);
	}

	emit(keys: string[]): void {
		this.emitted.push(...keys);
		this.maxBatch = Math.max(this.maxBatch, keys.length);
	}

	report() {
		const got = new Set(this.emitted);
		const missed = [...this.expected].filter((k) => !got.has(k));
		const unexpected = [...got].filter((k) => !this.expected.has(k));
		const counts = new Map<string, number>();
		for (const k of this.emitted) counts.set(k, (counts.get(k) ?? 0) + 1);
		const duplicates = [...counts.entries()].filter(([, n]) => n > 1).map(([k]) => k);
		return {
			changes: this.changes,
			expected: this.expected.size,
			emitted: this.emitted.length,
			missed,
			duplicates,
			unexpected,
			polls: this.polls,
			failedPolls: this.failedPolls,
			restarts: this.restarts,
			maxBatch: this.maxBatch,
		};
	}

	summary(label: string): string {
		const r = this.report();
		return `${label}: ${r.changes} changes, ${r.expected} events expected, ${r.emitted} emitted, ${r.missed.length} missed, ${r.duplicates.length} duplicates, ${r.unexpected.length} unexpected${this.coalesced ? `, ${this.coalesced} coalesced into a newer version during a backlog` : ''}; ${r.polls} polls (${r.failedPolls} failed), ${r.restarts} restarts, largest batch ${r.maxBatch}`;
	}
}
