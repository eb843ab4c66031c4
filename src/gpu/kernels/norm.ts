// LayerNorm and RMSNorm over the last axis: forward and dx backward with one workgroup per row (tree sums in
// workgroup memory), weight/bias gradients with one thread per column looping over rows (no atomics).

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain, rowMain, ROW_WG, workgroupReduce } from './common.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/** Uniforms: rows, c, eps. Dispatch grid(rows, 1). */
export function layerNormProgram(): KernelProgram {
  return once('ln', () =>
    defineProgram({
      name: 'layerNorm',
      params: {},
      bindings: [input('x'), input('weight'), input('bias'), output('out'), output('mean'), output('rstd')],
      uniforms: [...fields('u32', 'rows', 'c'), ...fields('f32', 'eps')],
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.c;
  var s = 0.0;
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { s += x[o + i]; }
  let m = wgSum(s, lid) / f32(u.c);
  var q = 0.0;
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { let d = x[o + i] - m; q += d * d; }
  let r = 1.0 / sqrt(wgSum(q, lid) / f32(u.c) + u.eps);
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { out[o + i] = (x[o + i] - m) * r * weight[i] + bias[i]; }
  if (lid == 0u) { mean[row] = m; rstd[row] = r; }
}`,
    }),
  );
}

/** dx per row. Uniforms: rows, c. Dispatch grid(rows, 1). */
export function layerNormBackwardProgram(): KernelProgram {
  return once('lnb', () =>
    defineProgram({
      name: 'layerNormBackward',
      params: {},
      bindings: [input('dout'), input('x'), input('weight'), input('mean'), input('rstd'), output('dx')],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.c;
  let m = mean[row];
  let r = rstd[row];
  var a = 0.0;
  var b = 0.0;
  for (var i = lid; i < u.c; i += ${ROW_WG}u) {
    let dn = weight[i] * dout[o + i];
    a += dn;
    b += dn * (x[o + i] - m) * r;
  }
  let dnMean = wgSum(a, lid) / f32(u.c);
  let dnNormMean = wgSum(b, lid) / f32(u.c);
  for (var i = lid; i < u.c; i += ${ROW_WG}u) {
    let norm = (x[o + i] - m) * r;
    dx[o + i] = (weight[i] * dout[o + i] - dnMean - norm * dnNormMean) * r;
  }
}`,
    }),
  );
}

/** dweight, dbias (C): one thread per column. Uniforms: rows, c. Dispatch grid(c, FLAT_WG). */
export function layerNormParamGradProgram(): KernelProgram {
  return once('lnp', () =>
    defineProgram({
      name: 'layerNormParamGrad',
      params: {},
      bindings: [input('dout'), input('x'), input('mean'), input('rstd'), output('dweight'), output('dbias')],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.c) { return; }
  var dw = 0.0;
  var db = 0.0;
  for (var r = 0u; r < u.rows; r++) {
    let g = dout[r * u.c + i];
    dw += g * (x[r * u.c + i] - mean[r]) * rstd[r];
    db += g;
  }
  dweight[i] = dw;
  dbias[i] = db;
}`,
    }),
  );
}

/** Uniforms: rows, c, eps. Dispatch grid(rows, 1). */
export function rmsNormProgram(): KernelProgram {
  return once('rms', () =>
    defineProgram({
      name: 'rmsNorm',
      params: {},
      bindings: [input('x'), input('weight'), output('out'), output('rstd')],
      uniforms: [...fields('u32', 'rows', 'c'), ...fields('f32', 'eps')],
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.c;
  var q = 0.0;
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { q += x[o + i] * x[o + i]; }
  let r = 1.0 / sqrt(wgSum(q, lid) / f32(u.c) + u.eps);
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { out[o + i] = x[o + i] * r * weight[i]; }
  if (lid == 0u) { rstd[row] = r; }
}`,
    }),
  );
}

/** dx per row. Uniforms: rows, c. Dispatch grid(rows, 1). */
export function rmsNormBackwardProgram(): KernelProgram {
  return once('rmsb', () =>
    defineProgram({
      name: 'rmsNormBackward',
      params: {},
      bindings: [input('dout'), input('x'), input('weight'), input('rstd'), output('dx')],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
${rowMain()}
  if (row >= u.rows) { return; }
  let o = row * u.c;
  let r = rstd[row];
  var a = 0.0;
  for (var i = lid; i < u.c; i += ${ROW_WG}u) { a += weight[i] * dout[o + i] * x[o + i] * r; }
  let dot = wgSum(a, lid) / f32(u.c);
  for (var i = lid; i < u.c; i += ${ROW_WG}u) {
    dx[o + i] = (weight[i] * dout[o + i] - x[o + i] * r * dot) * r;
  }
}`,
    }),
  );
}

/** dweight (C): one thread per column. Uniforms: rows, c. Dispatch grid(c, FLAT_WG). */
export function rmsNormParamGradProgram(): KernelProgram {
  return once('rmsp', () =>
    defineProgram({
      name: 'rmsNormParamGrad',
      params: {},
      bindings: [input('dout'), input('x'), input('rstd'), output('dweight')],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.c) { return; }
  var dw = 0.0;
  for (var r = 0u; r < u.rows; r++) { dw += dout[r * u.c + i] * x[r * u.c + i] * rstd[r]; }
  dweight[i] = dw;
}`,
    }),
  );
}
