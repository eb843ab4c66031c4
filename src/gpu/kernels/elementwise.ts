// Elementwise kernels: numpy-broadcast binary ops and their backward, unary activations (GELU, SiLU, ...)
// and their derivatives, in-place accumulation, fill, and seeded dropout. Shape goes in uniforms (rank
// unrolled to MAX_RANK), so one program per op serves every shape.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { dimNames, flatMain, FLAT_WG } from './common.ts';

export const RANK = 6;

/** Binary ops, plus 'lhs' (out = a broadcast), used for broadcastTo. */
export type BinaryKernelOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'lhs';
export type UnaryKernelOp = 'gelu' | 'silu' | 'relu' | 'exp' | 'log' | 'neg' | 'scale' | 'clamp' | 'square';

const binaryExpr: Record<BinaryKernelOp, string> = {
  add: 'x + y',
  sub: 'x - y',
  mul: 'x * y',
  div: 'x / y',
  maximum: 'select(y, x, x >= y)',
  minimum: 'select(y, x, x <= y)',
  lhs: 'x',
};

/** Broadcast offsets of a and b for flat output index i (uniforms d*, as*, bs*). */
const broadcastOffsets = `
  var rem = i;
  var oa = 0u;
  var ob = 0u;
${Array.from({ length: RANK }, (_, k) => RANK - 1 - k)
  .map((d) => `  { let c = rem % u.d${d}; rem = rem / u.d${d}; oa += c * u.as${d}; ob += c * u.bs${d}; }`)
  .join('\n')}`;

const broadcastUniforms = fields('u32', 'n', ...dimNames('d', RANK), ...dimNames('as', RANK), ...dimNames('bs', RANK));

const memo = new Map<string, KernelProgram>();
function memoized(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/** out = a op b with broadcasting. Uniforms: n, d0..d5 (out dims, left-padded with 1), as*, bs* (strides, 0 = broadcast). */
export function binaryProgram(op: BinaryKernelOp): KernelProgram {
  return memoized(`binary:${op}`, () =>
    defineProgram({
      name: 'binary',
      params: { op },
      bindings: [input('a'), input('b'), output('out')],
      uniforms: broadcastUniforms,
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
${broadcastOffsets}
  let x = a[oa];
  let y = b[ob];
  out[i] = ${binaryExpr[op]};
}`,
    }),
  );
}

const binaryGrad: Record<Exclude<BinaryKernelOp, 'lhs'>, [string, string]> = {
  add: ['g', 'g'],
  sub: ['g', '-g'],
  mul: ['g * y', 'g * x'],
  div: ['g / y', '-g * x / (y * y)'],
  maximum: ['select(0.0, g, x >= y)', 'select(g, 0.0, x >= y)'],
  minimum: ['select(0.0, g, x <= y)', 'select(g, 0.0, x <= y)'],
};

/** Full-shape gradients ga, gb (output shape) of a binary op; the backend reduces them to a's and b's shapes. */
export function binaryBackwardProgram(op: Exclude<BinaryKernelOp, 'lhs'>): KernelProgram {
  return memoized(`binaryBackward:${op}`, () =>
    defineProgram({
      name: 'binaryBackward',
      params: { op },
      bindings: [input('dout'), input('a'), input('b'), output('ga'), output('gb')],
      uniforms: broadcastUniforms,
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
${broadcastOffsets}
  let x = a[oa];
  let y = b[ob];
  let g = dout[i];
  ga[i] = ${binaryGrad[op][0]};
  gb[i] = ${binaryGrad[op][1]};
}`,
    }),
  );
}

// GELU uses the tanh approximation (GPT-2); tanh is written with exp and clamped so large |z| stays finite.
const unaryHelpers = `
const GELU_SCALE: f32 = 0.7978845608028654;
fn tanhSafe(z: f32) -> f32 { let e = exp(-2.0 * abs(clamp(z, -30.0, 30.0))); return sign(z) * (1.0 - e) / (1.0 + e); }
fn sigmoid(z: f32) -> f32 { return 1.0 / (1.0 + exp(-z)); }`;

const unaryExpr: Record<UnaryKernelOp, string> = {
  gelu: '0.5 * v * (1.0 + tanhSafe(GELU_SCALE * (v + 0.044715 * v * v * v)))',
  silu: 'v * sigmoid(v)',
  relu: 'max(v, 0.0)',
  exp: 'exp(v)',
  log: 'log(v)',
  neg: '-v',
  scale: 'v * u.alpha',
  clamp: 'clamp(v, u.alpha, u.beta)',
  square: 'v * v',
};

const unaryDerivative: Record<UnaryKernelOp, string> = {
  gelu: `(0.5 * (1.0 + t) + v * 0.5 * (1.0 - t * t) * GELU_SCALE * (1.0 + 3.0 * 0.044715 * v * v))`,
  silu: '(sigmoid(v) * (1.0 + v * (1.0 - sigmoid(v))))',
  relu: 'select(0.0, 1.0, v > 0.0)',
  exp: 'exp(v)',
  log: '(1.0 / v)',
  neg: '-1.0',
  scale: 'u.alpha',
  clamp: 'select(0.0, 1.0, v >= u.alpha && v <= u.beta)',
  square: '(2.0 * v)',
};

/** out = f(x). Uniforms: n, alpha, beta (scale factor / clamp bounds; ignored by other ops). */
export function unaryProgram(op: UnaryKernelOp): KernelProgram {
  return memoized(`unary:${op}`, () =>
    defineProgram({
      name: 'unary',
      params: { op },
      bindings: [input('x'), output('out')],
      uniforms: [...fields('u32', 'n'), ...fields('f32', 'alpha', 'beta')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${unaryHelpers}
${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let v = x[i];
  out[i] = ${unaryExpr[op]};
}`,
    }),
  );
}

/** dx = dout * f'(x). Uniforms as unaryProgram. */
export function unaryBackwardProgram(op: UnaryKernelOp): KernelProgram {
  return memoized(`unaryBackward:${op}`, () =>
    defineProgram({
      name: 'unaryBackward',
      params: { op },
      bindings: [input('dout'), input('x'), output('dx')],
      uniforms: [...fields('u32', 'n'), ...fields('f32', 'alpha', 'beta')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${unaryHelpers}
${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let v = x[i];
  let t = tanhSafe(GELU_SCALE * (v + 0.044715 * v * v * v));
  dx[i] = dout[i] * ${unaryDerivative[op]};
}`,
    }),
  );
}

/** dst += alpha * src. Uniforms: n, alpha. */
export function addInPlaceProgram(): KernelProgram {
  return memoized('addInPlace', () =>
    defineProgram({
      name: 'addInPlace',
      params: {},
      bindings: [output('dst'), input('src')],
      uniforms: [...fields('u32', 'n'), ...fields('f32', 'alpha')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  dst[i] = dst[i] + u.alpha * src[i];
}`,
    }),
  );
}

/** out = value. Uniforms: n, value. */
export function fillProgram(): KernelProgram {
  return memoized('fill', () =>
    defineProgram({
      name: 'fill',
      params: {},
      bindings: [output('out')],
      uniforms: [...fields('u32', 'n'), ...fields('f32', 'value')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  out[i] = u.value;
}`,
    }),
  );
}

/** WGSL twin of `hashU32` in src/tensor/cpu/random.ts (bit-identical). */
export const hashWgsl = `
fn hashU32(seed: u32, index: u32) -> u32 {
  var s = index * 747796405u + seed * 2891336453u + 1u;
  let word = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (word >> 22u) ^ word;
}`;

/**
 * Inverted dropout: out = keep(seed, i) ? x * scale : 0. Uniforms: n, seed, threshold = ceil(p * 2^32)
 * (an integer compare, so CPU and GPU agree bit for bit), scale = 1 / (1 - p).
 */
export function dropoutProgram(): KernelProgram {
  return memoized('dropout', () =>
    defineProgram({
      name: 'dropout',
      params: {},
      bindings: [input('x'), output('out')],
      uniforms: [...fields('u32', 'n', 'seed', 'threshold'), ...fields('f32', 'scale')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${hashWgsl}
${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let keep = hashU32(u.seed, i) >= u.threshold;
  out[i] = select(0.0, x[i] * u.scale, keep);
}`,
    }),
  );
}
