// Reference elementwise ops with numpy broadcasting, their backward, and sum-to-shape (the reduction
// behind sum/mean and behind every broadcast's backward). Loops over a flat output index.

import { broadcastStrides, sizeOf, type Shape } from '../shape.ts';
import type { Floats } from './floats.ts';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';
export type UnaryOp = 'gelu' | 'silu' | 'relu' | 'exp' | 'log' | 'neg' | 'scale' | 'clamp' | 'square';

/** Parameters some unary ops take: scale uses alpha; clamp uses [alpha, beta] as [lo, hi]. */
export interface UnaryParams {
  alpha?: number;
  beta?: number;
}

/**
 * Flat offsets into a and b for every flat output index. Walks the output like an odometer: the last
 * coordinate steps by one and carries into the ones before, so each index costs an add, not a division per
 * dimension (the divide-per-dimension form was 7% of a CPU SFT step).
 */
function broadcastIndex(aShape: Shape, bShape: Shape, out: Shape): { ia: Int32Array; ib: Int32Array } {
  const n = sizeOf(out), rank = out.length;
  const sa = broadcastStrides(aShape, out), sb = broadcastStrides(bShape, out);
  const ia = new Int32Array(n), ib = new Int32Array(n);
  const coord = new Int32Array(rank);
  let oa = 0, ob = 0;
  for (let i = 0; i < n; i++) {
    ia[i] = oa;
    ib[i] = ob;
    for (let d = rank - 1; d >= 0; d--) {
      oa += sa[d];
      ob += sb[d];
      if (++coord[d] < out[d]) break;
      // This coordinate wrapped: undo its whole run and carry into the dimension before.
      oa -= sa[d] * out[d];
      ob -= sb[d] * out[d];
      coord[d] = 0;
    }
  }
  return { ia, ib };
}

/**
 * When `shape` broadcasts to `out` only by leading dimensions (the same shape, a bias row, a scalar), its
 * element for flat output index i is i % size: returns that size, else 0. Most elementwise ops of a policy
 * are of this kind, and the modulo spares them the two index arrays of broadcastIndex (garbage per op).
 */
function trailingSize(shape: Shape, out: Shape): number {
  const pad = out.length - shape.length;
  let d = 0;
  while (d < shape.length && shape[d] === 1 && out[pad + d] !== 1) d++; // leading broadcast ones
  for (let e = d; e < shape.length; e++) if (shape[e] !== out[pad + e]) return 0;
  return sizeOf(shape);
}

export function binaryScalar(op: BinaryOp, x: number, y: number): number {
  switch (op) {
    case 'add': return x + y;
    case 'sub': return x - y;
    case 'mul': return x * y;
    case 'div': return x / y;
    case 'maximum': return x >= y ? x : y;
    case 'minimum': return x <= y ? x : y;
  }
}

// out (broadcast of aShape, bShape)
export function binaryForward(op: BinaryOp, out: Floats, a: Floats, aShape: Shape, b: Floats, bShape: Shape, outShape: Shape): void {
  const na = trailingSize(aShape, outShape), nb = trailingSize(bShape, outShape);
  if (na > 0 && nb > 0) {
    for (let i = 0; i < out.length; i++) out[i] = binaryScalar(op, a[i % na], b[i % nb]);
    return;
  }
  const { ia, ib } = broadcastIndex(aShape, bShape, outShape);
  for (let i = 0; i < out.length; i++) out[i] = binaryScalar(op, a[ia[i]], b[ib[i]]);
}

// da shaped aShape, db shaped bShape, both accumulated (+=) over broadcast positions.
export function binaryBackward(op: BinaryOp, da: Floats, db: Floats, dout: Floats, a: Floats, aShape: Shape, b: Floats, bShape: Shape, outShape: Shape): void {
  const na = trailingSize(aShape, outShape), nb = trailingSize(bShape, outShape);
  if (na > 0 && nb > 0) {
    for (let i = 0; i < dout.length; i++) binaryGrad(op, da, db, dout[i], a, i % na, b, i % nb);
    return;
  }
  const { ia, ib } = broadcastIndex(aShape, bShape, outShape);
  for (let i = 0; i < dout.length; i++) binaryGrad(op, da, db, dout[i], a, ia[i], b, ib[i]);
}

/** Adds one output element's gradient g into da[ia] and db[ib]. */
function binaryGrad(op: BinaryOp, da: Floats, db: Floats, g: number, a: Floats, ia: number, b: Floats, ib: number): void {
  const x = a[ia], y = b[ib];
  switch (op) {
    case 'add': da[ia] += g; db[ib] += g; break;
    case 'sub': da[ia] += g; db[ib] -= g; break;
    case 'mul': da[ia] += g * y; db[ib] += g * x; break;
    case 'div': da[ia] += g / y; db[ib] -= (g * x) / (y * y); break;
    case 'maximum': if (x >= y) da[ia] += g; else db[ib] += g; break;
    case 'minimum': if (x <= y) da[ia] += g; else db[ib] += g; break;
  }
}

const GELU_SCALE = Math.sqrt(2 / Math.PI);

export function unaryScalar(op: UnaryOp, x: number, p: UnaryParams): number {
  switch (op) {
    case 'gelu': return 0.5 * x * (1 + Math.tanh(GELU_SCALE * (x + 0.044715 * x * x * x)));
    case 'silu': return x / (1 + Math.exp(-x));
    case 'relu': return x > 0 ? x : 0;
    case 'exp': return Math.exp(x);
    case 'log': return Math.log(x);
    case 'neg': return -x;
    case 'scale': return x * (p.alpha ?? 1);
    case 'clamp': return Math.min(Math.max(x, p.alpha ?? -Infinity), p.beta ?? Infinity);
    case 'square': return x * x;
  }
}

/** d op(x) / dx. */
export function unaryDerivative(op: UnaryOp, x: number, p: UnaryParams): number {
  switch (op) {
    case 'gelu': {
      // GELU tanh approximation (GPT-2), derivative as in llm.c gelu_backward.
      const cube = 0.044715 * x * x * x;
      const t = Math.tanh(GELU_SCALE * (x + cube));
      const sech2 = 1 - t * t;
      return 0.5 * (1 + t) + x * 0.5 * sech2 * GELU_SCALE * (1 + 3 * 0.044715 * x * x);
    }
    case 'silu': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 + x * (1 - s));
    }
    case 'relu': return x > 0 ? 1 : 0;
    case 'exp': return Math.exp(x);
    case 'log': return 1 / x;
    case 'neg': return -1;
    case 'scale': return p.alpha ?? 1;
    case 'clamp': return x >= (p.alpha ?? -Infinity) && x <= (p.beta ?? Infinity) ? 1 : 0;
    case 'square': return 2 * x;
  }
}

// out, x same shape
export function unaryForward(op: UnaryOp, out: Floats, x: Floats, p: UnaryParams): void {
  for (let i = 0; i < x.length; i++) out[i] = unaryScalar(op, x[i], p);
}

// dx (+=), dout, x same shape
export function unaryBackward(op: UnaryOp, dx: Floats, dout: Floats, x: Floats, p: UnaryParams): void {
  for (let i = 0; i < x.length; i++) dx[i] += dout[i] * unaryDerivative(op, x[i], p);
}

// out shaped outShape (broadcast-compatible with xShape, same rank after left-padding): sums x over the rest.
export function sumToShape(out: Floats, x: Floats, xShape: Shape, outShape: Shape): void {
  out.fill(0);
  const no = trailingSize(outShape, xShape);
  if (no > 0) {
    for (let i = 0; i < x.length; i++) out[i % no] += x[i];
    return;
  }
  const { ia } = broadcastIndex(outShape, outShape, xShape);
  for (let i = 0; i < x.length; i++) out[ia[i]] += x[i];
}
