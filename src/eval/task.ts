// The eval task interface (after nanochat's tasks/common.py): a task has a size, gives example i, judges an
// answer, and its reward is the judgement by default, so the same object serves evaluation and RL.
// Shuffling is seeded and happens once, before slicing, so `start`/`stop` pick the same questions every time.
import type { VqaRecord } from '../data/record.ts';
import { judgeCompletion, type Verdict } from './judge.ts';
import { seededPermutation } from './shuffle.ts';

export interface EvalTask<Example> {
  /** Short name shown in tables (e.g. 'SGG-VQA test'). */
  readonly name: string;
  /** Number of examples after shuffling and slicing. */
  readonly size: number;
  /** Example i, 0 <= i < size. */
  example(i: number): Example;
  /** The verdict on one completion for one example. */
  evaluate(example: Example, completion: string): Verdict;
  /** Scalar reward for RL; 1 for a correct answer and 0 otherwise unless a task says otherwise. */
  reward(example: Example, completion: string): number;
}

/** How a task picks and orders its examples. */
export interface TaskSliceConfig {
  /** Seed of the shuffle; the same seed gives the same order everywhere. Typical: 0. */
  seed: number;
  /** Shuffle before slicing; false keeps the source order. Typical: true. */
  shuffle: boolean;
  /** First example after shuffling (inclusive). Typical: 0. */
  start: number;
  /** End after shuffling (exclusive); -1 for all. Typical: -1, or 200 for a quick eval. */
  stop: number;
}

export const DEFAULT_TASK_SLICE: TaskSliceConfig = { seed: 0, shuffle: true, start: 0, stop: -1 };

/** A base class that supplies the default `reward = evaluate` and the seeded shuffle + slice. */
export abstract class Task<Example> implements EvalTask<Example> {
  abstract readonly name: string;
  private readonly order: number[];

  protected constructor(total: number, slice: TaskSliceConfig) {
    const all = slice.shuffle ? seededPermutation(total, slice.seed) : Array.from({ length: total }, (_, i) => i);
    const stop = slice.stop < 0 ? total : Math.min(slice.stop, total);
    this.order = all.slice(Math.max(0, slice.start), Math.max(0, stop));
  }

  get size(): number {
    return this.order.length;
  }

  example(i: number): Example {
    if (!Number.isInteger(i) || i < 0 || i >= this.order.length) {
      throw new RangeError(`${this.name}: example ${i} is outside 0..${this.order.length - 1}`);
    }
    return this.exampleAt(this.order[i]);
  }

  /** Example at index `i` of the unshuffled source. */
  protected abstract exampleAt(i: number): Example;

  abstract evaluate(example: Example, completion: string): Verdict;

  reward(example: Example, completion: string): number {
    return this.evaluate(example, completion).correct ? 1 : 0;
  }
}

/** A VQA task over records of any source: multiple choice by the extractor, open questions by exact match. */
export class VqaTask extends Task<VqaRecord> {
  readonly name: string;
  private readonly records: readonly VqaRecord[];

  constructor(name: string, records: readonly VqaRecord[], slice: Partial<TaskSliceConfig> = {}) {
    super(records.length, { ...DEFAULT_TASK_SLICE, ...slice });
    this.name = name;
    this.records = records;
  }

  protected exampleAt(i: number): VqaRecord {
    return this.records[i];
  }

  evaluate(example: VqaRecord, completion: string): Verdict {
    return judgeCompletion(example, completion);
  }
}
