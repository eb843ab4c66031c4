import { describe, it, expect } from 'vitest';
import { generateAnatomySynth, drawScene, DEFAULT_SYNTH_CONFIG } from './anatomy-synth.ts';
import { makeRng } from './prng.ts';
import { renderScene, positionName } from './render.ts';
import { SYNTH_STRUCTURES, structureByName } from './structures.ts';
import { candidateQuestions } from './questions.ts';
import { sggQuestionType } from '../formats/sgg-vqa.ts';
import { recordProblems } from '../validate/record-schema.ts';
import { sha256Hex } from '../images/hash.ts';
import { anatomySimilarity } from '../../curriculum/similarity.ts';
import type { SynthStyle } from './render.ts';

/** Mean rendered RGB of each structure over many scenes of one style. */
function meanColours(style: SynthStyle, scenes: number): Map<string, number[]> {
  const rng = makeRng(2);
  const sum = new Map<string, number[]>();
  for (let s = 0; s < scenes; s++) {
    const scene = drawScene({ ...DEFAULT_SYNTH_CONFIG, styles: [style] }, rng);
    const { image, labels } = renderScene(scene, 32, rng);
    labels.forEach((k, i) => {
      if (k === 255) return;
      const acc = sum.get(scene.placed[k].structure.name) ?? [0, 0, 0, 0];
      for (let c = 0; c < 3; c++) acc[c] += image.data[i * 3 + c];
      acc[3]++;
      sum.set(scene.placed[k].structure.name, acc);
    });
  }
  return new Map([...sum].map(([n, a]) => [n, a.slice(0, 3).map((v) => v / a[3])]));
}

/** Ranks with ties averaged (the lexicon gives many pairs the same similarity). */
function ranks(xs: number[]): number[] {
  const order = xs.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2;
    i = j + 1;
  }
  return r;
}

function spearman(a: number[], b: number[]): number {
  const ra = ranks(a);
  const rb = ranks(b);
  const m = (a.length - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i] - m) * (rb[i] - m);
    da += (ra[i] - m) ** 2;
    db += (rb[i] - m) ** 2;
  }
  return num / Math.sqrt(da * db);
}

describe('prng', () => {
  it('is deterministic per seed and roughly uniform', () => {
    const a = makeRng(42);
    const b = makeRng(42);
    const xs = Array.from({ length: 10_000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(makeRng(43).next()).not.toBe(xs[0]);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    const buckets = new Array(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]++;
    expect(Math.min(...buckets)).toBeGreaterThan(850);
  });
});

describe('AnatomySynth', () => {
  it('generates 2,000 valid 4-option questions in under 5 s', () => {
    const t0 = performance.now();
    const d = generateAnatomySynth();
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(5000);
    expect(d.records.length).toBe(2000);
    for (const r of d.records) {
      expect(recordProblems(r), r.id).toEqual([]);
      expect(r.options.length).toBe(4);
      expect(new Set(r.options).size).toBe(4);
      expect(r.options[r.goldIndex]).toBe(r.anatomy);
      expect(d.images.has(r.image)).toBe(true);
    }
    expect(new Set(d.records.map((r) => r.id)).size).toBe(2000);
    const img = d.images.values().next().value!;
    expect(img.data.length).toBe(64 * 64 * 3);
  });

  it('is deterministic for a seed (records and pixels), different for another', async () => {
    const hashAll = async (d: ReturnType<typeof generateAnatomySynth>) => sha256Hex(new Uint8Array((await Promise.all([...d.images.values()].map((i) => sha256Hex(i.data)))).join('').split('').map((c) => c.charCodeAt(0))));
    const a = generateAnatomySynth({ seed: 7, questions: 200, imageSize: 32 });
    const b = generateAnatomySynth({ seed: 7, questions: 200, imageSize: 32 });
    const c = generateAnatomySynth({ seed: 8, questions: 200, imageSize: 32 });
    expect(b.records).toEqual(a.records);
    expect(await hashAll(b)).toBe(await hashAll(a));
    expect(c.records.map((r) => r.question)).not.toEqual(a.records.map((r) => r.question));
    // Asking for more questions keeps the earlier scenes identical.
    const longer = generateAnatomySynth({ seed: 7, questions: 400, imageSize: 32 });
    expect(longer.records.slice(0, 200)).toEqual(a.records);
  });

  it('splits by scene: about testFraction of scenes are test, and no image is in both splits', () => {
    const d = generateAnatomySynth({ seed: 3, questions: 1000, imageSize: 16 });
    const splitOf = new Map<string, Set<string>>();
    for (const r of d.records) splitOf.set(r.image, (splitOf.get(r.image) ?? new Set()).add(r.split));
    expect([...splitOf.values()].every((s) => s.size === 1)).toBe(true);
    const test = [...splitOf.values()].filter((s) => s.has('test')).length;
    // Each scene is test with probability 0.2: 250 scenes give 50 +- 6.3 (1 sd).
    expect(Math.abs(test - splitOf.size * DEFAULT_SYNTH_CONFIG.testFraction)).toBeLessThan(20);
  });

  it('a bigger set with the same seed extends the demo: same first records, its test images never in the train split', () => {
    // The pretrained default trains on 16,000 questions of seed 1 and is evaluated on the demo's test split.
    const demo = generateAnatomySynth({ imageSize: 16 });
    const big = generateAnatomySynth({ imageSize: 16, questions: 8000 });
    expect(big.records.slice(0, demo.records.length)).toEqual(demo.records);
    const demoTest = new Set(demo.records.filter((r) => r.split === 'test').map((r) => r.image));
    expect(demoTest.size).toBeGreaterThan(50);
    expect(big.records.filter((r) => r.split !== 'test' && demoTest.has(r.image))).toEqual([]);
  });

  it('uses the SGG-VQA templates and all three types and styles', () => {
    const d = generateAnatomySynth({ seed: 5, questions: 600, imageSize: 16 });
    for (const r of d.records) expect(sggQuestionType(r.question), r.question).toBe(r.questionType);
    const qs = d.records.map((r) => r.question);
    expect(qs).toContain('What anatomy is at the top-left of the frame ?');
    expect(qs.some((q) => /^What is the name of the anatomy that is below the [a-z ]+ \?$/.test(q))).toBe(true);
    expect(qs.some((q) => /^There is .*; what is it\?$/.test(q))).toBe(true);
    expect(new Set(d.records.map((r) => r.modality))).toEqual(new Set(['Endoscopy', 'CT', 'Ultrasound']));
    expect(new Set(d.records.map((r) => r.questionType))).toEqual(new Set(['location', 'relation', 'attribute']));
  });

  it('answers are true of the rendered pixels: the gold structure covers its cell, relations hold on the grid', () => {
    const rng = makeRng(11);
    for (let s = 0; s < 40; s++) {
      const scene = drawScene({ ...DEFAULT_SYNTH_CONFIG, styles: ['CT'] }, rng);
      const size = 48;
      const { labels } = renderScene(scene, size, rng);
      scene.placed.forEach((p, k) => {
        // Each structure is visible, and the centre of its visible pixels lies in (or at the edge of) its cell.
        let n = 0;
        let sx = 0;
        let sy = 0;
        labels.forEach((l, i) => {
          if (l !== k) return;
          n++;
          sx += (i % size) + 0.5;
          sy += Math.floor(i / size) + 0.5;
        });
        expect(n, p.structure.name).toBeGreaterThan(0);
        const [cx, cy] = [sx / n / size, sy / n / size];
        expect(Math.abs(cx - (p.col + 0.5) / 3), `${p.structure.name} x`).toBeLessThan(1 / 6);
        expect(Math.abs(cy - (p.row + 0.5) / 3), `${p.structure.name} y`).toBeLessThan(1 / 6);
      });
      const cands = candidateQuestions(scene);
      for (const q of cands.location) {
        const m = /at the (\S+) of the frame/.exec(q.question)!;
        const p = scene.placed.find((x) => positionName(x.row, x.col) === m[1])!;
        expect(p.structure).toBe(q.gold);
      }
      for (const q of cands.relation) {
        const m = /that is (below|above|on the left side of|on the right side of) the ([a-z ]+?)(?: \?|;)/.exec(q.question)!;
        const ref = scene.placed.find((x) => x.structure.name.toLowerCase() === m[2])!;
        const gold = scene.placed.find((x) => x.structure === q.gold)!;
        const d = { below: [1, 0], above: [-1, 0], 'on the left side of': [0, -1], 'on the right side of': [0, 1] }[m[1]]!;
        expect([gold.row - ref.row, gold.col - ref.col]).toEqual(d);
      }
    }
  });

  it('look-alike structures look alike: liver is closer to gallbladder and cystic plate than to omentum or the wall', () => {
    const mean = meanColours('Endoscopy', 60);
    const dist = (a: string, b: string) => Math.hypot(...mean.get(a)!.map((v, i) => v - mean.get(b)![i]));
    expect(dist('Liver', 'Gallbladder')).toBeLessThan(dist('Liver', 'Omentum'));
    expect(dist('Liver', 'Cystic Plate')).toBeLessThan(dist('Liver', 'Abdominal Wall Cavity'));
    expect(dist('Gut', 'Omentum')).toBeLessThan(dist('Gut', 'Liver'));
    expect(dist('Gallbladder', 'Cystic Plate')).toBeLessThan(dist('Gallbladder', 'Abdominal Wall Cavity'));
    // And in CT grey levels.
    const density = (n: string) => structureByName(n)!.density;
    expect(Math.abs(density('Liver') - density('Gallbladder'))).toBeLessThan(Math.abs(density('Liver') - density('Omentum')));
  });

  it("visual closeness ranks pairs as the curriculum's anatomy similarity does (Spearman over all 28 pairs)", () => {
    const names = SYNTH_STRUCTURES.map((s) => s.name);
    const found: Record<string, number> = {};
    for (const style of ['Endoscopy', 'CT', 'Ultrasound'] as const) {
      const mean = meanColours(style, 60);
      const lexicon: number[] = [];
      const visual: number[] = [];
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          lexicon.push(anatomySimilarity(names[i], names[j]));
          visual.push(-Math.hypot(...mean.get(names[i])!.map((v, c) => v - mean.get(names[j])![c])));
        }
      }
      found[style] = spearman(lexicon, visual);
    }
    // Mean colour ignores texture and shape, so agreement is partial; chance level is 0.
    expect(found.Endoscopy, JSON.stringify(found)).toBeGreaterThan(0.5);
    expect(Math.min(found.CT, found.Ultrasound), JSON.stringify(found)).toBeGreaterThan(0.3);
  });

  it('has 6-10 structures named as SGG-VQA names them', () => {
    expect(SYNTH_STRUCTURES.length).toBeGreaterThanOrEqual(6);
    expect(SYNTH_STRUCTURES.length).toBeLessThanOrEqual(10);
    for (const n of ['Liver', 'Gallbladder', 'Cystic Plate', 'Omentum', 'Gut', 'Abdominal Wall Cavity']) expect(structureByName(n)).toBeDefined();
  });

  it('refuses impossible configs', () => {
    expect(() => generateAnatomySynth({ imageSize: 2 })).toThrow(/imageSize/);
    expect(() => generateAnatomySynth({ optionCount: 12 })).toThrow(/optionCount/);
  });
});
