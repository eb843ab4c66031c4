// The question-only baseline: how far the question text alone goes, the way VQA papers report a "question-only"
// model. A policy that scores no higher than this does not use its image, so GRPO's image-dependent reward has
// nothing to sharpen in it (bench/grpo-runs.md, "GRPO from a policy with room to learn"). Counted rather than learned: for
// each question text of the training split, how often each option text was the gold answer; a held-out question
// is answered with the option that was gold most often for its exact text, then most often overall. The count
// is the Bayes answer once the training split has seen the text often (AnatomySynth's templates repeat), so a
// trained text-only policy cannot beat it by much.
import { isMultipleChoice, type VqaRecord } from '../data/record.ts';
import { normalizeOptionText } from './normalize.ts';

export interface QuestionPrior {
  /** Normalised question text -> normalised gold option text -> times it was gold. */
  byQuestion: Map<string, Map<string, number>>;
  /** Normalised gold option text -> times it was gold, over every question. */
  overall: Map<string, number>;
}

const questionKey = (r: VqaRecord) => normalizeOptionText(r.question);

export function fitQuestionPrior(train: readonly VqaRecord[]): QuestionPrior {
  const byQuestion = new Map<string, Map<string, number>>();
  const overall = new Map<string, number>();
  for (const r of train) {
    if (!isMultipleChoice(r)) continue;
    const gold = normalizeOptionText(r.options[r.goldIndex]);
    const key = questionKey(r);
    let counts = byQuestion.get(key);
    if (!counts) byQuestion.set(key, (counts = new Map()));
    counts.set(gold, (counts.get(gold) ?? 0) + 1);
    overall.set(gold, (overall.get(gold) ?? 0) + 1);
  }
  return { byQuestion, overall };
}

/** The option index the question text points to (ties go to the earlier option); -1 for an open question. */
export function questionOnlyChoice(prior: QuestionPrior, record: VqaRecord): number {
  if (!isMultipleChoice(record)) return -1;
  const counts = prior.byQuestion.get(questionKey(record));
  let best = 0, bestQ = -1, bestAll = -1;
  record.options.forEach((o, i) => {
    const t = normalizeOptionText(o);
    const q = counts?.get(t) ?? 0, all = prior.overall.get(t) ?? 0;
    if (q > bestQ || (q === bestQ && all > bestAll)) [best, bestQ, bestAll] = [i, q, all];
  });
  return best;
}

/** Share of the multiple-choice records the question text alone answers right (0 when there are none). */
export function questionOnlyAccuracy(prior: QuestionPrior, records: readonly VqaRecord[]): number {
  const asked = records.filter(isMultipleChoice);
  return asked.length ? asked.filter((r) => questionOnlyChoice(prior, r) === r.goldIndex).length / asked.length : 0;
}
