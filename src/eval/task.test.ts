import { describe, it, expect } from 'vitest';
import { VqaTask } from './task.ts';
import { seededPermutation } from './shuffle.ts';
import type { VqaRecord } from '../data/record.ts';

const records: VqaRecord[] = Array.from({ length: 20 }, (_, i) => ({
  id: `r${i}`, image: '', question: `q${i}`, options: ['Liver', 'Gut'], goldIndex: i % 2, answer: i % 2 ? 'Gut' : 'Liver',
  open: false, questionType: '', modality: '', anatomy: '', source: '', split: 'test' as const,
}));

describe('seeded shuffling', () => {
  it('is a permutation, reproducible by seed, different across seeds', () => {
    const a = seededPermutation(20, 1);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(seededPermutation(20, 1)).toEqual(a);
    expect(seededPermutation(20, 2)).not.toEqual(a);
  });
});

describe('VqaTask', () => {
  it('shuffles once, then slices: a slice is a window of the full order', () => {
    const full = new VqaTask('t', records, { seed: 3 });
    const part = new VqaTask('t', records, { seed: 3, start: 5, stop: 10 });
    expect(full.size).toBe(20);
    expect(part.size).toBe(5);
    for (let i = 0; i < 5; i++) expect(part.example(i).id).toBe(full.example(i + 5).id);
    expect(full.example(0).id).not.toBe('r0'); // seed 3 moves r0 (checked: would fail on an identity shuffle)
    expect(new VqaTask('t', records, { shuffle: false }).example(0).id).toBe('r0');
  });
  it('rejects indices outside the task', () => {
    expect(() => new VqaTask('t', records, { stop: 2 }).example(2)).toThrow(/outside 0..1/);
  });
  it('reward defaults to the verdict', () => {
    const task = new VqaTask('t', records, { shuffle: false });
    const r1 = task.example(1); // gold Gut, B
    expect(task.reward(r1, '<answer>B</answer>')).toBe(1);
    expect(task.reward(r1, '<answer>A</answer>')).toBe(0);
    expect(task.reward(r1, 'nothing')).toBe(0);
    expect(task.evaluate(r1, 'Gut').correct).toBe(true);
  });
});
