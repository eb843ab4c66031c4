// `lab bench --suite kernels [--reps N] [--warmup N] [--shapes a,b] [--json f]`: times our matmul against
// onnxruntime-web (WebGPU and wasm EPs) and TensorFlow.js WebGPU in one headless Chromium page on one
// adapter, prints a table, and exits 1 when any path's result disagrees with the CPU reference.
// `lab bench --suite model [--preset tiny] [--reps N] [--warmup N] [--json f]`: the whole policy forward on
// our engine vs the exported ONNX model on onnxruntime-web (WebGPU, wasm), and KV-cache generation speed.
import { writeFileSync } from 'node:fs';
import { intOption, UsageError, type Command, type ParsedArgs, withUsage } from '../command.ts';
import { withBenchPage } from '../bench-harness.ts';
import { defaultKernelSuiteConfig } from '../../bench/kernel-suite-config.ts';
import type { KernelSuiteOptions } from '../../bench/kernel-suite.ts';
import { correctnessFailures, formatKernelTable, restoreKernelSuiteReport, speedup, type KernelSuiteReport } from '../../bench/report.ts';
import {
  DEFAULT_MODEL_SUITE, formatModelTable, modelBenchSummary, modelCorrectnessFailures, restoreModelSuiteReport, type ModelSuiteOptions,
} from '../../bench/model-suite-report.ts';
import { MODEL_PRESETS, type PresetName } from '../../src/model/config.ts';

const USAGE =
  'usage: bench --suite kernels [--reps N] [--warmup N] [--shapes a,b] [--json f] | bench --suite model [--preset micro|tiny|small] [--reps N] [--warmup N] [--json f]';

/** Suites `--suite` accepts: matmul kernels, or the whole policy (forward and generation). */
export const BENCH_SUITES = ['kernels', 'model'] as const;
export type BenchSuite = (typeof BENCH_SUITES)[number];

/** Which suite the command line asks for (kernels by default); UsageError on an unknown one. */
export function benchSuite(args: ParsedArgs): BenchSuite {
  const suite = args.options.get('suite') ?? 'kernels';
  if (!(BENCH_SUITES as readonly string[]).includes(suite)) {
    throw new UsageError(`--suite must be one of ${BENCH_SUITES.join(', ')}, got '${suite}'`);
  }
  return suite as BenchSuite;
}

/** The model suite's page options; UsageError on anything malformed. */
export function modelBenchOptions(args: ParsedArgs): ModelSuiteOptions {
  const preset = args.options.get('preset') ?? DEFAULT_MODEL_SUITE.preset;
  if (!(preset in MODEL_PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(MODEL_PRESETS).join(', ')}, got '${preset}'`);
  return {
    preset: preset as PresetName,
    reps: intOption(args, 'reps', DEFAULT_MODEL_SUITE.reps, 1, 1000),
    warmup: intOption(args, 'warmup', DEFAULT_MODEL_SUITE.warmup, 0, 100),
  };
}

/** The kernel suite's page options the command line asks for; UsageError on anything malformed. */
export function benchOptions(args: ParsedArgs): KernelSuiteOptions {
  const suite = benchSuite(args);
  if (suite !== 'kernels') throw new UsageError(`benchOptions reads the kernels suite's options, not '${suite}'`);
  const options: KernelSuiteOptions = {
    reps: intOption(args, 'reps', defaultKernelSuiteConfig.reps, 1, 1000),
    warmup: intOption(args, 'warmup', defaultKernelSuiteConfig.warmup, 0, 100),
  };
  const shapes = args.options.get('shapes');
  if (shapes !== undefined) {
    const names = shapes.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const known = defaultKernelSuiteConfig.shapes.map((s) => s.name);
    const unknown = names.filter((s) => !known.includes(s));
    if (names.length === 0 || unknown.length > 0) throw new UsageError(`--shapes takes names from ${known.join(', ')}; got '${shapes}'`);
    options.shapes = names;
  }
  return options;
}

/** The one-line summary: our speed-up over each GPU peer at the two target shapes (target: >= 5x). */
export function benchSummary(report: KernelSuiteReport): string {
  const a = report.adapter;
  const parts = ['square-512', 'model-like'].flatMap((name) => {
    const r = report.kernels.find((k) => k.name === name);
    if (!r) return [];
    return [`${name} ours ${r.oursGflops.toFixed(2)} GFLOP/s, ${speedup(r.oursMs, r.ortWebgpuMs).toFixed(1)}x ort-webgpu, ${speedup(r.oursMs, r.tfjsWebgpuMs).toFixed(1)}x tfjs-webgpu, ${speedup(r.oursMs, r.ortWasmMs).toFixed(2)}x ort-wasm`];
  });
  return [`adapter ${a.vendor} ${a.architecture}${a.isFallbackAdapter ? ' (fallback)' : ''}`, `autotune chose ${report.autotune.chosen}`, ...parts].join('; ');
}

export const bench: Command = withUsage(USAGE, async (args) => {
  const log = (line: string) => console.error(line);
  if (benchSuite(args) === 'model') return benchModel(args, log);
  const options = benchOptions(args);
  const raw = await withBenchPage((page) => page.evaluate((opts) => window.labBench!.runKernels(opts), options), log);
  const report = restoreKernelSuiteReport(raw);
  console.log(formatKernelTable(report));
  const failures = correctnessFailures(report);
  if (failures.length > 0) {
    // lab.ts writes --json only on success; a failed check is exactly when the numbers are worth keeping.
    const jsonPath = args.options.get('json');
    if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
    throw new Error(`correctness check failed:\n${failures.join('\n')}`);
  }
  return { json: report, message: benchSummary(report) };
});

async function benchModel(args: ParsedArgs, log: (line: string) => void) {
  const options = modelBenchOptions(args);
  const raw = await withBenchPage((page) => page.evaluate((opts) => window.labBench!.runModel(opts), options), log);
  const report = restoreModelSuiteReport(raw);
  console.log(formatModelTable(report));
  const failures = modelCorrectnessFailures(report);
  if (failures.length > 0) {
    const jsonPath = args.options.get('json');
    if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
    throw new Error(`correctness check failed:\n${failures.join('\n')}`);
  }
  return { json: report, message: modelBenchSummary(report) };
}
