// The image encoder and projector: images (I, H, W, C) -> patches (a reshape/transpose, flattened in (row,
// column, channel) order as parameterShapes documents) -> patch embedding (one matmul) + learned 2D positions
// -> pre-norm ViT blocks (bidirectional attention) -> final norm -> projector -> image tokens (I, N, decoderWidth).

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { numImageTokens, patchDim, type ModelConfig } from '../config.ts';
import { blockBackward, blockForward, type BlockSaved } from './block.ts';
import { release, type Frame } from './frame.ts';
import { linearBackward, linearForward, normBackward, normForward, type NormSaved } from './layers.ts';
import type { PolicyParameters } from './parameters.ts';
import { hash3 } from './prng.ts';

export interface VisionSaved {
  patches: Tensor;
  blocks: BlockSaved[];
  norm: NormSaved;
  /** Projector input (the normed encoder output), fc1 output and its GELU (mlp projector only). */
  projIn: Tensor;
  projH: Tensor | null;
  projA: Tensor | null;
}

/** Training-time switches shared by both towers. */
export interface TrainSwitches {
  /** Residual dropout probability (config.dropout while training, 0 otherwise). */
  dropout: number;
  /** Seed that the per-block dropout seeds derive from. */
  dropoutSeed: number;
}

/** images (I, H, W, C) -> (I, N, P*P*C): patch (i, j) is row-major token i*S + j. */
export function patchify(b: Backend, config: ModelConfig, images: Tensor): Tensor {
  const [I, H, W, C] = images.shape;
  const P = config.patchSize, S = config.imageSize / P;
  if (H !== config.imageSize || W !== config.imageSize || C !== config.imageChannels) {
    throw new Error(`policy: images [${images.shape.join(', ')}] do not match the config (${config.imageSize}x${config.imageSize}x${config.imageChannels})`);
  }
  const r6 = b.reshape(images, [I, S, P, S, P, C]);
  const t6 = b.transpose(r6, [0, 1, 3, 2, 4, 5]); // (I, S, S, P, P, C)
  const out = b.reshape(t6, [I, S * S, patchDim(config)]);
  release(r6, t6);
  return out;
}

export function visionForward(b: Backend, p: PolicyParameters, config: ModelConfig, images: Tensor, train: TrainSwitches, frame: Frame): { tokens: Tensor; saved: VisionSaved } {
  const patches = frame.keep(patchify(b, config, images));
  const e = linearForward(b, p, 'vision.patch_embed', patches);
  let x = frame.keep(b.binary('add', e, p.get('vision.pos_embed')));
  release(e);
  const blocks: BlockSaved[] = [];
  for (let i = 0; i < config.visionDepth; i++) {
    const r = blockForward(b, p, `vision.blocks.${i}`, x, {
      heads: config.visionHeads, causal: false, rope: null, keyBias: null, cache: null,
      norm: config.norm, normEps: config.normEps, dropout: train.dropout, dropoutSeed: hash3(train.dropoutSeed, 1, 2 * i),
    }, frame);
    blocks.push(r.saved);
    x = frame.keep(r.out);
  }
  const n = normForward(b, p, config.norm, config.normEps, 'vision.norm', x, frame);
  const projIn = frame.keep(n.out);
  let tokens = linearForward(b, p, 'projector.fc1', projIn);
  let projH: Tensor | null = null, projA: Tensor | null = null;
  if (config.projector === 'mlp') {
    projH = frame.keep(tokens);
    projA = frame.keep(b.unary('gelu', projH));
    tokens = linearForward(b, p, 'projector.fc2', projA);
  }
  return { tokens, saved: { patches, blocks, norm: n.saved, projIn, projH, projA } };
}

/** dtokens (I, N, decoderWidth): accumulates every vision and projector gradient (images get none). */
export function visionBackward(b: Backend, p: PolicyParameters, config: ModelConfig, dtokens: Tensor, s: VisionSaved): void {
  let d = dtokens;
  if (s.projH && s.projA) {
    const da = linearBackward(b, p, 'projector.fc2', d, s.projA);
    d = b.unaryBackward('gelu', da, s.projH);
    release(da);
  }
  const dn = linearBackward(b, p, 'projector.fc1', d, s.projIn);
  if (d !== dtokens) release(d);
  let dx = normBackward(b, p, 'vision.norm', dn, s.norm);
  release(dn);
  for (let i = config.visionDepth - 1; i >= 0; i--) {
    const next = blockBackward(b, p, `vision.blocks.${i}`, dx, s.blocks[i], config.visionHeads);
    release(dx);
    dx = next;
  }
  p.accumulate('vision.pos_embed', b.sumToShape(dx, [numImageTokens(config), config.visionWidth]));
  const dpatches = linearBackward(b, p, 'vision.patch_embed', dx, s.patches);
  release(dx, dpatches);
}
