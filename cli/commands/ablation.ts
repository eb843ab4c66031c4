// `lab ablation --dataset demo --preset micro|tiny --steps N --seeds K [--ascl reorder|redraw|both]
//   [--gdqa zero-variance|all] --json f`
// The ablation the paper implies: for every seed 0..K-1, GRPO, GRPO+ASCL, GRPO+GDQA and GRPO+both, each the same
// training `lab train --seed s` runs (cli/train-runner.ts), then a per-method summary. ASCL is the curriculum
// with its defaults in mode 'both' (its documented default: the paper's low early S(q) needs redrawn
// distractors); GDQA is the augmenter with its defaults (zero-variance groups only; `--gdqa all` augments every
// group). Pure parts: src/runs/ablation.ts.
import { intOption, UsageError, type Command, type ParsedArgs, withUsage } from '../command.ts';
import { withTrainingSession, TRAIN_RUNTIMES, type TrainingResult } from '../train-runner.ts';
import { choice, demoQuestions, trainConfig } from './train.ts';
import { CURRICULUM_MODES } from '../../src/curriculum/config.ts';
import {
  ABLATION_FORMAT, ABLATION_VERSION, ablationPlan, DEFAULT_ABLATION_SETTINGS, inertFixes, summarizeAblation,
  type AblationMethod, type AblationResult, type AblationRun,
} from '../../src/runs/ablation.ts';
import type { JsonObject } from '../../src/runs/record.ts';

const USAGE =
  'usage: ablation --dataset demo --preset micro|tiny --steps N --seeds K (default 3) [--ascl reorder|redraw|both (default both)] ' +
  '[--gdqa zero-variance|all (default zero-variance)] ' +
  '[--init pretrained|scratch] [--backend cpu|gpu] [--batch B] [--group G] [--lr X] [--beta X] [--max-len L] [--sft N] ' +
  '[--eval N] [--questions N] [--runtime node|browser] [--json f]\n' +
  'Runs GRPO, GRPO+ASCL (curriculum, default mode both), GRPO+GDQA (augmentation, defaults) and GRPO+both for seeds ' +
  '0..K-1, each as `lab train --seed s` would (the test questions evaluated depend on the seed, the same for the four methods). accuracyStd is the sample std (n - 1, null for one seed); ' +
  'finalFracZeroStd is the mean over seeds of the mean frac_reward_zero_std over the last 10% of steps.';

/** Flags the ablation sets itself: passing them would silently be overridden. */
const SET_BY_ABLATION = ['seed', 'curriculum', 'augment'];

/** One run of the ablation from a finished training; a step without S(q) is an error (all four curves must exist). */
export function ablationRun(method: AblationMethod, seed: number, r: TrainingResult): AblationRun {
  const column = (name: string) => r.metrics.map((row, i) => {
    const v = row[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${method} seed ${seed}: step ${i + 1} logged no finite '${name}'`);
    return v;
  });
  return {
    method, seed,
    evalAccuracy: r.evalAfter?.accuracy ?? null,
    rewardCurve: column('reward'),
    fracZeroStdCurve: column('frac_reward_zero_std'),
    meanSimilarityCurve: column('answer_similarity'),
    evalBefore: r.evalBefore?.accuracy ?? null,
    wallMs: Math.round(r.wallMs),
  };
}

export function ablationOptions(args: ParsedArgs) {
  if (args.positional.length > 0) throw new UsageError(`ablation takes no positional arguments\n${USAGE}`);
  for (const name of SET_BY_ABLATION) {
    if (args.options.has(name)) throw new UsageError(`--${name}: the ablation sets it for each run (seeds 0..K-1 and the four methods); leave it out\n${USAGE}`);
  }
  const base = trainConfig(args, USAGE);
  return {
    base,
    seeds: intOption(args, 'seeds', 3, 1, 1000),
    settings: {
      asclMode: choice(args, 'ascl', CURRICULUM_MODES, DEFAULT_ABLATION_SETTINGS.asclMode, USAGE),
      gdqaApplyTo: choice(args, 'gdqa', ['zero-variance', 'all'] as const, DEFAULT_ABLATION_SETTINGS.gdqaApplyTo, USAGE),
    },
    runtime: choice(args, 'runtime', TRAIN_RUNTIMES, 'browser', USAGE),
  };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

export const ablation: Command = withUsage(USAGE, async (args) => {
  const { base, seeds, settings, runtime } = ablationOptions(args);
  const questions = demoQuestions(args);
  const plan = ablationPlan(base, seeds, settings);
  const runs: AblationRun[] = [];
  let runtimeName = runtime as string;
  await withTrainingSession(runtime, async (session) => {
    for (const [i, { method, seed, config }] of plan.entries()) {
      const prefix = `[${method} seed ${seed}]`;
      console.log(`${prefix} run ${i + 1}/${plan.length}`);
      const r = await session.train(config, (line) => console.log(`${prefix} ${line}`));
      runtimeName = r.runtime;
      const run = ablationRun(method, seed, r);
      runs.push(run);
      console.log(`${prefix} accuracy ${pct(run.evalBefore ?? null)} -> ${pct(run.evalAccuracy)} in ${(r.wallMs / 1000).toFixed(1)} s`);
    }
  }, { questions });
  const summary = summarizeAblation(runs);
  // The seed varies per run; the rest of GRPO is the same for all.
  const grpo = Object.fromEntries(Object.entries(base.grpo).filter(([k]) => k !== 'seed'));
  const config: JsonObject = JSON.parse(JSON.stringify({
    dataset: base.datasetId, questions, preset: base.preset, steps: base.grpo.steps, seeds, asclMode: settings.asclMode, gdqaApplyTo: settings.gdqaApplyTo, init: base.init.kind,
    backend: base.backend, eval: base.eval, grpo,
  })) as JsonObject;
  const notes = inertFixes(runs);
  if (notes.some((n) => n.startsWith('GRPO+GDQA')) && settings.gdqaApplyTo === 'zero-variance') {
    notes.push('GDQA augments only a question whose previous group had zero reward variance, so it acts only once questions come back; run more steps, or pass --gdqa all.');
  }
  for (const n of notes) console.error(`ablation: note: ${n}`);
  const json: AblationResult = { format: ABLATION_FORMAT, version: ABLATION_VERSION, createdAt: new Date().toISOString(), runtime: runtimeName, config, runs, summary, notes };
  const table = summary.map((s) => `${s.method} ${pct(s.accuracyMean)}${s.accuracyStd === null ? '' : ` ± ${(100 * s.accuracyStd).toFixed(1)}`} zero_std ${s.finalFracZeroStd?.toFixed(2) ?? 'n/a'}`).join('; ');
  return { json, message: `ablation: ${plan.length} runs (${seeds} seeds x 4 methods, ${base.preset}, ${base.grpo.steps} steps, ${runtimeName}): ${table}${notes.length ? ` (${notes.length} notes on stderr and in the JSON)` : ''}` };
});
