// Recognises image files by their signature and reads their dimensions from the header, in pure TypeScript,
// so Node (the `inspect` command) and the worker can list undecodable images without a decoder.
// Checks are header-deep: a file that passes may still fail to decode, but one that fails here never decodes.

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

export type SniffResult = { ok: true; info: ImageInfo } | { ok: false; reason: string };

/** Bytes needed by `sniffImage` for every format but JPEG (whose size marker can sit after large EXIF blocks). */
export const SNIFF_HEAD_BYTES = 64;

const fail = (reason: string): SniffResult => ({ ok: false, reason });

function sized(format: ImageFormat, width: number, height: number): SniffResult {
  if (!(width > 0 && height > 0)) return fail(`${format} header gives a ${width}x${height} size`);
  return { ok: true, info: { format, width, height } };
}

function startsWith(b: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (b.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[at + i] !== sig[i]) return false;
  return true;
}

const be16 = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
const le16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const be32 = (b: Uint8Array, o: number) => ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
const le32s = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);

function sniffPng(b: Uint8Array): SniffResult {
  // IHDR must be the first chunk: length 13 at byte 8, type at 12, width/height at 16/20.
  if (b.length < 24 || !startsWith(b, [0x49, 0x48, 0x44, 0x52], 12)) return fail('PNG signature but no IHDR chunk (truncated?)');
  return sized('png', be32(b, 16), be32(b, 20));
}

function sniffJpeg(b: Uint8Array): SniffResult {
  let o = 2;
  while (o + 4 <= b.length) {
    if (b[o] !== 0xff) return fail(`JPEG marker expected at byte ${o}`);
    const marker = b[o + 1];
    if (marker === 0xff) {
      o++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      o += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return fail('JPEG has no frame header before its image data');
    const len = be16(b, o + 2);
    if (len < 2) return fail(`JPEG segment length ${len} at byte ${o}`);
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (o + 9 > b.length) break;
      return sized('jpeg', be16(b, o + 7), be16(b, o + 5));
    }
    o += 2 + len;
  }
  return fail('JPEG ends before its frame header (truncated?)');
}

function sniffWebp(b: Uint8Array): SniffResult {
  if (b.length < 30) return fail('WebP header truncated');
  const chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
  if (chunk === 'VP8 ') {
    if (!startsWith(b, [0x9d, 0x01, 0x2a], 23)) return fail('WebP VP8 frame tag missing');
    return sized('webp', le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return fail('WebP VP8L signature byte missing');
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return sized('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X') {
    const w = 1 + (b[24] | (b[25] << 8) | (b[26] << 16));
    const h = 1 + (b[27] | (b[28] << 8) | (b[29] << 16));
    return sized('webp', w, h);
  }
  return fail(`WebP with unknown chunk '${chunk}'`);
}

function sniffBmp(b: Uint8Array): SniffResult {
  if (b.length < 26) return fail('BMP header truncated');
  const headerSize = le32s(b, 14);
  if (headerSize === 12) return sized('bmp', le16(b, 18), le16(b, 20));
  if (headerSize < 40) return fail(`BMP info header of ${headerSize} bytes`);
  // Height is negative for top-down bitmaps.
  return sized('bmp', le32s(b, 18), Math.abs(le32s(b, 22)));
}

/** Describes the first bytes of a non-image so the message says what the file actually is. */
function describeNonImage(b: Uint8Array): string {
  if (b.length === 0) return 'empty file';
  const head = b.subarray(0, 16);
  let printable = 0;
  for (const c of head) if (c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127)) printable++;
  if (printable === head.length) {
    const text = String.fromCharCode(...head).replace(/\s+/g, ' ');
    return `not an image: starts with text '${text}'`;
  }
  const hex = Array.from(b.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ');
  return `not a PNG, JPEG, WebP, GIF or BMP file (first bytes ${hex})`;
}

/** Identifies an image by signature and reads its size. Give it the whole file (or at least its header). */
export function sniffImage(b: Uint8Array): SniffResult {
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return sniffPng(b);
  if (startsWith(b, [0xff, 0xd8, 0xff])) return sniffJpeg(b);
  if (startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b, [0x57, 0x45, 0x42, 0x50], 8)) return sniffWebp(b);
  if (startsWith(b, [0x47, 0x49, 0x46, 0x38]) && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61) {
    if (b.length < 10) return fail('GIF header truncated');
    return sized('gif', le16(b, 6), le16(b, 8));
  }
  if (startsWith(b, [0x42, 0x4d])) return sniffBmp(b);
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) {
    return fail('TIFF image: browsers cannot decode TIFF; convert it to PNG');
  }
  return fail(describeNonImage(b));
}

/** Extensions the lab treats as images when it walks a tree. */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp']);
