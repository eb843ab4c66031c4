import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_TEMPLATE_FAMILIES as F, fillTemplate, matchQuestion, paraphrases, restoreTemplateFamilies } from './templates.ts';

describe('template matching', () => {
  it('reads the SGG-VQA phrasings with their slots', () => {
    expect(matchQuestion('What anatomy is at the top-left of the frame ?', '', F)).toMatchObject({
      family: { id: 'sgg-position' },
      values: { position: 'top-left' },
    });
    expect(matchQuestion('There is a brown top-mid anatomy, what is its name?', '', F)).toMatchObject({
      family: { id: 'sgg-color-position' },
      values: { color: 'brown', position: 'top-mid' },
    });
    expect(matchQuestion('What is the yellow anatomy?', '', F)?.family.id).toBe('sgg-color');
    expect(matchQuestion('What is the name of the anatomy below the white gallbladder anatomy?', '', F)).toMatchObject({
      family: { id: 'sgg-relation-short' },
      values: { thing: 'anatomy', preposition: 'below', rest: 'the white gallbladder anatomy' },
    });
  });

  it('gives the paper\'s alternatives as paraphrases', () => {
    const p = paraphrases('What anatomy is at the top-left of the frame ?', '', F);
    expect(p).toContain('There is a top-left anatomy, what is its name?');
    expect(p).toContain('What is the name of the anatomy that is at the top-left of the frame?');
    expect(p).not.toContain('What anatomy is at the top-left of the frame ?');
  });

  it('respects question types and returns nothing for unknown phrasings', () => {
    expect(matchQuestion('What modality is used to take this image?', 'Modality Recognition', F)?.family.id).toBe('omni-modality');
    expect(matchQuestion('What modality is used to take this image?', 'Anatomy Identification', F)).toBeNull();
    expect(paraphrases('Why is the sky blue?', '', F)).toEqual([]);
  });

  it('is closed: every paraphrase reads back as the same family and slot values', () => {
    const qs = [
      'What anatomy is at the bottom-mid of the frame ?',
      'What is the red top-mid anatomy?',
      'What name is the thing that is below the brown anatomy and on the right side of the red top-mid object?',
      'What part is shown in this ultrasound image?',
    ];
    for (const q of qs) {
      const m = matchQuestion(q, '', F)!;
      for (const p of paraphrases(q, '', F)) {
        const back = matchQuestion(p, '', F)!;
        expect(back.family.id, p).toBe(m.family.id);
        expect(back.values).toEqual(m.values);
      }
    }
  });

  it('fillTemplate refuses a missing slot', () => {
    expect(() => fillTemplate('What is the {color} anatomy?', {})).toThrow(/color/);
  });
});

describe('restoreTemplateFamilies', () => {
  it('accepts the built-in families as JSON', () => {
    expect(restoreTemplateFamilies(JSON.parse(JSON.stringify(F)))).toEqual(F);
  });

  it('names the bad field', () => {
    const ok = { id: 'x', slots: { a: null }, templates: ['Q {a}?', 'R {a}?'] };
    expect(restoreTemplateFamilies([ok])[0].questionTypes).toEqual([]);
    expect(() => restoreTemplateFamilies({})).toThrow(/list/);
    expect(() => restoreTemplateFamilies([{ ...ok, templates: ['Q {a}?'] }], 'f')).toThrow(/f\[0\]\.templates: a family needs/);
    expect(() => restoreTemplateFamilies([{ ...ok, templates: ['Q {a}?', 'R {b}?'] }])).toThrow(/templates\[1\].*\{b\}/);
    expect(() => restoreTemplateFamilies([ok, ok])).toThrow(/duplicate/);
    expect(() => restoreTemplateFamilies([{ ...ok, slots: { 'a(': null } }])).toThrow(/slot name/);
    expect(() => restoreTemplateFamilies([{ ...ok, id: 5 }])).toThrow(/\[0\]\.id/);
  });
});

const realDir = fileURLToPath(new URL('../../../shared/data/real', import.meta.url));
describe.skipIf(!existsSync(realDir))('coverage of the released SGG-VQA questions', () => {
  it('matches at least 99% of the questions of the three released files', () => {
    for (const f of ['GRPO.json', 'GRPO-GDQA.json', 'GRPO-ASC-Learning.json']) {
      const recs = JSON.parse(readFileSync(`${realDir}/anatomy-r1/data/${f}`, 'utf8')) as { instruction: string }[];
      const qs = recs.map((r) => /Question:\n([\s\S]*?)\nAnatomy Options/.exec(r.instruction)![1]);
      const matched = qs.filter((q) => matchQuestion(q, '', F) !== null).length;
      expect(matched / qs.length, f).toBeGreaterThan(0.99);
    }
  });
});
