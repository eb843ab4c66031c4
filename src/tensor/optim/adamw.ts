// AdamW over a list of Parameters, entirely on the backend: the global gradient norm is summed on the GPU
// and the clip factor is applied inside the update kernel, so a step reads nothing back. The squared norm
// stays available as a 1-element tensor for the few scalars a step reports.

import type { Backend } from '../backend.ts';
import type { Parameter } from '../autograd.ts';
import type { Tensor } from '../tensor.ts';
import { learningRateAt, type LrSchedule } from './schedule.ts';

/** Optimizer settings; the learning rate comes from the schedule. */
export interface AdamWConfig {
  schedule: LrSchedule;
  /** First-moment decay; typical 0.9. */
  beta1: number;
  /** Second-moment decay; typical 0.95 (GPT-style) or 0.999. */
  beta2: number;
  /** Denominator epsilon; typical 1e-8. */
  eps: number;
  /** Decoupled weight decay for parameters with `decay` set; typical 0.0 to 0.1. */
  weightDecay: number;
  /** Clip the global gradient norm to this; 0 disables; typical 1.0. */
  maxGradNorm: number;
}

export class AdamW {
  /** Steps taken so far. */
  stepCount = 0;
  /** Squared global gradient norm of the last step (before clipping), shape [1]; read it to report grad_norm. */
  gradNormSq: Tensor | null = null;
  private readonly m: Tensor[];
  private readonly v: Tensor[];

  constructor(
    private readonly b: Backend,
    readonly params: readonly Parameter[],
    readonly config: AdamWConfig,
  ) {
    this.m = params.map((p) => b.zeros(p.shape));
    this.v = params.map((p) => b.zeros(p.shape));
  }

  /** Learning rate the next step will use. */
  get lr(): number {
    return learningRateAt(this.config.schedule, this.stepCount);
  }

  /** Updates every parameter with a gradient, then clears the gradients. */
  step(): void {
    const c = this.config;
    const lr = this.lr;
    this.stepCount++;
    const withGrad = this.params.filter((p) => p.grad);
    this.gradNormSq?.dispose();
    this.gradNormSq = this.b.sumSquares(withGrad.map((p) => p.grad!));
    const clip = c.maxGradNorm > 0 ? { normSq: this.gradNormSq, maxNorm: c.maxGradNorm } : undefined;
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      const h = { lr, beta1: c.beta1, beta2: c.beta2, eps: c.eps, weightDecay: p.decay ? c.weightDecay : 0, step: this.stepCount };
      this.b.adamwStep(p.value, p.grad, this.m[i], this.v[i], h, clip);
    });
    this.zeroGrad();
  }

  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Frees the moment buffers. */
  dispose(): void {
    [...this.m, ...this.v].forEach((t) => t.dispose());
    this.gradNormSq?.dispose();
    this.gradNormSq = null;
  }
}
