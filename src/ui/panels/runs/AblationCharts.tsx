// The ablation's table and curves: one row per method (seeds, accuracy mean ± sample std, final
// frac_reward_zero_std, final reward, final S(q)), and side by side the mean over seeds per method of the
// reward, of frac_reward_zero_std and of S(q) — the analogues of the paper's two figures, plus the curriculum's.
import { useMemo } from 'react';
import { finalWindow, methodCurves, summarizeAblation, type AblationMethod, type AblationRun } from '../../../runs/ablation.ts';
import { LineChart, SERIES_COLORS, type Series } from '../../widgets/LineChart.tsx';
import { formatMetric } from './format-run.ts';

/** One colour per method on every chart and in the table. */
export const METHOD_COLORS: Record<AblationMethod, string> = {
  GRPO: SERIES_COLORS[3],
  'GRPO+ASCL': SERIES_COLORS[0],
  'GRPO+GDQA': SERIES_COLORS[2],
  'GRPO+both': SERIES_COLORS[1],
};

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

export function AblationTable({ runs, idPrefix }: { runs: readonly AblationRun[]; idPrefix: string }) {
  const rows = useMemo(() => summarizeAblation(runs), [runs]);
  const steps = Math.max(0, ...runs.map((r) => r.rewardCurve.length));
  return (
    <div className="runs-scroll">
      <table className="data runs-matrix" data-testid={`${idPrefix}-table`}>
        <thead>
          <tr>
            <th>method</th>
            <th className="num">seeds</th>
            <th className="num" title="greedy test accuracy after training: mean ± sample std (n - 1) over seeds">accuracy (mean ± std)</th>
            <th className="num" title={`mean over seeds of the mean over the last 10% of steps (${finalWindow(steps)} of ${steps})`}>final frac_reward_zero_std</th>
            <th className="num" title="same window">final reward</th>
            <th className="num" title="same window">final mean S(q)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.method} data-method={r.method}>
              <td className="runs-nowrap">
                <i className="runs-swatch" style={{ background: METHOD_COLORS[r.method] }} />
                {r.method}
              </td>
              <td className="num">{r.seeds}</td>
              <td className="num">
                {pct(r.accuracyMean)}
                {r.accuracyStd !== null && <span className="muted"> ± {(100 * r.accuracyStd).toFixed(1)}</span>}
              </td>
              <td className="num">{formatMetric(r.finalFracZeroStd)}</td>
              <td className="num">{formatMetric(r.finalReward)}</td>
              <td className="num">{formatMetric(r.finalMeanSimilarity)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const asPoints = (curve: readonly number[]): [number, number][] => curve.map((v, i) => [i + 1, v]);

export function AblationCharts({ runs }: { runs: readonly AblationRun[] }) {
  const curves = useMemo(() => methodCurves(runs), [runs]);
  const series = (pick: (c: (typeof curves)[number]) => number[]): Series[] =>
    curves.map((c) => ({ name: c.method, points: asPoints(pick(c)), color: METHOD_COLORS[c.method] }));
  // Three charts in one row: the comparison is across charts at the same step.
  return (
    <div className="runs-charts" style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(340px, 1fr))' }}>
      <LineChart title="reward (mean over seeds)" series={series((c) => c.reward)} width={420} height={240} />
      <LineChart title="frac_reward_zero_std (mean over seeds)" series={series((c) => c.fracZeroStd)} width={420} height={240} yDomain={[0, 1]} />
      <LineChart title="batch-mean S(q) (mean over seeds)" series={series((c) => c.meanSimilarity)} width={420} height={240} yDomain={[0, 1]} />
    </div>
  );
}
