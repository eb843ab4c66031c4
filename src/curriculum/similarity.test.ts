import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ANATOMY_LEXICON } from './anatomy-lexicon.ts';
import {
  anatomySimilarity,
  cachedSimilarity,
  embeddingSimilarity,
  lexiconProblems,
  lookupAnatomy,
  ngramCosine,
} from './similarity.ts';

describe('anatomy lexicon', () => {
  it('is consistent and large enough', () => {
    expect(lexiconProblems()).toEqual([]);
    expect(ANATOMY_LEXICON.length).toBeGreaterThanOrEqual(80);
  });

  it('knows the six SGG-VQA classes and OmniMedVQA tissues', () => {
    for (const n of ['Liver', 'Omentum', 'Abdominal Wall Cavity', 'Gallbladder', 'Cystic Plate', 'Gut', 'Liver tissue', 'Breast tissue']) {
      expect(lookupAnatomy(n), n).not.toBeNull();
    }
  });

  it('resolves plurals, laterality, parentheses and trailing periods', () => {
    expect(lookupAnatomy('Lungs')?.entry.name).toBe('Lung');
    expect(lookupAnatomy('Ovaries')?.entry.name).toBe('Ovary');
    expect(lookupAnatomy('Right kidney')).toMatchObject({ entry: { name: 'Kidney' }, qualifier: 'right' });
    expect(lookupAnatomy('Retinal pigmented epithelium (RPE)')?.entry.name).toBe('Retina');
    expect(lookupAnatomy('Chest region.')?.entry.name).toBe('Chest');
    expect(lookupAnatomy('Zygomatic flux capacitor')).toBeNull();
  });
});

describe('anatomySimilarity', () => {
  it('puts liver near gallbladder and far from femur', () => {
    const lg = anatomySimilarity('Liver', 'Gallbladder');
    const lf = anatomySimilarity('Liver', 'Femur');
    expect(lg).toBeGreaterThan(0.8);
    expect(lf).toBeLessThan(0.15);
    expect(anatomySimilarity('Liver', 'Gut')).toBeGreaterThan(lf);
    expect(anatomySimilarity('Liver', 'Gut')).toBeLessThan(lg);
    expect(anatomySimilarity('Liver tissue', 'Breast tissue')).toBeLessThan(anatomySimilarity('Liver tissue', 'Liver'));
  });

  it('is 1 for synonyms and spelling, 0.9 across laterality', () => {
    expect(anatomySimilarity('Testis', 'Testicles')).toBe(1);
    expect(anatomySimilarity('liver.', ' Liver ')).toBe(1);
    expect(anatomySimilarity('left eye', 'right eye')).toBe(0.9);
  });

  it('falls back to trigram cosine for unknown names', () => {
    expect(anatomySimilarity('Chondral abnormality', 'Chondral defect')).toBeCloseTo(ngramCosine('chondral abnormality', 'chondral defect'), 15);
    expect(ngramCosine('abc', 'abc')).toBeCloseTo(1, 15);
    // " ab", "abc", "bc " vs " ab", "abd", "bd ": one shared trigram out of three each.
    expect(ngramCosine('abc', 'abd')).toBeCloseTo(1 / 3, 15);
    expect(ngramCosine('abc', 'xyz')).toBe(0);
  });

  it('is symmetric and within [0, 1] over every pair of lexicon names', () => {
    const names = ANATOMY_LEXICON.map((e) => e.name);
    for (const a of names) {
      for (const b of names) {
        const s = anatomySimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(s).toBe(anatomySimilarity(b, a));
        if (a !== b) expect(s).toBeLessThan(1);
      }
    }
  });
});

describe('embeddingSimilarity', () => {
  it('uses clamped cosine of the embeddings and caches', async () => {
    let calls = 0;
    const vectors: Record<string, number[]> = { a: [1, 0], b: [1, 1], c: [-1, 0] };
    const src = await embeddingSimilarity(
      {
        id: 'fake',
        label: 'fake',
        embed: async (names) => {
          calls++;
          return names.map((n) => Float32Array.from(vectors[n]));
        },
      },
      ['A', 'b', 'c', 'a'],
    );
    expect(calls).toBe(1);
    expect(src.similarity('a', 'b')).toBeCloseTo(Math.SQRT1_2, 6);
    expect(src.similarity('a', 'c')).toBe(0);
    expect(src.similarity('A', 'a')).toBe(1);
  });

  it('cachedSimilarity asks the source once per unordered pair', () => {
    let calls = 0;
    const s = cachedSimilarity({ id: 'x', label: 'x', similarity: () => (calls++, 0.5) });
    s.similarity('Liver', 'Gut');
    s.similarity('gut', 'liver');
    expect(calls).toBe(1);
  });
});

const realDir = fileURLToPath(new URL('../../../shared/data/real', import.meta.url));
describe.skipIf(!existsSync(realDir))('lexicon coverage of real option names', () => {
  it('knows most OmniMedVQA anatomy-identification options (by frequency) and all SGG-VQA ones', () => {
    const recs = JSON.parse(readFileSync(`${realDir}/med-r1/Splits/question_type/test/Anatomy Identification_test.json`, 'utf8')) as { problem: string }[];
    let known = 0;
    let total = 0;
    for (const r of recs) {
      const m = /([A-H])\)(.*?)(?=,\s*[A-H]\)|$)/gs;
      for (const [, , name] of r.problem.matchAll(m)) {
        total++;
        if (lookupAnatomy(name)) known++;
      }
    }
    expect(total).toBeGreaterThan(1000);
    expect(known / total).toBeGreaterThan(0.85);
    const sgg = JSON.parse(readFileSync(`${realDir}/anatomy-r1/data/GRPO.json`, 'utf8')) as { answer: string }[];
    for (const r of sgg) expect(lookupAnatomy(r.answer), r.answer).not.toBeNull();
  });
});
