// The CPU backend's matmul kernel against the one-row-per-pass kernel it replaced, side by side in one process
// on the shapes a tiny policy's SFT and GRPO steps run (decoder width 160, MLP 640, 2,048 token rows, vocab
// 467). Both are timed on the same inputs, alternating, and must agree bit for bit. Not a test: run it by hand
// with `npx tsx bench/cpu-gemm.ts [reps]`; it prints GFLOP/s per shape and the ratio.

import { gemmAccumulate } from '../src/tensor/cpu/matmul.ts';
import { median } from './report.ts';
import { lcgUniform } from '../src/test/lcg.ts';

const REPS = Number(process.argv[2] ?? 5);

/** The kernel before register blocking: one row of C per pass (4 columns or 4 B rows at a time). */
function oneRowPerPass(
  c: Float32Array, a: Float32Array, b: Float32Array, m: number, n: number, k: number, aT: boolean, bT: boolean,
): void {
  if (bT) {
    const n4 = n - (n % 4);
    for (let i = 0; i < m; i++) {
      const ai = i * k, ci = i * n;
      for (let j = 0; j < n4; j += 4) {
        const b0 = j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let p = 0; p < k; p++) {
          const x = a[ai + p];
          s0 += x * b[b0 + p]; s1 += x * b[b1 + p]; s2 += x * b[b2 + p]; s3 += x * b[b3 + p];
        }
        c[ci + j] += s0; c[ci + j + 1] += s1; c[ci + j + 2] += s2; c[ci + j + 3] += s3;
      }
      for (let j = n4; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[j * k + p];
        c[ci + j] += s;
      }
    }
    return;
  }
  const k4 = k - (k % 4), as = aT ? m : 1, ar = aT ? 1 : k;
  for (let i = 0; i < m; i++) {
    const ci = i * n, ai = i * ar;
    for (let p = 0; p < k4; p += 4) {
      const x0 = a[ai + p * as], x1 = a[ai + (p + 1) * as], x2 = a[ai + (p + 2) * as], x3 = a[ai + (p + 3) * as];
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
    for (let p = k4; p < k; p++) for (let j = 0; j < n; j++) c[ci + j] += a[ai + p * as] * b[p * n + j];
  }
}

// [m, n, k, transA, transB, what it is]
const SHAPES: [number, number, number, boolean, boolean, string][] = [
  [2048, 160, 160, false, false, 'attention projection'],
  [2048, 640, 160, false, false, 'MLP up'],
  [2048, 160, 640, false, false, 'MLP down'],
  [160, 160, 2048, true, false, 'weight gradient'],
  [2048, 160, 160, false, true, 'input gradient'],
  [2048, 467, 160, false, true, 'logits (tied embedding)'],
  [130, 130, 40, false, true, 'attention scores, one head'],
  [130, 40, 130, false, false, 'attention values, one head'],
];

// Small shapes repeat so that one timing covers ~3e8 multiply-adds, as a policy step calls them per head.
function time(run: () => void, repeats: number): number {
  const t = performance.now();
  for (let r = 0; r < repeats; r++) run();
  return (performance.now() - t) / repeats;
}

console.log(`CPU gemm, median of ${REPS} (GFLOP/s; ratio = old time / new time)`);
for (const [m, n, k, aT, bT, what] of SHAPES) {
  const a = lcgUniform(m * k, 1, -0.5, 0.5), b = lcgUniform(k * n, 2, -0.5, 0.5);
  const cOld = new Float32Array(m * n), cNew = new Float32Array(m * n);
  const oldMs: number[] = [], newMs: number[] = [];
  const repeats = Math.max(1, Math.round(3e8 / (m * n * k)));
  for (let r = 0; r <= REPS; r++) {
    const o = time(() => oneRowPerPass(cOld, a, b, m, n, k, aT, bT), repeats);
    const w = time(() => gemmAccumulate(cNew, 0, a, 0, b, 0, m, n, k, aT, bT), repeats);
    if (r > 0) { oldMs.push(o); newMs.push(w); } // the first pass warms the JIT
  }
  cOld.fill(0);
  cNew.fill(0);
  oneRowPerPass(cOld, a, b, m, n, k, aT, bT);
  gemmAccumulate(cNew, 0, a, 0, b, 0, m, n, k, aT, bT);
  const same = cOld.every((x, i) => Object.is(x, cNew[i]));
  const gf = (ms: number) => ((2 * m * n * k) / ms / 1e6).toFixed(2);
  const o = median(oldMs), w = median(newMs);
  console.log(`${what.padEnd(28)} ${m}x${n}x${k}${aT ? ' Aᵀ' : ''}${bT ? ' Bᵀ' : ''}: old ${gf(o)}, new ${gf(w)}, ratio ${(o / w).toFixed(2)}${same ? '' : '  RESULTS DIFFER'}`);
}
