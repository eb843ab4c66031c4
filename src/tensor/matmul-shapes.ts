// Shape rules of the batched matmul shared by both backends: which dims are M, N, K, the batch, and the
// batch strides (0 when one operand is 2D and shared across the batch).

import type { MatmulDims } from './cpu/matmul.ts';
import { sizeOf, shapesEqual, type Shape } from './shape.ts';

export function matmulShapes(aShape: Shape, bShape: Shape, opts: { transA?: boolean; transB?: boolean }): { dims: MatmulDims; outShape: number[] } {
  const transA = opts.transA ?? false, transB = opts.transB ?? false;
  const fail = (why: string) => new Error(`matmul [${aShape.join(', ')}]${transA ? 'ᵀ' : ''} @ [${bShape.join(', ')}]${transB ? 'ᵀ' : ''}: ${why}`);
  if (aShape.length < 2 || bShape.length < 2) throw fail('operands need rank >= 2');
  const ra = aShape.length, rb = bShape.length;
  const m = transA ? aShape[ra - 1] : aShape[ra - 2];
  const ka = transA ? aShape[ra - 2] : aShape[ra - 1];
  const kb = transB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transB ? bShape[rb - 2] : bShape[rb - 1];
  if (ka !== kb) throw fail(`inner dimensions ${ka} and ${kb} differ`);
  const batchA = aShape.slice(0, -2), batchB = bShape.slice(0, -2);
  let batchShape: Shape;
  if (batchB.length === 0) batchShape = batchA;
  else if (batchA.length === 0) batchShape = batchB;
  else if (shapesEqual(batchA, batchB)) batchShape = batchA;
  else throw fail('batch dimensions differ (only equal batches or a 2D operand are supported)');
  const batch = sizeOf(batchShape);
  return {
    dims: {
      batch, m, n, k: ka, transA, transB,
      strideA: batchA.length === 0 ? 0 : m * ka,
      strideB: batchB.length === 0 ? 0 : ka * n,
    },
    outShape: [...batchShape, m, n],
  };
}
