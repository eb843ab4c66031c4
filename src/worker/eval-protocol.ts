// Wire shapes of the evaluation requests (issue #8), kept beside protocol.ts like curriculum-protocol.ts so the
// RequestMap block there stays short. Types and a few constants only: both threads import them.
// Life of an evaluation: one 'eval/run' request streams EvalProgress and resolves with an EvalRunResult.
import type { VqaRecord } from '../data/record.ts';
import type { EvalMetric, EvalReport } from '../eval/report.ts';

/** What is evaluated. Bytes travel as Uint8Array (structured clone copies them once). */
export type EvalModelSource =
  /** The committed default, public/models/anatomysynth-micro.safetensors (PRETRAINED_PATH). */
  | { kind: 'pretrained' }
  /** The latest stored checkpoint of a training run. */
  | { kind: 'checkpoint'; runId: string }
  /** A dropped policy checkpoint (.safetensors with the lab's config and tokenizer metadata). */
  | { kind: 'file'; name: string; bytes: Uint8Array }
  /** A dropped ONNX model of the policy's signature, with its tokenizer JSON, run by onnxruntime-web. */
  | { kind: 'onnx'; name: string; bytes: Uint8Array; tokenizerJson: string; executionProvider: 'webgpu' | 'wasm' };

export interface EvalRunParams {
  /** Stored dataset (DatasetStore id). */
  datasetId: string;
  /** Split to evaluate ('test', ...); '' for every record. Typical 'test'. */
  split: string;
  /** Most questions (a seeded choice); 0 for all. Typical 64. */
  maxQuestions: number;
  /** Seed of the question choice and of sampling. Typical 0. */
  seed: number;
  source: EvalModelSource;
  /** Metrics to compute. Typical ['greedy']. */
  metrics: EvalMetric[];
  /** Samples per question for Avg@k. Typical 5. */
  k: number;
  /** Cap on generated tokens per completion; default 48 (the tag format fits in about 24). */
  maxNewTokens?: number;
  /** Prompts per generate call; default 8. */
  batchSize?: number;
  /** Engine for the lab's policy: 'auto' = WebGPU when a device is there, else CPU. Default 'auto'. */
  backend?: 'auto' | 'webgpu' | 'cpu';
  /** Name of the stored run; default '<source> on <dataset> <split>'. Shown as text only. */
  name?: string;
  /** Store the result as an eval run (the Runs panel lists it). Default true. */
  save?: boolean;
}

export interface EvalProgress {
  /** 'loading model', 'greedy', 'sample 2/5', 'circular', 'likelihood', 'saving'. */
  phase: string;
  done: number;
  total: number;
  /** Unit of done/total ('prompts', 'questions'). */
  unit: string;
}

/** The greedy answer to one evaluated question, for the unextractable examples and confusion cells. */
export interface EvalAnswer {
  /** The model's greedy completion as decoded (shown as text only). */
  completion: string;
}

export interface EvalRunResult {
  /** Id of the stored eval run; null when not saved. */
  runId: string | null;
  report: EvalReport;
  /** The evaluated records (after the seeded choice), for questions and images behind cells. */
  records: VqaRecord[];
  /** Greedy completion per record id (when greedy or circular ran). */
  answers: Record<string, EvalAnswer>;
  /** Ids whose prompt did not fit the model's context (answered with nothing, counted as unextractable). */
  tooLong: string[];
  /** What ran it: 'webgpu', 'cpu', 'onnx-webgpu' or 'onnx-wasm'. */
  engine: string;
  /** Dataset as evaluated. */
  dataset: { id: string; name: string; fingerprint: string; split: string };
  /** Time to load the model and data, ms. */
  loadMs: number;
}

/** Whether the pretrained default is in this build. */
export interface EvalSources {
  pretrained: { available: boolean; bytes: number; message: string };
}

export const DEFAULT_EVAL_MAX_NEW_TOKENS = 48;
