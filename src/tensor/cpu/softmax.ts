// Reference softmax over the last axis (optionally causal) and log-softmax gathered at target tokens: the
// per-token log-probabilities GRPO's ratio needs, and cross-entropy's building block.

import type { Floats } from './floats.ts';

/**
 * Whether key column j is visible to query row i of a (tq, tk) score block. With a KV cache the queries are
 * the last tq of tk positions, so query i sits at position i + tk - tq.
 */
export function causalVisible(i: number, j: number, tq: number, tk: number): boolean {
  return j <= i + tk - tq;
}

// out (rows, n), x (rows, n); causal: rows are (..., tq) blocks, masked entries are exactly 0
export function softmaxForward(out: Floats, x: Floats, rows: number, n: number, causal: boolean, tq: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n, i = r % tq;
    let max = -Infinity;
    for (let j = 0; j < n; j++) if (!causal || causalVisible(i, j, tq, n)) max = Math.max(max, x[o + j]);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = !causal || causalVisible(i, j, tq, n) ? Math.exp(x[o + j] - max) : 0;
      out[o + j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) out[o + j] /= sum;
  }
}

// dx (rows, n) accumulate (+=); dout, y (rows, n) where y = softmax(x)
export function softmaxBackward(dx: Floats, dout: Floats, y: Floats, rows: number, n: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += dout[o + j] * y[o + j];
    for (let j = 0; j < n; j++) dx[o + j] += y[o + j] * (dout[o + j] - dot);
  }
}

// logp (N), lse (N); logits (N, V), targets (N): logp = logits[target] - logsumexp; target < 0 gives logp 0
export function logProbsForward(logp: Floats, lse: Floats, logits: Floats, targets: Int32Array, rows: number, v: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * v;
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, logits[o + j]);
    let sum = 0;
    for (let j = 0; j < v; j++) sum += Math.exp(logits[o + j] - max);
    const l = max + Math.log(sum);
    lse[r] = l;
    const t = targets[r];
    logp[r] = t < 0 ? 0 : logits[o + t] - l;
  }
}

// dlogits (N, V) accumulate (+=); dlogp (N), logits (N, V), targets (N), lse (N)
export function logProbsBackward(dlogits: Floats, dlogp: Floats, logits: Floats, targets: Int32Array, lse: Floats, rows: number, v: number): void {
  for (let r = 0; r < rows; r++) {
    const t = targets[r];
    if (t < 0) continue;
    const o = r * v, g = dlogp[r];
    for (let j = 0; j < v; j++) dlogits[o + j] += g * ((j === t ? 1 : 0) - Math.exp(logits[o + j] - lse[r]));
  }
}
