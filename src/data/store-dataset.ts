// What the worker calls after the user confirms an import: decodes each found image at the model's resolution,
// keeps the records whose images could be used (or all, for text-only work), and writes it all to IndexedDB.
// AnatomySynth goes through the same door, with its pixels already at size.
import type { LoadedDataset } from './load.ts';
import type { RgbImage } from './images/pixels.ts';
import { decodeImage, DEFAULT_DECODE_CONFIG } from './images/decode-browser.ts';
import type { DatasetMeta, DatasetStore, StoredImage } from './storage/dataset-store.ts';
import type { SynthDataset } from './synth/anatomy-synth.ts';
import { datasetFingerprint, sha256Hex } from './images/hash.ts';

export interface StoreOptions {
  /** Name shown in the dataset list. */
  name: string;
  /** Side of the stored square images in pixels; typical the model's resolution (32-224). */
  imageSize: number;
  /** Decoder for image bytes; the browser one by default, a stand-in in Node tests. */
  decode?: (bytes: Uint8Array, size: number) => Promise<RgbImage>;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

export interface StoreResult {
  meta: DatasetMeta;
  /** Image references the decoder refused, with its reason (they stay missing for training). */
  decodeFailures: { ref: string; reason: string }[];
}

const browserDecode = (bytes: Uint8Array, size: number) => decodeImage(bytes, { ...DEFAULT_DECODE_CONFIG, size });

export async function storeLoadedDataset(loaded: LoadedDataset, store: DatasetStore, options: StoreOptions): Promise<StoreResult> {
  if (!loaded.detection) throw new Error('nothing to store: no dataset format was recognised');
  const decode = options.decode ?? browserDecode;
  const found = [...loaded.images.values()].filter((s) => s.file && s.info);
  const images: StoredImage[] = [];
  const decodeFailures: StoreResult['decodeFailures'] = [];
  for (const [i, s] of found.entries()) {
    try {
      const img = await decode(await s.file!.read(), options.imageSize);
      images.push({ ref: s.ref, ...img });
    } catch (err) {
      decodeFailures.push({ ref: s.ref, reason: err instanceof Error ? err.message : String(err) });
    }
    options.onProgress?.(i + 1, found.length);
  }
  const meta = await store.save({
    name: options.name,
    format: loaded.detection.format,
    records: loaded.records,
    images,
    imageSize: options.imageSize,
    fingerprint: loaded.report.fingerprint,
  });
  return { meta, decodeFailures };
}

export async function storeSynthDataset(synth: SynthDataset, store: DatasetStore, name = `AnatomySynth (seed ${synth.config.seed})`): Promise<DatasetMeta> {
  const hashes = new Map<string, string>();
  for (const [ref, img] of synth.images) hashes.set(ref, await sha256Hex(img.data));
  return store.save({
    name,
    format: 'synth',
    records: synth.records,
    images: [...synth.images].map(([ref, img]) => ({ ref, ...img })),
    imageSize: synth.config.imageSize,
    fingerprint: await datasetFingerprint(synth.records, hashes),
  });
}
