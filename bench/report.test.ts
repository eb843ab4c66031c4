// The benchmark's pure parts: the median, GFLOP/s, the error check against a reference, the printed table,
// and the parser that guards what the page sends back. Nothing here is timed.
import { describe, expect, it } from 'vitest';
import {
  compareToReference,
  correctnessFailures,
  formatKernelTable,
  KERNEL_PATHS,
  matmulGflops,
  median,
  restoreKernelSuiteReport,
  speedup,
  type KernelResult,
  type KernelSuiteReport,
} from './report.ts';

const okError = { maxAbs: 1e-6, maxRel: 2e-6, ok: true, worstIndex: 3 };

function result(over: Partial<KernelResult> = {}): KernelResult {
  return {
    op: 'matmul',
    name: 'square-512',
    shape: [512, 512, 512],
    oursMs: 40,
    ortWebgpuMs: 400,
    tfjsWebgpuMs: 200,
    ortWasmMs: 10,
    oursGflops: matmulGflops(512, 512, 512, 40),
    ortWebgpuGflops: matmulGflops(512, 512, 512, 400),
    tfjsWebgpuGflops: matmulGflops(512, 512, 512, 200),
    ortWasmGflops: matmulGflops(512, 512, 512, 10),
    oursTiling: '32x16/wg4x4/vec4',
    oursDefaultTiling: '8x8/wg8x4/vec4',
    oursDefaultMs: 60,
    oursAutotunedTiling: '32x16/wg2x2/vec4',
    oursAutotunedMs: 42,
    tilings: [{ tiling: '32x16/wg4x4/vec4', ms: 40, gflops: 6.7 }],
    errors: { ours: okError, ortWebgpu: okError, tfjsWebgpu: okError, ortWasm: okError },
    ...over,
  };
}

function report(kernels: KernelResult[] = [result()]): KernelSuiteReport {
  return {
    adapter: {
      vendor: 'google',
      architecture: 'swiftshader',
      description: '',
      isFallbackAdapter: true,
      limits: { maxStorageBufferBindingSize: 1, maxBufferSize: 1, maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupStorageSize: 1, maxComputeWorkgroupSizeX: 256, maxStorageBuffersPerShaderStage: 8 },
      features: { 'shader-f16': false, subgroups: false, 'timestamp-query': false },
    },
    warmup: 2,
    reps: 7,
    ort: { bundle: 'onnxruntime-web/webgpu', wasmThreads: 2, crossOriginIsolated: true },
    tolerance: { atol: 1e-3, rtol: 1e-3 },
    autotune: { shape: [512, 1024, 256], chosen: '32x16/wg2x2/vec4', candidates: [{ tiling: '32x16/wg2x2/vec4', ms: 41, gflops: 6.5 }] },
    kernels,
  };
}

describe('median', () => {
  it('takes the middle of an odd sample and the mean of the middle two of an even one, unsorted input', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('ignores outliers and does not reorder the caller\'s array', () => {
    const s = [10, 11, 1000, 9, 10.5];
    expect(median(s)).toBe(10.5);
    expect(s).toEqual([10, 11, 1000, 9, 10.5]);
  });
  it('rejects an empty sample', () => {
    expect(() => median([])).toThrow(/empty/);
  });
});

describe('matmulGflops and speedup', () => {
  it('counts 2 M N K flops', () => {
    // 2 * 512^3 = 268,435,456 flops in 41.94304 ms is 6.4 GFLOP/s.
    expect(matmulGflops(512, 512, 512, 41.94304)).toBeCloseTo(6.4, 10);
    expect(matmulGflops(1, 1, 1, 1e-6)).toBeCloseTo(2, 10);
  });
  it('reads as "ours is x times faster"', () => {
    expect(speedup(40, 400)).toBe(10);
    expect(speedup(40, 20)).toBe(0.5);
  });
});

describe('compareToReference', () => {
  it('reports the worst absolute and relative error and passes within tolerance', () => {
    const e = compareToReference([1, 2.001, -3], [1, 2, -3], 1e-3, 1e-3);
    expect(e.maxAbs).toBeCloseTo(1e-3, 9);
    expect(e.maxRel).toBeCloseTo(5e-4, 9);
    expect(e.ok).toBe(true);
    expect(e.worstIndex).toBe(1);
  });
  it('fails just outside atol + rtol |ref| and names the element', () => {
    const e = compareToReference([0, 10.03], [0, 10], 1e-3, 1e-3);
    expect(e.ok).toBe(false);
    expect(e.worstIndex).toBe(1);
  });
  it('fails on NaN and on a length mismatch', () => {
    expect(compareToReference([NaN, 1], [0, 1], 1, 1).ok).toBe(false);
    expect(() => compareToReference([1], [1, 2], 1e-3, 1e-3)).toThrow(/1 values, the reference 2/);
  });
  it('leaves near-zero reference values out of the relative error', () => {
    const e = compareToReference([100, 1e-5], [100, 1e-9], 1e-3, 1e-3);
    expect(e.maxRel).toBe(0);
    expect(e.ok).toBe(true);
  });
});

describe('formatKernelTable', () => {
  it('prints a header, a rule and one aligned row per shape with ratios of ours over each peer', () => {
    const text = formatKernelTable(report([result(), result({ name: 'model-like', shape: [512, 1024, 256], oursMs: 50, ortWebgpuMs: 100 })]));
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^shape\s+M\s+N\s+K\s+ours ms\s+ort-webgpu ms\s+tfjs-webgpu ms\s+ort-wasm\(2t\) ms\s+ours GF\/s\s+x ort-gpu\s+x tfjs-gpu\s+x ort-wasm\s+ours tiling\s+check$/);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    // square-512: 400/40 = 10x ORT WebGPU, 200/40 = 5x tfjs, 10/40 = 0.25x wasm.
    expect(lines[2].split(/\s+/)).toEqual(['square-512', '512', '512', '512', '40.00', '400.00', '200.00', '10.00', '6.71', '10.00', '5.00', '0.25', '32x16/wg4x4/vec4', 'ok']);
    expect(lines[3].split(/\s+/).slice(0, 4)).toEqual(['model-like', '512', '1024', '256']);
    expect(lines[3].split(/\s+/)[9]).toBe('2.00');
    // Every row is as wide as the header once padded (columns line up).
    const width = (s: string) => s.indexOf('ours tiling');
    expect(lines[2].indexOf('32x16')).toBe(width(lines[0]));
  });
  it('marks a row whose check failed with the failing paths', () => {
    const bad = result({ errors: { ...result().errors, tfjsWebgpu: { maxAbs: 0.5, maxRel: 0.1, ok: false, worstIndex: 9 } } });
    expect(formatKernelTable(report([bad]))).toMatch(/FAIL\(tfjsWebgpu\)$/);
    expect(correctnessFailures(report([bad]))).toEqual(['square-512 [512x512x512]: tfjsWebgpu maxAbs 5.00e-1 maxRel 1.00e-1 at 9']);
    expect(correctnessFailures(report())).toEqual([]);
  });
});

describe('restoreKernelSuiteReport', () => {
  it('round-trips a report through JSON with the issue\'s fields', () => {
    const r = report();
    const back = restoreKernelSuiteReport(JSON.parse(JSON.stringify(r)));
    expect(back).toEqual(r);
    const k = back.kernels[0];
    for (const f of ['op', 'shape', 'oursMs', 'ortWebgpuMs', 'tfjsWebgpuMs', 'ortWasmMs', 'oursGflops'] as const) expect(k).toHaveProperty(f);
    expect(k.shape).toEqual([512, 512, 512]);
    expect(Object.keys(k.errors).sort()).toEqual([...KERNEL_PATHS].sort());
  });
  it('reads a NaN result (Infinity error, null in JSON) back as a failed check', () => {
    const r = report([result({ errors: { ...result().errors, ours: { maxAbs: Infinity, maxRel: 0, ok: false, worstIndex: 0 } } })]);
    const back = restoreKernelSuiteReport(JSON.parse(JSON.stringify(r)));
    expect(back.kernels[0].errors.ours.maxAbs).toBe(Infinity);
    expect(back.kernels[0].errors.ours.ok).toBe(false);
  });
  it('names the bad field', () => {
    const raw = JSON.parse(JSON.stringify(report()));
    raw.kernels[0].ortWebgpuMs = 'fast';
    expect(() => restoreKernelSuiteReport(raw)).toThrow(/kernels\[0\]\.ortWebgpuMs is not a finite number/);
    raw.kernels[0].ortWebgpuMs = 1;
    raw.kernels[0].shape = [512, 512];
    expect(() => restoreKernelSuiteReport(raw)).toThrow(/kernels\[0\]\.shape is not \[M, N, K\]/);
    expect(() => restoreKernelSuiteReport({ ...report(), kernels: [] })).toThrow(/kernels is not a non-empty array/);
    expect(() => restoreKernelSuiteReport(null)).toThrow(/report is not an object/);
  });
});
