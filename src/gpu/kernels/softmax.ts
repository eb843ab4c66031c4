// Softmax over the last axis (optionally causal, with the KV-cache offset) and the log-softmax gathered at
// target tokens (per-token log-probabilities for GRPO and cross-entropy), forward and backward.
//
// Row-kernel variants (these kernels and norm.ts), timed by bench/row-kernels.ts in Node on Dawn/SwiftShader
// (2-core CPU, load 3), median of 7-9 reps after a warm-up, layouts interleaved in one run, tiny-preset shapes:
//                                    workgroup  thread scalar       thread vec4 (kept on SwiftShader)
//   causal softmax (32,160,160)      560-656 ms 33 (3-pass), 26 (online)   15 (3-pass), 12-24 (online)
//   causal softmax (32,159,159)      586-604    24-36 (online; n % 4 != 0 keeps the scalar path)
//   softmax (32,160,160)             590-635    49 / 37                    25 / 19-35 (online)
//   softmaxBackward (32,160,160)     372-414    44-54                      23
//   layerNorm 1280x160               150-173    13-15                      7-9
//   layerNormBackward (+fwd, +dW)    310-352    37-40                      32 (dW/dB column pass dominates)
//   rmsNorm 1280x160 / backward      90-118 / 203-224   9-10 / 29-32       7 / 25
//   logProbs 1280x2048               220-231    75 (2-pass)                 32 (online)
//   (matmul 1280x160x640 for scale: 186-210 ms with the default tiling)
//   whole tiny forward, batch 8, 64 image + 96 prompt tokens: 8.9-9.5 s (workgroup) vs 4.7-5.1 s (thread).
// - workgroup: one workgroup of ROW_WG = 64 threads per row, tree reductions in workgroup memory. SwiftShader
//   runs a workgroup's invocations as SIMD lanes on one CPU thread and suspends/resumes them at every barrier,
//   so the ~14 barriers per row cost far more than a 160-column row's arithmetic. Real GPUs run rows in
//   parallel across SMs with cheap barriers, and one thread per row would leave most lanes idle on short
//   batches; the workgroup layout stays the default there (`rowKernelFor` picks 'thread' only for SwiftShader
//   or a fallback adapter). Not re-measured on a real GPU in this round: its code path is unchanged.
// - thread: one thread per row, serial loops, no barriers, no workgroup memory: 10-25x faster on SwiftShader.
// - online softmax (max and rescaled sum in one read, one exp per element via exp(-|x - m|)) beat three
//   passes (max; exp stored and summed; scale in place) by ~20% in both scalar and vec4 forms.
// - vec4 loads (n % 4 == 0, `rowVec4Ok`): another ~2x; the causal mask is applied lane by lane in the chunk
//   holding the last visible column, and chunks past it are zeroed without being read. Other n take the
//   scalar thread path. Causal rows only read their visible prefix, so causal is cheaper than full rows.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain, rowMain, rowThreadMain, rowVariant, ROW_WG, workgroupReduce, type RowKernel } from './common.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/**
 * Uniforms: rows, n (columns), causal (0/1), tq (query rows per block). Query i = row % tq sees column j
 * when j <= i + n - tq; masked entries are exactly 0. Dispatch rowGrid(rows, layout). `vec4` (thread layout,
 * n % 4 == 0, see rowVec4Ok) reads vec4 chunks.
 */
export function softmaxProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, v4, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`sm|${key}`, () =>
    defineProgram({
      name: 'softmax',
      params,
      bindings: [input('x', L.type), output('out', L.type)],
      uniforms: fields('u32', 'rows', 'n', 'causal', 'tq'),
      workgroupSize: wg,
      body: thread ? softmaxThreadBody(v4) : `${workgroupReduce}
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

/**
 * One thread per row, online: max and sum in one read (the sum is rescaled when the max grows; exp(-|d|)
 * serves both cases, so one exp per element), then one write pass. Only the visible prefix is read; with
 * vec4 the chunk holding the last visible column is masked lane by lane, each lane keeps its own max and
 * sum, and the lanes are merged before the write.
 */
function softmaxThreadBody(v4: boolean): string {
  const V = v4 ? 'vec4<f32>' : 'f32';
  const visible = v4 ? 'q * 4u + vec4<u32>(0u, 1u, 2u, 3u) <= vec4<u32>(last)' : 'true';
  const merge = v4
    ? `let m = max(max(m4.x, m4.y), max(m4.z, m4.w));
  let s = dot(s4 * exp(m4 - m), vec4<f32>(1.0));`
    : `let m = m4;
  let s = s4;`;
  return `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let n = ${v4 ? 'u.n / 4u' : 'u.n'};
  let o = row * n;
  let last = select(u.n - 1u, row % u.tq + u.n - u.tq, u.causal == 1u); // last visible column
  let lastq = ${v4 ? 'last / 4u' : 'last'}; // last element (chunk) holding a visible column
  var m4 = ${V}(-3.4e38);
  var s4 = ${V}(0.0);
  for (var q = 0u; q <= lastq; q++) {
    let v = select(${V}(-3.4e38), x[o + q], ${visible});
    let d = v - m4;
    let e = exp(-abs(d));
    s4 = select(s4 + e, s4 * e + 1.0, d > ${V}(0.0));
    m4 = max(m4, v);
  }
  ${merge}
  let inv = 1.0 / s;
  for (var q = 0u; q <= lastq; q++) { out[o + q] = select(${V}(0.0), exp(x[o + q] - m) * inv, ${visible}); }
  for (var q = lastq + 1u; q < n; q++) { out[o + q] = ${V}(0.0); }
}`;
}

/** dx = y * (dout - sum(dout * y)). Uniforms: rows, n. Dispatch rowGrid(rows, layout). `vec4` as for softmaxProgram. */
export function softmaxBackwardProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`smb|${key}`, () =>
    defineProgram({
      name: 'softmaxBackward',
      params,
      bindings: [input('dout', L.type), input('y', L.type), output('dx', L.type)],
      uniforms: fields('u32', 'rows', 'n'),
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let n = ${L.count('u.n')};
  let o = row * n;
  var a = ${L.zero};
  for (var j = 0u; j < n; j++) { a += dout[o + j] * y[o + j]; }
  let proj = ${L.hsum('a')};
  for (var j = 0u; j < n; j++) { dx[o + j] = y[o + j] * (dout[o + j] - proj); }
}`
        : `${workgroupReduce}
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

/**
 * logp = logits[target] - logsumexp(row), lse saved; target < 0 gives 0. Uniforms: rows, v. Dispatch
 * rowGrid(rows, layout). `vec4` (thread layout, v % 4 == 0) reads vec4 chunks. The thread layout uses the
 * online max/sum of softmaxThreadBody.
 */
export function logProbsProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, v4, key, params, wg, L } = rowVariant(layout, vec4);
  const V = L.type;
  const at = v4 ? 'logits[o + tt / 4u][tt % 4u]' : 'logits[o + tt]';
  const merge = v4
    ? `let m = max(max(m4.x, m4.y), max(m4.z, m4.w));
  let l = m + log(dot(s4 * exp(m4 - m), vec4<f32>(1.0)));`
    : 'let l = m4 + log(s4);';
  const gather = `
    lse[row] = l;
    let t = targets[row];
    let tt = min(u32(max(t, 0)), u.v - 1u); // in range even when t is not (the select drops it then)
    logp[row] = select(${at} - l, 0.0, t < 0 || u32(t) >= u.v);`;
  return once(`lp|${key}`, () =>
    defineProgram({
      name: 'logProbs',
      params,
      bindings: [input('logits', V), input('targets', 'i32'), output('logp'), output('lse')],
      uniforms: fields('u32', 'rows', 'v'),
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let n = ${L.count('u.v')};
  let o = row * n;
  var m4 = ${V}(-3.4e38);
  var s4 = ${V}(0.0);
  for (var q = 0u; q < n; q++) {
    let x = logits[o + q];
    let d = x - m4;
    let e = exp(-abs(d));
    s4 = select(s4 + e, s4 * e + 1.0, d > ${V}(0.0));
    m4 = max(m4, x);
  }
  ${merge}${gather}
}`
        : `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.v;
  var mx = -3.4e38;
  for (var j = lid; j < u.v; j += ${ROW_WG}u) { mx = max(mx, logits[o + j]); }
  let m = wgMax(mx, lid);
  var s = 0.0;
  for (var j = lid; j < u.v; j += ${ROW_WG}u) { s += exp(logits[o + j] - m); }
  let l = m + log(wgSum(s, lid));
  if (lid == 0u) {${gather}
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
