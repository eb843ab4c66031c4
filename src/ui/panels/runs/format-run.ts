// Words and numbers for the Runs panel: short fingerprints, dates, metric values, the key results of a run
// and chart labels that stay unique when two runs share a name. Plain functions, tested in Node.
import type { JsonValue, RunRecord } from '../../../runs/record.ts';

/** The fingerprint cut to what a person compares by eye: 'sha256:0f3a9c12…'. */
export function shortFingerprint(fingerprint: string, keep = 12): string {
  if (fingerprint === '') return '—';
  const [algo, hash] = fingerprint.includes(':') ? (fingerprint.split(/:(.*)/s, 2) as [string, string]) : ['', fingerprint];
  const head = hash.length > keep ? `${hash.slice(0, keep)}…` : hash;
  return algo ? `${algo}:${head}` : head;
}

/** An ISO time as 'YYYY-MM-DD HH:MM' in UTC (the same for sender and receiver of a link), or the text as is. */
export function formatCreated(iso: string): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** A metric value with 4 significant digits, plain notation for ordinary sizes; '—' for a missing one. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e6 || abs < 1e-4) return value.toExponential(3);
  if (abs >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return String(Number(value.toPrecision(4)));
}

/** A config value as one line of text (arrays and objects as compact JSON); '—' where the run lacks it. */
export function formatConfigValue(value: JsonValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** Every metric logged anywhere in the runs, TRL's headline metrics first, then by name. */
export function metricNames(runs: readonly RunRecord[]): string[] {
  const names = new Set<string>();
  for (const run of runs) for (const p of run.history.points) for (const k of Object.keys(p.values)) names.add(k);
  const rank = (n: string): number => {
    const i = HEADLINE_METRICS.indexOf(n);
    return i < 0 ? HEADLINE_METRICS.length : i;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The curves researchers look at first in a GRPO run, in TRL's names; the chart picker starts with these. */
export const HEADLINE_METRICS = ['reward', 'frac_reward_zero_std', 'kl', 'reward_std', 'loss', 'entropy', 'completions/mean_length'];

/** The metrics a comparison shows before the user picks: the first three headline metrics present, else the first logged. */
export function defaultMetrics(available: readonly string[]): string[] {
  const headline = HEADLINE_METRICS.slice(0, 3).filter((m) => available.includes(m));
  return headline.length > 0 ? headline : available.slice(0, 1);
}

/** The last logged value of a metric, or null. */
export function lastValue(run: RunRecord, metric: string): number | null {
  for (let i = run.history.points.length - 1; i >= 0; i--) {
    const v = run.history.points[i].values[metric];
    if (v !== undefined) return v;
  }
  return null;
}

/** Up to three headline numbers of a run: the final reward and the first evaluation's Overall metrics. */
export function keyResults(run: RunRecord): Array<{ label: string; value: number }> {
  const out: Array<{ label: string; value: number }> = [];
  const reward = lastValue(run, 'reward');
  if (reward !== null) out.push({ label: 'reward', value: reward });
  const first = run.evals[0];
  if (first) {
    for (const [name, cell] of Object.entries(first.report.overall.metrics)) out.push({ label: `${first.name} ${name}`, value: cell.value });
  }
  return out.slice(0, 3);
}

/** One label per run for chart legends and table headers: the name, with the id added where names repeat. */
export function runLabels(runs: readonly RunRecord[]): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  const labels = runs.map((r) => ((count.get(r.name) ?? 0) > 1 ? `${r.name} [${r.id}]` : r.name));
  // Two runs may even share name and id (a local run and its shared copy): number them so keys stay unique.
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n > 1 ? `${l} (${n})` : l;
  });
}
