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
    dotBlocks(c, co, a, ao, b, bo, m, n, k);
    return;
  }
  if (aT && bT) {
    // Rare (no op of the policy asks for it): lay B out as (k, n) and take the row-update path.
    const t = alike(b, k * n);
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) t[p * n + j] = b[bo + j * k + p];
    gemmAccumulate(c, co, a, ao, t, 0, m, n, k, true, false);
    return;
  }
  rowUpdates(c, co, a, ao, b, bo, m, n, k, aT);
}

// C[i][j] += dot(A row i, B row j), A (m, k) and B (n, k): both rows contiguous. A 4x4 block of C per pass
// loads 8 floats for 16 products (one row at a time loaded 5 for 4), about 1.3-1.5x faster in V8 (bench/
// cpu-gemm.ts). Every C element still sums its k products in order, so results are bit-identical.
function dotBlocks(c: Floats, co: number, a: Floats, ao: number, b: Floats, bo: number, m: number, n: number, k: number): void {
  const m4 = m - (m % 4), n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    const c0 = co + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      for (let p = 0; p < k; p++) {
        const u0 = b[b0 + p], u1 = b[b1 + p], u2 = b[b2 + p], u3 = b[b3 + p];
        const x = a[a0 + p], y = a[a1 + p], z = a[a2 + p], w = a[a3 + p];
        s00 += x * u0; s01 += x * u1; s02 += x * u2; s03 += x * u3;
        s10 += y * u0; s11 += y * u1; s12 += y * u2; s13 += y * u3;
        s20 += z * u0; s21 += z * u1; s22 += z * u2; s23 += z * u3;
        s30 += w * u0; s31 += w * u1; s32 += w * u2; s33 += w * u3;
      }
      c[c0 + j] += s00; c[c0 + j + 1] += s01; c[c0 + j + 2] += s02; c[c0 + j + 3] += s03;
      c[c1 + j] += s10; c[c1 + j + 1] += s11; c[c1 + j + 2] += s12; c[c1 + j + 3] += s13;
      c[c2 + j] += s20; c[c2 + j + 1] += s21; c[c2 + j + 2] += s22; c[c2 + j + 3] += s23;
      c[c3 + j] += s30; c[c3 + j + 1] += s31; c[c3 + j + 2] += s32; c[c3 + j + 3] += s33;
    }
    for (let j = n4; j < n; j++) {
      const bj = bo + j * k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const u = b[bj + p];
        s0 += a[a0 + p] * u; s1 += a[a1 + p] * u; s2 += a[a2 + p] * u; s3 += a[a3 + p] * u;
      }
      c[c0 + j] += s0; c[c1 + j] += s1; c[c2 + j] += s2; c[c3 + j] += s3;
    }
  }
  for (let i = m4; i < m; i++) {
    const ai = ao + i * k, ci = co + i * n;
    for (let j = 0; j < n; j++) {
      const bj = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
      c[ci + j] += s;
    }
  }
}

// C row i += A[i][p] * (B row p), B (k, n): B and C rows contiguous; A (m, k), or (k, m) when aT. Four rows of
// C take four rows of B per pass: each B element loaded serves four rows, each C element is loaded and stored
// once per four products (1.9-2.4x over one row at a time). The four-term sums keep the grouping of the
// one-row loop, so every row, blocked or left over, rounds exactly as before.
function rowUpdates(
  c: Floats, co: number, a: Floats, ao: number, b: Floats, bo: number, m: number, n: number, k: number, aT: boolean,
): void {
  const k4 = k - (k % 4), m4 = m - (m % 4);
  const as = aT ? m : 1, ar = aT ? 1 : k;
  for (let i = 0; i < m4; i += 4) {
    const c0 = co + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = ao + i * ar, a1 = a0 + ar, a2 = a1 + ar, a3 = a2 + ar;
    for (let p = 0; p < k4; p += 4) {
      const p0 = p * as, p1 = p0 + as, p2 = p1 + as, p3 = p2 + as;
      const x0 = a[a0 + p0], x1 = a[a0 + p1], x2 = a[a0 + p2], x3 = a[a0 + p3];
      const y0 = a[a1 + p0], y1 = a[a1 + p1], y2 = a[a1 + p2], y3 = a[a1 + p3];
      const z0 = a[a2 + p0], z1 = a[a2 + p1], z2 = a[a2 + p2], z3 = a[a2 + p3];
      const w0 = a[a3 + p0], w1 = a[a3 + p1], w2 = a[a3 + p2], w3 = a[a3 + p3];
      const b0 = bo + p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) {
        const u0 = b[b0 + j], u1 = b[b1 + j], u2 = b[b2 + j], u3 = b[b3 + j];
        c[c0 + j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
        c[c1 + j] += y0 * u0 + y1 * u1 + y2 * u2 + y3 * u3;
        c[c2 + j] += z0 * u0 + z1 * u1 + z2 * u2 + z3 * u3;
        c[c3 + j] += w0 * u0 + w1 * u1 + w2 * u2 + w3 * u3;
      }
    }
    for (let p = k4; p < k; p++) {
      const x = a[a0 + p * as], y = a[a1 + p * as], z = a[a2 + p * as], w = a[a3 + p * as], bp = bo + p * n;
      for (let j = 0; j < n; j++) {
        const u = b[bp + j];
        c[c0 + j] += x * u; c[c1 + j] += y * u; c[c2 + j] += z * u; c[c3 + j] += w * u;
      }
    }
  }
  for (let i = m4; i < m; i++) {
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
