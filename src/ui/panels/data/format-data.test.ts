import { describe, it, expect } from 'vitest';
import { confidenceWords, formatName, plural, sortedCounts, splitWords } from './format-data.ts';

describe('Data panel words', () => {
  it('sorts counts largest first with unknown last', () => {
    expect(sortedCounts({ '(unknown)': 9, b: 2, a: 2, c: 5 })).toEqual([['c', 5], ['a', 2], ['b', 2], ['(unknown)', 9]]);
    expect(splitWords({ test: 1, train: 1200 })).toBe('train 1,200 · test 1');
    expect(splitWords({})).toBe('—');
  });
  it('names formats and confidence', () => {
    expect(formatName('vqa-rad')).toBe('VQA-RAD');
    expect(formatName('other')).toBe('other');
    expect(confidenceWords(0.95)).toBe('95%, certain');
    expect(confidenceWords(0.3)).toBe('30%, a guess');
    expect(plural(1, 'record')).toBe('1 record');
    expect(plural(1200, 'record')).toBe('1,200 records');
  });
});
