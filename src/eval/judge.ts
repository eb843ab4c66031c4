// One verdict per (record, completion): the extracted answer and whether it is right. Multiple choice is
// right when the extracted option is the gold one; open questions (VQA-RAD) by normalised exact match.
import type { VqaRecord } from '../data/record.ts';
import { extractChoice, extractOpenAnswer, type ChoiceExtraction, type OpenExtraction } from './extract.ts';
import { normalizeOpenAnswer } from './normalize.ts';

/** The verdict on one completion. */
export interface Verdict {
  /** True when the extracted answer is the gold one. */
  correct: boolean;
  /** False when no answer could be extracted: these go to the "could not extract" bucket, never hidden. */
  extracted: boolean;
  /** The chosen option index (multiple choice), -1 when none or open. */
  choice: number;
  /** Why nothing was extracted ('' when something was). */
  reason: string;
}

export function judgeCompletion(record: VqaRecord, completion: string): Verdict {
  if (record.open || record.options.length === 0) {
    const got: OpenExtraction = extractOpenAnswer(completion);
    if (!got.ok) return { correct: false, extracted: false, choice: -1, reason: got.reason };
    return { correct: got.normalized === normalizeOpenAnswer(record.answer), extracted: true, choice: -1, reason: '' };
  }
  const got: ChoiceExtraction = extractChoice(completion, record.options);
  if (!got.ok) return { correct: false, extracted: false, choice: -1, reason: got.reason };
  return { correct: got.index === record.goldIndex, extracted: true, choice: got.index, reason: '' };
}
