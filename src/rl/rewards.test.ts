import { describe, it, expect } from 'vitest';
import { accuracyReward, combinedReward, formatReward, lengthPenalty } from './rewards.ts';

const OPTIONS = ['Liver', 'Cystic Plate', 'Gut', 'Abdominal Wall Cavity'];
const GOLD = 3; // D

describe('formatReward', () => {
  const table: [string, number][] = [
    ['<think>x</think> <answer>D</answer>', 1],
    ['<think>x</think><answer>D</answer>', 1],
    ['<think>line1\nline2</think>\n\n<answer>\nD\n</answer>', 1],
    ['<think></think> <answer></answer>', 1],
    ['<think>x</think> <answer>D</answer>\n', 1], // Python's `$` accepts one final newline
    ['<think>x</think> <answer>D</answer>\n\n', 0],
    [' <think>x</think> <answer>D</answer>', 0],
    ['<think>x</think> <answer>D</answer> because', 0],
    ['<answer>D</answer>', 0],
    ['<think>x</think> text <answer>D</answer>', 0],
    ['<think>x</think> <answer>D', 0],
    ['', 0],
  ];
  it.each(table)('%j -> %d', (completion, want) => expect(formatReward(completion)).toBe(want));
});

describe('accuracyReward', () => {
  const table: [string, number][] = [
    ['<think>x</think> <answer>D</answer>', 1],
    ['<answer> D </answer>', 1],
    ['<answer>d</answer>', 1],
    ['<answer>D.</answer>', 1],
    ['<answer>(D)</answer>', 1],
    ['<answer>Abdominal Wall Cavity</answer>', 1],
    ['<answer>abdominal  wall cavity.</answer>', 1],
    ['<answer>D. Abdominal Wall Cavity</answer>', 1],
    ['<answer>D) abdominal wall cavity</answer>', 1],
    ['<answer>A. Abdominal Wall Cavity</answer>', 0],
    ['<answer>A</answer>', 0],
    ['<answer>Liver</answer>', 0],
    ['<answer>D or A</answer>', 0],
    ['<answer></answer>', 0],
    ['D', 0],
    ['The answer is Abdominal Wall Cavity', 0],
    ['<answer>A</answer> <answer>D</answer>', 0], // the first tagged answer counts
  ];
  it.each(table)('%j -> %d', (completion, want) => expect(accuracyReward(completion, OPTIONS, GOLD)).toBe(want));

  it('is 0 for an out-of-range gold index', () => {
    expect(accuracyReward('<answer>A</answer>', OPTIONS, -1)).toBe(0);
  });
});

describe('lengthPenalty', () => {
  it('is 0, then a ramp to -1 over the cache, then -1', () => {
    expect(lengthPenalty(96, 128, 32)).toBe(0);
    expect(lengthPenalty(112, 128, 32)).toBe(-0.5);
    expect(lengthPenalty(128, 128, 32)).toBe(-1);
    expect(lengthPenalty(129, 128, 32)).toBe(-1);
    expect(lengthPenalty(128, 128, 0)).toBe(0);
  });
});

describe('combinedReward', () => {
  const base = { options: OPTIONS, goldIndex: GOLD, completionTokens: 120, maxCompletionLength: 128, lengthPenaltyCache: 32 };
  it('weights each function', () => {
    const r = combinedReward(
      { ...base, completion: '<think>x</think> <answer>D</answer>' },
      { format: 0.5, accuracy: 1, length: 1 },
    );
    expect(r.perFunction).toEqual({ format: 1, accuracy: 1, length: -0.75 });
    expect(r.total).toBeCloseTo(0.5 + 1 - 0.75, 12);
  });
  it('skips zero-weight functions', () => {
    const r = combinedReward({ ...base, completion: '<answer>D</answer>' }, { format: 1, accuracy: 1, length: 0 });
    expect(r).toEqual({ total: 1, perFunction: { format: 0, accuracy: 1, length: 0 } });
  });
});
