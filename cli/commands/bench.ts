// `lab bench --suite kernels [--reps N] [--warmup N] [--shapes a,b] [--json f]`: times our matmul against
// onnxruntime-web (WebGPU and wasm EPs) and TensorFlow.js WebGPU in one headless Chromium page on one
// adapter, prints a table, and exits 1 when any path's result disagrees with the CPU reference.
import { writeFileSync } from 'node:fs';
import { intOption, UsageError, type Command, type ParsedArgs } from '../command.ts';
import { withBenchPage } from '../bench-harness.ts';
import { defaultKernelSuiteConfig } from '../../bench/kernel-suite-config.ts';
import type { KernelSuiteOptions } from '../../bench/kernel-suite.ts';
import { correctnessFailures, formatKernelTable, restoreKernelSuiteReport, speedup, type KernelSuiteReport } from '../../bench/report.ts';

/** Suites `--suite` accepts; 'model' (the whole policy step) comes later. */
export const BENCH_SUITES = ['kernels'] as const;

/** The page options the command line asks for; UsageError on anything malformed. */
export function benchOptions(args: ParsedArgs): KernelSuiteOptions {
  const suite = args.options.get('suite') ?? 'kernels';
  if (!(BENCH_SUITES as readonly string[]).includes(suite)) {
    throw new UsageError(`--suite must be one of ${BENCH_SUITES.join(', ')} (the model suite is not written yet), got '${suite}'`);
  }
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

export const bench: Command = async (args) => {
  const options = benchOptions(args);
  const log = (line: string) => console.error(line);
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
};
