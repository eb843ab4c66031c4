// importMetricsLog: a metrics log from a cluster trainer becomes run records (kind 'imported') with the lab's
// metric names, ready for the Runs panel, comparison and sharing. With the export's manifest.json beside it,
// the run carries the lab configs and dataset fingerprint of the recipe it came from. Every run goes through
// restoreRunRecord before it is returned.

import { emptyRunRecord, metricPoint, type JsonObject, type MetricPoint, type RunRecord } from '../../runs/record.ts';
import { restoreRunRecord } from '../../runs/restore.ts';
import { LIMITS } from '../../runs/schema.ts';
import { strideIndices } from '../../runs/downsample.ts';
import { restoreManifestLink, type ManifestLink } from '../manifest.ts';
import { guessTrainer, mapMetricValues, type SourceTrainer } from './metric-names.ts';
import { parseMetricsCsv } from './parse-csv.ts';
import {
  LogParseError,
  MAX_LOG_CHARS,
  parseEasyr1Console,
  parseMetricsJsonl,
  parseTrainerState,
  parseVerlConsole,
  type LoggedStep,
} from './parse-logs.ts';

export type LogFormat = 'verl-console' | 'easyr1-console' | 'jsonl' | 'trainer-state' | 'csv';

export interface ImportOptions {
  /** Whose metric names the log uses; guessed from the names when absent. */
  trainer?: SourceTrainer;
  /** The export's manifest.json (parsed JSON), to tie the run to the lab run and dataset. */
  manifest?: unknown;
  /** Creation time of the imported run (ISO); default now. */
  createdAt?: string;
}

export interface ImportedRuns {
  format: LogFormat;
  trainer: SourceTrainer;
  runs: RunRecord[];
}

/** Which parser reads a file, from its name and first characters. */
export function detectLogFormat(text: string, fileName: string): LogFormat {
  const name = fileName.toLowerCase();
  const head = text.trimStart().slice(0, 4000);
  if (name.endsWith('.csv')) return 'csv';
  if (head.startsWith('{') && /"log_history"\s*:/.test(text.slice(0, 2_000_000))) return 'trainer-state';
  if (head.startsWith('{')) return 'jsonl';
  if (/^(?:\([^)]*\)\s?)?Step \d+\s*$/m.test(text)) return 'easyr1-console';
  if (/(?:^|\s)step:\d+\s+-\s+\S+:/m.test(text)) return 'verl-console';
  throw new LogParseError(`${fileName}: not a metrics log the lab reads (verl/EasyR1 console or JSONL, TRL trainer_state.json, W&B/Trackio CSV)`);
}

/** FNV-1a over the text: a short stable id suffix for the same file imported twice. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** Points in step order, values logged at the same step merged, at most LIMITS.historyPoints. */
function historyPoints(steps: readonly LoggedStep[], trainer: SourceTrainer): { points: MetricPoint[]; logged: number } {
  const byStep = new Map<number, Record<string, number>>();
  for (const s of steps) {
    let merged = byStep.get(s.step);
    if (!merged) byStep.set(s.step, (merged = {}));
    Object.assign(merged, mapMetricValues(trainer, s.values));
  }
  const points = [...byStep]
    .sort((a, b) => a[0] - b[0])
    .map(([step, values]) => metricPoint(step, values))
    .filter((p) => Object.keys(p.values).length > 0);
  const logged = points.length;
  const kept = strideIndices(points.length, LIMITS.historyPoints).map((i) => points[i]);
  return { points: kept, logged };
}

function buildRun(
  steps: readonly LoggedStep[],
  trainer: SourceTrainer,
  format: LogFormat,
  fileName: string,
  text: string,
  label: string,
  link: ManifestLink | null,
  opts: ImportOptions,
  timings: Record<string, number>,
): RunRecord {
  if (steps.length === 0) throw new LogParseError(`${fileName}${label ? ` (${label})` : ''}: no logged step found`);
  const createdAt = opts.createdAt ?? new Date().toISOString();
  const run = emptyRunRecord(`imported-${trainer}-${shortHash(text + label)}`, 'imported', createdAt);
  const { points, logged } = historyPoints(steps, trainer);
  run.name = (link ? `${link.runName} (${trainer})` : label || fileName).slice(0, LIMITS.shortString);
  run.history = { points, loggedPoints: logged, method: points.length < logged ? 'stride' : 'none' };
  run.origin = { trainer, file: fileName.slice(0, LIMITS.shortString) };
  run.timings = timings;
  run.notes = `Imported from ${fileName} (${format}, ${trainer} metric names mapped to the lab's).`;
  if (link) {
    const seed = typeof link.grpo.seed === 'number' && Number.isInteger(link.grpo.seed) ? link.grpo.seed : 0;
    run.config = { seed, model: {}, grpo: link.grpo as JsonObject, curriculum: link.curriculum as JsonObject, augment: link.augment as JsonObject, eval: {} };
    run.dataset = { name: link.dataset.name, fingerprint: link.dataset.fingerprint, counts: {} };
    run.notes += ` Recipe exported from lab run ${link.runId} for ${link.target}.`;
  }
  return restoreRunRecord(JSON.parse(JSON.stringify(run)), fileName);
}

/** The runs in a metrics log. Throws LogParseError (or RunRecordError) naming the file and the place. */
export function importMetricsLog(text: string, fileName: string, opts: ImportOptions = {}): ImportedRuns {
  if (text.length > MAX_LOG_CHARS) throw new LogParseError(`${fileName}: file is larger than ${MAX_LOG_CHARS} characters`);
  const format = detectLogFormat(text, fileName);
  const link = opts.manifest === undefined ? null : restoreManifestLink(opts.manifest);
  const pickTrainer = (steps: readonly LoggedStep[], fallback: SourceTrainer): SourceTrainer =>
    opts.trainer ?? guessTrainer(steps.flatMap((s) => Object.keys(s.values))) ?? link?.target ?? fallback;

  switch (format) {
    case 'verl-console': {
      const steps = parseVerlConsole(text, fileName);
      const trainer = pickTrainer(steps, 'verl');
      return { format, trainer, runs: [buildRun(steps, trainer, format, fileName, text, '', link, opts, {})] };
    }
    case 'easyr1-console': {
      const steps = parseEasyr1Console(text, fileName);
      const trainer = opts.trainer ?? 'easyr1';
      return { format, trainer, runs: [buildRun(steps, trainer, format, fileName, text, '', link, opts, {})] };
    }
    case 'jsonl': {
      const steps = parseMetricsJsonl(text, fileName);
      const trainer = pickTrainer(steps, 'verl');
      return { format, trainer, runs: [buildRun(steps, trainer, format, fileName, text, '', link, opts, {})] };
    }
    case 'trainer-state': {
      const { steps, summary } = parseTrainerState(text, fileName);
      const trainer = opts.trainer ?? 'trl';
      const timings: Record<string, number> = {};
      if (summary.train_runtime !== undefined) timings.wallMs = summary.train_runtime * 1000;
      if (summary.train_steps_per_second !== undefined) timings.stepsPerSecond = summary.train_steps_per_second;
      return { format, trainer, runs: [buildRun(steps, trainer, format, fileName, text, '', link, opts, timings)] };
    }
    case 'csv': {
      const runs = parseMetricsCsv(text, fileName);
      const all = runs.flatMap((r) => r.steps);
      const trainer = pickTrainer(all, 'trl');
      return { format, trainer, runs: runs.map((r) => buildRun(r.steps, trainer, format, fileName, text, r.name, link, opts, {})) };
    }
  }
}
