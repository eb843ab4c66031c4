// Renders an AnatomySynth scene into RGB pixels in pure TypeScript (no canvas), so the same seed gives the same
// image in Node, the worker and the CLI. Three styles stand in for modalities: 'Endoscopy' (colour, specular
// highlights, vignette), 'CT' (greyscale by density, Gaussian noise), 'Ultrasound' (fan-shaped, speckled).
import type { RgbImage } from '../images/pixels.ts';
import type { Rng } from './prng.ts';
import type { SynthStructure } from './structures.ts';

export const SYNTH_STYLES = ['Endoscopy', 'CT', 'Ultrasound'] as const;
export type SynthStyle = (typeof SYNTH_STYLES)[number];

/** Grid rows and columns as the SGG-VQA templates name them. */
export const ROW_NAMES = ['top', 'center', 'bottom'] as const;
export const COL_NAMES = ['left', 'mid', 'right'] as const;

/** 'top-left', 'top-mid', ..., 'center' for the middle cell. */
export function positionName(row: number, col: number): string {
  if (row === 1 && col === 1) return 'center';
  return `${ROW_NAMES[row]}-${COL_NAMES[col]}`;
}

export interface PlacedStructure {
  structure: SynthStructure;
  row: number;
  col: number;
  /** Centre in image units (0..1). */
  cx: number;
  cy: number;
  /** Half-extents in image units before rotation. */
  rx: number;
  ry: number;
  /** Rotation in radians. */
  angle: number;
  /** Random phases for boundary wobble and texture. */
  phases: [number, number, number, number];
  /** Offsets of the blobs of a lobular shape, in local units. */
  blobs: [number, number][];
}

export interface Scene {
  style: SynthStyle;
  placed: PlacedStructure[];
  /** Seed of the per-pixel noise (speckle, grain, highlights). */
  noiseSeed: number;
}

const ASPECT: Record<SynthStructure['shape'], number> = { lobe: 0.72, pear: 0.62, plate: 0.36, bean: 0.62, tube: 0.55, lobular: 0.8, sac: 0.85, sheet: 0.7 };

/** Places one structure in a grid cell with jitter in position, size and angle. */
export function placeStructure(structure: SynthStructure, row: number, col: number, rng: Rng): PlacedStructure {
  const cell = 1 / 3;
  const rx = (cell / 2) * structure.size * rng.range(1.0, 1.25);
  const blobs: [number, number][] = [];
  for (let i = 0; i < 5; i++) blobs.push([rng.range(-0.55, 0.55), rng.range(-0.5, 0.5)]);
  return {
    structure,
    row,
    col,
    cx: (col + 0.5) * cell + rng.range(-0.04, 0.04),
    cy: (row + 0.5) * cell + rng.range(-0.04, 0.04),
    rx,
    ry: rx * ASPECT[structure.shape] * rng.range(0.9, 1.15),
    angle: structure.shape === 'sheet' ? rng.range(-0.2, 0.2) : rng.range(-0.6, 0.6),
    phases: [rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283), rng.range(0, 6.283)],
    blobs,
  };
}

/** Whether local coordinates (u, v) (in half-extents, rotated) lie inside the shape. */
function inside(p: PlacedStructure, u: number, v: number): boolean {
  const [p0, p1] = p.phases;
  const r = Math.hypot(u, v);
  const theta = Math.atan2(v, u);
  switch (p.structure.shape) {
    case 'lobe':
      return r < 1 + 0.12 * Math.sin(3 * theta + p0) + 0.06 * Math.sin(5 * theta + p1);
    case 'pear': {
      const w = 0.5 + 0.5 * ((v + 1) / 2);
      return (u / w) ** 2 + v * v < 1;
    }
    case 'plate':
      return Math.abs(u) < 1 && Math.abs(v) < 1 + 0.25 * Math.sin(4 * u + p0);
    case 'bean':
      return r < 1 - 0.4 * Math.exp(-((theta - Math.PI / 2) ** 2) / 0.25) + 0.04 * Math.sin(4 * theta + p0);
    case 'tube':
      return Math.abs(u) < 1.05 && Math.abs(v - 0.55 * Math.sin(2.6 * u + p0)) < 0.5;
    case 'lobular':
      return p.blobs.some(([bx, by]) => (u - bx) ** 2 + (v - by) ** 2 < 0.23);
    case 'sac':
      return r < 1 + 0.06 * Math.sin(2 * theta + p0);
    case 'sheet':
      return Math.abs(u) < 1.05 && Math.abs(v) < 1 + 0.12 * Math.sin(3 * u + p0);
  }
}

/** Hash-based lattice noise in [0, 1), smooth between lattice points. */
function valueNoise(x: number, y: number, seed: number): number {
  const xi = Math.floor(x);
  const yi = Math.floor(y);
  const fx = x - xi;
  const fy = y - yi;
  const h = (i: number, j: number) => {
    let n = Math.imul(i, 374761393) + Math.imul(j, 668265263) + Math.imul(seed, 144665);
    n = Math.imul(n ^ (n >>> 13), 1274126177);
    return ((n ^ (n >>> 16)) >>> 0) / 4294967296;
  };
  const sx = fx * fx * (3 - 2 * fx);
  const sy = fy * fy * (3 - 2 * fy);
  const a = h(xi, yi) + (h(xi + 1, yi) - h(xi, yi)) * sx;
  const b = h(xi, yi + 1) + (h(xi + 1, yi + 1) - h(xi, yi + 1)) * sx;
  return a + (b - a) * sy;
}

/** Texture in [-1, 1] at local (u, v) and image (x, y). */
function texture(p: PlacedStructure, u: number, v: number, x: number, y: number, seed: number): number {
  const [, , p2, p3] = p.phases;
  switch (p.structure.texture) {
    case 'smooth':
      return valueNoise(x * 6, y * 6, seed) - 0.5;
    case 'fibres':
      return 0.6 * Math.sin(10 * v + 2 * u + p2) + 0.3 * (valueNoise(x * 12, y * 12, seed) - 0.5);
    case 'folds':
      return 0.8 * Math.sin(7 * u + 1.5 * Math.sin(3 * v + p3) + p2);
    case 'lobules':
      return 0.8 * Math.abs(Math.sin(5 * u + p2) * Math.sin(5 * v + p3)) - 0.35;
    case 'striations':
      return 0.5 * Math.sin(14 * v + 0.8 * Math.sin(2 * u + p3) + p2);
  }
}

export interface RenderedScene {
  image: RgbImage;
  /** Index into scene.placed of the structure drawn at each pixel; 255 for background. (size, size) */
  labels: Uint8Array;
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

export function renderScene(scene: Scene, size: number, rng: Rng): RenderedScene {
  const data = new Uint8Array(size * size * 3);
  const labels = new Uint8Array(size * size).fill(255);
  const seed = scene.noiseSeed | 0;
  const highlights = scene.style === 'Endoscopy' ? Array.from({ length: 2 + rng.int(4) }, () => [rng.next(), rng.next(), rng.range(0.015, 0.035)]) : [];
  const local = scene.placed.map((p) => ({ p, cos: Math.cos(p.angle), sin: Math.sin(p.angle) }));
  for (let py = 0; py < size; py++) {
    const y = (py + 0.5) / size;
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      let label = 255;
      let tex = 0;
      // Later structures overlap earlier ones.
      for (let k = local.length - 1; k >= 0; k--) {
        const { p, cos, sin } = local[k];
        const dx = x - p.cx;
        const dy = y - p.cy;
        const u = (dx * cos + dy * sin) / p.rx;
        const v = (-dx * sin + dy * cos) / p.ry;
        if (Math.abs(u) > 1.6 || Math.abs(v) > 1.6) continue;
        if (inside(p, u, v)) {
          label = k;
          tex = texture(p, u, v, x, y, seed + k);
          break;
        }
      }
      labels[py * size + px] = label;
      const s = label === 255 ? null : scene.placed[label].structure;
      const o = (py * size + px) * 3;
      if (scene.style === 'Endoscopy') {
        const base = s ? s.colour : [88, 30, 30];
        const shade = s ? 1 + 0.22 * tex : 0.8 + 0.4 * (valueNoise(x * 5, y * 5, seed) - 0.5);
        const r2 = (x - 0.5) ** 2 + (y - 0.5) ** 2;
        const vignette = Math.max(0.15, 1 - 0.9 * (r2 / 0.5) ** 1.5);
        let spec = 0;
        for (const [hx, hy, hr] of highlights) spec += Math.exp(-((x - hx) ** 2 + (y - hy) ** 2) / (hr * hr));
        for (let c = 0; c < 3; c++) data[o + c] = clamp255(base[c] * shade * vignette + 230 * Math.min(1, spec) + 5 * rng.normal());
      } else if (scene.style === 'CT') {
        const body = (x - 0.5) ** 2 / 0.22 + (y - 0.5) ** 2 / 0.2 < 1;
        const g = s ? s.density + 0.05 * tex : body ? 0.22 : 0.04;
        const v = clamp255(255 * (g + 0.03 * rng.normal()));
        data[o] = data[o + 1] = data[o + 2] = v;
      } else {
        // Ultrasound: a sector from a probe at the top centre; speckle is Rayleigh-distributed with mean 1.
        const dx = x - 0.5;
        const dy = y + 0.08;
        const r = Math.hypot(dx, dy);
        const inFan = Math.abs(Math.atan2(dx, dy)) < 0.68 && r > 0.14 && r < 1.08;
        if (!inFan) {
          data[o] = data[o + 1] = data[o + 2] = 0;
          continue;
        }
        const echo = s ? s.echo * (1 + 0.25 * tex) : 0.1;
        const speckle = Math.sqrt(-2 * Math.log(1 - rng.next())) / 1.2533;
        const v = clamp255(255 * echo * speckle * (1 - 0.3 * r));
        data[o] = data[o + 1] = data[o + 2] = v;
      }
    }
  }
  return { image: { width: size, height: size, data }, labels };
}
