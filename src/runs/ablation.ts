// The ablation the paper implies (issue #7): GRPO, GRPO+ASCL, GRPO+GDQA and GRPO+both over the same seeds.
// Pure parts shared by `lab ablation` and the Runs panel: the method list and each method's run config, the
// per-method summary and mean curves, restoreAblationResult for a file from outside, and the same table
// built from local training run records.
import { z } from 'zod';
import { defaultAugmentConfig, type AugmentApplyTo } from '../augment/config.ts';
import { defaultCurriculumConfig, type CurriculumMode } from '../curriculum/config.ts';
import type { TrainRunConfig } from '../worker/train-protocol.ts';
import { guardJson, JsonGuardError } from './json-guard.ts';
import type { JsonObject, RunRecord } from './record.ts';
import { describeIssues } from './restore.ts';
import { jsonValueSchema, LIMITS } from './schema.ts';

export const ABLATION_METHODS = ['GRPO', 'GRPO+ASCL', 'GRPO+GDQA', 'GRPO+both'] as const;
export type AblationMethod = (typeof ABLATION_METHODS)[number];

/** Marker written into `lab ablation` files, so a runs bundle imported here by mistake is named as such. */
export const ABLATION_FORMAT = 'anatomy-r1-lab.ablation';
export const ABLATION_VERSION = 1;

/** Which fixes a method turns on. */
export const METHOD_FLAGS: Record<AblationMethod, { curriculum: boolean; augment: boolean }> = {
  GRPO: { curriculum: false, augment: false },
  'GRPO+ASCL': { curriculum: true, augment: false },
  'GRPO+GDQA': { curriculum: false, augment: true },
  'GRPO+both': { curriculum: true, augment: true },
};

export function methodOf(curriculum: boolean, augment: boolean): AblationMethod {
  return curriculum ? (augment ? 'GRPO+both' : 'GRPO+ASCL') : augment ? 'GRPO+GDQA' : 'GRPO';
}

/** How ASCL and GDQA are set in an ablation; the defaults are their owners' documented defaults. */
export interface AblationSettings {
  /** Curriculum mode of ASCL. Default 'both' (the curriculum's default: PAPER.md section 2 needs redrawn distractors). */
  asclMode: CurriculumMode;
  /** Which groups GDQA augments. Default 'zero-variance' (the augmenter's default: the paper's "difficult queries"). */
  gdqaApplyTo: AugmentApplyTo;
}

export const DEFAULT_ABLATION_SETTINGS: AblationSettings = { asclMode: defaultCurriculumConfig().mode, gdqaApplyTo: defaultAugmentConfig().applyTo };

/**
 * The run of one method and seed: `base` with the seed everywhere, ASCL as the curriculum's defaults in its mode,
 * GDQA as the augmenter's defaults. With the default settings, equal (but for the name) to `lab train --seed S
 * --curriculum <both|off> --augment <on|off>` with the same other flags.
 */
export function methodRunConfig(base: TrainRunConfig, method: AblationMethod, seed: number, settings: AblationSettings = DEFAULT_ABLATION_SETTINGS): TrainRunConfig {
  const f = METHOD_FLAGS[method];
  return {
    ...base,
    name: `lab ablation ${method} ${base.preset} seed ${seed}`,
    grpo: { ...base.grpo, seed },
    curriculum: { ...defaultCurriculumConfig(), enabled: f.curriculum, seed, ...(f.curriculum ? { mode: settings.asclMode } : {}) },
    augment: { ...defaultAugmentConfig(), enabled: f.augment, seed, ...(f.augment ? { applyTo: settings.gdqaApplyTo } : {}) },
  };
}

/** Every run of an ablation, seed by seed (each seed runs all four methods before the next seed). */
export function ablationPlan(base: TrainRunConfig, seeds: number, settings: AblationSettings = DEFAULT_ABLATION_SETTINGS): { method: AblationMethod; seed: number; config: TrainRunConfig }[] {
  const plan = [];
  for (let seed = 0; seed < seeds; seed++) {
    for (const method of ABLATION_METHODS) plan.push({ method, seed, config: methodRunConfig(base, method, seed, settings) });
  }
  return plan;
}

const sameCurves = (a: AblationRun, b: AblationRun): boolean =>
  a.evalAccuracy === b.evalAccuracy && (['rewardCurve', 'fracZeroStdCurve', 'meanSimilarityCurve'] as const).every((k) => a[k].length === b[k].length && a[k].every((v, i) => Object.is(v, b[k][i])));

/**
 * Methods whose runs equal, seed for seed, those of the method without the fix: the fix never acted (GDQA on
 * zero-variance groups only acts on a question seen before, which a short run rarely draws again).
 */
export function inertFixes(runs: readonly AblationRun[]): string[] {
  const pairs: [AblationMethod, AblationMethod][] = [['GRPO+GDQA', 'GRPO'], ['GRPO+both', 'GRPO+ASCL'], ['GRPO+ASCL', 'GRPO']];
  const notes: string[] = [];
  for (const [withFix, without] of pairs) {
    const a = runs.filter((r) => r.method === withFix);
    if (a.length === 0) continue;
    const same = a.every((r) => {
      const b = runs.find((x) => x.method === without && x.seed === r.seed);
      return b !== undefined && sameCurves(r, b);
    });
    if (same) notes.push(`${withFix} ran exactly as ${without} on every seed: the added fix never changed a step.`);
  }
  return notes;
}

/** One training of an ablation. Curves have one value per GRPO step (index = step - 1); NaN only in memory, for a
 * step a local run did not keep. */
export interface AblationRun {
  method: AblationMethod;
  seed: number;
  /** Greedy test accuracy after training, in [0, 1]; null when the run was not evaluated. */
  evalAccuracy: number | null;
  /** Mean combined reward per step (TRL's `reward`). */
  rewardCurve: number[];
  /** Share of groups with all-equal rewards per step (TRL's `frac_reward_zero_std`). */
  fracZeroStdCurve: number[];
  /** Batch-mean S(q) per step (the trainer's `answer_similarity`, lexicon similarity). */
  meanSimilarityCurve: number[];
  /** Added: accuracy before training, when measured. */
  evalBefore?: number | null;
  /** Added: wall time of the run in ms. */
  wallMs?: number;
  /** Added: the local run this came from (Runs panel only). */
  runId?: string;
}

export interface AblationSummaryRow {
  method: AblationMethod;
  /** Mean evalAccuracy over the seeds that have one; null when none has. */
  accuracyMean: number | null;
  /** Sample standard deviation (divide by n - 1) of evalAccuracy over seeds; null with fewer than 2 seeds. */
  accuracyStd: number | null;
  /** Mean over seeds of each run's mean frac_reward_zero_std over its last 10% of steps (at least one step). */
  finalFracZeroStd: number | null;
  /** Added: runs (seeds) of the method. */
  seeds: number;
  /** Added: the same final-10% mean, of the reward. */
  finalReward: number | null;
  /** Added: the same final-10% mean, of S(q). */
  finalMeanSimilarity: number | null;
}

export interface AblationResult {
  runs: AblationRun[];
  summary: AblationSummaryRow[];
  /** Added by `lab ablation`: the file marker, its version, when, on what runtime, with which settings. */
  format?: string;
  version?: number;
  createdAt?: string;
  runtime?: string;
  config?: JsonObject;
  /** Added: what a reader should know (e.g. a fix that never acted). */
  notes?: string[];
}

/** Steps the "final" numbers average over: the last 10%, at least one. */
export const finalWindow = (steps: number): number => Math.max(1, Math.ceil(0.1 * steps));

function meanOf(values: readonly number[]): number | null {
  const ok = values.filter(Number.isFinite);
  return ok.length ? ok.reduce((a, x) => a + x, 0) / ok.length : null;
}

/** Sample std (n - 1); null below two values. */
function sampleStd(values: readonly number[]): number | null {
  const ok = values.filter(Number.isFinite);
  if (ok.length < 2) return null;
  const mu = ok.reduce((a, x) => a + x, 0) / ok.length;
  return Math.sqrt(ok.reduce((a, x) => a + (x - mu) ** 2, 0) / (ok.length - 1));
}

/** Mean of a curve's last 10% of steps (gaps skipped); null for an empty curve. */
export function finalMean(curve: readonly number[]): number | null {
  return meanOf(curve.slice(curve.length - finalWindow(curve.length)));
}

/** Step-wise mean over seeds (gaps skipped; NaN where no seed has the step). */
export function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const n = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length: n }, (_, i) => meanOf(curves.map((c) => c[i] ?? NaN)) ?? NaN);
}

/** One row per method present, in ABLATION_METHODS order. */
export function summarizeAblation(runs: readonly AblationRun[]): AblationSummaryRow[] {
  const rows: AblationSummaryRow[] = [];
  for (const method of ABLATION_METHODS) {
    const mine = runs.filter((r) => r.method === method);
    if (mine.length === 0) continue;
    const acc = mine.map((r) => r.evalAccuracy ?? NaN);
    const final = (pick: (r: AblationRun) => readonly number[]) => meanOf(mine.map((r) => finalMean(pick(r)) ?? NaN));
    rows.push({
      method,
      accuracyMean: meanOf(acc),
      accuracyStd: sampleStd(acc),
      finalFracZeroStd: final((r) => r.fracZeroStdCurve),
      seeds: mine.length,
      finalReward: final((r) => r.rewardCurve),
      finalMeanSimilarity: final((r) => r.meanSimilarityCurve),
    });
  }
  return rows;
}

/** The mean curves of each method (the analogues of the paper's two figures, plus S(q)). */
export function methodCurves(runs: readonly AblationRun[]): { method: AblationMethod; reward: number[]; fracZeroStd: number[]; meanSimilarity: number[] }[] {
  return ABLATION_METHODS.filter((m) => runs.some((r) => r.method === m)).map((method) => {
    const mine = runs.filter((r) => r.method === method);
    return {
      method,
      reward: meanCurve(mine.map((r) => r.rewardCurve)),
      fracZeroStd: meanCurve(mine.map((r) => r.fracZeroStdCurve)),
      meanSimilarity: meanCurve(mine.map((r) => r.meanSimilarityCurve)),
    };
  });
}

// ---- untrusted files ----

export class AblationResultError extends Error {
  override name = 'AblationResultError';
  constructor(
    message: string,
    /** Dotted path of the first bad field ('' when the whole value is wrong). */
    readonly field: string,
  ) {
    super(message);
  }
}

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const unit = finite.refine((n) => n >= 0 && n <= 1, { message: 'must be in [0, 1]' });
const nonNegative = finite.refine((n) => n >= 0, { message: 'must be >= 0' });
const curve = z.array(finite).max(LIMITS.historyPoints);
/** Seeds x methods; far above any ablation a browser or a CLI run makes. */
const MAX_RUNS = 10_000;

// Objects strip keys they do not know: `lab ablation` may add fields, and a reader never sees them.
const runSchema = z.object({
  method: z.enum(ABLATION_METHODS),
  seed: z.number().int().min(0).max(2 ** 32 - 1),
  evalAccuracy: unit.nullable(),
  rewardCurve: curve,
  fracZeroStdCurve: z.array(unit).max(LIMITS.historyPoints),
  meanSimilarityCurve: curve,
  evalBefore: unit.nullable().optional(),
  wallMs: nonNegative.optional(),
});

const summarySchema = z.object({
  method: z.enum(ABLATION_METHODS),
  accuracyMean: unit.nullable(),
  accuracyStd: nonNegative.nullable(),
  finalFracZeroStd: unit.nullable(),
});

const resultSchema = z.object({
  format: z.literal(ABLATION_FORMAT).optional(),
  version: z.literal(ABLATION_VERSION).optional(),
  createdAt: z.string().max(LIMITS.shortString).optional(),
  runtime: z.string().max(LIMITS.shortString).optional(),
  config: z.record(z.string().max(LIMITS.shortString), jsonValueSchema).optional(),
  notes: z.array(z.string().max(LIMITS.configString)).max(20).optional(),
  runs: z.array(runSchema).min(1).max(MAX_RUNS),
  summary: z.array(summarySchema).max(ABLATION_METHODS.length),
});

const close = (a: number | null, b: number | null): boolean => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

/**
 * An AblationResult from untrusted JSON (a dropped file, IndexedDB), or an AblationResultError whose message reads
 * "<source>: field <path>: <problem>". The summary must be the one the runs give (it is recomputed and compared).
 */
export function restoreAblationResult(untrusted: unknown, source = 'ablation'): AblationResult {
  if (untrusted === null || typeof untrusted !== 'object' || Array.isArray(untrusted)) {
    throw new AblationResultError(`${source}: an ablation result must be a JSON object {runs, summary}`, '');
  }
  const format = (untrusted as { format?: unknown }).format;
  if (format !== undefined && format !== ABLATION_FORMAT) {
    throw new AblationResultError(`${source}: field format: '${String(format).slice(0, 80)}' is not a lab ablation (${ABLATION_FORMAT}); run files go under Import runs`, 'format');
  }
  try {
    guardJson(untrusted);
  } catch (err) {
    if (err instanceof JsonGuardError) throw new AblationResultError(`${source}: ${err.message}`, err.path);
    throw err;
  }
  const parsed = resultSchema.safeParse(untrusted);
  if (!parsed.success) {
    const { field, text } = describeIssues(parsed.error);
    throw new AblationResultError(`${source}: ${text}`, field);
  }
  const raw = parsed.data;
  raw.runs.forEach((r, i) => {
    for (const key of ['fracZeroStdCurve', 'meanSimilarityCurve'] as const) {
      if (r[key].length !== r.rewardCurve.length) {
        throw new AblationResultError(`${source}: field runs.${i}.${key}: has ${r[key].length} steps, rewardCurve has ${r.rewardCurve.length}`, `runs.${i}.${key}`);
      }
    }
  });
  const runs: AblationRun[] = raw.runs.map((r) => ({ ...r }));
  const summary = summarizeAblation(runs);
  if (raw.summary.length !== summary.length) {
    throw new AblationResultError(`${source}: field summary: has ${raw.summary.length} rows, the runs give ${summary.length} methods (${summary.map((s) => s.method).join(', ')})`, 'summary');
  }
  raw.summary.forEach((row, i) => {
    const want = summary[i];
    if (row.method !== want.method) throw new AblationResultError(`${source}: field summary.${i}.method: '${row.method}', expected '${want.method}'`, `summary.${i}.method`);
    for (const key of ['accuracyMean', 'accuracyStd', 'finalFracZeroStd'] as const) {
      if (!close(row[key], want[key])) {
        throw new AblationResultError(`${source}: field summary.${i}.${key}: ${row[key]} does not match the runs (${want[key]})`, `summary.${i}.${key}`);
      }
    }
  });
  const { format: f, version, createdAt, runtime, config, notes } = raw;
  return { runs, summary, ...(f ? { format: f } : {}), ...(version ? { version } : {}), ...(createdAt ? { createdAt } : {}), ...(runtime ? { runtime } : {}), ...(config ? { config } : {}), ...(notes ? { notes } : {}) };
}

/** Parses and restores a file's text; every error names the file. */
export function parseAblationJson(text: string, fileName: string): AblationResult {
  if (text.length > 50_000_000) throw new AblationResultError(`${fileName}: file is larger than 50000000 characters`, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new AblationResultError(`${fileName}: not JSON (${err instanceof Error ? err.message : String(err)})`, '');
  }
  return restoreAblationResult(parsed, fileName);
}

// ---- local runs ----

/** Local training runs that can be compared: same dataset, preset and GRPO steps. */
export interface LocalAblationGroup {
  /** dataset fingerprint (or name) | preset | steps. */
  key: string;
  /** For people: 'AnatomySynth · micro · 20 steps'. */
  label: string;
  runs: AblationRun[];
  /** Run names, parallel to runs. */
  names: string[];
  /** Settings outside the grouping key that differ between the runs (init, batch, G, lr, beta, max length, S(q) source). */
  mismatched: string[];
}

const text = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Greedy accuracy of the 'after' evaluation (else the last one after step 0); null without one. */
function accuracyAfter(run: RunRecord): number | null {
  const e = run.evals.find((x) => x.name === 'after') ?? run.evals.filter((x) => x.step > 0).at(-1);
  return e?.report.overall.metrics.greedy?.value ?? null;
}

/** A local run's curves, one slot per GRPO step (history x is the 1-based step count). */
function curvesOf(run: RunRecord, steps: number): Pick<AblationRun, 'rewardCurve' | 'fracZeroStdCurve' | 'meanSimilarityCurve'> {
  const n = Math.max(steps, ...run.history.points.map((p) => p.step));
  const make = () => new Array<number>(n).fill(NaN);
  const c = { rewardCurve: make(), fracZeroStdCurve: make(), meanSimilarityCurve: make() };
  for (const p of run.history.points) {
    const i = p.step - 1;
    if (i < 0) continue;
    c.rewardCurve[i] = p.values.reward ?? NaN;
    c.fracZeroStdCurve[i] = p.values.frac_reward_zero_std ?? NaN;
    c.meanSimilarityCurve[i] = p.values.answer_similarity ?? NaN;
  }
  return c;
}

/** Training runs grouped into comparable ablations, the group with the most runs first. */
export function ablationFromRunRecords(records: readonly RunRecord[]): LocalAblationGroup[] {
  const groups = new Map<string, LocalAblationGroup & { settings: Map<string, Set<string>> }>();
  for (const run of records) {
    if (run.kind !== 'train' || run.history.points.length === 0) continue;
    const cfg = run.config;
    const steps = typeof cfg.grpo.steps === 'number' ? cfg.grpo.steps : 0;
    const preset = text(cfg.model.preset) || 'unknown preset';
    const dataset = run.dataset.fingerprint || run.dataset.name;
    const key = `${dataset}|${preset}|${steps}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, label: `${run.dataset.name || dataset || 'unnamed dataset'} · ${preset} · ${steps} steps`, runs: [], names: [], mismatched: [], settings: new Map() };
      groups.set(key, g);
    }
    g.runs.push({
      method: methodOf(cfg.curriculum.enabled === true, cfg.augment.enabled === true),
      seed: cfg.seed,
      evalAccuracy: accuracyAfter(run),
      ...curvesOf(run, steps),
      runId: run.id,
    });
    g.names.push(run.name);
    const settings: Record<string, unknown> = {
      init: cfg.model.init, batch: cfg.grpo.batchSize, G: cfg.grpo.groupSize, lr: cfg.grpo.learningRate, beta: cfg.grpo.beta, 'max length': cfg.grpo.maxCompletionLength,
      // A run kept with the curriculum off stores no curriculum config; the trainer's default source is the lexicon.
      'S(q) source': cfg.curriculum.similarity ?? 'lexicon',
    };
    for (const [name, v] of Object.entries(settings)) {
      let seen = g.settings.get(name);
      if (!seen) g.settings.set(name, (seen = new Set()));
      seen.add(text(v));
    }
  }
  return [...groups.values()]
    .map(({ settings, ...g }) => ({ ...g, mismatched: [...settings].filter(([, v]) => v.size > 1).map(([k]) => k) }))
    .sort((a, b) => b.runs.length - a.runs.length || a.label.localeCompare(b.label));
}
