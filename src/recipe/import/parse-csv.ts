// CSV metric exports: W&B's panel export ("Step", "<run> - <metric>", "<run> - <metric>__MIN", ...), Trackio's
// and any wide table with a step column, or a long table (step, metric, value [, run]). Several runs in one W&B
// file become several runs. RFC 4180 quoting; nothing is evaluated.

import { LogParseError, type LoggedStep } from './parse-logs.ts';

/** Rows of a CSV text (quoted fields may hold commas, quotes and newlines). */
export function parseCsvRows(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length) {
    const c = body[i];
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
    i++;
  }
  if (quoted) throw new LogParseError(`${file}: a quoted field is not closed`);
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0].trim() === ''));
}

const STEP_COLUMNS = ['step', 'Step', '_step', 'global_step', 'train/global_step', 'trainer/global_step'];

export interface CsvRun {
  /** Run name from the W&B column prefix, or '' when the file names none. */
  name: string;
  steps: LoggedStep[];
}

function cellNumber(text: string): number | null {
  const t = text.trim();
  if (t === '' || !/^[-+]?(\d|\.\d)/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function mergeStep(byStep: Map<number, LoggedStep>, step: number, name: string, value: number): void {
  let s = byStep.get(step);
  if (!s) byStep.set(step, (s = { step, values: {} }));
  s.values[name] = value;
}

/** Runs in a metrics CSV. */
export function parseMetricsCsv(text: string, file: string): CsvRun[] {
  const rows = parseCsvRows(text, file);
  if (rows.length < 2) throw new LogParseError(`${file}: needs a header and at least one row`);
  const header = rows[0].map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());

  // Long layout: step, metric, value (optionally run_name / run).
  const iMetric = lower.indexOf('metric');
  const iValue = lower.indexOf('value');
  const iStepLong = lower.indexOf('step');
  if (iMetric >= 0 && iValue >= 0 && iStepLong >= 0) {
    const iRun = lower.indexOf('run_name') >= 0 ? lower.indexOf('run_name') : lower.indexOf('run');
    const runs = new Map<string, Map<number, LoggedStep>>();
    rows.slice(1).forEach((r, k) => {
      const step = cellNumber(r[iStepLong] ?? '');
      const value = cellNumber(r[iValue] ?? '');
      if (step === null || !Number.isInteger(step) || step < 0) throw new LogParseError(`${file} row ${k + 2}: column step: expected a non-negative integer`);
      if (value === null) return;
      const run = iRun >= 0 ? (r[iRun] ?? '') : '';
      let byStep = runs.get(run);
      if (!byStep) runs.set(run, (byStep = new Map()));
      mergeStep(byStep, step, (r[iMetric] ?? '').trim(), value);
    });
    return [...runs].map(([name, byStep]) => ({ name, steps: [...byStep.values()] }));
  }

  const iStep = header.findIndex((h) => STEP_COLUMNS.includes(h));
  if (iStep < 0) throw new LogParseError(`${file}: no step column (expected one of ${STEP_COLUMNS.join(', ')})`);
  // Wide layout; W&B names columns "<run> - <metric>" and adds __MIN / __MAX bands.
  const columns = header.map((h, c) => {
    if (c === iStep || /__(MIN|MAX)$/.test(h)) return null;
    const m = /^(.*?) - (.+)$/.exec(h);
    return m ? { run: m[1], metric: m[2] } : { run: '', metric: h };
  });
  const runs = new Map<string, Map<number, LoggedStep>>();
  rows.slice(1).forEach((r, k) => {
    const step = cellNumber(r[iStep] ?? '');
    if (step === null || !Number.isInteger(step) || step < 0) throw new LogParseError(`${file} row ${k + 2}: column ${header[iStep]}: expected a non-negative integer`);
    columns.forEach((col, c) => {
      if (!col) return;
      const value = cellNumber(r[c] ?? '');
      if (value === null) return;
      let byStep = runs.get(col.run);
      if (!byStep) runs.set(col.run, (byStep = new Map()));
      mergeStep(byStep, step, col.metric, value);
    });
  });
  return [...runs].map(([name, byStep]) => ({ name, steps: [...byStep.values()] }));
}
