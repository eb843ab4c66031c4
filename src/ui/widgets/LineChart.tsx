// A small SVG line chart for metric curves: several series on shared axes, nice ticks, a legend, and a hover
// readout of the nearest step. Enough for training dashboards and run comparison without a chart library.
import { useMemo, useState } from 'react';
import { niceTicks, formatTick } from './ticks.ts';

export interface Series {
  name: string;
  /** Points in x order; non-finite y values are gaps. */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
  dashed?: boolean;
}

export const SERIES_COLORS = ['#0f766e', '#c2410c', '#4f46e5', '#b91c1c', '#0369a1', '#7c3aed', '#15803d', '#a16207'];

interface Props {
  title: string;
  series: readonly Series[];
  width?: number;
  height?: number;
  xLabel?: string;
  /** Fixed y range (e.g. [0, 1] for ratios); derived from the data otherwise. */
  yDomain?: [number, number];
  /** A vertical marker (e.g. the current step on a pacing curve). */
  markerX?: number;
}

const PAD = { left: 46, right: 12, top: 10, bottom: 36 };

export function LineChart({ title, series, width = 420, height = 200, xLabel = 'step', yDomain, markerX }: Props) {
  const [hoverX, setHoverX] = useState<number | null>(null);
  const { x0, x1, y0, y1 } = useMemo(() => domainOf(series, yDomain), [series, yDomain]);
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * innerW;
  const sy = (y: number) => PAD.top + innerH - ((y - y0) / (y1 - y0 || 1)) * innerH;
  // Steps are whole numbers: a short run must not get ticks at 1.5.
  const integerX = useMemo(() => series.every((s) => s.points.every((p) => Number.isInteger(p[0]))), [series]);
  const xTicks = niceTicks(x0, x1, 5, integerX ? 1 : 0);
  const yTicks = niceTicks(y0, y1, 4);
  const empty = series.every((s) => s.points.length === 0);

  const onMove = (e: React.MouseEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const px = ((e.clientX - rect.left) / rect.width) * width;
    if (px < PAD.left || px > width - PAD.right) return setHoverX(null);
    setHoverX(x0 + ((px - PAD.left) / innerW) * (x1 - x0));
  };
  const readout = hoverX === null ? [] : series.map((s) => ({ s, p: nearest(s.points, hoverX) })).filter((r) => r.p);

  return (
    <figure className="chart" data-testid={`chart-${title}`}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title} onMouseMove={onMove} onMouseLeave={() => setHoverX(null)}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={width - PAD.right} y1={sy(t)} y2={sy(t)} className="grid" />
            <text x={PAD.left - 6} y={sy(t) + 4} textAnchor="end" className="tick">{formatTick(t)}</text>
          </g>
        ))}
        {xTicks.map((t) => (
          <text key={`x${t}`} x={sx(t)} y={PAD.top + innerH + 14} textAnchor="middle" className="tick">{formatTick(t)}</text>
        ))}
        {xLabel && <text x={PAD.left + innerW / 2} y={height - 4} textAnchor="middle" className="tick axis-label">{xLabel}</text>}
        {markerX !== undefined && <line x1={sx(markerX)} x2={sx(markerX)} y1={PAD.top} y2={PAD.top + innerH} className="marker" />}
        {series.map((s, i) => (
          <path
            key={s.name}
            d={pathOf(s.points, sx, sy)}
            fill="none"
            stroke={s.color ?? SERIES_COLORS[i % SERIES_COLORS.length]}
            strokeWidth={1.6}
            strokeDasharray={s.dashed ? '4 3' : undefined}
          />
        ))}
        {hoverX !== null && <line x1={sx(hoverX)} x2={sx(hoverX)} y1={PAD.top} y2={PAD.top + innerH} className="hover" />}
        {empty && <text x={width / 2} y={height / 2} textAnchor="middle" className="tick">no data yet</text>}
      </svg>
      {(series.length > 1 || readout.length > 0) && (
        <div className="legend">
          {series.map((s, i) => {
            const r = readout.find((x) => x.s === s);
            return (
              <span key={s.name}>
                <i style={{ background: s.color ?? SERIES_COLORS[i % SERIES_COLORS.length] }} />
                {s.name}
                {r?.p && <b> {formatTick(r.p[1])} @ {formatTick(r.p[0])}</b>}
              </span>
            );
          })}
        </div>
      )}
    </figure>
  );
}

function domainOf(series: readonly Series[], yDomain?: [number, number]) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  if (!Number.isFinite(x0)) { x0 = 0; x1 = 1; }
  if (!Number.isFinite(y0)) { y0 = 0; y1 = 1; }
  if (x0 === x1) x1 = x0 + 1;
  if (y0 === y1) { y0 -= 0.5; y1 += 0.5; }
  if (yDomain) [y0, y1] = yDomain;
  return { x0, x1, y0, y1 };
}

function pathOf(points: Series['points'], sx: (x: number) => number, sy: (y: number) => number): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(y)) { pen = false; continue; }
    d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

function nearest(points: Series['points'], x: number): readonly [number, number] | undefined {
  let best: readonly [number, number] | undefined;
  for (const p of points) if (Number.isFinite(p[1]) && (!best || Math.abs(p[0] - x) < Math.abs(best[0] - x))) best = p;
  return best;
}
