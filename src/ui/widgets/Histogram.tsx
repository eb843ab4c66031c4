// A histogram of values in a fixed range (e.g. S(q) in [0, 1]), with an optional highlighted value.
import { niceTicks, formatTick } from './ticks.ts';

interface Props {
  title: string;
  values: readonly number[];
  bins?: number;
  domain?: [number, number];
  width?: number;
  height?: number;
  /** A vertical marker, e.g. the curriculum's current target. */
  markerX?: number;
  xLabel?: string;
}

const PAD = { left: 40, right: 10, top: 10, bottom: 36 };

export function Histogram({ title, values, bins = 20, domain = [0, 1], width = 420, height = 180, markerX, xLabel }: Props) {
  const [lo, hi] = domain;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[b]++;
  }
  const max = Math.max(1, ...counts);
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - lo) / (hi - lo)) * innerW;
  const sy = (c: number) => PAD.top + innerH - (c / max) * innerH;
  return (
    <figure className="chart" data-testid={`histogram-${title}`}>
      <figcaption>{title} <span className="muted">({values.length.toLocaleString()} values)</span></figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {niceTicks(0, max, 3).map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={width - PAD.right} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end" className="tick">{formatTick(t)}</text>
          </g>
        ))}
        {counts.map((c, i) => {
          const x = sx(lo + ((hi - lo) * i) / bins);
          const w = innerW / bins - 1;
          return <rect key={i} x={x + 0.5} y={sy(c)} width={Math.max(0, w)} height={PAD.top + innerH - sy(c)} className="bar"><title>{c}</title></rect>;
        })}
        {niceTicks(lo, hi, 5).map((t) => (
          <text key={`x${t}`} x={sx(t)} y={PAD.top + innerH + 14} textAnchor="middle" className="tick">{formatTick(t)}</text>
        ))}
        {xLabel && <text x={PAD.left + innerW / 2} y={height - 4} textAnchor="middle" className="tick axis-label">{xLabel}</text>}
        {markerX !== undefined && <line x1={sx(markerX)} x2={sx(markerX)} y1={PAD.top} y2={PAD.top + innerH} className="marker" />}
      </svg>
    </figure>
  );
}
