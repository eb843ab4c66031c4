// The Evaluate panel's store against a real engine handler in the same process (fake-indexeddb): without the
// pretrained default it offers a dropped checkpoint, refuses to run without one, runs a capped evaluation that
// lands in the Runs store, opens a confusion cell with its thumbnails, and reports a cancel in words.
import 'fake-indexeddb/auto';
// GPU enum globals (GPUBufferUsage, ...) some engine modules read at import; the handler itself gets no GPU.
import '../test/node-gpu.ts';
import { describe, expect, it } from 'vitest';
import { Policy } from '../model/policy/policy.ts';
import { MODEL_PRESETS, validateModelConfig } from '../model/config.ts';
import { writeCheckpoint } from '../model/safetensors.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { tokenizerCorpus } from '../rl/trainer/prompting.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import { EngineHandler } from '../worker/handler.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createEvaluationStore, sourceOf, DEFAULT_EVAL_SETUP } from './evaluation.ts';
import { useRunsStore } from './runs.ts';

function inProcessClient(): EngineClient {
  const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
  const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  return new EngineClient(port);
}

describe('evaluation store', () => {
  it('runs a capped evaluation of a dropped checkpoint, stores it as a run, opens a confusion cell', async () => {
    const client = inProcessClient();
    const demo = await client.request('data/ensure-demo', { synth: { questions: 60, imageSize: 16 }, force: true });
    const records = (await client.request('data/records', { datasetId: demo.meta!.id, offset: 0, limit: 60, filters: {} })).records;
    const tokenizer = trainTokenizer(tokenizerCorpus(records), { vocabSize: 600 });
    const config = validateModelConfig({ ...MODEL_PRESETS.micro, imageSize: 16, vocabSize: tokenizer.vocabSize, decoderWidth: 32, seed: 2 });
    const bytes = writeCheckpoint(config, tokenizer, await Policy.create(new CpuBackend(), config).params.readAll());

    const store = createEvaluationStore(() => client);
    await store.getState().init();
    expect(store.getState().pretrained?.available).toBe(false);
    expect(store.getState().setup.source).toBe('file');

    store.getState().update({ datasetId: demo.meta!.id, split: 'test', maxQuestions: 3 });
    await store.getState().run();
    expect(store.getState().error).toBe('Drop or choose a .safetensors checkpoint.');

    store.getState().update({ file: { name: 'micro.safetensors', bytes } });
    store.getState().toggleMetric('likelihood', true);
    await store.getState().run();
    const s = store.getState();
    expect(s.error).toBeNull();
    expect(s.job).toBeNull();
    expect(s.result?.report.overall.n).toBe(3);
    expect(Object.keys(s.result!.report.overall.metrics).sort()).toEqual(['greedy', 'likelihood']);
    await expect.poll(() => useRunsStore.getState().runs.map((r) => r.id)).toContain(s.result!.runId);

    const m = s.result!.report.confusion!;
    const row = m.counts.findIndex((r) => r.some((n) => n > 0));
    const col = m.counts[row].findIndex((n) => n > 0);
    await store.getState().openCell(row, col);
    expect(store.getState().cell).toEqual({ row, column: col });
    const image = s.result!.records.find((r) => r.id === m.ids[row][col][0])!.image;
    expect(store.getState().thumbs[image]).toMatch(/^blob:/);
    store.getState().closeCell();
    expect(store.getState().cell).toBeNull();

    const running = store.getState().run();
    store.getState().cancel();
    await running;
    expect(store.getState().error).toBe('Evaluation cancelled; nothing was stored.');
  });

  it('builds the request source from the setup, or says what is missing', () => {
    expect(sourceOf(DEFAULT_EVAL_SETUP)).toEqual({ kind: 'pretrained' });
    expect(sourceOf({ ...DEFAULT_EVAL_SETUP, source: 'checkpoint' })).toMatch(/Choose a training run/);
    expect(sourceOf({ ...DEFAULT_EVAL_SETUP, source: 'checkpoint', checkpointRunId: 'run-1' })).toEqual({ kind: 'checkpoint', runId: 'run-1' });
    expect(sourceOf({ ...DEFAULT_EVAL_SETUP, source: 'onnx' })).toMatch(/\.onnx model/);
    const onnx = { name: 'm.onnx', bytes: new Uint8Array(2) };
    expect(sourceOf({ ...DEFAULT_EVAL_SETUP, source: 'onnx', onnx })).toEqual({ kind: 'onnx', name: 'm.onnx', bytes: onnx.bytes, tokenizerJson: '', executionProvider: 'webgpu' });
  });
});
