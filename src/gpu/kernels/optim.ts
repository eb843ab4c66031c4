// Optimizer kernels: squared-norm partial sums (global gradient norm for clipping, never read back) and the
// AdamW update, which reads the squared norm from GPU memory and applies the clip factor itself.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain, ROW_WG, workgroupReduce } from './common.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/** partials[slot] = sum(x^2) with one workgroup. Uniforms: n, slot. Dispatch [1]. */
export function sumSquaresProgram(): KernelProgram {
  return once('ss', () =>
    defineProgram({
      name: 'sumSquares',
      params: {},
      bindings: [input('x'), output('partials')],
      uniforms: fields('u32', 'n', 'slot'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
@entry
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < u.n; i += ${ROW_WG}u) { s += x[i] * x[i]; }
  let t = wgSum(s, lid);
  if (lid == 0u) { partials[u.slot] = t; }
}`,
    }),
  );
}

/** out[0] = sum(partials[0..n)). Uniforms: n. Dispatch [1]. */
export function sumPartialsProgram(): KernelProgram {
  return once('sp', () =>
    defineProgram({
      name: 'sumPartials',
      params: {},
      bindings: [input('partials'), output('out')],
      uniforms: fields('u32', 'n'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
@entry
fn main(@builtin(local_invocation_index) lid: u32) {
  var s = 0.0;
  for (var i = lid; i < u.n; i += ${ROW_WG}u) { s += partials[i]; }
  let t = wgSum(s, lid);
  if (lid == 0u) { out[0] = t; }
}`,
    }),
  );
}

/**
 * AdamW in place. Uniforms: n, useClip (0/1), lr, beta1, beta2, eps, weightDecay, bc1 = 1 - beta1^t,
 * bc2 = 1 - beta2^t, maxNorm. normSq[0] holds the global squared gradient norm when useClip is 1.
 */
export function adamwProgram(): KernelProgram {
  return once('adamw', () =>
    defineProgram({
      name: 'adamw',
      params: {},
      bindings: [output('param'), input('grad'), output('m'), output('v'), input('normSq')],
      uniforms: [...fields('u32', 'n', 'useClip'), ...fields('f32', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'bc1', 'bc2', 'maxNorm')],
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  var scale = 1.0;
  if (u.useClip == 1u && u.maxNorm > 0.0) {
    let norm = sqrt(normSq[0]);
    if (norm > u.maxNorm) { scale = u.maxNorm / (norm + 1e-6); }
  }
  let g = grad[i] * scale;
  let mi = u.beta1 * m[i] + (1.0 - u.beta1) * g;
  let vi = u.beta2 * v[i] + (1.0 - u.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let p = param[i];
  param[i] = p - u.lr * ((mi / u.bc1) / (sqrt(vi / u.bc2) + u.eps) + u.weightDecay * p);
}`,
    }),
  );
}
