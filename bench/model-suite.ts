// `--suite model` in the browser: the whole policy forward (batch 8, image prefix + full prompt) on our engine
// against the same weights exported to ONNX and run by onnxruntime-web on its WebGPU EP and its wasm EP
// (2 threads), then our KV-cache generation for a group of 8 at two lengths. Logits of all three are
// compared before anything is timed.
//
// What a timed forward includes, the same for every path: the image batch and the ids go in from JS memory,
// the logits (B, T, V) stay where they were computed (our pool, ORT's GPU buffer; the wasm EP hands back a
// CPU tensor, its only option), and the run ends when that device's queue is idle. The three paths take turns
// run by run (as the kernel suite does, without its settle runs), so background load falls on all of them alike.

import { acquireDevice } from '../src/gpu/adapter-report.ts';
import { numImageTokens, parameterCount, presetConfig, type ModelConfig } from '../src/model/config.ts';
import { exportPolicyOnnx, POLICY_ONNX_IO } from '../src/model/onnx/policy-export.ts';
import { generate } from '../src/model/policy/generate.ts';
import { PolicyParameters } from '../src/model/policy/parameters.ts';
import { Policy } from '../src/model/policy/policy.ts';
import { readCheckpoint } from '../src/model/safetensors.ts';
import { WebGpuBackend } from '../src/tensor/webgpu-backend.ts';
import * as ort from 'onnxruntime-web/webgpu';
import { configureOrt, ORT_BUNDLE } from './ort-matmul.ts';
import { DEFAULT_MODEL_SUITE, type GenerateTiming, type ModelSuiteOptions, type ModelSuiteReport } from './model-suite-report.ts';
import { median } from './report.ts';
import { lcgUniform } from '../src/test/lcg.ts';

/** The pretrained default when it is served and matches the preset's family, else null. */
async function servedCheckpoint(url: string): Promise<ReturnType<typeof readCheckpoint> | null> {
  try {
    const res = await fetch(url);
    // The preview server answers unknown paths with index.html; only real bytes count.
    if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
    return readCheckpoint(new Uint8Array(await res.arrayBuffer()), url);
  } catch {
    return null;
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

export async function runModelSuite(options: ModelSuiteOptions = {}, log: (s: string) => void = () => {}): Promise<ModelSuiteReport> {
  const cfg = { ...DEFAULT_MODEL_SUITE, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULT_MODEL_SUITE;
  const { device, report: adapter } = await acquireDevice(navigator.gpu);
  const backend = new WebGpuBackend(device);
  await backend.warmup();
  configureOrt(cfg.wasmThreads);

  // Weights: the pretrained default for the tiny preset when it is served, random otherwise.
  let config: ModelConfig = presetConfig(cfg.preset);
  let policy: Policy;
  let weightsLabel = `random (seed ${config.seed})`;
  const checkpoint = cfg.preset === 'tiny' ? await servedCheckpoint(cfg.checkpointUrl) : null;
  if (checkpoint) {
    config = checkpoint.config;
    policy = new Policy(backend, config, PolicyParameters.fromArrays(backend, config, checkpoint.weights));
    weightsLabel = cfg.checkpointUrl;
  } else {
    policy = Policy.create(backend, config);
  }
  log(`preset ${cfg.preset}: ${parameterCount(config)} parameters, weights ${weightsLabel}`);

  const N = numImageTokens(config), V = config.vocabSize, B = cfg.batch;
  const T = Math.min(cfg.promptTokens, config.maxSeqLen - N);
  const pixelsPer = config.imageSize * config.imageSize * config.imageChannels;
  const pixels = lcgUniform(B * pixelsPer, cfg.seed);
  const idsOf = (count: number, seed: number): number[] => Array.from(lcgUniform(count, seed), (u) => 7 + Math.floor(((u + 1) / 2) * (V - 7)));
  const prompts = Array.from({ length: B }, (_, r) => idsOf(T, cfg.seed + 1 + r));
  const imageDims = [B, config.imageSize, config.imageSize, config.imageChannels];

  const onnxBytes = exportPolicyOnnx(config, await policy.params.readAll());
  log(`exported ONNX: ${(onnxBytes.length / 1e6).toFixed(2)} MB`);
  const ortFeeds = () => ({
    [POLICY_ONNX_IO.image]: new ort.Tensor('float32', pixels, imageDims),
    [POLICY_ONNX_IO.inputIds]: new ort.Tensor('int64', BigInt64Array.from(prompts.flat(), (x) => BigInt(x)), [B, T]),
    [POLICY_ONNX_IO.attentionMask]: new ort.Tensor('int64', new BigInt64Array(B * T).fill(1n), [B, T]),
  });
  const webgpuSession = await ort.InferenceSession.create(onnxBytes, {
    executionProviders: ['webgpu'], graphOptimizationLevel: 'all', preferredOutputLocation: 'gpu-buffer',
  });
  const ortDevice = (await ort.env.webgpu.device) as GPUDevice;
  const wasmSession = await ort.InferenceSession.create(onnxBytes, {
    executionProviders: ['wasm'], graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });

  try {
    // ---- agreement first
    const oursLogits = async (): Promise<Float32Array> => {
      const images = backend.fromArray(pixels, imageDims);
      const pass = policy.forward({ images, prompts, completions: prompts.map(() => []) }, { logits: 'text' });
      const out = (await backend.read(pass.logits)) as Float32Array;
      pass.dispose();
      images.dispose();
      return out;
    };
    const ref = await oursLogits();
    const gpuOut = (await webgpuSession.run(ortFeeds()))[POLICY_ONNX_IO.logits];
    const gpuLogits = (await gpuOut.getData(true)) as Float32Array;
    const wasmLogits = (await (await wasmSession.run(ortFeeds()))[POLICY_ONNX_IO.logits].getData()) as Float32Array;
    const maxAbsDiffWebgpu = maxAbsDiff(gpuLogits, ref), maxAbsDiffWasm = maxAbsDiff(wasmLogits, ref);
    log(`logits max |diff|: ort-webgpu ${maxAbsDiffWebgpu.toExponential(2)}, ort-wasm ${maxAbsDiffWasm.toExponential(2)}`);

    // ---- forward timing, interleaved
    const runs: [keyof typeof samples, () => Promise<void>][] = [
      ['ours', async () => {
        const images = backend.fromArray(pixels, imageDims);
        const pass = policy.forward({ images, prompts, completions: prompts.map(() => []) }, { logits: 'text' });
        pass.dispose();
        images.dispose();
        await backend.sync();
      }],
      ['ortWebgpu', async () => {
        const out = await webgpuSession.run(ortFeeds());
        await ortDevice.queue.onSubmittedWorkDone();
        out[POLICY_ONNX_IO.logits].dispose();
      }],
      ['ortWasm', async () => {
        (await wasmSession.run(ortFeeds()))[POLICY_ONNX_IO.logits].dispose();
      }],
    ];
    const samples = { ours: [] as number[], ortWebgpu: [] as number[], ortWasm: [] as number[] };
    for (let round = 0; round < cfg.warmup + cfg.reps; round++) {
      // No untimed settle run before each timed one (the kernel suite has one): a forward takes milliseconds
      // to seconds here, so the tens of ms that waking another device costs are noise, not a bias.
      for (const [path, run] of runs) {
        const t0 = performance.now();
        await run();
        if (round >= cfg.warmup) samples[path].push(performance.now() - t0);
      }
    }
    const ms = { ours: median(samples.ours), ortWebgpu: median(samples.ortWebgpu), ortWasm: median(samples.ortWasm) };
    log(`forward: ours ${ms.ours.toFixed(2)} ms, ort-webgpu ${ms.ortWebgpu.toFixed(2)} ms, ort-wasm ${ms.ortWasm.toFixed(2)} ms`);

    // ---- generation with the KV cache, a group sampled from one prompt, no stop token (full length)
    const genPrompt = idsOf(Math.min(32, config.maxSeqLen - N - cfg.generateLengths[1]), cfg.seed + 99);
    const lengths: GenerateTiming[] = [];
    for (const newTokens of cfg.generateLengths) {
      const images = backend.fromArray(pixels.subarray(0, pixelsPer), [1, config.imageSize, config.imageSize, config.imageChannels]);
      const once = async (): Promise<number> => {
        const t0 = performance.now();
        const out = await generate(policy, { images, prompts: [genPrompt] }, {
          greedy: false, temperature: 1, topK: 0, topP: 1, maxNewTokens: newTokens, stopTokens: [], seed: cfg.seed, samplesPerPrompt: cfg.group,
        });
        const elapsed = performance.now() - t0;
        if (out.some((c) => c.tokens.length !== newTokens)) throw new Error(`generate: a completion stopped before ${newTokens} tokens`);
        return elapsed;
      };
      await once();
      const times: number[] = [];
      for (let i = 0; i < Math.max(3, Math.ceil(cfg.reps / 2)); i++) times.push(await once());
      images.dispose();
      const t = median(times);
      lengths.push({ newTokens, ms: t, tokensPerSecond: (cfg.group * newTokens) / (t / 1000), msPerToken: t / newTokens });
      log(`generate ${cfg.group} x ${newTokens}: ${t.toFixed(1)} ms, ${lengths.at(-1)!.tokensPerSecond.toFixed(1)} tokens/s`);
    }

    return {
      adapter,
      preset: cfg.preset,
      weights: weightsLabel,
      parameters: parameterCount(config),
      warmup: cfg.warmup,
      reps: cfg.reps,
      ort: { bundle: ORT_BUNDLE, wasmThreads: cfg.wasmThreads, crossOriginIsolated: globalThis.crossOriginIsolated === true },
      forward: {
        batch: B, textTokens: T, imageTokens: N,
        oursMs: ms.ours, ortWebgpuMs: ms.ortWebgpu, ortWasmMs: ms.ortWasm,
        speedupVsOrtWebgpu: ms.ortWebgpu / ms.ours, speedupVsOrtWasm: ms.ortWasm / ms.ours,
        maxAbsDiff: Math.max(maxAbsDiffWebgpu, maxAbsDiffWasm), maxAbsDiffWebgpu, maxAbsDiffWasm,
        onnxBytes: onnxBytes.length,
      },
      generate: {
        group: cfg.group,
        tokensPerSecond: lengths[lengths.length - 1].tokensPerSecond,
        lengths,
        perTokenCostRatio: lengths[lengths.length - 1].msPerToken / lengths[0].msPerToken,
      },
    };
  } finally {
    await webgpuSession.release();
    await wasmSession.release();
    policy.dispose();
    device.destroy();
  }
}
