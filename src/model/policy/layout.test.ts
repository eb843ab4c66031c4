import { describe, expect, it } from 'vitest';
import { completionRows, layoutSequences, MASKED_KEY } from './layout.ts';
import { tinyConfig } from './test-fixtures.ts';

describe('layoutSequences', () => {
  const config = tinyConfig(); // 4 image tokens, maxSeqLen 16, vocabulary 11

  it('right-aligns prompts, left-aligns completions, masks left pads and skips them in positions', () => {
    const l = layoutSequences(config, [[2, 7, 3], [2]], [[1], [5, 6]], 0);
    expect([l.promptWidth, l.completionWidth, l.tokenCount]).toEqual([3, 2, 3]);
    expect(Array.from(l.textIds)).toEqual([2, 7, 3, 1, 0, /* row 1 */ 0, 0, 2, 5, 6]);
    expect(l.positions).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 0],
      [0, 1, 2, 3, 0, 0, 4, 5, 6],
    ]);
    expect(Array.from(l.keyBias!)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, /* row 1 */ 0, 0, 0, 0, MASKED_KEY, MASKED_KEY, 0, 0, 0]);
    expect(Array.from(l.targets)).toEqual([1, -1, 5, 6]);
    expect(Array.from(l.mask)).toEqual([1, 0, 1, 1]);
    expect(completionRows([0.5, 9, 0.25, 0.75], l)).toEqual([[0.5], [0.25, 0.75]]);
  });

  it('has no key mask when every prompt has the same length', () => {
    expect(layoutSequences(config, [[2, 3], [4, 5]], [[1], []]).keyBias).toBeNull();
  });

  it('names the row and the problem for bad input', () => {
    expect(() => layoutSequences(config, [[2], []], [[1], [1]])).toThrow(/row 1 has an empty prompt/);
    expect(() => layoutSequences(config, [[2, 11]], [[1]])).toThrow(/row 0 prompt has token id 11 outside \[0, 11\)/);
    expect(() => layoutSequences(config, [[2]], [[1, 2.5]])).toThrow(/row 0 completion has token id 2.5/);
    expect(() => layoutSequences(config, [[2, 2, 2, 2, 2, 2]], [[1, 1, 1, 1, 1, 1, 1]])).toThrow(/row 0 needs 4 image \+ 6 prompt \+ 7 completion tokens, more than maxSeqLen 16/);
    expect(() => layoutSequences(config, [[2]], [])).toThrow(/1 prompts but 0 completions/);
  });
});
