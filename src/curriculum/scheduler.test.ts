import { describe, it, expect } from 'vitest';
import type { VqaRecord } from '../data/record.ts';
import { defaultCurriculumConfig, type CurriculumConfig } from './config.ts';
import { CurriculumScheduler } from './scheduler.ts';
import { SeededRandom } from './seeded-random.ts';
import { cachedSimilarity, lexiconSimilarity } from './similarity.ts';
import { ANATOMY_LEXICON } from './anatomy-lexicon.ts';

const ORGANS = ANATOMY_LEXICON.filter((e) => e.kind === 'organ').map((e) => e.name);
const source = cachedSimilarity(lexiconSimilarity);

function makeRecords(n: number, seed = 3): VqaRecord[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const options = rng.shuffle(ORGANS.slice()).slice(0, 4);
    const goldIndex = rng.int(4);
    return {
      id: `q${i}`, image: `img${i}.png`, question: 'What organ is shown?', options, goldIndex, answer: options[goldIndex],
      open: false, questionType: 'Anatomy Identification', modality: 'CT', anatomy: options[goldIndex], source: 'test', split: 'train',
    };
  });
}

const RECORDS = makeRecords(120);
const config = (over: Partial<CurriculumConfig> = {}): CurriculumConfig => ({ ...defaultCurriculumConfig(), ...over });
const make = (over: Partial<CurriculumConfig> = {}, records = RECORDS) =>
  new CurriculumScheduler(records, config(over), source, { batchSize: 4, totalSteps: 100 });

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('CurriculumScheduler', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(make().batchAt(17)).toEqual(make().batchAt(17));
    expect(make().queue(0, 5)).toEqual(make().queue(0, 5));
    const ids = (s: CurriculumScheduler) => s.queue(0, 5).flatMap((b) => b.questions.map((q) => q.record.id));
    expect(ids(make({ seed: 1 }))).not.toEqual(ids(make({ seed: 2 })));
  });

  it('gives batchSize distinct questions', () => {
    for (const step of [0, 30, 99]) {
      const b = make().batchAt(step);
      expect(b).toHaveLength(4);
      expect(new Set(b.map((q) => q.record.id)).size).toBe(4);
    }
  });

  it('reorder: early batches come from the easiest quarter, late ones from everything', () => {
    const s = make({ mode: 'reorder' });
    const sorted = s.naturalSimilarities();
    const quarter = sorted[Math.ceil(0.25 * sorted.length) - 1];
    for (let step = 0; step < 25; step++) {
      for (const q of s.batchAt(step)) {
        expect(q.naturalSimilarity).toBeLessThanOrEqual(quarter);
        expect(q.target).toBeNull();
      }
    }
    const late = Array.from({ length: 20 }, (_, i) => s.batchAt(80 + i)).flat();
    expect(Math.max(...late.map((q) => q.naturalSimilarity))).toBeGreaterThan(quarter);
  });

  it('redraw: early S(q) near each question\'s easiest, natural options from 80% on, gold kept', () => {
    const s = make({ mode: 'redraw' });
    const early = Array.from({ length: 10 }, (_, i) => s.batchAt(i)).flat();
    for (const q of early) {
      expect(q.target).not.toBeNull();
      expect(Math.abs(q.similarity - q.target!)).toBeLessThanOrEqual(0.03 + 1e-12);
      const original = RECORDS.find((r) => r.id === q.record.id)!;
      expect(q.record.options[q.record.goldIndex]).toBe(original.options[original.goldIndex]);
      expect(q.record.answer).toBe(original.answer);
    }
    expect(mean(early.map((q) => q.similarity))).toBeLessThan(mean(early.map((q) => q.naturalSimilarity)) - 0.05);
    for (const q of s.batchAt(85)) {
      const original = RECORDS.find((r) => r.id === q.record.id)!;
      expect(q.record).toEqual(original);
    }
    expect(s.meanTargetAt(0)).toBeLessThan(s.meanTargetAt(50));
    expect(s.meanTargetAt(50)).toBeLessThan(s.meanTargetAt(90));
  });

  it('global levels: batch-mean S follows easiestLevel early', () => {
    const s = make({ mode: 'redraw', easiestLevel: 0.2, naturalLevel: 0.5 });
    const early = Array.from({ length: 10 }, (_, i) => s.batchAt(i)).flat();
    expect(mean(early.map((q) => q.similarity))).toBeCloseTo(0.2, 1);
  });

  it('off: epochs over a permutation, every question once per epoch, options untouched', () => {
    const s = make({ enabled: false });
    const epoch = Array.from({ length: 30 }, (_, i) => s.batchAt(i)).flat();
    expect(new Set(epoch.map((q) => q.record.id)).size).toBe(120);
    expect(epoch.every((q) => q.target === null && q.similarity === q.naturalSimilarity)).toBe(true);
    expect(s.levelAt(0)).toBe(1);
  });

  it('manual control: exclude, pin, move, and the state round-trips', () => {
    const s = make();
    s.exclude('q5');
    s.pin('q7');
    s.moveTo('q100', 3);
    for (let step = 0; step < 40; step++) {
      const b = s.batchAt(step);
      expect(b.some((q) => q.record.id === 'q5')).toBe(false);
      expect(b.find((q) => q.record.id === 'q7')?.origin).toBe('pinned');
    }
    expect(s.batchAt(3)[0]).toMatchObject({ record: { id: 'q100' }, origin: 'moved' });
    const t = make();
    t.controls = s.controls;
    expect(t.batchAt(3)).toEqual(s.batchAt(3));
    s.include('q5');
    s.unpin('q7');
    expect(s.controls.excluded).toEqual([]);
    expect(() => s.pin('nope')).toThrow(/no schedulable question/);
  });

  it('skips open questions and has a histogram of all the others', () => {
    const open = { ...RECORDS[0], id: 'open', open: true, options: [], goldIndex: -1 };
    const s = make({}, [...RECORDS, open]);
    expect(s.skipped).toBe(1);
    expect(s.size).toBe(120);
    expect(s.histogram(10).counts.reduce((a, b) => a + b, 0)).toBe(120);
  });
});
