import { describe, it, expect } from 'vitest';
import { rgbaToRgb, rgbToPlanarFloat } from './pixels.ts';

describe('pixel layouts', () => {
  it('drops alpha and keeps pixel order', () => {
    const img = rgbaToRgb(new Uint8Array([1, 2, 3, 255, 4, 5, 6, 0]), 2, 1);
    expect(Array.from(img.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => rgbaToRgb(new Uint8Array(7), 2, 1)).toThrow(/8/);
  });

  it('planar float: (3, H, W), (x/255 - mean) / std', () => {
    const out = rgbToPlanarFloat({ width: 2, height: 1, data: new Uint8Array([0, 255, 51, 255, 0, 102]) }, { mean: [0, 0.5, 0], std: [1, 0.5, 0.2] });
    expect(Array.from(out).map((v) => +v.toFixed(4))).toEqual([0, 1, 1, -1, 1, 2]);
  });
});
