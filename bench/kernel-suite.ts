// `--suite kernels` in the browser: for every shape, our matmul (several tilings of the generator, plus the
// quick autotune's pick), onnxruntime-web WebGPU, TensorFlow.js WebGPU and onnxruntime-web wasm (2 threads),
// all on one adapter in one page. Every path's result is checked against the float64 CPU reference before
// it is timed. Every GPU path keeps its operands resident and ends a timed run by awaiting its own device's
// queue.onSubmittedWorkDone(), so all three GPU numbers mean "one matmul, submitted and finished". Our
// tilings are raced first; then the best tiling and the three peers are timed in interleaved rounds.

import { describeAdapter } from '../src/gpu/adapter-report.ts';
import { defaultMatmulTiling, matmulVec4Ok, type MatmulTiling, type MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import { matmulForward } from '../src/tensor/cpu/matmul.ts';
import { defaultKernelSuiteConfig, tilingLabel, type KernelShape, type KernelSuiteConfig } from './kernel-suite-config.ts';
import { configureOrt, ORT_BUNDLE, OrtWasmMatmul, OrtWebgpuMatmul } from './ort-matmul.ts';
import { OurMatmulBench } from './ours-matmul.ts';
import {
  compareToReference,
  matmulGflops,
  median,
  type AutotuneReport,
  type ErrorReport,
  type KernelPath,
  type KernelResult,
  type KernelSuiteReport,
  type TilingTiming,
} from './report.ts';
import { TfjsWebgpuMatmul } from './tfjs-matmul.ts';
import { timeMedian } from './timing.ts';
import { lcgUniform } from '../src/test/lcg.ts';

const KERNEL_PEERS = ['ortWebgpu', 'tfjsWebgpu', 'ortWasm'] as const satisfies readonly KernelPath[];

/** What the CLI may override. */
export interface KernelSuiteOptions {
  reps?: number;
  warmup?: number;
  /** Only the shapes with these names (all when absent). */
  shapes?: string[];
}

function sameTiling(x: MatmulTiling, y: MatmulTiling): boolean {
  return x.tm === y.tm && x.tn === y.tn && x.wgx === y.wgx && x.wgy === y.wgy;
}

function variantFor(t: MatmulTiling, s: KernelShape): MatmulVariant {
  return { ...t, transA: false, transB: false, vec4: matmulVec4Ok(s.m, s.n, s.k, false) };
}

/** Times every tiling on one shape's operands; fastest first. */
async function raceTilings(ours: OurMatmulBench, shape: KernelShape, tilings: MatmulTiling[], warmup: number, reps: number): Promise<(TilingTiming & { t: MatmulTiling })[]> {
  const out: (TilingTiming & { t: MatmulTiling })[] = [];
  for (const t of tilings) {
    const v = variantFor(t, shape);
    await ours.prepare(v);
    const { ms } = await timeMedian(() => ours.run(v), warmup, reps);
    out.push({ t, tiling: tilingLabel(t, v.vec4), ms, gflops: matmulGflops(shape.m, shape.n, shape.k, ms) });
  }
  return out.sort((x, y) => x.ms - y.ms);
}

/** The quick autotune: a short race of the candidates on one shape, as the engine would run at start-up. */
async function autotune(device: GPUDevice, shape: KernelShape, config: KernelSuiteConfig): Promise<{ report: AutotuneReport; chosen: MatmulTiling }> {
  const ours = new OurMatmulBench(device, shape.m, shape.n, shape.k, lcgUniform(shape.m * shape.k, 1), lcgUniform(shape.k * shape.n, 2));
  try {
    const raced = await raceTilings(ours, shape, config.tilings, 1, config.autotuneReps);
    return {
      report: { shape: [shape.m, shape.n, shape.k], chosen: raced[0].tiling, candidates: raced.map(({ tiling, ms, gflops }) => ({ tiling, ms, gflops })) },
      chosen: raced[0].t,
    };
  } finally {
    ours.destroy();
  }
}

/** Largest error over several results of one path (ok only when all are). */
function worstOf(reports: ErrorReport[]): ErrorReport {
  return reports.reduce((w, r) => ({
    maxAbs: Math.max(w.maxAbs, r.maxAbs),
    maxRel: Math.max(w.maxRel, r.maxRel),
    ok: w.ok && r.ok,
    worstIndex: r.maxAbs > w.maxAbs ? r.worstIndex : w.worstIndex,
  }));
}

/** One implementation ready to run on one shape's operands. */
interface Peer {
  run(): Promise<void>;
  result(): Promise<Float32Array>;
  destroy(): void | Promise<void>;
}

async function benchShape(device: GPUDevice, shape: KernelShape, config: KernelSuiteConfig, tuned: MatmulTiling, log: (s: string) => void): Promise<KernelResult> {
  const { m, n, k } = shape;
  const a = lcgUniform(m * k, config.seed + m), b = lcgUniform(k * n, config.seed + 7 * n + k);
  const ref = new Float64Array(m * n);
  matmulForward(ref, a, b, { batch: 1, m, n, k, transA: false, transB: false, strideA: 0, strideB: 0 });
  const check = (got: Float32Array) => compareToReference(got, ref, config.atol, config.rtol);
  const errors: Partial<Record<KernelPath, ErrorReport>> = {};

  // Ours: the candidates plus the default and the autotuned tiling, each checked, then raced.
  const tilings = [...config.tilings];
  for (const extra of [defaultMatmulTiling, tuned]) if (!tilings.some((t) => sameTiling(t, extra))) tilings.push(extra);
  const ours = new OurMatmulBench(device, m, n, k, a, b);
  const peers: Partial<Record<KernelPath, Peer>> = {};
  try {
    const checks: ErrorReport[] = [];
    for (const t of tilings) {
      await ours.prepare(variantFor(t, shape));
      checks.push(check(await ours.result(variantFor(t, shape))));
    }
    errors.ours = worstOf(checks);
    const raced = await raceTilings(ours, shape, tilings, config.warmup, config.reps);
    const best = variantFor(raced[0].t, shape);
    log(`${shape.name}: tilings raced, best ${raced[0].tiling} ${raced[0].ms.toFixed(2)} ms`);

    const creators: [KernelPath, () => Promise<Peer>][] = [
      ['ortWebgpu', () => OrtWebgpuMatmul.create(m, n, k, a, b)],
      ['tfjsWebgpu', () => TfjsWebgpuMatmul.create(m, n, k, a, b)],
      ['ortWasm', () => OrtWasmMatmul.create(m, n, k, a, b)],
    ];
    for (const [path, create] of creators) {
      const peer = await create();
      peers[path] = peer;
      await peer.run(); // the first run compiles and allocates; keep it out of the check as well
      errors[path] = check(await peer.result());
    }

    // The four paths take turns, one timed run each per round, so load from anything else on the machine
    // (this CPU also runs SwiftShader) falls on all of them alike instead of on whichever path ran at that
    // moment. Each timed run follows untimed ones of the same path: the first run after another device's
    // work pays for waking SwiftShader's threads and refilling caches (measured here: 20-90 ms extra), a
    // cost a steady stream of kernels does not pay and that would weigh most on the fastest path.
    const runs: [KernelPath, () => Promise<void>][] = [['ours', () => ours.run(best)], ...KERNEL_PEERS.map((p): [KernelPath, () => Promise<void>] => [p, () => peers[p]!.run()])];
    const samples = Object.fromEntries(runs.map(([p]) => [p, [] as number[]])) as Record<KernelPath, number[]>;
    for (let round = 0; round < config.warmup + config.reps; round++) {
      for (const [path, run] of runs) {
        for (let i = 0; i < config.settleRuns; i++) await run();
        const t0 = performance.now();
        await run();
        if (round >= config.warmup) samples[path].push(performance.now() - t0);
      }
    }
    const ms = Object.fromEntries(runs.map(([p]) => [p, median(samples[p])])) as Record<KernelPath, number>;
    log(`${shape.name}: ${runs.map(([p]) => `${p} ${ms[p].toFixed(2)} ms`).join(', ')}`);

    const byLabel = (t: MatmulTiling) => raced.find((r) => sameTiling(r.t, t))!;
    const gf = (x: number) => matmulGflops(m, n, k, x);
    return {
      op: 'matmul',
      name: shape.name,
      shape: [m, n, k],
      oursMs: ms.ours,
      ortWebgpuMs: ms.ortWebgpu,
      tfjsWebgpuMs: ms.tfjsWebgpu,
      ortWasmMs: ms.ortWasm,
      oursGflops: gf(ms.ours),
      ortWebgpuGflops: gf(ms.ortWebgpu),
      tfjsWebgpuGflops: gf(ms.tfjsWebgpu),
      ortWasmGflops: gf(ms.ortWasm),
      oursTiling: raced[0].tiling,
      oursDefaultTiling: byLabel(defaultMatmulTiling).tiling,
      oursDefaultMs: byLabel(defaultMatmulTiling).ms,
      oursAutotunedTiling: byLabel(tuned).tiling,
      oursAutotunedMs: byLabel(tuned).ms,
      tilings: raced.map(({ tiling, ms: t, gflops }) => ({ tiling, ms: t, gflops })),
      errors: errors as Record<KernelPath, ErrorReport>,
    };
  } finally {
    ours.destroy();
    for (const peer of Object.values(peers)) await peer.destroy();
  }
}

/** Runs the whole suite; `log` receives one progress line per finished measurement. */
export async function runKernelSuite(options: KernelSuiteOptions = {}, log: (s: string) => void = () => {}): Promise<KernelSuiteReport> {
  const config: KernelSuiteConfig = {
    ...defaultKernelSuiteConfig,
    reps: options.reps ?? defaultKernelSuiteConfig.reps,
    warmup: options.warmup ?? defaultKernelSuiteConfig.warmup,
  };
  const shapes = options.shapes ? config.shapes.filter((s) => options.shapes!.includes(s.name)) : config.shapes;
  if (shapes.length === 0) throw new Error(`no shape matches ${JSON.stringify(options.shapes)}; known: ${config.shapes.map((s) => s.name).join(', ')}`);
  if (!navigator.gpu) throw new Error('navigator.gpu is missing: this browser has no WebGPU');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null');
  const device = await adapter.requestDevice();
  configureOrt(config.wasmThreads);

  const tuneShape = config.shapes[config.autotuneShape];
  const tuned = await autotune(device, tuneShape, config);
  log(`autotune on ${tuneShape.name}: ${tuned.report.chosen}`);

  const kernels: KernelResult[] = [];
  for (const shape of shapes) kernels.push(await benchShape(device, shape, config, tuned.chosen, log));
  device.destroy();
  return {
    adapter: describeAdapter(adapter),
    warmup: config.warmup,
    reps: config.reps,
    ort: { bundle: ORT_BUNDLE, wasmThreads: config.wasmThreads, crossOriginIsolated: globalThis.crossOriginIsolated === true },
    tolerance: { atol: config.atol, rtol: config.rtol },
    autotune: tuned.report,
    kernels,
  };
}
