// `--types`: a question-type choice is one choice whatever order it is typed in, and a type the data lacks is named.
import { describe, expect, it } from 'vitest';
import { generateAnatomySynth } from './anatomy-synth.ts';
import { ofQuestionTypes, parseQuestionTypes, questionTypesText } from './question-types.ts';

const records = generateAnatomySynth({ questions: 300 }).records;

describe('question-type choice', () => {
  it('sorts and dedupes the list, and reads all as no filter', () => {
    expect(parseQuestionTypes('relation,location')).toEqual(['location', 'relation']);
    expect(parseQuestionTypes('location, location')).toEqual(['location']);
    expect(questionTypesText(parseQuestionTypes('relation,location'))).toBe(questionTypesText(parseQuestionTypes('location,relation')));
    expect(parseQuestionTypes('all')).toBeNull();
    expect(questionTypesText(null)).toBe('all');
  });

  it('names a type the records do not have, and an empty list', () => {
    expect(() => parseQuestionTypes('location,colour')).toThrow(/no question type 'colour' \(it has attribute, location, relation\)/);
    expect(() => parseQuestionTypes(',')).toThrow(/name one or more/);
  });

  it('names every type AnatomySynth asks', () => {
    expect(new Set(records.map((r) => r.questionType))).toEqual(new Set(parseQuestionTypes('attribute,location,relation')));
  });

  it('keeps the records of the chosen types only', () => {
    const loc = ofQuestionTypes(records, ['location']);
    expect(loc.length).toBeGreaterThan(0);
    expect(loc.length).toBeLessThan(records.length);
    expect(loc.every((r) => r.questionType === 'location')).toBe(true);
    expect(ofQuestionTypes(records, null)).toHaveLength(records.length);
  });
});
