import { describe, expect, it } from 'vitest';
import { argmax, logSoftmaxAt, sampleToken, type SamplingConfig } from './sampling.ts';

const PLAIN: SamplingConfig = { greedy: false, temperature: 1, topK: 0, topP: 1 };
const LOGITS = Float32Array.from([0, Math.log(2), Math.log(3), Math.log(4)]); // p = [0.1, 0.2, 0.3, 0.4]

function frequencies(cfg: SamplingConfig, draws = 4000): number[] {
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < draws; i++) counts[sampleToken(LOGITS, 0, 4, cfg, (i + 0.5) / draws)]++;
  return counts.map((c) => c / draws);
}

describe('sampleToken', () => {
  it('draws by inverse CDF in proportion to softmax(logits / T)', () => {
    const f = frequencies(PLAIN);
    [0.1, 0.2, 0.3, 0.4].forEach((p, i) => expect(f[i]).toBeCloseTo(p, 2));
    // T = 0.5 squares the probabilities: [1, 4, 9, 16] / 30.
    const sharp = frequencies({ ...PLAIN, temperature: 0.5 });
    [1, 4, 9, 16].forEach((w, i) => expect(sharp[i]).toBeCloseTo(w / 30, 2));
  });

  it('top-k keeps the k most likely tokens, renormalised', () => {
    const f = frequencies({ ...PLAIN, topK: 2 });
    expect(f).toEqual([0, 0, expect.closeTo(3 / 7, 2), expect.closeTo(4 / 7, 2)]);
  });

  it('top-p keeps the smallest most-likely set reaching p', () => {
    // Sorted: 0.4, 0.3 (cum 0.7), 0.2 (cum 0.9): p = 0.75 keeps three tokens.
    const f = frequencies({ ...PLAIN, topP: 0.75 });
    expect(f[0]).toBe(0);
    [0.2, 0.3, 0.4].forEach((p, i) => expect(f[i + 1]).toBeCloseTo(p / 0.9, 2));
    expect(frequencies({ ...PLAIN, topP: 0.1 })).toEqual([0, 0, 0, 1]);
  });

  it('greedy and temperature 0 take the argmax, lowest id on ties', () => {
    expect(sampleToken(LOGITS, 0, 4, { ...PLAIN, greedy: true }, 0.01)).toBe(3);
    expect(sampleToken(LOGITS, 0, 4, { ...PLAIN, temperature: 0 }, 0.01)).toBe(3);
    expect(argmax([1, 5, 5, 2], 0, 4)).toBe(1);
  });

  it('reads the row at the offset, and logSoftmaxAt matches the closed form', () => {
    const two = Float32Array.from([9, 9, 9, 9, ...LOGITS]);
    expect(sampleToken(two, 4, 4, { ...PLAIN, greedy: true }, 0.5)).toBe(3);
    expect(logSoftmaxAt(two, 4, 4, 1)).toBeCloseTo(Math.log(0.2), 6);
  });
});
