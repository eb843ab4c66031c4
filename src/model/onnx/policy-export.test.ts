// The exported policy run by onnxruntime-web's wasm EP in Node against our Policy on the CPU reference backend:
// same random weights, left-padded prompts and ragged completions, every architecture switch (norm, positions,
// projector, tied head). Logits of every real text column must agree within 1e-3.
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { MODEL_PRESETS, validateModelConfig, type ModelConfig } from '../config.ts';
import { Policy } from '../policy/policy.ts';
import { seededImages } from '../policy/test-fixtures.ts';
import { exportPolicyOnnx, POLICY_ONNX_IO } from './policy-export.ts';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const PROMPTS = [[2, 40, 41, 42, 43, 44], [2, 50, 51], [2, 60, 61, 62, 63, 64, 65, 66]];
const COMPLETIONS = [[3, 70, 71], [3, 80, 81, 82, 83, 84], []];

function config(over: Partial<ModelConfig>): ModelConfig {
  // A larger init than training uses so that attention is far from uniform and a layout slip shows in logits.
  return validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: 300, initStd: 0.15, seed: 7, ...over });
}

/** Ours vs ORT over the text columns; returns the worst difference on real (non-pad) columns. */
async function compare(cfg: ModelConfig): Promise<{ diff: number; scale: number }> {
  const b = new CpuBackend();
  const policy = Policy.create(b, cfg);
  const images = seededImages(b, cfg, PROMPTS.length, 3);
  const pass = policy.forward({ images, prompts: PROMPTS, completions: COMPLETIONS }, { logits: 'text' });
  const ours = (await b.read(pass.logits)) as Float32Array;
  const { rows: B, promptWidth: Pmax, completionWidth: Lc, textIds } = pass.layout;
  const T = Pmax + Lc, V = cfg.vocabSize;
  const mask = new BigInt64Array(B * T);
  PROMPTS.forEach((p, r) => {
    for (let j = Pmax - p.length; j < Pmax + COMPLETIONS[r].length; j++) mask[r * T + j] = 1n;
  });
  const bytes = exportPolicyOnnx(cfg, await policy.params.readAll());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  try {
    const out = await session.run({
      [POLICY_ONNX_IO.image]: new ort.Tensor('float32', (await b.read(images)) as Float32Array, images.shape),
      [POLICY_ONNX_IO.inputIds]: new ort.Tensor('int64', BigInt64Array.from(textIds, (x) => BigInt(x)), [B, T]),
      [POLICY_ONNX_IO.attentionMask]: new ort.Tensor('int64', mask, [B, T]),
    });
    const logits = out[POLICY_ONNX_IO.logits];
    expect(logits.dims).toEqual([B, T, V]);
    const theirs = logits.data as Float32Array;
    let diff = 0, scale = 0;
    for (let r = 0; r < B; r++) for (let t = 0; t < T; t++) {
      if (mask[r * T + t] === 0n) continue;
      for (let k = 0; k < V; k++) {
        const i = (r * T + t) * V + k;
        diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
        scale = Math.max(scale, Math.abs(ours[i]));
      }
    }
    return { diff, scale };
  } finally {
    await session.release();
    pass.dispose();
    policy.dispose();
  }
}

describe('exportPolicyOnnx on the wasm EP', () => {
  const variants: [string, Partial<ModelConfig>][] = [
    ['micro as is (layernorm, learned, mlp projector, untied head)', {}],
    ['rmsnorm, rotary, linear projector, tied head', { norm: 'rmsnorm', positions: 'rotary', projector: 'linear', tieEmbeddings: true }],
    ['layernorm, rotary, mlp projector, tied head', { positions: 'rotary', tieEmbeddings: true }],
    ['rmsnorm, learned, linear projector, untied head', { norm: 'rmsnorm', projector: 'linear' }],
  ];
  for (const [label, over] of variants) {
    it(`matches our logits within 1e-3: ${label}`, async () => {
      const { diff, scale } = await compare(config(over));
      expect(scale).toBeGreaterThan(0.05); // logits are not trivially near zero
      expect(diff).toBeLessThan(1e-3);
    });
  }

  it('refuses weights that do not match the config, naming the tensor', () => {
    const cfg = config({});
    expect(() => exportPolicyOnnx(cfg, new Map())).toThrow(/vision\.patch_embed\.weight/);
    const bad = new Map<string, Float32Array>([['vision.patch_embed.weight', new Float32Array(3)]]);
    expect(() => exportPolicyOnnx(cfg, bad)).toThrow(/'vision\.patch_embed\.weight' has 3 values/);
  });
});
