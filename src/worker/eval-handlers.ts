// Evaluation requests of the engine worker: load a model (the pretrained default, a run's checkpoint, a dropped
// safetensors file, or a dropped ONNX model), evaluate it on a stored dataset's split with src/eval, and store
// the result as an eval run for the Runs panel. All the scoring is src/eval's; this file loads, wires and saves.
import { DatasetStore, type DatasetMeta, type VqaRecord } from '../data/index.ts';
import { isMultipleChoice } from '../data/record.ts';
import { evaluatePolicy } from '../eval/evaluator.ts';
import type { EvalPolicy, EvalPrompt, GenerateOptions, Generation } from '../eval/policy.ts';
import { PolicyEvalAdapter } from '../eval/policy-adapter.ts';
import { fitQuestionPrior, type QuestionPrior } from '../eval/question-only.ts';
import { EVAL_METRICS, type EvalMetric } from '../eval/report.ts';
import { VqaTask } from '../eval/task.ts';
import type { ModelConfig } from '../model/config.ts';
import { Policy } from '../model/policy/policy.ts';
import { PolicyParameters } from '../model/policy/parameters.ts';
import { readCheckpoint } from '../model/safetensors.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { PRETRAINED_PATH } from '../rl/trainer/init.ts';
import { emptyRunRecord, type JsonObject, type RunRecord } from '../runs/record.ts';
import { RunStore } from '../runs/store.ts';
import type { Backend } from '../tensor/backend.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { WebGpuBackend } from '../tensor/webgpu-backend.ts';
import { CheckpointStore } from '../rl/trainer/checkpoint-store.ts';
import type { RgbBytes } from '../rl/trainer/images.ts';
import { restoreTokenizer } from '../model/tokenizer.ts';
import { openOnnxEvalSource } from './eval-onnx-source.ts';
import type { HandlerContext, HandlerTable, JobContext } from './handler-types.ts';
import { DEFAULT_EVAL_MAX_NEW_TOKENS, type EvalModelSource, type EvalProgress, type EvalRunParams, type EvalRunResult } from './eval-protocol.ts';

type EvalRequest = 'eval/run' | 'eval/sources';

/** Weights of a policy as a checkpoint holds them. */
export interface PolicyWeights {
  config: ModelConfig;
  tokenizer: Tokenizer;
  weights: ReadonlyMap<string, ArrayLike<number>>;
}

/** An evaluable model and how to let go of it. */
export interface LoadedEvalModel {
  policy: EvalPolicy;
  /** 'webgpu', 'cpu', 'onnx-webgpu', 'onnx-wasm'. */
  engine: string;
  /** ModelConfig as JSON for the run record ({} when unknown). */
  model: JsonObject;
  /** Prompt ids that did not fit the context so far. */
  tooLong(): string[];
  /** Frees weights and sessions; never destroys the engine's GPU device. */
  dispose(): void | Promise<void>;
}

/** Opens an ONNX model for the evaluated records (default: eval-onnx-source.ts over onnxruntime-web). */
export type OnnxPolicyFactory = (
  source: Extract<EvalModelSource, { kind: 'onnx' }>,
  records: readonly VqaRecord[],
  images: (ref: string) => Promise<RgbBytes | null>,
) => Promise<{ policy: EvalPolicy; engine: string; model: JsonObject; dispose(): void | Promise<void> }>;

export interface EvalHandlerOptions {
  /** Opens the dataset database; typical DatasetStore.open(). */
  openStore?: () => Promise<DatasetStore>;
  /** Opens the run database; typical RunStore.open(). */
  openRuns?: () => Promise<RunStore>;
  /** The pretrained default's bytes, or null when this build has none. Default: fetched from the app's origin. */
  loadPretrained?: () => Promise<Uint8Array | null>;
  /** A training run's latest checkpoint and its GRPO step. Default: the trainer's CheckpointStore. */
  loadCheckpoint?: (runId: string) => Promise<PolicyWeights & { step?: number }>;
  /** The ONNX path; default openOnnxEvalSource (onnxruntime-web, loaded on first use). */
  createOnnxPolicy?: OnnxPolicyFactory;
  /** Clock in ms; default performance.now. */
  now?: () => number;
}

const METRICS: readonly EvalMetric[] = EVAL_METRICS;
const MAX_QUESTIONS = 100_000;

/** Fetches public/models/… from the app's own origin; null when the build does not hold it. */
async function fetchPretrained(): Promise<Uint8Array | null> {
  const base = typeof location !== 'undefined' ? new URL(import.meta.env.BASE_URL ?? '/', location.origin) : null;
  if (!base) return null;
  const res = await fetch(new URL(PRETRAINED_PATH, base));
  // The dev server answers unknown paths with index.html: that is "absent", not a broken checkpoint.
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
  return new Uint8Array(await res.arrayBuffer());
}

/** A training run's latest stored checkpoint (the trainer's IndexedDB store). */
async function storedCheckpoint(runId: string): Promise<PolicyWeights & { step?: number }> {
  const saved = await (await CheckpointStore.open()).load(runId);
  if (!saved) throw new Error(`Run '${runId}' has no stored checkpoint (it may have been deleted).`);
  const { snapshot } = saved;
  return { config: snapshot.model, tokenizer: restoreTokenizer(snapshot.tokenizer, `run ${runId}: tokenizer`), weights: snapshot.weights, step: snapshot.step };
}

/** Size of the pretrained default from a HEAD request (no download); null when the build does not hold it. */
async function probePretrained(): Promise<number | null> {
  if (typeof location === 'undefined') return null;
  const res = await fetch(new URL(PRETRAINED_PATH, new URL(import.meta.env.BASE_URL ?? '/', location.origin)), { method: 'HEAD' });
  if (!res.ok || (res.headers.get('content-type') ?? '').includes('text/html')) return null;
  return Number(res.headers.get('content-length') ?? 0);
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`eval/run: ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Checks the request's fields (it crossed a thread boundary from code that may be older or newer). */
export function parseEvalRunParams(p: EvalRunParams): Required<Omit<EvalRunParams, 'name'>> & { name: string } {
  if (typeof p.datasetId !== 'string' || !p.datasetId) throw new Error('eval/run: datasetId is missing');
  if (typeof p.split !== 'string') throw new Error('eval/run: split must be a string');
  if (!Array.isArray(p.metrics) || p.metrics.length === 0) throw new Error('eval/run: choose at least one metric');
  for (const m of p.metrics) if (!METRICS.includes(m)) throw new Error(`eval/run: unknown metric ${JSON.stringify(m)} (known: ${METRICS.join(', ')})`);
  const kinds = ['pretrained', 'checkpoint', 'file', 'onnx'];
  if (!p.source || !kinds.includes(p.source.kind)) throw new Error(`eval/run: source.kind must be one of ${kinds.join(', ')}`);
  const backend = p.backend ?? 'auto';
  if (!['auto', 'webgpu', 'cpu'].includes(backend)) throw new Error(`eval/run: backend must be auto, webgpu or cpu, got ${JSON.stringify(backend)}`);
  return {
    datasetId: p.datasetId,
    split: p.split,
    maxQuestions: integer(p.maxQuestions, 'maxQuestions', 0, MAX_QUESTIONS),
    seed: integer(p.seed, 'seed', 0, 2 ** 31 - 1),
    source: p.source,
    metrics: [...new Set(p.metrics)],
    k: integer(p.k, 'k', 1, 64),
    maxNewTokens: integer(p.maxNewTokens ?? DEFAULT_EVAL_MAX_NEW_TOKENS, 'maxNewTokens', 1, 4096),
    batchSize: integer(p.batchSize ?? 8, 'batchSize', 1, 256),
    backend,
    name: typeof p.name === 'string' ? p.name.slice(0, 200) : '',
    save: p.save ?? true,
  };
}

/**
 * The question-only counts, from the dataset's training questions that are not being asked: evaluating the
 * train split (or all records) counts the rest of it, so no question is answered from its own gold answer.
 */
export function trainingPrior(records: readonly VqaRecord[], asked: readonly VqaRecord[], datasetName: string): QuestionPrior {
  const askedIds = new Set(asked.map((r) => r.id));
  const train = records.filter((r) => r.split === 'train' && !askedIds.has(r.id) && isMultipleChoice(r));
  if (train.length === 0) {
    throw new Error(`${datasetName} has no multiple-choice training questions outside the ones asked, so the question-only metric has nothing to count; untick it or evaluate a dataset with a 'train' split.`);
  }
  return fitQuestionPrior(train);
}

/** Records of a split ('' = all); an unknown split names the ones there are. */
export function splitRecords(records: readonly VqaRecord[], split: string, datasetName: string): VqaRecord[] {
  if (split === '') return records.slice();
  const chosen = records.filter((r) => r.split === split);
  if (chosen.length === 0) {
    const splits = [...new Set(records.map((r) => r.split))].sort();
    throw new Error(`${datasetName} has no records in split '${split}' (splits: ${splits.join(', ') || 'none'}).`);
  }
  return chosen;
}

function sourceLabel(source: EvalModelSource): string {
  switch (source.kind) {
    case 'pretrained': return 'pretrained';
    case 'checkpoint': return `checkpoint ${source.runId}`;
    case 'file': return source.name;
    case 'onnx': return `onnx:${source.name}`;
  }
}

/** The source as the run record keeps it: never the bytes. */
function sourceJson(source: EvalModelSource): JsonObject {
  switch (source.kind) {
    case 'pretrained': return { kind: 'pretrained', path: PRETRAINED_PATH };
    case 'checkpoint': return { kind: 'checkpoint', runId: source.runId };
    case 'file': return { kind: 'file', name: source.name, bytes: source.bytes.byteLength };
    case 'onnx': return { kind: 'onnx', name: source.name, bytes: source.bytes.byteLength, executionProvider: source.executionProvider };
  }
}

/** Keeps each greedy, unrotated completion by record id (the evaluator keeps verdicts, the UI wants the text). */
class AnswerRecorder implements EvalPolicy {
  readonly answers = new Map<string, string>();
  /** `asked`: ids of the evaluated records; rotated copies carry other ids (eval/rotation.ts) and are skipped. */
  constructor(
    private readonly inner: EvalPolicy,
    private readonly asked: ReadonlySet<string>,
  ) {}
  get name(): string {
    return this.inner.name;
  }
  async generate(prompts: readonly EvalPrompt[], options: GenerateOptions): Promise<Generation[]> {
    const out = await this.inner.generate(prompts, options);
    if (options.temperature <= 0) prompts.forEach((p, i) => {
      if (this.asked.has(p.record.id) && !this.answers.has(p.record.id)) this.answers.set(p.record.id, out[i]?.text ?? '');
    });
    return out;
  }
  scoreOptions(prompt: EvalPrompt, continuations: readonly string[]): Promise<number[][]> {
    return this.inner.scoreOptions(prompt, continuations);
  }
}

export function evalHandlers(ctx: HandlerContext, options: EvalHandlerOptions = {}): HandlerTable<EvalRequest> {
  let storeP: Promise<DatasetStore> | null = null;
  const datasets = () => (storeP ??= (options.openStore ?? (() => DatasetStore.open()))().catch((e: unknown) => {
    storeP = null;
    throw e;
  }));
  let runsP: Promise<RunStore> | null = null;
  const runs = () => (runsP ??= (options.openRuns ?? (() => RunStore.open()))().catch((e: unknown) => {
    runsP = null;
    throw e;
  }));
  const loadPretrained = options.loadPretrained ?? fetchPretrained;
  const pretrainedSize = options.loadPretrained ? async () => (await loadPretrained())?.byteLength ?? null : probePretrained;
  const now = options.now ?? (() => performance.now());

  /** WebGPU when asked or available, else the CPU reference backend. */
  const pickBackend = async (want: 'auto' | 'webgpu' | 'cpu'): Promise<{ backend: Backend; adapter: RunRecord['adapter'] }> => {
    if (want !== 'cpu') {
      try {
        const { backend, acquired } = await ctx.session.webGpuBackend();
        const r = acquired.report;
        return { backend, adapter: { vendor: r.vendor, architecture: r.architecture, isFallbackAdapter: r.isFallbackAdapter } };
      } catch (err) {
        if (want === 'webgpu') throw err;
      }
    }
    return { backend: new CpuBackend(), adapter: null };
  };

  const policyModel = async (weights: PolicyWeights, name: string, want: 'auto' | 'webgpu' | 'cpu', datasetId: string) => {
    const { backend, adapter } = await pickBackend(want);
    let policy: Policy;
    try {
      policy = new Policy(backend, weights.config, PolicyParameters.fromArrays(backend, weights.config, weights.weights));
    } catch (err) {
      if (backend instanceof WebGpuBackend) backend.destroy();
      throw err;
    }
    const store = await datasets();
    const evalPolicy = new PolicyEvalAdapter(policy, weights.tokenizer, (ref) => store.getImage(datasetId, ref), { name });
    const loaded: LoadedEvalModel = {
      policy: evalPolicy,
      engine: backend.name,
      model: JSON.parse(JSON.stringify(weights.config)) as JsonObject,
      tooLong: () => [...evalPolicy.tooLong],
      dispose: () => {
        evalPolicy.dispose();
        // Frees our buffer pool only: the device belongs to the session and stays alive.
        if (backend instanceof WebGpuBackend) backend.destroy();
      },
    };
    return { loaded, adapter };
  };

  const loadModel = async (source: EvalModelSource, want: 'auto' | 'webgpu' | 'cpu', datasetId: string, records: readonly VqaRecord[]) => {
    const name = sourceLabel(source);
    switch (source.kind) {
      case 'pretrained': {
        const bytes = await loadPretrained();
        if (!bytes) throw new Error(`The pretrained default (public/${PRETRAINED_PATH}) is not in this build yet. Evaluate a training run's checkpoint or drop a .safetensors file instead.`);
        return policyModel(readCheckpoint(bytes, PRETRAINED_PATH), name, want, datasetId);
      }
      case 'checkpoint': {
        const weights: PolicyWeights & { step?: number } = await (options.loadCheckpoint ?? storedCheckpoint)(source.runId);
        // Filed at the run's GRPO step, so the shared record says which policy of the run was evaluated.
        return { ...(await policyModel(weights, name, want, datasetId)), step: weights.step ?? -1 };
      }
      case 'file': {
        if (!(source.bytes instanceof Uint8Array)) throw new Error(`${source.name}: expected the file's bytes`);
        return policyModel(readCheckpoint(source.bytes, source.name), name, want, datasetId);
      }
      case 'onnx': {
        if (!(source.bytes instanceof Uint8Array) || typeof source.tokenizerJson !== 'string') throw new Error(`${source.name}: expected the model's bytes and tokenizer text`);
        if (source.executionProvider !== 'webgpu' && source.executionProvider !== 'wasm') throw new Error(`${source.name}: execution provider must be webgpu or wasm`);
        const store = await datasets();
        const onnx = await (options.createOnnxPolicy ?? openOnnxEvalSource)(source, records, (ref) => store.getImage(datasetId, ref));
        const loaded: LoadedEvalModel = { ...onnx, tooLong: () => [] };
        return { loaded, adapter: null };
      }
    }
  };

  return {
    'eval/sources': async () => {
      try {
        const size = await pretrainedSize();
        return size !== null
          ? { pretrained: { available: true, bytes: size, message: `public/${PRETRAINED_PATH}` } }
          : { pretrained: { available: false, bytes: 0, message: `public/${PRETRAINED_PATH} is not in this build yet` } };
      } catch (err) {
        return { pretrained: { available: false, bytes: 0, message: err instanceof Error ? err.message : String(err) } };
      }
    },

    'eval/run': async (raw, job: JobContext<EvalProgress>) => {
      const p = parseEvalRunParams(raw);
      const started = now();
      const createdAt = new Date().toISOString();
      job.progress({ phase: 'loading model and data', done: 0, total: 1, unit: 'steps' });
      const store = await datasets();
      const got = await store.get(p.datasetId);
      if (!got) throw new Error(`No stored dataset with id ${JSON.stringify(p.datasetId)} (it may have been deleted).`);
      const meta: DatasetMeta = got.meta;
      const pool = splitRecords(got.records, p.split, meta.name);
      const task = new VqaTask(`${meta.name} ${p.split || 'all'}`, pool, { seed: p.seed, stop: p.maxQuestions > 0 ? p.maxQuestions : -1 });
      job.signal.throwIfAborted();

      const chosen = Array.from({ length: task.size }, (_, i) => task.example(i));
      const questionPrior = p.metrics.includes('question-only') ? trainingPrior(got.records, chosen, meta.name) : undefined;
      const model = await loadModel(p.source, p.backend, p.datasetId, chosen);
      const { loaded, adapter } = model;
      const checkpointStep = 'step' in model ? model.step : -1;
      try {
        job.signal.throwIfAborted();
        const recorder = new AnswerRecorder(loaded.policy, new Set(chosen.map((r) => r.id)));
        const loadMs = now() - started;
        const report = await evaluatePolicy(recorder, task, {
          config: { metrics: p.metrics, k: p.k, maxNewTokens: p.maxNewTokens, batchSize: p.batchSize, seed: p.seed },
          signal: job.signal,
          questionPrior,
          onProgress: (q) => job.progress({ phase: q.phase, done: q.done, total: q.total, unit: q.phase === 'likelihood' ? 'questions' : 'prompts' }),
        });
        const answers = Object.fromEntries([...recorder.answers].map(([id, completion]) => [id, { completion }]));
        const name = p.name || `${sourceLabel(p.source)} on ${meta.name} ${p.split || 'all'}`;
        let runId: string | null = null;
        if (p.save) {
          job.progress({ phase: 'saving', done: 0, total: 1, unit: 'steps' });
          const run = emptyRunRecord(`eval-${createdAt.replace(/[:.]/g, '-')}-${Math.random().toString(36).slice(2, 6)}`, 'eval', createdAt);
          run.name = name;
          run.config = {
            ...run.config,
            seed: p.seed,
            model: loaded.model,
            eval: {
              ...(JSON.parse(JSON.stringify(report.config)) as JsonObject),
              split: p.split,
              maxQuestions: p.maxQuestions,
              source: sourceJson(p.source),
              engine: loaded.engine,
            },
          };
          run.adapter = adapter;
          run.dataset = { name: meta.name, fingerprint: meta.fingerprint, counts: { ...meta.bySplit } };
          run.evals = [{ name: p.source.kind === 'checkpoint' && p.name ? p.name : sourceLabel(p.source), step: checkpointStep, report }];
          run.timings = {
            wallMs: now() - started,
            loadMs,
            evalMs: report.throughput.wallMs,
            questionsPerSecond: report.throughput.questionsPerSecond,
            tokensPerSecond: report.throughput.tokensPerSecond,
            latencyMeanMs: report.throughput.latencyMs.mean,
            latencyP50Ms: report.throughput.latencyMs.p50,
            latencyP95Ms: report.throughput.latencyMs.p95,
          };
          await (await runs()).put(run);
          runId = run.id;
        }
        const result: EvalRunResult = {
          runId,
          report,
          records: chosen,
          answers,
          tooLong: loaded.tooLong(),
          engine: loaded.engine,
          dataset: { id: meta.id, name: meta.name, fingerprint: meta.fingerprint, split: p.split },
          loadMs,
        };
        return result;
      } finally {
        await loaded.dispose();
      }
    },
  };
}
