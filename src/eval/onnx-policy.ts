// An EvalPolicy over an exported ONNX policy (model/onnx/policy-export.ts) run by onnxruntime-web, on its
// WebGPU or wasm EP. The export has no KV cache, so generation re-runs the full forward per new token (cost
// grows with the square of the length: fine for evaluation, which is why training uses our engine).
// ORT keeps its own GPUDevice; nothing here touches the engine's device, and dispose() releases only the session.

import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import type { VqaRecord } from '../data/record.ts';
import { maxTextTokens, numImageTokens, type ModelConfig } from '../model/config.ts';
import { POLICY_ONNX_IO } from '../model/onnx/policy-export.ts';
import { hash3, uniformAt } from '../model/policy/prng.ts';
import { logSoftmaxAt, sampleToken, type SamplingConfig } from '../model/policy/sampling.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import type { EvalPolicy, EvalPrompt, GenerateOptions, Generation } from './policy.ts';

/** The parts of the onnxruntime-web module this adapter uses (either 'onnxruntime-web' or its '/webgpu' build). */
export interface OrtModule {
  InferenceSession: { create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: readonly number[]) => OrtTensor;
}

export interface OnnxEvalPolicyOptions {
  /** 'webgpu' (ORT's own GPUDevice) or 'wasm' (CPU). */
  executionProvider: 'webgpu' | 'wasm';
  /** The tokenizer the model was trained with (the checkpoint's). */
  tokenizer: Tokenizer;
  /** The model's config: image size, vocabulary, maxSeqLen. */
  config: ModelConfig;
  /** Pixels of a record's image at config.imageSize, (H, W, C) in [-1, 1] as the trainer feeds them; default grey (0). */
  pixels?: (record: VqaRecord) => Float32Array | null;
  /** Prompt ids of a prompt; default `<image>` + the prompt text (the trainer's template). */
  promptIds?: (prompt: EvalPrompt) => number[];
  /** Shown in reports; default 'onnx:<executionProvider>'. */
  name?: string;
  /** The ORT module to use; default imports 'onnxruntime-web/webgpu' for webgpu and 'onnxruntime-web' for wasm. */
  ort?: OrtModule;
  /** Sampling knobs beyond GenerateOptions (top-k); default 0 (off). */
  topK?: number;
}

/** An EvalPolicy that also lets go of its ORT session, and exposes the raw forward for tests and the UI. */
export interface OnnxEvalPolicy extends EvalPolicy {
  /** Text logits (B, T, V) for rows of [left pads | ids]; `images` (B, H, W, C). */
  forward(images: Float32Array, rows: readonly (readonly number[])[]): Promise<{ logits: Float32Array; width: number }>;
  /** Generation with every sampling knob (the Model panel's try-it box). */
  generateIds(images: Float32Array, prompts: readonly (readonly number[])[], options: OnnxGenerateOptions): Promise<{ tokens: number[]; logprobs: number[] }[]>;
  /** Releases the ORT session (never the engine's GPU device). */
  dispose(): Promise<void>;
}

export interface OnnxGenerateOptions extends SamplingConfig {
  maxNewTokens: number;
  seed: number;
  /** Ids that end a completion (kept as its last token); default `</answer>` and `<eos>`. */
  stopTokens?: readonly number[];
}

export async function createOnnxEvalPolicy(modelBytes: Uint8Array, options: OnnxEvalPolicyOptions): Promise<OnnxEvalPolicy> {
  const { config, tokenizer, executionProvider } = options;
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new Error(`ONNX policy: the tokenizer has ${tokenizer.vocabSize} tokens, the model config ${config.vocabSize}`);
  }
  const ort: OrtModule = options.ort ?? (executionProvider === 'webgpu'
    ? ((await import('onnxruntime-web/webgpu')) as unknown as OrtModule)
    : ((await import('onnxruntime-web')) as unknown as OrtModule));
  const session = await ort.InferenceSession.create(modelBytes, { executionProviders: [executionProvider], graphOptimizationLevel: 'all' });
  const V = config.vocabSize, N = numImageTokens(config), pixelCount = config.imageSize * config.imageSize * config.imageChannels;
  const defaultStops = [tokenizer.answerEndId, tokenizer.eosId];
  let released = false;

  const forward = async (images: Float32Array, rows: readonly (readonly number[])[]) => {
    if (released) throw new Error('ONNX policy: used after dispose()');
    const B = rows.length, T = Math.max(...rows.map((r) => r.length));
    if (images.length !== B * pixelCount) throw new Error(`ONNX policy: ${images.length} pixel values for ${B} rows of ${pixelCount}`);
    if (N + T > config.maxSeqLen) throw new Error(`ONNX policy: ${N} image + ${T} text tokens exceed maxSeqLen ${config.maxSeqLen}`);
    const ids = new BigInt64Array(B * T), mask = new BigInt64Array(B * T);
    rows.forEach((r, b) => {
      const pad = T - r.length;
      r.forEach((id, j) => {
        ids[b * T + pad + j] = BigInt(id);
        mask[b * T + pad + j] = 1n;
      });
    });
    const feeds = {
      [POLICY_ONNX_IO.image]: new ort.Tensor('float32', images, [B, config.imageSize, config.imageSize, config.imageChannels]),
      [POLICY_ONNX_IO.inputIds]: new ort.Tensor('int64', ids, [B, T]),
      [POLICY_ONNX_IO.attentionMask]: new ort.Tensor('int64', mask, [B, T]),
    };
    const out = await session.run(feeds);
    const logits = out[POLICY_ONNX_IO.logits];
    const data = (await logits.getData()) as Float32Array;
    logits.dispose();
    return { logits: data, width: T };
  };

  const generateIds: OnnxEvalPolicy['generateIds'] = async (images, prompts, o) => {
    const stops = new Set(o.stopTokens ?? defaultStops);
    const rows = prompts.map((p) => [...p]);
    const results = prompts.map(() => ({ tokens: [] as number[], logprobs: [] as number[] }));
    const live = prompts.map(() => true);
    const budget = maxTextTokens(config);
    for (let step = 0; step < o.maxNewTokens; step++) {
      const active = rows.map((_, i) => i).filter((i) => live[i] && rows[i].length < budget);
      if (active.length === 0) break;
      const batchImages = new Float32Array(active.length * pixelCount);
      active.forEach((i, k) => batchImages.set(images.subarray(i * pixelCount, (i + 1) * pixelCount), k * pixelCount));
      const { logits, width } = await forward(batchImages, active.map((i) => rows[i]));
      active.forEach((i, k) => {
        const offset = (k * width + width - 1) * V; // last column: rows are left-padded
        const token = sampleToken(logits, offset, V, o, uniformAt(o.seed, hash3(o.seed, i, 0), step));
        results[i].tokens.push(token);
        results[i].logprobs.push(logSoftmaxAt(logits, offset, V, token));
        rows[i].push(token);
        if (stops.has(token)) live[i] = false;
      });
    }
    return results;
  };

  const promptIds = options.promptIds ?? ((p: EvalPrompt) => [tokenizer.imageId, ...tokenizer.encode(p.text)]);
  const pixelsOf = (records: readonly VqaRecord[]): Float32Array => {
    const all = new Float32Array(records.length * pixelCount);
    records.forEach((r, i) => {
      const px = options.pixels?.(r);
      if (px) {
        if (px.length !== pixelCount) throw new Error(`ONNX policy: record ${r.id}: ${px.length} pixel values, the model takes ${pixelCount}`);
        all.set(px, i * pixelCount);
      }
    });
    return all;
  };

  return {
    name: options.name ?? `onnx:${executionProvider}`,
    forward,
    generateIds,
    async generate(prompts: readonly EvalPrompt[], g: GenerateOptions): Promise<Generation[]> {
      const out = await generateIds(pixelsOf(prompts.map((p) => p.record)), prompts.map(promptIds), {
        greedy: g.temperature <= 0, temperature: g.temperature, topP: g.topP, topK: options.topK ?? 0, maxNewTokens: g.maxNewTokens, seed: g.seed,
      });
      return out.map((r) => ({ text: tokenizer.decode(r.tokens.filter((t) => t !== tokenizer.eosId && t !== tokenizer.padId)), tokens: r.tokens.length }));
    },
    async scoreOptions(prompt: EvalPrompt, continuations: readonly string[]): Promise<number[][]> {
      if (continuations.length === 0) return [];
      const base = promptIds(prompt);
      const conts = continuations.map((c) => tokenizer.encode(c));
      // Rows are right-aligned by forward(), so each row's column of token t is known from its length.
      const rows = conts.map((c) => [...base, ...c]);
      const px = pixelsOf([prompt.record]);
      const images = new Float32Array(rows.length * pixelCount);
      for (let i = 0; i < rows.length; i++) images.set(px, i * pixelCount);
      const { logits, width } = await forward(images, rows);
      return conts.map((c, o) => {
        const pad = width - rows[o].length;
        return c.map((token, t) => logSoftmaxAt(logits, (o * width + pad + base.length - 1 + t) * V, V, token));
      });
    },
    async dispose() {
      if (released) return;
      released = true;
      await session.release();
    },
  };
}
