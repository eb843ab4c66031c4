// Wall-clock timing of one asynchronous operation: warm-up runs first, then a median over timed runs.
// Each run must end only when its work is finished (the GPU paths await their queue), so the median is
// what a caller waiting on the result would see.

import { median } from './report.ts';

/** Runs `op` `warmup` times untimed, then `reps` times timed; returns the median in ms and every sample. */
export async function timeMedian(op: () => Promise<void>, warmup: number, reps: number): Promise<{ ms: number; samples: number[] }> {
  for (let i = 0; i < warmup; i++) await op();
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await op();
    samples.push(performance.now() - t0);
  }
  return { ms: median(samples), samples };
}
