// Broadcasting in the CPU reference against an oracle that works out every coordinate by division: the fast
// paths (same shape, bias row, scalar) and the odometer walk must pick the same elements, forward, backward
// and in sum-to-shape. The ops' own tests compare the CPU against itself in float64, so this is the check.

import { describe, expect, it } from 'vitest';
import { broadcastShapes, sizeOf, type Shape } from '../shape.ts';
import { binaryBackward, binaryForward, sumToShape } from './elementwise.ts';

/** Flat offset into `shape` (left-padded to `out`'s rank) of flat output index i, by division. */
function oracleOffset(i: number, shape: Shape, out: Shape): number {
  const pad = out.length - shape.length;
  let rem = i, off = 0, stride = 1;
  const coords: number[] = [];
  for (let d = out.length - 1; d >= 0; d--) {
    coords[d] = rem % out[d];
    rem = Math.floor(rem / out[d]);
  }
  for (let d = shape.length - 1; d >= 0; d--) {
    off += (shape[d] === 1 ? 0 : coords[pad + d]) * stride;
    stride *= shape[d];
  }
  return off;
}

const PAIRS: [Shape, Shape][] = [
  [[2, 3, 4], [2, 3, 4]], // same
  [[2, 3, 4], [4]], // bias row
  [[2, 3, 4], []], // scalar
  [[1], [2, 3, 4]],
  [[2, 1, 4], [3, 1]], // both broadcast, middle dimension
  [[2, 3, 1], [1, 3, 4]],
  [[1, 1, 4], [2, 1, 4]], // leading ones that stay ones
  [[3, 1], [2, 3, 5]],
  [[5, 1, 1, 2], [3, 1, 2]],
];

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 11) - 5 + seed / 10);
}

describe('CPU broadcasting', () => {
  for (const [as, bs] of PAIRS) {
    const out = broadcastShapes(as, bs);
    it(`[${as}] with [${bs}] -> [${out}]: forward, backward and sum-to-shape pick the oracle's elements`, () => {
      const a = values(sizeOf(as), 1), b = values(sizeOf(bs), 2), n = sizeOf(out);
      const got = new Float32Array(n);
      binaryForward('sub', got, a, as, b, bs, out);
      for (let i = 0; i < n; i++) expect(got[i], `out[${i}]`).toBe(Math.fround(a[oracleOffset(i, as, out)] - b[oracleOffset(i, bs, out)]));

      const dout = values(n, 3);
      const da = new Float32Array(a.length), db = new Float32Array(b.length);
      binaryBackward('mul', da, db, dout, a, as, b, bs, out);
      const daRef = new Float32Array(a.length), dbRef = new Float32Array(b.length);
      for (let i = 0; i < n; i++) {
        const ia = oracleOffset(i, as, out), ib = oracleOffset(i, bs, out);
        daRef[ia] += dout[i] * b[ib];
        dbRef[ib] += dout[i] * a[ia];
      }
      expect(Array.from(da)).toEqual(Array.from(daRef));
      expect(Array.from(db)).toEqual(Array.from(dbRef));

      const padded = [...Array<number>(out.length - bs.length).fill(1), ...bs];
      const summed = new Float32Array(b.length);
      sumToShape(summed, dout, out, padded);
      const sumRef = new Float32Array(b.length);
      for (let i = 0; i < n; i++) sumRef[oracleOffset(i, bs, out)] += dout[i];
      expect(Array.from(summed)).toEqual(Array.from(sumRef));
    });
  }
});
