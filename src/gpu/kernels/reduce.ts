// Sum of a tensor down to a broadcast-compatible shape: one workgroup per output element, threads striding
// over the reduced elements, then a workgroup tree sum. Covers sum over any axes, full sums, and the
// backward of every broadcast.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { dimNames, rowMain, ROW_WG, workgroupReduce } from './common.ts';
import { RANK } from './elementwise.ts';

let program: KernelProgram | null = null;

/**
 * Uniforms: nOut, nRed; od0..od5 = kept sizes (the output dim, or 1 where reduced); rd0..rd5 = reduced
 * sizes (the input dim where reduced, else 1); st0..st5 = input strides. Dispatch grid(nOut, 1).
 */
export function sumToShapeProgram(): KernelProgram {
  program ??= defineProgram({
    name: 'sumToShape',
    params: {},
    bindings: [input('x'), output('out')],
    uniforms: fields('u32', 'nOut', 'nRed', ...dimNames('od', RANK), ...dimNames('rd', RANK), ...dimNames('st', RANK)),
    workgroupSize: [ROW_WG, 1, 1],
    body: `${workgroupReduce}
${rowMain()}
  if (row >= u.nOut) { return; }
  var remO = row;
  var base = 0u;
${[5, 4, 3, 2, 1, 0].map((d) => `  { let c = remO % u.od${d}; remO = remO / u.od${d}; base += c * u.st${d}; }`).join('\n')}
  var s = 0.0;
  for (var r = lid; r < u.nRed; r += ${ROW_WG}u) {
    var rem = r;
    var off = base;
${[5, 4, 3, 2, 1, 0].map((d) => `    { let c = rem % u.rd${d}; rem = rem / u.rd${d}; off += c * u.st${d}; }`).join('\n')}
    s += x[off];
  }
  let total = wgSum(s, lid);
  if (lid == 0u) { out[row] = total; }
}`,
  });
  return program;
}
