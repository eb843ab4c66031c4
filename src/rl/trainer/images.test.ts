// Stored RGB bytes -> policy pixels: [-1, 1] scaling, 2x2 area averaging when the stored side is a multiple,
// nearest sampling otherwise, grey for a missing image, and the (I, H, W, C) batch layout.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { PixelCache, toPolicyPixels } from './images.ts';

describe('policy pixels', () => {
  it('area-averages a 4x4 image to 2x2 and scales bytes to [-1, 1]', () => {
    const data = new Uint8Array(4 * 4 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) data.set([x < 2 ? 0 : 255, y * 85, 51], (y * 4 + x) * 3);
    const p = toPolicyPixels({ width: 4, height: 4, data }, 2);
    // Top-left block: R 0, G mean(0, 85) = 42.5, B 51.
    expect(Array.from(p.subarray(0, 3))).toEqual([-1, 42.5 / 127.5 - 1, 51 / 127.5 - 1].map(Math.fround));
    expect(p[3]).toBe(1); // top-right block is all 255 in R
    expect(p[2 * 2 * 3 - 2]).toBeCloseTo(212.5 / 127.5 - 1, 6); // bottom-right G: mean(170, 255)
  });

  it('samples the nearest pixel when the sizes are not multiples, and gives grey for a missing image', () => {
    const data = Uint8Array.from({ length: 3 * 3 * 3 }, (_, i) => Math.floor(i / 3) * 10);
    const p = toPolicyPixels({ width: 3, height: 3, data }, 2);
    expect(p[0]).toBeCloseTo(0 / 127.5 - 1, 6); // (0.75, 0.75) -> pixel (0, 0)
    expect(p[3 * 3]).toBeCloseTo(80 / 127.5 - 1, 6); // (2.25, 2.25) -> pixel (2, 2) = index 8
    const cache = new PixelCache(() => null, 2);
    expect(Array.from(cache.pixels('nothing'))).toEqual(new Array(12).fill(0));
    const t = cache.batch(new CpuBackend(), [p, cache.pixels('x')]);
    expect(t.shape).toEqual([2, 2, 2, 3]);
  });
});
