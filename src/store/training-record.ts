// Pure helpers of the training store: a step's chart row as a MetricPoint, the ETA from the worker's inputs,
// a failed request in words, and the RunRecord a finished (or stopped, or failed) run is saved as. No React,
// no store: tested in Node beside training.test.ts.
import type { EvalReport, GroupScore } from '../eval/report.ts';
import { DEFAULT_EVAL_CONFIG } from '../eval/config.ts';
import { presetConfig } from '../model/config.ts';
import { emptyRunRecord, metricPoint, type JsonObject, type MetricHistory, type MetricPoint, type RunRecord } from '../runs/record.ts';
import type { DatasetMeta } from '../data/index.ts';
import type { EtaInputs, TrainOutcome, TrainRunConfig } from '../worker/train-protocol.ts';

/**
 * A step's flat row as a chart point. x is the number of GRPO steps done (0-based step + 1), so the first
 * point sits at 1 and the last at `total`, as TRL's global_step counts. The row's own `step` is dropped.
 */
export function pointFromRow(step0: number, row: Record<string, number>): MetricPoint {
  const values: Record<string, number> = {};
  for (const [k, v] of Object.entries(row)) if (k !== 'step') values[k] = v;
  return metricPoint(step0 + 1, values);
}

/** Seconds left at the rate of this session (start or resume); null before the first step of the session. */
export function etaSeconds(eta: EtaInputs): number | null {
  if (eta.stepsThisSession <= 0 || eta.elapsedMs <= 0) return null;
  return (eta.stepsLeft * eta.elapsedMs) / eta.stepsThisSession / 1000;
}

/** A device destroyed under a pending readback surfaces as a plain GPU error, not as DeviceLostError. */
export function isDeviceLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'DeviceLostError' || /mapAsync|device (was |is )?(lost|destroyed)|GPUDevice.*(lost|destroyed)/i.test(err.message);
}

/** A request's failure in words a researcher can act on; the engine's typed errors get their own advice. */
export function describeTrainError(err: unknown): string {
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (/Unknown request type 'train\//.test(message)) {
    return 'The trainer is not part of this build of the engine worker, so no run can start here yet.';
  }
  switch (isDeviceLoss(err) ? 'DeviceLostError' : name) {
    case 'DeviceLostError':
      return `The GPU device was lost (${message.replace(/\.\s*$/, '')}). The run keeps its last checkpoint: press Resume to continue from it.`;
    case 'WebGpuUnavailableError':
      return `WebGPU is not available in this browser (${message}). Choose the CPU engine to train a micro policy slowly.`;
    case 'OutOfMemoryError':
      return `The GPU ran out of memory (${message}). Try the micro preset, a smaller G or batch, or a shorter max completion length.`;
    case 'CancelledError':
      return 'The request was cancelled.';
    default:
      return message || 'The engine failed without a message.';
  }
}

/** The evaluation before or after a run as an EvalReport: only the greedy accuracy the trainer measures. */
export function accuracyReport(policy: string, task: string, accuracy: number, questions: number, maxNewTokens: number): EvalReport {
  const n = Math.max(0, Math.round(questions));
  const overall: GroupScore = { n, generations: n, unextractable: 0, metrics: { greedy: { n, value: Math.min(1, Math.max(0, accuracy)) } } };
  return {
    policy,
    task,
    config: { ...DEFAULT_EVAL_CONFIG, metrics: ['greedy'], maxNewTokens },
    overall,
    // The trainer reports overall accuracy only; the breakdowns are left empty rather than invented.
    byCategory: { questionType: {}, modality: {}, anatomy: {}, source: {} },
    unextractable: { count: 0, total: n, rate: 0, byReason: {}, ids: [] },
    confusion: null,
    throughput: {
      questions: n,
      generations: n,
      scoringCalls: 0,
      generatedTokens: 0,
      wallMs: 0,
      questionsPerSecond: 0,
      tokensPerSecond: 0,
      latencyMs: { mean: 0, p50: 0, p95: 0 },
    },
  };
}

export interface RunRecordInputs {
  runId: string;
  config: TrainRunConfig;
  outcome: TrainOutcome;
  history: MetricHistory;
  dataset: DatasetMeta | null;
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean } | null;
  /** ISO time the run started (or was first seen by this tab). */
  createdAt: string;
  /** Wall time of the sessions this tab saw, ms. */
  wallMs: number;
}

const asJson = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

/** The run as the Runs panel keeps it: configs as JSON, the curves, before/after accuracy, how it ended. */
export function trainRunRecord(x: RunRecordInputs): RunRecord {
  const { config, outcome } = x;
  const run = emptyRunRecord(x.runId, 'train', x.createdAt);
  const init = config.init.kind === 'checkpoint' ? `checkpoint of ${config.init.runId}` : config.init.kind;
  run.name = config.name;
  run.config = {
    seed: config.grpo.seed,
    model: { ...asJson(presetConfig(config.preset)), preset: config.preset, init },
    grpo: asJson(config.grpo),
    curriculum: config.curriculum.enabled ? asJson(config.curriculum) : {},
    augment: config.augment.enabled ? asJson(config.augment) : {},
    eval: config.eval.enabled ? asJson(config.eval) : {},
  };
  run.adapter = config.backend === 'cpu' ? null : x.adapter;
  run.dataset = x.dataset
    ? { name: x.dataset.name, fingerprint: x.dataset.fingerprint, counts: { ...x.dataset.bySplit } }
    : { name: config.datasetId, fingerprint: '', counts: {} };
  run.history = x.history;
  const task = `${x.dataset?.name ?? config.datasetId} ${config.eval.split}`;
  const max = config.grpo.maxCompletionLength;
  if (outcome.evalBefore) run.evals.push({ name: 'before', step: 0, report: accuracyReport(`${config.preset} ${init}`, task, outcome.evalBefore.accuracy, outcome.evalBefore.questions, max) });
  if (outcome.evalAfter) run.evals.push({ name: 'after', step: outcome.step, report: accuracyReport(`${config.preset} step ${outcome.step}`, task, outcome.evalAfter.accuracy, outcome.evalAfter.questions, max) });
  run.timings = { wallMs: Math.max(0, x.wallMs), steps: outcome.step, ...(x.wallMs > 0 && outcome.step > 0 ? { stepsPerSecond: outcome.step / (x.wallMs / 1000) } : {}) };
  run.notes = outcome.state === 'finished' ? '' : `Run ${outcome.state} at step ${outcome.step} of ${outcome.total}: ${outcome.message}`;
  return run;
}
