// The multimodal policy on the engine: weights plus explicit forward and backward passes (llm.c style, no
// autograd tape). One batched forward gives logits, per-token log-probabilities of given completions (GRPO's
// ratio, the reference policy, KL), per-token entropy and the SFT cross-entropy; backward takes d(logits) or
// d(logp) and accumulates every parameter gradient. Written against the Backend interface only.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { ModelConfig } from '../config.ts';
import { decoderBackward, decoderForward, type KvCache } from './decoder.ts';
import { Frame, release } from './frame.ts';
import { layoutSequences, type SequenceLayout } from './layout.ts';
import { PolicyParameters } from './parameters.ts';
import { visionBackward, visionForward, type TrainSwitches } from './vision.ts';

/** One batch of rows: an image, a prompt and a completion each (completions may be empty for a prefill). */
export interface PolicyBatch {
  /** (I, H, W, C) f32 images, already resized and normalised by the data pipeline. */
  images: Tensor;
  /** Which image each row uses (length B); default row r uses image r. Rows sharing an image encode it once. */
  imageOfRow?: readonly number[];
  /** Prompt ids per row (non-empty), e.g. `<image>` + question. */
  prompts: readonly (readonly number[])[];
  /** Completion ids per row (what is scored / trained on). */
  completions: readonly (readonly number[])[];
  /** Id written into padding columns (never attended to); default 0 (`<pad>`). */
  padId?: number;
}

export interface ForwardOptions {
  /** Keep activations for backward and apply config.dropout; default false (inference: nothing kept). */
  train?: boolean;
  /** Seed of the dropout masks when training with dropout > 0; default config.seed. */
  dropoutSeed?: number;
  /** 'completion': (B, Lc, V), column j predicts completion token j. 'text': every text column (B, Pmax + Lc, V). */
  logits?: 'completion' | 'text';
}

/** The result of a forward pass; backward may be called once (train mode), dispose always. */
export class PolicyPass {
  private done = false;

  constructor(
    /** (B, L, V). Owned by the pass. */
    readonly logits: Tensor,
    readonly layout: SequenceLayout,
    private readonly frame: Frame,
    private readonly backwardFn: ((dlogits: Tensor) => void) | null,
  ) {}

  /** Accumulates parameter gradients from dlogits (B, L, V), then frees the kept activations. */
  backward(dlogits: Tensor): void {
    if (!this.backwardFn) throw new Error('policy: backward needs a forward pass with { train: true }');
    if (this.done) throw new Error('policy: backward called twice on one pass');
    this.done = true;
    this.backwardFn(dlogits);
    this.frame.dispose();
  }

  dispose(): void {
    this.frame.dispose();
    release(this.logits);
  }
}

/** Per-token log-probabilities of the completions, and what GRPO needs beside them. */
export interface LogProbResult {
  /** (B, Lc): log p(completion[b][j] | image, prompt, completion[b][<j]); 0 on padding. */
  logp: Tensor;
  /** (B, Lc): entropy of the next-token distribution at each completion position (when asked), else null. */
  entropy: Tensor | null;
  /** (B, Lc): 1 on real completion tokens, 0 on padding. */
  mask: Tensor;
  layout: SequenceLayout;
  /** Accumulates gradients from dlogp (B, Lc) (train mode only); frees the pass. */
  backward(dlogp: Tensor): void;
  /** Frees everything above and the pass. */
  dispose(): void;
}

export class Policy {
  constructor(
    readonly backend: Backend,
    readonly config: ModelConfig,
    readonly params: PolicyParameters,
  ) {}

  /** A policy with fresh weights from config.seed. */
  static create(backend: Backend, config: ModelConfig): Policy {
    return new Policy(backend, config, PolicyParameters.init(backend, config));
  }

  /** Logits for a batch (see ForwardOptions.logits for which columns). */
  forward(batch: PolicyBatch, options: ForwardOptions = {}): PolicyPass {
    const b = this.backend, config = this.config, p = this.params;
    const train = options.train ?? false;
    const switches: TrainSwitches = { dropout: train ? config.dropout : 0, dropoutSeed: options.dropoutSeed ?? config.seed };
    const layout = layoutSequences(config, batch.prompts, batch.completions, batch.padId ?? 0);
    const frame = new Frame();
    const B = layout.rows, N = layout.imageTokens, Tt = layout.promptWidth + layout.completionWidth;

    const I = batch.images.shape[0];
    const wantText = options.logits === 'text';
    const run = () => {
      const prefix = this.imagePrefix(batch, B, switches, frame);
      const ids = frame.keep(b.fromArray(layout.textIds, [B, Tt], 'i32'));
      const keyBias = layout.keyBias ? frame.keep(b.fromArray(layout.keyBias, [B, 1, 1, N + Tt])) : null;
      const dec = decoderForward(b, p, config, {
        imageTokens: prefix.imageTokens, ids, positions: layout.positions, keyBias,
        logitsFrom: wantText ? N : N + layout.promptWidth - 1,
        logitsCount: wantText ? Tt : layout.completionWidth,
        cache: null,
      }, switches, frame);
      return { ...prefix, dec };
    };
    const { vision, rowIds, dec } = guarded(frame, run);

    if (!train) {
      frame.dispose();
      return new PolicyPass(dec.logits, layout, frame, null);
    }
    return new PolicyPass(dec.logits, layout, frame, (dlogits) => {
      const dimg = decoderBackward(b, p, config, dlogits, dec.saved)!;
      let dvis = dimg;
      if (rowIds) {
        const [, n, c] = dimg.shape;
        const flat = b.reshape(dimg, [B, n * c]);
        const scattered = b.embeddingBackward(flat, rowIds, I);
        dvis = b.reshape(scattered, [I, n, c]);
        release(flat, scattered, dimg);
      }
      visionBackward(b, p, config, dvis, vision.saved);
      release(dvis);
    });
  }

  /** Per-token log-probs (and optionally entropy) of the batch's completions in one forward pass. */
  logProbs(batch: PolicyBatch, options: ForwardOptions & { entropy?: boolean } = {}): LogProbResult {
    const b = this.backend;
    const pass = this.forward(batch, { ...options, logits: 'completion' });
    const { rows: B, completionWidth: Lc } = pass.layout;
    const targets = b.fromArray(pass.layout.targets, [B, Lc], 'i32');
    const { logp, lse } = b.logProbs(pass.logits, targets);
    const entropy = options.entropy ? entropyFrom(b, pass.logits, lse) : null;
    const mask = b.fromArray(pass.layout.mask, [B, Lc]);
    let freed = false;
    const free = (): void => {
      if (freed) return;
      freed = true;
      release(targets, lse);
      pass.dispose();
    };
    if (!options.train) {
      release(targets, lse);
      pass.dispose();
      freed = true;
    }
    return {
      logp, entropy, mask, layout: pass.layout,
      backward: (dlogp: Tensor) => {
        if (freed) throw new Error('policy: backward needs logProbs with { train: true }, called once');
        const dlogits = b.logProbsBackward(dlogp, pass.logits, targets, lse);
        pass.backward(dlogits);
        release(dlogits);
        free();
      },
      dispose: () => {
        free();
        release(logp, entropy, mask);
      },
    };
  }

  /**
   * SFT cross-entropy: the mean of -log p over every real completion token of the batch (a token-level mean,
   * as TRL's SFT loss). Returns the loss (shape [1], not read back) and a backward that fills the gradients.
   */
  sftLoss(batch: PolicyBatch, options: Omit<ForwardOptions, 'logits'> = {}): { loss: Tensor; tokenCount: number; backward(): void; dispose(): void } {
    const b = this.backend;
    const r = this.logProbs(batch, { train: true, ...options });
    const { rows: B, completionWidth: Lc, tokenCount } = r.layout;
    if (tokenCount === 0) throw new Error('policy: SFT batch has no completion tokens');
    const masked = b.binary('mul', r.logp, r.mask);
    const sum = b.sumToShape(masked, [1]);
    const loss = b.unary('scale', sum, { alpha: -1 / tokenCount });
    release(masked, sum);
    return {
      loss, tokenCount,
      backward: () => {
        const scale = new Float32Array(B * Lc);
        for (let i = 0; i < scale.length; i++) scale[i] = -r.layout.mask[i] / tokenCount;
        const dlogp = b.fromArray(scale, [B, Lc]);
        r.backward(dlogp);
        release(dlogp);
      },
      dispose: () => {
        r.dispose();
        release(loss);
      },
    };
  }

  /** Prefill over a cache: runs the batch's prompts (completions ignored) and returns last-column logits (B, 1, V). */
  prefill(batch: Omit<PolicyBatch, 'completions'>, cache: KvCache): { logits: Tensor; layout: SequenceLayout } {
    const b = this.backend, config = this.config;
    const layout = layoutSequences(config, batch.prompts, batch.prompts.map(() => []), batch.padId ?? 0);
    const frame = new Frame();
    const B = layout.rows, N = layout.imageTokens, Tt = layout.promptWidth;
    const off: TrainSwitches = { dropout: 0, dropoutSeed: 0 };
    const dec = guarded(frame, () => {
      const { imageTokens } = this.imagePrefix(batch, B, off, frame);
      const ids = frame.keep(b.fromArray(layout.textIds, [B, Tt], 'i32'));
      const keyBias = layout.keyBias ? frame.keep(b.fromArray(layout.keyBias, [B, 1, 1, N + Tt])) : null;
      return decoderForward(b, this.params, config, { imageTokens, ids, positions: layout.positions, keyBias, logitsFrom: N + Tt - 1, logitsCount: 1, cache }, off, frame);
    });
    frame.dispose();
    return { logits: dec.logits, layout };
  }

  /**
   * One decoding step over the cache: ids (B) at positions (B), keyBias over all cached keys plus this one
   * (or null). Returns logits (B, 1, V).
   */
  step(cache: KvCache, ids: readonly number[], positions: readonly number[], keyBias: Float32Array | null): Tensor {
    const b = this.backend;
    const B = ids.length;
    const frame = new Frame();
    const idT = frame.keep(b.fromArray(ids, [B, 1], 'i32'));
    const bias = keyBias ? frame.keep(b.fromArray(keyBias, [B, 1, 1, cache.length + 1])) : null;
    const dec = decoderForward(b, this.params, this.config, {
      imageTokens: null, ids: idT, positions: positions.map((x) => [x]), keyBias: bias, logitsFrom: 0, logitsCount: 1, cache,
    }, { dropout: 0, dropoutSeed: 0 }, frame);
    frame.dispose();
    return dec.logits;
  }

  /**
   * Encodes each distinct image once and gives every row its image's tokens (B, N, C), kept in `frame`;
   * rowIds (kept too) is the row -> image map when rows share images, null when row r uses image r.
   */
  private imagePrefix(batch: Omit<PolicyBatch, 'completions'>, B: number, switches: TrainSwitches, frame: Frame) {
    const b = this.backend;
    const I = batch.images.shape[0];
    const rowImage = batch.imageOfRow ?? Array.from({ length: B }, (_, r) => r);
    if (rowImage.length !== B) throw new Error(`policy: imageOfRow has ${rowImage.length} entries for ${B} rows`);
    rowImage.forEach((i, r) => {
      if (!Number.isInteger(i) || i < 0 || i >= I) throw new Error(`policy: row ${r} uses image ${i}, the batch has ${I}`);
    });
    const vision = visionForward(b, this.params, this.config, batch.images, switches, frame);
    if (I === B && rowImage.every((i, r) => i === r)) return { vision, imageTokens: frame.keep(vision.tokens), rowIds: null };
    const imageTokens = frame.keep(gatherRows(b, vision.tokens, rowImage));
    release(vision.tokens);
    return { vision, imageTokens, rowIds: frame.keep(b.fromArray(rowImage, [B], 'i32')) };
  }

  /** An independent copy with the same weights on the same backend (the frozen reference policy). */
  clone(): Policy {
    return new Policy(this.backend, this.config, this.params.clone());
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Runs f; when it throws, frees what the frame holds so a failed call leaks nothing. */
function guarded<T>(frame: Frame, f: () => T): T {
  try {
    return f();
  } catch (e) {
    frame.dispose();
    throw e;
  }
}

/** rows (R, N, C) -> (rowOf.length, N, C) with out[r] = rows[rowOf[r]] (an embedding lookup into a (R, N*C) table). */
function gatherRows(b: Backend, rows: Tensor, rowOf: readonly number[]): Tensor {
  const [R, n, c] = rows.shape;
  const table = b.reshape(rows, [R, n * c]);
  const ids = b.fromArray(rowOf, [rowOf.length], 'i32');
  const g = b.embedding(ids, table);
  const out = b.reshape(g, [rowOf.length, n, c]);
  release(table, ids, g);
  return out;
}

/** Entropy of softmax(logits) per row: lse - sum(p * logits). logits (B, L, V), lse (B, L) -> (B, L). */
function entropyFrom(b: Backend, logits: Tensor, lse: Tensor): Tensor {
  const [B, L] = lse.shape;
  const probs = b.softmax(logits);
  const px = b.binary('mul', probs, logits);
  const s = b.sumToShape(px, [B, L, 1]);
  const s2 = b.reshape(s, [B, L]);
  const h = b.binary('sub', lse, s2);
  release(probs, px, s, s2);
  return h;
}
