// Reverse-mode autograd over any Backend: a Tape records each op's output and a closure that turns the
// output's gradient into input gradients using the backend's *Backward kernels, so on WebGPU the whole
// backward pass stays on the GPU. Parameters accumulate gradients across backward calls (gradient
// accumulation) until zeroGrad; `noGrad` records nothing (sampling). The tape owns every tensor it
// creates and frees them all in `release()`, which is what keeps GPU memory flat across steps.

import type { Backend, MatmulOptions } from './backend.ts';
import type { BinaryOp, UnaryOp, UnaryParams } from './cpu/elementwise.ts';
import { normAxis, type Shape } from './shape.ts';
import type { Tensor } from './tensor.ts';

/** A value in the graph: a tensor plus, when it requires one, its gradient. */
export class Var {
  /** Sum of d(loss)/d(this) over backward calls; null until one arrives. */
  grad: Tensor | null = null;

  constructor(
    public value: Tensor,
    readonly requiresGrad: boolean,
    /** Human-readable name for errors and optimizer state. */
    readonly name = '',
  ) {}

  get shape(): Shape {
    return this.value.shape;
  }

  /** Drops the accumulated gradient. */
  zeroGrad(): void {
    this.grad?.dispose();
    this.grad = null;
  }
}

/** A trainable tensor that outlives tapes; the optimizer updates `value` in place. */
export class Parameter extends Var {
  constructor(
    value: Tensor,
    name: string,
    /** Whether AdamW applies weight decay (off for biases and norm gains by convention). */
    readonly decay = value.rank >= 2,
  ) {
    super(value, true, name);
  }
}

interface Node {
  out: Var;
  inputs: Var[];
  /** Gradients for `inputs` (null where not needed) from the output gradient. */
  backward: (dout: Tensor) => (Tensor | null)[];
}

export class Tape {
  /** When true, ops record no backward closures (sampling, evaluation). */
  noGrad = false;
  private nodes: Node[] = [];
  /** Every Var whose value this tape created (and so frees). */
  private owned: Var[] = [];
  /** Extra tensors saved for backward (norm statistics, log-sum-exp), freed with the tape. */
  private saved: Tensor[] = [];

  constructor(readonly b: Backend) {}

  /** Runs fn with recording off, restoring the previous mode. */
  withNoGrad<T>(fn: () => T): T {
    const prev = this.noGrad;
    this.noGrad = true;
    try {
      return fn();
    } finally {
      this.noGrad = prev;
    }
  }

  /** Wraps data the caller owns (inputs, targets) as a constant; the tape will not free it. */
  constant(t: Tensor, name = ''): Var {
    return new Var(t, false, name);
  }

  /** Takes a result out of the tape's ownership (e.g. logits or a KV cache kept past `release`). */
  keep(v: Var): Tensor {
    const i = this.owned.indexOf(v);
    if (i < 0) throw new Error(`Tape.keep: ${v.name || 'var'} is not owned by this tape`);
    this.owned.splice(i, 1);
    return v.value;
  }

  private record(value: Tensor, inputs: Var[], backward: Node['backward'], saved: Tensor[] = [], name = ''): Var {
    const requiresGrad = !this.noGrad && inputs.some((v) => v.requiresGrad);
    const out = new Var(value, requiresGrad, name);
    this.owned.push(out);
    if (requiresGrad) {
      this.nodes.push({ out, inputs, backward });
      this.saved.push(...saved);
    } else {
      saved.forEach((t) => t.dispose());
    }
    return out;
  }

  // ---- ops -------------------------------------------------------------------------------------------

  matmul(a: Var, b: Var, opts: MatmulOptions = {}): Var {
    return this.record(this.b.matmul(a.value, b.value, opts), [a, b], (d) => {
      const { da, db } = this.b.matmulBackward(d, a.value, b.value, opts);
      return [da, db];
    });
  }

  private binary(op: BinaryOp, a: Var, b: Var): Var {
    return this.record(this.b.binary(op, a.value, b.value), [a, b], (d) => {
      const { da, db } = this.b.binaryBackward(op, d, a.value, b.value);
      return [da, db];
    });
  }

  add(a: Var, b: Var): Var {
    return this.binary('add', a, b);
  }
  sub(a: Var, b: Var): Var {
    return this.binary('sub', a, b);
  }
  mul(a: Var, b: Var): Var {
    return this.binary('mul', a, b);
  }
  div(a: Var, b: Var): Var {
    return this.binary('div', a, b);
  }
  maximum(a: Var, b: Var): Var {
    return this.binary('maximum', a, b);
  }
  minimum(a: Var, b: Var): Var {
    return this.binary('minimum', a, b);
  }

  private unary(op: UnaryOp, x: Var, params: UnaryParams = {}): Var {
    return this.record(this.b.unary(op, x.value, params), [x], (d) => [this.b.unaryBackward(op, d, x.value, params)]);
  }

  gelu(x: Var): Var {
    return this.unary('gelu', x);
  }
  silu(x: Var): Var {
    return this.unary('silu', x);
  }
  relu(x: Var): Var {
    return this.unary('relu', x);
  }
  exp(x: Var): Var {
    return this.unary('exp', x);
  }
  log(x: Var): Var {
    return this.unary('log', x);
  }
  neg(x: Var): Var {
    return this.unary('neg', x);
  }
  square(x: Var): Var {
    return this.unary('square', x);
  }
  /** x * s for a constant s. */
  scale(x: Var, s: number): Var {
    return this.unary('scale', x, { alpha: s });
  }
  /** Clamp to [lo, hi]; gradient 0 outside (as in PPO's ratio clip). */
  clamp(x: Var, lo: number, hi: number): Var {
    return this.unary('clamp', x, { alpha: lo, beta: hi });
  }

  /** Sum over `axes` (all when omitted); keepDims keeps them as size 1. */
  sum(x: Var, axes?: readonly number[], keepDims = false): Var {
    const rank = x.shape.length;
    const ax = new Set((axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, rank)));
    const kept = x.shape.map((d, i) => (ax.has(i) ? 1 : d));
    const outShape = keepDims ? kept : x.shape.filter((_, i) => !ax.has(i));
    const summed = this.b.sumToShape(x.value, kept);
    const value = keepDims ? summed : this.b.reshape(summed, outShape);
    if (!keepDims) summed.dispose();
    const inShape = x.shape;
    return this.record(value, [x], (d) => {
      const dk = this.b.reshape(d, kept);
      const dx = this.b.broadcastTo(dk, inShape);
      dk.dispose();
      return [dx];
    });
  }

  /** Mean over `axes` (all when omitted). */
  mean(x: Var, axes?: readonly number[], keepDims = false): Var {
    const rank = x.shape.length;
    const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, rank));
    const count = ax.reduce((n, a) => n * x.shape[a], 1);
    return this.scale(this.sum(x, axes, keepDims), 1 / count);
  }

  layerNorm(x: Var, weight: Var, bias: Var, eps = 1e-5): Var {
    const { out, mean, rstd } = this.b.layerNorm(x.value, weight.value, bias.value, eps);
    return this.record(out, [x, weight, bias], (d) => {
      const g = this.b.layerNormBackward(d, x.value, weight.value, mean, rstd);
      return [g.dx, g.dweight, g.dbias];
    }, [mean, rstd]);
  }

  rmsNorm(x: Var, weight: Var, eps = 1e-6): Var {
    const { out, rstd } = this.b.rmsNorm(x.value, weight.value, eps);
    return this.record(out, [x, weight], (d) => {
      const g = this.b.rmsNormBackward(d, x.value, weight.value, rstd);
      return [g.dx, g.dweight];
    }, [rstd]);
  }

  /** Softmax over the last axis; causal masks key j > query i (+ Tk - Tq with a KV cache). */
  softmax(x: Var, causal = false): Var {
    const y = this.b.softmax(x.value, causal);
    const out: Var = this.record(y, [x], (d) => [this.b.softmaxBackward(d, out.value)]);
    return out;
  }

  /** Per-token log-probabilities log softmax(logits)[target]; targets i32 (..., ) with -1 = ignored (0). */
  logProbs(logits: Var, targets: Tensor): Var {
    const { logp, lse } = this.b.logProbs(logits.value, targets);
    return this.record(logp, [logits], (d) => [this.b.logProbsBackward(d, logits.value, targets, lse)], [lse]);
  }

  /** Mean cross-entropy over `count` tokens (default: all rows; pass the non-ignored count when masking). */
  crossEntropy(logits: Var, targets: Tensor, count = targets.size): Var {
    return this.scale(this.sum(this.logProbs(logits, targets)), -1 / count);
  }

  /** Rows of `table` (V, C) at `ids` (i32). */
  embedding(ids: Tensor, table: Var): Var {
    const vocab = table.shape[0];
    return this.record(this.b.embedding(ids, table.value), [table], (d) => [this.b.embeddingBackward(d, ids, vocab)]);
  }

  reshape(x: Var, shape: Shape): Var {
    const inShape = x.shape;
    return this.record(this.b.reshape(x.value, shape), [x], (d) => [this.b.reshape(d, inShape)]);
  }

  transpose(x: Var, perm: readonly number[]): Var {
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return this.record(this.b.transpose(x.value, perm), [x], (d) => [this.b.transpose(d, inverse)]);
  }

  slice(x: Var, axis: number, start: number, end: number): Var {
    const inShape = x.shape;
    return this.record(this.b.slice(x.value, axis, start, end), [x], (d) => [this.b.sliceBackward(d, inShape, axis, start)]);
  }

  concat(xs: readonly Var[], axis: number): Var {
    const ax = normAxis(axis, xs[0].shape.length);
    return this.record(this.b.concat(xs.map((x) => x.value), ax), [...xs], (d) => {
      let at = 0;
      return xs.map((x) => {
        const g = this.b.slice(d, ax, at, at + x.shape[ax]);
        at += x.shape[ax];
        return g;
      });
    });
  }

  /** Rotary position embedding over (..., T, D); `offset` is the position of the first row. */
  rope(x: Var, base = 10000, offset = 0): Var {
    return this.record(this.b.rope(x.value, { base, offset }), [x], (d) => [this.b.rope(d, { base, offset, inverse: true })]);
  }

  /** Inverted dropout; `seed` must differ per call site and step so masks do not repeat. */
  dropout(x: Var, p: number, seed: number): Var {
    if (p === 0) return this.scale(x, 1);
    return this.record(this.b.dropout(x.value, p, seed), [x], (d) => [this.b.dropout(d, p, seed)]);
  }

  // ---- backward --------------------------------------------------------------------------------------

  /**
   * Accumulates d(loss)/d(v) into every Var that requires a gradient. `seed` is d(final)/d(loss), ones by
   * default. Intermediate gradients are freed as soon as their node has run; parameters keep theirs.
   */
  backward(loss: Var, seed?: Tensor): void {
    if (!loss.requiresGrad) throw new Error('backward: the loss does not depend on any parameter (or was computed under noGrad)');
    const start = seed ?? this.b.fill(loss.shape, 1);
    this.accumulate(loss, start);
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i];
      const dout = node.out.grad;
      if (!dout) continue;
      const grads = node.backward(dout);
      grads.forEach((g, k) => {
        if (!g) return;
        const input = node.inputs[k];
        if (input.requiresGrad) this.accumulate(input, g);
        else g.dispose();
      });
      if (!(node.out instanceof Parameter)) node.out.zeroGrad();
    }
    this.nodes = [];
  }

  private accumulate(v: Var, g: Tensor): void {
    if (!v.grad) {
      // A view sharing storage with another gradient must not be mutated by later in-place adds.
      if (g.storage.refs > 1) {
        v.grad = this.b.copy(g);
        g.dispose();
      } else {
        v.grad = g;
      }
      return;
    }
    this.b.addInPlace(v.grad, g);
    g.dispose();
  }

  /** Frees every tensor this tape created (values, saved statistics, intermediate gradients). */
  release(): void {
    this.saved.forEach((t) => t.dispose());
    this.saved = [];
    this.nodes = [];
    for (const v of this.owned) {
      v.zeroGrad();
      if (!v.value.disposed) v.value.dispose();
    }
    this.owned = [];
  }
}
