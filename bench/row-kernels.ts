// Row kernels (softmax, norms, log-probs) side by side in each row layout on the Node device (Dawn; SwiftShader
// here), with a matmul of the same scale for reference and the whole policy forward per layout. Not a test:
// run it by hand with `npx tsx bench/row-kernels.ts [preset] [reps]`; results go into softmax.ts's header.

import { nodeGpuDevice } from '../src/test/node-gpu.ts';
import type { RowKernel } from '../src/gpu/kernels/common.ts';
import { numImageTokens, presetConfig, type PresetName } from '../src/model/config.ts';
import { Policy } from '../src/model/policy/policy.ts';
import type { Tensor } from '../src/tensor/tensor.ts';
import { WebGpuBackend } from '../src/tensor/webgpu-backend.ts';
import { median } from './report.ts';
import { lcgUniform } from '../src/test/lcg.ts';

const preset = (process.argv[2] ?? 'tiny') as PresetName;
const REPS = Number(process.argv[3] ?? 5);
const WARMUP = 1;

/** One timed case: `run` records its dispatches and returns what to dispose; timing ends at sync(). */
interface Case {
  name: string;
  run: (b: WebGpuBackend) => Tensor[];
}

const device = await nodeGpuDevice();
const variants: { label: string; layout: RowKernel; online?: boolean }[] = [
  { label: 'workgroup', layout: 'workgroup' },
  { label: 'thread', layout: 'thread' },
];
const backends = new Map<RowKernel, WebGpuBackend>();
for (const v of variants) {
  const b = new WebGpuBackend(device, { rowKernel: v.layout });
  await b.warmup();
  backends.set(v.layout, b);
}

/** Inputs live per backend (same device, separate pools). */
function inputsFor(b: WebGpuBackend) {
  return {
    att: b.fromArray(lcgUniform(32 * 160 * 160, 1, -3, 3), [32, 160, 160]),
    att159: b.fromArray(lcgUniform(32 * 159 * 159, 1, -3, 3), [32, 159, 159]),
    attD: b.fromArray(lcgUniform(32 * 160 * 160, 2), [32, 160, 160]),
    h: b.fromArray(lcgUniform(1280 * 160, 3), [1280, 160]),
    hD: b.fromArray(lcgUniform(1280 * 160, 4), [1280, 160]),
    w: b.fromArray(lcgUniform(160, 5, -0.5, 0.5).map((x) => x + 1), [160]),
    bias: b.fromArray(lcgUniform(160, 6, -0.1, 0.1), [160]),
    h161: b.fromArray(lcgUniform(1280 * 161, 3), [1280, 161]),
    w161: b.fromArray(lcgUniform(161, 5, -0.5, 0.5).map((x) => x + 1), [161]),
    b161: b.fromArray(lcgUniform(161, 6, -0.1, 0.1), [161]),
    w640: b.fromArray(lcgUniform(160 * 640, 7, -0.1, 0.1), [160, 640]),
    logits: b.fromArray(lcgUniform(1280 * 2048, 8, -4, 4), [1280, 2048]),
    targets: b.fromArray(Int32Array.from({ length: 1280 }, (_, i) => (i * 37) % 2048), [1280], 'i32'),
  };
}
const inputs = new Map([...backends].map(([k, b]) => [k, inputsFor(b)]));
const I = (b: WebGpuBackend) => inputs.get(b.config.rowKernel)!;

const cases: Case[] = [
  { name: 'softmax causal (32,160,160)', run: (b) => [b.softmax(I(b).att, true)] },
  { name: 'softmax (32,160,160)', run: (b) => [b.softmax(I(b).att, false)] },
  { name: 'softmax causal (32,159,159), scalar path', run: (b) => [b.softmax(I(b).att159, true)] },
  { name: 'softmaxBackward (32,160,160)', run: (b) => [b.softmaxBackward(I(b).attD, I(b).att)] },
  {
    name: 'layerNorm 1280x160',
    run: (b) => Object.values(b.layerNorm(I(b).h, I(b).w, I(b).bias, 1e-5)),
  },
  {
    name: 'layerNormBackward 1280x160',
    run: (b) => {
      const f = b.layerNorm(I(b).h, I(b).w, I(b).bias, 1e-5);
      return [...Object.values(f), ...Object.values(b.layerNormBackward(I(b).hD, I(b).h, I(b).w, f.mean, f.rstd))];
    },
  },
  { name: 'layerNorm 1280x161, scalar path', run: (b) => Object.values(b.layerNorm(I(b).h161, I(b).w161, I(b).b161, 1e-5)) },
  { name: 'rmsNorm 1280x160', run: (b) => Object.values(b.rmsNorm(I(b).h, I(b).w, 1e-5)) },
  {
    name: 'rmsNormBackward 1280x160',
    run: (b) => {
      const f = b.rmsNorm(I(b).h, I(b).w, 1e-5);
      return [...Object.values(f), ...Object.values(b.rmsNormBackward(I(b).hD, I(b).h, I(b).w, f.rstd))];
    },
  },
  { name: 'logProbs 1280x2048', run: (b) => Object.values(b.logProbs(I(b).logits, I(b).targets)) },
  { name: 'matmul 1280x160x640 (reference)', run: (b) => [b.matmul(I(b).h, I(b).w640)] },
];

console.log(`adapter: Node Dawn device; reps ${REPS} (median), warm-up ${WARMUP}; variants take turns within each rep`);
for (const c of cases) {
  const samples = new Map<RowKernel, number[]>(variants.map((v) => [v.layout, []]));
  for (let rep = 0; rep < WARMUP + REPS; rep++) {
    for (const [layout, b] of backends) {
      const t0 = performance.now();
      const outs = c.run(b);
      await b.sync();
      if (rep >= WARMUP) samples.get(layout)!.push(performance.now() - t0);
      outs.forEach((t) => t.dispose());
    }
  }
  const row = variants.map((v) => `${v.label} ${median(samples.get(v.layout)!).toFixed(1)} ms`).join(', ');
  console.log(`${c.name.padEnd(46)} ${row}`);
}

// The whole policy forward (batch 8, image prefix + 96 prompt tokens), as `lab bench --suite model` runs it.
const config = presetConfig(preset);
const B = 8, N = numImageTokens(config), T = Math.min(96, config.maxSeqLen - N);
const pixels = lcgUniform(B * config.imageSize * config.imageSize * config.imageChannels, 11);
const prompts = Array.from({ length: B }, (_, r) => Array.from(lcgUniform(T, 20 + r), (u) => 7 + Math.floor(((u + 1) / 2) * (config.vocabSize - 7))));
const policies = new Map([...backends].map(([k, b]) => [k, Policy.create(b, config)]));
const fwd = new Map<RowKernel, number[]>(variants.map((v) => [v.layout, []]));
for (let rep = 0; rep < WARMUP + Math.max(3, Math.ceil(REPS / 2)); rep++) {
  for (const [layout, b] of backends) {
    const t0 = performance.now();
    const images = b.fromArray(pixels, [B, config.imageSize, config.imageSize, config.imageChannels]);
    const pass = policies.get(layout)!.forward({ images, prompts, completions: prompts.map(() => []) }, { logits: 'text' });
    pass.dispose();
    images.dispose();
    await b.sync();
    if (rep >= WARMUP) fwd.get(layout)!.push(performance.now() - t0);
  }
}
console.log(`${`${preset} forward, batch 8, ${N}+${T} tokens`.padEnd(46)} ${variants.map((v) => `${v.label} ${median(fwd.get(v.layout)!).toFixed(1)} ms`).join(', ')}`);
