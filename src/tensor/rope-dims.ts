// Shape check shared by both backends' rope: x is (..., T, D) with D even.

import type { Tensor } from './tensor.ts';

export function ropeDims(x: Tensor): [number, number] {
  const d = x.shape[x.rank - 1], t = x.shape[x.rank - 2];
  if (x.rank < 2 || d % 2 !== 0) throw new Error(`rope: needs (..., T, D) with D even, got [${x.shape.join(', ')}]`);
  return [t, d];
}
