// Test fixtures of the trainer: a small AnatomySynth, a micro run config with every per-step cost cut down,
// and a scratch init built once per process. Test-only; nothing in the engine imports it.

import { generateAnatomySynth } from '../../data/synth/anatomy-synth.ts';
import type { TrainRunConfig } from '../../worker/train-protocol.ts';
import { scratchInit } from './init.ts';
import { restoreTrainRunConfig } from './run-config.ts';
import type { TrainerData, TrainerInit } from './trainer.ts';

let cached: { data: TrainerData; init: TrainerInit } | null = null;

/** 48 AnatomySynth questions at 32 px and a micro scratch init (tokenizer trained on them). */
export function microFixture(): { data: TrainerData; init: TrainerInit } {
  if (!cached) {
    const synth = generateAnatomySynth({ seed: 3, questions: 48, imageSize: 32, testFraction: 0.25 });
    const data: TrainerData = { records: synth.records, image: (ref) => synth.images.get(ref) ?? null };
    cached = { data, init: scratchInit('micro', synth.records, 7) };
  }
  return cached;
}

/** A GRPO run small enough for the CPU backend in a unit test. */
export function microRunConfig(over: Record<string, unknown> = {}, grpo: Record<string, unknown> = {}): TrainRunConfig {
  return restoreTrainRunConfig({
    name: 'test', datasetId: 'synth', preset: 'micro', init: { kind: 'scratch' }, inspectorGroups: 2,
    eval: { maxQuestions: 4 },
    grpo: {
      seed: 5, groupSize: 3, batchSize: 2, steps: 6, maxCompletionLength: 6, learningRate: 1e-3, beta: 0.04,
      numIterations: 2, checkpointEvery: 3, sft: { steps: 0 }, ...grpo,
    },
    ...over,
  });
}
