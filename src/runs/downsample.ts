// Thinning metric curves for storage and sharing: keep the first and last points always, and choose the
// rest by stride (evenly spaced) or by LTTB (largest-triangle-three-buckets, which keeps the visual shape
// of one key curve: spikes and turns survive where a stride would step over them).
import type { DownsampleMethod, MetricHistory, MetricPoint } from './record.ts';

/** Indices 0..length-1 spread evenly, first and last included; all of them when length <= target. */
export function strideIndices(length: number, target: number): number[] {
  if (length <= target) return Array.from({ length }, (_, i) => i);
  if (target <= 1) return length > 0 ? [length - 1] : [];
  const out = new Set<number>();
  for (let i = 0; i < target; i++) out.add(Math.round((i * (length - 1)) / (target - 1)));
  return [...out].sort((a, b) => a - b);
}

/**
 * LTTB (Steinarsson 2013): the first and last point, then in each of target - 2 buckets the point forming
 * the largest triangle with the point kept before it and the mean of the next bucket.
 */
export function lttbIndices(xs: readonly number[], ys: readonly number[], target: number): number[] {
  const n = xs.length;
  if (n <= target) return Array.from({ length: n }, (_, i) => i);
  if (target <= 2) return target <= 1 ? (n > 0 ? [n - 1] : []) : [0, n - 1];
  const kept = [0];
  const every = (n - 2) / (target - 2);
  let a = 0;
  for (let b = 0; b < target - 2; b++) {
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(n, Math.floor((b + 2) * every) + 1);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += xs[j];
      avgY += ys[j];
    }
    const span = Math.max(1, nextEnd - nextStart);
    avgX /= span;
    avgY /= span;
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((xs[a] - avgX) * (ys[j] - ys[a]) - (xs[a] - xs[j]) * (avgY - ys[a]));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    kept.push(best);
    a = best;
  }
  kept.push(n - 1);
  return kept;
}

/** The metric LTTB follows: 'reward' when logged (the curve researchers look at first), else the first one. */
export function keyMetric(points: readonly MetricPoint[]): string | null {
  let first: string | null = null;
  for (const p of points) {
    if ('reward' in p.values) return 'reward';
    first ??= Object.keys(p.values)[0] ?? null;
  }
  return first;
}

/**
 * The history with at most `maxPoints` points (>= 2), first and last kept. LTTB follows `metric` (default
 * keyMetric); steps where it was not logged carry its last value forward. Already-short histories are
 * returned unchanged.
 */
export function downsampleHistory(
  history: MetricHistory,
  maxPoints: number,
  method: Exclude<DownsampleMethod, 'none'> = 'lttb',
  metric: string | null = keyMetric(history.points),
): MetricHistory {
  const points = history.points;
  const target = Math.max(2, Math.floor(maxPoints));
  if (points.length <= target) return history;
  let indices: number[];
  if (method === 'lttb' && metric !== null) {
    let last = 0;
    const ys = points.map((p) => (last = p.values[metric] ?? last));
    indices = lttbIndices(points.map((p) => p.step), ys, target);
  } else {
    indices = strideIndices(points.length, target);
  }
  return { points: indices.map((i) => points[i]), loggedPoints: history.loggedPoints, method: method === 'lttb' && metric !== null ? 'lttb' : 'stride' };
}

/** Points a live history holds before it is thinned (by half) while a run is still logging. */
export const LIVE_HISTORY_CAP = 4_000;

/**
 * The history with one more logged point, for a trainer that logs every step of a long run: when the
 * points pass `cap`, they are thinned to cap / 2 by LTTB, so memory stays bounded and the curve's shape,
 * its first point and its latest point are kept. Steps must increase.
 */
export function appendPoint(history: MetricHistory, point: MetricPoint, cap = LIVE_HISTORY_CAP): MetricHistory {
  const last = history.points[history.points.length - 1];
  if (last && point.step <= last.step) throw new Error(`appendPoint: step ${point.step} does not follow step ${last.step}`);
  const grown: MetricHistory = { points: [...history.points, point], loggedPoints: history.loggedPoints + 1, method: history.method };
  return grown.points.length > cap ? downsampleHistory(grown, Math.floor(cap / 2)) : grown;
}
