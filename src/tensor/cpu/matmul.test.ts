// The fast CPU matmul (loops ordered for contiguous inner walks) against the obvious triple loop, for every
// layout, broadcast batches and odd sizes, forward and backward, in f32 and f64; NaN still propagates.

import { describe, expect, it } from 'vitest';
import { gemmAccumulate, matmulBackward, matmulBackwardNaive, matmulForward, matmulForwardNaive, type MatmulDims } from './matmul.ts';

function random(n: number, seed: number, f64 = false): Float32Array | Float64Array {
  const out = f64 ? new Float64Array(n) : new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function maxDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

const SHAPES: [number, number, number, number][] = [
  [1, 1, 1, 1],
  [2, 7, 5, 3],
  [3, 13, 17, 9],
  [1, 33, 4, 65],
];

describe('CPU matmul', () => {
  for (const f64 of [false, true]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const broadcast of ['none', 'a', 'b'] as const) {
          it(`matches the naive loop: ${f64 ? 'f64' : 'f32'} transA=${transA} transB=${transB} broadcast ${broadcast}`, () => {
            for (const [batch, m, n, k] of SHAPES) {
              const d: MatmulDims = {
                batch, m, n, k, transA, transB,
                strideA: broadcast === 'a' ? 0 : m * k,
                strideB: broadcast === 'b' ? 0 : k * n,
              };
              const a = random((broadcast === 'a' ? 1 : batch) * m * k, 1 + m, f64);
              const b = random((broadcast === 'b' ? 1 : batch) * k * n, 2 + n, f64);
              const dout = random(batch * m * n, 3 + k, f64);
              const tol = f64 ? 1e-12 : 1e-5;
              const fast = random(batch * m * n, 9, f64); // stale contents must be overwritten
              const ref = new Float64Array(batch * m * n);
              matmulForward(fast, a, b, d);
              matmulForwardNaive(ref, a, b, d);
              expect(maxDiff(fast, ref), `forward ${batch}x${m}x${n}x${k}`).toBeLessThan(tol * k);
              const da = random(a.length, 4, f64), db = random(b.length, 5, f64);
              const daRef = Float64Array.from(da), dbRef = Float64Array.from(db);
              matmulBackward(da, db, dout, a, b, d);
              matmulBackwardNaive(daRef, dbRef, dout, a, b, d);
              expect(maxDiff(da, daRef), `dA ${batch}x${m}x${n}x${k}`).toBeLessThan(tol * batch * n);
              expect(maxDiff(db, dbRef), `dB ${batch}x${m}x${n}x${k}`).toBeLessThan(tol * batch * m);
            }
          });
        }
      }
    }
  }

  it('propagates NaN and Inf, so numerics checks still see them', () => {
    const d: MatmulDims = { batch: 1, m: 2, n: 2, k: 2, transA: false, transB: false, strideA: 4, strideB: 4 };
    const out = new Float32Array(4);
    // A row of zeros times a NaN and an Inf is NaN (0 * Inf), not skipped as "nothing to add".
    matmulForward(out, new Float32Array([0, 0, 1, 1]), new Float32Array([NaN, 1, Infinity, 1]), d);
    expect(Number.isNaN(out[0])).toBe(true);
    expect(out[1]).toBe(0);
    expect(Number.isNaN(out[2])).toBe(true);
    expect(out[3]).toBe(2);
    matmulForward(out, new Float32Array([1, 1, 1, 1]), new Float32Array([2, 1, Infinity, 1]), d);
    expect(out[0]).toBe(Infinity);
  });

  it('rounds a row the same whether it falls in a 4-row block or is left over', () => {
    // Register blocking must not change any sum's order: a policy trained before and after gives the same bits.
    for (const [aT, bT] of [[false, false], [true, false], [false, true]] as const) {
      const m = 9, n = 11, k = 37;
      const a = random(m * k, 7) as Float32Array, b = random(k * n, 8) as Float32Array;
      const whole = new Float32Array(m * n);
      gemmAccumulate(whole, 0, a, 0, b, 0, m, n, k, aT, bT);
      for (let i = 0; i < m; i++) {
        // Row i alone: A's row i as a 1-row matrix (gathered from its column when A is stored transposed).
        const ai = new Float32Array(k);
        for (let p = 0; p < k; p++) ai[p] = aT ? a[p * m + i] : a[i * k + p];
        const row = new Float32Array(n);
        gemmAccumulate(row, 0, ai, 0, b, 0, 1, n, k, aT, bT);
        expect(Array.from(whole.subarray(i * n, (i + 1) * n)), `row ${i} aT=${aT} bT=${bT}`).toEqual(Array.from(row));
      }
    }
  });
});
