// Data movement kernels: embedding gather and its scatter-add backward, axis permutation, and the axis copy
// behind slice / concat / slice backward. Copies move u32 words, so they serve f32 and i32 tensors alike.

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { dimNames, FLAT_WG, flatMain } from './common.ts';
import { RANK } from './elementwise.ts';

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/** out[t, c] = table[ids[t], c]; ids outside [0, vocab) give zeros. Uniforms: n (= N * C), c, vocab. */
export function embeddingProgram(): KernelProgram {
  return once('emb', () =>
    defineProgram({
      name: 'embedding',
      params: {},
      bindings: [input('ids', 'i32'), input('table'), output('out')],
      uniforms: fields('u32', 'n', 'c', 'vocab'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let id = ids[i / u.c];
  let ok = id >= 0 && u32(id) < u.vocab;
  out[i] = select(0.0, table[u32(max(id, 0)) * u.c + i % u.c], ok);
}`,
    }),
  );
}

/**
 * dtable[ids[t], c] += dout[t, c]: one thread per column c walks all tokens in order, so there are no races
 * and the sum order is deterministic. dtable must start zeroed. Uniforms: tokens, c, vocab. Dispatch grid(c).
 */
export function embeddingBackwardProgram(): KernelProgram {
  return once('embb', () =>
    defineProgram({
      name: 'embeddingBackward',
      params: {},
      bindings: [input('dout'), input('ids', 'i32'), output('dtable')],
      uniforms: fields('u32', 'tokens', 'c', 'vocab'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.c) { return; }
  for (var t = 0u; t < u.tokens; t++) {
    let id = ids[t];
    if (id >= 0 && u32(id) < u.vocab) {
      let k = u32(id) * u.c + i;
      dtable[k] = dtable[k] + dout[t * u.c + i];
    }
  }
}`,
    }),
  );
}

/** out[i] = x[offset of out coordinates under the permutation]. Uniforms: n, d0..d5 (out dims), s0..s5 (x strides per out axis). */
export function transposeProgram(): KernelProgram {
  return once('tr', () =>
    defineProgram({
      name: 'transpose',
      params: {},
      bindings: [input('x', 'u32'), output('out', 'u32')],
      uniforms: fields('u32', 'n', ...dimNames('d', RANK), ...dimNames('s', RANK)),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  var rem = i;
  var off = 0u;
${[5, 4, 3, 2, 1, 0].map((d) => `  { let c = rem % u.d${d}; rem = rem / u.d${d}; off += c * u.s${d}; }`).join('\n')}
  out[i] = x[off];
}`,
    }),
  );
}

/**
 * dst[o, dstStart + a, k] = src[o, srcStart + a, k] for a < count over (outer, len, inner) views.
 * Uniforms: n (= outer * count * inner), count, inner, srcLen, srcStart, dstLen, dstStart.
 */
export function axisCopyProgram(): KernelProgram {
  return once('ac', () =>
    defineProgram({
      name: 'axisCopy',
      params: {},
      bindings: [input('src', 'u32'), output('dst', 'u32')],
      uniforms: fields('u32', 'n', 'count', 'inner', 'srcLen', 'srcStart', 'dstLen', 'dstStart'),
      workgroupSize: [FLAT_WG, 1, 1],
      body: `${flatMain(FLAT_WG)}
  if (i >= u.n) { return; }
  let k = i % u.inner;
  let a = (i / u.inner) % u.count;
  let o = i / (u.inner * u.count);
  dst[(o * u.dstLen + u.dstStart + a) * u.inner + k] = src[(o * u.srcLen + u.srcStart + a) * u.inner + k];
}`,
    }),
  );
}
