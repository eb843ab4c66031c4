// Reference data movement: axis permutation and the axis copy behind slice, concat and slice's backward.

import { stridesOf, type Shape } from '../shape.ts';
import type { Floats } from './floats.ts';

// out shaped perm.map(p => shape[p]); x shaped `shape`
export function transposeForward(out: Floats | Int32Array, x: Floats | Int32Array, shape: Shape, perm: readonly number[]): void {
  const xs = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]);
  const step = perm.map((p) => xs[p]);
  const rank = outShape.length;
  // An odometer over the output's coordinates (as in elementwise.ts's broadcastIndex): no division per element.
  const coord = new Int32Array(rank);
  let off = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x[off];
    for (let d = rank - 1; d >= 0; d--) {
      off += step[d];
      if (++coord[d] < outShape[d]) break;
      off -= step[d] * outShape[d];
      coord[d] = 0;
    }
  }
}

/**
 * dst[o, dstStart + a, i] (+)= src[o, srcStart + a, i] for a < count, over views (outer, len, inner).
 * Slice is srcStart = start; concat places each input at dstStart; slice backward adds into zeros.
 */
export function axisCopy(
  dst: Floats | Int32Array, dstLen: number, dstStart: number,
  src: Floats | Int32Array, srcLen: number, srcStart: number,
  count: number, outer: number, inner: number, accumulate: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let a = 0; a < count; a++) {
      const d = (o * dstLen + dstStart + a) * inner, s = (o * srcLen + srcStart + a) * inner;
      for (let i = 0; i < inner; i++) dst[d + i] = accumulate ? dst[d + i] + src[s + i] : src[s + i];
    }
  }
}
