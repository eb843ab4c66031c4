import { describe, it, expect } from 'vitest';
import { avgAtK, circularAccuracy, greedyAccuracy, pairedComparison, percentile, pickByLikelihood, signTestPValue, unextractableRate } from './metrics.ts';
import { optionRotations, rotateOptions } from './rotation.ts';
import type { VqaRecord } from '../data/record.ts';

const T = true;
const F = false;

describe('metrics on hand-made cases', () => {
  it('greedy accuracy', () => {
    expect(greedyAccuracy([T, F, T, T])).toBe(0.75);
    expect(greedyAccuracy([])).toBe(0);
  });
  it('Avg@k is the mean over questions of the share of right samples', () => {
    expect(avgAtK([[T, T, F, F, F], [T, T, T, T, T], [F, F, F, F, F]])).toBeCloseTo((0.4 + 1 + 0) / 3, 12);
    expect(avgAtK([[T], [F]])).toBe(0.5);
    expect(() => avgAtK([[T, F], [T]])).toThrow(/question 1 has 1 samples, expected k = 2/);
  });
  it('CircularEval counts a question only when every rotation is right', () => {
    expect(circularAccuracy([[T, T, T, T], [T, F, T, T], [T]])).toBeCloseTo(2 / 3, 12);
    expect(circularAccuracy([[F, T, T, T]])).toBe(0);
    expect(circularAccuracy([[]])).toBe(0);
  });
  it('likelihood scoring by sum or mean, ties to the lowest index, non-finite never wins', () => {
    const lp = [[-1, -1], [-1.5], [-0.2, -3]];
    expect(pickByLikelihood(lp, 'sum')).toBe(1); // sums -2, -1.5, -3.2
    expect(pickByLikelihood(lp, 'mean')).toBe(0); // means -1, -1.5, -1.6
    expect(pickByLikelihood([[-1], [-1]], 'sum')).toBe(0);
    expect(pickByLikelihood([[-Infinity], [NaN], []], 'sum')).toBe(-1);
    expect(pickByLikelihood([[NaN], [-9]], 'mean')).toBe(1);
  });
  it('unextractable rate and percentiles', () => {
    expect(unextractableRate([T, F, F, T])).toBe(0.5);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('option rotations keep the gold answer', () => {
  const record: VqaRecord = {
    id: 'q7', image: 'a.png', question: 'Which organ?', options: ['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity'],
    goldIndex: 3, answer: 'Abdominal Wall Cavity', open: false, questionType: '', modality: '', anatomy: '', source: '', split: 'test',
  };
  it('shift 1 by hand', () => {
    const r = rotateOptions(record, 1);
    expect(r.options).toEqual(['Cystic Plate', 'Gut', 'Abdominal Wall Cavity', 'Liver']);
    expect(r.goldIndex).toBe(2);
    expect(r.id).toBe('q7#rot1');
  });
  it('every rotation puts the gold text at the gold index, and each option visits each position once', () => {
    const all = optionRotations(record);
    expect(all).toHaveLength(4);
    expect(all[0]).toEqual(record);
    for (const r of all) expect(r.options[r.goldIndex]).toBe(record.answer);
    for (let pos = 0; pos < 4; pos++) expect(new Set(all.map((r) => r.options[pos])).size).toBe(4);
    expect(new Set(all.map((r) => r.goldIndex)).size).toBe(4);
    expect(rotateOptions(record, -1).options).toEqual(rotateOptions(record, 3).options);
  });
  it('open questions are not rotated', () => {
    const open = { ...record, options: [], goldIndex: -1, open: true };
    expect(optionRotations(open)).toEqual([open]);
  });
});

describe('paired comparison of two evaluations', () => {
  it('counts gains and losses by question id, whatever the order', () => {
    expect(pairedComparison(['a', 'b', 'c'], ['c', 'd', 'a', 'e'])).toEqual({ gained: 2, lost: 1, pValue: 1 });
    expect(pairedComparison([], [])).toEqual({ gained: 0, lost: 0, pValue: 1 });
  });

  it('is the exact two-sided binomial tail', () => {
    // 1 gain of 1: P(X <= 0) = 1/2, doubled. 10 vs 0: 2 / 1024. 8 vs 2: 2 (1 + 10 + 45) / 1024.
    expect(signTestPValue(1, 0)).toBeCloseTo(1, 12);
    expect(signTestPValue(10, 0)).toBeCloseTo(2 / 1024, 12);
    expect(signTestPValue(2, 8)).toBeCloseTo((2 * 56) / 1024, 12);
    expect(signTestPValue(5, 5)).toBe(1);
  });

  it('stays finite and small for large, lopsided splits', () => {
    const p = signTestPValue(700, 300);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-30);
    // A balanced large split is not evidence of anything.
    expect(signTestPValue(500, 480)).toBeGreaterThan(0.5);
  });
});
