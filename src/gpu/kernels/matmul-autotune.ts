// A short start-up autotune for the matmul tile: times each candidate tiling on the model's shapes on this
// adapter and keeps the fastest. The best tile differs per adapter (SwiftShader favours large per-thread
// tiles; discrete GPUs favour more threads), so the worker runs this once per adapter and caches the winner
// (gpu/matmul-tuning.ts).

import { GpuRunner, STORAGE_USAGE } from '../runner.ts';
import { matmulDispatch, matmulProgram, matmulVec4Ok, softwareMatmulTiling, defaultMatmulTiling, type MatmulTiling } from './matmul.ts';

/** Candidates worth trying on most adapters; compile time grows with tm * tn. Both table picks are in. */
export const matmulCandidates: MatmulTiling[] = [
  { tm: 4, tn: 4, wgx: 8, wgy: 8 },
  defaultMatmulTiling,
  { tm: 8, tn: 8, wgx: 4, wgy: 4 },
  { tm: 16, tn: 8, wgx: 4, wgy: 4 },
  { tm: 16, tn: 16, wgx: 4, wgy: 4 },
  { tm: 32, tn: 16, wgx: 4, wgy: 2 },
  softwareMatmulTiling,
];

export interface TuneResult {
  tiling: MatmulTiling;
  /** Median milliseconds per shape, in the order given. */
  medianMs: number[];
  /** Fastest run per shape: the ranking uses it because load from other processes only ever adds time. */
  minMs: number[];
  /** Sum of the per-shape minima (the ranking criterion). */
  totalMs: number;
  /** Largest |ours - reference| on a small check product; a candidate that is wrong here is never picked. */
  maxError: number;
}

/** A deterministic small matrix with entries in [-1, 1) (no RNG import: the values only need to differ). */
function checkMatrix(rows: number, cols: number, salt: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (((i * 2654435761 + salt * 40503) >>> 0) % 2000) / 1000 - 1;
  return out;
}

/** Runs one candidate on an odd-sized product and returns its largest error against a loop on the CPU. */
async function checkCandidate(runner: GpuRunner, tiling: MatmulTiling): Promise<number> {
  const m = 37, n = 44, k = 20;
  const a = checkMatrix(m, k, 1), b = checkMatrix(k, n, 2);
  const ga = runner.pool.acquire(a.byteLength, STORAGE_USAGE), gb = runner.pool.acquire(b.byteLength, STORAGE_USAGE);
  const gc = runner.pool.acquire(m * n * 4, STORAGE_USAGE);
  try {
    runner.write(ga, a);
    runner.write(gb, b);
    const program = matmulProgram({ ...tiling, transA: false, transB: false, vec4: matmulVec4Ok(m, n, k, false) });
    await runner.compile([program]);
    runner.dispatch(program, [ga, gb, gc], { m, n, k, strideA: 0, strideB: 0, strideC: 0 }, matmulDispatch(tiling, 1, m, n));
    const c = new Float32Array(await runner.read(gc, m * n * 4));
    let worst = 0;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
        worst = Math.max(worst, Math.abs(s - c[i * n + j]));
      }
    }
    return Number.isFinite(worst) ? worst : Infinity;
  } finally {
    [ga, gb, gc].forEach((x) => runner.pool.release(x));
  }
}

/**
 * Times every candidate on every [M, N, K] shape (no transposes) and returns all results, fastest first.
 * Candidates are timed round-robin (one run of each per round, after one warm-up of each) so that a burst of
 * load from elsewhere falls on all of them alike; each timed run includes one submission, as a training step
 * would. Candidates whose check product is wrong (error > 1e-3) sort last with totalMs = Infinity.
 */
export async function autotuneMatmul(
  runner: GpuRunner,
  shapes: readonly [number, number, number][],
  candidates: readonly MatmulTiling[] = matmulCandidates,
  repeats = 3,
): Promise<TuneResult[]> {
  const errors: number[] = [];
  for (const tiling of candidates) errors.push(await checkCandidate(runner, tiling));
  const times = candidates.map(() => shapes.map(() => [] as number[]));
  for (let s = 0; s < shapes.length; s++) {
    const [m, n, k] = shapes[s];
    const a = runner.pool.acquire(m * k * 4, STORAGE_USAGE), b = runner.pool.acquire(k * n * 4, STORAGE_USAGE);
    const c = runner.pool.acquire(m * n * 4, STORAGE_USAGE);
    try {
      const vec4 = matmulVec4Ok(m, n, k, false);
      const programs = candidates.map((t) => matmulProgram({ ...t, transA: false, transB: false, vec4 }));
      await runner.compile(programs);
      const run = (i: number) =>
        runner.dispatch(programs[i], [a, b, c], { m, n, k, strideA: 0, strideB: 0, strideC: 0 }, matmulDispatch(candidates[i], 1, m, n));
      for (let i = 0; i < candidates.length; i++) {
        run(i);
        await runner.finish();
      }
      for (let r = 0; r < repeats; r++) {
        for (let i = 0; i < candidates.length; i++) {
          const t0 = performance.now();
          run(i);
          await runner.finish();
          times[i][s].push(performance.now() - t0);
        }
      }
    } finally {
      [a, b, c].forEach((x) => runner.pool.release(x));
    }
  }
  const results = candidates.map((tiling, i): TuneResult => {
    const sorted = times[i].map((t) => [...t].sort((x, y) => x - y));
    const minMs = sorted.map((t) => t[0]);
    const ok = errors[i] <= 1e-3;
    return {
      tiling,
      medianMs: sorted.map((t) => t[Math.floor(t.length / 2)]),
      minMs,
      totalMs: ok ? minMs.reduce((x, y) => x + y, 0) : Infinity,
      maxError: errors[i],
    };
  });
  return results.sort((x, y) => x.totalMs - y.totalMs);
}
