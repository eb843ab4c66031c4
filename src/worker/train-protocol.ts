// Wire shapes of the training requests (issue #6), kept beside protocol.ts like curriculum-protocol.ts so the
// RequestMap block there stays short. Types only (plus one default builder): both threads import them.
// Life of a run: 'train/start' (or 'train/resume') is one long request that streams TrainProgress and resolves
// with a TrainOutcome when the run finishes, pauses, stops or fails; pause/stop/status are short requests.
import type { AugmentConfig } from '../augment/config.ts';
import type { OperatorName } from '../augment/group-builder.ts';
import type { ImageTransform } from '../augment/image-transforms.ts';
import type { CurriculumConfig } from '../curriculum/config.ts';
import type { PresetName } from '../model/config.ts';
import type { GrpoConfig } from '../rl/config.ts';
import type { StepMetrics } from '../rl/metrics.ts';
import type { TypeScore } from '../rl/trainer/trainer.ts';

export const TRAIN_RUN_CONFIG_VERSION = 1;

/** Where the policy's weights come from at step 0. */
export type TrainInit =
  /** The committed default of the preset (public/models/anatomysynth-<preset>.safetensors, made by npm run pretrain). */
  | { kind: 'pretrained' }
  /** Fresh random weights from the run's seed (a tokenizer is trained on the dataset's text). */
  | { kind: 'scratch' }
  /** The weights of another run's last checkpoint (optimizer state and step start fresh). */
  | { kind: 'checkpoint'; runId: string };

/** Accuracy measured on held-out questions before and/or after training. */
export interface TrainEvalConfig {
  /** Evaluate before the first step and after the last one. Default true. */
  enabled: boolean;
  /** Split to evaluate on; falls back to records not in the training split when the dataset has none. Default 'test'. */
  split: string;
  /** Most questions evaluated (seeded choice); small keeps it quick. Typical 64. */
  maxQuestions: number;
  /** Greedy decoding (deterministic); false samples at the run's temperature. Default true. */
  greedy: boolean;
}

/** Everything one training run needs: the payload of 'train/start', stored in every checkpoint. */
export interface TrainRunConfig {
  /** Schema version of this object. */
  version: number;
  /** Human name of the run (shown as text only). Typical 'GRPO tiny seed 0'. */
  name: string;
  /** Stored dataset to train on (DatasetStore id; 'data/ensure-demo' gives AnatomySynth). */
  datasetId: string;
  /** Split whose questions are trained on. Default 'train'. */
  trainSplit: string;
  /** Model size; 'micro' is the committed pretrained default and trains quickly anywhere; 'tiny' needs a GPU. */
  preset: PresetName;
  /** Starting weights. Default pretrained. */
  init: TrainInit;
  /** GRPO (and SFT warm start) settings, the seed included: same config, same run. */
  grpo: GrpoConfig;
  /** ASCL; enabled false = plain GRPO with a seeded uniform question order (S(q) still measured). */
  curriculum: CurriculumConfig;
  /** GDQA; enabled false = plain groups of G rollouts of one question. */
  augment: AugmentConfig;
  /** Before/after accuracy. */
  eval: TrainEvalConfig;
  /** Groups of each step sent to the group inspector (0 = none). Typical 4. */
  inspectorGroups: number;
  /** Engine to train on: 'auto' = WebGPU when a device is there, else the CPU backend. */
  backend: 'auto' | 'webgpu' | 'cpu';
}

// ---- progress ----

/** One completion of a group, as the group inspector shows it. */
export interface InspectorCompletion {
  /** Decoded text (special tokens dropped). */
  text: string;
  /** Variant of the group it answered (0 without GDQA). */
  variant: number;
  /** Unweighted value of each reward function by name ('format', 'accuracy', 'length'). */
  rewards: Record<string, number>;
  /** Weighted sum of the rewards. */
  total: number;
  /** Its group-relative advantage (the same for every token). */
  advantage: number;
  /** Completion tokens. */
  length: number;
  /** Cut at maxCompletionLength without an end token. */
  clipped: boolean;
}

/** One variant of an augmented question (GDQA); variant 0 is the question as given when keepOriginal. */
export interface InspectorVariant {
  index: number;
  question: string;
  options: string[];
  /** This variant's gold option index (each rollout is scored against its own variant's gold). */
  goldIndex: number;
  /** Operators that made it ('original', 'paraphrase', 'redraw', 'permute', 'image'). */
  operators: OperatorName[];
  /** Label-preserving image transforms of this variant, in order ([] for the image as given). */
  imageTransforms: ImageTransform[];
}

/** One group of a step: the question, its G completions, their rewards and advantages. */
export interface InspectorGroup {
  recordId: string;
  /** Image reference for 'data/thumbnails' (with the run's datasetId); null without an image. */
  imageRef: string | null;
  /** Gold anatomy label (the per-anatomy zero-std breakdown groups by it); '' when unknown. */
  anatomy: string;
  /** The question as posed (after a curriculum redraw). */
  question: string;
  options: string[];
  goldIndex: number;
  /** S(q) of the options as posed; null without a similarity source. */
  similarity: number | null;
  /** All rewards equal: every advantage is 0 and the group teaches nothing. */
  zeroStd: boolean;
  rewardMean: number;
  rewardStd: number;
  /** GDQA variants; a single entry when the group is not augmented. */
  variants: InspectorVariant[];
  /** Why the group is (not) augmented ('off', 'all', 'zero-variance', 'informative-last-time', 'first-visit'). */
  augmentReason: string;
  /** G completions in rollout order. */
  completions: InspectorCompletion[];
}

/** Loss of one supervised warm-start step (SFT runs before GRPO when grpo.sft.steps > 0). */
export interface SftStepMetrics {
  step: number;
  /** Mean token cross-entropy on the gold answers. */
  loss: number;
  grad_norm: number;
  learning_rate: number;
  step_time: number;
  tokens_per_second: number;
}

export type TrainPhase = 'loading' | 'eval-before' | 'sft' | 'grpo' | 'eval-after' | 'saving';

/** Everything 'train/start' and 'train/resume' stream. */
export type TrainProgress =
  /** A phase began (loading the dataset and policy, evaluating, saving). */
  | { kind: 'phase'; runId: string; phase: TrainPhase; message: string }
  /** One SFT warm-start step finished. */
  | { kind: 'sft-step'; runId: string; step: number; total: number; metrics: SftStepMetrics; eta: EtaInputs }
  /** One GRPO step finished. `row` is flattenStepMetrics(metrics): the chart/JSON row with TRL names. */
  | {
      kind: 'step';
      runId: string;
      /** 0-based GRPO step that just finished; `total` = grpo.steps. */
      step: number;
      total: number;
      metrics: StepMetrics;
      row: Record<string, number>;
      eta: EtaInputs;
      /** The first inspectorGroups groups of this step. */
      inspector: InspectorGroup[];
      /** A checkpoint was saved after this step. */
      checkpointed: boolean;
    }
  /** Evaluation finished (before the first step or after the last). */
  | ({ kind: 'eval'; runId: string; when: 'before' | 'after' } & EvalOutcome)
  /** A checkpoint was written. */
  | { kind: 'checkpoint'; runId: string; step: number; phase: 'sft' | 'grpo'; bytes: number }
  /** The GPU device was lost; the run continues from the last checkpoint on the new device (or the CPU). */
  | { kind: 'recovered'; runId: string; fromStep: number; message: string };

/** What the UI needs to show an ETA: it divides remaining steps by the session's rate. */
export interface EtaInputs {
  /** Milliseconds since this session (start or resume) began training steps. */
  elapsedMs: number;
  /** Steps finished in this session (a resumed run counts from its resume). */
  stepsThisSession: number;
  /** Steps left in the current phase. */
  stepsLeft: number;
}

// ---- results ----

export type TrainState = 'running' | 'paused' | 'finished' | 'stopped' | 'failed';

/** How 'train/start' / 'train/resume' ended. */
export interface TrainOutcome {
  runId: string;
  /** paused: resumable with 'train/resume'; failed: a NaN/Inf loss or an error, last good checkpoint kept. */
  state: Exclude<TrainState, 'running'>;
  /** GRPO steps finished (SFT steps are in sftStep). */
  step: number;
  sftStep: number;
  total: number;
  /** Why it ended, in words (the NaN message names the step and the quantity). */
  message: string;
  /** Step of the last checkpoint kept (-1 when none). */
  lastCheckpointStep: number;
  evalBefore: EvalOutcome | null;
  evalAfter: EvalOutcome | null;
}

/** One greedy evaluation of a run (the trainer's EvalResult as the worker sends it). */
export interface EvalOutcome {
  accuracy: number;
  questions: number;
  /** Answers that named one of the options (the rest score 0 whatever they say). */
  extracted: number;
  /** Ids of the questions answered right: before and after compare question by question (pairedComparison). */
  correct?: string[];
  /** What the question text alone gets on the same questions (the trainer's EvalResult.questionOnly). */
  questionOnly?: number;
  /** Questions, right answers and named options per question type (the trainer's EvalResult.byType). */
  byType?: Record<string, TypeScore>;
}

/** A run the worker knows: the active one or one with a stored checkpoint. */
export interface TrainRunSummary {
  runId: string;
  name: string;
  state: TrainState;
  /** GRPO steps finished / planned. */
  step: number;
  total: number;
  sftStep: number;
  sftTotal: number;
  datasetId: string;
  preset: PresetName;
  /** ISO time of the last checkpoint (null when none yet). */
  savedAt: string | null;
  lastCheckpointStep: number;
  message: string;
}

export interface TrainStatus {
  /** The run training now, or null. */
  active: TrainRunSummary | null;
  /** With `history`: chart rows of the asked run so far (flattenStepMetrics rows, in step order). */
  history?: Record<string, number>[];
  /** With `history`: SFT rows of the asked run so far. */
  sftHistory?: SftStepMetrics[];
}

/** One stored checkpoint (the latest of each run is kept; older ones are replaced). */
export interface CheckpointSummary extends TrainRunSummary {
  /** Bytes of weights plus optimizer state. */
  bytes: number;
  config: TrainRunConfig;
}

export interface TrainStartParams {
  config: TrainRunConfig;
  /** Id to give the run; a fresh one ('run-<iso time>-<random>') when absent. */
  runId?: string;
}
