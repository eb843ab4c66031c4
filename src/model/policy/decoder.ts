// The causal language decoder: token embeddings after the image-token prefix (LLaVA-style), learned or
// rotary positions from per-row position ids, pre-norm blocks, final norm, and the LM head (tied to the
// token embedding or separate) applied only to the columns whose logits are wanted. With a KvCache the same
// function runs the prefill and then one step per new token over the cached keys and values.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { ModelConfig } from '../config.ts';
import { type LayerKv } from './attention.ts';
import { blockBackward, blockForward, type BlockSaved } from './block.ts';
import { release, type Frame } from './frame.ts';
import { normBackward, normForward, type NormSaved } from './layers.ts';
import type { PolicyParameters } from './parameters.ts';
import { hash3 } from './prng.ts';
import { ropeTables, type RopeTables } from './rope.ts';
import type { TrainSwitches } from './vision.ts';

/** Keys and values of every decoder layer, and how many columns they hold. */
export class KvCache {
  readonly layers: LayerKv[];
  /** Columns cached so far (image + text, pads included). */
  length = 0;

  constructor(depth: number) {
    this.layers = Array.from({ length: depth }, () => ({ k: null, v: null }));
  }

  /** A cache whose row r copies row `rowOf[r]` of this one (one prefill shared by a group of samples). */
  expandRows(b: Backend, rowOf: readonly number[]): KvCache {
    const out = new KvCache(this.layers.length);
    out.length = this.length;
    const ids = b.fromArray(rowOf, [rowOf.length], 'i32');
    const gather = (t: Tensor): Tensor => {
      // A row gather is an embedding lookup into the cache viewed as a (rows, H*T*d) table.
      const [R, H, T, d] = t.shape;
      const table = b.reshape(t, [R, H * T * d]);
      const g = b.embedding(ids, table);
      const r = b.reshape(g, [rowOf.length, H, T, d]);
      release(table, g);
      return r;
    };
    this.layers.forEach((l, i) => {
      if (l.k && l.v) out.layers[i] = { k: gather(l.k), v: gather(l.v) };
    });
    release(ids);
    return out;
  }

  dispose(): void {
    for (const l of this.layers) {
      release(l.k, l.v);
      l.k = l.v = null;
    }
  }
}

export interface DecoderInput {
  /** (B, N, decoderWidth) image prefix, or null for a decoding step that only adds text columns. */
  imageTokens: Tensor | null;
  /** (B, Tt) i32 text ids of this call. */
  ids: Tensor;
  /** Position id of every column of this call (image columns first when imageTokens is given): B rows. */
  positions: readonly (readonly number[])[];
  /** (B, 1, 1, Tk) key mask over all keys (cache included), or null. */
  keyBias: Tensor | null;
  /** First column (of this call's columns) whose logits are computed, and how many. */
  logitsFrom: number;
  logitsCount: number;
  /** Appended to when given (inference only). */
  cache: KvCache | null;
}

export interface DecoderSaved {
  ids: Tensor;
  posIds: Tensor | null;
  rope: RopeTables | null;
  blocks: BlockSaved[];
  norm: NormSaved;
  /** The normed columns fed to the LM head, (B, L, C), and the full normed shape. */
  headIn: Tensor;
  normShape: number[];
  imageColumns: number;
  logitsFrom: number;
}

/** -> logits (B, logitsCount, V). */
export function decoderForward(b: Backend, p: PolicyParameters, config: ModelConfig, input: DecoderInput, train: TrainSwitches, frame: Frame): { logits: Tensor; saved: DecoderSaved } {
  const ids = input.ids;
  const B = ids.shape[0];
  const te = b.embedding(ids, p.get('decoder.embed_tokens.weight'));
  let x: Tensor;
  if (input.imageTokens) {
    x = b.concat([input.imageTokens, te], 1);
    release(te);
  } else x = te;
  const T = x.shape[1];
  let posIds: Tensor | null = null, rope: RopeTables | null = null;
  if (config.positions === 'learned') {
    posIds = frame.keep(b.fromArray(input.positions.flat(), [B, T], 'i32'));
    const pe = b.embedding(posIds, p.get('decoder.pos_embed'));
    const xp = b.binary('add', x, pe);
    release(x, pe);
    x = xp;
  } else {
    rope = ropeTables(b, input.positions, config.decoderWidth / config.decoderHeads, config.ropeTheta);
    frame.keep(rope.cos);
    frame.keep(rope.sin);
  }
  frame.keep(x);
  const blocks: BlockSaved[] = [];
  for (let i = 0; i < config.decoderDepth; i++) {
    const r = blockForward(b, p, `decoder.blocks.${i}`, x, {
      heads: config.decoderHeads, causal: true, rope, keyBias: input.keyBias, cache: input.cache ? input.cache.layers[i] : null,
      norm: config.norm, normEps: config.normEps, dropout: train.dropout, dropoutSeed: hash3(train.dropoutSeed, 2, 2 * i),
    }, frame);
    blocks.push(r.saved);
    x = frame.keep(r.out);
  }
  if (input.cache) input.cache.length += T;
  const n = normForward(b, p, config.norm, config.normEps, 'decoder.norm', x, frame);
  const headIn = frame.keep(b.slice(n.out, 1, input.logitsFrom, input.logitsFrom + input.logitsCount));
  const normShape = [...n.out.shape];
  release(n.out);
  const logits = lmHead(b, p, headIn);
  return {
    logits,
    saved: { ids, posIds, rope, blocks, norm: n.saved, headIn, normShape, imageColumns: input.imageTokens ? input.imageTokens.shape[1] : 0, logitsFrom: input.logitsFrom },
  };
}

function lmHead(b: Backend, p: PolicyParameters, h: Tensor): Tensor {
  const [B, L, C] = h.shape;
  const h2 = b.reshape(h, [B * L, C]);
  const tied = !p.has('lm_head.weight');
  const l2 = tied ? b.matmul(h2, p.get('decoder.embed_tokens.weight'), { transB: true }) : b.matmul(h2, p.get('lm_head.weight'));
  const logits = b.reshape(l2, [B, L, l2.shape[1]]);
  release(h2, l2);
  return logits;
}

/** dlogits (B, L, V) -> gradient of the image tokens (B, N, C), or null when the call had no image prefix. */
export function decoderBackward(b: Backend, p: PolicyParameters, config: ModelConfig, dlogits: Tensor, s: DecoderSaved): Tensor | null {
  const [B, L, V] = dlogits.shape;
  const C = config.decoderWidth;
  const d2 = b.reshape(dlogits, [B * L, V]);
  const h2 = b.reshape(s.headIn, [B * L, C]);
  let dh2: Tensor;
  if (p.has('lm_head.weight')) {
    const r = b.matmulBackward(d2, h2, p.get('lm_head.weight'));
    p.accumulate('lm_head.weight', r.db);
    dh2 = r.da;
  } else {
    const r = b.matmulBackward(d2, h2, p.get('decoder.embed_tokens.weight'), { transB: true });
    p.accumulate('decoder.embed_tokens.weight', r.db);
    dh2 = r.da;
  }
  release(d2, h2);
  const dh = b.reshape(dh2, [B, L, C]);
  const dnorm = b.sliceBackward(dh, s.normShape, 1, s.logitsFrom);
  release(dh2, dh);
  let dx = normBackward(b, p, 'decoder.norm', dnorm, s.norm);
  release(dnorm);
  for (let i = config.decoderDepth - 1; i >= 0; i--) {
    const next = blockBackward(b, p, `decoder.blocks.${i}`, dx, s.blocks[i], config.decoderHeads);
    release(dx);
    dx = next;
  }
  if (s.posIds) p.accumulate('decoder.pos_embed', b.embeddingBackward(dx, s.posIds, config.maxSeqLen));
  const T = dx.shape[1], N = s.imageColumns;
  const dte = N > 0 ? b.slice(dx, 1, N, T) : dx;
  p.accumulate('decoder.embed_tokens.weight', b.embeddingBackward(dte, s.ids, config.vocabSize));
  const dimg = N > 0 ? b.slice(dx, 1, 0, N) : null;
  if (dte !== dx) release(dte);
  release(dx);
  return dimg;
}
