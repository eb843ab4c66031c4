// TrainRunConfig (the payload of 'train/start', stored in every checkpoint): its defaults and
// restoreTrainRunConfig, the one way untrusted JSON (the UI, a checkpoint, the CLI) becomes one. The nested
// configs go through their owners' restore functions.

import { restoreAugmentConfig } from '../../augment/config.ts';
import { restoreCurriculumConfig } from '../../curriculum/config.ts';
import { asObject, ConfigError, readBoolean, readEnum, readNumber, readString, readVersion } from '../../curriculum/restore-fields.ts';
import type { PresetName } from '../../model/config.ts';
import { TRAIN_RUN_CONFIG_VERSION, type TrainEvalConfig, type TrainInit, type TrainRunConfig } from '../../worker/train-protocol.ts';
import { restoreGrpoConfig } from '../config.ts';

export type { TrainRunConfig };

const PRESETS: readonly PresetName[] = ['micro', 'tiny', 'small'];

export function defaultTrainEvalConfig(): TrainEvalConfig {
  return { enabled: true, split: 'test', maxQuestions: 64, greedy: true };
}

/** Defaults: the pretrained tiny policy, GRPO as PAPER.md section 1, no curriculum, no augmentation. */
export function defaultTrainRunConfig(datasetId = ''): TrainRunConfig {
  return restoreTrainRunConfig({ datasetId });
}

function restoreInit(untrusted: unknown, where: string): TrainInit {
  const o = asObject(untrusted, where);
  const kind = readEnum(o, 'kind', 'pretrained', ['pretrained', 'scratch', 'checkpoint'] as const, where);
  if (kind !== 'checkpoint') return { kind };
  const runId = readString(o, 'runId', '', where, 200);
  if (!runId) throw new ConfigError(`${where}.runId: a checkpoint init needs the run id`);
  return { kind, runId };
}

export function restoreTrainRunConfig(untrusted: unknown, source = 'TrainRunConfig'): TrainRunConfig {
  const o = asObject(untrusted, source);
  readVersion(o, TRAIN_RUN_CONFIG_VERSION, source);
  const d = defaultTrainEvalConfig();
  const e = asObject(o.eval, `${source}.eval`);
  const ew = `${source}.eval`;
  const curriculum = restoreCurriculumConfig(o.curriculum ?? { enabled: false }, `${source}.curriculum`);
  const augment = restoreAugmentConfig(o.augment, `${source}.augment`);
  const config: TrainRunConfig = {
    version: TRAIN_RUN_CONFIG_VERSION,
    name: readString(o, 'name', 'GRPO run', source, 200),
    datasetId: readString(o, 'datasetId', '', source, 200),
    trainSplit: readString(o, 'trainSplit', 'train', source, 50),
    preset: readEnum(o, 'preset', 'micro', PRESETS, source),
    init: restoreInit(o.init, `${source}.init`),
    grpo: restoreGrpoConfig(o.grpo, `${source}.grpo`),
    curriculum,
    augment,
    eval: {
      enabled: readBoolean(e, 'enabled', d.enabled, ew),
      split: readString(e, 'split', d.split, ew, 50),
      maxQuestions: readNumber(e, 'maxQuestions', d.maxQuestions, ew, { integer: true, min: 1, max: 100_000 }),
      greedy: readBoolean(e, 'greedy', d.greedy, ew),
    },
    inspectorGroups: readNumber(o, 'inspectorGroups', 4, source, { integer: true, min: 0, max: 64 }),
    backend: readEnum(o, 'backend', 'auto', ['auto', 'webgpu', 'cpu'] as const, source),
  };
  return config;
}
