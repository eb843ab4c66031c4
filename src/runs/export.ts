// Runs out and in as files: JSON (one run or a bundle) and CSV (metrics long or wide, evaluation tables).
// Import validates every run through restoreRunRecord and reports bad ones by file and position.
import { CATEGORY_DIMENSIONS } from '../eval/report.ts';
import type { RunRecord } from './record.ts';
import { restoreRunRecord } from './restore.ts';

/** The marker of a bundle file, so that a wrong JSON file is named as such. */
export const RUNS_BUNDLE_FORMAT = 'anatomy-r1-lab.runs';

/** Largest JSON file import reads (characters). */
export const MAX_IMPORT_CHARS = 50_000_000;

export function exportRunsJson(runs: readonly RunRecord[]): string {
  return JSON.stringify({ format: RUNS_BUNDLE_FORMAT, version: 1, runs }, null, 2) + '\n';
}

export interface ImportResult {
  runs: RunRecord[];
  /** One message per run that was refused, naming the file, the position and the field. */
  errors: string[];
}

/** Runs from a JSON file: a bundle, an array of runs, or one run. A file-level problem throws; a bad run is skipped and reported. */
export function importRunsJson(text: string, fileName: string): ImportResult {
  if (text.length > MAX_IMPORT_CHARS) throw new Error(`${fileName}: file is larger than ${MAX_IMPORT_CHARS} characters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`${fileName}: not JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  let items: unknown[];
  if (Array.isArray(parsed)) items = parsed;
  else if (parsed !== null && typeof parsed === 'object' && 'format' in parsed) {
    const bundle = parsed as { format: unknown; runs?: unknown };
    if (bundle.format !== RUNS_BUNDLE_FORMAT) throw new Error(`${fileName}: format '${String(bundle.format).slice(0, 80)}' is not ${RUNS_BUNDLE_FORMAT}`);
    if (!Array.isArray(bundle.runs)) throw new Error(`${fileName}: field runs: must be an array`);
    items = bundle.runs;
  } else items = [parsed];
  const runs: RunRecord[] = [];
  const errors: string[] = [];
  items.forEach((item, i) => {
    try {
      runs.push(restoreRunRecord(item, items.length > 1 ? `${fileName} [run ${i}]` : fileName));
    } catch (err) {
      errors.push(err instanceof Error ? err.message : String(err));
    }
  });
  return { runs, errors };
}

/** One CSV cell: quoted when needed; text that a spreadsheet would run as a formula gets a leading quote. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvLine = (cells: ReadonlyArray<string | number | boolean | null | undefined>): string => cells.map(csvCell).join(',');

/**
 * Metric histories as CSV. 'long': run_id,run_name,step,metric,value (one row per value, the tidy form);
 * 'wide': run_id,run_name,step,<metric...> (one row per step, empty where not logged).
 */
export function metricsCsv(runs: readonly RunRecord[], layout: 'long' | 'wide'): string {
  if (layout === 'long') {
    const lines = [csvLine(['run_id', 'run_name', 'step', 'metric', 'value'])];
    for (const run of runs) {
      for (const p of run.history.points) {
        for (const name of Object.keys(p.values).sort()) lines.push(csvLine([run.id, run.name, p.step, name, p.values[name]]));
      }
    }
    return lines.join('\n') + '\n';
  }
  const metrics = [...new Set(runs.flatMap((r) => r.history.points.flatMap((p) => Object.keys(p.values))))].sort();
  const lines = [csvLine(['run_id', 'run_name', 'step', ...metrics])];
  for (const run of runs) {
    for (const p of run.history.points) lines.push(csvLine([run.id, run.name, p.step, ...metrics.map((m) => p.values[m])]));
  }
  return lines.join('\n') + '\n';
}

/** Every evaluation cell of every run: run_id,run_name,eval,dimension,label,metric,n,value. */
export function evalTablesCsv(runs: readonly RunRecord[]): string {
  const lines = [csvLine(['run_id', 'run_name', 'eval', 'dimension', 'label', 'metric', 'n', 'value'])];
  for (const run of runs) {
    for (const e of run.evals) {
      const groups: Array<[string, string, (typeof e.report)['overall']]> = [['overall', 'Overall', e.report.overall]];
      for (const d of CATEGORY_DIMENSIONS) for (const [label, g] of Object.entries(e.report.byCategory[d])) groups.push([d, label, g]);
      for (const [dimension, label, g] of groups) {
        for (const [metric, cell] of Object.entries(g.metrics)) lines.push(csvLine([run.id, run.name, e.name, dimension, label, metric, cell.n, cell.value]));
      }
    }
  }
  return lines.join('\n') + '\n';
}
