// Wire shapes of the curriculum and augmentation requests (issue #7), kept beside protocol.ts so the data and
// training blocks there stay short. Types only: both threads import them.
import type { AugmentConfig } from '../augment/config.ts';
import type { OperatorName, QuestionGroup } from '../augment/group-builder.ts';
import type { ImageTransform } from '../augment/image-transforms.ts';
import type { CurriculumConfig } from '../curriculum/config.ts';
import type { Histogram } from '../curriculum/difficulty.ts';
import type { OnnxEmbedderInfo } from '../curriculum/onnx-embeddings.ts';
import type { PolicySourceInfo } from '../curriculum/similarity-models.ts';
import type { CurriculumControls, ScheduledQuestion } from '../curriculum/scheduler.ts';

export type { CurriculumControls };
export type { PairExplanation } from '../curriculum/pair-explain.ts';
export type { OnnxEmbedderInfo, PolicySourceInfo };

/** The similarity sources beyond the built-in lexicon, as the worker holds them now. */
export interface CurriculumSources {
  /** The policy 'policy embeddings' uses (the Model panel's, else the pretrained default); null with policyError. */
  policy: PolicySourceInfo | null;
  /** Why there is no policy, in words; null when there is one. */
  policyError: string | null;
  /** The dropped ONNX text-embedding model held by the worker; null before a drop (and after a reload). */
  onnx: OnnxEmbedderInfo | null;
}

/** A dropped text-embedding model: the .onnx file and its tokenizer.json, as bytes. */
export interface OnnxLoadParams {
  model: { name: string; bytes: Uint8Array };
  tokenizer: { name: string; bytes: Uint8Array };
}

export interface CurriculumAnalyseParams {
  datasetId: string;
  /** The whole curriculum, its seed included: the same config gives the same queue. */
  curriculum: CurriculumConfig;
  /** Steps of the planned run (pacing progress = step / steps); typical 200. */
  steps: number;
  /** Questions per step; typical 8. */
  batchSize: number;
  /** First step of the queue window; typical the scrubbed step. */
  fromStep: number;
  /** Steps in the queue window; typical 3 (at most 20). */
  window: number;
  /** Points of the pacing curve; typical 200 (at most 1000; every step when the run is shorter). */
  curvePoints?: number;
}

/** One question's S(q) as released, for the histogram and the per-question table. */
export interface QuestionSimilarity {
  id: string;
  similarity: number;
  questionType: string;
  anatomy: string;
}

/** The pacing curve at one step. */
export interface PacingPoint {
  step: number;
  /** Pacing level: 0 easiest, 1 natural. */
  level: number;
  /** Expected batch-mean S(q) at this step (the curve the paper plots). */
  meanTarget: number;
}

/** A question of the queue as the trainer would pose it, with the released options beside it. */
export interface QueueQuestion {
  id: string;
  question: string;
  questionType: string;
  anatomy: string;
  /** Options as posed (redrawn when the mode redraws and the target differs from the natural S). */
  options: string[];
  goldIndex: number;
  /** Options as released. */
  naturalOptions: string[];
  naturalGoldIndex: number;
  /** S(q) as released. */
  naturalSimilarity: number;
  /** S(q) as posed. */
  similarity: number;
  /** The redraw's target S; null when the mode does not redraw. */
  target: number | null;
  origin: ScheduledQuestion['origin'];
  /** The options differ from the released ones. */
  redrawn: boolean;
}

export interface QueueStep {
  step: number;
  level: number;
  meanTarget: number;
  questions: QueueQuestion[];
}

/** A question under manual control, so the panel can list and undo it. */
export interface ControlledQuestion {
  id: string;
  question: string;
  answer: string;
  similarity: number | null;
  state: 'excluded' | 'pinned' | 'moved';
  /** For 'moved': the step it goes to. */
  step?: number;
}

export interface CurriculumAnalysis {
  datasetId: string;
  datasetName: string;
  /** Manual controls are saved under it. */
  fingerprint: string;
  /** 'train' when the dataset has a train split (the questions training sees), else 'all'. */
  split: 'train' | 'all';
  source: { id: string; label: string };
  formula: string;
  /** Schedulable questions (multiple choice with a distractor), easy to hard. */
  questions: QuestionSimilarity[];
  /** Records of the split that cannot be scheduled (open questions, one option). */
  skipped: number;
  histogram: Histogram;
  /** Mean natural S(q) over the schedulable questions (the level plain GRPO sees). */
  naturalMean: number;
  curve: PacingPoint[];
  queue: QueueStep[];
  controls: CurriculumControls;
  controlled: ControlledQuestion[];
  steps: number;
  batchSize: number;
}

export type CurriculumControlAction =
  | { kind: 'exclude'; id: string }
  | { kind: 'include'; id: string }
  | { kind: 'pin'; id: string }
  | { kind: 'unpin'; id: string }
  | { kind: 'move'; id: string; step: number }
  | { kind: 'clear' };

export interface CurriculumControlParams {
  datasetId: string;
  action: CurriculumControlAction;
}

export interface AugmentPreviewParams {
  datasetId: string;
  /** The questions to show; when absent, the first `limit` questions of the curriculum's batch at `step`. */
  recordIds?: string[];
  /** Training step: part of the augmentation seed, and the batch to take questions from. Default 0. */
  step?: number;
  /** The curriculum that picks the batch at `step` (its redrawn options included); plain seeded order when absent. */
  curriculum?: CurriculumConfig;
  /** Steps of the planned run, for the curriculum's pacing. Default 200. */
  steps?: number;
  /** Questions per step, for the curriculum's batch. Default 8. */
  batchSize?: number;
  /** The augmentation, its seed included. Previewed as if on, and as if each question's last group had zero variance. */
  augment: AugmentConfig;
  /** G, the rollouts of a group; typical 8. */
  groupSize: number;
  /** Most questions previewed; default 3, at most 12. */
  limit?: number;
}

export interface PreviewVariant {
  index: number;
  question: string;
  options: string[];
  goldIndex: number;
  answer: string;
  imageTransforms: ImageTransform[];
  operators: OperatorName[];
  similarity: number | null;
  /** Rollouts of the group scored against this variant. */
  rollouts: number;
  /** PNG of the stored image with the variant's transforms applied; null without a stored image. */
  png: Uint8Array | null;
  width: number;
  height: number;
}

export interface PreviewGroup {
  recordId: string;
  questionType: string;
  anatomy: string;
  augmented: boolean;
  reason: QuestionGroup['reason'];
  /** Variant index of each rollout. // (G,) */
  rolloutVariant: number[];
  variants: PreviewVariant[];
}

export interface AugmentPreview {
  groups: PreviewGroup[];
  /** Requested ids the dataset does not hold (or that are not multiple choice). */
  missing: string[];
  step: number;
  groupSize: number;
}
