// One training run from start (or a checkpoint) to its end: evaluation before, the SFT warm start, GRPO, the
// evaluation after, progress per step, checkpoints every N steps and on pause/stop, and the NaN/Inf stop that
// keeps the last good checkpoint. Shared by the worker's train handlers and the CLI's Node path; it knows
// nothing of messages or devices (a lost device surfaces as the trainer's error, the caller recovers).

import type { Backend } from '../../tensor/backend.ts';
import type { TrainOutcome, TrainProgress, TrainRunSummary, TrainState } from '../../worker/train-protocol.ts';
import { flattenStepMetrics } from '../metrics.ts';
import type { CheckpointStore } from './checkpoint-store.ts';
import { GrpoTrainer, NonFiniteLossError, type EvalResult, type TrainerData, type TrainerFaults, type TrainerInit, type TrainerSnapshot } from './trainer.ts';
import type { TrainRunConfig } from './run-config.ts';

export interface RunLoopDeps {
  backend: Backend;
  data: TrainerData;
  /** Where checkpoints go: IndexedDB in the worker, a state file for `lab train --state`; null keeps none. */
  store: RunStore | null;
  progress: (p: TrainProgress) => void;
  faults?: TrainerFaults;
}

/** What the loop needs of a checkpoint store. */
export type RunStore = Pick<CheckpointStore, 'save' | 'setSummary'>;

/** How the run should begin: fresh weights, or a stored snapshot. */
export type RunStart = { kind: 'fresh'; config: TrainRunConfig; init: TrainerInit } | { kind: 'snapshot'; snapshot: TrainerSnapshot };

export class TrainingRun {
  state: TrainState = 'running';
  message = '';
  lastCheckpointStep = -1;
  savedAt: string | null = null;
  private pauseRequested = false;
  private stopRequested = false;
  private trainer: GrpoTrainer | null = null;
  private evalAfter: EvalResult | null = null;
  private config: TrainRunConfig | null = null;

  constructor(
    readonly runId: string,
    private readonly deps: RunLoopDeps,
  ) {}

  /** Pause after the step in flight (a checkpoint is saved, run() resolves 'paused'). */
  requestPause(): void {
    this.pauseRequested = true;
  }

  /** Stop after the step in flight (a checkpoint is saved, run() resolves 'stopped'). */
  requestStop(): void {
    this.stopRequested = true;
  }

  /** What the caller asked for and the loop has not yet acted on. */
  get requested(): 'pause' | 'stop' | null {
    return this.stopRequested ? 'stop' : this.pauseRequested ? 'pause' : null;
  }

  summary(): TrainRunSummary {
    const t = this.trainer, c = this.config ?? t?.config;
    return {
      runId: this.runId, name: c?.name ?? '', state: this.state,
      step: t?.step ?? 0, total: c?.grpo.steps ?? 0, sftStep: t?.sftStep ?? 0, sftTotal: c?.grpo.sft.steps ?? 0,
      datasetId: c?.datasetId ?? '', preset: c?.preset ?? 'tiny', savedAt: this.savedAt, lastCheckpointStep: this.lastCheckpointStep, message: this.message,
    };
  }

  /** Metric rows so far (for a reloaded UI). */
  history(): { rows: Record<string, number>[]; sft: GrpoTrainer['sftMetrics'] } {
    return { rows: (this.trainer?.metrics ?? []).map(flattenStepMetrics), sft: this.trainer?.sftMetrics ?? [] };
  }

  /** Runs until done, paused, stopped or failed. Errors other than a non-finite loss propagate (device loss). */
  async run(start: RunStart): Promise<TrainOutcome> {
    const { deps, runId } = this;
    const emitPhase = (phase: Extract<TrainProgress, { kind: 'phase' }>['phase'], message: string) => deps.progress({ kind: 'phase', runId, phase, message });
    emitPhase('loading', start.kind === 'fresh' ? 'building the policy' : `restoring the checkpoint at GRPO step ${start.snapshot.step}`);
    this.trainer?.dispose();
    const t = (this.trainer = start.kind === 'fresh'
      ? GrpoTrainer.create(deps.backend, start.config, deps.data, start.init, deps.faults)
      : GrpoTrainer.restore(deps.backend, start.snapshot, deps.data, deps.faults));
    this.config = t.config;
    if (start.kind === 'snapshot') this.lastCheckpointStep = start.snapshot.step;
    this.state = 'running';
    this.message = '';
    const cfg = t.config, every = cfg.grpo.checkpointEvery;

    try {
      if (cfg.eval.enabled && t.evalBefore === null && t.step === 0 && t.sftStep === 0) {
        emitPhase('eval-before', `evaluating on ${Math.min(cfg.eval.maxQuestions, t.evalRecords.length)} '${cfg.eval.split}' questions`);
        t.evalBefore = await t.evaluate();
        deps.progress({ kind: 'eval', runId, when: 'before', ...t.evalBefore });
      }
      const session = { t0: performance.now(), steps: 0 };
      const eta = (left: number) => ({ elapsedMs: performance.now() - session.t0, stepsThisSession: session.steps, stepsLeft: left });
      while (t.phase !== 'done') {
        if (this.pauseRequested || this.stopRequested) {
          const state = this.stopRequested ? 'stopped' : 'paused';
          await this.checkpoint();
          return this.finish(state, state === 'paused' ? `paused at GRPO step ${t.step}` : `stopped at GRPO step ${t.step}`);
        }
        if (t.phase === 'sft') {
          if (t.sftStep === 0) emitPhase('sft', `supervised warm start: ${cfg.grpo.sft.steps} steps`);
          const m = await t.sftStepOnce();
          session.steps++;
          deps.progress({ kind: 'sft-step', runId, step: m.step, total: cfg.grpo.sft.steps, metrics: m, eta: eta(cfg.grpo.sft.steps - t.sftStep) });
          if (every > 0 && t.sftStep % every === 0) await this.checkpoint();
        } else {
          if (t.step === 0) emitPhase('grpo', `GRPO: ${cfg.grpo.steps} steps of ${cfg.grpo.batchSize} x ${cfg.grpo.groupSize} rollouts`);
          const { metrics, inspector } = await t.grpoStep();
          session.steps++;
          const save = every > 0 && t.step % every === 0;
          if (save) await this.checkpoint();
          deps.progress({ kind: 'step', runId, step: metrics.step, total: cfg.grpo.steps, metrics, row: flattenStepMetrics(metrics), eta: eta(cfg.grpo.steps - t.step), inspector, checkpointed: save });
        }
      }
      if (cfg.eval.enabled) {
        emitPhase('eval-after', `evaluating on ${Math.min(cfg.eval.maxQuestions, t.evalRecords.length)} '${cfg.eval.split}' questions`);
        this.evalAfter = await t.evaluate();
        deps.progress({ kind: 'eval', runId, when: 'after', ...this.evalAfter });
      }
      await this.checkpoint();
      return this.finish('finished', `finished ${t.step} GRPO steps`);
    } catch (err) {
      if (!(err instanceof NonFiniteLossError)) throw err;
      // The step never updated the weights, but the last checkpoint is what a resume starts from: keep it.
      this.state = 'failed';
      this.message = `${err.message}. The run stopped; its last good checkpoint (GRPO step ${this.lastCheckpointStep}) is kept.`;
      await deps.store?.setSummary(runId, { state: 'failed', message: this.message });
      return this.outcome();
    }
  }

  private async checkpoint(): Promise<void> {
    const t = this.trainer!;
    if (!this.deps.store) return;
    this.deps.progress({ kind: 'phase', runId: this.runId, phase: 'saving', message: `saving a checkpoint at GRPO step ${t.step}` });
    const snapshot = await t.snapshot();
    this.savedAt = new Date().toISOString();
    this.lastCheckpointStep = t.step;
    const bytes = await this.deps.store.save(this.summary(), snapshot);
    this.deps.progress({ kind: 'checkpoint', runId: this.runId, step: t.step, phase: t.grpoStarted ? 'grpo' : 'sft', bytes });
  }

  private async finish(state: Exclude<TrainState, 'running'>, message: string): Promise<TrainOutcome> {
    this.state = state;
    this.message = message;
    await this.deps.store?.setSummary(this.runId, { state, message });
    return this.outcome();
  }

  private outcome(): TrainOutcome {
    const t = this.trainer!;
    return {
      runId: this.runId, state: this.state as Exclude<TrainState, 'running'>, step: t.step, sftStep: t.sftStep, total: t.config.grpo.steps,
      message: this.message, lastCheckpointStep: this.lastCheckpointStep,
      evalBefore: t.evalBefore && { ...t.evalBefore },
      evalAfter: this.evalAfter && { ...this.evalAfter },
    };
  }

  /** The trainer (for the CLI's final numbers); null before run(). */
  get current(): GrpoTrainer | null {
    return this.trainer;
  }

  dispose(): void {
    this.trainer?.dispose();
    this.trainer = null;
  }
}
