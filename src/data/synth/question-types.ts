// Training and testing on some AnatomySynth question types only: location questions are the ones whose answer is
// read from one place in the image, so a stage (or a GRPO run) on them alone asks the policy to look
// (bench/grpo-runs.md, "Teaching the policy its image"). Shared by `npm run pretrain --types` and `lab train --types`.
import type { VqaRecord } from '../record.ts';
import { SYNTH_QUESTION_TYPES } from './questions.ts';

/**
 * The question types a `--types` value names, sorted and without repeats so that `relation,location` and
 * `location,relation` are one choice (a resumed run compares them); null for 'all'. Throws on a type AnatomySynth
 * does not ask, naming it and the ones it does.
 */
export function parseQuestionTypes(spec: string, known: readonly string[] = SYNTH_QUESTION_TYPES): string[] | null {
  if (spec === 'all') return null;
  const wanted = [...new Set(spec.split(',').map((t) => t.trim()).filter((t) => t !== ''))].sort();
  if (wanted.length === 0) throw new Error(`--types: name one or more question types (AnatomySynth has ${known.join(', ')}), or 'all'`);
  for (const t of wanted) if (!known.includes(t)) throw new Error(`--types: AnatomySynth has no question type '${t}' (it has ${known.join(', ')})`);
  return wanted;
}

/** The records of those types (all of them for null). */
export function ofQuestionTypes<R extends Pick<VqaRecord, 'questionType'>>(records: readonly R[], types: readonly string[] | null): R[] {
  if (!types) return [...records];
  const keep = new Set(types);
  return records.filter((r) => keep.has(r.questionType));
}

/** The canonical `--types` text for a choice: 'all', or the sorted list. */
export function questionTypesText(types: readonly string[] | null): string {
  return types ? types.join(',') : 'all';
}
