import { describe, it, expect } from 'vitest';
import { ANATOMY_LEXICON } from './anatomy-lexicon.ts';
import { explainPair } from './pair-explain.ts';
import { anatomySimilarity, LEXICON_WEIGHTS } from './similarity.ts';

describe('explainPair', () => {
  it('sums its terms to anatomySimilarity for every pair of a lexicon slice', () => {
    const names = ANATOMY_LEXICON.slice(0, 40).map((e) => e.name);
    for (const a of names) {
      for (const b of names) {
        const x = explainPair(a, b);
        expect(x.similarity, `${a} / ${b}`).toBeCloseTo(anatomySimilarity(a, b), 12);
        if (x.rule === 'lexicon') {
          expect(x.terms.reduce((s, t) => s + t.contribution, 0), `${a} / ${b}`).toBeCloseTo(x.similarity, 12);
        }
      }
    }
  });

  it('liver and gallbladder: same fine region, same system, both organs, linked', () => {
    const x = explainPair('Liver', 'Gallbladder');
    expect(x.rule).toBe('lexicon');
    const byTerm = Object.fromEntries(x.terms.map((t) => [t.term, t.match]));
    expect(byTerm).toEqual({ base: 1, region: 1, system: 1, kind: 1, related: 1 });
    const w = LEXICON_WEIGHTS;
    expect(x.similarity).toBeCloseTo(w.base + w.region + w.system + w.kind + w.related, 12);
  });

  it('names the rule for synonyms, laterality, unknown names and identical names', () => {
    expect(explainPair('bowel', 'Gut')).toMatchObject({ rule: 'synonym', similarity: 1, a: { canonical: 'Gut', viaSynonym: true } });
    expect(explainPair('left kidney', 'right kidney')).toMatchObject({ rule: 'laterality', similarity: 0.9, a: { qualifier: 'left' } });
    const n = explainPair('Liver', 'Zygomatic flux capacitor');
    expect(n.rule).toBe('ngram');
    expect(n.b.canonical).toBeNull();
    expect(n.summary).toContain('Zygomatic flux capacitor');
    expect(explainPair('Liver.', 'liver')).toMatchObject({ rule: 'same-name', similarity: 1 });
  });
});
