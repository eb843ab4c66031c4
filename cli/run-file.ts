// Reading one run record from a JSON file for the CLI (a single run, a list, or an exported bundle), with
// the same validation the Runs panel's import uses. Every problem is bad input: a UsageError (exit 2).
import { readFileSync } from 'node:fs';
import { UsageError } from './command.ts';
import { importRunsJson } from '../src/runs/export.ts';
import type { RunRecord } from '../src/runs/record.ts';

/** The one run in `file`, or the one with `id` when the file holds several. */
export function readRunFile(file: string, id: string | undefined): RunRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let imported;
  try {
    imported = importRunsJson(text, file);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const candidates = id === undefined ? imported.runs : imported.runs.filter((r) => r.id === id);
  if (candidates.length === 1) return candidates[0];
  if (imported.errors.length > 0) throw new UsageError(imported.errors[0]);
  if (id !== undefined) throw new UsageError(`${file} has no run with id '${id}'`);
  throw new UsageError(`${file} holds ${candidates.length} runs; choose one with --id (${imported.runs.map((r) => r.id).join(', ')})`);
}
