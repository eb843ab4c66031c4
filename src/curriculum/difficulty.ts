// S(q), the paper's question difficulty: the mean similarity between the gold answer and each distractor.
// High S(q) means confusable options (a hard question). Also the batch mean the Train panel plots and the
// histogram the Curriculum panel shows.

import type { VqaRecord } from '../data/record.ts';
import type { SimilaritySource } from './similarity.ts';

/** The formula as the Curriculum panel shows it. */
export const SIMILARITY_FORMULA = 'S(q) = (1 / (n - 1)) · Σ_{d ≠ gold} sim(gold, d)';

/** S(q) of an option set; null when there is no distractor (open question, one option, bad gold index). */
export function optionSetSimilarity(options: readonly string[], goldIndex: number, source: SimilaritySource): number | null {
  if (goldIndex < 0 || goldIndex >= options.length || options.length < 2) return null;
  const gold = options[goldIndex];
  let sum = 0;
  for (let i = 0; i < options.length; i++) if (i !== goldIndex) sum += source.similarity(gold, options[i]);
  return sum / (options.length - 1);
}

export function questionSimilarity(record: VqaRecord, source: SimilaritySource): number | null {
  return record.open ? null : optionSetSimilarity(record.options, record.goldIndex, source);
}

/** Mean of the non-null S(q) values; null when there are none (the answer_similarity metric). */
export function batchMeanSimilarity(values: readonly (number | null)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}

export interface Histogram {
  /** Bin edges, bins + 1 of them, from 0 to 1. */
  edges: number[];
  counts: number[];
}

/** Histogram of S(q) over [0, 1] (1 falls in the last bin); nulls are not counted. */
export function similarityHistogram(values: readonly (number | null)[], bins = 20): Histogram {
  const edges = Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (v === null) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]++;
  }
  return { edges, counts };
}
