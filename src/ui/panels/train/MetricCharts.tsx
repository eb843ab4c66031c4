// Live charts of the run's metrics under TRL's names: reward (and each reward function), reward_std,
// frac_reward_zero_std overall and per anatomy (the paper's invalid-gradient ratio), KL, clip ratios, entropy,
// completion lengths, loss, grad_norm, learning rate, S(q), throughput; and the SFT warm start's loss.
import { useMemo } from 'react';
import { useTrainingStore } from '../../../store/training.ts';
import { LineChart } from '../../widgets/LineChart.tsx';
import { anatomyLabels, CHARTS, flatDomain, nonEmpty, seriesFor, zeroStdSeries } from './chart-series.ts';

export function MetricCharts() {
  const history = useTrainingStore((s) => s.history);
  const sftHistory = useTrainingStore((s) => s.sftHistory);
  const charts = useMemo(() => CHARTS.map((c) => ({ spec: c, series: nonEmpty(seriesFor(history, c.metrics)) })), [history]);
  const zeroStd = useMemo(() => zeroStdSeries(history, anatomyLabels(history)), [history]);
  const sft = useMemo(() => seriesFor(sftHistory, [{ name: 'loss', label: 'SFT loss' }]), [sftHistory]);
  const thinned = history.loggedPoints > history.points.length;
  return (
    <div className="card" data-testid="train-charts" data-points={history.points.length}>
      <div className="train-head">
        <h2>Metrics</h2>
        <span className="muted">
          {history.loggedPoints === 0 ? 'Curves of reward, reward_std, frac_reward_zero_std (overall and per anatomy), kl, clip ratios, entropy, completion length, loss, grad_norm, learning_rate and S(q) appear after the first step.' : `${history.loggedPoints} steps logged${thinned ? `, ${history.points.length} points drawn (thinned, shape kept)` : ''}. Names as TRL logs them; hover a chart to read a step.`}
        </span>
      </div>
      {history.loggedPoints + sftHistory.loggedPoints > 0 && (
        <div className="charts-grid">
          <ChartWithHelp title="reward" series={charts[0].series} help={charts[0].spec.help} />
          <ChartWithHelp
            title="frac_reward_zero_std"
            series={zeroStd}
            yDomain={[0, 1]}
            help="Share of groups whose G rewards were all equal (they teach nothing); dashed: per anatomy label."
          />
          {charts.slice(1).map(({ spec, series }) => (
            <ChartWithHelp key={spec.title} title={spec.title} series={series} yDomain={spec.yDomain} help={spec.help} />
          ))}
          {sftHistory.points.length > 0 && <ChartWithHelp title="sft/loss" series={sft} help="Cross-entropy of the supervised warm start on the gold answers." />}
        </div>
      )}
    </div>
  );
}

function ChartWithHelp({ title, series, yDomain, help }: { title: string; series: Parameters<typeof LineChart>[0]['series']; yDomain?: [number, number]; help: string }) {
  return (
    <div className="train-chart">
      <LineChart title={title} series={series} yDomain={yDomain ?? flatDomain(series)} height={180} />
      <p className="train-chart-help">{help}</p>
    </div>
  );
}
