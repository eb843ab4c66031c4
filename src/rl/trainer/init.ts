// Where a run's starting weights come from: fresh weights with a tokenizer trained on the dataset's text
// (scratch), or a policy checkpoint (the committed pretrained default, another run's weights).

import type { VqaRecord } from '../../data/record.ts';
import { MODEL_PRESETS, presetConfig, validateModelConfig, type PresetName } from '../../model/config.ts';
import { readCheckpoint } from '../../model/safetensors.ts';
import { trainTokenizer } from '../../model/tokenizer.ts';
import { tokenizerCorpus } from './prompting.ts';
import type { TrainerInit } from './trainer.ts';

/**
 * The lab's pretrained default under public/, served at this path by Vite: the `micro` policy after SFT on
 * AnatomySynth's location questions (`npm run pretrain -- --preset micro --types location`; its card sits
 * beside it), which reads its image and leaves the other question types for GRPO to learn (README, "The
 * pretrained default"). A `tiny` default is committed too (700 SFT steps on every type, F16) and is what a tiny
 * run's `pretrained` init loads; micro stays the opening default for the Model, Evaluate and Curriculum panels:
 * tiny scores a little more on the demo's test split (32% against 30%) from the question text alone, at nine
 * times the parameters and a third of the speed on a software adapter.
 */
export const PRETRAINED_PRESET: PresetName = 'micro';
export const PRETRAINED_PATH = `models/anatomysynth-${PRETRAINED_PRESET}.safetensors`;

/** Where a preset's pretrained default lives under public/ (micro's and tiny's are committed). */
export function pretrainedPath(preset: PresetName): string {
  return `models/anatomysynth-${preset}.safetensors`;
}

/** A preset with fresh weights from `seed` and a byte-BPE tokenizer learned from the records' text. */
export function scratchInit(preset: PresetName, records: readonly VqaRecord[], seed: number): TrainerInit {
  const tokenizer = trainTokenizer(tokenizerCorpus(records), { vocabSize: MODEL_PRESETS[preset].vocabSize });
  const model = validateModelConfig({ ...presetConfig(preset, tokenizer.vocabSize), seed });
  return { model, tokenizer, weights: null };
}

/** A policy checkpoint (safetensors with config and tokenizer metadata) as starting weights. */
export function checkpointInit(bytes: Uint8Array, source: string): TrainerInit {
  const c = readCheckpoint(bytes, source);
  return { model: c.config, tokenizer: c.tokenizer, weights: c.weights, extra: c.extra };
}
