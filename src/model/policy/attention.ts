// Multi-head self-attention composed from Backend ops: a packed qkv linear ([q | k | v] along the output,
// heads contiguous), heads folded into the batch as (B*H, T, d), scores by a batched matmul, softmax (causal
// in the decoder), an optional additive key mask for left-padded rows, optional RoPE, and an optional KV
// cache that appends this call's keys and values (incremental decoding: T new queries over all cached keys).

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { release, type Frame } from './frame.ts';
import { linearBackward, linearForward } from './layers.ts';
import type { PolicyParameters } from './parameters.ts';
import { ropeApply, ropeBackward, type RopeTables } from './rope.ts';

/** Keys and values of one decoder layer so far, each (B, H, Tpast, d); null before the first call. */
export interface LayerKv {
  k: Tensor | null;
  v: Tensor | null;
}

export interface AttentionOptions {
  heads: number;
  /** Mask future keys (decoder); the vision encoder attends both ways. */
  causal: boolean;
  /** Rotary tables for this call's positions, or null. */
  rope: RopeTables | null;
  /** (B, 1, 1, Tk) added to the scores: 0 for real keys, a large negative number for padding; or null. */
  keyBias: Tensor | null;
  /** When given, k and v are appended to it and attention runs over the whole cache (no backward). */
  cache: LayerKv | null;
}

export interface AttentionSaved {
  x: Tensor;
  /** (B*H, T, d), after RoPE. */
  q: Tensor;
  k: Tensor;
  v: Tensor;
  /** Softmax probabilities (B*H, T, Tk). */
  att: Tensor;
  /** Heads merged back, (B, T, C): the input of the output projection. */
  y: Tensor;
  rope: RopeTables | null;
}

/** x (B, T, C), already normalised -> (B, T, C). */
export function attentionForward(b: Backend, p: PolicyParameters, prefix: string, x: Tensor, o: AttentionOptions, frame: Frame): { out: Tensor; saved: AttentionSaved } {
  const [B, T, C] = x.shape;
  const H = o.heads, d = C / H;
  const qkv = linearForward(b, p, `${prefix}.qkv`, x);
  const r5 = b.reshape(qkv, [B, T, 3, H, d]);
  const t5 = b.transpose(r5, [2, 0, 3, 1, 4]); // (3, B, H, T, d)
  release(qkv, r5);
  const pick = (i: number): Tensor => {
    const s = b.slice(t5, 0, i, i + 1);
    const r = b.reshape(s, [B, H, T, d]);
    release(s);
    return r;
  };
  let q = pick(0), k = pick(1), v = pick(2);
  release(t5);
  if (o.rope) {
    const q2 = ropeApply(b, q, o.rope), k2 = ropeApply(b, k, o.rope);
    release(q, k);
    q = q2;
    k = k2;
  }
  if (o.cache) {
    if (o.cache.k && o.cache.v) {
      const kAll = b.concat([o.cache.k, k], 2), vAll = b.concat([o.cache.v, v], 2);
      release(o.cache.k, o.cache.v, k, v);
      k = kAll;
      v = vAll;
    }
    // The cache owns k and v from here; the views below keep them alive while this call uses them.
    o.cache.k = k;
    o.cache.v = v;
  }
  const Tk = k.shape[2];
  const q3 = frame.keep(b.reshape(q, [B * H, T, d]));
  const k3 = frame.keep(b.reshape(k, [B * H, Tk, d]));
  const v3 = frame.keep(b.reshape(v, [B * H, Tk, d]));
  release(q);
  if (!o.cache) release(k, v);

  const s0 = b.matmul(q3, k3, { transB: true });
  let scores = b.unary('scale', s0, { alpha: 1 / Math.sqrt(d) });
  release(s0);
  if (o.keyBias) {
    const s4 = b.reshape(scores, [B, H, T, Tk]);
    const s5 = b.binary('add', s4, o.keyBias);
    release(scores, s4);
    scores = b.reshape(s5, [B * H, T, Tk]);
    release(s5);
  }
  const att = frame.keep(b.softmax(scores, o.causal));
  release(scores);
  const y3 = b.matmul(att, v3);
  const y4 = b.reshape(y3, [B, H, T, d]);
  const yt = b.transpose(y4, [0, 2, 1, 3]);
  const y = frame.keep(b.reshape(yt, [B, T, C]));
  release(y3, y4, yt);
  const out = linearForward(b, p, `${prefix}.proj`, y);
  return { out, saved: { x, q: q3, k: k3, v: v3, att, y, rope: o.rope } };
}

/** dout (B, T, C) -> dx (B, T, C); weight gradients accumulate into p. */
export function attentionBackward(b: Backend, p: PolicyParameters, prefix: string, dout: Tensor, s: AttentionSaved, heads: number): Tensor {
  const [B, T, C] = s.x.shape;
  const H = heads, d = C / H;
  const dy = linearBackward(b, p, `${prefix}.proj`, dout, s.y);
  const dy4 = b.reshape(dy, [B, T, H, d]);
  const dyt = b.transpose(dy4, [0, 2, 1, 3]);
  const dy3 = b.reshape(dyt, [B * H, T, d]);
  release(dy, dy4, dyt);
  const { da: datt, db: dv3 } = b.matmulBackward(dy3, s.att, s.v);
  release(dy3);
  const ds = b.softmaxBackward(datt, s.att);
  const dsScaled = b.unary('scale', ds, { alpha: 1 / Math.sqrt(d) });
  release(datt, ds);
  const { da: dq3, db: dk3 } = b.matmulBackward(dsScaled, s.q, s.k, { transB: true });
  release(dsScaled);
  const heads4 = (t: Tensor, unrotate: boolean): Tensor => {
    const r = b.reshape(t, [B, H, T, d]);
    release(t);
    if (!unrotate || !s.rope) return r;
    const u = ropeBackward(b, r, s.rope);
    release(r);
    return u;
  };
  const parts = [heads4(dq3, true), heads4(dk3, true), heads4(dv3, false)].map((t) => {
    const r = b.reshape(t, [1, B, H, T, d]);
    release(t);
    return r;
  });
  const stacked = b.concat(parts, 0); // (3, B, H, T, d)
  release(...parts);
  const back = b.transpose(stacked, [1, 3, 0, 2, 4]); // (B, T, 3, H, d)
  const dqkv = b.reshape(back, [B, T, 3 * C]);
  release(stacked, back);
  const dx = linearBackward(b, p, `${prefix}.qkv`, dqkv, s.x);
  release(dqkv);
  return dx;
}
