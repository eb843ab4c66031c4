import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { VqaRecord } from '../data/record.ts';
import { ANATOMY_LEXICON } from '../curriculum/anatomy-lexicon.ts';
import { buildAnswerPools } from '../curriculum/redraw.ts';
import { SeededRandom } from '../curriculum/seeded-random.ts';
import { cachedSimilarity, lexiconSimilarity, normaliseName } from '../curriculum/similarity.ts';
import { defaultAugmentConfig, restoreAugmentConfig, type AugmentConfig } from './config.ts';
import {
  augmentationOutcome,
  buildQuestionGroup,
  splitRollouts,
  variantRecord,
  ZeroVarianceMemory,
  type GroupContext,
} from './group-builder.ts';
import { BUILT_IN_TEMPLATE_FAMILIES, fillTemplate } from './templates.ts';

const similarity = cachedSimilarity(lexiconSimilarity);
const NAMES = ANATOMY_LEXICON.map((e) => e.name);

function randomRecord(rng: SeededRandom, i: number): VqaRecord {
  const n = 2 + rng.int(5); // 2..6 options
  const options = rng.shuffle(NAMES.slice()).slice(0, n);
  const goldIndex = rng.int(n);
  const family = rng.pick(BUILT_IN_TEMPLATE_FAMILIES);
  const values: Record<string, string> = {};
  for (const [slot, allowed] of Object.entries(family.slots)) values[slot] = allowed ? rng.pick(allowed) : 'the brown liver anatomy';
  const question = rng.next() < 0.9 ? fillTemplate(rng.pick(family.templates), values) : 'Unmatched question ' + i + '?';
  return {
    id: `r${i}`, image: '', question, options, goldIndex, answer: options[goldIndex], open: false,
    questionType: family.questionTypes[0] ?? '', modality: '', anatomy: options[goldIndex], source: 'prop', split: 'train',
  };
}

const allOn = (over: Partial<AugmentConfig> = {}): AugmentConfig => ({
  ...defaultAugmentConfig(),
  enabled: true,
  applyTo: 'all',
  operators: { permute: true, paraphrase: true, redraw: true, image: true },
  ...over,
});

describe('splitRollouts', () => {
  it('splits G across K variants', () => {
    expect(splitRollouts(8, 4)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(splitRollouts(8, 3)).toEqual([0, 0, 0, 1, 1, 1, 2, 2]);
    expect(splitRollouts(4, 8)).toEqual([0, 1, 2, 3]);
    expect(splitRollouts(8, 1)).toEqual(new Array(8).fill(0));
  });
});

describe('buildQuestionGroup', () => {
  it('preserves the gold answer in every variant (property test over 600 random questions)', () => {
    const rng = new SeededRandom(11);
    const records = Array.from({ length: 600 }, (_, i) => randomRecord(rng, i));
    const pools = buildAnswerPools(records);
    let paraphrased = 0;
    let redrawn = 0;
    for (const [i, record] of records.entries()) {
      const ctx: GroupContext = { config: allOn({ variants: 2 + (i % 4), seed: i }), groupSize: 8, step: i, pools, similarity };
      const group = buildQuestionGroup(record, ctx);
      const goldText = record.options[record.goldIndex];
      expect(group.variants.length).toBe(ctx.config.variants);
      expect(group.rolloutVariant).toEqual(splitRollouts(8, ctx.config.variants));
      for (const v of group.variants) {
        expect(v.options[v.goldIndex]).toBe(goldText);
        expect(v.answer).toBe(goldText);
        expect(v.options.length).toBe(record.options.length);
        // No distractor names the gold.
        expect(v.options.filter((o) => normaliseName(o) === normaliseName(goldText)).length).toBe(1);
        expect(new Set(v.options.map(normaliseName)).size).toBe(v.options.length);
        expect(v.imageTransforms.some((t) => t.kind === 'flip')).toBe(false);
        const posed = variantRecord(record, v);
        expect(posed.options[posed.goldIndex]).toBe(goldText);
        if (v.operators.includes('paraphrase')) paraphrased++;
        if (v.operators.includes('redraw')) redrawn++;
      }
      expect(group.variants[0].operators).toEqual(['original']);
      expect(group.variants[0].options).toEqual(record.options);
    }
    expect(paraphrased).toBeGreaterThan(500);
    expect(redrawn).toBeGreaterThan(500);
  });

  it('gives each variant its own gold letter when there are enough options', () => {
    const rng = new SeededRandom(2);
    for (let i = 0; i < 50; i++) {
      const r = { ...randomRecord(rng, i), options: ['Liver', 'Gut', 'Omentum', 'Gallbladder'], goldIndex: i % 4 };
      const g = buildQuestionGroup(r, { config: allOn({ operators: { permute: true, paraphrase: false, redraw: false, image: false } }), groupSize: 8, step: 0 });
      expect(new Set(g.variants.map((v) => v.goldIndex)).size).toBe(4);
    }
  });

  it('is deterministic for (seed, step, question)', () => {
    const rng = new SeededRandom(3);
    const records = Array.from({ length: 20 }, (_, i) => randomRecord(rng, i));
    const pools = buildAnswerPools(records);
    const ctx: GroupContext = { config: allOn(), groupSize: 8, step: 5, pools, similarity };
    expect(buildQuestionGroup(records[4], ctx)).toEqual(buildQuestionGroup(records[4], ctx));
    const other = buildQuestionGroup(records[4], { ...ctx, step: 6 });
    expect(other).not.toEqual(buildQuestionGroup(records[4], ctx));
  });

  it('zero-variance mode augments only after a zero-variance group', () => {
    const rng = new SeededRandom(5);
    const r = randomRecord(rng, 0);
    const config = allOn({ applyTo: 'zero-variance' });
    const first = buildQuestionGroup(r, { config, groupSize: 8, step: 0 });
    expect(first).toMatchObject({ augmented: false, reason: 'first-visit', rolloutVariant: new Array(8).fill(0) });
    expect(buildQuestionGroup(r, { config, groupSize: 8, step: 1, lastGroupZeroStd: false }).augmented).toBe(false);
    const hard = buildQuestionGroup(r, { config, groupSize: 8, step: 1, lastGroupZeroStd: true });
    expect(hard).toMatchObject({ augmented: true, reason: 'zero-variance' });
    expect(augmentationOutcome(hard, false)).toBe('rescued');
    expect(augmentationOutcome(hard, true)).toBe('still-zero');
    expect(buildQuestionGroup(r, { config: { ...config, enabled: false }, groupSize: 8, step: 1, lastGroupZeroStd: true }).reason).toBe('off');
  });

  it('remembers zero-variance per question and restores it', () => {
    const m = new ZeroVarianceMemory();
    m.record('a', true);
    m.record('b', false);
    const back = ZeroVarianceMemory.restore(JSON.parse(JSON.stringify(m)));
    expect(back.lastZeroStd('a')).toBe(true);
    expect(back.lastZeroStd('b')).toBe(false);
    expect(back.lastZeroStd('c')).toBeUndefined();
    expect(() => ZeroVarianceMemory.restore([['a', 1]])).toThrow(/\[0\]/);
  });
});

describe('restoreAugmentConfig', () => {
  it('defaults, round trip and named errors', () => {
    expect(restoreAugmentConfig({})).toEqual(defaultAugmentConfig());
    const c = allOn({ templates: [...BUILT_IN_TEMPLATE_FAMILIES] });
    expect(restoreAugmentConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(() => restoreAugmentConfig({ variants: 0 }, 'url')).toThrow(/url\.variants/);
    expect(() => restoreAugmentConfig({ applyTo: 'some' })).toThrow(/applyTo/);
    expect(() => restoreAugmentConfig({ image: { maxShift: 0.9 } })).toThrow(/image\.maxShift/);
    expect(() => restoreAugmentConfig({ operators: { permute: 'yes' } })).toThrow(/operators\.permute/);
    expect(() => restoreAugmentConfig({ templates: [{ id: 'x' }] })).toThrow(/templates\[0\]\.templates/);
    expect(() =>
      restoreAugmentConfig({ enabled: true, operators: { permute: false, paraphrase: false, redraw: false, image: false } }),
    ).toThrow(/every operator is off/);
  });
});

const realDir = fileURLToPath(new URL('../../../shared/data/real', import.meta.url));
describe.skipIf(!existsSync(realDir))('GDQA on released SGG-VQA questions', () => {
  it('keeps the gold of every released question in every variant', () => {
    const raw = JSON.parse(readFileSync(`${realDir}/anatomy-r1/data/GRPO.json`, 'utf8')) as { instruction: string; solution: string; answer: string }[];
    const records: VqaRecord[] = raw.map((r, i) => {
      const question = /Question:\n([\s\S]*?)\nAnatomy Options/.exec(r.instruction)![1];
      const options = [...r.instruction.matchAll(/^[A-H]\. (.+)$/gm)].map((m) => m[1]);
      const goldIndex = r.solution.charCodeAt(0) - 65;
      return {
        id: `sgg${i}`, image: '', question, options, goldIndex, answer: r.answer, open: false, questionType: '',
        modality: 'endoscopy', anatomy: r.answer, source: 'SGG-VQA', split: 'train',
      };
    });
    const pools = buildAnswerPools(records);
    let paraphrased = 0;
    for (const record of records) {
      expect(record.options[record.goldIndex]).toBe(record.answer);
      const g = buildQuestionGroup(record, { config: allOn(), groupSize: 8, step: 0, pools, similarity });
      for (const v of g.variants) expect(v.options[v.goldIndex]).toBe(record.answer);
      if (g.variants.slice(1).every((v) => v.operators.includes('paraphrase'))) paraphrased++;
    }
    expect(paraphrased / records.length).toBeGreaterThan(0.99);
  });
});
