// The Model panel's requests in the engine worker: load a checkpoint (the pretrained default, a dropped
// .safetensors, or fresh weights of a preset), describe it, export it as ONNX or safetensors, and generate one
// answer for a stored record. Weights stay on the CPU as arrays (what both exports need); the GPU policy for
// try-it is built on first use and freed when another model is loaded.

import { DatasetStore } from '../data/storage/dataset-store.ts';
import { numImageTokens, parameterCount, parameterShapes, type ModelConfig } from '../model/config.ts';
import { exportPolicyOnnx } from '../model/onnx/policy-export.ts';
import { generate } from '../model/policy/generate.ts';
import { initialValues, PolicyParameters } from '../model/policy/parameters.ts';
import { Policy } from '../model/policy/policy.ts';
import { readCheckpoint, writeCheckpoint } from '../model/safetensors.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { toPolicyPixels } from '../rl/trainer/images.ts';
import { PRETRAINED_PATH, scratchInit } from '../rl/trainer/init.ts';
import { completionText, promptIds, stopTokens } from '../rl/trainer/prompting.ts';
import type { Backend } from '../tensor/backend.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { WebGpuBackend } from '../tensor/webgpu-backend.ts';
import type { HandlerContext, HandlerTable } from './handler-types.ts';
import type { ModelGenerateParams, ModelSource, ModelSummary } from './model-protocol.ts';

export interface ModelHandlerOptions {
  /** Opens the dataset database; default DatasetStore.open(). */
  openStore?: () => Promise<DatasetStore>;
  /** The pretrained default's bytes, or null when this build has none; default fetched from the app's origin. */
  loadPretrained?: () => Promise<Uint8Array | null>;
}

/** The model the worker holds. */
interface LoadedModel {
  name: string;
  config: ModelConfig;
  tokenizer: Tokenizer;
  weights: Map<string, Float32Array>;
  extra: Record<string, string>;
  /** Built on the first try-it generation. */
  policy: Policy | null;
}

async function fetchPretrained(): Promise<Uint8Array | null> {
  if (typeof location === 'undefined') return null;
  const res = await fetch(new URL(PRETRAINED_PATH, new URL(import.meta.env?.BASE_URL ?? '/', location.origin)));
  // The dev server answers unknown paths with index.html: that is "absent", not a broken checkpoint.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await res.arrayBuffer());
}

/** A file name stem from a model name: letters, digits, '-', '_' and '.'. */
function stem(name: string): string {
  const s = name.replace(/\.safetensors$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return s || 'policy';
}

function summary(m: LoadedModel): ModelSummary {
  return {
    name: m.name, config: m.config, tokenizerSize: m.tokenizer.vocabSize, parameters: parameterCount(m.config),
    tensors: parameterShapes(m.config).length, extra: m.extra,
  };
}

export function modelHandlers(ctx: HandlerContext, options: ModelHandlerOptions = {}): HandlerTable<'model/current' | 'model/load' | 'model/export' | 'model/generate'> {
  let current: LoadedModel | null = null;
  let loads: Promise<unknown> = Promise.resolve();
  let pretrained: Promise<Uint8Array | null> | null = null;
  const loadPretrained = () => (pretrained ??= (options.loadPretrained ?? fetchPretrained)().catch(() => null));
  let storeP: Promise<DatasetStore> | null = null;
  const store = () => (storeP ??= (options.openStore ?? (() => DatasetStore.open()))().catch((e: unknown) => {
    storeP = null;
    throw e;
  }));

  const replace = (next: LoadedModel): ModelSummary => {
    freePolicy(current);
    current = next;
    return summary(next);
  };

  const load = async (source: ModelSource): Promise<LoadedModel> => {
    switch (source?.kind) {
      case 'pretrained': {
        const bytes = await loadPretrained();
        if (!bytes) throw new Error(`The pretrained default (public/${PRETRAINED_PATH}) is not in this build. Drop a .safetensors checkpoint or start a preset from scratch.`);
        const c = readCheckpoint(bytes, PRETRAINED_PATH);
        return { name: 'pretrained', ...c, policy: null };
      }
      case 'file': {
        if (!(source.bytes instanceof Uint8Array)) throw new Error(`${String(source.name)}: expected the file's bytes`);
        const c = readCheckpoint(source.bytes, source.name);
        return { name: source.name, ...c, policy: null };
      }
      case 'scratch': {
        const found = await (await store()).get(source.datasetId);
        if (!found) throw new Error(`Dataset '${source.datasetId}' is not stored in this browser.`);
        const init = scratchInit(source.preset, found.records, source.seed ?? 1234);
        const weights = new Map(parameterShapes(init.model).map((spec) => [spec.name, initialValues(spec, init.model.seed)]));
        return { name: `${source.preset} from scratch (${found.meta.name})`, config: init.model, tokenizer: init.tokenizer, weights, extra: {}, policy: null };
      }
      default:
        throw new Error(`model/load: unknown source ${JSON.stringify((source as { kind?: unknown })?.kind)}`);
    }
  };

  const backendFor = async (): Promise<Backend> => {
    try {
      return (await ctx.session.webGpuBackend()).backend;
    } catch {
      return new CpuBackend();
    }
  };

  return {
    'model/current': async () => ({ model: current ? summary(current) : null, pretrainedAvailable: (await loadPretrained()) !== null, pretrainedPath: PRETRAINED_PATH }),

    // Loads run one after another in the order they arrive, so the last one asked for is the one held
    // (the panel's automatic pretrained load must not land after a checkpoint the user dropped meanwhile).
    'model/load': ({ source }) => {
      const next = loads.then(async () => replace(await load(source)));
      loads = next.catch(() => undefined);
      return next;
    },

    'model/export': async ({ format }) => {
      const m = current;
      if (!m) throw new Error('Load a model first.');
      if (format === 'onnx') {
        const bytes = exportPolicyOnnx(m.config, m.weights, { metadata: { 'anatomy_r1.tokenizer': JSON.stringify(m.tokenizer.toJSON()) } });
        return { fileName: `${stem(m.name)}.onnx`, bytes };
      }
      if (format === 'safetensors') return { fileName: `${stem(m.name)}.safetensors`, bytes: writeCheckpoint(m.config, m.tokenizer, m.weights, m.extra) };
      throw new Error(`model/export: format must be 'onnx' or 'safetensors', got ${JSON.stringify(format)}`);
    },

    'model/generate': async (params: ModelGenerateParams, job) => {
      const m = current;
      if (!m) throw new Error('Load a model first.');
      const s = params.sampling;
      if (!Number.isInteger(s.maxNewTokens) || s.maxNewTokens < 1 || s.maxNewTokens > 1024) throw new Error(`max tokens must be an integer from 1 to 1024, got ${s.maxNewTokens}`);
      for (const [label, v, lo, hi] of [['temperature', s.temperature, 0, 10], ['top-p', s.topP, 0, 1], ['top-k', s.topK, 0, 1 << 20]] as const) {
        if (!Number.isFinite(v) || v < lo || v > hi) throw new Error(`${label} must be from ${lo} to ${hi}, got ${v}`);
      }
      const db = await store();
      const found = await db.get(params.datasetId);
      const record = found?.records.find((r) => r.id === params.recordId);
      if (!found || !record) throw new Error(`Record '${params.recordId}' is not in dataset '${params.datasetId}'.`);
      const image = record.image ? await db.getImage(params.datasetId, record.image) : null;
      const size = m.config.imageSize;
      const pixels = image ? toPolicyPixels(image, size) : new Float32Array(size * size * 3);
      job.signal.throwIfAborted();
      m.policy ??= await (async () => {
        const b = await backendFor();
        return new Policy(b, m.config, PolicyParameters.fromArrays(b, m.config, m.weights));
      })();
      const policy = m.policy;
      const ids = promptIds(m.tokenizer, record);
      const room = m.config.maxSeqLen - numImageTokens(m.config) - ids.length;
      if (room < 1) throw new Error(`The prompt of '${record.id}' takes ${ids.length} tokens; with the image prefix it leaves no room for an answer within maxSeqLen ${m.config.maxSeqLen}.`);
      const t0 = performance.now();
      const images = policy.backend.fromArray(pixels, [1, size, size, 3]);
      try {
        const [c] = await generate(policy, { images, prompts: [ids] }, {
          greedy: s.greedy, temperature: s.temperature, topP: s.topP, topK: s.topK, maxNewTokens: Math.min(s.maxNewTokens, room),
          stopTokens: stopTokens(m.tokenizer), seed: s.seed, samplesPerPrompt: 1, padId: m.tokenizer.padId,
        });
        return {
          prompt: m.tokenizer.decode(ids), completion: completionText(m.tokenizer, c.tokens), tokens: c.tokens.length, finish: c.finish,
          ms: performance.now() - t0, engine: policy.backend.name, gold: record.answer,
        };
      } finally {
        images.dispose();
      }
    },
  };
}

function freePolicy(m: LoadedModel | null): void {
  if (!m?.policy) return;
  const b = m.policy.backend;
  m.policy.dispose();
  m.policy = null;
  // Frees our buffer pool only: the device belongs to the session and stays alive.
  if (b instanceof WebGpuBackend) b.destroy();
}
