// What the evaluator needs from a model: generate completions and score option continuations. The lab's
// policy (any checkpoint) and an ONNX model run by onnxruntime-web both implement it; the evaluator never
// knows which one it has.
import type { VqaRecord } from '../data/record.ts';

/** One prompt: the record (the policy loads its image) and the text the policy is asked. */
export interface EvalPrompt {
  /** The record as asked, options already in the order the text shows (rotations included). */
  record: VqaRecord;
  /** The user turn, question and lettered options; the policy applies its own chat template. */
  text: string;
}

/** Decoding settings for one generate call. */
export interface GenerateOptions {
  /** 0 for greedy decoding; typical 1.0 for Avg@k sampling. */
  temperature: number;
  /** Nucleus sampling mass; 1.0 disables it. */
  topP: number;
  /** Cap on generated tokens per completion. Typical 256. */
  maxNewTokens: number;
  /** Seed of this call's sampling; the evaluator gives each sample index its own seed. */
  seed: number;
}

/** One completion. */
export interface Generation {
  /** The decoded completion text. */
  text: string;
  /** Generated token count, when the policy knows it (feeds tokens/s). */
  tokens?: number;
}

/** The evaluator's view of a model. */
export interface EvalPolicy {
  /** Shown in reports (checkpoint name, 'onnx:model.onnx', ...). */
  readonly name: string;
  /** One completion per prompt, in order. */
  generate(prompts: readonly EvalPrompt[], options: GenerateOptions): Promise<Generation[]>;
  /**
   * Per-token log-probs of each continuation given the prompt (forward passes only): result[o][t] is
   * log p(token t of continuation o | prompt, earlier tokens of o).
   */
  scoreOptions(prompt: EvalPrompt, continuations: readonly string[]): Promise<number[][]>;
}
