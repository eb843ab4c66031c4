// Stored dataset images (resized RGB bytes, data/storage) -> the policy's input: (H, W, C) floats in [-1, 1]
// at the model's resolution (area-averaged when the stored side is a multiple, nearest otherwise), and the
// (I, H, W, C) batch tensor of a step. Optional GDQA image transforms run on the bytes first.

import { applyImageTransforms, type ImageTransform } from '../../augment/image-transforms.ts';
import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';

/** What the trainer needs of a stored image (StoredImage satisfies it). */
export interface RgbBytes {
  width: number;
  height: number;
  /** (height, width, 3) RGB bytes. */
  data: Uint8Array;
}

/** Pixels of one image at `size` x `size`, (H, W, 3) in [-1, 1]. */
export function toPolicyPixels(image: RgbBytes, size: number, transforms: readonly ImageTransform[] = []): Float32Array {
  const src = transforms.length > 0 ? (applyImageTransforms(image, transforms) as RgbBytes) : image;
  const { width: w, height: h, data } = src;
  if (data.length !== w * h * 3) throw new Error(`image: ${data.length} bytes for ${w}x${h} RGB`);
  const out = new Float32Array(size * size * 3);
  const fx = w / size, fy = h / size;
  const box = Number.isInteger(fx) && Number.isInteger(fy) && fx >= 1 && fy >= 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let v: number;
        if (box) {
          let s = 0;
          for (let dy = 0; dy < fy; dy++) for (let dx = 0; dx < fx; dx++) s += data[((y * fy + dy) * w + x * fx + dx) * 3 + c];
          v = s / (fx * fy);
        } else {
          const sx = Math.min(w - 1, Math.floor((x + 0.5) * fx)), sy = Math.min(h - 1, Math.floor((y + 0.5) * fy));
          v = data[(sy * w + sx) * 3 + c];
        }
        out[(y * size + x) * 3 + c] = v / 127.5 - 1;
      }
    }
  }
  return out;
}

/** Converted pixels per image reference, computed once (a run revisits its images every epoch). */
export class PixelCache {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    private readonly lookup: (ref: string) => RgbBytes | null,
    readonly size: number,
  ) {}

  /** Pixels of `ref` (grey when the dataset holds no image for it: the question is then text-only). */
  pixels(ref: string, transforms: readonly ImageTransform[] = []): Float32Array {
    const key = transforms.length ? `${ref}\u0000${JSON.stringify(transforms)}` : ref;
    let p = this.cache.get(key);
    if (!p) {
      const img = ref ? this.lookup(ref) : null;
      p = img ? toPolicyPixels(img, this.size, transforms) : new Float32Array(this.size * this.size * 3);
      if (transforms.length === 0) this.cache.set(key, p);
    }
    return p;
  }

  /** (I, size, size, 3) tensor of the given pixel arrays. */
  batch(b: Backend, images: readonly Float32Array[]): Tensor {
    const n = this.size * this.size * 3;
    const all = new Float32Array(images.length * n);
    images.forEach((p, i) => all.set(p, i * n));
    return b.fromArray(all, [images.length, this.size, this.size, 3]);
  }
}
