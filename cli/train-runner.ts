// One GRPO training from a checked TrainRunConfig, shared by `lab train` and `lab ablation`: in Node (the run
// loop of rl/trainer/run-loop.ts on the CpuBackend or Dawn) or in the engine worker of the built app in
// headless Chromium. A session keeps one runtime open so an ablation does not start a browser per run.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from '@playwright/test';
import { UsageError } from './command.ts';
import { DEFAULT_SYNTH_CONFIG, generateAnatomySynth } from '../src/data/synth/anatomy-synth.ts';
import { ofQuestionTypes, parseQuestionTypes } from '../src/data/synth/question-types.ts';
import { writeCheckpoint } from '../src/model/safetensors.ts';
import { checkpointInit, pretrainedPath, scratchInit } from '../src/rl/trainer/init.ts';
import type { TrainRunConfig } from '../src/rl/trainer/run-config.ts';
import { TrainingRun } from '../src/rl/trainer/run-loop.ts';
import type { TrainerData, TrainerInit, TypeScore } from '../src/rl/trainer/trainer.ts';
import { checkpointKey, fileRunStore, resumableState } from './train-state.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { CpuBackend } from '../src/tensor/cpu-backend.ts';
import type { TrainOutcome, TrainProgress } from '../src/worker/train-protocol.ts';

/** Where a run trains: 'node' imports the engine here, 'browser' drives the built app's worker. */
export type TrainRuntime = 'node' | 'browser';
export const TRAIN_RUNTIMES: readonly TrainRuntime[] = ['node', 'browser'];

/** Accuracy of one evaluation, as `lab train` writes it. */
export interface EvalSummary {
  accuracy: number;
  questions: number;
  /** Answers that named one of the options (the rest score 0 whatever they say). */
  extracted: number;
  /** Ids of the questions answered right (before and after are the same questions, compared one by one). */
  correct?: string[];
  /** What the question text alone gets on the same questions (src/eval/question-only.ts). */
  questionOnly?: number;
  /** Questions, right answers and named options per question type. */
  byType?: Record<string, TypeScore>;
}

/** What one finished training gave. */
export interface TrainingResult {
  config: TrainRunConfig;
  /** 'browser worker', or 'node <backend name>'. */
  runtime: string;
  /** One flat metric row per GRPO step (flattenStepMetrics). */
  metrics: Record<string, number>[];
  evalBefore: EvalSummary | null;
  evalAfter: EvalSummary | null;
  /** GRPO steps done. */
  step: number;
  /** Wall time of the run, ms (building the policy and both evaluations included); this sitting's only after a --state resume. */
  wallMs: number;
  /** With --state: 'stopped' when --stop-after ended this sitting before the run's last step. */
  outcome?: 'finished' | 'stopped';
  /** With --state: the GRPO step this sitting resumed at (null: it began the run). */
  resumedAt?: number | null;
  /** With --state: steps (SFT and GRPO) done in this sitting. */
  stepsThisSitting?: number;
  /** With --state, a sitting that stopped before the last step: the policy so far on the same questions. */
  evalAtStop?: EvalSummary;
}

/** Where a run's progress lines go (stdout for `lab train`, prefixed ones for `lab ablation`). */
export type LineSink = (line: string) => void;

export interface TrainingSession {
  train(config: TrainRunConfig, log: LineSink): Promise<TrainingResult>;
}

/** The line `lab train` prints for one evaluation ('before', 'after', 'at step 40'). */
function evalLine(when: string, e: EvalSummary): string {
  return `eval ${when}: accuracy ${(100 * e.accuracy).toFixed(1)}% on ${e.questions} questions (${e.extracted} answers extracted)` +
    (e.questionOnly === undefined ? '' : `; the question text alone: ${(100 * e.questionOnly).toFixed(1)}%`);
}

/** The line `lab train` prints for one progress event; null for events it does not print. */
export function progressLine(p: TrainProgress): string | null {
  switch (p.kind) {
    case 'phase':
      return `[${p.phase}] ${p.message}`;
    case 'eval':
      return evalLine(p.when, p);
    case 'sft-step':
      return `sft ${p.step + 1}/${p.total} loss ${p.metrics.loss.toFixed(4)} ${p.metrics.step_time.toFixed(1)} s`;
    case 'step': {
      const m = p.metrics;
      const left = p.eta.stepsThisSession ? (p.eta.elapsedMs / p.eta.stepsThisSession) * p.eta.stepsLeft / 1000 : 0;
      return `step ${p.step + 1}/${p.total} reward ${m.reward.toFixed(3)} acc ${(m.rewards.accuracy?.mean ?? 0).toFixed(3)} fmt ${(m.rewards.format?.mean ?? 0).toFixed(3)} ` +
        `zero_std ${m.frac_reward_zero_std.toFixed(2)} kl ${m.kl.toFixed(4)} loss ${m.loss.toFixed(4)} grad_norm ${m.grad_norm.toFixed(3)} ` +
        `len ${m['completions/mean_length'].toFixed(1)} ${m.step_time.toFixed(1)} s (eta ${left.toFixed(0)} s)`;
    }
    default:
      return null;
  }
}

/** A run that did not finish is a failure (exit 1), with the trainer's reason; `stopOk` lets a --stop-after stop through. */
function finished(config: TrainRunConfig, runtime: string, rows: Record<string, number>[], outcome: TrainOutcome, wallMs: number, stopOk = false): TrainingResult {
  if (outcome.state !== 'finished' && !(stopOk && outcome.state === 'stopped')) throw new Error(`training ${outcome.state}: ${outcome.message}`);
  return {
    config, runtime, metrics: rows, step: outcome.step, wallMs,
    evalBefore: outcome.evalBefore && { ...outcome.evalBefore },
    evalAfter: outcome.evalAfter && { ...outcome.evalAfter },
  };
}

async function makeBackend(kind: TrainRunConfig['backend']): Promise<Backend> {
  if (kind !== 'webgpu') return new CpuBackend();
  const { nodeGpuDevice } = await import('../src/test/node-gpu.ts');
  const { WebGpuBackend } = await import('../src/tensor/webgpu-backend.ts');
  return new WebGpuBackend(await nodeGpuDevice());
}

/** Node: AnatomySynth generated once per session, one backend per run (a run's tensors die with it). */
function nodeSession({ questions = DEFAULT_SYNTH_CONFIG.questions, checkpoint, types = 'all', save, state }: SessionOptions): TrainingSession {
  let synth: ReturnType<typeof generateAnatomySynth> | null = null;
  return {
    async train(config, log) {
      synth ??= generateAnatomySynth({ imageSize: 64, questions });
      const s = synth;
      const chosen = parseQuestionTypes(types);
      // The tokenizer of a scratch policy still comes from every record, as the pretrain's does.
      const data: TrainerData = { records: ofQuestionTypes(s.records, chosen), image: (ref: string) => s.images.get(ref) ?? null };
      const lab = { questions, checkpoint: checkpointKey(checkpoint), types };
      const prior = state ? resumableState(state.file, config, lab) : null;
      // A resumed run needs nothing but its state: the starting policy file may have moved since.
      const init = prior ? null : initialPolicy(config, s.records, checkpoint);
      const backend = await makeBackend(config.backend);
      const steps = `${config.grpo.steps} GRPO steps of ${config.grpo.batchSize} x ${config.grpo.groupSize}`;
      console.error(prior
        ? `train: resuming ${state!.file} at GRPO step ${prior.snapshot.step} (SFT step ${prior.snapshot.sftStep}) of ${steps}, ${backend.name} in Node`
        : `train: ${config.preset} from ${checkpoint ?? config.init.kind} on AnatomySynth (${data.records.length} questions${chosen ? `: ${chosen.join(', ')} only` : ''}), ${steps}, lr ${config.grpo.learningRate}, beta ${config.grpo.beta}, ${backend.name} in Node`);
      let sitting = 0;
      const run = new TrainingRun('cli', {
        backend, data,
        store: state ? fileRunStore(state.file, lab) : null,
        progress: (p) => {
          const line = progressLine(p);
          if (line) log(line);
          if ((p.kind === 'step' || p.kind === 'sft-step') && ++sitting === state?.stopAfter) run.requestStop();
        },
      });
      const every = state ? { checkpointEvery: state.saveEvery } : {};
      const t0 = performance.now();
      try {
        const outcome = await run.run(prior
          ? { kind: 'snapshot', snapshot: { ...prior.snapshot, runConfig: { ...prior.snapshot.runConfig, grpo: { ...prior.snapshot.runConfig.grpo, ...every } } } }
          : { kind: 'fresh', config: { ...config, grpo: { ...config.grpo, ...every } }, init: init! });
        const result = finished(config, `node ${backend.name}`, run.history().rows, outcome, performance.now() - t0, state !== undefined);
        if (state) Object.assign(result, { outcome: outcome.state, resumedAt: prior ? prior.snapshot.step : null, stepsThisSitting: sitting });
        // A sitting that ends early says where the run stands, on the questions of its evaluation before. The state
        // is already written, and the evaluation draws on seeds of its own, so the next sitting is unchanged by it.
        if (state && outcome.state === 'stopped' && config.eval.enabled && run.current) {
          log(`[eval-at-stop] evaluating the policy at GRPO step ${outcome.step}`);
          result.evalAtStop = { ...(await run.current.evaluate()) };
          log(evalLine(`at step ${outcome.step}`, result.evalAtStop));
        }
        if (save && outcome.state === 'finished') await savePolicy(save, run, result, checkpoint ?? config.init.kind, types);
        return result;
      } finally {
        run.dispose();
      }
    },
  };
}

/** The policy a fresh run starts from: a --checkpoint file, the committed default, or scratch weights. */
function initialPolicy(config: TrainRunConfig, records: TrainerData['records'], checkpoint: string | undefined): TrainerInit {
  if (checkpoint) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(checkpoint);
    } catch (err) {
      throw new UsageError(`--checkpoint ${checkpoint}: ${(err as Error).message}`);
    }
    return checkpointInit(bytes, checkpoint);
  }
  if (config.init.kind === 'pretrained') {
    const path = new URL(`../public/${pretrainedPath(config.preset)}`, import.meta.url);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new UsageError(`no pretrained ${config.preset} policy at public/${pretrainedPath(config.preset)}; run npm run pretrain -- --preset ${config.preset}, or pass --init scratch`);
    }
    return checkpointInit(bytes, `public/${pretrainedPath(config.preset)}`);
  }
  return scratchInit(config.preset, records, config.grpo.seed);
}

/**
 * The policy a run ended with, as a checkpoint any command reads (`lab eval --checkpoint`, `lab train --checkpoint`,
 * the Model panel), with a card saying where it came from and what it scored.
 */
async function savePolicy(file: string, run: TrainingRun, r: TrainingResult, from: string, types: string): Promise<void> {
  const t = run.current!;
  const card = {
    name: basename(file).replace(/\.safetensors$/, ''),
    made: 'lab train (GRPO)',
    from, dataset: { name: 'AnatomySynth', seed: DEFAULT_SYNTH_CONFIG.seed, questionTypes: types },
    grpo: r.config.grpo, steps: r.step,
    testAccuracy: { before: r.evalBefore?.accuracy ?? null, after: r.evalAfter?.accuracy ?? null, questions: r.evalAfter?.questions ?? 0 },
  };
  const bytes = writeCheckpoint(t.policy.config, t.tokenizer, await t.policy.params.readAll(), { card: JSON.stringify(card) }, 'F32');
  writeFileSync(file, bytes);
}

/** Browser: one page; the progress callback is exposed once and routed to the run in flight. */
function browserSession(page: Page, questions: number): TrainingSession {
  let sink: ((p: TrainProgress) => void) | null = null;
  let exposed: Promise<unknown> | null = null;
  return {
    async train(config, log) {
      exposed ??= page.exposeFunction('labTrainProgress', (p: TrainProgress) => sink?.(p));
      await exposed;
      const rows: Record<string, number>[] = [];
      sink = (p) => {
        if (p.kind === 'step') rows.push(p.row);
        const line = progressLine(p);
        if (line) log(line);
      };
      const json = { ...config, datasetId: 'demo', backend: 'auto' } as unknown as Record<string, unknown>;
      const t0 = performance.now();
      try {
        const outcome = await page.evaluate(
          ({ cfg, n }) => window.labAutomation!.train(cfg, (p) => (window as unknown as { labTrainProgress: (p: unknown) => void }).labTrainProgress(p), { demoQuestions: n }),
          { cfg: json, n: questions },
        );
        return finished(config, 'browser worker', rows, outcome, performance.now() - t0);
      } finally {
        sink = null;
      }
    },
  };
}

export interface SessionOptions {
  /**
   * The size of the demo: AnatomySynth seed 1 with this many questions (the demo's 2,000 by default). A larger
   * one keeps the demo's scenes and split and adds more, so its test split gives a tighter accuracy.
   */
  questions?: number;
  /** Node only: start every run from this policy checkpoint (.safetensors) instead of the config's init. */
  checkpoint?: string;
  /** Node only: write the trained policy here (.safetensors with its card) when the run finishes. */
  save?: string;
  /** Node only: train and test on these AnatomySynth question types ('location,relation'), or 'all' (the default). */
  types?: string;
  /**
   * Node only: keep the run's whole state in `file` every `saveEvery` steps and when it ends, continue from it when
   * it exists, and stop this sitting after `stopAfter` steps (0: run to the end).
   */
  state?: { file: string; saveEvery: number; stopAfter: number };
}

/** Runs `fn` with a training session of the given runtime; a browser session closes Chromium and the server after. */
export async function withTrainingSession<T>(runtime: TrainRuntime, fn: (session: TrainingSession) => Promise<T>, options: SessionOptions = {}): Promise<T> {
  if (runtime === 'node') return fn(nodeSession(options));
  if (options.checkpoint) throw new UsageError('--checkpoint reads a file in Node: use it with --runtime node');
  if (options.save) throw new UsageError('--save writes a file in Node: use it with --runtime node');
  if (options.types && options.types !== 'all') throw new UsageError('--types filters the demo in Node: use it with --runtime node');
  if (options.state) throw new UsageError('--state keeps the run in a file in Node: use it with --runtime node (the browser keeps its runs in IndexedDB)');
  const { withLabPage } = await import('./harness.ts');
  return withLabPage(({ page }) => fn(browserSession(page, options.questions ?? DEFAULT_SYNTH_CONFIG.questions)), (line) => console.error(line));
}

/** One training, as `lab train` runs it; progress lines go to `log` (stdout by default). */
export function runTraining(
  config: TrainRunConfig, runtime: TrainRuntime, log: LineSink = (line) => console.log(line), options: SessionOptions = {},
): Promise<TrainingResult> {
  return withTrainingSession(runtime, (session) => session.train(config, log), options);
}
