// The policy adapter on the CPU backend with a micro policy: batched generation equals one-prompt generation
// with the right image per record, option scores equal log-softmax of a plain forward pass, prompts that do not
// fit answer '' (and are counted), and a whole evaluation through the adapter is reproducible.
import { describe, expect, it } from 'vitest';
import type { VqaRecord } from '../data/record.ts';
import { generate } from '../model/policy/generate.ts';
import { Policy } from '../model/policy/policy.ts';
import { tinyConfig } from '../model/policy/test-fixtures.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { toPolicyPixels, type RgbBytes } from '../rl/trainer/images.ts';
import { completionText, promptIds, stopTokens, tokenizerCorpus } from '../rl/trainer/prompting.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { evaluatePolicy } from './evaluator.ts';
import { DEFAULT_POLICY_ADAPTER_CONFIG, PolicyEvalAdapter, sharedPrefixLength, unrotatedId } from './policy-adapter.ts';
import { evalPromptText } from './prompt.ts';
import { VqaTask } from './task.ts';

const NAMES = ['Liver', 'Gut', 'Liver cyst', 'Omentum'];
const rec = (id: string, image: string, gold: number, over: Partial<VqaRecord> = {}): VqaRecord => ({
  id, image, question: 'Which organ?', options: NAMES, goldIndex: gold, answer: NAMES[gold], open: false,
  questionType: 'Anatomy Identification', modality: 'CT', anatomy: NAMES[gold], source: 'synth', split: 'test', ...over,
});
const RECORDS = [rec('a', 'img/0.png', 0), rec('b', 'img/1.png', 1), rec('c', 'img/0.png', 2), rec('d', '', 3)];

function image(seed: number): RgbBytes {
  const data = new Uint8Array(4 * 4 * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + seed * 101) % 256;
  return { width: 4, height: 4, data };
}
const IMAGES = new Map([['img/0.png', image(0)], ['img/1.png', image(1)]]);

function setup(maxSeqLen = 200) {
  const b = new CpuBackend();
  const tokenizer = trainTokenizer(tokenizerCorpus(RECORDS), { vocabSize: 300 });
  const config = tinyConfig({ vocabSize: tokenizer.vocabSize, maxSeqLen, initStd: 0.5 });
  const policy = Policy.create(b, config);
  const adapter = new PolicyEvalAdapter(policy, tokenizer, async (ref) => IMAGES.get(ref) ?? null, { name: 'micro' });
  return { b, tokenizer, config, policy, adapter };
}

const ask = (r: VqaRecord) => ({ record: r, text: evalPromptText(r) });

describe('PolicyEvalAdapter', () => {
  it('batched generation equals generating each prompt alone with its own image (greedy and sampled)', async () => {
    const { b, tokenizer, config, policy, adapter } = setup();
    for (const decoding of [{ temperature: 0, topP: 1, maxNewTokens: 6, seed: 3 }, { temperature: 1, topP: 0.9, maxNewTokens: 6, seed: 9 }]) {
      const batched = await adapter.generate(RECORDS.map(ask), decoding);
      expect(batched).toHaveLength(RECORDS.length);
      for (const [i, r] of RECORDS.entries()) {
        const img = IMAGES.get(r.image);
        const pixels = img ? toPolicyPixels(img, config.imageSize) : new Float32Array(config.imageSize ** 2 * 3);
        const images = b.fromArray(pixels, [1, config.imageSize, config.imageSize, 3]);
        const [alone] = await generate(policy, { images, prompts: [promptIds(tokenizer, r)] }, {
          greedy: decoding.temperature <= 0, temperature: decoding.temperature, topK: 0, topP: decoding.topP,
          maxNewTokens: 6, stopTokens: stopTokens(tokenizer), seed: decoding.seed, samplesPerPrompt: 1, padId: tokenizer.padId,
        });
        images.dispose();
        // Prompt index differs (i vs 0), so sampled streams differ by design; greedy must match exactly.
        if (decoding.temperature <= 0) expect(batched[i].text).toBe(completionText(tokenizer, alone.tokens));
        expect(batched[i].tokens).toBeGreaterThan(0);
      }
    }
  });

  it('scores each option as log-softmax of a plain forward pass, without the tokens all options share', async () => {
    const { b, tokenizer, policy, adapter } = setup();
    const r = RECORDS[1];
    const scores = await adapter.scoreOptions(ask(r), r.options);
    const encoded = r.options.map((o) => tokenizer.encode(DEFAULT_POLICY_ADAPTER_CONFIG.scoringText(o)));
    const shared = sharedPrefixLength(encoded);
    expect(shared).toBeGreaterThanOrEqual(3); // at least '<think>The structure is'
    const pixels = toPolicyPixels(IMAGES.get(r.image)!, policy.config.imageSize);
    for (const [o, tokens] of encoded.entries()) {
      expect(scores[o]).toHaveLength(tokens.length - shared);
      const images = b.fromArray(pixels, [1, policy.config.imageSize, policy.config.imageSize, 3]);
      const pass = policy.forward({ images, prompts: [promptIds(tokenizer, r)], completions: [tokens] });
      const logits = await b.read(pass.logits);
      const V = pass.logits.shape[2];
      for (let j = shared; j < tokens.length; j++) {
        const row = Array.from(logits.subarray(j * V, (j + 1) * V));
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, x) => s + Math.exp(x - max), 0));
        expect(Math.abs(scores[o][j - shared] - (row[tokens[j]] - lse))).toBeLessThan(1e-4);
      }
      pass.dispose();
      images.dispose();
    }
  });

  it('answers a prompt that leaves no room with an empty completion and names it', async () => {
    const { adapter, tokenizer, config } = setup(60);
    const long = rec('long', 'img/0.png', 0, { question: 'Which organ is seen here, in this long question? '.repeat(3) });
    expect(promptIds(tokenizer, long).length + config.imageSize ** 2 / config.patchSize ** 2).toBeGreaterThan(60);
    const out = await adapter.generate([ask(long)], { temperature: 0, topP: 1, maxNewTokens: 4, seed: 0 });
    expect(out[0]).toEqual({ text: '', tokens: 0 });
    expect(await adapter.scoreOptions(ask(long), long.options)).toEqual([[], [], [], []]);
    expect([...adapter.tooLong]).toEqual(['long']);
  });

  it('runs a whole evaluation reproducibly (greedy, avg@2, circular, likelihood)', async () => {
    const run = async () => {
      const { adapter } = setup();
      const task = new VqaTask('micro test', RECORDS, { seed: 1 });
      return evaluatePolicy(adapter, task, { config: { metrics: ['greedy', 'avgk', 'circular', 'likelihood'], k: 2, maxNewTokens: 5, batchSize: 3, seed: 1 } });
    };
    const first = await run();
    const second = await run();
    expect(first.overall.n).toBe(4);
    expect(first.overall.generations).toBe(4 + 8 + 12);
    expect(Object.keys(first.overall.metrics).sort()).toEqual(['avg@2', 'circular', 'greedy', 'likelihood']);
    for (const cell of Object.values(first.overall.metrics)) expect(cell.value).toBeGreaterThanOrEqual(0);
    expect(first.overall.metrics).toEqual(second.overall.metrics);
    expect(first.unextractable).toEqual(second.unextractable);
    expect(first.policy).toBe('micro');
  });
});

describe('sharedPrefixLength', () => {
  it('counts the common start and always leaves each sequence a token', () => {
    expect(sharedPrefixLength([[5, 7, 6], [5, 8, 6]])).toBe(1);
    expect(sharedPrefixLength([[5, 7, 6], [5, 7, 9, 6]])).toBe(2);
    expect(sharedPrefixLength([[5, 7], [5, 7]])).toBe(1);
    expect(sharedPrefixLength([[5, 7]])).toBe(0);
    expect(sharedPrefixLength([[1], [2]])).toBe(0);
  });
});

describe('unrotatedId', () => {
  it('strips only the rotation suffix, keeping ids that hold # themselves', () => {
    expect(unrotatedId('q1#rot2')).toBe('q1');
    expect(unrotatedId('data.json#169')).toBe('data.json#169');
    expect(unrotatedId('data.json#169#rot3')).toBe('data.json#169');
  });
});
