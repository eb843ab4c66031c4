// `lab bench` argument handling and its summary line; the timed run itself is exercised by running the
// command (it needs headless Chromium), never by a timed test.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../command.ts';
import type { KernelResult, KernelSuiteReport } from '../../bench/report.ts';
import { benchOptions, benchSuite, benchSummary, modelBenchOptions } from './bench.ts';

describe('benchOptions', () => {
  it('defaults to the kernels suite with the config reps', () => {
    expect(benchOptions(parseArgs(['--suite', 'kernels']))).toEqual({ reps: 7, warmup: 2 });
    expect(benchOptions(parseArgs([]))).toEqual({ reps: 7, warmup: 2 });
  });
  it('takes --reps, --warmup and --shapes', () => {
    expect(benchOptions(parseArgs(['--suite', 'kernels', '--reps', '15', '--warmup=0', '--shapes', 'square-512, model-like']))).toEqual({
      reps: 15,
      warmup: 0,
      shapes: ['square-512', 'model-like'],
    });
  });
  it('rejects other suites, bad reps and unknown shapes as usage errors', () => {
    expect(() => benchOptions(parseArgs(['--suite', 'training']))).toThrow(UsageError);
    expect(() => benchOptions(parseArgs(['--suite', 'training']))).toThrow(/--suite must be one of kernels, model/);
    expect(() => benchOptions(parseArgs(['--reps', '0']))).toThrow(UsageError);
    expect(() => benchOptions(parseArgs(['--reps', 'many']))).toThrow(/--reps must be an integer/);
    expect(() => benchOptions(parseArgs(['--shapes', 'square-1000']))).toThrow(/--shapes takes names from square-128/);
  });
});

describe('benchSummary', () => {
  it('gives our speed-up over each peer at the two target shapes', () => {
    const ok = { maxAbs: 0, maxRel: 0, ok: true, worstIndex: 0 };
    const row = (name: string, shape: [number, number, number], oursMs: number, gf: number): KernelResult => ({
      op: 'matmul', name, shape, oursMs, ortWebgpuMs: 400, tfjsWebgpuMs: 300, ortWasmMs: 10, oursGflops: gf, ortWebgpuGflops: 0, tfjsWebgpuGflops: 0, ortWasmGflops: 0,
      oursTiling: 't', oursDefaultTiling: 't', oursDefaultMs: 1, oursAutotunedTiling: 't', oursAutotunedMs: 1, tilings: [],
      errors: { ours: ok, ortWebgpu: ok, tfjsWebgpu: ok, ortWasm: ok },
    });
    const report = {
      adapter: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true },
      autotune: { chosen: '32x16/wg2x2/vec4' },
      kernels: [row('square-128', [128, 128, 128], 2, 1), row('square-512', [512, 512, 512], 40, 6.71), row('model-like', [512, 1024, 256], 50, 5.37)],
    } as unknown as KernelSuiteReport;
    expect(benchSummary(report)).toBe(
      'adapter google swiftshader (fallback); autotune chose 32x16/wg2x2/vec4; ' +
        'square-512 ours 6.71 GFLOP/s, 10.0x ort-webgpu, 7.5x tfjs-webgpu, 0.25x ort-wasm; ' +
        'model-like ours 5.37 GFLOP/s, 8.0x ort-webgpu, 6.0x tfjs-webgpu, 0.20x ort-wasm',
    );
  });
});

describe('--suite model', () => {
  it('reads the suite, the preset, reps and warmup', () => {
    expect(benchSuite(parseArgs(['--suite', 'model']))).toBe('model');
    expect(benchSuite(parseArgs([]))).toBe('kernels');
    expect(modelBenchOptions(parseArgs(['--suite', 'model']))).toEqual({ preset: 'tiny', reps: 3, warmup: 1 });
    expect(modelBenchOptions(parseArgs(['--suite', 'model', '--preset', 'micro', '--reps', '9']))).toEqual({ preset: 'micro', reps: 9, warmup: 1 });
  });
  it('rejects an unknown preset as a usage error', () => {
    expect(() => modelBenchOptions(parseArgs(['--suite', 'model', '--preset', 'huge']))).toThrow(/--preset must be one of micro, tiny, small/);
  });
});
