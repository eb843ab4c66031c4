// The scalar metrics of an evaluation, as pure functions over per-question verdicts. Each takes what it
// needs and nothing else, so the hand-made cases in the tests read like the definitions.

/** Greedy accuracy: the share of questions whose single greedy answer is right. 0 for no questions. */
export function greedyAccuracy(correct: readonly boolean[]): number {
  return correct.length === 0 ? 0 : correct.filter(Boolean).length / correct.length;
}

/**
 * Avg@k: for each question the share of its k sampled answers that are right, averaged over questions
 * (the paper reports Avg@5). Every question must have the same k.
 */
export function avgAtK(samples: readonly (readonly boolean[])[]): number {
  if (samples.length === 0) return 0;
  const k = samples[0].length;
  if (k === 0) throw new Error('avgAtK: questions have no samples');
  let total = 0;
  samples.forEach((answers, q) => {
    if (answers.length !== k) throw new Error(`avgAtK: question ${q} has ${answers.length} samples, expected k = ${k}`);
    total += answers.filter(Boolean).length / k;
  });
  return total / samples.length;
}

/** CircularEval: the share of questions answered right under every rotation of their options. */
export function circularAccuracy(rotations: readonly (readonly boolean[])[]): number {
  if (rotations.length === 0) return 0;
  return rotations.filter((r) => r.length > 0 && r.every(Boolean)).length / rotations.length;
}

/** How per-token log-probs of one option are reduced to its score. */
export type LikelihoodReduce = 'sum' | 'mean';

/**
 * Likelihood scoring: the option whose continuation has the highest summed (or per-token mean) log-prob.
 * `logProbs[o]` are the token log-probs of option o given the prompt. Ties go to the lowest index;
 * an option with no tokens or a non-finite log-prob never wins. -1 when no option has a finite score.
 */
export function pickByLikelihood(logProbs: readonly (readonly number[])[], reduce: LikelihoodReduce): number {
  let best = -1;
  let bestScore = -Infinity;
  logProbs.forEach((tokens, o) => {
    if (tokens.length === 0 || !tokens.every(Number.isFinite)) return;
    const sum = tokens.reduce((a, b) => a + b, 0);
    const score = reduce === 'sum' ? sum : sum / tokens.length;
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  });
  return best;
}

/** The share of answers that could not be extracted (the "could not extract" bucket). */
export function unextractableRate(extracted: readonly boolean[]): number {
  return extracted.length === 0 ? 0 : extracted.filter((e) => !e).length / extracted.length;
}

/** Nearest-rank percentile of a list of numbers (p in [0, 100]); 0 for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** Two evaluations of one question set compared question by question (McNemar's exact form). */
export interface PairedComparison {
  /** Questions the second evaluation answered right and the first did not. */
  gained: number;
  /** Questions the first answered right and the second did not. */
  lost: number;
  /**
   * Two-sided exact sign test on the discordant questions: the chance of a split at least this uneven if
   * gains and losses were equally likely. Two accuracies over the same questions differ only where they
   * disagree, so this is far sharper than comparing two binomial intervals. 1 when nothing changed.
   */
  pValue: number;
}

/**
 * Compares two evaluations over the same questions, given the ids each answered right. Pairing by id
 * rather than by position keeps it honest when one list is a reordering of the other.
 */
export function pairedComparison(correctBefore: readonly string[], correctAfter: readonly string[]): PairedComparison {
  const before = new Set(correctBefore), after = new Set(correctAfter);
  const gained = [...after].filter((id) => !before.has(id)).length;
  const lost = [...before].filter((id) => !after.has(id)).length;
  return { gained, lost, pValue: signTestPValue(gained, lost) };
}

/** pairedComparison of two evaluations that both kept their correct ids; null when either did not. */
export function pairedEvals(before: { correct?: readonly string[] }, after: { correct?: readonly string[] }): PairedComparison | null {
  return before.correct && after.correct ? pairedComparison(before.correct, after.correct) : null;
}

/** How a p-value reads in a sentence: two significant digits, or a bound below 0.001. */
export function formatPValue(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toPrecision(2)}`;
}

/** Two-sided exact binomial test of k = min(a, b) among n = a + b at p = 1/2; terms in log space, as n can be large. */
export function signTestPValue(a: number, b: number): number {
  const n = a + b, k = Math.min(a, b);
  if (n === 0) return 1;
  // ln C(n, m) built up term by term: C(n, m + 1) = C(n, m) (n - m) / (m + 1).
  let lnTerm = -n * Math.LN2, tail = 0;
  for (let m = 0; m <= k; m++) {
    tail += Math.exp(lnTerm);
    lnTerm += Math.log(n - m) - Math.log(m + 1);
  }
  return Math.min(1, 2 * tail);
}
