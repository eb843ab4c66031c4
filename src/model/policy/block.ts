// One pre-norm transformer block, shared by the image encoder and the decoder:
// x1 = x + drop(attn(norm1(x))), x2 = x1 + drop(mlp(norm2(x1))). Dropout (training only) is the Backend's
// counter-based dropout, so backward regenerates the same mask from the same seed instead of storing it.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { NormType } from '../config.ts';
import { attentionBackward, attentionForward, type AttentionOptions, type AttentionSaved } from './attention.ts';
import { release, type Frame } from './frame.ts';
import { mlpBackward, mlpForward, normBackward, normForward, type MlpSaved, type NormSaved } from './layers.ts';
import type { PolicyParameters } from './parameters.ts';

export interface BlockOptions extends AttentionOptions {
  norm: NormType;
  normEps: number;
  /** Residual dropout probability; 0 when not training. */
  dropout: number;
  /** Seed of this block's two dropout masks (attention uses it, the MLP uses it + 1). */
  dropoutSeed: number;
}

export interface BlockSaved {
  n1: NormSaved;
  attn: AttentionSaved;
  n2: NormSaved;
  mlp: MlpSaved;
  dropout: number;
  dropoutSeed: number;
}

function drop(b: Backend, t: Tensor, p: number, seed: number): Tensor {
  if (p <= 0) return t;
  const out = b.dropout(t, p, seed);
  release(t);
  return out;
}

/** x (B, T, C) -> (B, T, C). Keeps x1 and the sublayers' activations in `frame`; the caller keeps x. */
export function blockForward(b: Backend, p: PolicyParameters, prefix: string, x: Tensor, o: BlockOptions, frame: Frame): { out: Tensor; saved: BlockSaved } {
  const n1 = normForward(b, p, o.norm, o.normEps, `${prefix}.norm1`, x, frame);
  frame.keep(n1.out);
  const attn = attentionForward(b, p, `${prefix}.attn`, n1.out, o, frame);
  const a = drop(b, attn.out, o.dropout, o.dropoutSeed);
  const x1 = frame.keep(b.binary('add', x, a));
  release(a);
  const n2 = normForward(b, p, o.norm, o.normEps, `${prefix}.norm2`, x1, frame);
  frame.keep(n2.out);
  const mlp = mlpForward(b, p, `${prefix}.mlp`, n2.out, frame);
  const m = drop(b, mlp.out, o.dropout, o.dropoutSeed + 1);
  const out = b.binary('add', x1, m);
  release(m);
  return { out, saved: { n1: n1.saved, attn: attn.saved, n2: n2.saved, mlp: mlp.saved, dropout: o.dropout, dropoutSeed: o.dropoutSeed } };
}

/** dout (B, T, C) -> dx (B, T, C). */
export function blockBackward(b: Backend, p: PolicyParameters, prefix: string, dout: Tensor, s: BlockSaved, heads: number): Tensor {
  const undrop = (t: Tensor, seed: number): Tensor => (s.dropout > 0 ? b.dropout(t, s.dropout, seed) : t);
  const dm = undrop(dout, s.dropoutSeed + 1);
  const dn2 = mlpBackward(b, p, `${prefix}.mlp`, dm, s.mlp);
  if (dm !== dout) release(dm);
  const dx1n = normBackward(b, p, `${prefix}.norm2`, dn2, s.n2);
  const dx1 = b.binary('add', dout, dx1n);
  release(dn2, dx1n);
  const da = undrop(dx1, s.dropoutSeed);
  const dn1 = attentionBackward(b, p, `${prefix}.attn`, da, s.attn, heads);
  if (da !== dx1) release(da);
  const dxn = normBackward(b, p, `${prefix}.norm1`, dn1, s.n1);
  const dx = b.binary('add', dx1, dxn);
  release(dn1, dxn, dx1);
  return dx;
}
