// Reference batched matmul, forward and backward, as plain loops (llm.c style). The oracle for the WGSL
// generator in src/gpu/kernels/matmul.ts. Batch strides in elements; 0 broadcasts an operand.

import type { Floats } from './floats.ts';

/** Dimensions and layout of one batched matmul C[z] = op(A[z]) @ op(B[z]). */
export interface MatmulDims {
  batch: number;
  m: number;
  n: number;
  k: number;
  /** A stored (K, M) per batch. */
  transA: boolean;
  /** B stored (N, K) per batch. */
  transB: boolean;
  /** Elements between consecutive A matrices; 0 shares one A across the batch. */
  strideA: number;
  /** Elements between consecutive B matrices; 0 shares one B across the batch. */
  strideB: number;
}

// out (batch, M, N), a (batch, M, K) or (batch, K, M), b (batch, K, N) or (batch, N, K)
export function matmulForward(out: Floats, a: Floats, b: Floats, d: MatmulDims): void {
  const { batch, m, n, k, transA, transB, strideA, strideB } = d;
  for (let z = 0; z < batch; z++) {
    const ao = z * strideA, bo = z * strideB, co = z * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += a[ao + (transA ? p * m + i : i * k + p)] * b[bo + (transB ? j * k + p : p * n + j)];
        }
        out[co + i * n + j] = s;
      }
    }
  }
}

// dout (batch, M, N); da, db shaped like a, b; gradients accumulate (+=) so broadcast operands sum over z.
export function matmulBackward(da: Floats, db: Floats, dout: Floats, a: Floats, b: Floats, d: MatmulDims): void {
  const { batch, m, n, k, transA, transB, strideA, strideB } = d;
  for (let z = 0; z < batch; z++) {
    const ao = z * strideA, bo = z * strideB, co = z * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const g = dout[co + i * n + j];
        for (let p = 0; p < k; p++) {
          const ai = ao + (transA ? p * m + i : i * k + p);
          const bi = bo + (transB ? j * k + p : p * n + j);
          da[ai] += g * b[bi];
          db[bi] += g * a[ai];
        }
      }
    }
  }
}
