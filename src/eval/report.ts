// The shape of an evaluation's result: what the `lab eval` command writes, what a run record stores and
// what a shared URL carries. Plain JSON only (no Maps, no class instances) so it survives every trip.
import type { EvalConfig } from './config.ts';

/**
 * The metrics an evaluation can compute. 'blind' is greedy accuracy with every image withheld (the policy sees a
 * grey frame): what the question text alone earns this policy, so greedy minus blind is what the image adds.
 * 'question-only' asks no model: the option most often gold for the same question text among the dataset's
 * training questions (src/eval/question-only.ts), the line a policy must pass to be using its image at all.
 */
export const EVAL_METRICS = ['greedy', 'avgk', 'circular', 'likelihood', 'blind', 'question-only'] as const;
export type EvalMetric = (typeof EVAL_METRICS)[number];

/** The breakdowns of a VLMEvalKit-style table, after 'Overall'. */
export const CATEGORY_DIMENSIONS = ['questionType', 'modality', 'anatomy', 'source'] as const;
export type CategoryDimension = (typeof CATEGORY_DIMENSIONS)[number];

/** One metric over one group of questions. */
export interface MetricCell {
  /** Questions the metric was computed over (CircularEval and likelihood skip open questions). */
  n: number;
  /** The metric in [0, 1]. */
  value: number;
}

/** All metrics of one group (Overall, or one category label). */
export interface GroupScore {
  /** Questions in the group. */
  n: number;
  /** Completions generated for the group (greedy + samples + rotations). */
  generations: number;
  /** Of those, how many had no extractable answer. */
  unextractable: number;
  /** Keyed by metric label: 'greedy', 'avg@5', 'circular', 'likelihood', 'blind', 'question-only'. */
  metrics: Record<string, MetricCell>;
}

/** Gold anatomy label (rows) against the label of the chosen answer (columns), greedy answers. */
export interface ConfusionMatrix {
  /** Row labels: the gold anatomy labels present, sorted. */
  labels: string[];
  /** Column labels: `labels`, then OTHER_COLUMN and UNEXTRACTED_COLUMN. */
  columns: string[];
  /** counts[row][column]. */
  counts: number[][];
  /** ids[row][column]: the record ids behind each cell, so a cell can open its images. */
  ids: string[][][];
}

export const OTHER_COLUMN = '(other answer)';
export const UNEXTRACTED_COLUMN = '(could not extract)';

/** Speed of the evaluation. */
export interface Throughput {
  /** Questions evaluated. */
  questions: number;
  /** Completions generated. */
  generations: number;
  /** Option-scoring forward passes (likelihood). */
  scoringCalls: number;
  /** Generated tokens, when the policy reports them (0 otherwise). */
  generatedTokens: number;
  /** Wall time of the whole evaluation, ms. */
  wallMs: number;
  /** questions / second of wall time. */
  questionsPerSecond: number;
  /** generated tokens / second of generation time (0 when unknown). */
  tokensPerSecond: number;
  /** Latency of one policy call (a batch of generations, or one option scoring), ms. */
  latencyMs: { mean: number; p50: number; p95: number };
}

/** The unextractable bucket: shown, never hidden. */
export interface UnextractableBucket {
  /** Completions with no extractable answer. */
  count: number;
  /** All completions. */
  total: number;
  /** count / total. */
  rate: number;
  /** Count per reason kind ('ambiguous', 'no option letter or option text found', 'empty completion', ...). */
  byReason: Record<string, number>;
  /** Record ids whose greedy answer could not be extracted. */
  ids: string[];
}

/** The result of one evaluation. */
export interface EvalReport {
  /** Policy name as reported by the policy. */
  policy: string;
  /** Task name (dataset and split). */
  task: string;
  /** The settings it ran with (plain JSON). */
  config: EvalConfig;
  overall: GroupScore;
  byCategory: Record<CategoryDimension, Record<string, GroupScore>>;
  unextractable: UnextractableBucket;
  /** Null when no record carries an anatomy label or greedy decoding was not run. */
  confusion: ConfusionMatrix | null;
  throughput: Throughput;
}
