// The confusion matrix over anatomy labels: gold label against the label of the chosen answer, each cell
// keeping the ids of its records so the UI can open the images behind it.
import type { VqaRecord } from '../data/record.ts';
import type { Verdict } from './judge.ts';
import { extractOpenAnswer } from './extract.ts';
import { normalizeOpenAnswer, normalizeOptionText } from './normalize.ts';
import { OTHER_COLUMN, UNEXTRACTED_COLUMN, type ConfusionMatrix } from './report.ts';

/** The matrix over records with an anatomy label; null when none has one. */
export function anatomyConfusion(answers: readonly { record: VqaRecord; verdict: Verdict; completion: string }[]): ConfusionMatrix | null {
  const labelled = answers.filter((a) => a.record.anatomy !== '');
  if (labelled.length === 0) return null;
  const labels = [...new Set(labelled.map((a) => a.record.anatomy))].sort();
  const columns = [...labels, OTHER_COLUMN, UNEXTRACTED_COLUMN];
  const byNorm = new Map(labels.map((l, i) => [normalizeOptionText(l), i]));
  const counts = labels.map(() => columns.map(() => 0));
  const ids = labels.map(() => columns.map((): string[] => []));
  for (const { record, verdict, completion } of labelled) {
    const row = labels.indexOf(record.anatomy);
    let column: number;
    if (!verdict.extracted) column = columns.length - 1;
    else if (verdict.choice >= 0) column = byNorm.get(normalizeOptionText(record.options[verdict.choice])) ?? labels.length;
    else if (verdict.correct) column = row; // open question answered with the gold text
    else column = openAnswerColumn(completion, labels) ?? labels.length;
    counts[row][column]++;
    ids[row][column].push(record.id);
  }
  return { labels, columns, counts, ids };
}

function openAnswerColumn(completion: string, labels: readonly string[]): number | undefined {
  const got = extractOpenAnswer(completion);
  if (!got.ok) return undefined;
  const i = labels.findIndex((l) => normalizeOpenAnswer(l) === got.normalized);
  return i >= 0 ? i : undefined;
}
