// The worker's data requests in Node: fake-indexeddb for storage, in-memory Files for drops, and a stand-in
// decoder (Node has no createImageBitmap). Import, paging with filters, thumbnails, cancel, quota and the demo.
import 'fake-indexeddb/auto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { strToU8, zipSync } from 'fflate';
import { DatasetStore, encodePng, sniffImage } from '../data/index.ts';
import type { DroppedFile } from '../data/intake/browser-files.ts';
import { CancelledError } from './cancel.ts';
import { dataHandlers, filterRecords, suggestName, type DataHandlerOptions } from './data-handlers.ts';
import { EngineClient, type MessagePort } from './client.ts';
import { EngineHandler } from './handler.ts';
import type { DataJobProgress, FromWorker, ToWorker } from './protocol.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';

const ctx = {} as HandlerContext;
let dbCounter = 0;

/** A decoder that needs no browser: a flat image whose value is the source width. */
const decode = async (bytes: Uint8Array, size: number) => {
  const r = sniffImage(bytes);
  if (!r.ok) throw new Error(r.reason);
  return { width: size, height: size, data: new Uint8Array(size * size * 3).fill(r.info.width) };
};

function handlers(over: DataHandlerOptions = {}) {
  const name = `data-handlers-test-${++dbCounter}`;
  return dataHandlers(ctx, { openStore: () => DatasetStore.open(name), decode, estimate: async () => null, ...over });
}

function job<P>(onProgress: (p: P) => void = () => undefined, signal = new AbortController().signal): JobContext<P> {
  return { signal, progress: onProgress };
}

const drop = (path: string, content: string | Uint8Array): DroppedFile => ({ path, file: new File([content as BlobPart], path.replace(/^.*\//, '')) });
const png = (w: number) => encodePng({ width: w, height: 2, data: new Uint8Array(w * 2 * 3).fill(9) });

const rows = [
  { id: 'q1', image: 'img/a.png', question: 'Which organ is shown?', options: ['Liver', 'Gut', 'Omentum'], answer: 'Gut', split: 'train', modality: 'CT', organ: 'abdomen' },
  { id: 'q2', image: 'img/b.png', question: 'Which side?', options: ['Left', 'Right'], answer: 'Left', split: 'test', modality: 'MR' },
  { id: 'q3', image: 'img/a.png', question: 'Is there a liver?', options: ['yes', 'no'], answer: 'yes', split: 'train', modality: 'CT', organ: 'abdomen' },
];
const folder = (): DroppedFile[] => [
  drop('mine/data.jsonl', rows.map((r) => JSON.stringify(r)).join('\n')),
  drop('mine/img/a.png', png(3)),
  drop('mine/img/b.png', png(5)),
];

describe('data handlers', () => {
  it('previews a dropped folder: format, confidence, reason, first records, name', async () => {
    const h = handlers();
    const p = await h['data/preview']({ files: folder() }, job());
    expect(p.format).toBe('generic-table');
    expect(p.candidates[0]).toMatchObject({ format: 'generic-table', files: ['mine/data.jsonl'] });
    expect(p.candidates[0].confidence).toBeGreaterThan(0);
    expect(p.candidates[0].reason).not.toBe('');
    expect(p.preview.map((o) => o.record?.id)).toEqual(['q1', 'q2', 'q3']);
    expect(p.suggestedName).toBe('mine');
    expect(p.fileCount).toBe(3);
  });

  it('imports with progress, pages records with filters, serves thumbnails as PNG, deletes', async () => {
    const h = handlers();
    const seen: DataJobProgress[] = [];
    const res = await h['data/import']({ files: folder(), name: ' ', imageSize: 8 }, job((p) => seen.push(p)));
    expect(res.meta).toMatchObject({ name: 'mine', recordCount: 3, imageCount: 2, imageSize: 8 });
    expect(res.report).toMatchObject({ accepted: 3, rejected: 0, bySplit: { train: 2, test: 1 } });
    // The same image in train (q1, q3) and test? No: q2 is alone on b.png, so no leakage.
    expect(res.report.leakage).toEqual([]);
    expect(seen.filter((p) => p.phase === 'decoding images').map((p) => `${p.done}/${p.total}`)).toEqual(['1/2', '2/2']);
    expect(res.listing.datasets.map((d) => d.id)).toEqual([res.meta!.id]);
    const id = res.meta!.id;

    const all = await h['data/records']({ datasetId: id, offset: 0, limit: 2, filters: {} }, job());
    expect(all).toMatchObject({ total: 3, matching: 3, offset: 0 });
    expect(all.records.map((r) => r.id)).toEqual(['q1', 'q2']);
    expect(all.facets.byModality).toEqual({ CT: 2, MR: 1 });
    expect(all.facets.byAnatomy).toEqual({ abdomen: 2, '(unknown)': 1 });
    const page2 = await h['data/records']({ datasetId: id, offset: 2, limit: 2, filters: {} }, job());
    expect(page2.records.map((r) => r.id)).toEqual(['q3']);
    const ct = await h['data/records']({ datasetId: id, offset: 0, limit: 10, filters: { modality: 'CT', text: 'LIVER' } }, job());
    expect(ct.records.map((r) => r.id)).toEqual(['q1', 'q3']);
    const unknownAnatomy = await h['data/records']({ datasetId: id, offset: 0, limit: 10, filters: { anatomy: '(unknown)' } }, job());
    expect(unknownAnatomy.records.map((r) => r.id)).toEqual(['q2']);

    const thumbs = await h['data/thumbnails']({ datasetId: id, refs: ['img/a.png', 'img/nope.png'] }, job());
    expect(thumbs[1]).toEqual({ ref: 'img/nope.png', png: null, width: 0, height: 0 });
    const info = sniffImage(thumbs[0].png!);
    expect(info.ok && info.info).toMatchObject({ format: 'png', width: 8, height: 8 });

    const after = await h['data/delete']({ id }, job());
    expect(after.datasets).toEqual([]);
    await expect(h['data/records']({ datasetId: id, offset: 0, limit: 10, filters: {} }, job())).rejects.toThrow(/No stored dataset/);
  });

  it('malformed files give per-record messages naming file, record and field; good records are stored', async () => {
    const h = handlers();
    const bad = [rows[0], { id: 'x1', image: 'img/a.png', question: ['x'], options: ['a', 'b'], answer: 'a' }, { id: 'x2', image: 'img/a.png', options: ['a'] }];
    const res = await h['data/import']({ files: [drop('d/good.json', JSON.stringify(bad)), drop('d/broken.json', '[{"id": "q", "image": "img/a.png", "question": "What?", "answer": "yes"}, {"id": '), drop('d/img/a.png', png(3))], name: 'bad' }, job());
    expect(res.meta?.recordCount).toBe(1);
    expect(res.report.rejected).toBe(2);
    const msgs = res.report.errors.map((e) => `${e.file}#${e.record}:${e.field}`);
    expect(msgs).toContain('d/good.json#1:question');
    expect(msgs.some((m) => m.startsWith('d/good.json#2:'))).toBe(true);
    expect(res.report.errors.find((e) => e.file === 'd/broken.json')).toMatchObject({ record: null, message: expect.stringMatching(/malformed JSON/) });
  });

  it('nothing usable: the report says why and nothing is stored', async () => {
    const h = handlers();
    const res = await h['data/import']({ files: [drop('x/notes.txt', 'hello'), drop('x/broken.json', '{')], name: 'x' }, job());
    expect(res.meta).toBeNull();
    expect(res.report.errors.length).toBeGreaterThan(0);
    expect(res.listing.datasets).toEqual([]);
  });

  it('expands a dropped zip in the worker', async () => {
    const h = handlers();
    const zip = zipSync({ 'z/data.jsonl': strToU8(rows.map((r) => JSON.stringify(r)).join('\n')), 'z/img/a.png': png(3), 'z/img/b.png': png(5) });
    const p = await h['data/preview']({ files: [drop('upload.zip', zip)] }, job());
    expect(p).toMatchObject({ format: 'generic-table', suggestedName: 'upload', fileCount: 3 });
    const res = await h['data/import']({ files: [drop('upload.zip', zip)], name: 'zipped' }, job());
    expect(res.meta).toMatchObject({ recordCount: 3, imageCount: 2 });
  });

  it('a cancel during decoding stops the import and stores nothing', async () => {
    const h = handlers();
    const controller = new AbortController();
    const run = h['data/import']({ files: folder(), name: 'c' }, job((p) => {
      if (p.phase === 'decoding images' && p.done === 1) controller.abort();
    }, controller.signal));
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect((await h['data/list']({}, job())).datasets).toEqual([]);
  });

  it('a full quota is reported in words and the datasets stored before survive', async () => {
    const h = handlers();
    const first = await h['data/import']({ files: folder(), name: 'kept' }, job());
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'images') throw new DOMException('quota', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      await expect(h['data/import']({ files: folder(), name: 'too big' }, job())).rejects.toThrow(/storage for this site is full/);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    const list = await h['data/list']({}, job());
    expect(list.datasets.map((d) => d.name)).toEqual(['kept']);
    const page = await h['data/records']({ datasetId: first.meta!.id, offset: 0, limit: 5, filters: {} }, job());
    expect(page.total).toBe(3);
  });

  it('stores AnatomySynth once, on a first start with no datasets', async () => {
    const h = handlers();
    const phases: string[] = [];
    const made = await h['data/ensure-demo']({ synth: { questions: 40, imageSize: 16 } }, job((p) => phases.push(`${p.phase} ${p.done}/${p.total}`)));
    expect(made.created).toBe(true);
    expect(made.meta).toMatchObject({ format: 'synth', recordCount: 40, imageSize: 16 });
    expect(phases.at(-1)).toBe('saved 2/2');
    expect(made.listing.datasets).toHaveLength(1);
    const again = await h['data/ensure-demo']({ synth: { questions: 40, imageSize: 16 } }, job());
    expect(again.created).toBe(false);
    expect(again.listing.datasets).toHaveLength(1);
    const page = await h['data/records']({ datasetId: made.meta!.id, offset: 0, limit: 4, filters: { split: 'test' } }, job());
    expect(page.records.every((r) => r.split === 'test' && r.source === 'AnatomySynth')).toBe(true);
  });

  it('names a drop after its folder or archive', () => {
    expect(suggestName(['vqa-rad/data_RAD/trainset.json', 'vqa-rad/data_RAD/images/a.jpg'])).toBe('vqa-rad');
    expect(suggestName(['data.zip'])).toBe('data');
    expect(suggestName(['a.json', 'b.json'])).toBe('dataset');
    expect(filterRecords([], { text: 'x' })).toEqual([]);
  });

  it('is registered in the engine handler and survives structured clone of Files', async () => {
    const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
    const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
    const client = new EngineClient(port);
    const p = await client.request('data/preview', { files: folder() });
    expect(p.preview).toHaveLength(3);
    expect((await client.request('data/list', {})).datasets).toBeInstanceOf(Array);
  });
});

const realDir = fileURLToPath(new URL('../../../shared/data/real/vqa-rad', import.meta.url));

function walk(dir: string, root: string, out: DroppedFile[] = []): DroppedFile[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, root, out);
    else out.push({ path: `vqa-rad/${relative(root, full)}`, file: new File([readFileSync(full)], name) });
  }
  return out;
}

describe.skipIf(!existsSync(realDir))('data handlers on the real VQA-RAD sample', () => {
  it('previews and imports it with the counts SOURCES.md gives', async () => {
    const h = handlers();
    const files = walk(realDir, realDir);
    const p = await h['data/preview']({ files }, job());
    expect(p.format).toBe('vqa-rad');
    expect(p.suggestedName).toBe('vqa-rad');
    const res = await h['data/import']({ files, name: 'vqa-rad', imageSize: 8 }, job());
    expect(res.report.records).toBe(2403);
    // 212 JPEGs, one of which (synpic35356.jpg) no record refers to.
    expect(res.meta?.imageCount).toBe(211);
    expect(res.report.images.unreferencedList).toEqual(['vqa-rad/data_RAD/images/synpic35356.jpg']);
    expect(res.meta!.bySplit.train + res.meta!.bySplit.test).toBe(res.meta!.recordCount);
  });
});
