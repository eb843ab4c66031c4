// AdamW over the policy's parameters with global-norm clipping and the learning-rate schedule, on either
// backend (the clip factor is applied inside the update kernel). Its moments and step count are part of a
// checkpoint: readState / loadState move them to and from the CPU, so a resumed run updates exactly as an
// uninterrupted one.

import type { PolicyParameters } from '../../model/policy/parameters.ts';
import type { Backend } from '../../tensor/backend.ts';
import { learningRateAt, type LrSchedule } from '../../tensor/optim/schedule.ts';
import type { Tensor } from '../../tensor/tensor.ts';

export interface OptimizerSettings {
  schedule: LrSchedule;
  /** Typical 0.9. */
  beta1: number;
  /** Typical 0.999 (TRL's default). */
  beta2: number;
  /** Typical 1e-8. */
  eps: number;
  /** Decoupled weight decay on the tensors marked `decay`; typical 0 for GRPO. */
  weightDecay: number;
  /** Global gradient-norm clip; 0 disables it. Typical 1.0. */
  maxGradNorm: number;
}

export interface OptimizerState {
  stepCount: number;
  /** First and second moments by parameter name. */
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

export class PolicyOptimizer {
  stepCount = 0;
  private readonly m = new Map<string, Tensor>();
  private readonly v = new Map<string, Tensor>();

  constructor(
    private readonly b: Backend,
    private readonly params: PolicyParameters,
    public settings: OptimizerSettings,
  ) {
    for (const { spec } of params.entries()) {
      this.m.set(spec.name, b.zeros(spec.shape));
      this.v.set(spec.name, b.zeros(spec.shape));
    }
  }

  /** Learning rate of the next step. */
  get lr(): number {
    return learningRateAt(this.settings.schedule, this.stepCount);
  }

  /** Squared global gradient norm as a [1] tensor (the caller reads it with the step's other scalars). */
  gradNormSq(): Tensor {
    return this.b.sumSquares(this.params.entries().map((e) => e.grad));
  }

  /** One update from the accumulated gradients; `normSq` from gradNormSq() (clipping reads it on the device). */
  step(normSq: Tensor): void {
    const s = this.settings, lr = this.lr;
    this.stepCount++;
    const clip = s.maxGradNorm > 0 ? { normSq, maxNorm: s.maxGradNorm } : undefined;
    for (const { spec, value, grad } of this.params.entries()) {
      const h = { lr, beta1: s.beta1, beta2: s.beta2, eps: s.eps, weightDecay: spec.decay ? s.weightDecay : 0, step: this.stepCount };
      this.b.adamwStep(value, grad, this.m.get(spec.name)!, this.v.get(spec.name)!, h, clip);
    }
  }

  async readState(): Promise<OptimizerState> {
    const m = new Map<string, Float32Array>(), v = new Map<string, Float32Array>();
    for (const [name, t] of this.m) m.set(name, (await this.b.read(t)) as Float32Array);
    for (const [name, t] of this.v) v.set(name, (await this.b.read(t)) as Float32Array);
    return { stepCount: this.stepCount, m, v };
  }

  loadState(state: OptimizerState): void {
    for (const [which, src] of [[this.m, state.m], [this.v, state.v]] as const) {
      for (const [name, t] of which) {
        const data = src.get(name);
        if (!data || data.length !== t.size) throw new Error(`optimizer state: moment '${name}' is missing or has the wrong size`);
        which.set(name, this.b.fromArray(data, t.shape));
        t.dispose();
      }
    }
    this.stepCount = state.stepCount;
  }

  /** Fresh moments and step 0 (the GRPO phase after a warm start starts its own AdamW, as a separate run would). */
  reset(settings: OptimizerSettings): void {
    this.settings = settings;
    for (const map of [this.m, this.v]) {
      for (const [name, t] of map) {
        map.set(name, this.b.zeros(t.shape));
        t.dispose();
      }
    }
    this.stepCount = 0;
  }

  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
