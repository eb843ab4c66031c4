import { describe, it, expect } from 'vitest';
import { flattenStepMetrics, rewardMetrics, zeroStdByAnatomy, type StepMetrics } from './metrics.ts';

describe('step metrics', () => {
  it('computes reward, reward_std and per-function stats', () => {
    const r = rewardMetrics([2, 0, 1, 1], { format: [1, 0, 1, 1], accuracy: [1, 0, 0, 0] }, [Math.SQRT2, 0]);
    expect(r.reward).toBe(1);
    expect(r.reward_std).toBeCloseTo(Math.SQRT2 / 2, 15);
    expect(r.rewards.format.mean).toBe(0.75);
    expect(r.rewards.accuracy.std).toBeCloseTo(0.5, 15);
  });

  it('flattens to TRL names', () => {
    const m: StepMetrics = {
      step: 3,
      reward: 1,
      reward_std: 0.5,
      rewards: { format: { mean: 0.9, std: 0.1 } },
      frac_reward_zero_std: 0.25,
      frac_reward_zero_std_by_anatomy: zeroStdByAnatomy([true, false], ['Liver', 'Gut']),
      kl: 0.01,
      'clip_ratio/low_mean': 0,
      'clip_ratio/high_mean': 0,
      'clip_ratio/region_mean': 0,
      entropy: 1.2,
      'completions/mean_length': 40,
      'completions/clipped_ratio': 0,
      loss: 0.1,
      grad_norm: 0.3,
      learning_rate: 1e-5,
      step_time: 2,
      tokens_per_second: 100,
      answer_similarity: null,
    };
    const row = flattenStepMetrics(m);
    expect(row['rewards/format/mean']).toBe(0.9);
    expect(row['frac_reward_zero_std/Liver']).toBe(1);
    expect(row['frac_reward_zero_std/Gut']).toBe(0);
    expect(row['clip_ratio/region_mean']).toBe(0);
    expect('answer_similarity' in row).toBe(false);
    expect(row.step).toBe(3);
  });
});
