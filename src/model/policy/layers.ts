// The small layers every tower is built from, as forward/backward pairs over the Backend: linear (y = x W + b,
// W stored (in, out) as parameterShapes says), layernorm/rmsnorm, and the GELU MLP. Forward returns what it
// made; the caller keeps the inputs backward needs. Backward adds weight gradients into the PolicyParameters
// and returns the input gradient.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { NormType } from '../config.ts';
import { release, type Frame } from './frame.ts';
import type { PolicyParameters } from './parameters.ts';

function rows(t: Tensor): number {
  return t.size / t.shape[t.rank - 1];
}

/** x (..., in) -> (..., out) with weight `${prefix}.weight` (in, out) and bias `${prefix}.bias` (out). */
export function linearForward(b: Backend, p: PolicyParameters, prefix: string, x: Tensor): Tensor {
  const w = p.get(`${prefix}.weight`);
  const [inDim, outDim] = w.shape;
  // Flattened to 2D so the weight gradient is one (N, in)^T (N, out) product, not a batch reduction.
  const x2 = b.reshape(x, [rows(x), inDim]);
  const y2 = b.matmul(x2, w);
  const y = b.binary('add', y2, p.get(`${prefix}.bias`));
  const out = b.reshape(y, [...x.shape.slice(0, -1), outDim]);
  release(x2, y2, y);
  return out;
}

/** dout (..., out), x the forward input (..., in); accumulates dW, db; returns dx (..., in). */
export function linearBackward(b: Backend, p: PolicyParameters, prefix: string, dout: Tensor, x: Tensor): Tensor {
  const w = p.get(`${prefix}.weight`);
  const [inDim, outDim] = w.shape;
  const d2 = b.reshape(dout, [rows(dout), outDim]);
  const x2 = b.reshape(x, [rows(x), inDim]);
  const { da, db } = b.matmulBackward(d2, x2, w);
  p.accumulate(`${prefix}.weight`, db);
  p.accumulate(`${prefix}.bias`, b.sumToShape(d2, [outDim]));
  const dx = b.reshape(da, x.shape);
  release(d2, x2, da);
  return dx;
}

/** What a norm's backward needs besides its input. */
export interface NormSaved {
  x: Tensor;
  /** Per-row mean (layernorm only). */
  mean: Tensor | null;
  rstd: Tensor;
}

/** Layernorm or rmsnorm over the last axis with `${prefix}.weight` (and `.bias` for layernorm); statistics kept. */
export function normForward(b: Backend, p: PolicyParameters, kind: NormType, eps: number, prefix: string, x: Tensor, frame: Frame): { out: Tensor; saved: NormSaved } {
  const w = p.get(`${prefix}.weight`);
  if (kind === 'layernorm') {
    const r = b.layerNorm(x, w, p.get(`${prefix}.bias`), eps);
    return { out: r.out, saved: { x, mean: frame.keep(r.mean), rstd: frame.keep(r.rstd) } };
  }
  const r = b.rmsNorm(x, w, eps);
  return { out: r.out, saved: { x, mean: null, rstd: frame.keep(r.rstd) } };
}

export function normBackward(b: Backend, p: PolicyParameters, prefix: string, dout: Tensor, s: NormSaved): Tensor {
  const w = p.get(`${prefix}.weight`);
  if (s.mean) {
    const r = b.layerNormBackward(dout, s.x, w, s.mean, s.rstd);
    p.accumulate(`${prefix}.weight`, r.dweight);
    p.accumulate(`${prefix}.bias`, r.dbias);
    return r.dx;
  }
  const r = b.rmsNormBackward(dout, s.x, w, s.rstd);
  p.accumulate(`${prefix}.weight`, r.dweight);
  return r.dx;
}

/** What the MLP's backward needs. */
export interface MlpSaved {
  x: Tensor;
  /** fc1 output before GELU. */
  h: Tensor;
  /** GELU(h), the input of fc2. */
  a: Tensor;
}

/** fc1 -> GELU -> fc2 under `${prefix}.fc1` / `${prefix}.fc2`. */
export function mlpForward(b: Backend, p: PolicyParameters, prefix: string, x: Tensor, frame: Frame): { out: Tensor; saved: MlpSaved } {
  const h = frame.keep(linearForward(b, p, `${prefix}.fc1`, x));
  const a = frame.keep(b.unary('gelu', h));
  return { out: linearForward(b, p, `${prefix}.fc2`, a), saved: { x, h, a } };
}

export function mlpBackward(b: Backend, p: PolicyParameters, prefix: string, dout: Tensor, s: MlpSaved): Tensor {
  const da = linearBackward(b, p, `${prefix}.fc2`, dout, s.a);
  const dh = b.unaryBackward('gelu', da, s.h);
  const dx = linearBackward(b, p, `${prefix}.fc1`, dh, s.x);
  release(da, dh);
  return dx;
}
