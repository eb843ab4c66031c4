import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { parameterShapes, type ModelConfig } from '../config.ts';
import { completionRows } from './layout.ts';
import { Policy, type PolicyBatch } from './policy.ts';
import { uniformAt } from './prng.ts';
import { maxAbsDiff, seededImages, tinyConfig } from './test-fixtures.ts';

// Rows of different prompt and completion lengths (left and right padding), three rows over two images.
function batchOf(b: CpuBackend, config: ModelConfig): PolicyBatch {
  return {
    images: seededImages(b, config, 2, 5),
    imageOfRow: [0, 1, 1],
    prompts: [[2, 7, 3], [2, 4], [2, 9, 10, 5]],
    completions: [[1, 6, 8], [3, 3, 9, 1], [7]],
  };
}

/** loss = sum(w * logp) in float64 from read-back log-probs; w fixed per position. */
async function weightedLoss(policy: Policy, batch: PolicyBatch, w: Float32Array, dropoutSeed: number): Promise<number> {
  // train:true applies dropout (same seed, same masks) when the config has it.
  const r = policy.logProbs(batch, { train: policy.config.dropout > 0, dropoutSeed });
  const logp = await policy.backend.read(r.logp);
  r.dispose();
  let s = 0;
  for (let i = 0; i < logp.length; i++) s += w[i] * logp[i];
  return s;
}

describe.each([
  { label: 'layernorm, learned positions, mlp projector, untied head', over: {} },
  { label: 'rmsnorm, rotary positions, linear projector, tied head', over: { norm: 'rmsnorm', positions: 'rotary', projector: 'linear', tieEmbeddings: true } as const },
  { label: 'residual dropout 0.2 with a fixed mask seed', over: { dropout: 0.2 } },
])('policy gradients match central finite differences ($label)', ({ over }) => {
  it('for a few entries of every parameter tensor', async () => {
    const b = new CpuBackend();
    const config = tinyConfig(over);
    const policy = Policy.create(b, config);
    const batch = batchOf(b, config);
    const probe = policy.logProbs(batch);
    const [B, Lc] = probe.logp.shape;
    const mask = probe.layout.mask;
    probe.dispose();
    const w = Float32Array.from({ length: B * Lc }, (_, i) => (uniformAt(9, 1, i) * 2 - 1) * mask[i]);

    const r = policy.logProbs(batch, { train: true, dropoutSeed: 4 });
    r.backward(b.fromArray(w, [B, Lc]));
    r.dispose();

    const eps = 1e-2;
    let worst = { name: '', index: 0, analytic: 0, numeric: 0, excess: -Infinity };
    for (const spec of parameterShapes(config)) {
      const value = b.f32(policy.params.get(spec.name));
      const grad = b.f32(policy.params.grad(spec.name));
      for (let k = 0; k < 3; k++) {
        const i = Math.floor(uniformAt(11, k, value.length) * value.length);
        const saved = value[i];
        value[i] = saved + eps;
        const up = await weightedLoss(policy, batch, w, 4);
        value[i] = saved - eps;
        const down = await weightedLoss(policy, batch, w, 4);
        value[i] = saved;
        const numeric = (up - down) / (2 * eps);
        const excess = Math.abs(grad[i] - numeric) - (2e-3 + 2e-2 * Math.abs(numeric));
        if (excess > worst.excess) worst = { name: spec.name, index: i, analytic: grad[i], numeric, excess };
      }
    }
    expect(worst.excess, JSON.stringify(worst)).toBeLessThanOrEqual(0);
  });
});

describe('policy forward', () => {
  it('gives logits whose log-softmax at the completion tokens equals logProbs, and finite entropy', async () => {
    const b = new CpuBackend();
    const config = tinyConfig();
    const policy = Policy.create(b, config);
    const batch = batchOf(b, config);
    const pass = policy.forward(batch);
    const logits = await b.read(pass.logits);
    const [B, Lc, V] = pass.logits.shape;
    const r = policy.logProbs(batch, { entropy: true });
    const logp = await b.read(r.logp), entropy = await b.read(r.entropy!);
    for (let row = 0; row < B; row++) {
      for (let j = 0; j < Lc; j++) {
        const t = r.layout.targets[row * Lc + j];
        if (t < 0) {
          expect(logp[row * Lc + j]).toBe(0);
          continue;
        }
        const o = (row * Lc + j) * V;
        const max = Math.max(...logits.subarray(o, o + V));
        let z = 0, ent = 0;
        for (let v = 0; v < V; v++) z += Math.exp(logits[o + v] - max);
        for (let v = 0; v < V; v++) {
          const q = Math.exp(logits[o + v] - max) / z;
          ent -= q * Math.log(q);
        }
        expect(logp[row * Lc + j]).toBeCloseTo(logits[o + t] - max - Math.log(z), 5);
        expect(entropy[row * Lc + j]).toBeCloseTo(ent, 4);
      }
    }
    pass.dispose();
    r.dispose();
  });

  it("'text' logits cover every text column; the last prompt column predicts the first completion token", async () => {
    const b = new CpuBackend();
    const policy = Policy.create(b, tinyConfig());
    const images = seededImages(b, policy.config, 1, 2);
    const prompt = [2, 7, 3, 9];
    const text = policy.forward({ images, prompts: [prompt], completions: [[]] }, { logits: 'text' });
    expect(text.logits.shape).toEqual([1, 4, 11]);
    const completion = policy.forward({ images, prompts: [prompt], completions: [[5, 6]] });
    expect(completion.logits.shape).toEqual([1, 2, 11]);
    const t = await b.read(text.logits), c = await b.read(completion.logits);
    expect(maxAbsDiff(t.subarray(3 * 11, 4 * 11), c.subarray(0, 11))).toBeLessThan(1e-6);
    text.dispose();
    completion.dispose();
  });

  it("gives a row the same log-probs whatever padding its batch needs", async () => {
    const b = new CpuBackend();
    const config = tinyConfig({ positions: 'rotary' });
    const policy = Policy.create(b, config);
    const full = batchOf(b, config);
    const all = policy.logProbs(full);
    const allLogp = await b.read(all.logp);
    const Lc = all.layout.completionWidth;
    for (let row = 0; row < 3; row++) {
      const alone = policy.logProbs({ images: full.images, imageOfRow: [full.imageOfRow![row]], prompts: [full.prompts[row]], completions: [full.completions[row]] });
      const one = await b.read(alone.logp);
      for (let j = 0; j < full.completions[row].length; j++) expect(one[j]).toBeCloseTo(allLogp[row * Lc + j], 5);
      alone.dispose();
    }
    all.dispose();
  });

  it('applies dropout only in train mode, with masks fixed by the seed', async () => {
    const b = new CpuBackend();
    const policy = Policy.create(b, tinyConfig({ dropout: 0.3 }));
    const batch = batchOf(b, policy.config);
    const run = async (train: boolean, dropoutSeed: number): Promise<number[][]> => {
      const r = policy.logProbs(batch, { train, dropoutSeed });
      const rows = completionRows(await b.read(r.logp), r.layout);
      r.dispose();
      return rows;
    };
    const evalA = await run(false, 1), evalB = await run(false, 2);
    const trainA = await run(true, 1), trainA2 = await run(true, 1), trainB = await run(true, 2);
    expect(evalB).toEqual(evalA);
    expect(trainA2).toEqual(trainA);
    expect(trainA).not.toEqual(evalA);
    expect(trainB).not.toEqual(trainA);
    expect(trainA.map((r) => r.length)).toEqual([3, 4, 1]);
  });

  it('clones into an independent copy with the same outputs', async () => {
    const b = new CpuBackend();
    const policy = Policy.create(b, tinyConfig());
    const ref = policy.clone();
    const batch = batchOf(b, policy.config);
    const logp = async (p: Policy): Promise<Float32Array | Int32Array> => {
      const r = p.logProbs(batch);
      const v = await b.read(r.logp);
      r.dispose();
      return v;
    };
    expect(await logp(ref)).toEqual(await logp(policy));
    b.f32(policy.params.get('decoder.norm.weight')).fill(2);
    expect(await logp(ref)).not.toEqual(await logp(policy));
  });

  it('leaks no tensors across a train step', () => {
    const b = new CpuBackend();
    const config = tinyConfig({ dropout: 0.1 });
    const policy = Policy.create(b, config);
    const batch = batchOf(b, config);
    const before = b.liveStorages();
    const sft = policy.sftLoss(batch, { dropoutSeed: 3 });
    sft.backward();
    sft.dispose();
    expect(b.liveStorages()).toBe(before);
  });

  it('initialises deterministically from the seed, independent of allocation order', async () => {
    const b = new CpuBackend();
    const a = Policy.create(b, tinyConfig());
    const c = Policy.create(b, tinyConfig());
    const other = Policy.create(b, tinyConfig({ seed: 99 }));
    // A config with one more tensor (untied head) leaves the shared tensors unchanged.
    const tied = Policy.create(b, tinyConfig({ tieEmbeddings: true }));
    const name = 'decoder.blocks.1.attn.qkv.weight';
    expect(await b.read(a.params.get(name))).toEqual(await b.read(c.params.get(name)));
    expect(await b.read(a.params.get(name))).toEqual(await b.read(tied.params.get(name)));
    expect(await b.read(a.params.get(name))).not.toEqual(await b.read(other.params.get(name)));
    const w = b.f32(a.params.get('decoder.embed_tokens.weight'));
    const std = Math.sqrt(w.reduce((s, x) => s + x * x, 0) / w.length);
    expect(std).toBeGreaterThan(0.25);
    expect(std).toBeLessThan(0.35);
    expect(b.f32(a.params.get('decoder.norm.weight')).every((x) => x === 1)).toBe(true);
  });
});
