import { describe, expect, it } from 'vitest';
import { formatTick, niceTicks } from './ticks.ts';

describe('niceTicks', () => {
  it('puts ticks on round numbers inside the range', () => {
    expect(niceTicks(0, 1, 4).map((t) => +t.toFixed(10))).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(3, 47, 4)).toEqual([10, 20, 30, 40]);
  });
  it('handles a degenerate range', () => {
    expect(niceTicks(2, 2, 4)).toEqual([2]);
  });
});

describe('formatTick', () => {
  it('keeps labels short', () => {
    expect(formatTick(5)).toBe('5');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatTick(0.0001)).toBe('1.0e-4');
    expect(formatTick(NaN)).toBe('—');
  });
});

describe('niceTicks with a minimum step', () => {
  it('keeps an axis of steps on whole numbers for short runs', () => {
    expect(niceTicks(1, 3, 5)).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(niceTicks(1, 3, 5, 1)).toEqual([1, 2, 3]);
    expect(niceTicks(0, 100, 5, 1)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});
