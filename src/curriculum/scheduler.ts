// The curriculum scheduler: which questions the trainer poses at step t, with which options. Pure in the step
// (each step's draws come from a stream seeded by (seed, step)), so a resumed run and the Curriculum panel's
// queue see the same batches; manual controls (exclude, pin, move) are part of its state.

import type { VqaRecord } from '../data/record.ts';
import type { CurriculumConfig } from './config.ts';
import { questionSimilarity, similarityHistogram, type Histogram } from './difficulty.ts';
import { pacingAt } from './pacing.ts';
import {
  answerPoolKey,
  buildAnswerPools,
  distractorCandidates,
  reachableRange,
  redrawDistractors,
  type Candidate,
} from './redraw.ts';
import { hashSeed, SeededRandom } from './seeded-random.ts';
import { normaliseName, type SimilaritySource } from './similarity.ts';

export interface ScheduledQuestion {
  /** The question as the trainer should pose it (options redrawn when the mode redraws). */
  record: VqaRecord;
  /** S(q) of the options as released. */
  naturalSimilarity: number;
  /** S(q) as posed. */
  similarity: number;
  /** The redraw's target S; null when the options were left as released. */
  target: number | null;
  /** How it got into the batch. */
  origin: 'drawn' | 'pinned' | 'moved';
}

/** Manual control of the queue, saved with checkpoints. */
export interface CurriculumControls {
  /** Never scheduled. */
  excluded: string[];
  /** Put into every batch while pinned (to watch one question across training). */
  pinned: string[];
  /** Put into the batch of that step, once (the panel's "move to ..."). */
  moves: { id: string; step: number }[];
}

interface Entry {
  record: VqaRecord;
  natural: number;
  /** Lowest S reachable by redraw (natural when no redraw is possible). */
  easiest: number;
  candidates: Candidate[];
}

export interface SchedulerOptions {
  /** Questions per step. */
  batchSize: number;
  /** Steps of the run (pacing progress = step / totalSteps). */
  totalSteps: number;
  /** Distractor pools by answerPoolKey; built from `records` when absent. */
  pools?: Map<string, string[]>;
}

export class CurriculumScheduler {
  /** Multiple-choice records with a defined S(q), sorted easy to hard (S ascending, then id). */
  private readonly entries: Entry[];
  private readonly byId: Map<string, Entry>;
  private controlsState: CurriculumControls = { excluded: [], pinned: [], moves: [] };
  /** Records that cannot be scheduled (open questions, fewer than two options). */
  readonly skipped: number;

  constructor(
    records: readonly VqaRecord[],
    readonly config: CurriculumConfig,
    readonly source: SimilaritySource,
    readonly options: SchedulerOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new Error(`bad batchSize ${options.batchSize}`);
    const pools = options.pools ?? buildAnswerPools(records);
    const profiles = new Map<string, Candidate[]>();
    const entries: Entry[] = [];
    for (const record of records) {
      const natural = questionSimilarity(record, source);
      if (natural === null) continue;
      const gold = record.options[record.goldIndex];
      const key = `${answerPoolKey(record)}\u0000${normaliseName(gold)}`;
      let candidates = profiles.get(key);
      if (!candidates) profiles.set(key, (candidates = distractorCandidates(gold, pools.get(answerPoolKey(record)) ?? [], source)));
      const range = reachableRange(candidates, record.options.length - 1);
      entries.push({ record, natural, easiest: range ? Math.min(range.min, natural) : natural, candidates });
    }
    entries.sort((a, b) => a.natural - b.natural || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
    this.entries = entries;
    this.byId = new Map(entries.map((e) => [e.record.id, e]));
    this.skipped = records.length - entries.length;
  }

  get size(): number {
    return this.entries.length;
  }

  // ----- manual control -----

  get controls(): CurriculumControls {
    return structuredClone(this.controlsState);
  }

  set controls(c: CurriculumControls) {
    this.controlsState = structuredClone(c);
  }

  exclude(id: string): void {
    this.requireId(id);
    if (!this.controlsState.excluded.includes(id)) this.controlsState.excluded.push(id);
    this.unpin(id);
    this.controlsState.moves = this.controlsState.moves.filter((m) => m.id !== id);
  }

  include(id: string): void {
    this.controlsState.excluded = this.controlsState.excluded.filter((x) => x !== id);
  }

  pin(id: string): void {
    this.requireId(id);
    this.include(id);
    if (!this.controlsState.pinned.includes(id)) this.controlsState.pinned.push(id);
  }

  unpin(id: string): void {
    this.controlsState.pinned = this.controlsState.pinned.filter((x) => x !== id);
  }

  /** Schedules a question into the batch of `step` (once); a later move of the same question replaces it. */
  moveTo(id: string, step: number): void {
    this.requireId(id);
    if (!Number.isInteger(step) || step < 0) throw new Error(`moveTo: bad step ${step}`);
    this.include(id);
    this.controlsState.moves = this.controlsState.moves.filter((m) => m.id !== id).concat({ id, step });
  }

  private requireId(id: string): void {
    if (!this.byId.has(id)) throw new Error(`curriculum: no schedulable question with id ${JSON.stringify(id)}`);
  }

  // ----- pacing -----

  progressAt(step: number): number {
    return this.options.totalSteps <= 0 ? 1 : Math.min(1, step / this.options.totalSteps);
  }

  /** Pacing level at a step: 0 easiest, 1 natural (always 1 with the curriculum off). */
  levelAt(step: number): number {
    return this.config.enabled ? pacingAt(this.progressAt(step), this.config.pacing) : 1;
  }

  private get reorders(): boolean {
    return this.config.enabled && this.config.mode !== 'redraw';
  }

  private get redraws(): boolean {
    return this.config.enabled && this.config.mode !== 'reorder';
  }

  /** The target S for a question at a pacing level (global levels when set, else its own range). */
  targetFor(entry: { natural: number; easiest: number }, level: number): number {
    const lo = this.config.easiestLevel ?? entry.easiest;
    const hi = this.config.naturalLevel ?? entry.natural;
    return lo + level * (hi - lo);
  }

  /** The expected batch-mean S at a step over the questions it may draw (the pacing curve in S units). */
  meanTargetAt(step: number): number {
    const level = this.levelAt(step);
    const available = this.availableAt(step);
    if (!this.redraws) return mean(available.map((e) => e.natural));
    return mean(available.map((e) => this.targetFor(e, level)));
  }

  /** Natural S(q) of every schedulable question, easy to hard (the histogram's data). */
  naturalSimilarities(): number[] {
    return this.entries.map((e) => e.natural);
  }

  histogram(bins = 20): Histogram {
    return similarityHistogram(this.naturalSimilarities(), bins);
  }

  /** Questions a step may draw from: the easiest prefix under reorder, else all (exclusions removed). */
  private availableAt(step: number): Entry[] {
    const excluded = new Set(this.controlsState.excluded);
    const eligible = this.entries.filter((e) => !excluded.has(e.record.id));
    if (!this.reorders) return eligible;
    const f = this.config.startFraction + this.levelAt(step) * (1 - this.config.startFraction);
    return eligible.slice(0, Math.max(1, Math.ceil(f * eligible.length)));
  }

  // ----- batches -----

  /** The questions of step `step`: moved ones, then pinned ones, then seeded draws. */
  batchAt(step: number): ScheduledQuestion[] {
    const { batchSize } = this.options;
    const excluded = new Set(this.controlsState.excluded);
    const chosen: { entry: Entry; origin: ScheduledQuestion['origin'] }[] = [];
    const taken = new Set<string>();
    const add = (entry: Entry | undefined, origin: ScheduledQuestion['origin']) => {
      if (!entry || excluded.has(entry.record.id) || taken.has(entry.record.id) || chosen.length >= batchSize) return;
      taken.add(entry.record.id);
      chosen.push({ entry, origin });
    };
    for (const m of this.controlsState.moves) if (m.step === step) add(this.byId.get(m.id), 'moved');
    for (const id of this.controlsState.pinned) add(this.byId.get(id), 'pinned');

    const available = this.availableAt(step);
    if (available.length > 0 && chosen.length < batchSize) {
      if (this.reorders) this.drawFromPrefix(step, available, chosen.length, (e) => add(e, 'drawn'), taken);
      else this.drawEpochwise(step, available, (e) => add(e, 'drawn'));
    }
    const level = this.levelAt(step);
    return chosen.map(({ entry, origin }) => this.pose(entry, origin, step, level));
  }

  /** Uniform draws without repeats inside the batch; repeats only when the prefix is smaller than the batch. */
  private drawFromPrefix(step: number, pool: Entry[], have: number, add: (e: Entry) => void, taken: Set<string>): void {
    const rng = new SeededRandom(hashSeed(this.config.seed, 'draw', step));
    const order = rng.shuffle(pool.map((_, i) => i));
    let need = this.options.batchSize - have;
    for (const i of order) {
      if (need === 0) break;
      if (!taken.has(pool[i].record.id)) {
        add(pool[i]);
        need--;
      }
    }
  }

  /** Without a curriculum: epochs over a seeded permutation, as TRL's sampler visits a dataset. */
  private drawEpochwise(step: number, pool: Entry[], add: (e: Entry) => void): void {
    const n = pool.length;
    const b = this.options.batchSize;
    const perms = new Map<number, number[]>();
    const perm = (epoch: number) => {
      let p = perms.get(epoch);
      if (!p) perms.set(epoch, (p = new SeededRandom(hashSeed(this.config.seed, 'epoch', epoch)).shuffle(pool.map((_, i) => i))));
      return p;
    };
    for (let k = step * b; k < step * b + b && k < step * b + n; k++) add(pool[perm(Math.floor(k / n))[k % n]]);
  }

  private pose(entry: Entry, origin: ScheduledQuestion['origin'], step: number, level: number): ScheduledQuestion {
    const natural = entry.natural;
    const plain: ScheduledQuestion = { record: entry.record, naturalSimilarity: natural, similarity: natural, target: null, origin };
    if (!this.redraws) return plain;
    const target = this.targetFor(entry, level);
    if (Math.abs(target - natural) <= this.config.tolerance) return { ...plain, target };
    const r = entry.record;
    const gold = r.options[r.goldIndex];
    const rng = new SeededRandom(hashSeed(this.config.seed, 'redraw', step, r.id));
    const result = redrawDistractors(gold, r.options.length - 1, entry.candidates, target, rng, {
      tolerance: this.config.tolerance,
      iterations: this.config.redrawIterations,
    });
    if (!result) return { ...plain, target };
    return {
      record: { ...r, options: result.options, goldIndex: result.goldIndex, answer: gold },
      naturalSimilarity: natural,
      similarity: result.similarity,
      target,
      origin,
    };
  }

  /** Upcoming batches for the panel's queue. */
  queue(fromStep: number, steps: number): { step: number; questions: ScheduledQuestion[] }[] {
    const out = [];
    for (let s = fromStep; s < fromStep + steps; s++) out.push({ step: s, questions: this.batchAt(s) });
    return out;
  }
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length;
}
