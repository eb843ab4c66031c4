// Batched matmul on the CPU, forward and backward. Every product goes through one kernel, `gemmAccumulate`,
// whose loops are ordered so the innermost one walks memory contiguously (a dot of two rows, or a row
// update): the textbook i-j-p loop strides through B by N floats per step and ran 5-10x slower, and the CPU
// backend trains whole policies in Node tests, the CLI and browsers without WebGPU. `matmulForwardNaive` keeps
// the obvious loop as the oracle the fast path is tested against. Batch strides in elements; 0 broadcasts.

import { alike, type Floats } from './floats.ts';

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

/**
 * C[co..] (m, n) += op(A[ao..]) @ op(B[bo..]) where op(A) is (m, k) and op(B) is (k, n); aT: A stored (k, m),
 * bT: B stored (n, k). Sums in f32 like the GPU kernels, so the two backends agree to rounding.
 */
export function gemmAccumulate(
  c: Floats, co: number, a: Floats, ao: number, b: Floats, bo: number,
  m: number, n: number, k: number, aT: boolean, bT: boolean,
): void {
  if (!aT && bT) {
    // C[i][j] += dot(A row i, B row j): both rows contiguous.
    // Four columns per pass: each A element is loaded once for four products.
    const n4 = n - (n % 4);
    for (let i = 0; i < m; i++) {
      const ai = ao + i * k, ci = co + i * n;
      for (let j = 0; j < n4; j += 4) {
        const b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0; p < k; p++) {
          const x = a[ai + p];
          s0 += x * b[b0 + p];
          s1 += x * b[b1 + p];
          s2 += x * b[b2 + p];
          s3 += x * b[b3 + p];
        }
        c[ci + j] += s0;
        c[ci + j + 1] += s1;
        c[ci + j + 2] += s2;
        c[ci + j + 3] += s3;
      }
      for (let j = n4; j < n; j++) {
        const bj = bo + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[ci + j] += s;
      }
    }
    return;
  }
  if (aT && bT) {
    // Rare (no op of the policy asks for it): lay B out as (k, n) and take the row-update path.
    const t = alike(b, k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) t[p * n + j] = b[bo + j * k + p];
    gemmAccumulate(c, co, a, ao, t, 0, m, n, k, true, false);
    return;
  }
  // Row updates: C row i += A[i][p] * (B row p), B and C rows contiguous.
  // Four rows of B per pass: each C element is loaded and stored once for four products.
  const k4 = k - (k % 4);
  const as = aT ? m : 1, ar = aT ? 1 : k;
  for (let i = 0; i < m; i++) {
    const ci = co + i * n, ai = ao + i * ar;
    for (let p = 0; p < k4; p += 4) {
      const x0 = a[ai + p * as], x1 = a[ai + (p + 1) * as], x2 = a[ai + (p + 2) * as], x3 = a[ai + (p + 3) * as];
      const b0 = bo + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
    for (let p = k4; p < k; p++) {
      const x = a[ai + p * as], bp = bo + p * n;
      for (let j = 0; j < n; j++) c[ci + j] += x * b[bp + j];
    }
  }
}

// out (batch, M, N), a (batch, M, K) or (batch, K, M), b (batch, K, N) or (batch, N, K)
export function matmulForward(out: Floats, a: Floats, b: Floats, d: MatmulDims): void {
  const { batch, m, n, k, transA, transB, strideA, strideB } = d;
  out.fill(0, 0, batch * m * n);
  for (let z = 0; z < batch; z++) gemmAccumulate(out, z * m * n, a, z * strideA, b, z * strideB, m, n, k, transA, transB);
}

// dout (batch, M, N); da, db shaped like a, b; gradients accumulate (+=) so broadcast operands sum over z.
export function matmulBackward(da: Floats, db: Floats, dout: Floats, a: Floats, b: Floats, d: MatmulDims): void {
  const { batch, m, n, k, transA, transB, strideA, strideB } = d;
  for (let z = 0; z < batch; z++) {
    const ao = z * strideA, bo = z * strideB, co = z * m * n;
    // dA = dC op(B)^T, stored as A is: (m, k), or its transpose op(B) dC^T (k, m) when A is stored (k, m).
    if (!transA) gemmAccumulate(da, ao, dout, co, b, bo, m, k, n, false, !transB);
    else gemmAccumulate(da, ao, b, bo, dout, co, k, m, n, transB, true);
    // dB = op(A)^T dC, stored as B is: (k, n), or its transpose dC^T op(A) (n, k) when B is stored (n, k).
    if (!transB) gemmAccumulate(db, bo, a, ao, dout, co, k, n, m, !transA, false);
    else gemmAccumulate(db, bo, dout, co, a, ao, n, k, m, true, transA);
  }
}

/** The obvious triple loop: the oracle `matmulForward` is tested against (cpu/matmul.test.ts). */
export function matmulForwardNaive(out: Floats, a: Floats, b: Floats, d: MatmulDims): void {
  const { batch, m, n, k, transA, transB, strideA, strideB } = d;
  for (let z = 0; z < batch; z++) {
    const ao = z * strideA, bo = z * strideB, co = z * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + (transA ? p * m + i : i * k + p)] * b[bo + (transB ? j * k + p : p * n + j)];
        out[co + i * n + j] = s;
      }
    }
  }
}

/** The obvious backward loop, the oracle for `matmulBackward`. */
export function matmulBackwardNaive(da: Floats, db: Floats, dout: Floats, a: Floats, b: Floats, d: MatmulDims): void {
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
