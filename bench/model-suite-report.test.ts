// The model bench report's parser, agreement check and printed lines, in Node (the timed run needs Chromium).
import { describe, expect, it } from 'vitest';
import { formatModelTable, modelBenchSummary, modelCorrectnessFailures, restoreModelSuiteReport, type ModelSuiteReport } from './model-suite-report.ts';

function report(over: Partial<ModelSuiteReport['forward']> = {}): ModelSuiteReport {
  return {
    adapter: { vendor: 'google', architecture: 'swiftshader' } as ModelSuiteReport['adapter'],
    preset: 'tiny', weights: 'random (seed 1234)', parameters: 2_000_000, warmup: 2, reps: 7,
    ort: { bundle: 'onnxruntime-web/webgpu', wasmThreads: 2, crossOriginIsolated: true },
    forward: {
      batch: 8, textTokens: 96, imageTokens: 64, oursMs: 10, ortWebgpuMs: 40, ortWasmMs: 20, speedupVsOrtWebgpu: 4, speedupVsOrtWasm: 2,
      maxAbsDiff: 2e-5, maxAbsDiffWebgpu: 2e-5, maxAbsDiffWasm: 1e-5, onnxBytes: 8_000_000, ...over,
    },
    generate: {
      group: 8, tokensPerSecond: 100, perTokenCostRatio: 1.05,
      lengths: [{ newTokens: 32, ms: 2500, tokensPerSecond: 102.4, msPerToken: 78 }, { newTokens: 64, ms: 5120, tokensPerSecond: 100, msPerToken: 80 }],
    },
  };
}

describe('model bench report', () => {
  it('round-trips through restore and prints the ratios', () => {
    const r = restoreModelSuiteReport(JSON.parse(JSON.stringify(report())));
    expect(modelCorrectnessFailures(r)).toEqual([]);
    expect(formatModelTable(r)).toContain('ours is 4.00x faster');
    expect(modelBenchSummary(r)).toBe('preset tiny: forward ours 10.00 ms, 4.00x ort-webgpu, 2.00x ort-wasm(2t); generate 100.0 tokens/s (group 8)');
  });
  it('names a missing or non-finite field', () => {
    const bad = JSON.parse(JSON.stringify(report())) as Record<string, Record<string, unknown>>;
    bad.forward.ortWasmMs = null;
    expect(() => restoreModelSuiteReport(bad)).toThrow(/forward\.ortWasmMs/);
  });
  it('fails the agreement check above 1e-3, NaN included', () => {
    expect(modelCorrectnessFailures(report({ maxAbsDiffWebgpu: 2e-3 }))).toHaveLength(1);
    expect(modelCorrectnessFailures(report({ maxAbsDiffWasm: NaN }))).toHaveLength(1);
  });
});
