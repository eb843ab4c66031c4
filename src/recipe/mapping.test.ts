import { describe, it, expect } from 'vitest';
import { defaultGrpoConfig, type GrpoConfig } from '../rl/config.ts';
import { GRPO_FIELD_MAPPINGS, mapGrpoConfig, nestSettings, TARGETS, type ConfigValue, type MappingContext, type TargetId } from './mapping.ts';

// A run whose every value differs from the trainers' defaults, so a wrong key or a dropped value shows.
const config: GrpoConfig = {
  ...defaultGrpoConfig(),
  seed: 7,
  groupSize: 8,
  epsLow: 0.2,
  epsHigh: 0.28,
  beta: 0.04,
  temperature: 0.9,
  topP: 0.95,
  topK: 50,
  maxCompletionLength: 256,
  numIterations: 2,
  lossType: 'grpo',
  scaleRewards: 'group',
  learningRate: 1e-6,
  weightDecay: 0.01,
  maxGradNorm: 0.5,
  warmupRatio: 0.1,
  batchSize: 16,
  steps: 300,
  rewardWeights: { format: 0.5, accuracy: 1, length: 0 },
  dynamicSampling: { enabled: true, maxResamples: 3 },
  gpgRescale: true,
  sft: { ...defaultGrpoConfig().sft, steps: 10 },
  checkpointEvery: 25,
};
const ctx: MappingContext = { rowsPerStep: 16, rolloutsPerRow: 8, numProcesses: 8 };

/** The settings one row gives a target, as {key: value}, or the unmapped reason. */
function rule(field: string, target: TargetId, c: GrpoConfig = config, x: MappingContext = ctx): Record<string, ConfigValue> | string {
  const row = GRPO_FIELD_MAPPINGS.find((m) => m.field === field);
  if (!row) throw new Error(`no mapping row for ${field}`);
  const out = row[target](c, x);
  return Array.isArray(out) ? Object.fromEntries(out.map((s) => [s.key, s.value])) : `unmapped: ${out.reason}`;
}

type Expected = Record<TargetId, Record<string, ConfigValue> | RegExp>;

const EXPECTED: Record<string, Expected> = {
  seed: { easyr1: { 'data.seed': 7 }, verl: { 'data.seed': 7 }, trl: { seed: 7 } },
  groupSize: { easyr1: { 'worker.rollout.n': 8 }, verl: { 'actor_rollout_ref.rollout.n': 8 }, trl: { num_generations: 8 } },
  epsLow: { easyr1: { 'worker.actor.clip_ratio_low': 0.2 }, verl: { 'actor_rollout_ref.actor.clip_ratio_low': 0.2 }, trl: { epsilon: 0.2 } },
  epsHigh: { easyr1: { 'worker.actor.clip_ratio_high': 0.28 }, verl: { 'actor_rollout_ref.actor.clip_ratio_high': 0.28 }, trl: { epsilon_high: 0.28 } },
  beta: {
    easyr1: { 'algorithm.disable_kl': false, 'algorithm.use_kl_loss': true, 'algorithm.kl_penalty': 'low_var_kl', 'algorithm.kl_coef': 0.04 },
    verl: {
      'actor_rollout_ref.actor.use_kl_loss': true,
      'actor_rollout_ref.actor.kl_loss_coef': 0.04,
      'actor_rollout_ref.actor.kl_loss_type': 'low_var_kl',
      'algorithm.use_kl_in_reward': false,
    },
    trl: { beta: 0.04 },
  },
  temperature: { easyr1: { 'worker.rollout.temperature': 0.9 }, verl: { 'actor_rollout_ref.rollout.temperature': 0.9 }, trl: { temperature: 0.9 } },
  topP: { easyr1: { 'worker.rollout.top_p': 0.95 }, verl: { 'actor_rollout_ref.rollout.top_p': 0.95 }, trl: { top_p: 0.95 } },
  topK: { easyr1: /top_p only/, verl: { 'actor_rollout_ref.rollout.top_k': 50 }, trl: { top_k: 50 } },
  maxCompletionLength: { easyr1: { 'data.max_response_length': 256 }, verl: { 'data.max_response_length': 256 }, trl: { max_completion_length: 256 } },
  numIterations: { easyr1: { 'worker.actor.ppo_epochs': 2 }, verl: { 'actor_rollout_ref.actor.ppo_epochs': 2 }, trl: { num_iterations: 2 } },
  lossType: { easyr1: { 'worker.actor.loss_avg_mode': 'seq' }, verl: { 'actor_rollout_ref.actor.loss_agg_mode': 'seq-mean-token-mean' }, trl: { loss_type: 'grpo' } },
  scaleRewards: {
    easyr1: { 'algorithm.adv_estimator': 'grpo' },
    verl: { 'algorithm.adv_estimator': 'grpo', 'algorithm.norm_adv_by_std_in_grpo': true },
    trl: { scale_rewards: 'group' },
  },
  learningRate: { easyr1: { 'worker.actor.optim.lr': 1e-6 }, verl: { 'actor_rollout_ref.actor.optim.lr': 1e-6 }, trl: { learning_rate: 1e-6 } },
  weightDecay: { easyr1: { 'worker.actor.optim.weight_decay': 0.01 }, verl: { 'actor_rollout_ref.actor.optim.weight_decay': 0.01 }, trl: { weight_decay: 0.01 } },
  maxGradNorm: { easyr1: { 'worker.actor.max_grad_norm': 0.5 }, verl: { 'actor_rollout_ref.actor.grad_clip': 0.5 }, trl: { max_grad_norm: 0.5 } },
  warmupRatio: { easyr1: { 'worker.actor.optim.lr_warmup_ratio': 0.1 }, verl: { 'actor_rollout_ref.actor.optim.lr_warmup_steps_ratio': 0.1 }, trl: { warmup_ratio: 0.1 } },
  batchSize: {
    easyr1: { 'data.rollout_batch_size': 16, 'worker.actor.global_batch_size': 16 },
    verl: { 'data.train_batch_size': 16, 'actor_rollout_ref.actor.ppo_mini_batch_size': 16 },
    // 16 prompts x 8 completions over 8 processes.
    trl: { per_device_train_batch_size: 16, gradient_accumulation_steps: 1 },
  },
  steps: { easyr1: { 'trainer.max_steps': 300 }, verl: { 'trainer.total_training_steps': 300 }, trl: { max_steps: 300 } },
  rewardWeights: {
    easyr1: { 'worker.reward.reward_type': 'batch', 'worker.reward.reward_function': './reward_function.py:compute_score' },
    verl: { 'custom_reward_function.path': './reward_function.py', 'custom_reward_function.name': 'compute_score' },
    trl: { reward_weights: [0.5, 1] },
  },
  lengthPenaltyCache: { easyr1: {}, verl: /no token count/, trl: {} },
  dynamicSampling: {
    easyr1: {
      'algorithm.online_filtering': true,
      'algorithm.filter_key': 'overall',
      'algorithm.filter_low': 0.01,
      'algorithm.filter_high': 0.99,
      'trainer.max_try_make_batch': 4,
    },
    verl: /recipe\/dapo/,
    trl: /no dynamic sampling/,
  },
  gpgRescale: { easyr1: /B \/ \(B - M\)/, verl: /loss_mode=gpg/, trl: /B \/ \(B - M\)/ },
  sft: { easyr1: /separate stage/, verl: /fsdp_sft_trainer/, trl: /SFTTrainer/ },
  checkpointEvery: { easyr1: { 'trainer.save_freq': 25 }, verl: { 'trainer.save_freq': 25 }, trl: { save_strategy: 'steps', save_steps: 25 } },
};

describe('GrpoConfig -> trainer settings, field by field', () => {
  it('has a row for every GrpoConfig field (nothing dropped silently)', () => {
    const fields = Object.keys(defaultGrpoConfig()).filter((k) => k !== 'version');
    expect(GRPO_FIELD_MAPPINGS.map((m) => m.field).sort()).toEqual(fields.sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(fields.sort());
  });

  for (const [field, expected] of Object.entries(EXPECTED)) {
    for (const target of TARGETS) {
      it(`${field} -> ${target}`, () => {
        const got = rule(field, target);
        const want = expected[target];
        if (want instanceof RegExp) expect(got).toMatch(want);
        else expect(got).toEqual(want);
      });
    }
  }
});

describe('value translations', () => {
  it('maps each loss type to the trainers’ aggregation modes', () => {
    const agg = (lossType: GrpoConfig['lossType']) => ({
      easyr1: rule('lossType', 'easyr1', { ...config, lossType }),
      verl: rule('lossType', 'verl', { ...config, lossType }),
      trl: rule('lossType', 'trl', { ...config, lossType }),
    });
    expect(agg('bnpo')).toEqual({ easyr1: { 'worker.actor.loss_avg_mode': 'token' }, verl: { 'actor_rollout_ref.actor.loss_agg_mode': 'token-mean' }, trl: { loss_type: 'bnpo' } });
    expect(agg('dapo').verl).toEqual({ 'actor_rollout_ref.actor.loss_agg_mode': 'token-mean' });
    const dr = agg('dr_grpo');
    expect(dr.easyr1).toMatch(/^unmapped: .*dr_grpo/);
    expect(dr.verl).toEqual({ 'actor_rollout_ref.actor.loss_agg_mode': 'seq-mean-token-sum-norm' });
    expect(dr.trl).toEqual({ loss_type: 'dr_grpo' });
  });

  it('maps scaleRewards none and batch where the target can, and says why not elsewhere', () => {
    const none = { ...config, scaleRewards: 'none' as const };
    const batch = { ...config, scaleRewards: 'batch' as const };
    expect(rule('scaleRewards', 'verl', none)).toEqual({ 'algorithm.adv_estimator': 'grpo', 'algorithm.norm_adv_by_std_in_grpo': false });
    expect(rule('scaleRewards', 'verl', batch)).toMatch(/batch std/);
    expect(rule('scaleRewards', 'easyr1', none)).toMatch(/always divides/);
    expect(rule('scaleRewards', 'trl', none)).toEqual({ scale_rewards: 'none' });
    expect(rule('scaleRewards', 'trl', batch)).toEqual({ scale_rewards: 'batch' });
  });

  it('turns the lab’s 0 = off into each target’s off value', () => {
    const off = { ...config, topK: 0, beta: 0, maxGradNorm: 0, checkpointEvery: 0 };
    expect(rule('topK', 'verl', off)).toEqual({ 'actor_rollout_ref.rollout.top_k': -1 });
    expect(rule('topK', 'trl', off)).toEqual({ top_k: null });
    expect(rule('beta', 'easyr1', off)).toMatchObject({ 'algorithm.disable_kl': true, 'algorithm.use_kl_loss': false });
    expect(rule('beta', 'verl', off)).toMatchObject({ 'actor_rollout_ref.actor.use_kl_loss': false });
    expect(rule('maxGradNorm', 'trl', off)).toEqual({ max_grad_norm: 1e9 });
    expect(rule('checkpointEvery', 'verl', off)).toEqual({ 'trainer.save_freq': -1 });
    expect(rule('checkpointEvery', 'trl', off)).toEqual({ save_strategy: 'no' });
  });

  it('uses the per-row rollouts and rows per step of an augmented layout', () => {
    const aug: MappingContext = { rowsPerStep: 64, rolloutsPerRow: 2, numProcesses: 4 };
    expect(rule('groupSize', 'verl', config, aug)).toEqual({ 'actor_rollout_ref.rollout.n': 2 });
    expect(rule('batchSize', 'easyr1', config, aug)).toMatchObject({ 'data.rollout_batch_size': 64 });
    expect(rule('batchSize', 'trl', config, aug)).toEqual({ per_device_train_batch_size: 32, gradient_accumulation_steps: 1 });
    expect(rule('batchSize', 'trl', config, { ...aug, numProcesses: 3 })).toMatch(/do not split evenly/);
  });

  it('passes a third reward weight to TRL only when the length reward is on', () => {
    expect(rule('rewardWeights', 'trl', { ...config, rewardWeights: { format: 1, accuracy: 2, length: 0.5 } })).toEqual({ reward_weights: [1, 2, 0.5] });
  });
});

describe('mapGrpoConfig', () => {
  it('lists unmapped options with whether they matter for this run', () => {
    const { unmapped } = mapGrpoConfig('trl', config, ctx);
    expect(unmapped.map((u) => [u.field, u.active])).toEqual([
      ['dynamicSampling', true],
      ['gpgRescale', true],
      ['sft', true],
    ]);
    const quiet = mapGrpoConfig('trl', defaultGrpoConfig(), ctx).unmapped;
    expect(quiet.every((u) => !u.active)).toBe(true);
  });

  it('warns when a row would get a single rollout', () => {
    const { unmapped } = mapGrpoConfig('verl', config, { ...ctx, rolloutsPerRow: 1 });
    expect(unmapped.find((u) => u.field === 'groupSize')?.reason).toMatch(/zero reward variance/);
  });

  it('starts with the fixed data and order settings and nests dotted keys', () => {
    const { settings } = mapGrpoConfig('easyr1', config, ctx);
    const nested = nestSettings(settings) as { data: Record<string, unknown>; worker: { rollout: Record<string, unknown> } };
    expect(nested.data.shuffle).toBe(false);
    expect(nested.data.prompt_key).toBe('problem');
    expect(nested.worker.rollout.n).toBe(8);
    expect(mapGrpoConfig('trl', config, ctx).settings.find((s) => s.key === 'shuffle_dataset')?.value).toBe(false);
  });
});
