// A short start-up autotune for the matmul tile: times each candidate tiling on the model's shapes on this
// adapter and keeps the fastest. The best tile differs per adapter (SwiftShader favours large per-thread
// tiles; discrete GPUs favour more threads), so the worker runs this once and caches the winner.

import { GpuRunner, STORAGE_USAGE } from '../runner.ts';
import { matmulDispatch, matmulProgram, matmulVec4Ok, type MatmulTiling } from './matmul.ts';

/** Candidates worth trying on most adapters; compile time grows with tm * tn. */
export const matmulCandidates: MatmulTiling[] = [
  { tm: 4, tn: 4, wgx: 8, wgy: 8 },
  { tm: 8, tn: 8, wgx: 8, wgy: 4 },
  { tm: 8, tn: 8, wgx: 4, wgy: 4 },
  { tm: 16, tn: 8, wgx: 4, wgy: 4 },
  { tm: 16, tn: 16, wgx: 4, wgy: 4 },
  { tm: 32, tn: 16, wgx: 4, wgy: 2 },
];

export interface TuneResult {
  tiling: MatmulTiling;
  /** Median milliseconds per shape, in the order given. */
  medianMs: number[];
  /** Sum of the medians (the ranking criterion). */
  totalMs: number;
}

/**
 * Times every candidate on every [M, N, K] shape (no transposes) with `repeats` runs after one warm-up and
 * returns all results, fastest first. Each timed run includes one submission, as a training step would.
 */
export async function autotuneMatmul(
  runner: GpuRunner,
  shapes: readonly [number, number, number][],
  candidates: readonly MatmulTiling[] = matmulCandidates,
  repeats = 3,
): Promise<TuneResult[]> {
  const results: TuneResult[] = [];
  for (const tiling of candidates) {
    const medianMs: number[] = [];
    for (const [m, n, k] of shapes) {
      const a = runner.pool.acquire(m * k * 4, STORAGE_USAGE), b = runner.pool.acquire(k * n * 4, STORAGE_USAGE);
      const c = runner.pool.acquire(m * n * 4, STORAGE_USAGE);
      const program = matmulProgram({ ...tiling, transA: false, transB: false, vec4: matmulVec4Ok(m, n, k, false) });
      await runner.compile([program]);
      const run = () => runner.dispatch(program, [a, b, c], { m, n, k, strideA: 0, strideB: 0, strideC: 0 }, matmulDispatch(tiling, 1, m, n));
      run();
      await runner.finish();
      const times: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        run();
        await runner.finish();
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      medianMs.push(times[Math.floor(times.length / 2)]);
      [a, b, c].forEach((x) => runner.pool.release(x));
    }
    results.push({ tiling, medianMs, totalMs: medianMs.reduce((s, x) => s + x, 0) });
  }
  return results.sort((x, y) => x.totalMs - y.totalMs);
}
