// The policy's weights and gradient buffers: one tensor per entry of `parameterShapes(config)` (the single
// source of truth for names, shapes and initialisation), created on any Backend. Initialisation is seeded and
// counter-based per tensor name, so adding or reordering tensors never changes the others' values.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { parameterShapes, type ModelConfig, type ParameterShape } from '../config.ts';
import { hashString, normalAt } from './prng.ts';

/** The initial values of one tensor, computed on the CPU from the seed and the tensor's name. */
export function initialValues(spec: ParameterShape, seed: number): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  const init = spec.init;
  if (init.kind === 'ones') out.fill(1);
  else if (init.kind === 'normal') {
    const stream = hashString(spec.name);
    for (let i = 0; i < n; i++) out[i] = init.std * normalAt(seed, stream, i);
  }
  return out;
}

export class PolicyParameters {
  private readonly values = new Map<string, Tensor>();
  private grads = new Map<string, Tensor>();

  private constructor(
    readonly backend: Backend,
    readonly config: ModelConfig,
    /** The tensor list in parameterShapes order. */
    readonly specs: readonly ParameterShape[],
  ) {}

  /** Fresh weights from `config.seed` (or `seed` when given), gradients zero. */
  static init(backend: Backend, config: ModelConfig, seed = config.seed): PolicyParameters {
    const p = new PolicyParameters(backend, config, parameterShapes(config));
    for (const spec of p.specs) p.values.set(spec.name, backend.fromArray(initialValues(spec, seed), spec.shape));
    p.allocateGrads();
    return p;
  }

  /**
   * Weights from arrays (a checkpoint already checked against the config). Throws naming the tensor when one
   * is missing or has the wrong number of values.
   */
  static fromArrays(backend: Backend, config: ModelConfig, arrays: ReadonlyMap<string, ArrayLike<number>>): PolicyParameters {
    const p = new PolicyParameters(backend, config, parameterShapes(config));
    for (const spec of p.specs) {
      const data = arrays.get(spec.name);
      const n = spec.shape.reduce((a, b) => a * b, 1);
      if (!data) throw new Error(`policy weights: tensor '${spec.name}' is missing`);
      if (data.length !== n) throw new Error(`policy weights: tensor '${spec.name}' has ${data.length} values, shape [${spec.shape.join(', ')}] needs ${n}`);
      p.values.set(spec.name, backend.fromArray(data, spec.shape));
    }
    p.allocateGrads();
    return p;
  }

  /** A copy of the weights on the same backend (e.g. GRPO's frozen reference policy); gradients zero. */
  clone(): PolicyParameters {
    const p = new PolicyParameters(this.backend, this.config, this.specs);
    for (const spec of this.specs) p.values.set(spec.name, this.backend.copy(this.get(spec.name)));
    p.allocateGrads();
    return p;
  }

  /** The weight tensor called `name` (throws for an unknown name, which is a programming error). */
  get(name: string): Tensor {
    const t = this.values.get(name);
    if (!t) throw new Error(`policy has no parameter '${name}'`);
    return t;
  }

  /** Whether the config has this tensor (e.g. 'lm_head.weight' only when embeddings are untied). */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The gradient buffer of `name`, same shape as the weight. */
  grad(name: string): Tensor {
    const t = this.grads.get(name);
    if (!t) throw new Error(`policy has no gradient '${name}'`);
    return t;
  }

  /** grad(name) += d, then disposes d (every backward function funnels through here). */
  accumulate(name: string, d: Tensor): void {
    this.backend.addInPlace(this.grad(name), d);
    d.dispose();
  }

  /** Resets every gradient to zero (new buffers: the Backend has no in-place fill). Do not hold old grads. */
  zeroGrads(): void {
    for (const g of this.grads.values()) g.dispose();
    this.allocateGrads();
  }

  /** (name, weight, grad) in parameterShapes order, for optimizers. */
  entries(): { spec: ParameterShape; value: Tensor; grad: Tensor }[] {
    return this.specs.map((spec) => ({ spec, value: this.get(spec.name), grad: this.grad(spec.name) }));
  }

  /** Every weight read back to the CPU, for checkpoints and export. */
  async readAll(): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    for (const spec of this.specs) out.set(spec.name, (await this.backend.read(this.get(spec.name))) as Float32Array);
    return out;
  }

  /** Total number of scalars. */
  count(): number {
    let n = 0;
    for (const t of this.values.values()) n += t.size;
    return n;
  }

  dispose(): void {
    for (const t of this.values.values()) t.dispose();
    for (const t of this.grads.values()) t.dispose();
    this.values.clear();
    this.grads.clear();
  }

  private allocateGrads(): void {
    this.grads = new Map(this.specs.map((s) => [s.name, this.backend.zeros(s.shape)]));
  }
}
