// The question operators GDQA builds variants with. Each keeps the gold answer's text and changes only how
// the question is posed: the order of the options, the distractors, or the phrasing.

import type { SeededRandom } from '../curriculum/seeded-random.ts';
import { distractorCandidates, reachableRange, redrawDistractors } from '../curriculum/redraw.ts';
import { optionSetSimilarity } from '../curriculum/difficulty.ts';
import type { SimilaritySource } from '../curriculum/similarity.ts';
import { paraphrases, type TemplateFamily } from './templates.ts';

export interface OptionSet {
  options: string[];
  goldIndex: number;
}

/**
 * Shuffles the distractors and puts the gold at `goldPosition` (a random position when null), so a variant
 * can be given its own gold letter.
 */
export function permuteOptions(set: OptionSet, goldPosition: number | null, rng: SeededRandom): OptionSet {
  const gold = set.options[set.goldIndex];
  const distractors = rng.shuffle(set.options.filter((_, i) => i !== set.goldIndex));
  const goldIndex = goldPosition ?? rng.int(set.options.length);
  if (goldIndex < 0 || goldIndex >= set.options.length) throw new Error(`permuteOptions: bad gold position ${goldIndex}`);
  return { options: [...distractors.slice(0, goldIndex), gold, ...distractors.slice(goldIndex)], goldIndex };
}

/** Another phrasing from the question's template family, avoiding `used` when possible; null if none. */
export function paraphraseQuestion(
  question: string,
  questionType: string,
  families: readonly TemplateFamily[],
  rng: SeededRandom,
  used: ReadonlySet<string> = new Set(),
): string | null {
  const all = paraphrases(question, questionType, families);
  if (all.length === 0) return null;
  const fresh = all.filter((p) => !used.has(p));
  return rng.pick(fresh.length > 0 ? fresh : all);
}

/**
 * New distractors from `pool` for the same gold, at the option set's own S(q) ('same') or a random
 * reachable S ('any'). The option count is kept. Null when the pool cannot supply enough distractors.
 */
export function redrawOptions(
  set: OptionSet,
  pool: readonly string[],
  similarity: SimilaritySource,
  target: 'same' | 'any',
  tolerance: number,
  rng: SeededRandom,
): (OptionSet & { similarity: number }) | null {
  const gold = set.options[set.goldIndex];
  const count = set.options.length - 1;
  const candidates = distractorCandidates(gold, pool, similarity);
  const range = reachableRange(candidates, count);
  if (!range) return null;
  const natural = optionSetSimilarity(set.options, set.goldIndex, similarity) ?? range.min;
  const goal = target === 'same' ? natural : rng.uniform(range.min, range.max);
  const r = redrawDistractors(gold, count, candidates, goal, rng, { tolerance, iterations: 200 });
  return r && { options: r.options, goldIndex: r.goldIndex, similarity: r.similarity };
}
