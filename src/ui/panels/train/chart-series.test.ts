// The Train panel's curves: one series per metric at the steps it was logged, per-anatomy zero-std curves for
// the most frequent labels, and every metric the issue names has a chart.
import { describe, it, expect } from 'vitest';
import type { MetricHistory } from '../../../runs/record.ts';
import { anatomyLabels, CHARTS, flatDomain, nonEmpty, seriesFor, zeroStdSeries } from './chart-series.ts';

const history: MetricHistory = {
  points: [
    { step: 1, values: { reward: 0.5, 'frac_reward_zero_std': 0.5, 'frac_reward_zero_std/Liver': 1, 'frac_reward_zero_std/Gut': 0 } },
    { step: 2, values: { reward: 0.75, kl: 0.01, 'frac_reward_zero_std': 0.25, 'frac_reward_zero_std/Liver': 0.5 } },
    { step: 3, values: { reward: 1, kl: 0.02, 'frac_reward_zero_std': 0, 'frac_reward_zero_std/Spleen': 0 } },
  ],
  loggedPoints: 3,
  method: 'none',
};

describe('train chart series', () => {
  it('draws each metric where it was logged', () => {
    const [reward, kl] = seriesFor(history, [{ name: 'reward', label: 'reward' }, { name: 'kl', label: 'kl' }]);
    expect(reward.points).toEqual([[1, 0.5], [2, 0.75], [3, 1]]);
    expect(kl.points).toEqual([[2, 0.01], [3, 0.02]]);
  });

  it('orders anatomy labels by how often they were logged and dashes their curves', () => {
    expect(anatomyLabels(history)).toEqual(['Liver', 'Gut', 'Spleen']);
    expect(anatomyLabels(history, 1)).toEqual(['Liver']);
    const s = zeroStdSeries(history, ['Liver']);
    expect(s.map((x) => [x.name, x.dashed ?? false, x.points.length])).toEqual([['all groups', false, 3], ['Liver', true, 2]]);
  });

  it('keeps one empty series so an empty chart says so, and covers every TRL metric the issue names', () => {
    expect(nonEmpty(seriesFor(history, [{ name: 'entropy', label: 'entropy' }, { name: 'loss', label: 'loss' }]))).toHaveLength(1);
    const drawn = new Set(CHARTS.flatMap((c) => c.metrics.map((m) => m.name)));
    for (const name of ['reward', 'reward_std', 'kl', 'clip_ratio/low_mean', 'clip_ratio/high_mean', 'clip_ratio/region_mean', 'entropy', 'completions/mean_length', 'completions/clipped_ratio', 'loss', 'grad_norm', 'learning_rate', 'answer_similarity']) {
      expect(drawn.has(name), name).toBe(true);
    }
  });

  it('gives a flat curve a range around its value', () => {
    expect(flatDomain([{ name: 'lr', points: [[1, 1e-5], [2, 1e-5]] }])).toEqual([0, 2e-5]);
    expect(flatDomain([{ name: 'kl', points: [[1, 0], [2, 0]] }])).toEqual([-1, 1]);
    expect(flatDomain([{ name: 'r', points: [[1, 0], [2, 1]] }])).toBeUndefined();
  });
});
