import { describe, it, expect } from 'vitest';
import { batchMeanSimilarity, optionSetSimilarity, similarityHistogram } from './difficulty.ts';
import { lexiconSimilarity, type SimilaritySource } from './similarity.ts';

const TABLE: Record<string, number> = { 'a|b': 0.2, 'a|c': 0.5, 'a|d': 0.8, 'b|c': 0.1 };
const hand: SimilaritySource = {
  id: 'hand',
  label: 'hand table',
  similarity: (x, y) => (x === y ? 1 : TABLE[[x, y].sort().join('|')] ?? 0),
};

describe('S(q)', () => {
  it('is the mean similarity of the gold to each distractor, on hand-made option sets', () => {
    expect(optionSetSimilarity(['a', 'b', 'c', 'd'], 0, hand)).toBeCloseTo((0.2 + 0.5 + 0.8) / 3, 15);
    expect(optionSetSimilarity(['b', 'a', 'c'], 0, hand)).toBeCloseTo((0.2 + 0.1) / 2, 15);
    expect(optionSetSimilarity(['d', 'a'], 1, hand)).toBe(0.8);
  });

  it('is null without distractors', () => {
    expect(optionSetSimilarity(['a'], 0, hand)).toBeNull();
    expect(optionSetSimilarity(['a', 'b'], -1, hand)).toBeNull();
  });

  it('ranks a confusable set above a dissimilar one with the lexicon', () => {
    const hard = optionSetSimilarity(['Liver', 'Gallbladder', 'Cystic Plate', 'Gut'], 0, lexiconSimilarity)!;
    const easy = optionSetSimilarity(['Liver', 'Femur', 'Brain', 'Lung'], 0, lexiconSimilarity)!;
    expect(hard).toBeGreaterThan(0.6);
    expect(easy).toBeLessThan(0.2);
  });

  it('batch mean skips nulls; histogram bins [0, 1]', () => {
    expect(batchMeanSimilarity([0.2, null, 0.4])).toBeCloseTo(0.3, 15);
    expect(batchMeanSimilarity([null])).toBeNull();
    const h = similarityHistogram([0, 0.05, 0.5, 1, null], 4);
    expect(h.edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(h.counts).toEqual([2, 0, 1, 1]);
  });
});
