// GrpoConfig: every setting of one GRPO (and SFT warm start) run, with the documented defaults of
// ../shared/PAPER.md section 1, and restoreGrpoConfig, the only way untrusted JSON (a run URL, a checkpoint,
// the CLI) becomes one.

import {
  asObject,
  ConfigError,
  readBoolean,
  readEnum,
  readNumber,
  readVersion,
  type Untrusted,
} from '../curriculum/restore-fields.ts';

export const GRPO_CONFIG_VERSION = 1;

/** How per-token losses are averaged (PAPER.md section 1, "Aggregation"). */
export type LossType = 'grpo' | 'bnpo' | 'dapo' | 'dr_grpo';
export const LOSS_TYPES: readonly LossType[] = ['grpo', 'bnpo', 'dapo', 'dr_grpo'];

/** What the centred rewards are divided by: group std, batch std, or nothing (Dr. GRPO). */
export type ScaleRewards = 'group' | 'batch' | 'none';
export const SCALE_REWARDS: readonly ScaleRewards[] = ['group', 'batch', 'none'];

/** Weights of the built-in reward functions; the combined reward is sum_k w_k R_k. */
export interface RewardWeights {
  /** Format reward: 1 when the completion is `<think>..</think> <answer>..</answer>` and nothing else. Typical 1. */
  format: number;
  /** Accuracy reward: 1 when the answer in the tags is the gold letter or option text. Typical 1. */
  accuracy: number;
  /** DAPO soft overlong penalty in [-1, 0]; 0 switches it off. Typical 0 (or 1 with a long think budget). */
  length: number;
}

export interface DynamicSamplingConfig {
  /** DAPO dynamic sampling: drop groups whose rewards are all equal and draw new questions to refill. Default off. */
  enabled: boolean;
  /** Extra sampling rounds allowed per step before training on what there is. Typical 3. */
  maxResamples: number;
}

export interface SftConfig {
  /** Supervised warm-start steps before GRPO (cross-entropy on the gold answer in tag format); 0 = none. */
  steps: number;
  /** Learning rate of the warm start; higher than GRPO's since targets are dense. Typical 3e-4 for tiny. */
  learningRate: number;
  /** Questions per SFT step. Typical 16. */
  batchSize: number;
  /** What the target's <answer> holds: the option letter (as the rewards expect) or the option text. */
  answerForm: 'letter' | 'text';
}

export interface GrpoConfig {
  /** Schema version for migration of stored configs. */
  version: number;
  /** Seed of every random choice the trainer makes (sampling, batch order); same seed, same run. */
  seed: number;
  /** Completions sampled per question (G). Typical 8. */
  groupSize: number;
  /** Lower clip range: the ratio is clipped at 1 - epsLow. Typical 0.2. */
  epsLow: number;
  /** Upper clip range: the ratio is clipped at 1 + epsHigh. Typical 0.2 (DAPO's clip-higher: 0.28). */
  epsHigh: number;
  /** Weight of the k3 KL penalty against the frozen reference policy; 0 keeps no reference. Typical 0.04. */
  beta: number;
  /** Sampling temperature of rollouts. Typical 1.0. */
  temperature: number;
  /** Nucleus sampling mass; 1 disables it. Typical 1.0. */
  topP: number;
  /** Keep only the k most likely tokens; 0 disables it. Typical 0. */
  topK: number;
  /** Most tokens generated per completion; longer ones are cut (and count in completions/clipped_ratio). Typical 128. */
  maxCompletionLength: number;
  /** Policy updates per sampled batch (mu); above 1 the ratio departs from 1 and clipping acts. Typical 1. */
  numIterations: number;
  /** Loss aggregation over tokens and completions. Default bnpo (token-level, as the paper's ms-swift base). */
  lossType: LossType;
  /** Advantage scaling. Default group (A = (r - mean) / (std + 1e-4)). */
  scaleRewards: ScaleRewards;
  /** AdamW learning rate. Typical 1e-5 for a pretrained policy; the tiny presets tolerate 1e-4. */
  learningRate: number;
  /** AdamW decoupled weight decay. Typical 0. */
  weightDecay: number;
  /** Global gradient-norm clip; 0 disables it. Typical 1.0. */
  maxGradNorm: number;
  /** Fraction of steps spent warming the learning rate up linearly from 0. Typical 0. */
  warmupRatio: number;
  /** Questions per step (B); each brings G completions. Typical 4. */
  batchSize: number;
  /** GRPO steps in the run. Typical 100. */
  steps: number;
  /** Weights of the built-in rewards. */
  rewardWeights: RewardWeights;
  /** Tokens before maxCompletionLength where the soft overlong penalty starts (DAPO's L_cache). Typical 32. */
  lengthPenaltyCache: number;
  /** DAPO dynamic sampling. */
  dynamicSampling: DynamicSamplingConfig;
  /** GPG: scale the loss by B / (B - M), M = completions with zero advantage. Default off. */
  gpgRescale: boolean;
  /** Supervised warm start. */
  sft: SftConfig;
  /** Save a checkpoint every this many steps (and on pause); 0 = only on pause and at the end. Typical 10. */
  checkpointEvery: number;
}

export function defaultGrpoConfig(): GrpoConfig {
  return {
    version: GRPO_CONFIG_VERSION,
    seed: 0,
    groupSize: 8,
    epsLow: 0.2,
    epsHigh: 0.2,
    beta: 0.04,
    temperature: 1.0,
    topP: 1.0,
    topK: 0,
    maxCompletionLength: 128,
    numIterations: 1,
    lossType: 'bnpo',
    scaleRewards: 'group',
    learningRate: 1e-5,
    weightDecay: 0,
    maxGradNorm: 1.0,
    warmupRatio: 0,
    batchSize: 4,
    steps: 100,
    rewardWeights: { format: 1, accuracy: 1, length: 0 },
    lengthPenaltyCache: 32,
    dynamicSampling: { enabled: false, maxResamples: 3 },
    gpgRescale: false,
    sft: { steps: 0, learningRate: 3e-4, batchSize: 16, answerForm: 'letter' },
    checkpointEvery: 10,
  };
}

/**
 * Untrusted JSON -> GrpoConfig: starts from the defaults, copies only known keys, and throws a ConfigError
 * naming `source` and the field for a wrong type, a value out of range or a non-finite number.
 */
export function restoreGrpoConfig(untrusted: unknown, source = 'GrpoConfig'): GrpoConfig {
  const d = defaultGrpoConfig();
  const o = asObject(untrusted, source);
  readVersion(o, GRPO_CONFIG_VERSION, source);
  const num = (key: keyof GrpoConfig, range: Parameters<typeof readNumber>[4]) =>
    readNumber(o, key, d[key] as number, source, range);

  const rw: Untrusted = asObject(o.rewardWeights, `${source}.rewardWeights`);
  const ds: Untrusted = asObject(o.dynamicSampling, `${source}.dynamicSampling`);
  const sft: Untrusted = asObject(o.sft, `${source}.sft`);
  const w = (key: keyof RewardWeights) => readNumber(rw, key, d.rewardWeights[key], `${source}.rewardWeights`, { min: -100, max: 100 });

  const config: GrpoConfig = {
    version: GRPO_CONFIG_VERSION,
    seed: num('seed', { integer: true, min: 0, max: 2 ** 32 - 1 }),
    groupSize: num('groupSize', { integer: true, min: 2, max: 64 }),
    epsLow: num('epsLow', { min: 0, max: 1 }),
    epsHigh: num('epsHigh', { min: 0, max: 10 }),
    beta: num('beta', { min: 0, max: 10 }),
    temperature: num('temperature', { above: 0, max: 10 }),
    topP: num('topP', { above: 0, max: 1 }),
    topK: num('topK', { integer: true, min: 0, max: 1_000_000 }),
    maxCompletionLength: num('maxCompletionLength', { integer: true, min: 1, max: 8192 }),
    numIterations: num('numIterations', { integer: true, min: 1, max: 16 }),
    lossType: readEnum(o, 'lossType', d.lossType, LOSS_TYPES, source),
    scaleRewards: readEnum(o, 'scaleRewards', d.scaleRewards, SCALE_REWARDS, source),
    learningRate: num('learningRate', { min: 0, max: 1 }),
    weightDecay: num('weightDecay', { min: 0, max: 10 }),
    maxGradNorm: num('maxGradNorm', { min: 0 }),
    warmupRatio: num('warmupRatio', { min: 0, max: 1 }),
    batchSize: num('batchSize', { integer: true, min: 1, max: 4096 }),
    steps: num('steps', { integer: true, min: 0, max: 10_000_000 }),
    rewardWeights: { format: w('format'), accuracy: w('accuracy'), length: w('length') },
    lengthPenaltyCache: num('lengthPenaltyCache', { integer: true, min: 0, max: 8192 }),
    dynamicSampling: {
      enabled: readBoolean(ds, 'enabled', d.dynamicSampling.enabled, `${source}.dynamicSampling`),
      maxResamples: readNumber(ds, 'maxResamples', d.dynamicSampling.maxResamples, `${source}.dynamicSampling`, {
        integer: true,
        min: 0,
        max: 100,
      }),
    },
    gpgRescale: readBoolean(o, 'gpgRescale', d.gpgRescale, source),
    sft: {
      steps: readNumber(sft, 'steps', d.sft.steps, `${source}.sft`, { integer: true, min: 0, max: 10_000_000 }),
      learningRate: readNumber(sft, 'learningRate', d.sft.learningRate, `${source}.sft`, { min: 0, max: 1 }),
      batchSize: readNumber(sft, 'batchSize', d.sft.batchSize, `${source}.sft`, { integer: true, min: 1, max: 4096 }),
      answerForm: readEnum(sft, 'answerForm', d.sft.answerForm, ['letter', 'text'] as const, `${source}.sft`),
    },
    checkpointEvery: num('checkpointEvery', { integer: true, min: 0, max: 10_000_000 }),
  };
  if (config.lengthPenaltyCache >= config.maxCompletionLength && config.rewardWeights.length !== 0) {
    throw new ConfigError(
      `${source}.lengthPenaltyCache: must be below maxCompletionLength (${config.maxCompletionLength}) when the length reward is on`,
    );
  }
  return config;
}
