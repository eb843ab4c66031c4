// Rotary position embedding on the GPU, the twin of src/tensor/cpu/rope.ts: one thread per rotated pair.
// The same program runs backward with sign = -1 (the inverse rotation).

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { FLAT_WG, flatMain } from './common.ts';

let program: KernelProgram | null = null;

/** Uniforms: pairs (= size / 2), t, d, offset, base, sign. Dispatch grid(pairs, FLAT_WG). */
export function ropeProgram(): KernelProgram {
  program ??= defineProgram({
    name: 'rope',
    params: {},
    bindings: [input('x'), output('out')],
    uniforms: [...fields('u32', 'pairs', 't', 'd', 'offset'), ...fields('f32', 'base', 'sign')],
    workgroupSize: [FLAT_WG, 1, 1],
    body: `${flatMain(FLAT_WG)}
  if (i >= u.pairs) { return; }
  let half = u.d / 2u;
  let row = i / half;          // index over (..., T)
  let k = i % half;
  let pos = f32(u.offset + row % u.t);
  let angle = pos * pow(u.base, -2.0 * f32(k) / f32(u.d));
  let c = cos(angle);
  let s = u.sign * sin(angle);
  let o = row * u.d;
  let x1 = x[o + k];
  let x2 = x[o + k + half];
  out[o + k] = x1 * c - x2 * s;
  out[o + k + half] = x2 * c + x1 * s;
}`,
  });
  return program;
}
