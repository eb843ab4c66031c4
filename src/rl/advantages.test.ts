import { describe, it, expect } from 'vitest';
import { fracZeroStdByLabel, groupAdvantages, pooledGroupAdvantages } from './advantages.ts';

const close = (got: ArrayLike<number>, want: number[], digits = 12) =>
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));

describe('groupAdvantages', () => {
  it('[1, 0, 0, 1] by hand: mean 0.5, sample std sqrt(1/3)', () => {
    const r = groupAdvantages([1, 0, 0, 1], 4, 'group');
    const std = Math.sqrt((4 * 0.25) / 3); // 0.5773...
    const a = 0.5 / (std + 1e-4);
    close(r.advantages, [a, -a, -a, a]);
    expect(a).toBeCloseTo(0.865875, 5);
    expect(r.groupMean[0]).toBe(0.5);
    expect(r.groupStd[0]).toBeCloseTo(std, 14);
    expect(r.fracRewardZeroStd).toBe(0);
  });

  it('all-equal groups get exact zeros and are counted', () => {
    const r = groupAdvantages([0.7, 0.7, 0.7, 1, 0, 0, 0.1, 0.1, 0.1], 3, 'group');
    expect(Array.from(r.advantages.slice(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(r.advantages.slice(6))).toEqual([0, 0, 0]);
    expect(r.zeroStd).toEqual([true, false, true]);
    expect(r.fracRewardZeroStd).toBeCloseTo(2 / 3, 15);
    for (const mode of ['batch', 'none'] as const) {
      const m = groupAdvantages([0.7, 0.7, 0.7, 1, 0, 0], 3, mode);
      expect(Array.from(m.advantages.slice(0, 3))).toEqual([0, 0, 0]);
    }
  });

  it('none is Dr. GRPO: r - mean', () => {
    const r = groupAdvantages([2, 0, 1, 1], 2, 'none');
    close(r.advantages, [1, -1, 0, 0]);
    expect(r.zeroStd).toEqual([false, true]);
  });

  it('batch divides by the std of the whole batch', () => {
    // rewards [1,0 | 1,1]: batch mean 0.75, sample std sqrt((3*0.0625 + 0.5625)/3) = 0.5
    const r = groupAdvantages([1, 0, 1, 1], 2, 'batch');
    close(r.advantages, [0.5 / 0.5001, -0.5 / 0.5001, 0, 0]);
  });

  it('refuses a length that is not a multiple of the group size', () => {
    expect(() => groupAdvantages([1, 2, 3], 2, 'group')).toThrow(/multiple/);
  });
});

describe('pooledGroupAdvantages', () => {
  it('pools over variants: two variants each uniform, pooled group informative', () => {
    // G = 4 as 2 variants x 2: variant 0 always right, variant 1 always wrong.
    const r = pooledGroupAdvantages([1, 1, 0, 0], [0, 0, 1, 1], 4, 'group');
    const std = Math.sqrt(1 / 3);
    const a = 0.5 / (std + 1e-4);
    close(r.advantages, [a, a, -a, -a]);
    expect(r.allVariantsZeroStd).toEqual([true]);
    expect(r.rescued).toEqual([true]);
    expect(r.zeroStd).toEqual([false]);
  });

  it('hand case 4 x 2 with mixed rewards, advantage over the whole group', () => {
    const rewards = [2, 1, 1, 1, 2, 2, 1, 2];
    const variants = [0, 0, 1, 1, 2, 2, 3, 3];
    // mean 1.5, deviations +-0.5 each, sample std sqrt(8*0.25/7)
    const std = Math.sqrt(2 / 7);
    const r = pooledGroupAdvantages(rewards, variants, 8, 'group');
    close(
      r.advantages,
      rewards.map((x) => (x - 1.5) / (std + 1e-4)),
    );
    expect(r.allVariantsZeroStd).toEqual([false]);
    expect(r.rescued).toEqual([false]);
  });

  it('a pooled group still uniform is zero and not rescued', () => {
    const r = pooledGroupAdvantages([1, 1, 1, 1], [0, 0, 1, 1], 4, 'group');
    expect(Array.from(r.advantages)).toEqual([0, 0, 0, 0]);
    expect(r.rescued).toEqual([false]);
    expect(r.fracRewardZeroStd).toBe(1);
  });
});

describe('fracZeroStdByLabel', () => {
  it('counts per anatomy', () => {
    const out = fracZeroStdByLabel([true, false, true, true], ['Liver', 'Liver', 'Gut', '']);
    expect(out).toEqual({
      Liver: { groups: 2, zeroStd: 1, frac: 0.5 },
      Gut: { groups: 1, zeroStd: 1, frac: 1 },
      unknown: { groups: 1, zeroStd: 1, frac: 1 },
    });
  });
});
