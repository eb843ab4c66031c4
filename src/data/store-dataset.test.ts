import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { memoryFile } from './intake/intake-file.ts';
import { encodePng } from './images/png-encode.ts';
import { loadDataset } from './load.ts';
import { DatasetStore } from './storage/dataset-store.ts';
import { storeLoadedDataset, storeSynthDataset } from './store-dataset.ts';
import { generateAnatomySynth } from './synth/anatomy-synth.ts';
import { sniffImage } from './images/sniff.ts';
import { decodeImage, ImageDecodeError } from './images/decode-browser.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('storing datasets', () => {
  it('decodes found images at the model size and stores records + pixels; decoder failures are listed', async () => {
    const rows = [
      { id: 'a', image: 'a.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Gut' },
      { id: 'b', image: 'b.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Liver' },
      { id: 'c', image: 'missing.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Liver' },
    ];
    const loaded = await loadDataset([
      memoryFile('d.jsonl', enc(rows.map((r) => JSON.stringify(r)).join('\n'))),
      memoryFile('a.png', encodePng({ width: 3, height: 2, data: new Uint8Array(18).fill(7) })),
      memoryFile('b.png', encodePng({ width: 2, height: 2, data: new Uint8Array(12) })),
    ]);
    // Stand-in decoder: a flat image whose value is the source width, refusing 2-pixel-wide images.
    const decode = async (bytes: Uint8Array, size: number) => {
      const r = sniffImage(bytes);
      if (!r.ok || r.info.width === 2) throw new Error('cannot decode');
      return { width: size, height: size, data: new Uint8Array(size * size * 3).fill(r.info.width) };
    };
    const store = await DatasetStore.open('store-dataset-test');
    const progress: number[] = [];
    const { meta, decodeFailures } = await storeLoadedDataset(loaded, store, { name: 'mine', imageSize: 4, decode, onProgress: (d) => progress.push(d) });
    expect(meta).toMatchObject({ name: 'mine', format: 'generic-table', recordCount: 3, imageCount: 1, imageSize: 4, fingerprint: loaded.report.fingerprint });
    expect(decodeFailures).toEqual([{ ref: 'b.png', reason: 'cannot decode' }]);
    expect(progress).toEqual([1, 2]);
    expect((await store.getImage(meta.id, 'a.png'))?.data).toEqual(new Uint8Array(48).fill(3));
    expect((await store.get(meta.id))?.records.map((r) => r.id)).toEqual(['a', 'b', 'c']);

    const synth = generateAnatomySynth({ questions: 12, imageSize: 8 });
    const sm = await storeSynthDataset(synth, store);
    expect(sm).toMatchObject({ format: 'synth', recordCount: 12, imageCount: 3 });
    expect(sm.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    store.close();
  });

  it('the browser decoder says plainly when it cannot run (Node has no createImageBitmap)', async () => {
    await expect(decodeImage(encodePng({ width: 1, height: 1, data: new Uint8Array(3) }))).rejects.toBeInstanceOf(ImageDecodeError);
  });
});
