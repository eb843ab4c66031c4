// The run record: everything needed to read, compare, share and reproduce one training, evaluation,
// ablation or imported run. Configs are kept as plain JSON objects here so that this module does not
// depend on the model, GRPO, curriculum or augmentation modules (each owns its own restore* function).
import type { EvalReport } from '../eval/report.ts';

/** Schema version of RunRecord; bump it and add a migration in migrate.ts when the shape changes. */
export const RUN_RECORD_VERSION = 1;

export type RunKind = 'train' | 'eval' | 'ablation' | 'imported';
export const RUN_KINDS: readonly RunKind[] = ['train', 'eval', 'ablation', 'imported'];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The configs of a run, each as the owning module serialises it; the seed sits at the top. */
export interface RunConfig {
  /** Seed of everything random in the run (init, sampling, shuffles, curriculum). Typical: 0. */
  seed: number;
  /** ModelConfig as JSON. */
  model: JsonObject;
  /** GrpoConfig as JSON ({} for eval-only runs). */
  grpo: JsonObject;
  /** CurriculumConfig as JSON ({} when off). */
  curriculum: JsonObject;
  /** AugmentConfig as JSON ({} when off). */
  augment: JsonObject;
  /** EvalConfig as JSON ({} when the run has no evaluation). */
  eval: JsonObject;
}

/** Logged metrics at one optimizer step (TRL names: 'reward', 'reward_std', 'frac_reward_zero_std', 'kl', ...). */
export interface MetricPoint {
  /** Optimizer step, >= 0. */
  step: number;
  /** Finite values only; a metric not logged at this step is absent. */
  values: Record<string, number>;
}

/** How a history was thinned. */
export type DownsampleMethod = 'none' | 'stride' | 'lttb';

/** The metric curves of a run. */
export interface MetricHistory {
  /** Points in increasing step order. */
  points: MetricPoint[];
  /** Points logged before any downsampling (>= points.length). */
  loggedPoints: number;
  /** How `points` were chosen from the logged ones. */
  method: DownsampleMethod;
}

/** One evaluation attached to a run. */
export interface RunEval {
  /** Label of the evaluation (e.g. 'final', 'step 200', 'pretrained'). */
  name: string;
  /** Step of the policy that was evaluated (-1 for a pretrained or external model). */
  step: number;
  report: EvalReport;
}

export interface RunRecord {
  /** Always RUN_RECORD_VERSION after restore. */
  version: number;
  /** Unique id (e.g. 'run-2026-11-25T13-40-00-ab12'). */
  id: string;
  kind: RunKind;
  /** Human name, shown as text only. */
  name: string;
  /** ISO 8601 creation time. */
  createdAt: string;
  config: RunConfig;
  /** Lab version and git commit of the build that made the run. */
  app: { version: string; commit: string };
  /** The WebGPU adapter it ran on; null for CPU or imported runs. */
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean } | null;
  /** The dataset, by fingerprint (hash over record ids and image hashes) and counts per split; no content. */
  dataset: { name: string; fingerprint: string; counts: Record<string, number> };
  history: MetricHistory;
  evals: RunEval[];
  /** Durations and rates in ms or per second, named for what they are ('wallMs', 'stepsPerSecond', ...). */
  timings: Record<string, number>;
  /** Free text from the researcher, shown as text only. */
  notes: string;
  /** For imported runs: the trainer and file the log came from; null for runs made in the lab. */
  origin: { trainer: string; file: string } | null;
}

/** A MetricPoint from raw logged values, keeping only finite numbers (a NaN loss is not a point on a curve). */
export function metricPoint(step: number, values: Record<string, number>): MetricPoint {
  const kept: Record<string, number> = {};
  for (const [name, value] of Object.entries(values)) if (Number.isFinite(value)) kept[name] = value;
  return { step, values: kept };
}

/** An empty run record with the fields a new run starts from. */
export function emptyRunRecord(id: string, kind: RunKind, createdAt: string): RunRecord {
  return {
    version: RUN_RECORD_VERSION,
    id,
    kind,
    name: id,
    createdAt,
    config: { seed: 0, model: {}, grpo: {}, curriculum: {}, augment: {}, eval: {} },
    app: { version: typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'unknown', commit: typeof __APP_COMMIT__ === 'string' ? __APP_COMMIT__ : 'unknown' },
    adapter: null,
    dataset: { name: '', fingerprint: '', counts: {} },
    history: { points: [], loggedPoints: 0, method: 'none' },
    evals: [],
    timings: {},
    notes: '',
    origin: null,
  };
}
