// Pixel layouts shared by the browser decoder and AnatomySynth: RGB images as bytes, and the conversion to the
// Float32 planar tensor the vision encoder takes. Pure TypeScript so Node tests can check them.

/** An RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  /** (height, width, 3) */
  data: Uint8Array;
}

/** Drops the alpha channel of canvas ImageData. */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): RgbImage {
  const n = width * height;
  if (rgba.length !== n * 4) throw new Error(`RGBA buffer has ${rgba.length} bytes, expected ${n * 4} for ${width}x${height}`);
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    data[j] = rgba[i * 4];
    data[j + 1] = rgba[i * 4 + 1];
    data[j + 2] = rgba[i * 4 + 2];
  }
  return { width, height, data };
}

/** How bytes become model input. */
export interface PixelNormalisation {
  /** Per-channel mean subtracted after scaling to [0, 1]; typical [0.5, 0.5, 0.5] (SigLIP) or the CLIP means. */
  mean: [number, number, number];
  /** Per-channel divisor after the mean; typical [0.5, 0.5, 0.5]. */
  std: [number, number, number];
}

export const SIGLIP_NORMALISATION: PixelNormalisation = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

/** RGB bytes -> Float32 (3, height, width), normalised per channel. */
export function rgbToPlanarFloat(img: RgbImage, norm: PixelNormalisation = SIGLIP_NORMALISATION): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) {
    const m = norm.mean[c];
    const s = norm.std[c];
    for (let i = 0; i < n; i++) out[c * n + i] = (img.data[i * 3 + c] / 255 - m) / s;
  }
  return out;
}
