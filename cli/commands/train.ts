// `lab train --dataset demo --preset micro|tiny|small --steps N --seed S [--init pretrained|scratch]
//   [--curriculum off|reorder|redraw|both] [--augment off|on] [--backend cpu|gpu] [--batch B] [--group G]
//   [--lr X] [--beta X] [--max-len L] [--sft N] [--eval N] --json f`
// GRPO from the pretrained default (or scratch), a progress line per step, accuracy before and after.
// `--runtime browser` (default) sends the config to the engine worker of the built app in headless Chromium
// through window.labAutomation.train (WebGPU there, the CPU backend without it); `--runtime node` runs the same
// run loop (rl/trainer/run-loop.ts) in Node on the CpuBackend or Dawn (`--backend gpu`). One trainer either way.
import { readFileSync } from 'node:fs';
import { intOption, UsageError, type Command, type ParsedArgs } from '../command.ts';
import { generateAnatomySynth } from '../../src/data/synth/anatomy-synth.ts';
import { MODEL_PRESETS, type PresetName } from '../../src/model/config.ts';
import { checkpointInit, pretrainedPath, scratchInit } from '../../src/rl/trainer/init.ts';
import { restoreTrainRunConfig, type TrainRunConfig } from '../../src/rl/trainer/run-config.ts';
import { TrainingRun } from '../../src/rl/trainer/run-loop.ts';
import type { Backend } from '../../src/tensor/backend.ts';
import { CpuBackend } from '../../src/tensor/cpu-backend.ts';
import type { TrainProgress } from '../../src/worker/train-protocol.ts';

const USAGE =
  'usage: train --dataset demo --preset micro|tiny|small --steps N --seed S [--init pretrained|scratch] ' +
  '[--curriculum off|reorder|redraw|both] [--augment off|on] [--backend cpu|gpu] [--batch B] [--group G] [--lr X] ' +
  '[--beta X] [--max-len L] [--sft N] [--eval N] [--runtime node|browser] [--json f]';

function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T): T {
  const v = args.options.get(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${v}'\n${USAGE}`);
  return v as T;
}

function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got '${raw}'`);
  return n;
}

/** The run config the command line asks for (UsageError on anything malformed). */
export function trainConfig(args: ParsedArgs): TrainRunConfig {
  const dataset = args.options.get('dataset') ?? 'demo';
  if (dataset !== 'demo') throw new UsageError(`--dataset ${dataset}: the Node path trains on 'demo' (AnatomySynth) only; dropped datasets need the browser's image decoder\n${USAGE}`);
  const preset = choice(args, 'preset', Object.keys(MODEL_PRESETS) as PresetName[], 'micro');
  const curriculum = choice(args, 'curriculum', ['off', 'reorder', 'redraw', 'both'] as const, 'off');
  const augment = choice(args, 'augment', ['off', 'on'] as const, 'off');
  const seed = intOption(args, 'seed', 0, 0, 2 ** 32 - 1);
  try {
    return restoreTrainRunConfig({
      name: `lab train ${preset} seed ${seed}`, datasetId: 'demo', preset,
      init: { kind: choice(args, 'init', ['pretrained', 'scratch'] as const, 'pretrained') },
      backend: choice(args, 'backend', ['cpu', 'gpu'] as const, 'cpu') === 'gpu' ? 'webgpu' : 'cpu',
      inspectorGroups: 0,
      eval: { maxQuestions: intOption(args, 'eval', 100, 1, 100_000) },
      curriculum: curriculum === 'off' ? { enabled: false, seed } : { enabled: true, mode: curriculum, seed },
      augment: { enabled: augment === 'on', seed },
      grpo: {
        seed, steps: intOption(args, 'steps', 20, 0, 1_000_000),
        batchSize: intOption(args, 'batch', 4, 1, 4096), groupSize: intOption(args, 'group', 8, 2, 64),
        learningRate: numberOption(args, 'lr', 5e-5), beta: numberOption(args, 'beta', 0.04),
        maxCompletionLength: intOption(args, 'max-len', 24, 4, 4096),
        checkpointEvery: 0,
        sft: { steps: intOption(args, 'sft', 0, 0, 1_000_000) },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

async function makeBackend(kind: TrainRunConfig['backend']): Promise<Backend> {
  if (kind !== 'webgpu') return new CpuBackend();
  const { nodeGpuDevice } = await import('../../src/test/node-gpu.ts');
  const { WebGpuBackend } = await import('../../src/tensor/webgpu-backend.ts');
  return new WebGpuBackend(await nodeGpuDevice());
}

function progressLine(p: TrainProgress): string | null {
  switch (p.kind) {
    case 'phase':
      return `[${p.phase}] ${p.message}`;
    case 'eval':
      return `eval ${p.when}: accuracy ${(100 * p.accuracy).toFixed(1)}% on ${p.questions} questions (${p.extracted} answers extracted)`;
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

type Outcome = { state: string; step: number; message: string; evalBefore: { accuracy: number; questions: number } | null; evalAfter: { accuracy: number; questions: number } | null };

function result(config: TrainRunConfig, runtime: string, rows: Record<string, number>[], outcome: Outcome) {
  if (outcome.state !== 'finished') throw new Error(`training ${outcome.state}: ${outcome.message}`);
  const json = {
    config,
    runtime,
    metrics: rows,
    evalBefore: outcome.evalBefore && { accuracy: outcome.evalBefore.accuracy, questions: outcome.evalBefore.questions },
    evalAfter: outcome.evalAfter && { accuracy: outcome.evalAfter.accuracy, questions: outcome.evalAfter.questions },
  };
  const pct = (x: { accuracy: number } | null) => (x ? `${(100 * x.accuracy).toFixed(1)}%` : 'n/a');
  return { json, message: `trained ${outcome.step} GRPO steps (${runtime}): test accuracy ${pct(outcome.evalBefore)} -> ${pct(outcome.evalAfter)} (${outcome.evalAfter?.questions ?? 0} questions)` };
}

/** The same run in the engine worker of the built app, in headless Chromium. */
async function trainInBrowser(config: TrainRunConfig) {
  const { withLabPage } = await import('../harness.ts');
  const rows: Record<string, number>[] = [];
  const outcome = await withLabPage(async ({ page }) => {
    await page.exposeFunction('labTrainProgress', (p: TrainProgress) => {
      if (p.kind === 'step') rows.push(p.row);
      const line = progressLine(p);
      if (line) console.log(line);
    });
    const json = { ...config, datasetId: 'demo', backend: 'auto' } as unknown as Record<string, unknown>;
    return page.evaluate(
      (cfg) => window.labAutomation!.train(cfg, (p) => (window as unknown as { labTrainProgress: (p: unknown) => void }).labTrainProgress(p)),
      json,
    );
  }, (line) => console.error(line));
  return result(config, 'browser worker', rows, outcome);
}

export const train: Command = async (args) => {
  if (args.positional.length > 0) throw new UsageError(`train takes no positional arguments\n${USAGE}`);
  const config = trainConfig(args);
  if (choice(args, 'runtime', ['node', 'browser'] as const, 'browser') === 'browser') return trainInBrowser(config);
  const synth = generateAnatomySynth({ imageSize: 64 });
  const data = { records: synth.records, image: (ref: string) => synth.images.get(ref) ?? null };
  let init;
  if (config.init.kind === 'pretrained') {
    const path = new URL(`../../public/${pretrainedPath(config.preset)}`, import.meta.url);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch {
      throw new UsageError(`no pretrained ${config.preset} policy at public/${pretrainedPath(config.preset)}; run npm run pretrain -- --preset ${config.preset}, or pass --init scratch`);
    }
    init = checkpointInit(bytes, `public/${pretrainedPath(config.preset)}`);
  } else {
    init = scratchInit(config.preset, synth.records, config.grpo.seed);
  }
  const backend = await makeBackend(config.backend);
  console.error(`train: ${config.preset} from ${config.init.kind} on AnatomySynth (${synth.records.length} questions), ${config.grpo.steps} GRPO steps of ${config.grpo.batchSize} x ${config.grpo.groupSize}, lr ${config.grpo.learningRate}, beta ${config.grpo.beta}, ${backend.name} in Node`);
  const run = new TrainingRun('cli', { backend, data, store: null, progress: (p) => {
    const line = progressLine(p);
    if (line) console.log(line);
  } });
  try {
    const outcome = await run.run({ kind: 'fresh', config, init });
    return result(config, `node ${backend.name}`, run.history().rows, outcome);
  } finally {
    run.dispose();
  }
};
