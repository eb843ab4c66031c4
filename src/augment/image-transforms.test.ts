import { describe, it, expect } from 'vitest';
import { applyImageTransforms, defaultImageTransformConfig, sampleImageTransforms, type RgbImage } from './image-transforms.ts';
import { SeededRandom } from '../curriculum/seeded-random.ts';

// A 4 x 2 image whose red channel is the x coordinate, green the y, blue constant.
function ramp(): RgbImage {
  const w = 4;
  const h = 2;
  const data = new Float32Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set([x / 10, y / 10, 0.5], (y * w + x) * 3);
  return { width: w, height: h, data };
}
const red = (img: RgbImage, y: number) => Array.from({ length: img.width }, (_, x) => img.data[(y * img.width + x) * 3]);

describe('image transforms', () => {
  it('shift moves right by one pixel and repeats the edge', () => {
    const out = applyImageTransforms(ramp(), [{ kind: 'shift', dx: 0.25, dy: 0 }]);
    expect(red(out, 0)).toEqual([0, 0, 0.1, 0.2].map(Math.fround));
  });

  it('crop of scale 1 is the identity; a half crop upsamples the left half', () => {
    const img = ramp();
    expect(applyImageTransforms(img, [{ kind: 'crop', x: 0, y: 0, scale: 1 }]).data).toEqual(img.data);
    const out = applyImageTransforms(img, [{ kind: 'crop', x: 0, y: 0, scale: 0.5 }]);
    // output centres x+0.5 map to 0.5*(x+0.5) - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped/bilinear on 0, 0.1
    const want = [0, 0.025, 0.075, 0.125];
    red(out, 0).forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });

  it('brightness and contrast by hand, clamped to the range', () => {
    const img: RgbImage = { width: 1, height: 2, data: new Uint8Array([100, 100, 100, 200, 200, 200]) };
    expect(Array.from(applyImageTransforms(img, [{ kind: 'brightness', delta: 0.2 }]).data)).toEqual([151, 151, 151, 251, 251, 251]);
    // mean 150; factor 2 -> 50, 250
    expect(Array.from(applyImageTransforms(img, [{ kind: 'contrast', factor: 2 }]).data)).toEqual([50, 50, 50, 250, 250, 250]);
    expect(Array.from(applyImageTransforms(img, [{ kind: 'brightness', delta: 1 }]).data)).toEqual([255, 255, 255, 255, 255, 255]);
  });

  it('flip twice is the identity and flip reverses a row', () => {
    const img = ramp();
    expect(red(applyImageTransforms(img, [{ kind: 'flip' }]), 1)).toEqual([0.3, 0.2, 0.1, 0].map(Math.fround));
    expect(applyImageTransforms(img, [{ kind: 'flip' }, { kind: 'flip' }]).data).toEqual(img.data);
  });

  it('samples within bounds and never flips by default', () => {
    const c = defaultImageTransformConfig();
    const rng = new SeededRandom(4);
    const kinds = new Set<string>();
    for (let i = 0; i < 500; i++) {
      for (const t of sampleImageTransforms(c, rng)) {
        kinds.add(t.kind);
        if (t.kind === 'shift') expect(Math.max(Math.abs(t.dx), Math.abs(t.dy))).toBeLessThanOrEqual(c.maxShift);
        if (t.kind === 'crop') {
          expect(t.scale).toBeGreaterThanOrEqual(c.minCropScale);
          expect(t.x + t.scale).toBeLessThanOrEqual(1);
        }
        if (t.kind === 'brightness') expect(Math.abs(t.delta)).toBeLessThanOrEqual(c.maxBrightness);
        if (t.kind === 'contrast') expect(Math.abs(t.factor - 1)).toBeLessThanOrEqual(c.maxContrast);
      }
    }
    expect([...kinds].sort()).toEqual(['brightness', 'contrast', 'crop', 'shift']);
  });
});
