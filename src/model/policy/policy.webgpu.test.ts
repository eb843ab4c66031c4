// The policy on WebGpuBackend (Dawn on SwiftShader in Node) against the CpuBackend oracle with the same
// weights: logits, log-probs, entropy, every parameter gradient, and KV-cache generation.
import { describe, expect, it } from 'vitest';
// First: it installs the WebGPU globals (GPUBufferUsage, ...) that the backend's modules read at load time.
import { nodeGpuDevice } from '../../test/node-gpu.ts';
import type { Backend } from '../../tensor/backend.ts';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { WebGpuBackend } from '../../tensor/webgpu-backend.ts';
import type { ModelConfig } from '../config.ts';
import { generate, type GenerateConfig } from './generate.ts';
import { PolicyParameters } from './parameters.ts';
import { Policy, type PolicyBatch } from './policy.ts';
import { uniformAt } from './prng.ts';
import { maxAbsDiff, seededImages, tinyConfig } from './test-fixtures.ts';

function batchOn(b: Backend, config: ModelConfig): PolicyBatch {
  return {
    images: seededImages(b, config, 2, 5),
    imageOfRow: [0, 1, 1],
    prompts: [[2, 7, 3], [2, 4], [2, 9, 10, 5]],
    completions: [[1, 6, 8], [3, 3, 9, 1], [7]],
  };
}

/** The same policy on the CPU and on the GPU (weights copied from the CPU one). */
async function pair(config: ModelConfig): Promise<{ cpu: Policy; gpu: Policy; gb: WebGpuBackend }> {
  const cb = new CpuBackend();
  const gb = new WebGpuBackend(await nodeGpuDevice());
  const cpu = Policy.create(cb, config);
  const gpu = new Policy(gb, config, PolicyParameters.fromArrays(gb, config, await cpu.params.readAll()));
  return { cpu, gpu, gb };
}

function closeRel(got: ArrayLike<number>, ref: ArrayLike<number>, atol: number, rtol: number): { ok: boolean; worst: string } {
  let worst = -Infinity, at = -1;
  for (let i = 0; i < ref.length; i++) {
    const excess = Math.abs(got[i] - ref[i]) - (atol + rtol * Math.abs(ref[i]));
    if (excess > worst) {
      worst = excess;
      at = i;
    }
  }
  return { ok: worst <= 0, worst: `index ${at}: got ${got[at]}, ref ${ref[at]}` };
}

describe.each([
  { label: 'layernorm, learned, mlp projector, untied', over: {} },
  { label: 'rmsnorm, rotary, linear projector, tied, dropout', over: { norm: 'rmsnorm', positions: 'rotary', projector: 'linear', tieEmbeddings: true, dropout: 0.2 } as const },
])('policy on WebGPU matches the CPU ($label)', ({ over }) => {
  it('log-probs, entropy and every parameter gradient', async () => {
    const config = tinyConfig(over);
    const { cpu, gpu, gb } = await pair(config);
    const results = [];
    for (const policy of [cpu, gpu]) {
      const b = policy.backend;
      const r = policy.logProbs(batchOn(b, config), { train: true, entropy: true, dropoutSeed: 7 });
      const [B, Lc] = r.logp.shape;
      const w = Float32Array.from({ length: B * Lc }, (_, i) => (uniformAt(9, 1, i) * 2 - 1) * r.layout.mask[i]);
      const logp = await b.read(r.logp), entropy = await b.read(r.entropy!);
      const dlogp = b.fromArray(w, [B, Lc]);
      r.backward(dlogp);
      dlogp.dispose();
      r.dispose();
      const grads = new Map<string, Float32Array>();
      for (const e of policy.params.entries()) grads.set(e.spec.name, (await b.read(e.grad)) as Float32Array);
      results.push({ logp, entropy, grads });
    }
    const [c, g] = results;
    expect(maxAbsDiff(g.logp, c.logp)).toBeLessThan(1e-4);
    expect(maxAbsDiff(g.entropy, c.entropy)).toBeLessThan(1e-4);
    for (const [name, ref] of c.grads) {
      const check = closeRel(g.grads.get(name)!, ref, 1e-4, 1e-3);
      expect(check.ok, `${name}: ${check.worst}`).toBe(true);
    }
    await gb.sync();
  });

  it('greedy generation with the KV cache equals the full forward pass and the CPU tokens', async () => {
    const config = tinyConfig({ maxSeqLen: 20, ...over });
    const { cpu, gpu, gb } = await pair(config);
    const cfg: GenerateConfig = { greedy: true, temperature: 1, topK: 0, topP: 1, maxNewTokens: 6, stopTokens: [], seed: 1, samplesPerPrompt: 2, keepLogits: true };
    const prompts = [[2, 7, 3], [2, 4]];
    const before = gb.liveStorages();
    const images = seededImages(gb, config, 2, 3);
    const out = await generate(gpu, { images, prompts }, cfg);
    const cpuOut = await generate(cpu, { images: seededImages(cpu.backend, config, 2, 3), prompts }, cfg);
    expect(out.map((o) => o.tokens)).toEqual(cpuOut.map((o) => o.tokens));
    // One full forward over the generated completions gives, column by column, the logits of every step.
    const pass = gpu.forward({ images, imageOfRow: out.map((o) => o.prompt), prompts: out.map((o) => prompts[o.prompt]), completions: out.map((o) => o.tokens) });
    const logits = await gb.read(pass.logits);
    const [, Lc, V] = pass.logits.shape;
    out.forEach((o, row) => o.stepLogits!.forEach((l, j) => expect(maxAbsDiff(logits.subarray((row * Lc + j) * V, (row * Lc + j + 1) * V), l)).toBeLessThan(1e-4)));
    pass.dispose();
    images.dispose();
    expect(gb.liveStorages()).toBe(before);
    await gb.sync();
  });
});

describe('SFT with AdamW on WebGPU', () => {
  it('follows the CPU loss trajectory step for step', async () => {
    const config = tinyConfig();
    const { cpu, gpu, gb } = await pair(config);
    const trajectories: number[][] = [];
    for (const policy of [cpu, gpu]) {
      const b = policy.backend;
      const batch = batchOn(b, config);
      const moments = policy.params.entries().map(({ spec }) => ({ m: b.zeros(spec.shape), v: b.zeros(spec.shape) }));
      const losses: number[] = [];
      for (let step = 1; step <= 4; step++) {
        policy.params.zeroGrads();
        const sft = policy.sftLoss(batch);
        sft.backward();
        losses.push((await b.read(sft.loss))[0]);
        sft.dispose();
        policy.params.entries().forEach(({ spec, value, grad }, i) => {
          b.adamwStep(value, grad, moments[i].m, moments[i].v, { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: spec.decay ? 0.01 : 0, step });
        });
      }
      trajectories.push(losses);
    }
    expect(trajectories[0][3]).toBeLessThan(trajectories[0][0]);
    expect(maxAbsDiff(trajectories[1], trajectories[0])).toBeLessThan(1e-3);
    await gb.sync();
  });
});
