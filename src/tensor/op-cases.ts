// The engine's op table for tests: for every Backend op, how to build random inputs (odd sizes included,
// or tiny ones for finite differences), the float64 reference forward/backward (the cpu/ functions run on
// Float64Array), and how to run forward/backward on a Backend. ops.test.ts runs it against every backend.

import type { Backend } from './backend.ts';
import { adamwUpdate, clipScale } from './cpu/adamw.ts';
import {
  binaryBackward, binaryForward, sumToShape, unaryBackward, unaryForward, type BinaryOp, type UnaryOp, type UnaryParams,
} from './cpu/elementwise.ts';
import { embeddingBackward, embeddingForward } from './cpu/embedding.ts';
import { axisCopy, transposeForward } from './cpu/layout.ts';
import { matmulBackward, matmulForward } from './cpu/matmul.ts';
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from './cpu/norm.ts';
import { dropoutForward } from './cpu/random.ts';
import { ropeForward } from './cpu/rope.ts';
import { logProbsBackward, logProbsForward, softmaxBackward, softmaxForward } from './cpu/softmax.ts';
import { matmulShapes } from './matmul-shapes.ts';
import { axisView, broadcastShapes, sizeOf, type Shape } from './shape.ts';
import type { Tensor } from './tensor.ts';
import type { Rng } from './testing.ts';

export type Arr = Float64Array | Int32Array;

export interface CaseInput {
  shape: Shape;
  data: Arr;
  /** Differentiated (f32 inputs only). */
  grad: boolean;
}

export interface OpCase {
  name: string;
  make(r: Rng, tiny: boolean): CaseInput[];
  /** Float64 reference outputs; output 0 is the one differentiated. */
  ref(x: Arr[], shapes: Shape[]): Float64Array[];
  /** Reference gradients of sum(out0 * dout) for the inputs with grad = true, in order. */
  refBackward?(x: Arr[], shapes: Shape[], dout: Float64Array): Float64Array[];
  run(b: Backend, t: Tensor[]): Tensor[];
  runBackward?(b: Backend, t: Tensor[], dout: Tensor, outs: Tensor[]): Tensor[];
  /** Extra slack for this op's forward comparison (long sums, exp). */
  tolScale?: number;
}

const f = (x: Arr) => x as Float64Array;
const dim = (r: Rng, tiny: boolean, big = 19) => (tiny ? r.int(1, 4) : r.int(1, big));
const input = (r: Rng, shape: Shape, lo = -1, hi = 1): CaseInput => ({ shape, data: r.array(sizeOf(shape), lo, hi), grad: true });

function matmulCase(transA: boolean, transB: boolean, batched: 'none' | 'both' | 'shared'): OpCase {
  const shapes = (r: Rng, tiny: boolean) => {
    const m = dim(r, tiny, 37), n = dim(r, tiny, 37), k = r.pick(tiny ? [1, 3, 4] : [1, 4, 8, 13, 24, 33]);
    const batch = batched === 'none' ? [] : tiny ? [2] : [r.int(1, 3)];
    const a = [...batch, ...(transA ? [k, m] : [m, k])];
    const b = [...(batched === 'both' ? batch : []), ...(transB ? [n, k] : [k, n])];
    return [a, b];
  };
  return {
    name: `matmul tA=${transA} tB=${transB} batch=${batched}`,
    make: (r, tiny) => shapes(r, tiny).map((s) => input(r, s)),
    ref: (x, s) => {
      const { dims, outShape } = matmulShapes(s[0], s[1], { transA, transB });
      const out = new Float64Array(sizeOf(outShape));
      matmulForward(out, f(x[0]), f(x[1]), dims);
      return [out];
    },
    refBackward: (x, s, dout) => {
      const { dims } = matmulShapes(s[0], s[1], { transA, transB });
      const da = new Float64Array(x[0].length), db = new Float64Array(x[1].length);
      matmulBackward(da, db, dout, f(x[0]), f(x[1]), dims);
      return [da, db];
    },
    run: (b, t) => [b.matmul(t[0], t[1], { transA, transB })],
    runBackward: (b, t, dout) => {
      const { da, db } = b.matmulBackward(dout, t[0], t[1], { transA, transB });
      return [da, db];
    },
  };
}

function broadcastPair(r: Rng, tiny: boolean): [Shape, Shape] {
  const rank = r.int(1, tiny ? 2 : 4);
  const out = Array.from({ length: rank }, () => dim(r, tiny, 7));
  const a = out.map((d) => (r.next() < 0.3 ? 1 : d));
  const b = out.slice(r.int(0, rank - 1)).map((d) => (r.next() < 0.3 ? 1 : d));
  return [a, b];
}

function binaryCase(op: BinaryOp): OpCase {
  return {
    name: `binary ${op}`,
    make: (r, tiny) => {
      const [a, b] = broadcastPair(r, tiny);
      // div keeps b away from 0; ties never happen for maximum/minimum with continuous random data.
      return [input(r, a), op === 'div' ? input(r, b, 0.5, 2) : input(r, b)];
    },
    ref: (x, s) => {
      const shape = broadcastShapes(s[0], s[1]);
      const out = new Float64Array(sizeOf(shape));
      binaryForward(op, out, f(x[0]), s[0], f(x[1]), s[1], shape);
      return [out];
    },
    refBackward: (x, s, dout) => {
      const da = new Float64Array(x[0].length), db = new Float64Array(x[1].length);
      binaryBackward(op, da, db, dout, f(x[0]), s[0], f(x[1]), s[1], broadcastShapes(s[0], s[1]));
      return [da, db];
    },
    run: (b, t) => [b.binary(op, t[0], t[1])],
    runBackward: (b, t, dout) => {
      const { da, db } = b.binaryBackward(op, dout, t[0], t[1]);
      return [da, db];
    },
  };
}

function unaryCase(op: UnaryOp, params: UnaryParams = {}, lo = -3, hi = 3): OpCase {
  return {
    name: `unary ${op}`,
    make: (r, tiny) => [input(r, [dim(r, tiny), dim(r, tiny, 11)], lo, hi)],
    ref: (x) => {
      const out = new Float64Array(x[0].length);
      unaryForward(op, out, f(x[0]), params);
      return [out];
    },
    refBackward: (x, _s, dout) => {
      const dx = new Float64Array(x[0].length);
      unaryBackward(op, dx, dout, f(x[0]), params);
      return [dx];
    },
    run: (b, t) => [b.unary(op, t[0], params)],
    runBackward: (b, t, dout) => [b.unaryBackward(op, dout, t[0], params)],
  };
}

const sumCase: OpCase = {
  name: 'sumToShape (sum over axes)',
  make: (r, tiny) => {
    const rank = r.int(1, 4);
    return [input(r, Array.from({ length: rank }, () => dim(r, tiny, 9)))];
  },
  ref: (x, s) => {
    const target = sumTarget(s[0]);
    const out = new Float64Array(sizeOf(target));
    sumToShape(out, f(x[0]), s[0], target);
    return [out];
  },
  refBackward: (x, s, dout) => {
    // d sum / dx = dout broadcast back.
    const dx = new Float64Array(x[0].length);
    binaryForward('add', dx, new Float64Array(x[0].length), s[0], dout, sumTarget(s[0]), s[0]);
    return [dx];
  },
  run: (b, t) => [b.sumToShape(t[0], sumTarget(t[0].shape))],
  runBackward: (b, t, dout) => [b.broadcastTo(dout, t[0].shape)],
};

/** A deterministic target shape for sumCase: reduce every other axis, the full sum for rank 1. */
function sumTarget(shape: Shape): number[] {
  return shape.length === 1 ? [1] : shape.map((d, i) => (i % 2 === 0 ? 1 : d));
}

const layerNormCase: OpCase = {
  name: 'layerNorm',
  make: (r, tiny) => {
    const c = tiny ? r.int(2, 5) : r.pick([3, 17, 64, 100]);
    return [input(r, [dim(r, tiny, 7), dim(r, tiny, 5), c]), input(r, [c], 0.5, 1.5), input(r, [c])];
  },
  ref: (x, s) => {
    const c = s[0][s[0].length - 1], rows = x[0].length / c;
    const out = new Float64Array(x[0].length), mean = new Float64Array(rows), rstd = new Float64Array(rows);
    layerNormForward(out, mean, rstd, f(x[0]), f(x[1]), f(x[2]), rows, c, 1e-5);
    return [out, mean, rstd];
  },
  refBackward: (x, s, dout) => {
    const c = s[0][s[0].length - 1], rows = x[0].length / c;
    const out = new Float64Array(x[0].length), mean = new Float64Array(rows), rstd = new Float64Array(rows);
    layerNormForward(out, mean, rstd, f(x[0]), f(x[1]), f(x[2]), rows, c, 1e-5);
    const dx = new Float64Array(x[0].length), dw = new Float64Array(c), db = new Float64Array(c);
    layerNormBackward(dx, dw, db, dout, f(x[0]), f(x[1]), mean, rstd, rows, c);
    return [dx, dw, db];
  },
  run: (b, t) => {
    const { out, mean, rstd } = b.layerNorm(t[0], t[1], t[2], 1e-5);
    return [out, mean, rstd];
  },
  runBackward: (b, t, dout, outs) => {
    const { dx, dweight, dbias } = b.layerNormBackward(dout, t[0], t[1], outs[1], outs[2]);
    return [dx, dweight, dbias];
  },
};

const rmsNormCase: OpCase = {
  name: 'rmsNorm',
  make: (r, tiny) => {
    const c = tiny ? r.int(2, 5) : r.pick([3, 17, 64, 100]);
    return [input(r, [dim(r, tiny, 9), c]), input(r, [c], 0.5, 1.5)];
  },
  ref: (x, s) => {
    const c = s[0][s[0].length - 1], rows = x[0].length / c;
    const out = new Float64Array(x[0].length), rstd = new Float64Array(rows);
    rmsNormForward(out, rstd, f(x[0]), f(x[1]), rows, c, 1e-5);
    return [out, rstd];
  },
  refBackward: (x, s, dout) => {
    const c = s[0][s[0].length - 1], rows = x[0].length / c;
    const out = new Float64Array(x[0].length), rstd = new Float64Array(rows);
    rmsNormForward(out, rstd, f(x[0]), f(x[1]), rows, c, 1e-5);
    const dx = new Float64Array(x[0].length), dw = new Float64Array(c);
    rmsNormBackward(dx, dw, dout, f(x[0]), f(x[1]), rstd, rows, c);
    return [dx, dw];
  },
  run: (b, t) => {
    const { out, rstd } = b.rmsNorm(t[0], t[1], 1e-5);
    return [out, rstd];
  },
  runBackward: (b, t, dout, outs) => {
    const { dx, dweight } = b.rmsNormBackward(dout, t[0], t[1], outs[1]);
    return [dx, dweight];
  },
};

function softmaxCase(causal: boolean): OpCase {
  return {
    name: `softmax causal=${causal}`,
    make: (r, tiny) => {
      const tk = tiny ? r.int(1, 4) : r.pick([1, 5, 16, 70]);
      const tq = causal ? r.int(1, tk) : dim(r, tiny, 9);
      return [input(r, [dim(r, tiny, 3), tq, tk], -3, 3)];
    },
    ref: (x, s) => {
      const n = s[0][2], tq = s[0][1];
      const out = new Float64Array(x[0].length);
      softmaxForward(out, f(x[0]), x[0].length / n, n, causal, tq);
      return [out];
    },
    refBackward: (x, s, dout) => {
      const n = s[0][2], tq = s[0][1], rows = x[0].length / n;
      const y = new Float64Array(x[0].length), dx = new Float64Array(x[0].length);
      softmaxForward(y, f(x[0]), rows, n, causal, tq);
      softmaxBackward(dx, dout, y, rows, n);
      return [dx];
    },
    run: (b, t) => [b.softmax(t[0], causal)],
    runBackward: (b, _t, dout, outs) => [b.softmaxBackward(dout, outs[0])],
  };
}

const logProbsCase: OpCase = {
  name: 'logProbs (log-softmax gathered at targets)',
  make: (r, tiny) => {
    const v = tiny ? r.int(2, 5) : r.pick([2, 7, 64, 131]);
    const rows = [dim(r, tiny, 4), dim(r, tiny, 9)];
    const n = sizeOf(rows);
    const targets = Int32Array.from({ length: n }, (_, i) => (i % 5 === 3 ? -1 : r.int(0, v - 1)));
    return [input(r, [...rows, v], -4, 4), { shape: rows, data: targets, grad: false }];
  },
  ref: (x, s) => {
    const v = s[0][s[0].length - 1], rows = x[0].length / v;
    const logp = new Float64Array(rows), lse = new Float64Array(rows);
    logProbsForward(logp, lse, f(x[0]), x[1] as Int32Array, rows, v);
    return [logp, lse];
  },
  refBackward: (x, s, dout) => {
    const v = s[0][s[0].length - 1], rows = x[0].length / v;
    const logp = new Float64Array(rows), lse = new Float64Array(rows), d = new Float64Array(x[0].length);
    logProbsForward(logp, lse, f(x[0]), x[1] as Int32Array, rows, v);
    logProbsBackward(d, dout, f(x[0]), x[1] as Int32Array, lse, rows, v);
    return [d];
  },
  run: (b, t) => {
    const { logp, lse } = b.logProbs(t[0], t[1]);
    return [logp, lse];
  },
  runBackward: (b, t, dout, outs) => [b.logProbsBackward(dout, t[0], t[1], outs[1])],
};

const embeddingCase: OpCase = {
  name: 'embedding (backward: scatter-add)',
  make: (r, tiny) => {
    const vocab = tiny ? r.int(1, 4) : r.int(3, 40), c = dim(r, tiny, 33);
    const ids = [dim(r, tiny, 3), dim(r, tiny, 9)];
    // Repeated ids on purpose: the scatter-add must sum them.
    const data = Int32Array.from({ length: sizeOf(ids) }, () => r.int(0, vocab - 1));
    return [input(r, [vocab, c]), { shape: ids, data, grad: false }];
  },
  ref: (x, s) => {
    const [vocab, c] = s[0];
    const out = new Float64Array(x[1].length * c);
    embeddingForward(out, x[1] as Int32Array, f(x[0]), x[1].length, c, vocab);
    return [out];
  },
  refBackward: (x, s, dout) => {
    const d = new Float64Array(x[0].length);
    embeddingBackward(d, dout, x[1] as Int32Array, x[1].length, s[0][1]);
    return [d];
  },
  run: (b, t) => [b.embedding(t[1], t[0])],
  runBackward: (b, t, dout) => [b.embeddingBackward(dout, t[1], t[0].shape[0])],
};

const transposeCase: OpCase = {
  name: 'transpose',
  make: (r, tiny) => {
    const rank = r.int(2, 5);
    return [input(r, Array.from({ length: rank }, () => dim(r, tiny, 6)))];
  },
  ref: (x, s) => {
    const out = new Float64Array(x[0].length);
    transposeForward(out, f(x[0]), s[0], permFor(s[0].length));
    return [out];
  },
  refBackward: (_x, s, dout) => {
    const perm = permFor(s[0].length), inv = perm.map((_, i) => perm.indexOf(i));
    const dx = new Float64Array(dout.length);
    transposeForward(dx, dout, perm.map((p) => s[0][p]), inv);
    return [dx];
  },
  run: (b, t) => [b.transpose(t[0], permFor(t[0].rank))],
  runBackward: (b, t, dout) => {
    const perm = permFor(t[0].rank);
    return [b.transpose(dout, perm.map((_, i) => perm.indexOf(i)))];
  },
};

/** A fixed non-trivial permutation: reverse, then swap the first two. */
function permFor(rank: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => rank - 1 - i);
  [p[0], p[1]] = [p[1], p[0]];
  return p;
}

const sliceCase: OpCase = {
  name: 'slice (backward: pad into zeros)',
  make: (r, tiny) => [input(r, [dim(r, tiny, 5), r.int(3, tiny ? 5 : 12), dim(r, tiny, 7)])],
  ref: (x, s) => {
    const [start, end] = sliceRange(s[0][1]);
    const { outer, len, inner } = axisView(s[0], 1);
    const out = new Float64Array(outer * (end - start) * inner);
    axisCopy(out, end - start, 0, f(x[0]), len, start, end - start, outer, inner, false);
    return [out];
  },
  refBackward: (x, s, dout) => {
    const [start, end] = sliceRange(s[0][1]);
    const { outer, len, inner } = axisView(s[0], 1);
    const dx = new Float64Array(x[0].length);
    axisCopy(dx, len, start, dout, end - start, 0, end - start, outer, inner, false);
    return [dx];
  },
  run: (b, t) => {
    const [start, end] = sliceRange(t[0].shape[1]);
    return [b.slice(t[0], 1, start, end)];
  },
  runBackward: (b, t, dout) => [b.sliceBackward(dout, t[0].shape, 1, sliceRange(t[0].shape[1])[0])],
};

function sliceRange(len: number): [number, number] {
  return [1, len - 1];
}

const concatCase: OpCase = {
  name: 'concat (backward: slices)',
  make: (r, tiny) => {
    const o = dim(r, tiny, 4), i = dim(r, tiny, 6);
    return [input(r, [o, dim(r, tiny, 5), i]), input(r, [o, dim(r, tiny, 5), i]), input(r, [o, dim(r, tiny, 5), i])];
  },
  ref: (x, s) => {
    const total = s.reduce((acc, sh) => acc + sh[1], 0), [o, , inner] = s[0];
    const out = new Float64Array(o * total * inner);
    let at = 0;
    s.forEach((sh, j) => {
      axisCopy(out, total, at, f(x[j]), sh[1], 0, sh[1], o, inner, false);
      at += sh[1];
    });
    return [out];
  },
  refBackward: (x, s, dout) => {
    const total = s.reduce((acc, sh) => acc + sh[1], 0), [o, , inner] = s[0];
    let at = 0;
    return s.map((sh, j) => {
      const d = new Float64Array(x[j].length);
      axisCopy(d, sh[1], 0, dout, total, at, sh[1], o, inner, false);
      at += sh[1];
      return d;
    });
  },
  run: (b, t) => [b.concat(t, 1)],
  runBackward: (b, t, dout) => {
    let at = 0;
    return t.map((x) => {
      const s = b.slice(dout, 1, at, at + x.shape[1]);
      at += x.shape[1];
      return s;
    });
  },
};

const writeSliceCase: OpCase = {
  name: 'writeSlice (in place, KV-cache append)',
  make: (r, tiny) => {
    const o = dim(r, tiny, 4), i = dim(r, tiny, 6), len = r.int(3, 12);
    return [input(r, [o, len, i]), input(r, [o, len - 2, i])].map((x) => ({ ...x, grad: false }));
  },
  ref: (x, s) => {
    const out = Float64Array.from(x[0]);
    const [o, len, inner] = s[0];
    axisCopy(out, len, 1, f(x[1]), s[1][1], 0, s[1][1], o, inner, false);
    return [out];
  },
  run: (b, t) => {
    const dst = b.copy(t[0]);
    b.writeSlice(dst, t[1], 1, 1);
    return [dst];
  },
};

const dropoutCase: OpCase = {
  name: 'dropout (seeded; backward = same mask)',
  make: (r, tiny) => [input(r, [dim(r, tiny, 13), dim(r, tiny, 40)])],
  ref: (x) => {
    const out = new Float64Array(x[0].length);
    dropoutForward(out, f(x[0]), 0.3, 1234);
    return [out];
  },
  refBackward: (x, _s, dout) => {
    const dx = new Float64Array(x[0].length);
    dropoutForward(dx, dout, 0.3, 1234);
    return [dx];
  },
  run: (b, t) => [b.dropout(t[0], 0.3, 1234)],
  runBackward: (b, _t, dout) => [b.dropout(dout, 0.3, 1234)],
};

const adamwCase: OpCase = {
  name: 'adamw step with global-norm clipping (sumSquares)',
  make: (r, tiny) => {
    const shape = [dim(r, tiny, 30), dim(r, tiny, 7)];
    const other = [dim(r, tiny, 11)];
    return [input(r, shape), input(r, shape, -3, 3), input(r, shape, -0.1, 0.1), input(r, shape, 0, 0.01), input(r, other, -3, 3)].map((i) => ({ ...i, grad: false }));
  },
  ref: (x) => {
    const [p, g, m, v, other] = x.map((a) => Float64Array.from(a));
    const normSq = g.reduce((s, y) => s + y * y, 0) + other.reduce((s, y) => s + y * y, 0);
    adamwUpdate(p, g, m, v, adamHp, clipScale(normSq, 1.0));
    return [p, m, v, Float64Array.of(normSq)];
  },
  run: (b, t) => {
    const [p, g, m, v, other] = t;
    const normSq = b.sumSquares([g, other]);
    const pc = b.copy(p), mc = b.copy(m), vc = b.copy(v);
    b.adamwStep(pc, g, mc, vc, adamHp, { normSq, maxNorm: 1.0 });
    return [pc, mc, vc, normSq];
  },
};

const ropeCase: OpCase = {
  name: 'rope (rotary positions, KV-cache offset)',
  make: (r, tiny) => [input(r, [dim(r, tiny, 3), dim(r, tiny, 9), 2 * (tiny ? r.int(1, 2) : r.int(1, 8))])],
  ref: (x, s) => {
    const out = new Float64Array(x[0].length);
    ropeForward(out, f(x[0]), s[0][1], s[0][2], 10000, 3, 1);
    return [out];
  },
  refBackward: (_x, s, dout) => {
    const dx = new Float64Array(dout.length);
    ropeForward(dx, dout, s[0][1], s[0][2], 10000, 3, -1);
    return [dx];
  },
  run: (b, t) => [b.rope(t[0], { base: 10000, offset: 3 })],
  runBackward: (b, _t, dout) => [b.rope(dout, { base: 10000, offset: 3, inverse: true })],
};

const adamHp = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 3 };

/** Every op, forward and (where differentiable) backward. */
export const opCases: OpCase[] = [
  ...([[false, false], [false, true], [true, false], [true, true]] as const).flatMap(([a, b]) => [
    matmulCase(a, b, 'none'),
    matmulCase(a, b, 'both'),
    matmulCase(a, b, 'shared'),
  ]),
  ...(['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const).map(binaryCase),
  unaryCase('gelu'),
  unaryCase('silu'),
  unaryCase('relu'),
  unaryCase('exp'),
  unaryCase('log', {}, 0.2, 3),
  unaryCase('neg'),
  unaryCase('scale', { alpha: -0.7 }),
  unaryCase('clamp', { alpha: -1, beta: 1.5 }),
  unaryCase('square'),
  sumCase,
  layerNormCase,
  rmsNormCase,
  softmaxCase(false),
  softmaxCase(true),
  logProbsCase,
  embeddingCase,
  transposeCase,
  sliceCase,
  concatCase,
  writeSliceCase,
  dropoutCase,
  ropeCase,
  adamwCase,
];

