// The model benchmark's results as data: options the CLI passes to the page, the report the page returns and
// `lab bench --suite model --json` writes, the parser that checks what came back, and the printed table.
// No browser or GPU code here, so it is unit-tested in Node.

import type { AdapterReport } from '../src/gpu/adapter-report.ts';
import { MODEL_PRESETS, type PresetName } from '../src/model/config.ts';

/** What the CLI may set for `--suite model`. */
export interface ModelSuiteOptions {
  /** Model preset; 'tiny' by default. */
  preset?: PresetName;
  /** Timed runs per median; typical 7. */
  reps?: number;
  /** Untimed runs first; typical 2. */
  warmup?: number;
}

/** Defaults of the model suite (every field commented). */
export const DEFAULT_MODEL_SUITE = {
  /** Model preset; tiny (about 2M parameters) runs in seconds on SwiftShader. */
  preset: 'tiny' as PresetName,
  /** Rows of the forward pass (a GRPO group); 8. */
  batch: 8,
  /** Prompt tokens per row (the text after the image prefix); 96, clamped to what maxSeqLen leaves. */
  promptTokens: 96,
  /** New tokens per completion at the two generation lengths (cost should double, not quadruple); 32 and 64. */
  generateLengths: [32, 64] as [number, number],
  /** Completions sampled at once from one prompt (G); 8. */
  group: 8,
  /** Untimed rounds before timing; 1 (a forward takes seconds on SwiftShader, so one warms every pipeline). */
  warmup: 1,
  /** Timed rounds per median; 3 on SwiftShader (about 3 minutes for tiny), 7 or more on a real GPU. */
  reps: 3,
  /** onnxruntime-web wasm threads; 2 (needs crossOriginIsolated). */
  wasmThreads: 2,
  /** Where the pretrained default checkpoint would be served from; used when present. */
  checkpointUrl: '/models/anatomysynth-tiny.safetensors',
  /** Seed of the random weights, images and prompt ids. */
  seed: 1234,
};

/** One generation length. */
export interface GenerateTiming {
  /** New tokens per completion (no stop token: every row runs the full length). */
  newTokens: number;
  /** Wall time of the whole generate call (prefill included), median. */
  ms: number;
  /** group * newTokens / seconds. */
  tokensPerSecond: number;
  /** ms / newTokens: flat when the KV cache makes each step cost the same. */
  msPerToken: number;
}

export interface ModelSuiteReport {
  adapter: AdapterReport;
  preset: PresetName;
  /** Where the weights came from: 'random (seed N)' or the checkpoint URL. */
  weights: string;
  parameters: number;
  warmup: number;
  reps: number;
  ort: { bundle: string; wasmThreads: number; crossOriginIsolated: boolean };
  forward: {
    /** Rows and text tokens of the timed forward (plus the image prefix). */
    batch: number;
    textTokens: number;
    imageTokens: number;
    /** Median ms of one full forward (inputs uploaded, logits left on the device, queue awaited). */
    oursMs: number;
    ortWebgpuMs: number;
    ortWasmMs: number;
    /** ortWebgpuMs / oursMs and ortWasmMs / oursMs (> 1: ours is faster). */
    speedupVsOrtWebgpu: number;
    speedupVsOrtWasm: number;
    /** Largest |ours - ort| over all logits, worst of both EPs, and per EP. */
    maxAbsDiff: number;
    maxAbsDiffWebgpu: number;
    maxAbsDiffWasm: number;
    /** ONNX model size in bytes. */
    onnxBytes: number;
  };
  generate: {
    /** Completions sampled together from one prompt. */
    group: number;
    /** tokens/s at the longer length (the headline number). */
    tokensPerSecond: number;
    lengths: GenerateTiming[];
    /** msPerToken(long) / msPerToken(short): about 1 with a KV cache, about 2 without. */
    perTokenCostRatio: number;
  };
}

function num(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`model bench report: field '${path}' must be a finite number, got ${JSON.stringify(x)}`);
  return x;
}

function obj(x: unknown, path: string): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Error(`model bench report: field '${path}' must be an object`);
  return x as Record<string, unknown>;
}

/** Checks what the page returned (numbers finite, every field present); throws naming the field. */
export function restoreModelSuiteReport(untrusted: unknown): ModelSuiteReport {
  const r = obj(untrusted, '(root)');
  const f = obj(r.forward, 'forward');
  const g = obj(r.generate, 'generate');
  for (const k of ['oursMs', 'ortWebgpuMs', 'ortWasmMs', 'maxAbsDiff', 'maxAbsDiffWebgpu', 'maxAbsDiffWasm', 'speedupVsOrtWebgpu', 'speedupVsOrtWasm']) num(f[k], `forward.${k}`);
  num(g.tokensPerSecond, 'generate.tokensPerSecond');
  num(g.perTokenCostRatio, 'generate.perTokenCostRatio');
  if (!Array.isArray(g.lengths) || g.lengths.length === 0) throw new Error("model bench report: field 'generate.lengths' must be a non-empty array");
  g.lengths.forEach((l, i) => {
    const o = obj(l, `generate.lengths[${i}]`);
    for (const k of ['newTokens', 'ms', 'tokensPerSecond', 'msPerToken']) num(o[k], `generate.lengths[${i}].${k}`);
  });
  if (typeof r.preset !== 'string' || !(r.preset in MODEL_PRESETS)) throw new Error(`model bench report: field 'preset' must be a preset name, got ${JSON.stringify(r.preset)}`);
  obj(r.adapter, 'adapter');
  return untrusted as ModelSuiteReport;
}

/** Logits agree within this (the bar for the exported model). */
export const MODEL_TOLERANCE = 1e-3;

/** Failed agreement checks, as lines (empty when all passed). */
export function modelCorrectnessFailures(report: ModelSuiteReport): string[] {
  const out: string[] = [];
  const f = report.forward;
  if (!(f.maxAbsDiffWebgpu <= MODEL_TOLERANCE)) out.push(`ORT WebGPU logits differ from ours by ${f.maxAbsDiffWebgpu} (> ${MODEL_TOLERANCE})`);
  if (!(f.maxAbsDiffWasm <= MODEL_TOLERANCE)) out.push(`ORT wasm logits differ from ours by ${f.maxAbsDiffWasm} (> ${MODEL_TOLERANCE})`);
  return out;
}

/** The printed table. */
export function formatModelTable(report: ModelSuiteReport): string {
  const f = report.forward, g = report.generate;
  const lines = [
    `model bench: preset ${report.preset} (${report.parameters.toLocaleString('en-US')} parameters, ${report.weights}), adapter ${report.adapter.vendor} ${report.adapter.architecture}`,
    `forward, batch ${f.batch} x (${f.imageTokens} image + ${f.textTokens} text tokens):`,
    `  ours         ${f.oursMs.toFixed(2).padStart(9)} ms`,
    `  ort-webgpu   ${f.ortWebgpuMs.toFixed(2).padStart(9)} ms   ours is ${f.speedupVsOrtWebgpu.toFixed(2)}x faster   max |diff| ${f.maxAbsDiffWebgpu.toExponential(2)}`,
    `  ort-wasm(${report.ort.wasmThreads}t) ${f.ortWasmMs.toFixed(2).padStart(9)} ms   ours is ${f.speedupVsOrtWasm.toFixed(2)}x faster   max |diff| ${f.maxAbsDiffWasm.toExponential(2)}`,
    `generate, group of ${g.group} with the KV cache:`,
    ...g.lengths.map((l) => `  ${String(l.newTokens).padStart(4)} new tokens ${l.ms.toFixed(1).padStart(9)} ms   ${l.tokensPerSecond.toFixed(1).padStart(8)} tokens/s   ${l.msPerToken.toFixed(2)} ms per step`),
    `  per-step cost ratio long/short ${g.perTokenCostRatio.toFixed(2)} (about 1 = linear total cost)`,
  ];
  return lines.join('\n');
}

/** The one-line summary the CLI prints last. */
export function modelBenchSummary(report: ModelSuiteReport): string {
  const f = report.forward;
  return `preset ${report.preset}: forward ours ${f.oursMs.toFixed(2)} ms, ${f.speedupVsOrtWebgpu.toFixed(2)}x ort-webgpu, ${f.speedupVsOrtWasm.toFixed(2)}x ort-wasm(${report.ort.wasmThreads}t); generate ${report.generate.tokensPerSecond.toFixed(1)} tokens/s (group ${report.generate.group})`;
}
