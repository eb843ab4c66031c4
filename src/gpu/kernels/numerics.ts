// NaN/Inf detection on the GPU without a readback per op: each checked op's output is scanned and the
// smallest op sequence number with a non-finite value is kept in one atomic word, read at the next sync.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain } from './common.ts';

/** The flag's value when every checked output was finite. */
export const ALL_FINITE = 0xffffffff;

let program: KernelProgram | null = null;

/** flag[0] = min(flag[0], opId) if any x[i] is NaN or Inf. Uniforms: n, opId. Dispatch grid(n, FLAT_WG). */
export function checkFiniteProgram(): KernelProgram {
  program ??= defineProgram({
    name: 'checkFinite',
    params: {},
    bindings: [input('x', 'u32'), output('flag', 'atomic<u32>')],
    uniforms: fields('u32', 'n', 'opId'),
    workgroupSize: [FLAT_WG, 1, 1],
    body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  // Exponent bits all ones means Inf or NaN (WGSL has no isnan/isinf).
  if ((x[i] & 0x7f800000u) == 0x7f800000u) { atomicMin(&flag[0], u.opId); }
}`,
  });
  return program;
}
