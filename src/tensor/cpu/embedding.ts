// Reference embedding lookup (rows of a table by token id) and its backward, a scatter-add into the table.

import type { Floats } from './floats.ts';

// out (N, C), ids (N), table (V, C)
export function embeddingForward(out: Floats, ids: Int32Array, table: Floats, n: number, c: number, vocab: number): void {
  for (let t = 0; t < n; t++) {
    const id = ids[t];
    if (id < 0 || id >= vocab) throw new Error(`embedding: id ${id} at position ${t} outside vocabulary of ${vocab}`);
    for (let i = 0; i < c; i++) out[t * c + i] = table[id * c + i];
  }
}

// dtable (V, C) accumulate (+=); dout (N, C), ids (N)
export function embeddingBackward(dtable: Floats, dout: Floats, ids: Int32Array, n: number, c: number): void {
  for (let t = 0; t < n; t++) {
    const id = ids[t];
    for (let i = 0; i < c; i++) dtable[id * c + i] += dout[t * c + i];
  }
}
