import { describe, it, expect } from 'vitest';
import { buildAnswerPools, distractorCandidates, reachableRange, redrawDistractors } from './redraw.ts';
import { SeededRandom } from './seeded-random.ts';
import { lexiconSimilarity, type SimilaritySource } from './similarity.ts';
import { ANATOMY_LEXICON } from './anatomy-lexicon.ts';
import type { VqaRecord } from '../data/record.ts';

// Names n0..n39 whose similarity to "gold" is spread unevenly over [0, 0.95].
const rng0 = new SeededRandom(5);
const SIMS = new Map(Array.from({ length: 40 }, (_, i) => [`n${i}`, 0.95 * rng0.next() ** 1.5]));
const synthetic: SimilaritySource = {
  id: 'synthetic',
  label: 'synthetic',
  similarity: (a, b) => (a === b ? 1 : a === 'gold' ? SIMS.get(b)! : b === 'gold' ? SIMS.get(a)! : 0),
};

describe('redrawDistractors', () => {
  it('hits every target in the reachable range within tolerance', () => {
    const cands = distractorCandidates('gold', [...SIMS.keys()], synthetic);
    const range = reachableRange(cands, 3)!;
    const rng = new SeededRandom(1);
    let hits = 0;
    let tries = 0;
    for (let t = range.min; t <= range.max; t += 0.01) {
      const r = redrawDistractors('gold', 3, cands, t, rng, { tolerance: 0.02, iterations: 200 })!;
      tries++;
      if (r.hit) hits++;
      expect(r.options[r.goldIndex]).toBe('gold');
      expect(new Set(r.options).size).toBe(4);
      const mean = r.options.filter((_, i) => i !== r.goldIndex).reduce((s, n) => s + synthetic.similarity('gold', n), 0) / 3;
      expect(r.similarity).toBeCloseTo(mean, 12);
    }
    expect(tries).toBeGreaterThan(30);
    expect(hits).toBe(tries);
  });

  it('hits lexicon targets for a real-looking pool and is seeded', () => {
    const pool = ANATOMY_LEXICON.filter((e) => e.kind === 'organ').map((e) => e.name);
    const cands = distractorCandidates('Liver', pool, lexiconSimilarity);
    const range = reachableRange(cands, 3)!;
    expect(range.min).toBeLessThan(0.151);
    expect(range.max).toBeGreaterThan(0.6);
    for (const target of [0.16, 0.385, 0.64]) {
      const a = redrawDistractors('Liver', 3, cands, target, new SeededRandom(9), { tolerance: 0.03, iterations: 200 })!;
      const b = redrawDistractors('Liver', 3, cands, target, new SeededRandom(9), { tolerance: 0.03, iterations: 200 })!;
      expect(a).toEqual(b);
      expect(Math.abs(a.similarity - target)).toBeLessThanOrEqual(0.03);
    }
  });

  it('never uses the gold or a synonym as a distractor; null when the pool is too small', () => {
    const cands = distractorCandidates('Testis', ['Testicle', 'testis', 'Ovary', 'Liver'], lexiconSimilarity);
    expect(cands.map((c) => c.name).sort()).toEqual(['Liver', 'Ovary']);
    expect(redrawDistractors('Testis', 3, cands, 0.3, new SeededRandom(1), { tolerance: 0.01, iterations: 10 })).toBeNull();
  });
});

describe('buildAnswerPools', () => {
  it('collects distinct options per question type', () => {
    const rec = (id: string, questionType: string, options: string[]): VqaRecord => ({
      id, image: '', question: 'q', options, goldIndex: 0, answer: options[0], open: false, questionType,
      modality: '', anatomy: '', source: 'S', split: 'train',
    });
    const pools = buildAnswerPools([
      rec('1', 'T', ['Liver', 'Gut']),
      rec('2', 'T', ['liver.', 'Omentum']),
      rec('3', '', ['Brain', 'Lung']),
    ]);
    expect(pools.get('T')).toEqual(['Liver', 'Gut', 'Omentum']);
    expect(pools.get('S')).toEqual(['Brain', 'Lung']);
  });
});
