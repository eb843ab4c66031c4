// AnatomySynth: the built-in benchmark the lab opens with. Seeded scenes of 4-6 abdominal structures on a 3x3
// grid, rendered in one of three modality styles, with SGG-VQA questions and four options, split into train and
// test by scene (no image is in both; each scene is test with probability testFraction). Same config -> same
// records and the same pixels.
import type { VqaRecord } from '../record.ts';
import type { RgbImage } from '../images/pixels.ts';
import { makeRng, type Rng } from './prng.ts';
import { SYNTH_STRUCTURES, type SynthStructure } from './structures.ts';
import { placeStructure, renderScene, SYNTH_STYLES, type Scene, type SynthStyle } from './render.ts';
import { drawQuestions } from './questions.ts';

export interface SynthConfig {
  /** Seed of everything (scenes, pixels, questions, options, split); typical 1. */
  seed: number;
  /** Questions to generate; typical 2,000. */
  questions: number;
  /** Side of the square images in pixels; typical 32 or 64. */
  imageSize: number;
  /** Questions asked about each scene; typical 4. */
  questionsPerScene: number;
  /** Rendering styles (modalities) used, chosen per scene; typical all three. */
  styles: readonly SynthStyle[];
  /** Fraction of scenes held out as test; typical 0.2. */
  testFraction: number;
  /** Fewest and most structures per scene (of the 9 grid cells); typical 4 and 6. */
  minStructures: number;
  maxStructures: number;
  /** Options per question (gold + distractors); typical 4. */
  optionCount: number;
}

export const DEFAULT_SYNTH_CONFIG: SynthConfig = {
  seed: 1,
  questions: 2000,
  imageSize: 64,
  questionsPerScene: 4,
  styles: SYNTH_STYLES,
  testFraction: 0.2,
  minStructures: 4,
  maxStructures: 6,
  optionCount: 4,
};

/** The image reference (record.image) of scene `s` of a dataset drawn with `seed`. */
export function sceneRef(seed: number, s: number): string {
  return `anatomysynth/${seed}/scene-${String(s).padStart(5, '0')}`;
}

export interface SynthDataset {
  config: SynthConfig;
  records: VqaRecord[];
  /** Image reference (record.image) -> pixels. */
  images: Map<string, RgbImage>;
  scenes: Scene[];
}

/** Draws a scene: which cells are occupied, by which structures (weighted by their usual rows), in which style. */
export function drawScene(config: SynthConfig, rng: Rng): Scene {
  const count = config.minStructures + rng.int(config.maxStructures - config.minStructures + 1);
  const cells = rng.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8]).slice(0, Math.min(count, SYNTH_STRUCTURES.length, 9));
  const left = [...SYNTH_STRUCTURES];
  const placed = cells.map((cell) => {
    const row = Math.floor(cell / 3);
    const col = cell % 3;
    const total = left.reduce((s, st) => s + st.rowWeights[row], 0);
    let t = rng.next() * total;
    let k = 0;
    while (k < left.length - 1 && (t -= left[k].rowWeights[row]) >= 0) k++;
    const structure = left.splice(k, 1)[0];
    return placeStructure(structure, row, col, rng);
  });
  return { style: rng.pick(config.styles), placed, noiseSeed: rng.int(0x7fffffff) };
}

function optionsFor(gold: SynthStructure, count: number, rng: Rng): string[] {
  const others = rng.shuffle(SYNTH_STRUCTURES.filter((s) => s !== gold)).slice(0, count - 1);
  return rng.shuffle([gold, ...others].map((s) => s.name));
}

export function generateAnatomySynth(overrides: Partial<SynthConfig> = {}): SynthDataset {
  const config: SynthConfig = { ...DEFAULT_SYNTH_CONFIG, ...overrides };
  if (!(config.imageSize >= 8 && config.imageSize <= 512)) throw new Error(`imageSize must be in [8, 512], got ${config.imageSize}`);
  if (!(config.optionCount >= 2 && config.optionCount <= SYNTH_STRUCTURES.length)) throw new Error(`optionCount must be in [2, ${SYNTH_STRUCTURES.length}]`);
  if (config.minStructures < 2 || config.maxStructures > 9 || config.minStructures > config.maxStructures) throw new Error('need 2 <= minStructures <= maxStructures <= 9');
  const sceneCount = Math.ceil(config.questions / config.questionsPerScene);
  const records: VqaRecord[] = [];
  const images = new Map<string, RgbImage>();
  const scenes: Scene[] = [];
  for (let s = 0; s < sceneCount && records.length < config.questions; s++) {
    // One generator per (seed, scene), so changing the question count keeps earlier scenes identical.
    const rng = makeRng(Math.imul(config.seed | 0, 0x9e3779b1) ^ Math.imul(s + 1, 0x85ebca77));
    const split = rng.next() < config.testFraction ? 'test' : 'train';
    const scene = drawScene(config, rng);
    scenes.push(scene);
    const ref = sceneRef(config.seed, s);
    images.set(ref, renderScene(scene, config.imageSize, rng.fork()).image);
    const want = Math.min(config.questionsPerScene, config.questions - records.length);
    drawQuestions(scene, want, rng).forEach((q, i) => {
      const options = optionsFor(q.gold, config.optionCount, rng);
      const goldIndex = options.indexOf(q.gold.name);
      records.push({
        id: `anatomysynth-${config.seed}-${s}-${i}`,
        image: ref,
        question: q.question,
        options,
        goldIndex,
        answer: q.gold.name,
        open: false,
        questionType: q.type,
        modality: scene.style,
        anatomy: q.gold.name,
        source: 'AnatomySynth',
        split,
      });
    });
  }
  return { config, records, images, scenes };
}
