// The curriculum worker's 'policy' and 'onnx:<name>' similarity sources in Node: S(q) from the Model panel's
// policy (watched through its handler table, the pretrained default before any load) and from a dropped tiny
// ONNX model + tokenizer.json (wasm EP) equals a hand mean of the table similarities; the sources request
// describes both; bad drops name the file; an ONNX run is refused until its model is loaded, and a run paused and
// resumed through the checkpoint store (which keeps no table) ends with the metrics of an uninterrupted one.
import 'fake-indexeddb/auto';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCurriculumConfig, type CurriculumConfig } from './config.ts';
import { CurriculumControlsStore } from './controls-store.ts';
import { optionSetSimilarity } from './difficulty.ts';
import { tableSimilarity } from './embedding-table.ts';
import { fixtureOnnxModel, fixtureTokenizerJson, type EmbeddingFixtureOptions } from './onnx-embedding-fixture.ts';
import { policyEmbeddingTable } from './policy-embeddings.ts';
import { datasetNames, SimilarityModels } from './similarity-models.ts';
import { DatasetStore, type VqaRecord } from '../data/index.ts';
import type { OrtModule } from '../eval/onnx-policy.ts';
import { initialValues } from '../model/policy/parameters.ts';
import { parameterShapes } from '../model/config.ts';
import { writeCheckpoint } from '../model/safetensors.ts';
import { scratchInit } from '../rl/trainer/init.ts';
import { CheckpointStore } from '../rl/trainer/checkpoint-store.ts';
import { generateAnatomySynth } from '../data/synth/anatomy-synth.ts';
import { trainHandlers } from '../worker/train-handlers.ts';
import type { TrainProgress } from '../worker/train-protocol.ts';
import { curriculumHandlers, watchModel } from '../worker/curriculum-handlers.ts';
import type { CurriculumAnalyseParams } from '../worker/curriculum-protocol.ts';
import type { HandlerContext, JobContext } from '../worker/handler-types.ts';
import { modelHandlers } from '../worker/model-handlers.ts';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const ctx = {} as HandlerContext;
const job = <P>(): JobContext<P> => ({ signal: new AbortController().signal, progress: () => undefined });
const NAMES = ['Left lobe of liver', 'Right lobe of liver', 'Gallbladder', 'Femur', 'Lung', 'Kidney', 'Upper lobe of lung', 'Brain'];
const WORDS = ['left', 'right', 'lobe', 'of', 'liver', 'gallbladder', 'femur', 'lung', 'kidney', 'upper', 'brain'];
const FIXTURE: EmbeddingFixtureOptions = { words: WORDS, dim: 6, seed: 4, output: 'hidden' };
const enc = new TextEncoder();

function records(): VqaRecord[] {
  return Array.from({ length: 24 }, (_, i) => {
    const gold = NAMES[i % NAMES.length];
    const others = NAMES.filter((n) => n !== gold);
    return {
      id: `q${i}`, image: '', question: 'Which structure is marked?', options: [gold, others[i % 7], others[(i + 2) % 7], others[(i + 4) % 7]], goldIndex: 0,
      answer: gold, open: false, questionType: 'anatomy', modality: 'CT', anatomy: gold, source: 'test', split: 'train',
    };
  });
}

/** A micro checkpoint (scratch weights of `seed`) with a tokenizer learned from the records. */
function checkpoint(recs: VqaRecord[], seed: number) {
  const init = scratchInit('micro', recs, seed);
  const weights = new Map(parameterShapes(init.model).map((spec) => [spec.name, initialValues(spec, init.model.seed)]));
  return { init, weights, bytes: writeCheckpoint(init.model, init.tokenizer, weights, {}) };
}

let counter = 0;
async function setup() {
  const n = ++counter;
  const recs = records();
  const store = await DatasetStore.open(`curriculum-sources-data-${n}`);
  const meta = await store.save({ name: 'tiny', format: 'synth', records: recs, images: [], imageSize: 8, fingerprint: `fp-${n}` });
  const pretrained = checkpoint(recs, 21);
  const model = watchModel(modelHandlers(ctx, { openStore: () => DatasetStore.open(`curriculum-sources-data-${n}`), loadPretrained: async () => pretrained.bytes }), async () => pretrained.bytes);
  const models = new SimilarityModels({ policy: model.policy, ort: ort as unknown as OrtModule });
  const h = curriculumHandlers(ctx, { models, openStore: () => DatasetStore.open(`curriculum-sources-data-${n}`), openControls: () => CurriculumControlsStore.open(`curriculum-sources-controls-${n}`) });
  return { h, model, models, meta, recs, pretrained };
}

const params = (datasetId: string, curriculum: Partial<CurriculumConfig>): CurriculumAnalyseParams => ({
  datasetId, curriculum: { ...defaultCurriculumConfig(), ...curriculum }, steps: 50, batchSize: 4, fromStep: 0, window: 2,
});

describe("curriculum 'policy' source", () => {
  it('scores S(q) with the pretrained default before any load, then with the policy the Model panel loads', async () => {
    const { h, model, meta, recs, pretrained } = await setup();
    const sources = await h['curriculum/sources']({}, job());
    expect(sources.policy).toMatchObject({ name: 'pretrained default', loaded: false, vocabSize: pretrained.init.model.vocabSize, dim: pretrained.init.model.decoderWidth });
    expect(sources.onnx).toBeNull();

    const a = await h['curriculum/analyse'](params(meta.id, { similarity: 'policy' }), job());
    expect(a.source.id).toBe('policy');
    const sim = tableSimilarity(policyEmbeddingTable({ name: 'p', config: pretrained.init.model, tokenizer: pretrained.init.tokenizer, weights: pretrained.weights }, datasetNames(recs)));
    for (const id of ['q0', 'q5', 'q13']) {
      const r = recs.find((x) => x.id === id)!;
      expect(a.questions.find((q) => q.id === id)!.similarity).toBeCloseTo(optionSetSimilarity(r.options, r.goldIndex, sim)!, 6);
    }
    const lexicon = await h['curriculum/analyse'](params(meta.id, { similarity: 'lexicon' }), job());
    expect(a.histogram.counts).not.toEqual(lexicon.histogram.counts);

    // Loading another policy in the Model panel changes the source and the scores.
    const other = checkpoint(recs, 99);
    await model.handlers['model/load']({ source: { kind: 'file', name: 'other.safetensors', bytes: other.bytes } }, job());
    expect((await h['curriculum/sources']({}, job())).policy).toMatchObject({ name: 'other.safetensors', loaded: true });
    const b = await h['curriculum/analyse'](params(meta.id, { similarity: 'policy' }), job());
    expect(b.source.label).toBe('Policy embeddings (other.safetensors)');
    expect(b.questions.map((q) => q.similarity)).not.toEqual(a.questions.map((q) => q.similarity));
  });
});

describe("curriculum 'onnx:<name>' source", () => {
  it('loads a dropped model + tokenizer.json and scores S(q) with it; names the file when a drop is bad', async () => {
    const { h, models, meta, recs } = await setup();
    const tokenizer = { name: 'tokenizer.json', bytes: enc.encode(fixtureTokenizerJson(FIXTURE)) };
    const info = await h['curriculum/load-onnx']({ model: { name: 'tiny-embedder.onnx', bytes: fixtureOnnxModel(FIXTURE) }, tokenizer }, job());
    expect(info).toMatchObject({ id: 'onnx:tiny-embedder', dim: 6, vocabSize: 15, output: { name: 'last_hidden_state', pooling: 'mean' } });
    expect((await h['curriculum/sources']({}, job())).onnx?.id).toBe('onnx:tiny-embedder');

    const a = await h['curriculum/analyse'](params(meta.id, { similarity: 'onnx:tiny-embedder' }), job());
    expect(a.source.id).toBe('onnx:tiny-embedder');
    const { source } = await models.table('onnx:tiny-embedder', datasetNames(recs));
    const r = recs[3];
    expect(a.questions.find((q) => q.id === r.id)!.similarity).toBeCloseTo(optionSetSimilarity(r.options, r.goldIndex, source)!, 6);
    // Names sharing words are closer under this model.
    expect(source.similarity('Left lobe of liver', 'Right lobe of liver')).toBeGreaterThan(source.similarity('Left lobe of liver', 'Brain'));

    await expect(h['curriculum/load-onnx']({ model: { name: 'broken.onnx', bytes: enc.encode('definitely not a model file') }, tokenizer }, job())).rejects.toThrow(/broken\.onnx: not an ONNX model/);
    await expect(h['curriculum/load-onnx']({ model: { name: 'tiny.onnx', bytes: fixtureOnnxModel(FIXTURE) }, tokenizer: { name: 'vocab.txt', bytes: enc.encode('[PAD]\n[UNK]') } }, job())).rejects.toThrow(/vocab\.txt: not JSON/);
    await expect(h['curriculum/load-onnx']({ model: { name: 'tiny.onnx', bytes: fixtureOnnxModel(FIXTURE) }, tokenizer: { name: 'bin.json', bytes: Uint8Array.of(0xff, 0xfe, 0x00) } }, job())).rejects.toThrow(/bin\.json: not UTF-8/);
    // A failed drop keeps the model that was loaded.
    expect((await h['curriculum/sources']({}, job())).onnx?.id).toBe('onnx:tiny-embedder');
    await expect(h['curriculum/analyse'](params(meta.id, { similarity: 'onnx:other' }), job())).rejects.toThrow(/the loaded ONNX model is 'onnx:tiny-embedder'/);
  });

  it('gives a training run its table from the loaded model, and refuses the run without it', async () => {
    const { models, recs, pretrained } = await setup();
    await expect(models.forRun('onnx:tiny-embedder', recs, pretrained.init)).rejects.toThrow(/Drop its model\.onnx and tokenizer\.json in the Curriculum panel/);
    expect(await models.forRun('lexicon', recs, pretrained.init)).toBeUndefined();
    const policy = await models.forRun('policy', recs, { ...pretrained.init, weights: pretrained.weights });
    expect(policy?.source).toBe('policy');
    await models.loadOnnx({ name: 'tiny-embedder.onnx', bytes: fixtureOnnxModel(FIXTURE) }, { name: 'tokenizer.json', text: fixtureTokenizerJson(FIXTURE) });
    const table = await models.forRun('onnx:tiny-embedder', recs, pretrained.init);
    expect(table?.names).toEqual(datasetNames(recs));
    expect(table?.dim).toBe(6);
  });
});

describe('training with an ONNX similarity through the train handler', () => {
  it('refuses the run until the model is dropped; a paused and resumed run equals an uninterrupted one', async () => {
    const datasets = await DatasetStore.open('similarity-train-data');
    const synth = generateAnatomySynth({ seed: 4, questions: 24, imageSize: 32, testFraction: 0.25 });
    const meta = await datasets.save({
      name: 'synth', format: 'synth', records: synth.records, imageSize: 32, fingerprint: 'x',
      images: [...synth.images].map(([ref, img]) => ({ ref, ...img })),
    });
    const models = new SimilarityModels({ ort: ort as unknown as OrtModule });
    const handlers = trainHandlers({} as HandlerContext, {
      openDatasets: async () => datasets, openCheckpoints: () => CheckpointStore.open('similarity-train-ckpt'), similarityTable: models.forRun,
    });
    const config = {
      name: 't', datasetId: meta.id, preset: 'micro', backend: 'cpu', init: { kind: 'scratch' }, inspectorGroups: 1, eval: { maxQuestions: 1 },
      curriculum: { ...defaultCurriculumConfig(), similarity: 'onnx:tiny-embedder' },
      grpo: { seed: 1, groupSize: 2, batchSize: 2, steps: 3, maxCompletionLength: 4, checkpointEvery: 1, beta: 0.04, sft: { steps: 0 } },
    };
    const quiet = (onProgress: (p: TrainProgress) => void = () => undefined): JobContext<TrainProgress> => ({ signal: new AbortController().signal, progress: onProgress });
    await expect(handlers['train/start']({ config: config as never, runId: 'early' }, quiet())).rejects.toThrow(/Drop its model\.onnx and tokenizer\.json in the Curriculum panel/);

    const words = [...new Set(synth.records.flatMap((r) => r.options).flatMap((o) => o.toLowerCase().match(/\w+/g) ?? []))].sort();
    const fx: EmbeddingFixtureOptions = { words, dim: 6, seed: 2, output: 'hidden' };
    await models.loadOnnx({ name: 'tiny-embedder.onnx', bytes: fixtureOnnxModel(fx) }, { name: 'tokenizer.json', text: fixtureTokenizerJson(fx) });
    const straight = await handlers['train/start']({ config: config as never, runId: 'straight' }, quiet());
    expect(straight.state).toBe('finished');

    let paused: Promise<unknown> | null = null;
    const first = await handlers['train/start']({ config: config as never, runId: 'split' }, quiet((p) => {
      if (p.kind === 'step' && p.step === 0) paused = handlers['train/pause']({ runId: 'split' }, quiet() as never);
    }));
    await paused;
    expect(first.state).toBe('paused');
    const end = await handlers['train/resume']({ runId: 'split' }, quiet());
    expect(end.state).toBe('finished');
    const rows = async (runId: string) => ((await handlers['train/status']({ runId, history: true }, quiet() as never)).history ?? [])
      .map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'step_time' && k !== 'tokens_per_second')));
    const a = await rows('straight');
    expect(a).toHaveLength(3);
    expect(a[0].answer_similarity).toBeTypeOf('number');
    expect(await rows('split')).toEqual(a);
  });
});
