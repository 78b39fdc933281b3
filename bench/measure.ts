/** Wall time, CPU time and peak heap of one run. */
import os from 'os';
import { performance } from 'perf_hooks';

export interface Measured<T> {
	value: T;
	wallMs: number;
	cpuMs: number;
	/** Peak of heap used above the level before the run (bytes). */
	peakHeapBytes: number;
	/** 1-minute load average of the machine when the run started. */
	load1: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

export function collect(): void {
	if (gc) {
		gc();
		gc();
	}
}

export const hasGc = (): boolean => !!gc;

/** Run `fn` once: wall and CPU time, and the heap peak sampled every few ms (and at the end). */
export async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
	collect();
	const before = process.memoryUsage().heapUsed;
	let peak = before;
	const sample = () => {
		const used = process.memoryUsage().heapUsed;
		if (used > peak) peak = used;
	};
	const timer = setInterval(sample, 5);
	const load1 = os.loadavg()[0];
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	try {
		const value = await fn();
		const wallMs = performance.now() - t0;
		const cpu = process.cpuUsage(cpu0);
		sample();
		return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakHeapBytes: Math.max(0, peak - before), load1 };
	} finally {
		clearInterval(timer);
	}
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
export const sec = (ms: number): string => (ms / 1000).toFixed(2);
