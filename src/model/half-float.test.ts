import { describe, expect, it } from 'vitest';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from './half-float.ts';

describe('F16', () => {
  it('encodes hand-checked values (IEEE 754 binary16 tables)', () => {
    const cases: [number, number][] = [
      [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff],
      [0.1, 0x2e66], [1 / 3, 0x3555], [2 ** -14, 0x0400], [2 ** -24, 0x0001], [3 * 2 ** -24, 0x0003],
      [Infinity, 0x7c00], [-Infinity, 0xfc00], [1e6, 0x7c00],
      // Ties go to even: 65520 is halfway between 65504 and 65536 (Inf); 2^-25 between 0 and the least subnormal.
      [65520, 0x7c00], [65519, 0x7bff], [2 ** -25, 0x0000], [1.5 * 2 ** -25, 0x0001], [3 * 2 ** -25, 0x0002],
      [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [1e-9, 0x0000],
    ];
    for (const [x, bits] of cases) expect([x, f32ToF16Bits(x)]).toEqual([x, bits]);
    expect(f32ToF16Bits(NaN) & 0x7c00).toBe(0x7c00);
    expect(f32ToF16Bits(NaN) & 0x3ff).not.toBe(0);
  });

  it('decodes every one of the 65,536 patterns and re-encodes it to itself', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = f16BitsToF32(h);
      if (Number.isNaN(x)) {
        expect((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0).toBe(true);
        continue;
      }
      if (f32ToF16Bits(x) !== h) throw new Error(`pattern ${h.toString(16)} -> ${x} -> ${f32ToF16Bits(x).toString(16)}`);
    }
  });

  it('rounds to the nearer neighbour (relative error at most 2^-11 in the normal range)', () => {
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const x = Math.fround(((seed / 2 ** 32) - 0.5) * 2 ** ((i % 30) - 14));
      const back = f16BitsToF32(f32ToF16Bits(x));
      if (Math.abs(x) >= 2 ** -14) expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11);
      else expect(Math.abs(back - x)).toBeLessThanOrEqual(2 ** -25);
    }
  });
});

describe('BF16', () => {
  it('encodes hand-checked values and ties to even', () => {
    const cases: [number, number][] = [
      [1, 0x3f80], [-2, 0xc000], [Math.PI, 0x4049], [0.1, 0x3dcd], [Infinity, 0x7f80], [3.4e38, 0x7f80],
      [1 + 2 ** -8, 0x3f80], [1 + 3 * 2 ** -8, 0x3f82], [1 + 2 ** -8 + 2 ** -20, 0x3f81],
    ];
    for (const [x, bits] of cases) expect([x, f32ToBf16Bits(x)]).toEqual([x, bits]);
    expect(Number.isNaN(bf16BitsToF32(f32ToBf16Bits(NaN)))).toBe(true);
  });

  it('round-trips every pattern that is not NaN', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = bf16BitsToF32(h);
      if (!Number.isNaN(x) && f32ToBf16Bits(x) !== h) throw new Error(`pattern ${h.toString(16)}`);
    }
  });
});
