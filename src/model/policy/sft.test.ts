import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { presetConfig } from '../config.ts';
import { generate } from './generate.ts';
import { Policy } from './policy.ts';
import { seededImages } from './test-fixtures.ts';

// Four (image, prompt, answer) pairs with one shared prompt: only the image tells the answers apart, so the
// loss can reach zero only through the encoder, the projector and the decoder together.
const PROMPT = [2, 10, 11, 12];
const ANSWERS = [[5, 20, 6, 1], [5, 21, 6, 1], [5, 22, 6, 1], [5, 23, 6, 1]];

describe('SFT on the micro preset', () => {
  it('overfits four image-dependent answers with AdamW, then greedy generation reproduces them', async () => {
    const b = new CpuBackend();
    const config = presetConfig('micro', 32);
    const policy = Policy.create(b, config);
    const images = seededImages(b, config, 4, 17);
    const batch = { images, prompts: ANSWERS.map(() => PROMPT), completions: ANSWERS };
    const state = new Map<string, { m: Tensor; v: Tensor }>();
    for (const { spec } of policy.params.entries()) state.set(spec.name, { m: b.zeros(spec.shape), v: b.zeros(spec.shape) });
    let first = NaN, loss = NaN, steps = 0;
    for (let step = 1; step <= 300; step++) {
      steps = step;
      policy.params.zeroGrads();
      const sft = policy.sftLoss(batch);
      loss = (await b.read(sft.loss))[0];
      if (step === 1) first = loss;
      sft.backward();
      sft.dispose();
      for (const { spec, value, grad } of policy.params.entries()) {
        const s = state.get(spec.name)!;
        b.adamwStep(value, grad, s.m, s.v, { lr: 3e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: spec.decay ? 0.01 : 0, step });
      }
      if (loss < 0.01) break;
    }
    expect(first).toBeGreaterThan(2);
    expect(loss, `loss ${loss} after ${steps} steps`).toBeLessThan(0.02);
    const out = await generate(policy, { images, prompts: ANSWERS.map(() => PROMPT) }, { greedy: true, temperature: 1, topK: 0, topP: 1, maxNewTokens: 8, stopTokens: [1], seed: 0, samplesPerPrompt: 1 });
    expect(out.map((c) => c.tokens)).toEqual(ANSWERS);
    expect(out.every((c) => c.finish === 'stop')).toBe(true);
  });
});
