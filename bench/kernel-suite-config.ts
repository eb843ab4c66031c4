// What `lab bench --suite kernels` measures: the shapes, the tilings of our generator that compete, and how
// many runs make a median. Plain data, shared by the page (which runs it) and the CLI (which sets reps).

import { defaultMatmulTiling, type MatmulTiling } from '../src/gpu/kernels/matmul.ts';

/** One benchmarked shape: C (M, N) = A (M, K) @ B (K, N). */
export interface KernelShape {
  /** Row label, e.g. 'square-512'. */
  name: string;
  m: number;
  n: number;
  k: number;
}

export interface KernelSuiteConfig {
  /** Shapes to time, in table order. */
  shapes: KernelShape[];
  /** Tilings of our generator raced on every shape (the default tiling is always added); typical 4-8. */
  tilings: MatmulTiling[];
  /** Untimed runs before each median (pipeline warm-up, allocator steady state); typical 2. */
  warmup: number;
  /** Timed runs per median; typical 7 (SwiftShader) to 30 (a real GPU). */
  reps: number;
  /** Untimed runs of a path right before each of its timed runs in the interleaved rounds; typical 1. */
  settleRuns: number;
  /** Timed runs per candidate in the quick autotune; typical 3. */
  autotuneReps: number;
  /** Index into `shapes` of the shape the quick autotune runs on; the model-like shape by default. */
  autotuneShape: number;
  /** Correctness tolerance |got - ref| <= atol + rtol |ref| against the float64 CPU reference; 1e-3 each. */
  atol: number;
  rtol: number;
  /** Threads of onnxruntime-web's wasm EP; 2 (needs crossOriginIsolated). */
  wasmThreads: number;
  /** Seed of the random operands (uniform in [-1, 1)); any integer. */
  seed: number;
}

// Policy-like shapes: G = 8 completions of 80 tokens each go through the decoder as M = 640 rows;
// width 128, MLP hidden 512, and an LM head over a vocabulary of 2048 (the tiny preset's size).
export const defaultKernelSuiteConfig: KernelSuiteConfig = {
  shapes: [
    { name: 'square-128', m: 128, n: 128, k: 128 },
    { name: 'square-256', m: 256, n: 256, k: 256 },
    { name: 'square-512', m: 512, n: 512, k: 512 },
    { name: 'model-like', m: 512, n: 1024, k: 256 },
    { name: 'policy-mlp-up', m: 640, n: 512, k: 128 },
    { name: 'policy-mlp-down', m: 640, n: 128, k: 512 },
    { name: 'policy-lm-head', m: 640, n: 2048, k: 128 },
  ],
  tilings: [
    { ...defaultMatmulTiling },
    { tm: 16, tn: 8, wgx: 8, wgy: 4 },
    { tm: 16, tn: 16, wgx: 8, wgy: 4 },
    { tm: 32, tn: 16, wgx: 8, wgy: 4 },
    { tm: 32, tn: 16, wgx: 4, wgy: 4 },
    { tm: 32, tn: 16, wgx: 2, wgy: 2 },
    { tm: 16, tn: 16, wgx: 2, wgy: 2 },
  ],
  warmup: 2,
  reps: 7,
  settleRuns: 1,
  autotuneReps: 3,
  autotuneShape: 3,
  atol: 1e-3,
  rtol: 1e-3,
  wasmThreads: 2,
  seed: 1234,
};

/** A tiling's label in reports: rows x cols of C per thread, the workgroup, and vec4 or scalar loads. */
export function tilingLabel(t: MatmulTiling, vec4: boolean): string {
  return `${t.tm}x${t.tn}/wg${t.wgx}x${t.wgy}/${vec4 ? 'vec4' : 'scalar'}`;
}
