import { describe, it, expect } from 'vitest';
import { letterIndex, matchAnswer, normaliseModality, parseOptionLines, splitFromPath, splitInlineOptions } from './answers.ts';
import { OutcomeBuilder } from './outcome.ts';
import { DEFAULT_READ_CONFIG } from './types.ts';

const builder = () => new OutcomeBuilder('f.json', 3, DEFAULT_READ_CONFIG);

describe('answer helpers', () => {
  it('splits Med-R1 inline options without cutting at commas or "(RPE)"', () => {
    expect(splitInlineOptions('What is it? A)Lens, B)Choroid, C)Sclera, D)Retinal pigmented epithelium (RPE)')).toEqual({
      question: 'What is it?',
      options: ['Lens', 'Choroid', 'Sclera', 'Retinal pigmented epithelium (RPE)'],
    });
    expect(splitInlineOptions('Q? A)Bone, cortical, B)Skin')?.options).toEqual(['Bone, cortical', 'Skin']);
    expect(splitInlineOptions('no options here')).toBeNull();
  });

  it('reads option lines in letter order only', () => {
    expect(parseOptionLines('A. Liver\nB. Cystic Plate\nC. Gut\nD. Abdominal Wall Cavity')).toEqual(['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity']);
    expect(parseOptionLines('A) x\nC) y')).toEqual(['x']);
  });

  it('letters in every spelling', () => {
    expect(['C', ' c ', '<answer> C </answer>', '(C)', 'C.'].map(letterIndex)).toEqual([2, 2, 2, 2, 2]);
    expect(letterIndex('Liver')).toBe(-1);
    expect(letterIndex('Z')).toBe(-1);
  });

  it('matches gold text after normalising, naming what was normalised', () => {
    const b = builder();
    expect(matchAnswer(b, 'gt_answer', 'breast tissue.', ['Liver tissue', 'Muscle', 'Breast tissue'])).toBe(2);
    expect(b.repairs).toEqual([{ file: 'f.json', record: 3, field: 'gt_answer', message: 'gt_answer matched option C after normalising case/trailing period' }]);
    const exact = builder();
    expect(matchAnswer(exact, 'answer', 'Muscle', ['Liver', 'Muscle'])).toBe(1);
    expect(exact.repairs).toEqual([]);
    const none = builder();
    expect(matchAnswer(none, 'answer', 'Kidney', ['Liver', 'Muscle'])).toBe(-1);
    expect(none.errors[0]).toMatchObject({ file: 'f.json', record: 3, field: 'answer', message: expect.stringMatching(/matches none of the options/) });
  });

  it('modality and split vocabulary', () => {
    expect(['CT(Computed Tomography)', 'MR (Mag-netic Resonance Imaging)', 'X-Ray', 'MRI', 'Ultrasound', 'Fundus Photography', 'Microscopy Images'].map(normaliseModality)).toEqual([
      'CT', 'MR', 'X-Ray', 'MR', 'Ultrasound', 'Fundus Photography', 'Microscopy',
    ]);
    expect(splitFromPath('Splits/question_type/test/Anatomy Identification_test.json', 'train')).toBe('test');
    expect(splitFromPath('data_RAD/trainset.json', 'test')).toBe('train');
    expect(splitFromPath('data/val.jsonl', 'train')).toBe('val');
    expect(splitFromPath('data/GRPO.json', 'train')).toBe('train');
    expect(splitFromPath('contest/x.json', 'train')).toBe('train');
  });
});
