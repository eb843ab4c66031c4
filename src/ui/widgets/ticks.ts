// Axis ticks at round numbers (1, 2, 5 x 10^k), shared by the charts.

/** Round ticks from lo to hi, about `count` of them; `minStep` 1 keeps an axis of steps on whole numbers. */
export function niceTicks(lo: number, hi: number, count: number, minStep = 0): number[] {
  if (!(hi > lo)) return [lo];
  const raw = Math.max((hi - lo) / Math.max(1, count), minStep);
  const mag = 10 ** Math.floor(Math.log10(raw));
  // The round step closest to the raw one on a log scale keeps the tick count near `count`.
  const step = [1, 2, 5, 10]
    .map((m) => m * mag)
    .reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return ticks;
}

export function formatTick(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a < 0.1 ? 3 : a < 10 ? 2 : 1);
}
