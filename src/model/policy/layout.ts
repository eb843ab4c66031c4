// How a batch of (prompt, completion) rows is laid out for the decoder. Every row is
//   [image tokens (N) | left pads | prompt | completion | right pads]
// so that all completions start at the same column: their logits are one slice of the sequence, and the
// same layout serves log-probs, SFT and generation (whose prefill is this with empty completions). Left pads
// are hidden from attention by an additive key mask and skipped by the position ids, so a row's values do
// not depend on how much padding its batch needed; right pads sit after everything real (causal mask).

import { numImageTokens, type ModelConfig } from '../config.ts';

/** Added to the attention scores of padding keys: exp() of it is exactly 0 next to any real key. */
export const MASKED_KEY = -1e9;

export interface SequenceLayout {
  /** Rows (B). */
  rows: number;
  /** Image tokens per row (N). */
  imageTokens: number;
  /** Longest prompt (Pmax): text columns before the completion columns. */
  promptWidth: number;
  /** Longest completion (Lc). */
  completionWidth: number;
  /** Text ids (B, Pmax + Lc): pads, prompt, completion, pads. */
  textIds: Int32Array;
  /** Position id of every column, image included: (B, N + Pmax + Lc). Pads get 0 (no real token sees them). */
  positions: number[][];
  /** (B, N + Pmax + Lc) key mask, 0 or MASKED_KEY; null when no row has left padding. */
  keyBias: Float32Array | null;
  /** (B, Lc): completion token j of each row, -1 past its end (logProbs ignores -1). */
  targets: Int32Array;
  /** (B, Lc): 1 on real completion tokens, 0 on padding. */
  mask: Float32Array;
  /** Real completion tokens in the batch (the SFT mean's denominator). */
  tokenCount: number;
}

/**
 * Lays out rows of prompt and completion ids. Prompts must be non-empty (their last token predicts the first
 * completion token). Throws when a row does not fit in maxSeqLen or uses an id outside the vocabulary.
 */
export function layoutSequences(config: ModelConfig, prompts: readonly (readonly number[])[], completions: readonly (readonly number[])[], padId = 0): SequenceLayout {
  const B = prompts.length;
  if (B === 0) throw new Error('policy: a batch needs at least one row');
  if (completions.length !== B) throw new Error(`policy: ${B} prompts but ${completions.length} completions`);
  const N = numImageTokens(config);
  const Pmax = Math.max(...prompts.map((r) => r.length));
  const Lc = Math.max(0, ...completions.map((r) => r.length));
  const Tt = Pmax + Lc, T = N + Tt;
  const textIds = new Int32Array(B * Tt).fill(padId);
  const targets = new Int32Array(B * Lc).fill(-1);
  const mask = new Float32Array(B * Lc);
  const positions: number[][] = [];
  let keyBias: Float32Array | null = null;
  let tokenCount = 0;
  for (let r = 0; r < B; r++) {
    const prompt = prompts[r], completion = completions[r];
    if (prompt.length === 0) throw new Error(`policy: row ${r} has an empty prompt`);
    if (N + prompt.length + completion.length > config.maxSeqLen) {
      throw new Error(`policy: row ${r} needs ${N} image + ${prompt.length} prompt + ${completion.length} completion tokens, more than maxSeqLen ${config.maxSeqLen}`);
    }
    for (const [what, ids] of [['prompt', prompt], ['completion', completion]] as const) {
      for (const id of ids) {
        if (!Number.isInteger(id) || id < 0 || id >= config.vocabSize) throw new Error(`policy: row ${r} ${what} has token id ${id} outside [0, ${config.vocabSize})`);
      }
    }
    const pad = Pmax - prompt.length;
    for (let j = 0; j < prompt.length; j++) textIds[r * Tt + pad + j] = prompt[j];
    for (let j = 0; j < completion.length; j++) {
      textIds[r * Tt + Pmax + j] = completion[j];
      targets[r * Lc + j] = completion[j];
      mask[r * Lc + j] = 1;
    }
    tokenCount += completion.length;
    const pos = new Array<number>(T).fill(0);
    for (let j = 0; j < N; j++) pos[j] = j;
    for (let j = pad; j < Pmax + completion.length; j++) pos[N + j] = N + j - pad;
    positions.push(pos);
    if (pad > 0) {
      keyBias ??= new Float32Array(B * T);
      for (let j = 0; j < pad; j++) keyBias[r * T + N + j] = MASKED_KEY;
    }
  }
  return { rows: B, imageTokens: N, promptWidth: Pmax, completionWidth: Lc, textIds, positions, keyBias, targets, mask, tokenCount };
}

/** Splits a read-back (B, Lc) tensor (log-probs, entropy) into each row's real completion tokens. */
export function completionRows(values: ArrayLike<number>, layout: SequenceLayout): number[][] {
  const Lc = layout.completionWidth;
  const out: number[][] = [];
  for (let r = 0; r < layout.rows; r++) {
    const row: number[] = [];
    for (let j = 0; j < Lc && layout.mask[r * Lc + j] > 0; j++) row.push(values[r * Lc + j]);
    out.push(row);
  }
  return out;
}
