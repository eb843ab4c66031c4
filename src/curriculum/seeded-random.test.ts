import { describe, it, expect } from 'vitest';
import { hashSeed, SeededRandom } from './seeded-random.ts';

describe('SeededRandom', () => {
  it('repeats for a seed, resumes from its state, and differs across seeds', () => {
    const a = new SeededRandom(42);
    const first = [a.next(), a.next()];
    const state = a.getState();
    const rest = [a.next(), a.next()];
    expect([new SeededRandom(42).next(), new SeededRandom(42).next()][0]).toBe(first[0]);
    const b = SeededRandom.fromState(state);
    expect([b.next(), b.next()]).toEqual(rest);
    expect(new SeededRandom(43).next()).not.toBe(first[0]);
  });

  it('is roughly uniform and int/shuffle stay in range', () => {
    const r = new SeededRandom(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 20000; i++) counts[r.int(10)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    const xs = r.shuffle([1, 2, 3, 4, 5]);
    expect(xs.slice().sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('hashSeed separates streams', () => {
    expect(hashSeed(1, 'draw', 3)).not.toBe(hashSeed(1, 'draw', 4));
    expect(hashSeed(1, 'draw', 3)).toBe(hashSeed(1, 'draw', 3));
    expect(hashSeed(12, 3)).not.toBe(hashSeed(1, 23));
  });
});
