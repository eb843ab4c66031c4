import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { generate, type GenerateConfig } from './generate.ts';
import { Policy } from './policy.ts';
import { argmax } from './sampling.ts';
import { maxAbsDiff, seededImages, tinyConfig } from './test-fixtures.ts';

const SAMPLE: GenerateConfig = { greedy: false, temperature: 1, topK: 0, topP: 1, maxNewTokens: 8, stopTokens: [], seed: 42, samplesPerPrompt: 3 };
const PROMPTS = [[2, 7, 3], [2, 4], [2, 9, 10, 5, 6]];

describe.each([
  { label: 'learned positions', over: {} },
  { label: 'rotary positions, rmsnorm, tied', over: { positions: 'rotary', norm: 'rmsnorm', tieEmbeddings: true } as const },
])('generation with a KV cache ($label)', ({ over }) => {
  const setup = () => {
    const b = new CpuBackend();
    const config = tinyConfig({ maxSeqLen: 24, ...over });
    const policy = Policy.create(b, config);
    const images = seededImages(b, config, 2, 3);
    return { b, config, policy, images, input: { images, imageOfPrompt: [0, 1, 1], prompts: PROMPTS } };
  };

  it('greedy: same tokens and logits as re-running the full forward pass every step', async () => {
    const { b, policy, images, input } = setup();
    const out = await generate(policy, input, { ...SAMPLE, greedy: true, keepLogits: true, samplesPerPrompt: 2 });
    expect(out).toHaveLength(6);
    for (const c of out) {
      const prompt = PROMPTS[c.prompt];
      const tokens: number[] = [];
      for (let step = 0; step < c.tokens.length; step++) {
        // The full sequence so far plus a placeholder; causality makes column `step` independent of it.
        const pass = policy.forward({ images, imageOfRow: [input.imageOfPrompt[c.prompt]], prompts: [prompt], completions: [[...tokens, 0]] });
        const logits = await b.read(pass.logits);
        const V = pass.logits.shape[2];
        const row = logits.subarray(step * V, (step + 1) * V);
        pass.dispose();
        expect(maxAbsDiff(row, c.stepLogits![step])).toBeLessThan(1e-4);
        const next = argmax(row, 0, V);
        expect(c.tokens[step]).toBe(next);
        tokens.push(next);
      }
      expect(c.tokens).toHaveLength(8);
      expect(c.finish).toBe('length');
    }
    expect(out[0].tokens).toEqual(out[1].tokens);
  });

  it('sampled completions have the log-probs that logProbs computes for them in one batched pass', async () => {
    const { b, policy, images, input } = setup();
    const out = await generate(policy, input, { ...SAMPLE, samplesPerPrompt: 4 });
    const r = policy.logProbs({ images, imageOfRow: out.map((c) => input.imageOfPrompt[c.prompt]), prompts: out.map((c) => PROMPTS[c.prompt]), completions: out.map((c) => c.tokens) });
    const logp = await b.read(r.logp);
    const Lc = r.layout.completionWidth;
    out.forEach((c, row) => c.logprobs.forEach((lp, j) => expect(Math.abs(logp[row * Lc + j] - lp)).toBeLessThan(1e-4)));
    r.dispose();
    // Sampling at temperature 1 from an untrained model gives different completions within a group.
    expect(new Set(out.map((c) => c.tokens.join(','))).size).toBeGreaterThan(4);
  });

  it('is reproducible for a seed and does not depend on the other rows of its batch', async () => {
    const { policy, images, input } = setup();
    const a = await generate(policy, input, SAMPLE);
    const again = await generate(policy, input, SAMPLE);
    const other = await generate(policy, input, { ...SAMPLE, seed: 43 });
    expect(again.map((c) => c.tokens)).toEqual(a.map((c) => c.tokens));
    expect(other.map((c) => c.tokens)).not.toEqual(a.map((c) => c.tokens));
    // Prompt 0 alone has no left padding; in the batch it had two pad columns. Same (prompt, sample) stream.
    const soloFirst = await generate(policy, { images, imageOfPrompt: [0], prompts: [PROMPTS[0]] }, SAMPLE);
    expect(soloFirst.map((c) => c.tokens)).toEqual(a.slice(0, 3).map((c) => c.tokens));
  });

  it('stops at a stop token (kept as the last token) and never exceeds maxNewTokens or maxSeqLen', async () => {
    const { policy, input } = setup();
    const out = await generate(policy, input, { ...SAMPLE, stopTokens: [1, 6], maxNewTokens: 12 });
    for (const c of out) {
      const firstStop = c.tokens.findIndex((t) => t === 1 || t === 6);
      if (c.finish === 'stop') expect(firstStop).toBe(c.tokens.length - 1);
      else expect(firstStop).toBe(-1);
      expect(c.tokens.length).toBeLessThanOrEqual(12);
    }
    expect(out.some((c) => c.finish === 'stop')).toBe(true);
    const full = await generate(policy, input, { ...SAMPLE, maxNewTokens: 30 });
    // Without stop tokens a completion fills what maxSeqLen (24) leaves after 4 image tokens and its prompt.
    for (const c of full) expect(c.tokens.length).toBe(24 - 4 - PROMPTS[c.prompt].length);
    const r = policy.logProbs({ images: input.images, imageOfRow: full.map((c) => input.imageOfPrompt[c.prompt]), prompts: full.map((c) => PROMPTS[c.prompt]), completions: full.map((c) => c.tokens) });
    r.dispose();
  });

  it('frees its KV cache', async () => {
    const { b, policy, input } = setup();
    const before = b.liveStorages();
    await generate(policy, input, SAMPLE);
    expect(b.liveStorages()).toBe(before);
  });
});
