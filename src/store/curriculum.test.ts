// The Curriculum and Augmentation stores against a real engine handler in the same process (fake-indexeddb):
// the dataset chosen from the Data store, a config that restore rejects kept as a draft with its message, mode
// off and back, a control that changes the queue, the pair explorer, and the augmentation preview's groups.
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import { EngineHandler } from '../worker/handler.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createAugmentStore } from './augment.ts';
import * as ort from 'onnxruntime-web';
import { fixtureOnnxModel, fixtureTokenizerJson } from '../curriculum/onnx-embedding-fixture.ts';
import { createCurriculumStore, pickOnnxFiles } from './curriculum.ts';
import { useDatasetsStore } from './datasets.ts';

function inProcessClient(): EngineClient {
  const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
  const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  return new EngineClient(port);
}

const until = async (cond: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('curriculum and augmentation stores', () => {
  it('analyse the Data store’s dataset, keep bad configs as drafts, apply controls, preview groups', async () => {
    const client = inProcessClient();
    // A small AnatomySynth stands in for the one the Data panel makes on first start.
    const demo = await client.request('data/ensure-demo', { synth: { questions: 120, imageSize: 16 }, force: true });
    useDatasetsStore.setState({ datasets: demo.listing.datasets, status: 'ready' });
    const cur = createCurriculumStore(() => client);
    await cur.getState().refresh();
    await until(() => cur.getState().status === 'ready');
    const a = cur.getState().analysis!;
    expect(a.datasetId).toBe(demo.meta!.id);
    expect(a.queue).toHaveLength(3);
    expect(a.queue[0].questions).toHaveLength(8);

    cur.getState().setPacing({ holdUntil: 0.9, rampUntil: 0.5 });
    expect(cur.getState().configError).toMatch(/rampUntil/);
    expect(cur.getState().config.pacing.holdUntil).toBe(0.9);
    cur.getState().setPacing({ holdUntil: 0.25, rampUntil: 0.8 });
    expect(cur.getState().configError).toBeNull();

    cur.getState().setMode('off');
    expect(cur.getState().config).toMatchObject({ enabled: false, mode: 'both' });
    await until(() => cur.getState().status === 'ready' && cur.getState().analysis!.curve.every((p) => p.level === 1));
    cur.getState().setMode('reorder');
    expect(cur.getState().config).toMatchObject({ enabled: true, mode: 'reorder' });
    await until(() => cur.getState().status === 'ready' && cur.getState().analysis!.curve[0].level === 0);

    const victim = cur.getState().analysis!.queue[0].questions[0].id;
    await cur.getState().control({ kind: 'exclude', id: victim });
    await until(() => cur.getState().status === 'ready');
    expect(cur.getState().analysis!.queue.flatMap((s) => s.questions.map((q) => q.id))).not.toContain(victim);
    await cur.getState().control({ kind: 'pin', id: 'no-such-question' });
    expect(cur.getState().controlError).toMatch(/no-such-question/);

    await cur.getState().explainPair('Liver', 'Femur');
    expect(cur.getState().pair.result?.rule).toBe('lexicon');
    expect(cur.getState().pair.result!.similarity).toBeLessThan(0.3);

    // The augmentation store reads the dataset through the default curriculum store; point it there.
    const { useCurriculumStore } = await import('./curriculum.ts');
    useCurriculumStore.setState({ chosenDatasetId: demo.meta!.id });
    const aug = createAugmentStore(() => client);
    globalThis.URL.createObjectURL ??= () => 'blob:test';
    await aug.getState().refresh();
    await until(() => aug.getState().status === 'ready');
    expect(aug.getState().groups).toHaveLength(3);
    expect(aug.getState().groups[0].variants).toHaveLength(4);
    expect(aug.getState().saveTemplates([{ id: 'x', slots: {}, templates: ['only one'] }])).toBe(false);
    expect(aug.getState().templateError).toMatch(/at least two phrasings.*family "x"/);
    expect(aug.getState().saveTemplates([{ id: 'x', slots: { organ: null }, templates: ['Which organ is {organ}?', 'What organ is {organ}?'] }])).toBe(true);
    expect(aug.getState().config.templates).toHaveLength(1);
  }, 120_000);
});

describe('curriculum store: similarity sources', () => {
  it('picks the .onnx and tokenizer.json among dropped files, or says what is missing', () => {
    expect(pickOnnxFiles([{ name: 'README.md' }, { name: 'tokenizer.json' }, { name: 'model.onnx' }])).toEqual({ model: 2, tokenizer: 1 });
    expect(pickOnnxFiles([{ name: 'model.onnx' }, { name: 'config.json' }, { name: 'tokenizer.json' }])).toEqual({ model: 0, tokenizer: 2 });
    expect(pickOnnxFiles([{ name: 'model.onnx' }, { name: 'vocab.json' }])).toEqual({ model: 0, tokenizer: 1 });
    expect(pickOnnxFiles([{ name: 'tokenizer.json' }])).toMatch(/No \.onnx model among the dropped files \(tokenizer\.json\)/);
    expect(pickOnnxFiles([{ name: 'model.onnx' }])).toMatch(/No tokenizer\.json .*together with model\.onnx/);
    expect(pickOnnxFiles([])).toMatch(/Drop two files/);
  });

  it('loads a dropped ONNX model in the worker, chooses it, and analyses with it', async () => {
    ort.env.wasm.numThreads = 1;
    const client = inProcessClient();
    const demo = await client.request('data/ensure-demo', { synth: { questions: 60, imageSize: 16 }, force: true });
    useDatasetsStore.setState({ datasets: demo.listing.datasets, status: 'ready' });
    const cur = createCurriculumStore(() => client);
    const options = { words: ['liver', 'stomach', 'gut', 'omentum', 'wall', 'abdominal', 'cavity', 'cystic', 'plate', 'gallbladder'], dim: 4, seed: 1, output: 'hidden' as const };
    const file = (name: string, bytes: Uint8Array | string) => new File([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], name);
    await cur.getState().loadOnnx([file('tokenizer.json', fixtureTokenizerJson(options))]);
    expect(cur.getState()).toMatchObject({ onnxStatus: 'error' });
    expect(cur.getState().onnxError).toMatch(/No \.onnx model/);
    await cur.getState().loadOnnx([file('tiny.onnx', fixtureOnnxModel(options)), file('tokenizer.json', fixtureTokenizerJson(options))]);
    expect(cur.getState().onnxError).toBeNull();
    expect(cur.getState().sources?.onnx).toMatchObject({ id: 'onnx:tiny', dim: 4 });
    expect(cur.getState().config.similarity).toBe('onnx:tiny');
    await until(() => cur.getState().status === 'ready' && cur.getState().analysis?.source.id === 'onnx:tiny');
    expect(cur.getState().analysis!.questions.length).toBeGreaterThan(0);
    await cur.getState().refreshSources();
    expect(cur.getState().sources?.onnx?.id).toBe('onnx:tiny');
    cur.getState().setConfig({ similarity: 'lexicon' });
  });
});
