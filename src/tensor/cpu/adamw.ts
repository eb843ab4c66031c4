// Reference AdamW (decoupled weight decay, bias-corrected moments) with global-norm clipping folded in as a
// gradient scale. The WGSL kernel in src/gpu/kernels/optim.ts computes the same update per element.

import type { Floats } from './floats.ts';

/** One step's hyperparameters. */
export interface AdamWStep {
  /** Learning rate for this step (after the schedule); typical 1e-4 to 1e-3. */
  lr: number;
  /** First-moment decay; typical 0.9. */
  beta1: number;
  /** Second-moment decay; typical 0.95 or 0.999. */
  beta2: number;
  /** Denominator epsilon; typical 1e-8. */
  eps: number;
  /** Decoupled weight decay; typical 0.0 to 0.1. */
  weightDecay: number;
  /** 1-based step count, for bias correction. */
  step: number;
}

/** Clip factor from the squared global gradient norm: min(1, maxNorm / norm). maxNorm <= 0 disables. */
export function clipScale(normSq: number, maxNorm: number): number {
  if (maxNorm <= 0) return 1;
  const norm = Math.sqrt(normSq);
  return norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

// param, grad, m, v same shape; param, m, v updated in place; gradScale multiplies grad (clipping)
export function adamwUpdate(param: Floats, grad: Floats, m: Floats, v: Floats, h: AdamWStep, gradScale: number): void {
  const bc1 = 1 - h.beta1 ** h.step, bc2 = 1 - h.beta2 ** h.step;
  for (let i = 0; i < param.length; i++) {
    const g = grad[i] * gradScale;
    m[i] = h.beta1 * m[i] + (1 - h.beta1) * g;
    v[i] = h.beta2 * v[i] + (1 - h.beta2) * g * g;
    const mhat = m[i] / bc1, vhat = v[i] / bc2;
    param[i] -= h.lr * (mhat / (Math.sqrt(vhat) + h.eps) + h.weightDecay * param[i]);
  }
}
