import { describe, it, expect } from 'vitest';
import { appendPoint, downsampleHistory, lttbIndices, strideIndices } from './downsample.ts';
import type { MetricHistory } from './record.ts';
import { sampleRunRecord } from './sample-run.ts';

describe('downsampling', () => {
  it('stride keeps first and last and spreads evenly', () => {
    expect(strideIndices(11, 3)).toEqual([0, 5, 10]);
    expect(strideIndices(4, 10)).toEqual([0, 1, 2, 3]);
    expect(strideIndices(100, 2)).toEqual([0, 99]);
  });

  it('LTTB keeps a spike that a stride steps over', () => {
    const xs = Array.from({ length: 101 }, (_, i) => i);
    const ys = xs.map((x) => (x === 37 ? 10 : 0));
    const kept = lttbIndices(xs, ys, 6);
    expect(kept[0]).toBe(0);
    expect(kept[kept.length - 1]).toBe(100);
    expect(kept).toHaveLength(6);
    expect(kept).toContain(37);
    expect(strideIndices(101, 6)).not.toContain(37);
  });

  it('LTTB on a hand-checked case picks the triangle-maximising point per bucket', () => {
    // 5 points into 3: one middle bucket {1, 2, 3}; next-bucket mean is point 4 = (4, 0); a = (0, 0).
    // Area ~ |y_j| * 4, so the point with the largest |y| wins: index 2.
    expect(lttbIndices([0, 1, 2, 3, 4], [0, 1, -3, 2, 0], 3)).toEqual([0, 2, 4]);
  });

  it('downsampleHistory keeps loggedPoints, order and the first and last step', () => {
    const { history } = sampleRunRecord(500);
    const small = downsampleHistory(history, 50);
    expect(small.points).toHaveLength(50);
    expect(small.loggedPoints).toBe(500);
    expect(small.method).toBe('lttb');
    expect(small.points[0].step).toBe(1);
    expect(small.points[49].step).toBe(500);
    const steps = small.points.map((p) => p.step);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(downsampleHistory(history, 1000)).toBe(history);
    expect(downsampleHistory(history, 10, 'stride').method).toBe('stride');
  });
});

describe('appendPoint', () => {
  it('grows, counts every logged point, and halves past the cap', () => {
    let h: MetricHistory = { points: [], loggedPoints: 0, method: 'none' };
    for (let s = 1; s <= 25; s++) h = appendPoint(h, { step: s, values: { reward: s % 5 } }, 10);
    expect(h.loggedPoints).toBe(25);
    expect(h.points.length).toBeLessThanOrEqual(10);
    expect(h.points[0].step).toBe(1);
    expect(h.points.at(-1)!.step).toBe(25);
    expect(h.method).toBe('lttb');
    expect(() => appendPoint(h, { step: 25, values: {} })).toThrow(/step 25 does not follow step 25/);
  });
});
