// Batched generation with a KV cache: the image + prompt prefix of each prompt is run once (prefill), the
// cache is copied to the prompt's G samples (the GRPO group), and every new token costs one decoder step of
// one column over the cache. Sampling runs on the CPU from the read-back last-column logits (B x V floats per
// step); the uniform of (prompt, sample, step) comes from a counter-based hash of the seed, so a run is
// reproducible and a row's tokens do not depend on the other rows in its batch.

import type { Tensor } from '../../tensor/tensor.ts';
import { numImageTokens } from '../config.ts';
import { KvCache } from './decoder.ts';
import { release } from './frame.ts';
import type { Policy } from './policy.ts';
import { hash3, uniformAt } from './prng.ts';
import { logSoftmaxAt, sampleToken, type SamplingConfig } from './sampling.ts';

export interface GenerateConfig extends SamplingConfig {
  /** Most tokens sampled per completion (fewer when maxSeqLen is reached); e.g. 64 to 256. */
  maxNewTokens: number;
  /** Token ids that end a completion and are kept as its last token, e.g. [eosId, answerEndId]. */
  stopTokens: readonly number[];
  /** Seed of the sampling random numbers; a run's step seed for GRPO. */
  seed: number;
  /** Completions per prompt (GRPO's G); e.g. 8. 1 for evaluation. */
  samplesPerPrompt: number;
  /** Id fed for rows that already stopped and written in padding; default 0 (`<pad>`). */
  padId?: number;
  /** Keep each step's logits row (V floats per token) in the result; for tests and debugging. */
  keepLogits?: boolean;
}

export interface GenerateInput {
  /** (I, H, W, C) f32 images. */
  images: Tensor;
  /** Image of each prompt; default prompt p uses image p. */
  imageOfPrompt?: readonly number[];
  /** Prompt ids (non-empty), e.g. `<image>` + question + `<think>`. */
  prompts: readonly (readonly number[])[];
}

export interface Completion {
  /** Index of the prompt and of the sample within its group. */
  prompt: number;
  sample: number;
  /** Generated ids, the stop token included when there was one. */
  tokens: number[];
  /** log p of each token under the policy at temperature 1 (the GRPO "old" log-probs), float64 on the CPU. */
  logprobs: number[];
  /** 'stop' on a stop token; 'length' at maxNewTokens or maxSeqLen. */
  finish: 'stop' | 'length';
  /** The logits each token was drawn from (keepLogits only). */
  stepLogits?: Float32Array[];
}

/** Completions in prompt-major order: row p * samplesPerPrompt + g. */
export async function generate(policy: Policy, input: GenerateInput, cfg: GenerateConfig): Promise<Completion[]> {
  const b = policy.backend, config = policy.config, V = config.vocabSize;
  const P = input.prompts.length, G = cfg.samplesPerPrompt, B = P * G;
  if (!Number.isInteger(G) || G < 1) throw new Error(`generate: samplesPerPrompt must be a positive integer, got ${G}`);
  if (!Number.isInteger(cfg.maxNewTokens) || cfg.maxNewTokens < 1) throw new Error(`generate: maxNewTokens must be a positive integer, got ${cfg.maxNewTokens}`);
  const padId = cfg.padId ?? 0;
  const stops = new Set(cfg.stopTokens);

  const prefixCache = new KvCache(config.decoderDepth);
  let cache = prefixCache;
  let host: Float32Array;
  let baseBias: Float32Array | null, baseColumns: number;
  try {
    const pre = policy.prefill({ images: input.images, imageOfRow: input.imageOfPrompt, prompts: input.prompts, padId }, prefixCache);
    baseBias = pre.layout.keyBias;
    baseColumns = pre.layout.imageTokens + pre.layout.promptWidth;
    const prefillLogits = await b.read(pre.logits);
    release(pre.logits);
    // Every sample starts from its prompt's prefill logits; later steps have one row per sample.
    host = new Float32Array(B * V);
    for (let r = 0; r < B; r++) host.set(prefillLogits.subarray(Math.floor(r / G) * V, (Math.floor(r / G) + 1) * V), r * V);
    if (G > 1) {
      cache = prefixCache.expandRows(b, Array.from({ length: B }, (_, r) => Math.floor(r / G)));
      prefixCache.dispose();
    }
  } catch (e) {
    prefixCache.dispose();
    throw e;
  }

  const out: Completion[] = [];
  const nextPos: number[] = [];
  const done: boolean[] = new Array<boolean>(B).fill(false);
  const streams: number[] = [];
  for (let r = 0; r < B; r++) {
    const p = Math.floor(r / G), g = r % G;
    out.push({ prompt: p, sample: g, tokens: [], logprobs: [], finish: 'length', ...(cfg.keepLogits ? { stepLogits: [] } : {}) });
    nextPos.push(numImageTokens(config) + input.prompts[p].length);
    streams.push(hash3(cfg.seed, p, g));
  }
  try {
    for (let step = 0; step < cfg.maxNewTokens; step++) {
      const feed: number[] = new Array<number>(B).fill(padId);
      for (let r = 0; r < B; r++) {
        if (done[r]) continue;
        const c = out[r];
        if (nextPos[r] >= config.maxSeqLen) {
          done[r] = true; // no position left for another token: the completion fills maxSeqLen
          continue;
        }
        const token = sampleToken(host, r * V, V, cfg, uniformAt(cfg.seed, streams[r], step));
        c.tokens.push(token);
        c.logprobs.push(logSoftmaxAt(host, r * V, V, token));
        if (c.stepLogits) c.stepLogits.push(host.slice(r * V, (r + 1) * V));
        feed[r] = token;
        if (stops.has(token)) {
          c.finish = 'stop';
          done[r] = true;
        }
      }
      if (done.every(Boolean) || step === cfg.maxNewTokens - 1) break;
      let bias: Float32Array | null = null;
      if (baseBias) {
        const width = cache.length + 1;
        bias = new Float32Array(B * width);
        for (let r = 0; r < B; r++) {
          const p = Math.floor(r / G);
          for (let j = 0; j < baseColumns; j++) bias[r * width + j] = baseBias[p * baseColumns + j];
        }
      }
      const positions = nextPos.map((x, r) => (done[r] ? 0 : x));
      const logits = policy.step(cache, feed, positions, bias);
      host = (await b.read(logits)) as Float32Array;
      release(logits);
      for (let r = 0; r < B; r++) nextPos[r]++;
    }
  } finally {
    cache.dispose();
  }
  return out;
}
