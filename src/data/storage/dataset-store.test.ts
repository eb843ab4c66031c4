import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { DatasetStore, describeStorageError, restoreDatasetMeta, storageEstimate } from './dataset-store.ts';
import { generateAnatomySynth } from '../synth/anatomy-synth.ts';

let n = 0;
const fresh = () => DatasetStore.open(`test-db-${n++}`);

describe('DatasetStore (IndexedDB)', () => {
  it('saves, lists, reads back records and images, and deletes', async () => {
    const store = await fresh();
    const synth = generateAnatomySynth({ questions: 40, imageSize: 16 });
    const images = [...synth.images].map(([ref, img]) => ({ ref, ...img }));
    const meta = await store.save({ name: 'AnatomySynth', format: 'synth', records: synth.records, images, imageSize: 16, fingerprint: 'f'.repeat(64) });
    expect(meta).toMatchObject({ name: 'AnatomySynth', recordCount: 40, imageCount: 10, imageSize: 16 });
    expect((await store.list()).map((m) => m.id)).toEqual([meta.id]);
    const got = await store.get(meta.id);
    expect(got?.records).toEqual(synth.records);
    expect(got?.dropped).toBe(0);
    const img = await store.getImage(meta.id, images[3].ref);
    expect(img?.data).toEqual(images[3].data);
    await store.deleteDataset(meta.id);
    expect(await store.list()).toEqual([]);
    expect(await store.get(meta.id)).toBeNull();
    expect(await store.getImage(meta.id, images[3].ref)).toBeNull();
    store.close();
  });

  it('replacing a dataset by id drops its old images', async () => {
    const store = await fresh();
    const a = generateAnatomySynth({ questions: 8, imageSize: 8, seed: 1 });
    const b = generateAnatomySynth({ questions: 8, imageSize: 8, seed: 2 });
    const toImages = (d: typeof a) => [...d.images].map(([ref, img]) => ({ ref, ...img }));
    const m = await store.save({ id: 'ds-1', name: 'a', format: 'synth', records: a.records, images: toImages(a), imageSize: 8, fingerprint: '' });
    await store.save({ id: m.id, name: 'b', format: 'synth', records: b.records, images: toImages(b), imageSize: 8, fingerprint: '' });
    expect(await store.getImage('ds-1', [...a.images.keys()][0])).toBeNull();
    expect((await store.list()).map((x) => x.name)).toEqual(['b']);
    store.close();
  });

  it('restores untrusted rows: bad records dropped and counted, bad meta refused or defaulted', async () => {
    expect(restoreDatasetMeta(null)).toBeNull();
    expect(restoreDatasetMeta({ name: 'no id' })).toBeNull();
    expect(restoreDatasetMeta({ id: 'x', recordCount: -3, bySplit: { train: 'many', test: 4 } })).toMatchObject({ id: 'x', name: 'x', recordCount: 0, bySplit: { test: 4 } });
    const store = await fresh();
    const synth = generateAnatomySynth({ questions: 4, imageSize: 8 });
    const broken = [...synth.records, { ...synth.records[0], goldIndex: 9 }, { id: 42 }] as typeof synth.records;
    const m = await store.save({ name: 'x', format: 'synth', records: broken, images: [], imageSize: 8, fingerprint: '' });
    const got = await store.get(m.id);
    expect(got?.records.length).toBe(4);
    expect(got?.dropped).toBe(2);
    store.close();
  });

  it('a quota failure mid-save leaves nothing behind and comes back in words', async () => {
    const store = await fresh();
    const synth = generateAnatomySynth({ questions: 8, imageSize: 8 });
    function* images() {
      const [first] = synth.images;
      yield { ref: first[0], ...first[1] };
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    await expect(store.save({ name: 'x', format: 'synth', records: synth.records, images: images(), imageSize: 8, fingerprint: '' })).rejects.toThrow(
      /storage for this site is full/,
    );
    expect(await store.list()).toEqual([]);
    store.close();
  });

  it('turns quota errors into words', async () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    expect(describeStorageError(quota, { usage: 2 * 1024 ** 3, quota: 2 * 1024 ** 3 })).toBe(
      "The browser's storage for this site is full (2.0 GiB of 2.0 GiB used). Delete a dataset or a run, or store images at a smaller size.",
    );
    expect(describeStorageError(new Error('disk on fire'))).toBe('Storage failed: disk on fire');
    // Node has no navigator.storage: the estimate says so by being null rather than throwing.
    const est = await storageEstimate();
    expect(est === null || typeof est.words === 'string').toBe(true);
  });
});
