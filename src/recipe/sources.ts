// Image sources for an export: AnatomySynth (pixels in memory, written as PNG, fingerprinted as the data layer
// does in store-dataset.ts) and a plain map of encoded files (a dataset read from disk or IndexedDB).

import type { SynthDataset } from '../data/synth/anatomy-synth.ts';
import { encodePng } from '../data/images/png-encode.ts';
import { datasetFingerprint, sha256Hex } from '../data/images/hash.ts';
import type { RecipeImageSource } from './export.ts';

export function synthImageSource(synth: SynthDataset): RecipeImageSource {
  const encoded = new Map<string, Uint8Array>();
  return {
    file(ref) {
      const px = synth.images.get(ref);
      if (!px) return undefined;
      let bytes = encoded.get(ref);
      if (!bytes) encoded.set(ref, (bytes = encodePng(px)));
      return { bytes, ext: 'png' };
    },
    pixels: (ref) => synth.images.get(ref),
  };
}

/** The fingerprint storeSynthDataset gives the same dataset (SHA-256 of each image's RGB bytes). */
export async function synthFingerprint(synth: SynthDataset): Promise<string> {
  const hashes = new Map<string, string>();
  for (const [ref, img] of synth.images) hashes.set(ref, await sha256Hex(img.data));
  return datasetFingerprint(synth.records, hashes);
}

/** Encoded image files by reference; the extension is taken from the reference (png when it has none). */
export function fileMapImageSource(files: ReadonlyMap<string, Uint8Array>): RecipeImageSource {
  return {
    file(ref) {
      const bytes = files.get(ref);
      if (!bytes) return undefined;
      const m = /\.([A-Za-z0-9]{1,5})$/.exec(ref);
      return { bytes, ext: m ? m[1].toLowerCase() : 'png' };
    },
  };
}
