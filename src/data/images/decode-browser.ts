// Browser-side image decoding for the worker: bytes -> ImageBitmap (createImageBitmap decodes off the main
// thread and resizes with good quality) -> OffscreenCanvas -> RGB at the model's resolution. Node has no
// createImageBitmap; Node code reads headers with sniff.ts and renders with AnatomySynth instead.
import { rgbaToRgb, type RgbImage } from './pixels.ts';
import { sniffImage } from './sniff.ts';

/** How images are brought to the model's input. */
export interface DecodeConfig {
  /** Output side in pixels (square); typical 32-224, the vision encoder's resolution. */
  size: number;
  /** 'stretch' ignores aspect ratio; 'pad' letterboxes on black (keeps anatomy proportions). Typical 'pad'. */
  fit: 'stretch' | 'pad';
  /** createImageBitmap resize quality; typical 'high'. */
  quality: ResizeQuality;
}

export const DEFAULT_DECODE_CONFIG: DecodeConfig = { size: 64, fit: 'pad', quality: 'high' };

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

export function canDecodeImages(): boolean {
  return typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
}

/** Decodes and resizes one image. Throws ImageDecodeError with the reason (signature, or the browser's error). */
export async function decodeImage(bytes: Uint8Array, config: DecodeConfig = DEFAULT_DECODE_CONFIG): Promise<RgbImage> {
  if (!canDecodeImages()) throw new ImageDecodeError('this environment has no createImageBitmap/OffscreenCanvas');
  const sniff = sniffImage(bytes);
  if (!sniff.ok) throw new ImageDecodeError(sniff.reason);
  const { width: w, height: h } = sniff.info;
  const size = config.size;
  const scale = config.fit === 'pad' ? size / Math.max(w, h) : 1;
  const dw = config.fit === 'pad' ? Math.max(1, Math.round(w * scale)) : size;
  const dh = config.fit === 'pad' ? Math.max(1, Math.round(h * scale)) : size;
  let bitmap: ImageBitmap;
  try {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: `image/${sniff.info.format}` });
    bitmap = await createImageBitmap(blob, { resizeWidth: dw, resizeHeight: dh, resizeQuality: config.quality });
  } catch (err) {
    throw new ImageDecodeError(`the browser could not decode this ${sniff.info.format}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const canvas = new OffscreenCanvas(size, size);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new ImageDecodeError('no 2D context on OffscreenCanvas');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, size, size);
    ctx.drawImage(bitmap, Math.floor((size - dw) / 2), Math.floor((size - dh) / 2));
    return rgbaToRgb(ctx.getImageData(0, 0, size, size).data, size, size);
  } finally {
    bitmap.close();
  }
}
