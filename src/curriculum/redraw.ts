// Distractor redraw: choose a question's distractors from the pool of answers of the same question type so
// that its S(q) lands on a target, which is how the curriculum sets difficulty (the paper's early S(q) of 0.145
// is far below any released option set) and one of GDQA's operators.

import type { VqaRecord } from '../data/record.ts';
import type { SeededRandom } from './seeded-random.ts';
import { normaliseName, type SimilaritySource } from './similarity.ts';

/** Above this two names count as the same answer and never serve as each other's distractor. */
export const SAME_ANSWER_SIMILARITY = 0.999;

/** Which pool a record draws distractors from: its question type, else its source. */
export function answerPoolKey(record: VqaRecord): string {
  return record.questionType || record.source || 'all';
}

/** Distinct answer names (every option and answer, first spelling kept) per pool key. */
export function buildAnswerPools(records: readonly VqaRecord[]): Map<string, string[]> {
  const pools = new Map<string, Map<string, string>>();
  for (const r of records) {
    if (r.open) continue;
    const key = answerPoolKey(r);
    let names = pools.get(key);
    if (!names) pools.set(key, (names = new Map()));
    for (const name of [...r.options, r.answer]) {
      const n = normaliseName(name);
      if (n && !names.has(n)) names.set(n, name.trim());
    }
  }
  return new Map([...pools].map(([k, v]) => [k, [...v.values()]]));
}

export interface Candidate {
  name: string;
  /** sim(gold, name). */
  similarity: number;
}

/** Pool names that may serve as distractors for `gold`, sorted by similarity to it (ascending, then name). */
export function distractorCandidates(gold: string, pool: readonly string[], source: SimilaritySource): Candidate[] {
  const g = normaliseName(gold);
  const out: Candidate[] = [];
  for (const name of pool) {
    if (normaliseName(name) === g) continue;
    const s = source.similarity(gold, name);
    if (s < SAME_ANSWER_SIMILARITY) out.push({ name, similarity: s });
  }
  return out.sort((a, b) => a.similarity - b.similarity || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The lowest and highest S reachable with `count` distractors from sorted candidates; null if too few. */
export function reachableRange(candidates: readonly Candidate[], count: number): { min: number; max: number } | null {
  if (count < 1 || candidates.length < count) return null;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < count; i++) {
    lo += candidates[i].similarity;
    hi += candidates[candidates.length - 1 - i].similarity;
  }
  return { min: lo / count, max: hi / count };
}

export interface RedrawOptions {
  /** Accepted |S - target|. */
  tolerance: number;
  /** Local-search swaps tried before taking the closest set found. */
  iterations: number;
}

export interface RedrawResult {
  /** Gold plus the chosen distractors, in a random order. */
  options: string[];
  goldIndex: number;
  /** S(q) of the new option set. */
  similarity: number;
  target: number;
  /** |similarity - target| <= tolerance. */
  hit: boolean;
}

/**
 * Picks `count` distractors with mean similarity to the gold as close to `target` as a seeded local search
 * finds: start from a random subset, then repeatedly swap a random member for the non-member that brings the
 * mean closest to the target, until within tolerance or no swap helps. Random starts give different sets
 * for the same target, so GDQA variants differ. Null when the pool has fewer than `count` candidates.
 */
export function redrawDistractors(
  gold: string,
  count: number,
  candidates: readonly Candidate[],
  target: number,
  rng: SeededRandom,
  opts: RedrawOptions,
): RedrawResult | null {
  if (count < 1 || candidates.length < count) return null;
  const order = rng.shuffle(candidates.map((_, i) => i));
  let best = localSearch(candidates, count, order.slice(0, count), target, rng, opts);
  if (Math.abs(best.sum / count - target) > opts.tolerance) {
    // Single swaps can stall short of the extremes; restart from the window of `count` neighbours in
    // similarity order whose mean is closest (windows reach both ends of the range exactly).
    let window = 0;
    let windowSum = 0;
    for (let i = 0; i < count; i++) windowSum += candidates[i].similarity;
    let bestWindowGap = Math.abs(windowSum / count - target);
    for (let start = 1, s = windowSum; start + count <= candidates.length; start++) {
      s += candidates[start + count - 1].similarity - candidates[start - 1].similarity;
      const g = Math.abs(s / count - target);
      if (g < bestWindowGap) {
        bestWindowGap = g;
        window = start;
      }
    }
    const initial = Array.from({ length: count }, (_, i) => window + i);
    const second = localSearch(candidates, count, initial, target, rng, opts);
    if (Math.abs(second.sum / count - target) < Math.abs(best.sum / count - target)) best = second;
  }
  const { members, sum } = best;
  const distractors = rng.shuffle(members.map((i) => candidates[i].name));
  const goldIndex = rng.int(count + 1);
  const options = [...distractors.slice(0, goldIndex), gold, ...distractors.slice(goldIndex)];
  const similarity = sum / count;
  return { options, goldIndex, similarity, target, hit: Math.abs(similarity - target) <= opts.tolerance };
}

/** Swap descent on |mean - target| from `members` (indices into candidates). */
function localSearch(
  candidates: readonly Candidate[],
  count: number,
  members: number[],
  target: number,
  rng: SeededRandom,
  opts: RedrawOptions,
): { members: number[]; sum: number } {
  const inSet = new Array<boolean>(candidates.length).fill(false);
  for (const i of members) inSet[i] = true;
  let sum = members.reduce((s, i) => s + candidates[i].similarity, 0);
  const gap = (s: number) => Math.abs(s / count - target);
  let stale = 0;
  for (let it = 0; it < opts.iterations && gap(sum) > opts.tolerance && stale < 2 * count; it++) {
    const slot = rng.int(count);
    const out = members[slot];
    let best = -1;
    let bestGap = gap(sum);
    for (let j = 0; j < candidates.length; j++) {
      if (inSet[j]) continue;
      const g = gap(sum - candidates[out].similarity + candidates[j].similarity);
      if (g < bestGap - 1e-12) {
        bestGap = g;
        best = j;
      }
    }
    if (best < 0) {
      stale++;
      continue;
    }
    stale = 0;
    sum += candidates[best].similarity - candidates[out].similarity;
    inSet[out] = false;
    inSet[best] = true;
    members[slot] = best;
  }
  return { members, sum };
}
