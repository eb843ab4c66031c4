// Shared fixtures of the policy tests: a tiny config for gradient checks, seeded images, and a maximum
// absolute difference helper. Test-only; nothing in the engine imports it.

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { MODEL_PRESETS, validateModelConfig, type ModelConfig } from '../config.ts';
import { uniformAt } from './prng.ts';

/** 4x4 images in 2x2 patches (4 image tokens), widths 8, two decoder blocks, 11 tokens. */
export function tinyConfig(over: Partial<ModelConfig> = {}): ModelConfig {
  return validateModelConfig({
    ...MODEL_PRESETS.micro,
    imageSize: 4, patchSize: 2, visionWidth: 8, visionDepth: 1, visionHeads: 2,
    decoderWidth: 8, decoderDepth: 2, decoderHeads: 2, vocabSize: 11, maxSeqLen: 16, mlpRatio: 2, initStd: 0.3,
    ...over,
  });
}

/** `count` images of the config's size with values in [-1, 1), a pure function of the seed. */
export function seededImages(b: Backend, config: ModelConfig, count: number, seed: number): Tensor {
  const n = config.imageSize * config.imageSize * config.imageChannels;
  const data = Float32Array.from({ length: count * n }, (_, i) => 2 * uniformAt(seed, 77, i) - 1);
  return b.fromArray(data, [count, config.imageSize, config.imageSize, config.imageChannels]);
}

export function maxAbsDiff(a: ArrayLike<number>, c: ArrayLike<number>): number {
  if (a.length !== c.length) throw new Error(`lengths ${a.length} and ${c.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - c[i]));
  return m;
}
