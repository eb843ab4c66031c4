// Parsers for the metric logs the cluster trainers write, each into plain (step, values) records:
//   verl console    "step:12 - actor/pg_loss:0.012 - critic/score/mean:0.450 ..." (LocalLogger, %.3f values)
//   EasyR1 console  "Step 12" then the metrics as a YAML block (ConsoleLogger: yaml.dump of the unflattened dict)
//   JSONL           verl's file logger {"step": n, "data": {...}} or flat {"step": n, "<metric>": v, ...}
//   TRL             trainer_state.json {"log_history": [{"step": n, "<metric>": v, ...}, ...]}
// Lines may carry Ray's "(TaskRunner pid=123) " prefix. Untrusted text: nothing is evaluated, numbers are
// checked, errors name the file and the line or entry.

export class LogParseError extends Error {
  override name = 'LogParseError';
}

export interface LoggedStep {
  step: number;
  /** Finite numeric values only, by the trainer's own names. */
  values: Record<string, number>;
}

/** Largest log the importer reads (characters). */
export const MAX_LOG_CHARS = 200_000_000;

const RAY_PREFIX = /^\([^)]*\)\s?/;

function stripRay(line: string): string {
  return line.replace(RAY_PREFIX, '');
}

function finiteNumber(text: string): number | null {
  const t = text.trim().replace(/^['"]|['"]$/g, '');
  if (t === '' || !/^[-+]?(\d|\.\d)/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

function checkStep(step: number, where: string): number {
  if (!Number.isInteger(step) || step < 0 || step > 1e9) throw new LogParseError(`${where}: step must be a non-negative integer, got ${step}`);
  return step;
}

/** verl's console lines. */
export function parseVerlConsole(text: string, file: string): LoggedStep[] {
  const out: LoggedStep[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = stripRay(raw);
    const m = /(?:^|\s)step:(\d+)\s+-\s+(.*)$/.exec(line);
    if (!m) return;
    const values: Record<string, number> = {};
    for (const part of m[2].split(' - ')) {
      const cut = part.lastIndexOf(':');
      if (cut <= 0) continue;
      const v = finiteNumber(part.slice(cut + 1));
      if (v !== null) values[part.slice(0, cut).trim()] = v;
    }
    out.push({ step: checkStep(Number(m[1]), `${file} line ${i + 1}`), values });
  });
  return out;
}

/** EasyR1's console output: a "Step N" line, then "key:" / "  key: value" lines (two spaces per level). */
export function parseEasyr1Console(text: string, file: string): LoggedStep[] {
  const out: LoggedStep[] = [];
  const lines = text.split(/\r?\n/).map(stripRay);
  for (let i = 0; i < lines.length; i++) {
    const head = /^Step (\d+)\s*$/.exec(lines[i]);
    if (!head) continue;
    const step = checkStep(Number(head[1]), `${file} line ${i + 1}`);
    const values: Record<string, number> = {};
    const path: { indent: number; key: string }[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const m = /^( *)([^\s:][^:]*):(?: (.*))?$/.exec(lines[j]);
      if (!m || /^Step \d+\s*$/.test(lines[j])) break;
      const indent = m[1].length;
      while (path.length > 0 && path[path.length - 1].indent >= indent) path.pop();
      if (indent > 0 && path.length === 0) break;
      const key = m[2].trim();
      const rest = (m[3] ?? '').trim();
      if (rest === '') {
        path.push({ indent, key });
        continue;
      }
      const v = finiteNumber(rest);
      if (v !== null) values[[...path.map((p) => p.key), key].join('/')] = v;
    }
    out.push({ step, values });
    i = j - 1;
  }
  return out;
}

function flatten(obj: Record<string, unknown>, prefix: string, into: Record<string, number>): void {
  for (const [k, v] of Object.entries(obj)) {
    const name = prefix ? `${prefix}/${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) into[name] = v;
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, name, into);
  }
}

/** One JSON object per line: {"step", "data": {...}} (verl file logger) or {"step", ...metrics}. */
export function parseMetricsJsonl(text: string, file: string): LoggedStep[] {
  const out: LoggedStep[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file} line ${i + 1}`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new LogParseError(`${where}: not JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new LogParseError(`${where}: expected a JSON object`);
    const o = parsed as Record<string, unknown>;
    const step = o.step ?? o._step ?? o.global_step;
    if (typeof step !== 'number') throw new LogParseError(`${where}: field step: expected a number, got ${step === undefined ? 'nothing' : typeof step}`);
    const values: Record<string, number> = {};
    const data = o.data !== null && typeof o.data === 'object' && !Array.isArray(o.data) ? (o.data as Record<string, unknown>) : null;
    flatten(data ?? o, '', values);
    delete values.step;
    out.push({ step: checkStep(step, where), values });
  });
  return out;
}

export interface TrainerState {
  steps: LoggedStep[];
  /** The closing summary entry (train_runtime, train_loss, ...), when present. */
  summary: Record<string, number>;
}

const SUMMARY_KEYS = new Set(['train_runtime', 'train_samples_per_second', 'train_steps_per_second', 'total_flos', 'train_loss']);

/** TRL / transformers trainer_state.json. */
export function parseTrainerState(text: string, file: string): TrainerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new LogParseError(`${file}: not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const history = parsed !== null && typeof parsed === 'object' ? (parsed as { log_history?: unknown }).log_history : undefined;
  if (!Array.isArray(history)) throw new LogParseError(`${file}: field log_history: expected a list (is this a trainer_state.json?)`);
  const steps: LoggedStep[] = [];
  let summary: Record<string, number> = {};
  history.forEach((entry, i) => {
    const where = `${file} log_history[${i}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new LogParseError(`${where}: expected an object`);
    const e = entry as Record<string, unknown>;
    if (typeof e.step !== 'number') throw new LogParseError(`${where}: field step: expected a number`);
    const values: Record<string, number> = {};
    flatten(e, '', values);
    delete values.step;
    if (Object.keys(values).some((k) => SUMMARY_KEYS.has(k))) {
      summary = values;
      return;
    }
    steps.push({ step: checkStep(e.step, where), values });
  });
  return { steps, summary };
}
