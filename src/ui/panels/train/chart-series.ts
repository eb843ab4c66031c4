// Which curves the Train panel draws and how they come out of the run's history: one chart per TRL metric (or a
// few that belong together, like the three clip ratios), per-anatomy zero-std curves for the most frequent labels.
// Pure, so it is tested without a browser.
import type { MetricHistory } from '../../../runs/record.ts';
import type { Series } from '../../widgets/LineChart.tsx';

export interface ChartSpec {
  /** Title shown (and the chart's test id): the TRL name of its main metric. */
  title: string;
  /** Metric names drawn, with their legend names. */
  metrics: { name: string; label: string }[];
  /** Fixed y range for ratios. */
  yDomain?: [number, number];
  /** What the chart means, one line. */
  help: string;
}

export const CHARTS: readonly ChartSpec[] = [
  {
    title: 'reward',
    metrics: [
      { name: 'reward', label: 'reward' },
      { name: 'rewards/format/mean', label: 'format' },
      { name: 'rewards/accuracy/mean', label: 'accuracy' },
      { name: 'rewards/length/mean', label: 'length' },
    ],
    help: 'Mean weighted reward, and each reward function unweighted.',
  },
  { title: 'reward_std', metrics: [{ name: 'reward_std', label: 'reward_std' }], help: 'Mean of the per-group reward std: how much a group tells apart.' },
  { title: 'kl', metrics: [{ name: 'kl', label: 'kl' }], help: 'k3 KL to the reference policy, token mean (0 when beta = 0).' },
  {
    title: 'clip_ratio',
    metrics: [
      { name: 'clip_ratio/low_mean', label: 'low_mean' },
      { name: 'clip_ratio/high_mean', label: 'high_mean' },
      { name: 'clip_ratio/region_mean', label: 'region_mean' },
    ],
    help: 'Share of tokens whose ratio was clipped below, above, or either.',
  },
  { title: 'entropy', metrics: [{ name: 'entropy', label: 'entropy' }], help: 'Mean token entropy of the policy over the vocabulary.' },
  {
    title: 'completions/mean_length',
    metrics: [{ name: 'completions/mean_length', label: 'mean_length' }],
    help: 'Mean completion length in tokens.',
  },
  {
    title: 'completions/clipped_ratio',
    metrics: [{ name: 'completions/clipped_ratio', label: 'clipped_ratio' }],
    yDomain: [0, 1],
    help: 'Share of completions cut at the max completion length.',
  },
  { title: 'loss', metrics: [{ name: 'loss', label: 'loss' }], help: 'The clipped surrogate plus beta · KL, as aggregated by lossType.' },
  { title: 'grad_norm', metrics: [{ name: 'grad_norm', label: 'grad_norm' }], help: 'Gradient norm before clipping.' },
  { title: 'learning_rate', metrics: [{ name: 'learning_rate', label: 'learning_rate' }], help: 'AdamW learning rate at the step.' },
  {
    title: 'answer_similarity',
    metrics: [{ name: 'answer_similarity', label: 'S(q)' }],
    yDomain: [0, 1],
    help: 'Batch-mean S(q) of the questions trained on (the curriculum’s difficulty).',
  },
  { title: 'tokens_per_second', metrics: [{ name: 'tokens_per_second', label: 'tokens/s' }], help: 'Generated plus trained tokens per second.' },
];

/** One series per metric, points where the metric was logged. */
export function seriesFor(history: MetricHistory, metrics: readonly { name: string; label: string }[]): Series[] {
  return metrics.map((m) => ({
    name: m.label,
    points: history.points.filter((p) => m.name in p.values).map((p) => [p.step, p.values[m.name]] as const),
  }));
}

const ZERO_STD_PREFIX = 'frac_reward_zero_std/';

/** The anatomy labels with a per-anatomy zero-std curve, most often logged first (ties by name), at most `max`. */
export function anatomyLabels(history: MetricHistory, max = 6): string[] {
  const counts = new Map<string, number>();
  for (const p of history.points) {
    for (const k of Object.keys(p.values)) if (k.startsWith(ZERO_STD_PREFIX)) counts.set(k.slice(ZERO_STD_PREFIX.length), (counts.get(k.slice(ZERO_STD_PREFIX.length)) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, max).map(([label]) => label);
}

/** frac_reward_zero_std over the batch (solid) and per anatomy label (dashed). */
export function zeroStdSeries(history: MetricHistory, labels: readonly string[]): Series[] {
  const all = seriesFor(history, [{ name: 'frac_reward_zero_std', label: 'all groups' }]);
  const per = seriesFor(history, labels.map((l) => ({ name: ZERO_STD_PREFIX + l, label: l }))).map((s) => ({ ...s, dashed: true }));
  return [...all, ...per];
}

/** Drops series with no points, but keeps one so an empty chart still says "no data yet". */
export function nonEmpty(series: Series[]): Series[] {
  const kept = series.filter((s) => s.points.length > 0);
  return kept.length > 0 ? kept : series.slice(0, 1);
}

/**
 * A y range for a curve that has not moved (a constant learning rate, a zero KL): around its value, so the
 * axis reads 1e-5 rather than a symmetric range about 0 with the line at the bottom. Undefined otherwise.
 */
export function flatDomain(series: readonly Series[]): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const [, y] of s.points) if (Number.isFinite(y)) [lo, hi] = [Math.min(lo, y), Math.max(hi, y)];
  if (!Number.isFinite(lo) || lo !== hi) return undefined;
  const pad = lo === 0 ? 1 : Math.abs(lo);
  return [lo - pad, lo + pad];
}
