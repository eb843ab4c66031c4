// Wire shapes of the Model panel's requests ('model/*', served by worker/model-handlers.ts): which checkpoint
// the worker holds, what it is (config, tokenizer size, parameter count), its downloads (ONNX, safetensors)
// and one try-it generation on a stored record.
import type { ModelConfig, PresetName } from '../model/config.ts';

/** Where the worker's current model comes from. */
export type ModelSource =
  /** The pretrained default served from public/models/ (absent from some builds). */
  | { kind: 'pretrained' }
  /** A dropped .safetensors checkpoint: its name and bytes. */
  | { kind: 'file'; name: string; bytes: Uint8Array }
  /** Fresh weights of a preset, with a tokenizer learned from a stored dataset's text. */
  | { kind: 'scratch'; preset: PresetName; datasetId: string; seed?: number };

/** What the panel shows of the loaded model. */
export interface ModelSummary {
  /** 'pretrained', the file name, or 'tiny from scratch (AnatomySynth)'. */
  name: string;
  config: ModelConfig;
  /** Tokens in the tokenizer (equals config.vocabSize). */
  tokenizerSize: number;
  /** Exact scalar parameter count. */
  parameters: number;
  /** Tensors in the checkpoint. */
  tensors: number;
  /** Extra checkpoint metadata (step, run id, ...), as stored. */
  extra: Record<string, string>;
}

export interface ModelCurrent {
  /** The loaded model, or null before any load. */
  model: ModelSummary | null;
  /** Whether this build serves the pretrained default. */
  pretrainedAvailable: boolean;
  /** Where the pretrained default is looked for, e.g. 'models/anatomysynth-micro.safetensors'. */
  pretrainedPath: string;
}

export interface ModelExportParams {
  /** 'onnx' (forward: image + ids -> logits, opset 17) or 'safetensors' (the checkpoint with config and tokenizer). */
  format: 'onnx' | 'safetensors';
}

export interface ModelExportResult {
  fileName: string;
  bytes: Uint8Array;
}

/** Decoding settings of the try-it box (every field as the trainer's sampler reads it). */
export interface TryItSampling {
  /** Always the most likely token; true ignores temperature, top-p and top-k. */
  greedy: boolean;
  /** Logits are divided by this; 1.0 typical. */
  temperature: number;
  /** Nucleus mass; 1 disables. */
  topP: number;
  /** Keep the k most likely tokens; 0 disables. */
  topK: number;
  /** Most new tokens; e.g. 48. */
  maxNewTokens: number;
  /** Seed of the sampling random numbers. */
  seed: number;
}

export interface ModelGenerateParams {
  datasetId: string;
  recordId: string;
  sampling: TryItSampling;
}

export interface ModelGenerateResult {
  /** The prompt as the policy reads it (`<image>` + question and options). */
  prompt: string;
  /** The completion with its tags. */
  completion: string;
  tokens: number;
  /** 'stop' at `</answer>` or `<eos>`, 'length' at the limit. */
  finish: 'stop' | 'length';
  ms: number;
  /** Engine that ran it: 'webgpu' or 'cpu'. */
  engine: string;
  /** The record's gold answer, to compare with. */
  gold: string;
}
