// Comparing runs side by side: a diff table of configs (one row per dotted path, one column per run), a
// results table (final logged metrics, then evaluation metrics), and overlaid curves of one metric.
import type { JsonValue, RunRecord } from './record.ts';

/** Leaves of a JSON value by dotted path; arrays are leaves (compared whole), empty objects vanish. */
export function flattenJson(value: JsonValue, prefix: string, out = new Map<string, JsonValue>()): Map<string, JsonValue> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const key of Object.keys(value).sort()) flattenJson(value[key], prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

export interface ConfigDiffRow {
  /** Dotted path ('grpo.beta', 'curriculum.pacing.holdFraction'). */
  path: string;
  /** One value per run, in the order given; undefined where that run has no such field. */
  values: (JsonValue | undefined)[];
  /** True when not all runs hold the same value. */
  differs: boolean;
}

/** What the diff table compares: the config, plus what decides whether a run can be reproduced. */
function comparable(run: RunRecord): Map<string, JsonValue> {
  const out = flattenJson(run.config as unknown as JsonValue, '');
  out.set('dataset.name', run.dataset.name);
  out.set('dataset.fingerprint', run.dataset.fingerprint);
  out.set('app.version', run.app.version);
  out.set('app.commit', run.app.commit);
  out.set('adapter', run.adapter ? `${run.adapter.vendor} ${run.adapter.architecture}${run.adapter.isFallbackAdapter ? ' (fallback)' : ''}` : null);
  return out;
}

const same = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The config diff of any number of runs; 'seed' first, then paths in order. */
export function configDiff(runs: readonly RunRecord[], options: { onlyDifferences?: boolean } = {}): ConfigDiffRow[] {
  const flats = runs.map(comparable);
  const paths = [...new Set(flats.flatMap((f) => [...f.keys()]))].sort((a, b) => (a === 'seed' ? -1 : b === 'seed' ? 1 : a.localeCompare(b)));
  const rows = paths.map((path) => {
    const values = flats.map((f) => f.get(path));
    return { path, values, differs: values.some((v) => !same(v, values[0])) };
  });
  return options.onlyDifferences ? rows.filter((r) => r.differs) : rows;
}

export interface ResultsRow {
  /** 'final/<metric>' for the last logged value, 'eval/<eval name>/<metric>' for an evaluation's Overall. */
  metric: string;
  /** One value per run; null where the run has none. */
  values: (number | null)[];
}

/** The last logged value of every metric, then every evaluation's Overall metrics and unextractable rate. */
export function resultsTable(runs: readonly RunRecord[]): ResultsRow[] {
  const perRun = runs.map((run) => {
    const cells = new Map<string, number>();
    for (const p of run.history.points) for (const [name, v] of Object.entries(p.values)) cells.set(`final/${name}`, v);
    for (const e of run.evals) {
      for (const [name, cell] of Object.entries(e.report.overall.metrics)) cells.set(`eval/${e.name}/${name}`, cell.value);
      cells.set(`eval/${e.name}/unextractable`, e.report.unextractable.rate);
    }
    return cells;
  });
  const names = [...new Set(perRun.flatMap((c) => [...c.keys()]))];
  const finals = names.filter((n) => n.startsWith('final/')).sort();
  const evals = names.filter((n) => n.startsWith('eval/')).sort();
  return [...finals, ...evals].map((metric) => ({ metric, values: perRun.map((c) => c.get(metric) ?? null) }));
}

/** One metric's curve per run, for an overlaid chart. */
export function overlaidCurves(runs: readonly RunRecord[], metric: string): Array<{ runId: string; name: string; points: Array<[number, number]> }> {
  return runs.map((run) => ({
    runId: run.id,
    name: run.name,
    points: run.history.points.flatMap((p): Array<[number, number]> => (metric in p.values ? [[p.step, p.values[metric]]] : [])),
  }));
}
