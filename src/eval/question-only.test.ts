// The question-only baseline counted by hand on a few records (normalised text, the fallback to overall counts,
// ties), and on AnatomySynth, where the question text alone must land between chance and what the image adds.
import { describe, expect, it } from 'vitest';
import type { VqaRecord } from '../data/record.ts';
import { generateAnatomySynth } from '../data/synth/anatomy-synth.ts';
import { fitQuestionPrior, questionOnlyAccuracy, questionOnlyChoice } from './question-only.ts';

const rec = (id: string, question: string, options: string[], gold: number, split: VqaRecord['split'] = 'train'): VqaRecord => ({
  id, image: '', question, options, goldIndex: gold, answer: options[gold] ?? '', open: false, questionType: '', modality: '', anatomy: '', source: 't', split,
});

describe('the question-only baseline', () => {
  const train = [
    rec('a', 'What is at the top-left?', ['Liver', 'Gut', 'Spleen'], 0),
    rec('b', 'what is at the  top-left ?', ['Spleen', 'Liver'], 1),
    rec('c', 'What is at the top-left?', ['Gut', 'Spleen'], 1),
    rec('d', 'What is below the liver?', ['Gut', 'Omentum'], 0),
    rec('e', 'What is below the liver?', ['Omentum', 'Gut'], 0),
    rec('f', 'What is below the liver?', ['Omentum', 'Gut'], 1),
  ];
  const prior = fitQuestionPrior(train);

  it('answers with the option most often gold for that text (case and spacing aside), then most often overall', () => {
    // top-left: Liver 2, Spleen 1. Among [Gut, Spleen, Liver] -> Liver; among [Gut, Spleen] -> Spleen.
    expect(questionOnlyChoice(prior, rec('t1', 'What is at the top-left?', ['Gut', 'Spleen', 'Liver'], 0, 'test'))).toBe(2);
    expect(questionOnlyChoice(prior, rec('t2', 'What is at the top-left?', ['Gut', 'Spleen'], 0, 'test'))).toBe(1);
    // An unseen text falls back to the overall counts: Gut 2 (d, f), Liver 2, Omentum 1, Spleen 1; Gut comes first.
    expect(questionOnlyChoice(prior, rec('t3', 'Where is the stomach?', ['Omentum', 'Gut', 'Liver'], 0, 'test'))).toBe(1);
    // Nothing known about any option: the first one.
    expect(questionOnlyChoice(prior, rec('t4', 'Where is the stomach?', ['Kidney', 'Lung'], 1, 'test'))).toBe(0);
  });

  it('scores only multiple-choice records', () => {
    const open = { ...rec('o', 'What is at the top-left?', [], -1, 'test'), open: true, answer: 'liver' };
    expect(questionOnlyChoice(prior, open)).toBe(-1);
    const test = [rec('t1', 'What is at the top-left?', ['Gut', 'Liver'], 1, 'test'), rec('t2', 'What is below the liver?', ['Gut', 'Omentum'], 1, 'test'), open];
    expect(questionOnlyAccuracy(prior, test)).toBe(0.5);
    expect(questionOnlyAccuracy(prior, [open])).toBe(0);
  });

  it('on AnatomySynth the question text alone goes past chance and leaves the image its part', () => {
    const synth = generateAnatomySynth({ imageSize: 8, questions: 4000 });
    const p = fitQuestionPrior(synth.records.filter((r) => r.split === 'train'));
    const acc = questionOnlyAccuracy(p, synth.records.filter((r) => r.split === 'test'));
    // Row priors and colour words: about 40% with four options (chance 25%); the image is needed for the rest.
    expect(acc).toBeGreaterThan(0.32);
    expect(acc).toBeLessThan(0.5);
  });
});
