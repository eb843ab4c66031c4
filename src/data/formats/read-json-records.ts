// The loop shared by all JSON-based readers: every item of every file goes through the reader's per-record
// function with an OutcomeBuilder, so a thrown error in one record can never stop the others.
import type { IntakeFile } from '../intake/intake-file.ts';
import type { VqaRecord } from '../record.ts';
import { issue } from '../validate/issues.ts';
import { readJsonItems } from './json-source.ts';
import { OutcomeBuilder } from './outcome.ts';
import type { ParseOutput, ReadConfig } from './types.ts';

export type RecordReader = (raw: Record<string, unknown>, b: OutcomeBuilder, file: IntakeFile) => VqaRecord;

export async function readJsonRecords(files: readonly IntakeFile[], config: ReadConfig, readRecord: RecordReader): Promise<ParseOutput> {
  const out: ParseOutput = { outcomes: [], fileIssues: [], embeddedImages: [] };
  for (const file of files) {
    const { items, lineErrors, issues } = await readJsonItems(file, config);
    out.fileIssues.push(...issues);
    items.forEach((raw, index) => {
      const b = new OutcomeBuilder(file.path, index, config);
      const lineError = lineErrors.get(index);
      if (lineError) {
        b.fail('', lineError);
        out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: b.errors, warnings: [] });
        return;
      }
      const obj = b.object(raw);
      if (!obj) {
        out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: b.errors, warnings: [] });
        return;
      }
      try {
        out.outcomes.push(b.finish(readRecord(obj, b, file)));
      } catch (err) {
        // A reader bug must cost one record, not the dataset.
        const e = issue(file.path, index, '', `could not be read: ${err instanceof Error ? err.message : String(err)}`);
        out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: [e], warnings: [] });
      }
    });
  }
  return out;
}

/** Id for formats without one: the file path and the record index. */
export function positionalId(file: IntakeFile, index: number): string {
  return `${file.path}#${index}`;
}

/** Quick key test on the first bytes of a JSON file. */
export function headHasKeys(head: string | undefined, keys: readonly string[]): boolean {
  if (!head) return false;
  return keys.every((k) => new RegExp(`"${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\s*:`).test(head));
}

export function isJsonPath(path: string): boolean {
  return /\.(json|jsonl|ndjson)$/i.test(path);
}
