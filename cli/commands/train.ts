// `lab train --dataset demo --preset micro|tiny|small --steps N --seed S [--init pretrained|scratch]
//   [--curriculum off|reorder|redraw|both] [--augment off|on] [--backend cpu|gpu] [--batch B] [--group G]
//   [--lr X] [--beta X] [--max-len L] [--sft N] [--eval N] [--questions N] [--checkpoint f] [--types t,..] [--save f]
//   [--state f [--save-every N] [--stop-after N]] --json f`
// GRPO from the pretrained default (or scratch, or a --checkpoint file), a progress line per step, accuracy before
// and after.
// `--runtime browser` (default) sends the config to the engine worker of the built app in headless Chromium
// through window.labAutomation.train (WebGPU there, the CPU backend without it); `--runtime node` runs the same
// run loop (rl/trainer/run-loop.ts) in Node on the CpuBackend or Dawn (`--backend gpu`). One trainer either way:
// cli/train-runner.ts runs it, for this command and for `lab ablation`.
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { intOption, UsageError, type Command, type ParsedArgs, withUsage } from '../command.ts';
import { runTraining, TRAIN_RUNTIMES, type EvalSummary, type TrainingResult } from '../train-runner.ts';
import { DEFAULT_SYNTH_CONFIG } from '../../src/data/synth/anatomy-synth.ts';
import { parseQuestionTypes, questionTypesText } from '../../src/data/synth/question-types.ts';
import { formatPValue, pairedEvals } from '../../src/eval/metrics.ts';
import { MODEL_PRESETS, type PresetName } from '../../src/model/config.ts';
import { restoreTrainRunConfig, type TrainRunConfig } from '../../src/rl/trainer/run-config.ts';

const USAGE =
  'usage: train --dataset demo --preset micro|tiny|small --steps N --seed S [--init pretrained|scratch] ' +
  '[--curriculum off|reorder|redraw|both] [--augment off|on] [--backend cpu|gpu] [--batch B] [--group G] [--lr X] ' +
  '[--beta X] [--max-len L] [--sft N] [--eval N] [--questions N] [--checkpoint <policy.safetensors>, node runtime] [--types all|location,relation,attribute, node runtime] [--save <policy.safetensors>, node runtime] [--state <file> [--save-every N] [--stop-after N], node runtime] [--runtime node|browser] [--json f]';

/** A choice flag; the message ends with the calling command's usage line. */
export function choice<T extends string>(args: ParsedArgs, name: string, allowed: readonly T[], fallback: T, usage = USAGE): T {
  const v = args.options.get(name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got '${v}'\n${usage}`);
  return v as T;
}

function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const raw = args.options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got '${raw}'`);
  return n;
}

/** The run config the command line asks for (UsageError on anything malformed; `usage` ends its message). */
export function trainConfig(args: ParsedArgs, usage = USAGE): TrainRunConfig {
  const dataset = args.options.get('dataset') ?? 'demo';
  if (dataset !== 'demo') throw new UsageError(`--dataset ${dataset}: the Node path trains on 'demo' (AnatomySynth) only; dropped datasets need the browser's image decoder\n${usage}`);
  const preset = choice(args, 'preset', Object.keys(MODEL_PRESETS) as PresetName[], 'micro', usage);
  const curriculum = choice(args, 'curriculum', ['off', 'reorder', 'redraw', 'both'] as const, 'off', usage);
  const augment = choice(args, 'augment', ['off', 'on'] as const, 'off', usage);
  const seed = intOption(args, 'seed', 0, 0, 2 ** 32 - 1);
  try {
    return restoreTrainRunConfig({
      name: `lab train ${preset} seed ${seed}`, datasetId: 'demo', preset,
      init: { kind: choice(args, 'init', ['pretrained', 'scratch'] as const, 'pretrained', usage) },
      backend: choice(args, 'backend', ['cpu', 'gpu'] as const, 'cpu', usage) === 'gpu' ? 'webgpu' : 'cpu',
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

/**
 * --questions: the size of the demo (AnatomySynth seed 1). The default 2,000 is the demo itself, whose 428 test
 * questions leave a greedy accuracy about ±2.3 points wide; 16,000 keeps those scenes and adds more (3,172 test).
 */
export function demoQuestions(args: ParsedArgs): number {
  return intOption(args, 'questions', DEFAULT_SYNTH_CONFIG.questions, 100, 200_000);
}

/** --checkpoint: GRPO from a policy file (any SFT or GRPO checkpoint) rather than the pretrained default. */
export function checkpointOption(args: ParsedArgs, usage = USAGE): string | undefined {
  const file = args.options.get('checkpoint');
  if (file === undefined) return undefined;
  if (args.options.has('init')) throw new UsageError(`--checkpoint ${file} is the initial policy; leave out --init\n${usage}`);
  return file;
}

/**
 * --types: GRPO on some AnatomySynth question types only, tested on the same types (location questions are the
 * ones the image decides). The list is sorted so the JSON names one choice one way.
 */
export function typesOption(args: ParsedArgs): string {
  try {
    return questionTypesText(parseQuestionTypes(args.options.get('types') ?? 'all'));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** A file a flag will write: its folder made and writable, the path not itself a folder; checked before any training. */
function writableFile(flag: string, file: string, what: string): string {
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`--${flag} ${file} is a folder; name ${what}`);
  const dir = dirname(resolve(file));
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new UsageError(`--${flag} ${file}: cannot write there (${(err as Error).message})`);
  }
  return file;
}

/**
 * --save: where the trained policy goes. Checked before the run, so a path that cannot be written fails now and
 * not after an hour of training.
 */
export function saveOption(args: ParsedArgs): string | undefined {
  const file = args.options.get('save');
  return file === undefined ? undefined : writableFile('save', file, 'a .safetensors file');
}

/**
 * --state f [--save-every N] [--stop-after N]: a run kept in a file, so it can stop and continue in later sittings
 * (a 2,000-step run on a CPU takes most of a day). Checked before any training, like --save.
 */
export function stateOption(args: ParsedArgs): { file: string; saveEvery: number; stopAfter: number } | undefined {
  const file = args.options.get('state');
  if (file === undefined) {
    for (const flag of ['save-every', 'stop-after']) if (args.options.has(flag)) throw new UsageError(`--${flag} needs --state <file> to keep what was done\n${USAGE}`);
    return undefined;
  }
  writableFile('state', file, 'a file');
  return { file, saveEvery: intOption(args, 'save-every', 10, 1, 1_000_000), stopAfter: intOption(args, 'stop-after', 0, 0, 1_000_000) };
}

/**
 * Right answers before -> after per question type ('; by type: attribute 85 -> 153 of 348, ...'), or '' when an
 * evaluation lacks the split or the questions are all of one type (the overall figure says it all then).
 */
export function typeChange(before: EvalSummary | null, after: EvalSummary | null): string {
  const a = before?.byType, b = after?.byType;
  if (!a || !b) return '';
  const types = Object.keys(b).sort();
  if (types.length < 2) return '';
  return `; by type: ${types.map((t) => `${t || '(no type)'} ${a[t]?.correct ?? 0} -> ${b[t].correct} of ${b[t].questions}`).join(', ')}`;
}

/** `lab train`'s JSON and closing line for a finished training (or, with --stop-after, a sitting of one). */
export function trainResult(r: TrainingResult, questions = DEFAULT_SYNTH_CONFIG.questions, checkpoint?: string, types = 'all', stateFile?: string): { json: unknown; message: string } {
  const paired = r.evalBefore && r.evalAfter ? pairedEvals(r.evalBefore, r.evalAfter) : null;
  const json = {
    config: r.config, runtime: r.runtime, metrics: r.metrics, evalBefore: r.evalBefore, evalAfter: r.evalAfter,
    // Before and after score the same questions, so the change is tested question by question (sign test).
    ...(paired ? { paired } : {}),
    dataset: { name: 'AnatomySynth', seed: DEFAULT_SYNTH_CONFIG.seed, questions, questionTypes: types },
    ...(checkpoint ? { initCheckpoint: checkpoint } : {}),
    ...(stateFile ? { state: { file: stateFile, outcome: r.outcome ?? 'finished', step: r.step, resumedAt: r.resumedAt ?? null, stepsThisSitting: r.stepsThisSitting ?? 0 } } : {}),
  };
  const pct = (x: { accuracy: number } | null) => (x ? `${(100 * x.accuracy).toFixed(1)}%` : 'n/a');
  if (r.outcome === 'stopped') {
    const atStop = r.evalBefore && r.evalAtStop ? pairedEvals(r.evalBefore, r.evalAtStop) : null;
    const soFar = r.evalAtStop
      ? `; test accuracy so far ${pct(r.evalBefore)} -> ${pct(r.evalAtStop)} (${r.evalAtStop.questions} questions${atStop ? `; ${atStop.gained} gained, ${atStop.lost} lost, sign test ${formatPValue(atStop.pValue)}` : ''})${typeChange(r.evalBefore, r.evalAtStop)}`
      : '';
    return {
      json: { ...json, ...(r.evalAtStop ? { evalAtStop: r.evalAtStop } : {}), ...(atStop ? { pairedAtStop: atStop } : {}) },
      message: `stopped after ${r.stepsThisSitting} steps at GRPO step ${r.step} of ${r.config.grpo.steps}${soFar}; the run is kept in ${stateFile}: the same command continues it`,
    };
  }
  const change = paired ? `; ${paired.gained} gained, ${paired.lost} lost, sign test ${formatPValue(paired.pValue)}` : '';
  // A policy at the question-only baseline is not using its image; said beside the change so a run reads right.
  const textOnly = r.evalAfter?.questionOnly === undefined ? '' : `; the question text alone: ${pct({ accuracy: r.evalAfter.questionOnly })}`;
  const byType = typeChange(r.evalBefore, r.evalAfter);
  return { json, message: `trained ${r.step} GRPO steps (${r.runtime}): test accuracy ${pct(r.evalBefore)} -> ${pct(r.evalAfter)} (${r.evalAfter?.questions ?? 0} questions${change}${textOnly})${byType}` };
}

export const train: Command = withUsage(USAGE, async (args) => {
  if (args.positional.length > 0) throw new UsageError(`train takes no positional arguments\n${USAGE}`);
  const config = trainConfig(args);
  const questions = demoQuestions(args);
  const checkpoint = checkpointOption(args);
  const types = typesOption(args);
  const save = saveOption(args);
  const state = stateOption(args);
  const result = await runTraining(config, choice(args, 'runtime', TRAIN_RUNTIMES, 'browser'), undefined, { questions, checkpoint, types, save, state });
  const r = trainResult(result, questions, checkpoint, types, state?.file);
  // A sitting that stopped early has no final policy yet; the last sitting writes it.
  return save && result.outcome !== 'stopped' ? { json: { ...(r.json as object), savedPolicy: save }, message: `${r.message}; policy written to ${save}` } : r;
});
