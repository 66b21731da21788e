import { readFileSync } from 'node:fs';

/** Small helpers shared by the benchmarks: latency percentiles and a fixed-concurrency load loop. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface LoadResult {
  name: string;
  count: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Runs `task(worker)` in `concurrency` loops for `seconds`; every call is one timed operation. */
export async function runLoad(name: string, concurrency: number, seconds: number, task: (worker: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await task(worker);
          latencies.push(performance.now() - t0);
        } catch (e) {
          errors++;
          if (errors <= 3) console.error(`${name}: ${(e as Error).message}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { name, count: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export function formatResult(r: LoadResult, extra = ''): string {
  return `${r.name.padEnd(28)} ${r.perSecond.toFixed(1).padStart(8)}/s  p50 ${r.p50.toFixed(1).padStart(7)} ms  p99 ${r.p99.toFixed(1).padStart(7)} ms  n=${r.count} errors=${r.errors}${extra}`;
}

/**
 * CPU time of one thread in ms (Linux /proc schedstat: nanoseconds on CPU). `thread` defaults to the
 * main thread of this process (its thread id is the pid); the crypto worker threads are not in it.
 */
export function threadCpuMs(pid: number = process.pid, thread: number = pid): number {
  const text = readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8');
  return Number(text.split(' ')[0]) / 1e6;
}
