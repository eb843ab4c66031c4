// The kernel benchmark's results as data: the record the page returns and `lab bench` writes, plus the pure
// helpers both sides share (median, GFLOP/s, error against a reference, the printed table, the parser that
// checks what came back from the page). No browser or GPU code here, so it is unit-tested in Node.

import type { AdapterReport } from '../src/gpu/adapter-report.ts';

/** The four implementations every shape is timed on. */
export const KERNEL_PATHS = ['ours', 'ortWebgpu', 'tfjsWebgpu', 'ortWasm'] as const;
export type KernelPath = (typeof KERNEL_PATHS)[number];

/** Short column labels for the table. */
export const PATH_LABELS: Readonly<Record<KernelPath, string>> = {
  ours: 'ours',
  ortWebgpu: 'ort-webgpu',
  tfjsWebgpu: 'tfjs-webgpu',
  ortWasm: 'ort-wasm(2t)',
};

/** How far one result is from the float64 CPU reference. */
export interface ErrorReport {
  /** Largest |got - ref| over all elements. */
  maxAbs: number;
  /** Largest |got - ref| / |ref| over elements whose |ref| is at least 1% of the largest |ref|. */
  maxRel: number;
  /** Whether every element passed |got - ref| <= atol + rtol * |ref|. */
  ok: boolean;
  /** Flat index of the element furthest outside the tolerance (or closest to it). */
  worstIndex: number;
}

/** One tiling of our generator, timed on one shape. */
export interface TilingTiming {
  /** e.g. '32x16/wg8x4/vec4': rows x cols of C per thread, threads per workgroup, load width. */
  tiling: string;
  /** Median ms of one dispatch plus the wait for the queue. */
  ms: number;
  gflops: number;
}

/** One shape's row of the benchmark. */
export interface KernelResult {
  op: 'matmul';
  /** Human name of the shape, e.g. 'square-512', 'model-like', 'policy-lm-head'. */
  name: string;
  /** [M, N, K] of C (M, N) = A (M, K) @ B (K, N). */
  shape: [number, number, number];
  /** Our best tiling's median (ms) in the rounds interleaved with the peers (the number compared). */
  oursMs: number;
  ortWebgpuMs: number;
  tfjsWebgpuMs: number;
  ortWasmMs: number;
  /** 2 M N K / oursMs. */
  oursGflops: number;
  ortWebgpuGflops: number;
  tfjsWebgpuGflops: number;
  ortWasmGflops: number;
  /** The tiling behind `oursMs`: the winner of the race. */
  oursTiling: string;
  /** The engine's current default tiling, and its median in the tiling race (back-to-back runs). */
  oursDefaultTiling: string;
  oursDefaultMs: number;
  /** The tiling the quick autotune chose for this adapter, and its median in the tiling race. */
  oursAutotunedTiling: string;
  oursAutotunedMs: number;
  /** The tiling race: every tiling timed in back-to-back runs, fastest first. */
  tilings: TilingTiming[];
  /** Correctness of each path against the CPU reference, checked before timing. */
  errors: Record<KernelPath, ErrorReport>;
}

/** What one quick autotune run found. */
export interface AutotuneReport {
  /** Shape [M, N, K] it tuned on. */
  shape: [number, number, number];
  /** The winner, in the `TilingTiming.tiling` notation. */
  chosen: string;
  /** Every candidate's quick median, fastest first. */
  candidates: TilingTiming[];
}

/** The whole `--suite kernels` report; the JSON `lab bench --json` writes. */
export interface KernelSuiteReport {
  adapter: AdapterReport;
  /** Warm-up runs before timing, and timed runs per median. */
  warmup: number;
  reps: number;
  /** Which onnxruntime-web build ran both ORT paths, and its wasm thread count. */
  ort: { bundle: string; wasmThreads: number; crossOriginIsolated: boolean };
  /** Tolerances of the correctness check: |got - ref| <= atol + rtol * |ref|. */
  tolerance: { atol: number; rtol: number };
  autotune: AutotuneReport;
  kernels: KernelResult[];
}

/** Median of a non-empty sample (mean of the two middle values for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of an empty sample');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** GFLOP/s of an M x N x K matmul (2 M N K flops) that took `ms` milliseconds. */
export function matmulGflops(m: number, n: number, k: number, ms: number): number {
  return (2 * m * n * k) / (ms * 1e6);
}

/** Compares `got` against the reference element by element (see ErrorReport). */
export function compareToReference(got: ArrayLike<number>, ref: ArrayLike<number>, atol: number, rtol: number): ErrorReport {
  if (got.length !== ref.length) throw new RangeError(`result has ${got.length} values, the reference ${ref.length}`);
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]));
  let maxAbs = 0, maxRel = 0, worst = -Infinity, worstIndex = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i];
    // NaN must fail: a NaN difference makes `d` NaN, which we turn into Infinity so it wins every max.
    const d = Number.isNaN(got[i]) ? Infinity : Math.abs(got[i] - r);
    maxAbs = Math.max(maxAbs, d);
    if (Math.abs(r) >= 0.01 * scale && r !== 0) maxRel = Math.max(maxRel, d / Math.abs(r));
    const excess = d / (atol + rtol * Math.abs(r));
    if (excess > worst) {
      worst = excess;
      worstIndex = i;
    }
  }
  return { maxAbs, maxRel, ok: worst <= 1, worstIndex };
}

/** Our time over a peer's: how many times faster ours is (above 1 means ours wins). */
export function speedup(oursMs: number, peerMs: number): number {
  return peerMs / oursMs;
}

function pad(s: string, width: number, right: boolean): string {
  return right ? s.padStart(width) : s.padEnd(width);
}

/** A fixed-width text table: one row per shape, ms and GFLOP/s per path, and our speed-up over each peer. */
export function formatKernelTable(report: Pick<KernelSuiteReport, 'kernels'>): string {
  const header = ['shape', 'M', 'N', 'K', ...KERNEL_PATHS.map((p) => `${PATH_LABELS[p]} ms`), 'ours GF/s', 'x ort-gpu', 'x tfjs-gpu', 'x ort-wasm', 'ours tiling', 'check'];
  const rows = report.kernels.map((r) => [
    r.name,
    String(r.shape[0]),
    String(r.shape[1]),
    String(r.shape[2]),
    ...KERNEL_PATHS.map((p) => r[`${p}Ms`].toFixed(2)),
    r.oursGflops.toFixed(2),
    speedup(r.oursMs, r.ortWebgpuMs).toFixed(2),
    speedup(r.oursMs, r.tfjsWebgpuMs).toFixed(2),
    speedup(r.oursMs, r.ortWasmMs).toFixed(2),
    r.oursTiling,
    KERNEL_PATHS.every((p) => r.errors[p].ok) ? 'ok' : `FAIL(${KERNEL_PATHS.filter((p) => !r.errors[p].ok).join(',')})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const numeric = header.map((_, i) => i >= 1 && i < header.length - 2);
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i], numeric[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The paths that failed their correctness check, as 'name: path (maxAbs ...)' lines. */
export function correctnessFailures(report: Pick<KernelSuiteReport, 'kernels'>): string[] {
  const out: string[] = [];
  for (const r of report.kernels) {
    for (const p of KERNEL_PATHS) {
      const e = r.errors[p];
      if (!e.ok) out.push(`${r.name} [${r.shape.join('x')}]: ${p} maxAbs ${e.maxAbs.toExponential(2)} maxRel ${e.maxRel.toExponential(2)} at ${e.worstIndex}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing what the page sent back: it crossed a process boundary, so every field is checked before use.

function fail(field: string, why: string): never {
  throw new Error(`bench page result: ${field} ${why}`);
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(field, 'is not an object');
  return v as Record<string, unknown>;
}

function num(v: unknown, field: string, positive = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, `is not a finite number (${String(v)})`);
  if (positive && v <= 0) fail(field, `must be > 0, got ${v}`);
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') fail(field, 'is not a string');
  return v;
}

function shape3(v: unknown, field: string): [number, number, number] {
  if (!Array.isArray(v) || v.length !== 3) fail(field, 'is not [M, N, K]');
  return v.map((x, i) => {
    const n = num(x, `${field}[${i}]`, true);
    if (!Number.isInteger(n)) fail(`${field}[${i}]`, `is not an integer (${n})`);
    return n;
  }) as [number, number, number];
}

function restoreError(v: unknown, field: string): ErrorReport {
  const o = obj(v, field);
  // maxAbs may be Infinity for a NaN result; JSON turns that into null, which we read back as Infinity.
  const big = (x: unknown, f: string) => (x === null ? Infinity : num(x, f));
  if (typeof o.ok !== 'boolean') fail(`${field}.ok`, 'is not a boolean');
  return { maxAbs: big(o.maxAbs, `${field}.maxAbs`), maxRel: big(o.maxRel, `${field}.maxRel`), ok: o.ok, worstIndex: num(o.worstIndex, `${field}.worstIndex`) };
}

function restoreTimings(v: unknown, field: string): TilingTiming[] {
  if (!Array.isArray(v)) fail(field, 'is not an array');
  return v.map((t, i) => {
    const o = obj(t, `${field}[${i}]`);
    return { tiling: str(o.tiling, `${field}[${i}].tiling`), ms: num(o.ms, `${field}[${i}].ms`, true), gflops: num(o.gflops, `${field}[${i}].gflops`) };
  });
}

/** Checks a report that came from the page; throws naming the first bad field. */
export function restoreKernelSuiteReport(raw: unknown): KernelSuiteReport {
  const o = obj(raw, 'report');
  const adapter = obj(o.adapter, 'adapter') as unknown as AdapterReport;
  str(adapter.vendor, 'adapter.vendor');
  const ort = obj(o.ort, 'ort');
  const tol = obj(o.tolerance, 'tolerance');
  const auto = obj(o.autotune, 'autotune');
  if (!Array.isArray(o.kernels) || o.kernels.length === 0) fail('kernels', 'is not a non-empty array');
  const kernels = o.kernels.map((k, i): KernelResult => {
    const f = `kernels[${i}]`;
    const r = obj(k, f);
    if (r.op !== 'matmul') fail(`${f}.op`, `is not 'matmul' (${String(r.op)})`);
    const errors = obj(r.errors, `${f}.errors`);
    return {
      op: 'matmul',
      name: str(r.name, `${f}.name`),
      shape: shape3(r.shape, `${f}.shape`),
      oursMs: num(r.oursMs, `${f}.oursMs`, true),
      ortWebgpuMs: num(r.ortWebgpuMs, `${f}.ortWebgpuMs`, true),
      tfjsWebgpuMs: num(r.tfjsWebgpuMs, `${f}.tfjsWebgpuMs`, true),
      ortWasmMs: num(r.ortWasmMs, `${f}.ortWasmMs`, true),
      oursGflops: num(r.oursGflops, `${f}.oursGflops`),
      ortWebgpuGflops: num(r.ortWebgpuGflops, `${f}.ortWebgpuGflops`),
      tfjsWebgpuGflops: num(r.tfjsWebgpuGflops, `${f}.tfjsWebgpuGflops`),
      ortWasmGflops: num(r.ortWasmGflops, `${f}.ortWasmGflops`),
      oursTiling: str(r.oursTiling, `${f}.oursTiling`),
      oursDefaultTiling: str(r.oursDefaultTiling, `${f}.oursDefaultTiling`),
      oursDefaultMs: num(r.oursDefaultMs, `${f}.oursDefaultMs`, true),
      oursAutotunedTiling: str(r.oursAutotunedTiling, `${f}.oursAutotunedTiling`),
      oursAutotunedMs: num(r.oursAutotunedMs, `${f}.oursAutotunedMs`, true),
      tilings: restoreTimings(r.tilings, `${f}.tilings`),
      errors: Object.fromEntries(KERNEL_PATHS.map((p) => [p, restoreError(errors[p], `${f}.errors.${p}`)])) as Record<KernelPath, ErrorReport>,
    };
  });
  if (typeof ort.crossOriginIsolated !== 'boolean') fail('ort.crossOriginIsolated', 'is not a boolean');
  return {
    adapter,
    warmup: num(o.warmup, 'warmup'),
    reps: num(o.reps, 'reps', true),
    ort: { bundle: str(ort.bundle, 'ort.bundle'), wasmThreads: num(ort.wasmThreads, 'ort.wasmThreads'), crossOriginIsolated: ort.crossOriginIsolated },
    tolerance: { atol: num(tol.atol, 'tolerance.atol'), rtol: num(tol.rtol, 'tolerance.rtol') },
    autotune: { shape: shape3(auto.shape, 'autotune.shape'), chosen: str(auto.chosen, 'autotune.chosen'), candidates: restoreTimings(auto.candidates, 'autotune.candidates') },
    kernels,
  };
}
