import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sniffImage } from './sniff.ts';
import { encodePng } from './png-encode.ts';

const real = fileURLToPath(new URL('../../../../shared/data/real', import.meta.url));

function jpeg(width: number, height: number, exifBytes = 0): Uint8Array {
  const app1 = [0xff, 0xe1, ((exifBytes + 2) >> 8) & 255, (exifBytes + 2) & 255, ...new Array(exifBytes).fill(0)];
  const sof = [0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app1, ...sof, 0xff, 0xda, 0, 2]);
}

describe('sniffImage', () => {
  it('reads PNG size from IHDR', () => {
    const png = encodePng({ width: 7, height: 5, data: new Uint8Array(7 * 5 * 3) });
    expect(sniffImage(png)).toEqual({ ok: true, info: { format: 'png', width: 7, height: 5 } });
  });

  it('reads JPEG size from SOF0, after an APP1 block', () => {
    expect(sniffImage(jpeg(640, 480, 300))).toEqual({ ok: true, info: { format: 'jpeg', width: 640, height: 480 } });
  });

  it('reads GIF, BMP (top-down) and the three WebP variants', () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 10, 0, 3, 1]);
    expect(sniffImage(gif)).toEqual({ ok: true, info: { format: 'gif', width: 10, height: 259 } });
    const bmp = new Uint8Array(54);
    bmp.set([0x42, 0x4d]);
    const v = new DataView(bmp.buffer);
    v.setInt32(14, 40, true);
    v.setInt32(18, 33, true);
    v.setInt32(22, -20, true);
    expect(sniffImage(bmp)).toEqual({ ok: true, info: { format: 'bmp', width: 33, height: 20 } });
    const riff = (fourcc: string, body: number[]) => {
      const b = new Uint8Array(40);
      b.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
      for (let i = 0; i < 4; i++) b[12 + i] = fourcc.charCodeAt(i);
      b.set(body, 20);
      return b;
    };
    // VP8 (lossy): frame tag, start code 9d 01 2a, 14-bit width/height.
    expect(sniffImage(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 100, 0, 50, 0]))).toMatchObject({ ok: true, info: { width: 100, height: 50 } });
    // VP8L: 0x2f, then (w-1) in 14 bits and (h-1) in the next 14.
    const bits = (64 - 1) | ((32 - 1) << 14);
    expect(sniffImage(riff('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255]))).toMatchObject({ ok: true, info: { width: 64, height: 32 } });
    // VP8X: 24-bit (w-1), (h-1) at 24 and 27.
    expect(sniffImage(riff('VP8X', [0, 0, 0, 0, 199, 0, 0, 99, 0, 0]))).toMatchObject({ ok: true, info: { width: 200, height: 100 } });
  });

  it('says what a non-image is', () => {
    const text = sniffImage(new TextEncoder().encode('{"question": "not a picture"}'));
    expect(text).toEqual({ ok: false, reason: expect.stringContaining("starts with text '{\"question\"") });
    expect(sniffImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty file' });
    const truncated = encodePng({ width: 2, height: 2, data: new Uint8Array(12) }).subarray(0, 12);
    expect(sniffImage(truncated)).toEqual({ ok: false, reason: expect.stringContaining('truncated') });
    expect(sniffImage(jpeg(10, 10).subarray(0, 8))).toMatchObject({ ok: false });
    expect(sniffImage(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]))).toEqual({ ok: false, reason: expect.stringContaining('TIFF') });
  });

  describe.skipIf(!existsSync(real))('real images', () => {
    it('MedVLM-R1: 224x224 PNGs, mdb146 1024x1024, one JPEG', () => {
      const dir = `${real}/medvlm-r1/images/successful_cases`;
      const sizes = Object.fromEntries(readdirSync(dir).map((f) => {
        const r = sniffImage(readFileSync(`${dir}/${f}`));
        return [f, r.ok ? `${r.info.format} ${r.info.width}x${r.info.height}` : r.reason];
      }));
      expect(sizes['mdb146.png']).toBe('png 1024x1024');
      expect(sizes['person19_virus_50.jpeg']).toMatch(/^jpeg \d+x\d+$/);
      expect(Object.values(sizes).filter((s) => s === 'png 224x224').length).toBeGreaterThanOrEqual(5);
    });

    it('VQA-RAD: every JPEG has a frame header', () => {
      const dir = `${real}/vqa-rad/data_RAD/images`;
      const files = readdirSync(dir);
      expect(files.length).toBe(212);
      for (const f of files) expect(sniffImage(readFileSync(`${dir}/${f}`)), f).toMatchObject({ ok: true, info: { format: 'jpeg' } });
    });
  });
});
