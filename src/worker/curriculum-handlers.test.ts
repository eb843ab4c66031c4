// The worker's curriculum and augmentation requests in Node, over fake-indexeddb: S(q) and the histogram
// against hand sums, the pacing curve's ends, a deterministic queue, manual controls that change the queue and
// survive a new worker, the pair explorer, and GDQA variants whose images carry their transforms.
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { unzlibSync } from 'fflate';
import { defaultAugmentConfig } from '../augment/config.ts';
import { applyImageTransforms } from '../augment/image-transforms.ts';
import { defaultCurriculumConfig, type CurriculumConfig } from '../curriculum/config.ts';
import { CurriculumControlsStore } from '../curriculum/controls-store.ts';
import { optionSetSimilarity } from '../curriculum/difficulty.ts';
import { anatomySimilarity, lexiconSimilarity } from '../curriculum/similarity.ts';
import { DatasetStore, type StoredImage, type VqaRecord } from '../data/index.ts';
import { EngineClient, type MessagePort } from './client.ts';
import { curriculumHandlers, curveSteps } from './curriculum-handlers.ts';
import type { CurriculumAnalyseParams } from './curriculum-protocol.ts';
import { EngineHandler } from './handler.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const ctx = {} as HandlerContext;
const job = <P>(): JobContext<P> => ({ signal: new AbortController().signal, progress: () => undefined });

const NAMES = ['Liver', 'Gallbladder', 'Cystic Plate', 'Omentum', 'Gut', 'Abdominal Wall Cavity', 'Stomach', 'Femur', 'Brain', 'Lung'];

/** 40 four-option questions over NAMES (gold cycles), 2 open ones, 3 test-split ones; an 8x6 gradient image each. */
function dataset(): { records: VqaRecord[]; images: StoredImage[] } {
  const records: VqaRecord[] = [];
  const images: StoredImage[] = [];
  for (let i = 0; i < 45; i++) {
    const gold = NAMES[i % NAMES.length];
    const others = NAMES.filter((n) => n !== gold);
    const options = [gold, others[(i * 3) % others.length], others[(i * 3 + 1) % others.length], others[(i * 3 + 5) % others.length]];
    const open = i >= 40 && i < 42;
    records.push({
      id: `q${i}`,
      image: `img/${i}.png`,
      question: `What is the ${['red', 'green', 'blue'][i % 3]} center anatomy?`,
      options: open ? [] : options,
      goldIndex: open ? -1 : 0,
      answer: gold,
      open,
      questionType: 'anatomy',
      modality: 'Endoscopy',
      anatomy: gold,
      source: 'test',
      split: i >= 42 ? 'test' : 'train',
    });
    const w = 8;
    const h = 6;
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x * 30, y * 40, (i * 5) % 255], (y * w + x) * 3);
    images.push({ ref: `img/${i}.png`, width: w, height: h, data });
  }
  return { records, images };
}

let counter = 0;
async function setup() {
  const n = ++counter;
  const store = await DatasetStore.open(`curriculum-handlers-data-${n}`);
  const { records, images } = dataset();
  const meta = await store.save({ name: 'tiny', format: 'synth', records, images, imageSize: 8, fingerprint: `fp-${n}` });
  const make = () =>
    curriculumHandlers(ctx, { openStore: () => DatasetStore.open(`curriculum-handlers-data-${n}`), openControls: () => CurriculumControlsStore.open(`curriculum-handlers-controls-${n}`) });
  return { h: make(), make, meta, records };
}

const analyseParams = (datasetId: string, curriculum: Partial<CurriculumConfig> = {}): CurriculumAnalyseParams => ({
  datasetId,
  curriculum: { ...defaultCurriculumConfig(), ...curriculum },
  steps: 100,
  batchSize: 4,
  fromStep: 0,
  window: 3,
});

/** Decodes the lab's own PNGs (8-bit RGB, filter 0 on every row) back to RGB bytes. */
function decodePng(png: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  while (off < png.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    const body = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = new DataView(body.buffer, body.byteOffset).getUint32(0);
      height = new DataView(body.buffer, body.byteOffset).getUint32(4);
    }
    if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const raw = unzlibSync(Uint8Array.from(idat.flatMap((c) => [...c])));
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 3 + 1)]).toBe(0);
    data.set(raw.subarray(y * (width * 3 + 1) + 1, (y + 1) * (width * 3 + 1)), y * width * 3);
  }
  return { width, height, data };
}

describe('curriculum/analyse', () => {
  it('gives S(q) per train question, its histogram, the pacing curve and a deterministic queue', async () => {
    const { h, meta, records } = await setup();
    const a = await h['curriculum/analyse'](analyseParams(meta.id), job());
    expect(a.split).toBe('train');
    expect(a.questions).toHaveLength(40);
    expect(a.skipped).toBe(2);
    const q7 = records[7];
    // By hand: the mean of sim(gold, d) over the three distractors.
    const byHand = (anatomySimilarity(q7.options[0], q7.options[1]) + anatomySimilarity(q7.options[0], q7.options[2]) + anatomySimilarity(q7.options[0], q7.options[3])) / 3;
    expect(a.questions.find((q) => q.id === 'q7')?.similarity).toBeCloseTo(byHand, 12);
    expect(a.questions.map((q) => q.similarity)).toEqual([...a.questions.map((q) => q.similarity)].sort((x, y) => x - y));
    expect(a.histogram.counts.reduce((s, c) => s + c, 0)).toBe(40);
    expect(a.formula).toContain('S(q)');
    // Hold-then-ramp: easiest level for the first quarter, natural by 80%.
    expect(a.curve).toHaveLength(100);
    expect(a.curve[0].level).toBe(0);
    expect(a.curve[20].level).toBe(0);
    expect(a.curve[85].level).toBe(1);
    expect(a.curve[85].meanTarget).toBeCloseTo(a.naturalMean, 6);
    expect(a.curve[0].meanTarget).toBeLessThan(a.curve[85].meanTarget);
    expect(a.queue.map((s) => s.step)).toEqual([0, 1, 2]);
    for (const s of a.queue) expect(s.questions).toHaveLength(4);
    // Posed options keep the gold answer; the released ones ride along.
    for (const q of a.queue.flatMap((s) => s.questions)) {
      const r = records.find((x) => x.id === q.id)!;
      expect(q.options[q.goldIndex]).toBe(r.answer);
      expect(q.naturalOptions).toEqual(r.options);
      expect(q.similarity).toBeCloseTo(optionSetSimilarity(q.options, q.goldIndex, lexiconSimilarity)!, 12);
    }
    expect(a.queue.flatMap((s) => s.questions).some((q) => q.redrawn)).toBe(true);
    // Deterministic for a seed, different for another.
    const again = await setup().then(({ h: h2, meta: m2 }) => h2['curriculum/analyse'](analyseParams(m2.id), job()));
    expect(again.queue).toEqual(a.queue);
    const other = await h['curriculum/analyse'](analyseParams(meta.id, { seed: 7 }), job());
    expect(other.queue).not.toEqual(a.queue);
  });

  it('reorder only leaves options as released; off draws plainly', async () => {
    const { h, meta } = await setup();
    const reorder = await h['curriculum/analyse'](analyseParams(meta.id, { mode: 'reorder' }), job());
    expect(reorder.queue.flatMap((s) => s.questions).every((q) => !q.redrawn && q.target === null)).toBe(true);
    const off = await h['curriculum/analyse'](analyseParams(meta.id, { enabled: false }), job());
    expect(off.curve.every((p) => p.level === 1)).toBe(true);
  });

  it('refuses sources it cannot serve in words, and bad parameters', async () => {
    const { h, meta } = await setup();
    await expect(h['curriculum/analyse'](analyseParams(meta.id, { similarity: 'policy' }), job())).rejects.toThrow(/no policy is loaded.*Model panel/);
    await expect(h['curriculum/analyse'](analyseParams(meta.id, { similarity: 'onnx:minilm' }), job())).rejects.toThrow(/no ONNX model is loaded.*Drop its model\.onnx and tokenizer\.json in the Curriculum panel/);
    await expect(h['curriculum/analyse']({ ...analyseParams(meta.id), steps: 0 }, job())).rejects.toThrow(/steps/);
    await expect(h['curriculum/analyse'](analyseParams('nope'), job())).rejects.toThrow(/No stored dataset/);
  });

  it('samples long runs at evenly spread steps, first and last included', () => {
    expect(curveSteps(5, 200)).toEqual([0, 1, 2, 3, 4]);
    const s = curveSteps(1001, 5);
    expect(s).toEqual([0, 250, 500, 750, 1000]);
  });
});

describe('curriculum/control', () => {
  it('excludes, pins and moves questions; the queue follows and a new worker keeps them', async () => {
    const { h, make, meta } = await setup();
    const before = await h['curriculum/analyse'](analyseParams(meta.id), job());
    const victim = before.queue[0].questions[0].id;
    await h['curriculum/control']({ datasetId: meta.id, action: { kind: 'exclude', id: victim } }, job());
    const after = await h['curriculum/analyse']({ ...analyseParams(meta.id), window: 20 }, job());
    expect(after.queue.flatMap((s) => s.questions).map((q) => q.id)).not.toContain(victim);
    expect(after.controlled).toMatchObject([{ id: victim, state: 'excluded' }]);

    const last = before.questions[before.questions.length - 1].id; // the hardest: never early under reorder
    await h['curriculum/control']({ datasetId: meta.id, action: { kind: 'pin', id: last } }, job());
    await h['curriculum/control']({ datasetId: meta.id, action: { kind: 'move', id: 'q3', step: 1 } }, job());
    const fresh = make();
    const kept = await fresh['curriculum/analyse'](analyseParams(meta.id), job());
    for (const s of kept.queue) expect(s.questions.find((q) => q.id === last)?.origin).toBe('pinned');
    expect(kept.queue[1].questions[0]).toMatchObject({ id: 'q3', origin: 'moved' });
    expect(kept.controls).toEqual({ excluded: [victim], pinned: [last], moves: [{ id: 'q3', step: 1 }] });

    await fresh['curriculum/control']({ datasetId: meta.id, action: { kind: 'include', id: victim } }, job());
    const cleared = await fresh['curriculum/control']({ datasetId: meta.id, action: { kind: 'clear' } }, job());
    expect(cleared).toEqual({ excluded: [], pinned: [], moves: [] });
    await expect(fresh['curriculum/control']({ datasetId: meta.id, action: { kind: 'pin', id: 'ghost' } }, job())).rejects.toThrow(/ghost/);
    await expect(fresh['curriculum/control']({ datasetId: meta.id, action: { kind: 'move', id: 'q3', step: -1 } }, job())).rejects.toThrow(/step/);
  });
});

describe('curriculum/explain-pair', () => {
  it('explains the lexicon score', async () => {
    const { h } = await setup();
    const x = await h['curriculum/explain-pair']({ a: 'Liver', b: 'Gallbladder' }, job());
    expect(x.rule).toBe('lexicon');
    expect(x.similarity).toBeCloseTo(anatomySimilarity('Liver', 'Gallbladder'), 12);
  });
});

describe('augment/preview', () => {
  it('builds K variants per question with the gold kept, rollouts split, and transformed images', async () => {
    const { h, meta, records } = await setup();
    const augment = { ...defaultAugmentConfig(), variants: 4, operators: { permute: true, paraphrase: true, redraw: true, image: true } };
    const p = await h['augment/preview']({ datasetId: meta.id, recordIds: ['q1', 'q5', 'q41', 'nope'], augment, groupSize: 8 }, job());
    expect(p.missing).toEqual(['q41', 'nope']); // q41 is open
    expect(p.groups.map((g) => g.recordId)).toEqual(['q1', 'q5']);
    for (const g of p.groups) {
      const r = records.find((x) => x.id === g.recordId)!;
      expect(g.augmented).toBe(true);
      expect(g.variants).toHaveLength(4);
      expect(g.variants.reduce((s, v) => s + v.rollouts, 0)).toBe(8);
      expect(g.rolloutVariant).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
      expect(g.variants[0].operators).toEqual(['original']);
      for (const v of g.variants) {
        expect(v.options[v.goldIndex]).toBe(r.answer);
        const img = decodePng(v.png!);
        expect([img.width, img.height]).toEqual([8, 6]);
        const stored = dataset().images.find((i) => i.ref === r.image)!;
        expect(img.data).toEqual(applyImageTransforms(stored, v.imageTransforms).data);
      }
    }
    expect(p.groups.flatMap((g) => g.variants).some((v) => v.imageTransforms.length > 0)).toBe(true);
  });

  it('takes the curriculum batch of a step when no ids are given, and is deterministic', async () => {
    const { h, meta } = await setup();
    const curriculum = defaultCurriculumConfig();
    const params = { datasetId: meta.id, step: 2, curriculum, steps: 100, batchSize: 4, augment: defaultAugmentConfig(), groupSize: 8, limit: 2 };
    const a = await h['augment/preview'](params, job());
    const batch = await h['curriculum/analyse']({ ...analyseParams(meta.id), fromStep: 2, window: 1 }, job());
    expect(a.groups.map((g) => g.recordId)).toEqual(batch.queue[0].questions.slice(0, 2).map((q) => q.id));
    // Variant 0 is the question as the curriculum poses it (redrawn options included).
    expect(a.groups[0].variants[0].options).toEqual(batch.queue[0].questions[0].options);
    expect(await h['augment/preview'](params, job())).toEqual(a);
  });
});

describe('registration', () => {
  it('is served by the engine handler', async () => {
    const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
    const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
    const client = new EngineClient(port);
    const x = await client.request('curriculum/explain-pair', { a: 'bowel', b: 'Gut' });
    expect(x.rule).toBe('synonym');
  });
});
