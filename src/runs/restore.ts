// restoreRunRecord: the one door through which a run record from outside this tab's memory (IndexedDB, an
// imported file, a shared URL) becomes a RunRecord. Guard, migrate, validate; errors name where, which
// record and which field.
import type { z } from 'zod';
import { guardJson, JsonGuardError } from './json-guard.ts';
import { migrateRunRecord, RunVersionError, type Migration } from './migrate.ts';
import type { RunRecord } from './record.ts';
import { runRecordSchema } from './schema.ts';

export class RunRecordError extends Error {
  override name = 'RunRecordError';
  constructor(
    message: string,
    /** Dotted path of the first bad field ('' when the whole value is wrong). */
    readonly field: string,
  ) {
    super(message);
  }
}

/** Dotted path of a zod issue ('evals.0.report.overall.n'). */
export function issuePath(issue: z.core.$ZodIssue): string {
  return issue.path.map((p) => String(p)).join('.');
}

/** A readable line for the first issues of a zod error. */
export function describeIssues(error: z.ZodError, max = 3): { field: string; text: string } {
  const issues = error.issues.slice(0, max);
  const text = issues
    .map((i) => {
      const path = issuePath(i);
      const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.map((k) => `'${k}'`).join(', ')})` : '';
      return `${path ? `field ${path}` : 'record'}: ${i.message}${keys}`;
    })
    .join('; ');
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return { field: issues[0] ? issuePath(issues[0]) : '', text: text + more };
}

/**
 * A RunRecord from untrusted data, or a RunRecordError whose message reads
 * "<where>: run '<id>': field <path>: <problem>".
 */
export function restoreRunRecord(untrusted: unknown, where = 'run record', migrations?: Readonly<Record<number, Migration>>): RunRecord {
  const label = (id: unknown): string => `${where}: run${typeof id === 'string' && id.length <= 200 ? ` '${id}'` : ''}`;
  if (untrusted === null || typeof untrusted !== 'object' || Array.isArray(untrusted)) {
    throw new RunRecordError(`${where}: a run record must be a JSON object`, '');
  }
  const id = (untrusted as { id?: unknown }).id;
  try {
    guardJson(untrusted);
  } catch (err) {
    if (err instanceof JsonGuardError) throw new RunRecordError(`${label(id)}: ${err.message}`, err.path);
    throw err;
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = migrateRunRecord(untrusted as Record<string, unknown>, migrations);
  } catch (err) {
    if (err instanceof RunVersionError) throw new RunRecordError(`${label(id)}: ${err.message}`, 'version');
    throw err;
  }
  const parsed = runRecordSchema.safeParse(migrated);
  if (!parsed.success) {
    const { field, text } = describeIssues(parsed.error);
    throw new RunRecordError(`${label(id)}: ${text}`, field);
  }
  const run = parsed.data;
  if (run.history.loggedPoints < run.history.points.length) {
    throw new RunRecordError(`${label(id)}: field history.loggedPoints: ${run.history.loggedPoints} is fewer than the ${run.history.points.length} points kept`, 'history.loggedPoints');
  }
  return run;
}
