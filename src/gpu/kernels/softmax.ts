// Softmax over the last axis (optionally causal, with the KV-cache offset) and the log-softmax gathered at
// target tokens (per-token log-probabilities for GRPO and cross-entropy), forward and backward.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain, rowMain, ROW_WG, workgroupReduce } from './common.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/**
 * Uniforms: rows, n (columns), causal (0/1), tq (query rows per block). Query i = row % tq sees column j
 * when j <= i + n - tq; masked entries are exactly 0. Dispatch grid(rows, 1).
 */
export function softmaxProgram(): KernelProgram {
  return once('sm', () =>
    defineProgram({
      name: 'softmax',
      params: {},
      bindings: [input('x'), output('out')],
      uniforms: fields('u32', 'rows', 'n', 'causal', 'tq'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.n;
  let last = select(u.n - 1u, row % u.tq + u.n - u.tq, u.causal == 1u); // last visible column
  var mx = -3.4e38;
  for (var j = lid; j <= last; j += ${ROW_WG}u) { mx = max(mx, x[o + j]); }
  let m = wgMax(mx, lid);
  var s = 0.0;
  for (var j = lid; j <= last; j += ${ROW_WG}u) { s += exp(x[o + j] - m); }
  let inv = 1.0 / wgSum(s, lid);
  for (var j = lid; j < u.n; j += ${ROW_WG}u) { out[o + j] = select(0.0, exp(x[o + j] - m) * inv, j <= last); }
}`,
    }),
  );
}

/** dx = y * (dout - sum(dout * y)). Uniforms: rows, n. Dispatch grid(rows, 1). */
export function softmaxBackwardProgram(): KernelProgram {
  return once('smb', () =>
    defineProgram({
      name: 'softmaxBackward',
      params: {},
      bindings: [input('dout'), input('y'), output('dx')],
      uniforms: fields('u32', 'rows', 'n'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.n;
  var s = 0.0;
  for (var j = lid; j < u.n; j += ${ROW_WG}u) { s += dout[o + j] * y[o + j]; }
  let dot = wgSum(s, lid);
  for (var j = lid; j < u.n; j += ${ROW_WG}u) { dx[o + j] = y[o + j] * (dout[o + j] - dot); }
}`,
    }),
  );
}

/** logp = logits[target] - logsumexp(row), lse saved; target < 0 gives 0. Uniforms: rows, v. Dispatch grid(rows, 1). */
export function logProbsProgram(): KernelProgram {
  return once('lp', () =>
    defineProgram({
      name: 'logProbs',
      params: {},
      bindings: [input('logits'), input('targets', 'i32'), output('logp'), output('lse')],
      uniforms: fields('u32', 'rows', 'v'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.v;
  var mx = -3.4e38;
  for (var j = lid; j < u.v; j += ${ROW_WG}u) { mx = max(mx, logits[o + j]); }
  let m = wgMax(mx, lid);
  var s = 0.0;
  for (var j = lid; j < u.v; j += ${ROW_WG}u) { s += exp(logits[o + j] - m); }
  let l = m + log(wgSum(s, lid));
  if (lid == 0u) {
    lse[row] = l;
    let t = targets[row];
    logp[row] = select(logits[o + u32(max(t, 0))] - l, 0.0, t < 0 || u32(t) >= u.v);
  }
}`,
    }),
  );
}

/** dlogits[r, j] = dlogp[r] * ([j == t] - softmax). Uniforms: n (= rows * v), v. Dispatch grid(n, FLAT_WG). */
export function logProbsBackwardProgram(): KernelProgram {
  return once('lpb', () =>
    defineProgram({
      name: 'logProbsBackward',
      params: {},
      bindings: [input('dlogp'), input('logits'), input('targets', 'i32'), input('lse'), output('dlogits')],
      uniforms: fields('u32', 'n', 'v'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let r = i / u.v;
  let j = i % u.v;
  let t = targets[r];
  let onehot = select(0.0, 1.0, t >= 0 && u32(t) == j);
  dlogits[i] = select(dlogp[r] * (onehot - exp(logits[i] - lse[r])), 0.0, t < 0);
}`,
    }),
  );
}
