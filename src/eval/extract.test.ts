import { describe, it, expect } from 'vitest';
import { extractChoice, extractOpenAnswer } from './extract.ts';
import { normalizeOpenAnswer, normalizeOptionText } from './normalize.ts';
import { judgeCompletion } from './judge.ts';
import type { VqaRecord } from '../data/record.ts';

// Options as SGG-VQA (Anatomy-R1 data/GRPO.json) and OmniMedVQA (MedVLM-R1) write them.
const SGG = ['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity'];
const OMNI = ['Hemorrhage', 'Acute infarct', 'Abscess formation', 'Chronic infarct'];
const PLATE = ['Plate', 'Cystic Plate', 'Gut', 'Liver'];

// [completion, options, expected index or null for "could not extract", expected source]
const TABLE: Array<[string, string[], number | null, string]> = [
  ['<think>The region top-left is reddish brown and smooth.</think> <answer>A</answer>', SGG, 0, 'tag-letter'],
  ['<think>...</think>\n<answer> D </answer>', SGG, 3, 'tag-letter'],
  ['<answer>(B)</answer>', SGG, 1, 'tag-letter'],
  ['<answer>C.</answer>', SGG, 2, 'tag-letter'],
  ['<answer>c</answer>', SGG, 2, 'tag-letter'],
  ['<answer>D. Abdominal Wall Cavity</answer>', SGG, 3, 'tag-letter'],
  ['<answer>The answer is B</answer>', SGG, 1, 'tag-letter'],
  ['<answer>Answer: (C)</answer>', SGG, 2, 'tag-letter'],
  ['<answer>Liver</answer>', SGG, 0, 'tag-text'],
  ['<answer>  cystic   plate. </answer>', SGG, 1, 'tag-text'],
  ['<answer>The structure is the abdominal wall cavity.</answer>', SGG, 3, 'tag-text'],
  ['<answer>Chronic infarct</answer>', OMNI, 3, 'tag-text'],
  ['<answer>acute INFARCT</answer>', OMNI, 1, 'tag-text'],
  ['<think>Could be gut or liver; the texture says liver.</think><answer>A</answer>', SGG, 0, 'tag-letter'],
  ['B', SGG, 1, 'letter'],
  ['(B)', SGG, 1, 'letter'],
  ['B.', SGG, 1, 'letter'],
  ['Answer: B', SGG, 1, 'letter'],
  ['The answer is C.', SGG, 2, 'letter'],
  ['The correct option is D because the wall is visible.', SGG, 3, 'letter'],
  ['I choose A.', SGG, 0, 'letter'],
  ['A) Liver', SGG, 0, 'letter'],
  ['I think (C) fits best.', SGG, 2, 'letter'],
  ['Gallbladder is not an option; the visible organ is the gut.', SGG, 2, 'text'],
  ['It shows an abscess formation in the left lobe.', OMNI, 2, 'text'],
  ['<think>top-left looks like</think> Cystic Plate', SGG, 1, 'text'],
  // Longest match wins: 'Plate' lies inside 'Cystic Plate'.
  ['<answer>Cystic Plate</answer>', PLATE, 1, 'tag-text'],
  ['The cystic plate is visible.', PLATE, 1, 'text'],
  ['It is a plate.', PLATE, 0, 'text'],
  // Could not extract.
  ['', SGG, null, ''],
  ['<think>I am not sure what this is</think>', SGG, null, ''],
  ['<answer>Gallbladder</answer>', SGG, null, ''],
  ['<answer>Liver or Gut</answer>', SGG, null, ''],
  ['<answer>A or B</answer>', SGG, null, ''],
  ['The answer is A, or maybe the answer is B.', SGG, null, ''],
  ['Answer: E', SGG, null, ''],
  ['<answer>', SGG, null, ''],
  // 'A' as an article is not option A.
  ['The answer is a liver.', SGG, 0, 'text'],
  ['The answer is A bullous lesion, which is none of these.', SGG, null, ''],
  ['This is an abscess formation or a hemorrhage.', OMNI, null, ''],
  // A truncated answer tag still counts.
  ['<think>ok</think><answer>B', SGG, 1, 'tag-letter'],
  // Markup and lower case.
  ['**B**', SGG, 1, 'letter'],
  ['<answer>**C. Gut**</answer>', SGG, 2, 'tag-letter'],
  ['Final answer: \\boxed{D}', SGG, 3, 'letter'],
  ['<answer>\\boxed{Liver}</answer>', SGG, 0, 'tag-text'],
  ['the answer is b', SGG, 1, 'letter'],
  ['answer: a.', SGG, 0, 'letter'],
  ['Option (D) matches the wall.', SGG, 3, 'letter'],
  ['The answer is: (A) Liver', SGG, 0, 'letter'],
  // Tag content without a readable answer falls back to the rest of the completion.
  ['<answer>hmm</answer> Final: the answer is D', SGG, 3, 'letter'],
];

describe('extractChoice on real-looking completions', () => {
  it('has a table of at least 30 cases', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(30);
  });
  for (const [completion, options, index, via] of TABLE) {
    it(`${JSON.stringify(completion)} -> ${index === null ? 'could not extract' : `${index} via ${via}`}`, () => {
      const got = extractChoice(completion, options);
      if (index === null) {
        expect(got.ok).toBe(false);
        if (!got.ok) expect(got.reason.length).toBeGreaterThan(0);
      } else {
        expect(got).toEqual({ ok: true, index, via });
      }
    });
  }

  it('names the ambiguity in the reason', () => {
    const got = extractChoice('<answer>Liver or Gut</answer>', SGG);
    expect(got).toEqual({ ok: false, reason: "ambiguous: option texts 'Liver', 'Gut' all given" });
  });

  it('is deterministic and independent of option count beyond the letters it knows', () => {
    expect(extractChoice('Answer: D', ['x', 'y', 'z'])).toMatchObject({ ok: false });
    expect(extractChoice('Answer: C', ['x', 'y', 'z'])).toEqual({ ok: true, index: 2, via: 'letter' });
  });
});

describe('normalisation', () => {
  it('normalises option text: case, whitespace, trailing period', () => {
    expect(normalizeOptionText('  Abdominal   Wall Cavity. ')).toBe('abdominal wall cavity');
    expect(normalizeOptionText('"Liver"')).toBe('liver');
  });
  it('normalises VQA-RAD open answers', () => {
    expect(normalizeOpenAnswer('Yes')).toBe('yes');
    expect(normalizeOpenAnswer('yes.')).toBe('yes');
    expect(normalizeOpenAnswer('The right bronchus')).toBe('right bronchus');
    expect(normalizeOpenAnswer('x-ray')).toBe(normalizeOpenAnswer('Xray'));
    expect(normalizeOpenAnswer('3.4 cm')).toBe('3.4 cm');
    expect(normalizeOpenAnswer('One')).toBe('1');
    expect(normalizeOpenAnswer('Skull \tcartilage and medulla')).toBe('skull cartilage and medulla');
    expect(normalizeOpenAnswer('pulmonary/lymphatic')).toBe('pulmonary lymphatic');
  });
  it('extracts open answers from tags or body', () => {
    expect(extractOpenAnswer('<think>x</think><answer>Yes.</answer>')).toEqual({ ok: true, normalized: 'yes' });
    expect(extractOpenAnswer('A bullous lesion')).toEqual({ ok: true, normalized: 'bullous lesion' });
    expect(extractOpenAnswer('<think>only thinking</think>')).toMatchObject({ ok: false });
  });
});

describe('judgeCompletion', () => {
  const base: VqaRecord = {
    id: 'r1', image: '', question: 'What anatomy is at the top-left of the frame ?', options: SGG, goldIndex: 3,
    answer: 'Abdominal Wall Cavity', open: false, questionType: 'Anatomy Identification', modality: 'endoscopy',
    anatomy: 'Abdominal Wall Cavity', source: 'SGG-VQA', split: 'test',
  };
  it('scores multiple choice', () => {
    expect(judgeCompletion(base, '<answer>D</answer>')).toEqual({ correct: true, extracted: true, choice: 3, reason: '' });
    expect(judgeCompletion(base, '<answer>A</answer>').correct).toBe(false);
    expect(judgeCompletion(base, 'no idea')).toMatchObject({ correct: false, extracted: false, choice: -1 });
  });
  it('scores open questions by normalised exact match (VQA-RAD)', () => {
    const open: VqaRecord = { ...base, options: [], goldIndex: -1, open: true, answer: 'Yes' };
    expect(judgeCompletion(open, '<answer>yes</answer>').correct).toBe(true);
    expect(judgeCompletion(open, 'Yes.').correct).toBe(true);
    expect(judgeCompletion(open, 'No').correct).toBe(false);
    const organ: VqaRecord = { ...open, answer: 'The pancreatic head' };
    expect(judgeCompletion(organ, 'pancreatic head').correct).toBe(true);
    expect(judgeCompletion(organ, 'head of the pancreas').correct).toBe(false);
  });
});
