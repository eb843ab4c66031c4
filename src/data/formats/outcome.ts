// Builds one RecordOutcome while a reader walks a source record: typed field access that records an error
// naming file, record and field instead of throwing, and named repairs.
import type { ReadConfig, RecordOutcome } from './types.ts';
import type { VqaRecord } from '../record.ts';
import { issue, jsonType, preview, type DataIssue, type DataRepair } from '../validate/issues.ts';

export class OutcomeBuilder {
  readonly repairs: DataRepair[] = [];
  readonly errors: DataIssue[] = [];
  readonly warnings: DataIssue[] = [];

  constructor(
    readonly file: string,
    readonly index: number,
    readonly config: ReadConfig,
  ) {}

  fail(field: string, message: string): void {
    this.errors.push(issue(this.file, this.index, field, message));
  }

  warn(field: string, message: string): void {
    this.warnings.push(issue(this.file, this.index, field, message));
  }

  repair(field: string, message: string): void {
    this.repairs.push({ file: this.file, record: this.index, field, message });
  }

  /** The source record as an object, or an error when it is not one. */
  object(raw: unknown): Record<string, unknown> | null {
    if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw as Record<string, unknown>;
    this.fail('', `record is ${jsonType(raw)}, expected an object`);
    return null;
  }

  /** Checks a string's length against the field limit. */
  bounded(field: string, s: string): string {
    if (s.length > this.config.maxFieldChars) {
      this.fail(field, `${s.length} characters, over the ${this.config.maxFieldChars} limit`);
      return '';
    }
    return s;
  }

  /**
   * A string field. Numbers are accepted and turned into text (VQA-RAD answers such as 2), which counts as a
   * repair; anything else is an error. Missing optional fields give ''.
   */
  text(obj: Record<string, unknown>, field: string, required = true): string {
    const v = obj[field];
    if (v === undefined || v === null) {
      if (required) this.fail(field, v === null ? 'is null' : 'missing');
      return '';
    }
    if (typeof v === 'number' && Number.isFinite(v)) {
      this.repair(field, `number ${v} read as text`);
      return String(v);
    }
    if (typeof v !== 'string') {
      this.fail(field, `expected a string, got ${jsonType(v)} ${preview(v, 30)}`);
      return '';
    }
    return this.bounded(field, v);
  }

  /** The first present field among several names (sources disagree on spelling). */
  firstText(obj: Record<string, unknown>, fields: readonly string[], required = true): { field: string; value: string } {
    for (const f of fields) if (obj[f] !== undefined && obj[f] !== null) return { field: f, value: this.text(obj, f) };
    if (required) this.fail(fields[0], `missing (also looked for ${fields.slice(1).join(', ') || 'no alternative'})`);
    return { field: fields[0], value: '' };
  }

  finish(record: VqaRecord): RecordOutcome {
    const ok = this.errors.length === 0;
    return { file: this.file, index: this.index, record: ok ? record : null, repairs: ok ? this.repairs : [], errors: this.errors, warnings: this.warnings };
  }
}
