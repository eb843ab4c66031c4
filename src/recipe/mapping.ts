// The one table from the lab's GrpoConfig to the cluster trainers' settings (EasyR1, verl, TRL), field by
// field. Each row says, per target, the keys it becomes or why the target has no equivalent, so an export
// never drops an option silently. Key names were checked against the trainers' own sources (cited per row).
//
// Sources (read Nov 2026):
//   EasyR1  hiyouga/EasyR1 examples/config.yaml, verl/workers/actor/config.py (ActorConfig, OptimConfig),
//           verl/trainer/core_algos.py (average_loss token|seq, AdvantageEstimator).
//   verl    volcengine/verl verl/trainer/config/actor/actor.yaml (clip_ratio_low/high, loss_agg_mode,
//           use_kl_loss, kl_loss_coef, kl_loss_type low_var_kl = k3, ppo_epochs, optim.*), rollout/rollout.yaml,
//           ppo_trainer.yaml (data.train_batch_size, algorithm.norm_adv_by_std_in_grpo, trainer.*).
//   TRL     huggingface/trl trl/trainer/grpo_config.py (num_generations, epsilon, epsilon_high, beta, loss_type,
//           scale_rewards, num_iterations, reward_weights, shuffle_dataset, ...); scale_rewards as the string
//           group|batch|none and loss_type 'dapo' need TRL >= 0.22 (older releases take a boolean).

import type { GrpoConfig } from '../rl/config.ts';

export type TargetId = 'easyr1' | 'verl' | 'trl';
export const TARGETS: readonly TargetId[] = ['easyr1', 'verl', 'trl'];

export type ConfigValue = string | number | boolean | null | ConfigValue[];

/** One target setting: a dotted key ('worker.rollout.n') and its value. */
export interface MappedSetting {
  key: string;
  value: ConfigValue;
}

/** A lab option the target cannot express; `active` is false when the run's value is a no-op anyway. */
export interface UnmappedOption {
  field: string;
  reason: string;
  active: boolean;
}

/** How the exported data is laid out; the batch keys depend on it. */
export interface MappingContext {
  /** Data rows per optimizer step: B questions, times K variants when augmentation is on. */
  rowsPerStep: number;
  /** Rollouts sampled per data row: G, or G / K with augmentation. */
  rolloutsPerRow: number;
  /** Processes (GPUs) TRL runs on; its per-device batch is the global one divided by this. Typical 8. */
  numProcesses: number;
}

type Rule = (c: GrpoConfig, ctx: MappingContext) => MappedSetting[] | UnmappedOption;

export interface FieldMapping {
  /** Dotted GrpoConfig field. */
  field: string;
  easyr1: Rule;
  verl: Rule;
  trl: Rule;
}

const set = (key: string, value: ConfigValue): MappedSetting => ({ key, value });
const no = (field: string, reason: string, active: boolean): UnmappedOption => ({ field, reason, active });

/** EasyR1 average_loss modes: 'token' = mean over all tokens of the batch, 'seq' = mean of per-sequence means. */
function easyr1LossMode(c: GrpoConfig): MappedSetting[] | UnmappedOption {
  if (c.lossType === 'grpo') return [set('worker.actor.loss_avg_mode', 'seq')];
  if (c.lossType === 'bnpo' || c.lossType === 'dapo') return [set('worker.actor.loss_avg_mode', 'token')];
  return no('lossType', "EasyR1's loss_avg_mode is token or seq; dr_grpo's division by N * max length has no equivalent", true);
}

/** verl loss_agg_mode: token-mean = bnpo/dapo, seq-mean-token-mean = grpo, seq-mean-token-sum-norm = Dr. GRPO. */
function verlLossMode(c: GrpoConfig): MappedSetting[] {
  const mode = { grpo: 'seq-mean-token-mean', bnpo: 'token-mean', dapo: 'token-mean', dr_grpo: 'seq-mean-token-sum-norm' }[c.lossType];
  return [set('actor_rollout_ref.actor.loss_agg_mode', mode)];
}

export const GRPO_FIELD_MAPPINGS: readonly FieldMapping[] = [
  {
    field: 'seed',
    easyr1: (c) => [set('data.seed', c.seed)],
    verl: (c) => [set('data.seed', c.seed)],
    trl: (c) => [set('seed', c.seed)],
  },
  {
    field: 'groupSize',
    // With GDQA the G rollouts are split across K variants rows, so each row gets G / K.
    easyr1: (_c, x) => [set('worker.rollout.n', x.rolloutsPerRow)],
    verl: (_c, x) => [set('actor_rollout_ref.rollout.n', x.rolloutsPerRow)],
    trl: (_c, x) => [set('num_generations', x.rolloutsPerRow)],
  },
  {
    field: 'epsLow',
    easyr1: (c) => [set('worker.actor.clip_ratio_low', c.epsLow)],
    verl: (c) => [set('actor_rollout_ref.actor.clip_ratio_low', c.epsLow)],
    trl: (c) => [set('epsilon', c.epsLow)],
  },
  {
    field: 'epsHigh',
    easyr1: (c) => [set('worker.actor.clip_ratio_high', c.epsHigh)],
    verl: (c) => [set('actor_rollout_ref.actor.clip_ratio_high', c.epsHigh)],
    trl: (c) => [set('epsilon_high', c.epsHigh)],
  },
  {
    field: 'beta',
    // k3 = EasyR1/verl 'low_var_kl'; a KL loss on the actor (not a KL penalty folded into the reward).
    easyr1: (c) => [
      set('algorithm.disable_kl', c.beta === 0),
      set('algorithm.use_kl_loss', c.beta > 0),
      set('algorithm.kl_penalty', 'low_var_kl'),
      set('algorithm.kl_coef', c.beta),
    ],
    verl: (c) => [
      set('actor_rollout_ref.actor.use_kl_loss', c.beta > 0),
      set('actor_rollout_ref.actor.kl_loss_coef', c.beta),
      set('actor_rollout_ref.actor.kl_loss_type', 'low_var_kl'),
      set('algorithm.use_kl_in_reward', false),
    ],
    trl: (c) => [set('beta', c.beta)],
  },
  {
    field: 'temperature',
    easyr1: (c) => [set('worker.rollout.temperature', c.temperature)],
    verl: (c) => [set('actor_rollout_ref.rollout.temperature', c.temperature)],
    trl: (c) => [set('temperature', c.temperature)],
  },
  {
    field: 'topP',
    easyr1: (c) => [set('worker.rollout.top_p', c.topP)],
    verl: (c) => [set('actor_rollout_ref.rollout.top_p', c.topP)],
    trl: (c) => [set('top_p', c.topP)],
  },
  {
    field: 'topK',
    // The lab's 0 = off is verl's -1 and TRL's None; EasyR1's rollout config has no top_k key.
    easyr1: (c) => no('topK', "EasyR1's rollout config exposes temperature and top_p only", c.topK !== 0),
    verl: (c) => [set('actor_rollout_ref.rollout.top_k', c.topK === 0 ? -1 : c.topK)],
    trl: (c) => [set('top_k', c.topK === 0 ? null : c.topK)],
  },
  {
    field: 'maxCompletionLength',
    easyr1: (c) => [set('data.max_response_length', c.maxCompletionLength)],
    verl: (c) => [set('data.max_response_length', c.maxCompletionLength)],
    trl: (c) => [set('max_completion_length', c.maxCompletionLength)],
  },
  {
    field: 'numIterations',
    easyr1: (c) => [set('worker.actor.ppo_epochs', c.numIterations)],
    verl: (c) => [set('actor_rollout_ref.actor.ppo_epochs', c.numIterations)],
    trl: (c) => [set('num_iterations', c.numIterations)],
  },
  {
    field: 'lossType',
    easyr1: easyr1LossMode,
    verl: verlLossMode,
    trl: (c) => [set('loss_type', c.lossType)],
  },
  {
    field: 'scaleRewards',
    // EasyR1's grpo estimator always divides by the group std (eps 1e-6, the lab uses 1e-4).
    easyr1: (c) =>
      c.scaleRewards === 'group'
        ? [set('algorithm.adv_estimator', 'grpo')]
        : no('scaleRewards', `EasyR1's grpo advantage always divides by the group std; '${c.scaleRewards}' has no switch`, true),
    verl: (c) =>
      c.scaleRewards === 'batch'
        ? no('scaleRewards', "verl's grpo estimator normalises per group (norm_adv_by_std_in_grpo) or not at all; batch std has no switch", true)
        : [set('algorithm.adv_estimator', 'grpo'), set('algorithm.norm_adv_by_std_in_grpo', c.scaleRewards === 'group')],
    trl: (c) => [set('scale_rewards', c.scaleRewards)],
  },
  {
    field: 'learningRate',
    easyr1: (c) => [set('worker.actor.optim.lr', c.learningRate)],
    verl: (c) => [set('actor_rollout_ref.actor.optim.lr', c.learningRate)],
    trl: (c) => [set('learning_rate', c.learningRate)],
  },
  {
    field: 'weightDecay',
    easyr1: (c) => [set('worker.actor.optim.weight_decay', c.weightDecay)],
    verl: (c) => [set('actor_rollout_ref.actor.optim.weight_decay', c.weightDecay)],
    trl: (c) => [set('weight_decay', c.weightDecay)],
  },
  {
    field: 'maxGradNorm',
    // The lab's 0 = no clipping; the trainers clip at any positive norm, so 0 becomes a very large bound.
    easyr1: (c) => [set('worker.actor.max_grad_norm', c.maxGradNorm === 0 ? 1e9 : c.maxGradNorm)],
    verl: (c) => [set('actor_rollout_ref.actor.grad_clip', c.maxGradNorm === 0 ? 1e9 : c.maxGradNorm)],
    trl: (c) => [set('max_grad_norm', c.maxGradNorm === 0 ? 1e9 : c.maxGradNorm)],
  },
  {
    field: 'warmupRatio',
    easyr1: (c) => [set('worker.actor.optim.lr_warmup_ratio', c.warmupRatio)],
    verl: (c) => [set('actor_rollout_ref.actor.optim.lr_warmup_steps_ratio', c.warmupRatio)],
    trl: (c) => [set('warmup_ratio', c.warmupRatio)],
  },
  {
    field: 'batchSize',
    // Prompts per step for EasyR1/verl; TRL counts completions per device (B * G / processes).
    easyr1: (_c, x) => [set('data.rollout_batch_size', x.rowsPerStep), set('worker.actor.global_batch_size', x.rowsPerStep)],
    verl: (_c, x) => [set('data.train_batch_size', x.rowsPerStep), set('actor_rollout_ref.actor.ppo_mini_batch_size', x.rowsPerStep)],
    trl: (_c, x) => {
      const completions = x.rowsPerStep * x.rolloutsPerRow;
      if (completions % x.numProcesses !== 0) {
        return no('batchSize', `${completions} completions per step do not split evenly over ${x.numProcesses} processes`, true);
      }
      return [set('per_device_train_batch_size', completions / x.numProcesses), set('gradient_accumulation_steps', 1)];
    },
  },
  {
    field: 'steps',
    easyr1: (c) => [set('trainer.max_steps', c.steps)],
    verl: (c) => [set('trainer.total_training_steps', c.steps)],
    trl: (c) => [set('max_steps', c.steps)],
  },
  {
    field: 'rewardWeights',
    // EasyR1/verl take one score per completion: the weights are baked into the exported reward file.
    easyr1: () => [set('worker.reward.reward_type', 'batch'), set('worker.reward.reward_function', './reward_function.py:compute_score')],
    verl: () => [set('custom_reward_function.path', './reward_function.py'), set('custom_reward_function.name', 'compute_score')],
    trl: (c) => [set('reward_weights', c.rewardWeights.length !== 0 ? [c.rewardWeights.format, c.rewardWeights.accuracy, c.rewardWeights.length] : [c.rewardWeights.format, c.rewardWeights.accuracy])],
  },
  {
    field: 'lengthPenaltyCache',
    // Read by the exported reward file (DAPO soft overlong penalty); verl's compute_score never sees the length.
    easyr1: () => [],
    verl: (c) => no('rewardWeights.length', "verl's compute_score(data_source, solution_str, ground_truth, extra_info) gets no token count, so the soft overlong penalty is left out", c.rewardWeights.length !== 0),
    trl: () => [],
  },
  {
    field: 'dynamicSampling',
    // EasyR1's online_filtering keeps groups whose mean 'overall' score lies strictly inside (low, high).
    easyr1: (c) => [
      set('algorithm.online_filtering', c.dynamicSampling.enabled),
      set('algorithm.filter_key', 'overall'),
      set('algorithm.filter_low', 0.01),
      set('algorithm.filter_high', 0.99),
      set('trainer.max_try_make_batch', c.dynamicSampling.maxResamples + 1),
    ],
    verl: (c) =>
      no('dynamicSampling', "verl's main_ppo has no group filter; DAPO's filter_groups lives in the recipe/dapo entry point", c.dynamicSampling.enabled),
    trl: (c) => no('dynamicSampling', 'GRPOTrainer has no dynamic sampling (it trains on every group, zero-std ones included)', c.dynamicSampling.enabled),
  },
  {
    field: 'gpgRescale',
    easyr1: (c) => no('gpgRescale', 'no option rescales the loss by B / (B - M)', c.gpgRescale),
    verl: (c) => no('gpgRescale', "verl's policy_loss.loss_mode=gpg is the whole GPG objective, not a rescale of the GRPO loss", c.gpgRescale),
    trl: (c) => no('gpgRescale', 'no option rescales the loss by B / (B - M)', c.gpgRescale),
  },
  {
    field: 'sft',
    easyr1: (c) => no('sft', 'the SFT warm start is a separate stage (LLaMA-Factory or any SFT trainer) before GRPO', c.sft.steps > 0),
    verl: (c) => no('sft', 'the SFT warm start is a separate stage (verl.trainer.fsdp_sft_trainer) before GRPO', c.sft.steps > 0),
    trl: (c) => no('sft', 'the SFT warm start is a separate stage (TRL SFTTrainer) before GRPO', c.sft.steps > 0),
  },
  {
    field: 'checkpointEvery',
    easyr1: (c) => [set('trainer.save_freq', c.checkpointEvery === 0 ? -1 : c.checkpointEvery)],
    verl: (c) => [set('trainer.save_freq', c.checkpointEvery === 0 ? -1 : c.checkpointEvery)],
    trl: (c) => (c.checkpointEvery === 0 ? [set('save_strategy', 'no')] : [set('save_strategy', 'steps'), set('save_steps', c.checkpointEvery)]),
  },
];

/** Settings every export of a target carries whatever the config: the data columns and the frozen order. */
export function fixedSettings(target: TargetId): MappedSetting[] {
  switch (target) {
    case 'easyr1':
      return [
        set('data.train_files', './data/train.parquet'),
        set('data.prompt_key', 'problem'),
        set('data.answer_key', 'answer'),
        set('data.image_key', 'images'),
        set('data.format_prompt', './format_prompt.jinja'),
        // The curriculum order is baked into the row order: the trainer must read it as written.
        set('data.val_files', './data/train.parquet'),
        set('data.shuffle', false),
        set('trainer.val_freq', -1),
        set('trainer.val_before_train', false),
        // EasyR1's loggers are console, mlflow, swanlab, tensorboard, wandb (verl/utils/logger/logger.py).
        set('trainer.logger', ['console']),
      ];
    case 'verl':
      return [
        set('data.train_files', './data/train.parquet'),
        set('data.prompt_key', 'prompt'),
        set('data.image_key', 'images'),
        set('data.val_files', './data/train.parquet'),
        set('data.shuffle', false),
        set('trainer.test_freq', -1),
        set('trainer.val_before_train', false),
        // 'file' writes {"step", "data"} lines to $VERL_FILE_LOGGER_PATH (recent verl releases).
        set('trainer.logger', ['console', 'file']),
        // verl refuses to start without micro-batch sizes; these are memory choices, not part of the recipe.
        set('actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu', 1),
        set('actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu', 4),
        set('actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu', 4),
        set('actor_rollout_ref.rollout.name', 'vllm'),
      ];
    case 'trl':
      return [set('shuffle_dataset', false), set('remove_unused_columns', false), set('logging_steps', 1), set('report_to', 'none')];
  }
}

export interface MappedConfig {
  target: TargetId;
  settings: MappedSetting[];
  unmapped: UnmappedOption[];
}

/** The target's settings for a config, fixed ones first, plus every option it cannot express. */
export function mapGrpoConfig(target: TargetId, config: GrpoConfig, ctx: MappingContext): MappedConfig {
  const settings = [...fixedSettings(target)];
  const unmapped: UnmappedOption[] = [];
  for (const row of GRPO_FIELD_MAPPINGS) {
    const out = row[target](config, ctx);
    if (Array.isArray(out)) settings.push(...out);
    else unmapped.push(out);
  }
  if (ctx.rolloutsPerRow < 2) {
    unmapped.push(no('groupSize', `only ${ctx.rolloutsPerRow} rollout per row: every group has zero reward variance (fewer variants or a larger G)`, true));
  }
  return { target, settings, unmapped };
}

/** Dotted settings -> a nested object (for YAML and JSON). A later key wins. */
export function nestSettings(settings: readonly MappedSetting[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const { key, value } of settings) {
    const parts = key.split('.');
    let node = root;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined || typeof next !== 'object' || next === null || Array.isArray(next)) node[p] = {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return root;
}
