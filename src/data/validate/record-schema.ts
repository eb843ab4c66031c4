// The last gate every record passes, whatever reader made it, and the restore step for records read back from
// IndexedDB: shape, ranges and the consistency between options, gold index and answer.
import { z } from 'zod';
import type { VqaRecord } from '../record.ts';

export const VqaRecordSchema = z
  .object({
    id: z.string().min(1, 'empty id'),
    image: z.string(),
    question: z.string().min(1, 'empty question'),
    options: z.array(z.string()),
    goldIndex: z.number().int(),
    answer: z.string(),
    open: z.boolean(),
    questionType: z.string(),
    modality: z.string(),
    anatomy: z.string(),
    source: z.string(),
    split: z.enum(['train', 'test', 'val']),
  })
  .superRefine((r, ctx) => {
    if (r.open) {
      if (r.goldIndex !== -1) ctx.addIssue({ code: 'custom', path: ['goldIndex'], message: 'open question with a gold option index' });
      if (r.answer.trim() === '') ctx.addIssue({ code: 'custom', path: ['answer'], message: 'open question without an answer' });
    } else if (r.goldIndex < 0 || r.goldIndex >= r.options.length) {
      ctx.addIssue({ code: 'custom', path: ['goldIndex'], message: `gold index ${r.goldIndex} outside ${r.options.length} options` });
    } else if (r.answer !== r.options[r.goldIndex]) {
      ctx.addIssue({ code: 'custom', path: ['answer'], message: 'answer differs from the gold option text' });
    }
  });

/** Field -> message for every way a record breaks the schema; empty when it is valid. */
export function recordProblems(record: unknown): { field: string; message: string }[] {
  const r = VqaRecordSchema.safeParse(record);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

/** Untrusted record (e.g. from IndexedDB) -> VqaRecord, or null when it does not hold one. */
export function restoreRecord(raw: unknown): VqaRecord | null {
  const r = VqaRecordSchema.safeParse(raw);
  return r.success ? r.data : null;
}
