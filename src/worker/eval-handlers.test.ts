// The worker's evaluation requests in Node over fake-indexeddb: a dropped micro checkpoint evaluated on a stored
// split gives the same report as calling the evaluator directly, is stored as an eval run, keeps the greedy
// answers, honours cancel (nothing stored), refuses bad input in words, and on WebGPU leaves the device alive.
import 'fake-indexeddb/auto';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { DatasetStore, type StoredImage, type VqaRecord } from '../data/index.ts';
import { evaluatePolicy } from '../eval/evaluator.ts';
import { PolicyEvalAdapter } from '../eval/policy-adapter.ts';
import { fitQuestionPrior, questionOnlyAccuracy } from '../eval/question-only.ts';
import { VqaTask } from '../eval/task.ts';
import { PolicyParameters } from '../model/policy/parameters.ts';
import { Policy } from '../model/policy/policy.ts';
import { tinyConfig } from '../model/policy/test-fixtures.ts';
import { writeCheckpoint } from '../model/safetensors.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { tokenizerCorpus } from '../rl/trainer/prompting.ts';
import { RunStore } from '../runs/store.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { nodeGpu } from '../test/node-gpu.ts';
import { DeviceSession } from './device-session.ts';
import { evalHandlers, parseEvalRunParams, type EvalHandlerOptions } from './eval-handlers.ts';
import { onnxMetadata, openOnnxEvalSource, ONNX_CONFIG_KEY } from './eval-onnx-source.ts';
import type { OrtModule } from '../eval/onnx-policy.ts';
import { exportPolicyOnnx } from '../model/onnx/policy-export.ts';
import type { EvalProgress, EvalRunParams } from './eval-protocol.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';

const NAMES = ['Liver', 'Gut', 'Omentum', 'Cystic Plate'];

function dataset(): { records: VqaRecord[]; images: StoredImage[] } {
  const records: VqaRecord[] = [];
  const images: StoredImage[] = [];
  for (let i = 0; i < 10; i++) {
    const gold = i % 4;
    records.push({
      id: `set.json#${i}`, image: `img/${i % 3}.png`, question: 'Which organ?', options: NAMES, goldIndex: gold, answer: NAMES[gold], open: false,
      questionType: i % 2 ? 'Anatomy Identification' : 'Organ Recognition', modality: 'CT', anatomy: NAMES[gold], source: 'synth',
      split: i < 6 ? 'test' : 'train',
    });
  }
  for (let k = 0; k < 3; k++) {
    const data = new Uint8Array(8 * 8 * 3).map((_, j) => (j * 13 + k * 70) % 256);
    images.push({ ref: `img/${k}.png`, width: 8, height: 8, data });
  }
  return { records, images };
}

let counter = 0;
async function setup() {
  const n = ++counter;
  const { records, images } = dataset();
  const dsName = `eval-handlers-data-${n}`;
  const runsName = `eval-handlers-runs-${n}`;
  const store = await DatasetStore.open(dsName);
  const meta = await store.save({ name: 'tiny set', format: 'synth', records, images, imageSize: 8, fingerprint: `fp-${n}` });
  const tokenizer = trainTokenizer(tokenizerCorpus(records), { vocabSize: 300 });
  const config = tinyConfig({ vocabSize: tokenizer.vocabSize, maxSeqLen: 160, initStd: 0.5 });
  const weights = await Policy.create(new CpuBackend(), config).params.readAll();
  const bytes = writeCheckpoint(config, tokenizer, weights);
  const make = (ctx: HandlerContext, pretrained: Uint8Array | null = null, extra: Partial<EvalHandlerOptions> = {}) =>
    evalHandlers(ctx, {
      ...extra,
      openStore: () => DatasetStore.open(dsName), openRuns: () => RunStore.open(runsName), loadPretrained: async () => pretrained,
      createOnnxPolicy: (source, records, images) => openOnnxEvalSource(source, records, images, ort as unknown as OrtModule),
    });
  return { make, meta, records, bytes, store, tokenizer, config, weights, runsName };
}

const cpuCtx = { session: new DeviceSession(undefined, () => undefined) } as HandlerContext;
function job(signal = new AbortController().signal): JobContext<EvalProgress> & { seen: EvalProgress[] } {
  const seen: EvalProgress[] = [];
  return { signal, progress: (p) => seen.push(p), seen };
}

const params = (datasetId: string, bytes: Uint8Array, over: Partial<EvalRunParams> = {}): EvalRunParams => ({
  datasetId, split: 'test', maxQuestions: 4, seed: 3, source: { kind: 'file', name: 'micro.safetensors', bytes },
  metrics: ['greedy', 'likelihood'], k: 2, maxNewTokens: 6, batchSize: 4, ...over,
});

describe('eval/run', () => {
  it('evaluates a dropped checkpoint on a split exactly as the evaluator does, and stores an eval run', async () => {
    const s = await setup();
    const h = s.make(cpuCtx);
    const j = job();
    const result = await h['eval/run'](params(s.meta.id, s.bytes, { metrics: ['greedy', 'circular', 'likelihood'] }), j);

    // The same evaluation called directly.
    const test = s.records.filter((r) => r.split === 'test');
    const cpu = new CpuBackend();
    const policy = new Policy(cpu, s.config, PolicyParameters.fromArrays(cpu, s.config, s.weights));
    const adapter = new PolicyEvalAdapter(policy, s.tokenizer, (ref) => s.store.getImage(s.meta.id, ref), { name: 'micro.safetensors' });
    const direct = await evaluatePolicy(adapter, new VqaTask('tiny set test', test, { seed: 3, stop: 4 }), {
      config: { metrics: ['greedy', 'circular', 'likelihood'], k: 2, maxNewTokens: 6, batchSize: 4, seed: 3 },
    });
    expect(result.report.overall).toEqual(direct.overall);
    expect(result.report.unextractable).toEqual(direct.unextractable);
    expect(result.report.confusion).toEqual(direct.confusion);
    expect(result.records.map((r) => r.id)).toHaveLength(4);
    // One greedy answer per evaluated record (ids holding '#' included), none for the rotated copies.
    expect(Object.keys(result.answers).sort()).toEqual(result.records.map((r) => r.id).sort());
    for (const r of result.records) {
      expect(r.split).toBe('test');
      expect(typeof result.answers[r.id].completion).toBe('string');
    }
    expect(result.engine).toBe('cpu');
    expect(j.seen.map((p) => p.phase)).toEqual(expect.arrayContaining(['loading model and data', 'greedy', 'likelihood', 'saving']));

    const runs = await RunStore.open(s.runsName);
    const stored = await runs.get(result.runId!);
    expect(stored?.kind).toBe('eval');
    expect(stored?.config.seed).toBe(3);
    expect(stored?.config.eval).toMatchObject({ split: 'test', maxQuestions: 4, source: { kind: 'file', name: 'micro.safetensors' }, engine: 'cpu' });
    expect(stored?.dataset).toEqual({ name: 'tiny set', fingerprint: s.meta.fingerprint, counts: { test: 6, train: 4 } });
    expect(stored?.evals[0].report.overall).toEqual(direct.overall);
    expect(stored?.timings.wallMs).toBeGreaterThan(0);
    expect(stored?.adapter).toBeNull();
    expect(stored?.evals[0].step).toBe(-1);
  });

  it("files a training run's checkpoint evaluation at the checkpoint's step, under the given name", async () => {
    const s = await setup();
    const h = s.make(cpuCtx, null, { loadCheckpoint: async () => ({ config: s.config, tokenizer: s.tokenizer, weights: s.weights, step: 7 }) });
    const name = 'GRPO micro seed 0 · checkpoint at step 7';
    const result = await h['eval/run'](params(s.meta.id, s.bytes, { source: { kind: 'checkpoint', runId: 'run-a' }, name, metrics: ['greedy'] }), job());
    const stored = await (await RunStore.open(s.runsName)).get(result.runId!);
    expect(stored?.name).toBe(name);
    expect(stored?.evals[0]).toMatchObject({ name, step: 7 });
  });

  it('stops on cancel and stores nothing', async () => {
    const s = await setup();
    const h = s.make(cpuCtx);
    const controller = new AbortController();
    const j: JobContext<EvalProgress> = { signal: controller.signal, progress: (p) => { if (p.phase === 'greedy') controller.abort(); } };
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { maxQuestions: 6, batchSize: 2 }), j)).rejects.toThrow();
    expect((await (await RunStore.open(s.runsName)).list()).runs).toHaveLength(0);
  });

  it('refuses bad requests and absent sources in words', async () => {
    const s = await setup();
    const h = s.make(cpuCtx);
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { split: 'validation' }), job())).rejects.toThrow("tiny set has no records in split 'validation' (splits: test, train)");
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { source: { kind: 'pretrained' } }), job())).rejects.toThrow(/pretrained default .* is not in this build/);
    await expect(h['eval/run'](params(s.meta.id, new Uint8Array([1, 2, 3]), {}), job())).rejects.toThrow(/micro\.safetensors/);
    await expect(h['eval/run'](params('nope', s.bytes), job())).rejects.toThrow(/No stored dataset/);
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { source: { kind: 'onnx', name: 'm.onnx', bytes: new Uint8Array([8, 0x80]), tokenizerJson: '{}', executionProvider: 'wasm' } }), job())).rejects.toThrow(/m\.onnx: not a readable ONNX model/);
    expect(() => parseEvalRunParams(params(s.meta.id, s.bytes, { metrics: ['greedy', 'bleu' as never] }))).toThrow("unknown metric \"bleu\"");
    expect(() => parseEvalRunParams(params(s.meta.id, s.bytes, { maxQuestions: -1 }))).toThrow(/maxQuestions/);
    expect(() => parseEvalRunParams(params(s.meta.id, s.bytes, { metrics: [] }))).toThrow(/at least one metric/);
    expect(await h['eval/sources']({}, job() as never)).toEqual({ pretrained: { available: false, bytes: 0, message: expect.stringContaining('not in this build') } });
  });

  it("scores the question-only line from the train split's counts, and refuses it when no training question is left to count", async () => {
    const s = await setup();
    const h = s.make(cpuCtx);
    const result = await h['eval/run'](params(s.meta.id, s.bytes, { maxQuestions: 0, metrics: ['greedy', 'question-only'], save: false }), job());
    const test = s.records.filter((r) => r.split === 'test');
    const prior = fitQuestionPrior(s.records.filter((r) => r.split === 'train'));
    // Every question reads 'Which organ?' and each option was gold once in train: the tie goes to the first
    // option, Liver, right for the two test questions whose gold it is.
    expect(result.report.overall.metrics['question-only']).toEqual({ n: 6, value: questionOnlyAccuracy(prior, test) });
    expect(result.report.overall.metrics['question-only'].value).toBeCloseTo(2 / 6);
    expect(Object.keys(result.report.overall.metrics)).toEqual(['greedy', 'question-only']);
    // All ten records asked: the train split is being evaluated, so nothing outside it is left to count from.
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { split: '', maxQuestions: 0, metrics: ['question-only'] }), job())).rejects.toThrow(
      "tiny set has no multiple-choice training questions outside the ones asked, so the question-only metric has nothing to count; untick it or evaluate a dataset with a 'train' split.",
    );
  });

  it('evaluates the pretrained default when the build holds it, split "" meaning all records', async () => {
    const s = await setup();
    const h = s.make(cpuCtx, s.bytes);
    const result = await h['eval/run'](params(s.meta.id, s.bytes, { source: { kind: 'pretrained' }, split: '', maxQuestions: 0, metrics: ['greedy'], save: false }), job());
    expect(result.report.overall.n).toBe(10);
    expect(result.runId).toBeNull();
    expect((await h['eval/sources']({}, job() as never)).pretrained.available).toBe(true);
  });

  it('runs on WebGPU and leaves the session device alive for the next job', async () => {
    const s = await setup();
    const session = new DeviceSession(nodeGpu, () => undefined);
    const h = s.make({ session });
    const result = await h['eval/run'](params(s.meta.id, s.bytes, { maxQuestions: 2, metrics: ['greedy'], maxNewTokens: 3, backend: 'webgpu', save: false }), job());
    expect(result.engine).toBe('webgpu');
    expect(result.report.overall.n).toBe(2);
    const cpu = await s.make(cpuCtx)['eval/run'](params(s.meta.id, s.bytes, { maxQuestions: 2, metrics: ['greedy'], maxNewTokens: 3, backend: 'cpu', save: false }), job());
    expect(result.answers).toEqual(cpu.answers);
    const device = (await session.device()).device;
    const buffer = device.createBuffer({ size: 16, usage: GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(buffer, 0, new Float32Array(4));
    await device.queue.onSubmittedWorkDone();
    buffer.destroy();
    expect(session.snapshot.status).toBe('ready');
    expect(session.snapshot.generation).toBe(1);
  });

  it('evaluates the same weights exported to ONNX (wasm EP) to the same greedy answers, config from the metadata', async () => {
    ort.env.wasm.numThreads = 1;
    const s = await setup();
    const h = s.make(cpuCtx);
    const onnxBytes = exportPolicyOnnx(s.config, s.weights);
    expect(JSON.parse(onnxMetadata(onnxBytes, 'm.onnx')[ONNX_CONFIG_KEY])).toEqual(s.config);
    const common = { maxQuestions: 3, metrics: ['greedy'] as const, maxNewTokens: 4, save: false };
    const viaOnnx = await h['eval/run'](params(s.meta.id, s.bytes, {
      ...common, metrics: ['greedy'],
      source: { kind: 'onnx', name: 'm.onnx', bytes: onnxBytes, tokenizerJson: JSON.stringify(s.tokenizer.toJSON()), executionProvider: 'wasm' },
    }), job());
    const viaCpu = await h['eval/run'](params(s.meta.id, s.bytes, { ...common, metrics: ['greedy'], backend: 'cpu' }), job());
    expect(viaOnnx.engine).toBe('onnx-wasm');
    expect(viaOnnx.answers).toEqual(viaCpu.answers);
    expect(viaOnnx.report.overall.metrics).toEqual(viaCpu.report.overall.metrics);
    await expect(h['eval/run'](params(s.meta.id, s.bytes, { ...common, metrics: ['greedy'], source: { kind: 'onnx', name: 'm.onnx', bytes: onnxBytes, tokenizerJson: '', executionProvider: 'wasm' } }), job()))
      .rejects.toThrow(/no tokenizer in its metadata/);
  });
});
