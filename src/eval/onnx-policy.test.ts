// The ONNX EvalPolicy on the wasm EP in Node against our Policy on the CPU reference backend, same weights:
// greedy and seeded sampled completions must be the same tokens, option scores the same log-probs.
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import type { VqaRecord } from '../data/record.ts';
import { MODEL_PRESETS, validateModelConfig } from '../model/config.ts';
import { exportPolicyOnnx } from '../model/onnx/policy-export.ts';
import { generate } from '../model/policy/generate.ts';
import { Policy } from '../model/policy/policy.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { createOnnxEvalPolicy, type OrtModule } from './onnx-policy.ts';
import { evalPromptText } from './prompt.ts';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const RECORDS: VqaRecord[] = [
  { id: 'a', image: 'a.png', question: 'Which organ is highlighted?', options: ['liver', 'spleen', 'kidney'], goldIndex: 0, answer: 'liver', open: false, questionType: '', modality: 'CT', anatomy: 'liver', source: 'test', split: 'test' },
  { id: 'b', image: 'b.png', question: 'Is the heart visible?', options: ['yes', 'no'], goldIndex: 1, answer: 'no', open: false, questionType: '', modality: 'X-Ray', anatomy: '', source: 'test', split: 'test' },
];

async function setup() {
  const tokenizer = trainTokenizer([...RECORDS.map(evalPromptText), 'The structure is liver. <answer>A</answer>'], { vocabSize: 320 });
  const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, initStd: 0.3, seed: 11, maxSeqLen: 128 });
  const b = new CpuBackend();
  const policy = Policy.create(b, config);
  const n = config.imageSize * config.imageSize * config.imageChannels;
  const pixels = new Map(RECORDS.map((r, i) => [r.id, Float32Array.from({ length: n }, (_, k) => Math.sin(k * 0.37 + i))]));
  const onnx = await createOnnxEvalPolicy(exportPolicyOnnx(config, await policy.params.readAll()), {
    executionProvider: 'wasm', tokenizer, config, pixels: (r) => pixels.get(r.id) ?? null, ort: ort as unknown as OrtModule,
  });
  const prompts = RECORDS.map((r) => [tokenizer.imageId, ...tokenizer.encode(evalPromptText(r))]);
  const images = b.fromArray(Float32Array.from(RECORDS.flatMap((r) => [...pixels.get(r.id)!])), [RECORDS.length, config.imageSize, config.imageSize, 3]);
  return { tokenizer, config, b, policy, onnx, prompts, images };
}

describe('createOnnxEvalPolicy (wasm EP)', () => {
  it('greedy and seeded sampled generation give our Policy\'s tokens', async () => {
    const { tokenizer, policy, onnx, prompts, images } = await setup();
    try {
      for (const sampling of [{ greedy: true, temperature: 0, topP: 1, topK: 0 }, { greedy: false, temperature: 1, topP: 0.9, topK: 40 }]) {
        const ours = await generate(policy, { images, prompts }, { ...sampling, maxNewTokens: 12, stopTokens: [tokenizer.answerEndId, tokenizer.eosId], seed: 5, samplesPerPrompt: 1 });
        const pixels = new Float32Array(await policy.backend.read(images));
        const theirs = await onnx.generateIds(pixels, prompts, { ...sampling, maxNewTokens: 12, seed: 5 });
        expect(theirs.map((r) => r.tokens)).toEqual(ours.map((c) => c.tokens));
        ours.forEach((c, i) => c.logprobs.forEach((lp, j) => expect(Math.abs(lp - theirs[i].logprobs[j])).toBeLessThan(1e-3)));
      }
      const gen = await onnx.generate(RECORDS.map((r) => ({ record: r, text: evalPromptText(r) })), { temperature: 0, topP: 1, maxNewTokens: 6, seed: 1 });
      expect(gen).toHaveLength(2);
      expect(gen[0].tokens).toBeGreaterThan(0);
    } finally {
      await onnx.dispose();
      policy.dispose();
    }
  });

  it('scoreOptions gives our Policy\'s completion log-probs', async () => {
    const { tokenizer, policy, b, onnx, prompts } = await setup();
    try {
      const record = RECORDS[0];
      const conts = ['<answer>A</answer>', '<answer>B</answer> spleen', 'kidney'];
      const scored = await onnx.scoreOptions({ record, text: evalPromptText(record) }, conts);
      const n = policy.config.imageSize ** 2 * 3;
      const px = Float32Array.from({ length: n }, (_, k) => Math.sin(k * 0.37));
      const images = b.fromArray(px, [1, policy.config.imageSize, policy.config.imageSize, 3]);
      const encoded = conts.map((c) => tokenizer.encode(c));
      const lp = policy.logProbs({ images, imageOfRow: conts.map(() => 0), prompts: conts.map(() => prompts[0]), completions: encoded });
      const ours = await b.read(lp.logp);
      const Lc = lp.layout.completionWidth;
      encoded.forEach((c, o) => {
        expect(scored[o]).toHaveLength(c.length);
        c.forEach((_, t) => expect(Math.abs(scored[o][t] - ours[o * Lc + t])).toBeLessThan(1e-3));
      });
      lp.dispose();
    } finally {
      await onnx.dispose();
      policy.dispose();
    }
  });

  it('refuses a tokenizer that does not fit the config, and use after dispose', async () => {
    const { tokenizer, config, onnx, policy } = await setup();
    await expect(createOnnxEvalPolicy(new Uint8Array(0), { executionProvider: 'wasm', tokenizer, config: { ...config, vocabSize: config.vocabSize + 1 }, ort: ort as unknown as OrtModule }))
      .rejects.toThrow(/tokenizer has \d+ tokens/);
    await onnx.dispose();
    await expect(onnx.forward(new Float32Array(0), [[1]])).rejects.toThrow(/after dispose/);
    policy.dispose();
  });
});
