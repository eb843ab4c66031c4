// Reference LayerNorm and RMSNorm over the last axis, forward and backward (llm.c layernorm_forward/backward).
// Forward saves per-row statistics (mean, rstd) that backward reuses instead of recomputing.

import type { Floats } from './floats.ts';

// out (N, C), mean (N), rstd (N), x (N, C), weight (C), bias (C)
export function layerNormForward(out: Floats, mean: Floats, rstd: Floats, x: Floats, weight: Floats, bias: Floats, rows: number, c: number, eps: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let m = 0;
    for (let i = 0; i < c; i++) m += x[o + i];
    m /= c;
    let v = 0;
    for (let i = 0; i < c; i++) v += (x[o + i] - m) ** 2;
    v /= c;
    const s = 1 / Math.sqrt(v + eps);
    for (let i = 0; i < c; i++) out[o + i] = (x[o + i] - m) * s * weight[i] + bias[i];
    mean[r] = m;
    rstd[r] = s;
  }
}

// dx (N, C), dweight (C), dbias (C) accumulate (+=); dout (N, C), x (N, C), weight (C), mean (N), rstd (N)
export function layerNormBackward(dx: Floats, dweight: Floats, dbias: Floats, dout: Floats, x: Floats, weight: Floats, mean: Floats, rstd: Floats, rows: number, c: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * c, m = mean[r], s = rstd[r];
    let dnormMean = 0, dnormNormMean = 0;
    for (let i = 0; i < c; i++) {
      const norm = (x[o + i] - m) * s;
      const dnorm = weight[i] * dout[o + i];
      dnormMean += dnorm;
      dnormNormMean += dnorm * norm;
    }
    dnormMean /= c;
    dnormNormMean /= c;
    for (let i = 0; i < c; i++) {
      const norm = (x[o + i] - m) * s;
      const dnorm = weight[i] * dout[o + i];
      dbias[i] += dout[o + i];
      dweight[i] += norm * dout[o + i];
      dx[o + i] += (dnorm - dnormMean - norm * dnormNormMean) * s;
    }
  }
}

// out (N, C), rstd (N), x (N, C), weight (C)
export function rmsNormForward(out: Floats, rstd: Floats, x: Floats, weight: Floats, rows: number, c: number, eps: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * c;
    let ms = 0;
    for (let i = 0; i < c; i++) ms += x[o + i] * x[o + i];
    const s = 1 / Math.sqrt(ms / c + eps);
    for (let i = 0; i < c; i++) out[o + i] = x[o + i] * s * weight[i];
    rstd[r] = s;
  }
}

// dx (N, C), dweight (C) accumulate (+=); dout (N, C), x (N, C), weight (C), rstd (N)
export function rmsNormBackward(dx: Floats, dweight: Floats, dout: Floats, x: Floats, weight: Floats, rstd: Floats, rows: number, c: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * c, s = rstd[r];
    let dot = 0; // sum_i dnorm_i * norm_i / C
    for (let i = 0; i < c; i++) dot += weight[i] * dout[o + i] * x[o + i] * s;
    dot /= c;
    for (let i = 0; i < c; i++) {
      const norm = x[o + i] * s;
      dweight[i] += norm * dout[o + i];
      dx[o + i] += (weight[i] * dout[o + i] - norm * dot) * s;
    }
  }
}
