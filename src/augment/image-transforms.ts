// Label-preserving image transforms as plain descriptors (so a variant can be shown, stored and replayed)
// and their CPU application to an interleaved RGB image. Small shifts, crops, brightness and contrast keep the
// anatomy and its position class; a horizontal flip is available but off by default because it swaps left and
// right, which changes the answer of laterality and position questions.

import type { SeededRandom } from '../curriculum/seeded-random.ts';

export type ImageTransform =
  /** Translate by dx, dy (fractions of width, height; positive = right, down); edge pixels fill the gap. */
  | { kind: 'shift'; dx: number; dy: number }
  /** Keep the window at (x, y) (fractions) of size scale * (W, H), resized back to W x H bilinearly. */
  | { kind: 'crop'; x: number; y: number; scale: number }
  /** Add delta (fraction of the full range) to every channel. */
  | { kind: 'brightness'; delta: number }
  /** Scale distances from the image mean by factor. */
  | { kind: 'contrast'; factor: number }
  /** Mirror left-right. */
  | { kind: 'flip' };

/** Interleaved RGB (H, W, 3): Float32 in [0, 1] or Uint8 in [0, 255]. */
export interface RgbImage {
  width: number;
  height: number;
  data: Float32Array | Uint8Array;
}

export interface ImageTransformConfig {
  /** Largest |shift| as a fraction of the side. Default 0.05; 0 disables shifts. */
  maxShift: number;
  /** Smallest crop side as a fraction of the image. Default 0.9; 1 disables crops. */
  minCropScale: number;
  /** Largest |brightness delta| (fraction of the range). Default 0.1; 0 disables it. */
  maxBrightness: number;
  /** Largest |contrast factor - 1|. Default 0.1; 0 disables it. */
  maxContrast: number;
  /** Allow horizontal flips (they change laterality). Default false. */
  flip: boolean;
}

export function defaultImageTransformConfig(): ImageTransformConfig {
  return { maxShift: 0.05, minCropScale: 0.9, maxBrightness: 0.1, maxContrast: 0.1, flip: false };
}

/** A random transform list within the configured bounds; each enabled kind applies with probability 1/2. */
export function sampleImageTransforms(config: ImageTransformConfig, rng: SeededRandom): ImageTransform[] {
  const out: ImageTransform[] = [];
  if (config.minCropScale < 1 && rng.next() < 0.5) {
    const scale = rng.uniform(config.minCropScale, 1);
    out.push({ kind: 'crop', x: rng.uniform(0, 1 - scale), y: rng.uniform(0, 1 - scale), scale });
  }
  if (config.maxShift > 0 && rng.next() < 0.5) {
    out.push({ kind: 'shift', dx: rng.uniform(-config.maxShift, config.maxShift), dy: rng.uniform(-config.maxShift, config.maxShift) });
  }
  if (config.maxBrightness > 0 && rng.next() < 0.5) {
    out.push({ kind: 'brightness', delta: rng.uniform(-config.maxBrightness, config.maxBrightness) });
  }
  if (config.maxContrast > 0 && rng.next() < 0.5) {
    out.push({ kind: 'contrast', factor: 1 + rng.uniform(-config.maxContrast, config.maxContrast) });
  }
  if (config.flip && rng.next() < 0.5) out.push({ kind: 'flip' });
  return out;
}

/** Applies the transforms in order to a copy (clamping after each photometric one, as torchvision does); the
 * result has the input's size and element type. */
export function applyImageTransforms(image: RgbImage, transforms: readonly ImageTransform[]): RgbImage {
  const { width: w, height: h } = image;
  if (image.data.length !== w * h * 3) throw new Error(`image data has ${image.data.length} values, expected ${w * h * 3}`);
  const range = image.data instanceof Uint8Array ? 255 : 1;
  let px: Float64Array = Float64Array.from(image.data);
  for (const t of transforms) px = applyOne(px, w, h, t, range);
  const out = image.data instanceof Uint8Array ? new Uint8Array(px.length) : new Float32Array(px.length);
  for (let i = 0; i < px.length; i++) {
    const v = Math.min(range, Math.max(0, px[i]));
    out[i] = range === 255 ? Math.round(v) : v;
  }
  return { width: w, height: h, data: out };
}

function sampleBilinear(px: Float64Array, w: number, h: number, x: number, y: number, c: number): number {
  const cx = Math.min(w - 1, Math.max(0, x));
  const cy = Math.min(h - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const at = (xx: number, yy: number) => px[(yy * w + xx) * 3 + c];
  return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy;
}

function applyOne(px: Float64Array, w: number, h: number, t: ImageTransform, range: number): Float64Array {
  const out = new Float64Array(px.length);
  switch (t.kind) {
    case 'shift': {
      const sx = Math.round(t.dx * w);
      const sy = Math.round(t.dy * h);
      for (let y = 0; y < h; y++) {
        const srcY = Math.min(h - 1, Math.max(0, y - sy));
        for (let x = 0; x < w; x++) {
          const srcX = Math.min(w - 1, Math.max(0, x - sx));
          for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = px[(srcY * w + srcX) * 3 + c];
        }
      }
      return out;
    }
    case 'crop': {
      // Pixel centres of the output map onto the crop window's pixel centres.
      const cw = t.scale * w;
      const ch = t.scale * h;
      for (let y = 0; y < h; y++) {
        const srcY = t.y * h + ((y + 0.5) * ch) / h - 0.5;
        for (let x = 0; x < w; x++) {
          const srcX = t.x * w + ((x + 0.5) * cw) / w - 0.5;
          for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = sampleBilinear(px, w, h, srcX, srcY, c);
        }
      }
      return out;
    }
    case 'brightness':
      for (let i = 0; i < px.length; i++) out[i] = Math.min(range, Math.max(0, px[i] + t.delta * range));
      return out;
    case 'contrast': {
      let mean = 0;
      for (let i = 0; i < px.length; i++) mean += px[i];
      mean /= Math.max(1, px.length);
      for (let i = 0; i < px.length; i++) out[i] = Math.min(range, Math.max(0, mean + (px[i] - mean) * t.factor));
      return out;
    }
    case 'flip':
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = px[(y * w + (w - 1 - x)) * 3 + c];
        }
      }
      return out;
  }
}
