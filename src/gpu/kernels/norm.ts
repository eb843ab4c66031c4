// LayerNorm and RMSNorm over the last axis: forward and dx backward per row, either one workgroup per row
// (tree sums in workgroup memory, real GPUs) or one thread per row (serial loops, vec4 loads when C % 4 == 0,
// SwiftShader; measurements in softmax.ts's header), and weight/bias gradients with one thread per column
// looping over rows (no atomics; the same program in both layouts).

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain, rowMain, rowThreadMain, rowVariant, ROW_WG, workgroupReduce, type RowKernel } from './common.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/** Uniforms: rows, c, eps. Dispatch rowGrid(rows, layout). `vec4` (thread layout, C % 4 == 0) reads vec4 chunks. */
export function layerNormProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`ln|${key}`, () =>
    defineProgram({
      name: 'layerNorm',
      params,
      bindings: [input('x', L.type), input('weight', L.type), input('bias', L.type), output('out', L.type), output('mean'), output('rstd')],
      uniforms: [...fields('u32', 'rows', 'c'), ...fields('f32', 'eps')],
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let c = ${L.count('u.c')};
  let o = row * c;
  var s = ${L.zero};
  for (var i = 0u; i < c; i++) { s += x[o + i]; }
  let m = ${L.hsum('s')} / f32(u.c);
  var q = ${L.zero};
  for (var i = 0u; i < c; i++) { let d = x[o + i] - m; q += d * d; }
  let r = 1.0 / sqrt(${L.hsum('q')} / f32(u.c) + u.eps);
  for (var i = 0u; i < c; i++) { out[o + i] = (x[o + i] - m) * r * weight[i] + bias[i]; }
  mean[row] = m;
  rstd[row] = r;
}`
        : `${workgroupReduce}
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

/** dx per row. Uniforms: rows, c. Dispatch rowGrid(rows, layout). `vec4` as for layerNormProgram. */
export function layerNormBackwardProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`lnb|${key}`, () =>
    defineProgram({
      name: 'layerNormBackward',
      params,
      bindings: [input('dout', L.type), input('x', L.type), input('weight', L.type), input('mean'), input('rstd'), output('dx', L.type)],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let c = ${L.count('u.c')};
  let o = row * c;
  let m = mean[row];
  let r = rstd[row];
  var a = ${L.zero};
  var b = ${L.zero};
  for (var i = 0u; i < c; i++) {
    let dn = weight[i] * dout[o + i];
    a += dn;
    b += dn * (x[o + i] - m) * r;
  }
  let dnMean = ${L.hsum('a')} / f32(u.c);
  let dnNormMean = ${L.hsum('b')} / f32(u.c);
  for (var i = 0u; i < c; i++) {
    let norm = (x[o + i] - m) * r;
    dx[o + i] = (weight[i] * dout[o + i] - dnMean - norm * dnNormMean) * r;
  }
}`
        : `${workgroupReduce}
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

/** Uniforms: rows, c, eps. Dispatch rowGrid(rows, layout). `vec4` as for layerNormProgram. */
export function rmsNormProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`rms|${key}`, () =>
    defineProgram({
      name: 'rmsNorm',
      params,
      bindings: [input('x', L.type), input('weight', L.type), output('out', L.type), output('rstd')],
      uniforms: [...fields('u32', 'rows', 'c'), ...fields('f32', 'eps')],
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let c = ${L.count('u.c')};
  let o = row * c;
  var q = ${L.zero};
  for (var i = 0u; i < c; i++) { q += x[o + i] * x[o + i]; }
  let r = 1.0 / sqrt(${L.hsum('q')} / f32(u.c) + u.eps);
  for (var i = 0u; i < c; i++) { out[o + i] = x[o + i] * r * weight[i]; }
  rstd[row] = r;
}`
        : `${workgroupReduce}
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

/** dx per row. Uniforms: rows, c. Dispatch rowGrid(rows, layout). `vec4` as for layerNormProgram. */
export function rmsNormBackwardProgram(layout: RowKernel = 'workgroup', vec4 = false): KernelProgram {
  const { thread, key, params, wg, L } = rowVariant(layout, vec4);
  return once(`rmsb|${key}`, () =>
    defineProgram({
      name: 'rmsNormBackward',
      params,
      bindings: [input('dout', L.type), input('x', L.type), input('weight', L.type), input('rstd'), output('dx', L.type)],
      uniforms: fields('u32', 'rows', 'c'),
      workgroupSize: wg,
      body: thread
        ? `${rowThreadMain()}
  if (row >= u.rows) { return; }
  let c = ${L.count('u.c')};
  let o = row * c;
  let r = rstd[row];
  var a = ${L.zero};
  for (var i = 0u; i < c; i++) { a += weight[i] * dout[o + i] * x[o + i] * r; }
  let proj = ${L.hsum('a')} / f32(u.c);
  for (var i = 0u; i < c; i++) { dx[o + i] = (weight[i] * dout[o + i] - x[o + i] * r * proj) * r; }
}`
        : `${workgroupReduce}
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
