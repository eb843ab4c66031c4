// The committed pretrained defaults (public/models): each reads as the preset it is named for, stored in the
// dtype and with the parameter count its card states, small enough for the repository; and each still scores
// what it scored when committed on held-out AnatomySynth questions, measured here rather than taken from its
// card. A fresh policy scores 0% (it names no option), so the floors catch a broken file or a broken loader.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateAnatomySynth } from '../../data/synth/anatomy-synth.ts';
import { MODEL_PRESETS, parameterCount, type PresetName } from '../../model/config.ts';
import { decodeSafetensors } from '../../model/safetensors.ts';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { checkpointInit, pretrainedPath } from './init.ts';
import { restoreTrainRunConfig } from './run-config.ts';
import { GrpoTrainer } from './trainer.ts';

// Measured on the demo's test questions: micro (SFT on location questions only) 30.1% on all 428 (404 named an
// option), tiny 36.7% on the first 120 (111). Micro's floor is over all 428: on the first 120 it scores 25.0%,
// and 428 questions put chance (25%) more than two standard errors below 30%.
const DEFAULTS: { preset: PresetName; dtype: string; questions: number; atLeast: number; named: number }[] = [
  { preset: 'micro', dtype: 'F32', questions: 428, atLeast: 0.29, named: 0.93 },
  { preset: 'tiny', dtype: 'F16', questions: 120, atLeast: 0.3, named: 0.9 },
];

describe('the committed pretrained defaults', () => {
  // The demo's 2,000 questions are the first ones the pretrain's 16,000 drew, so their test split is held out.
  const synth = generateAnatomySynth({ imageSize: 64 });
  const data = { records: synth.records, image: (ref: string) => synth.images.get(ref) ?? null };

  for (const d of DEFAULTS) {
    const file = new URL(`../../../public/${pretrainedPath(d.preset)}`, import.meta.url);
    it(`${d.preset}: the file is the preset its card describes, in ${d.dtype}, under 5 MiB`, () => {
      const bytes = readFileSync(file);
      expect(statSync(file).size).toBeLessThan(5 * 2 ** 20);
      const init = checkpointInit(bytes, pretrainedPath(d.preset));
      const { vocabSize: _v, seed: _s, ...shape } = init.model;
      const { vocabSize: _pv, seed: _ps, ...presetShape } = MODEL_PRESETS[d.preset];
      expect(shape).toEqual(presetShape);
      const card = JSON.parse(init.extra?.card ?? 'null') as { model: { preset: string; parameters: number }; storedAs?: string };
      expect(card.model.preset).toBe(d.preset);
      expect(card.model.parameters).toBe(parameterCount(init.model));
      expect(card.storedAs ?? 'F32').toBe(d.dtype);
      for (const [name, t] of decodeSafetensors(bytes, 'default').tensors) expect(t.dtype, name).toBe(d.dtype);
    });

    it(`${d.preset}: greedy accuracy on ${d.questions} held-out questions is at least ${Math.round(100 * d.atLeast)}%, nearly every answer naming an option`, async () => {
      const config = restoreTrainRunConfig({
        name: 'pretrained default', datasetId: 'synth', preset: d.preset, init: { kind: 'pretrained' }, inspectorGroups: 0,
        eval: { maxQuestions: d.questions, greedy: true }, grpo: { seed: 0, steps: 1, maxCompletionLength: 24 },
      });
      const t = GrpoTrainer.create(new CpuBackend(), config, data, checkpointInit(readFileSync(file), d.preset));
      const r = await t.evaluate(d.questions);
      t.dispose();
      expect(r.questions).toBe(d.questions);
      expect(r.accuracy, `${r.extracted} answers extracted`).toBeGreaterThanOrEqual(d.atLeast);
      expect(r.extracted / r.questions).toBeGreaterThanOrEqual(d.named);
    }, 240_000);
  }
});
