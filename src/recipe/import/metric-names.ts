// Metric names of the cluster trainers mapped to the lab's (TRL's) names, so an imported run's curves sit beside
// in-browser runs. Names with no lab equivalent are kept as the trainer wrote them (nothing is dropped).
//
// Sources: verl verl/trainer/ppo/metric_utils.py and dp_actor.py (critic/score/mean, actor/pg_clipfrac,
// actor/pg_clipfrac_lower = the dual-clip bound, actor/entropy, response_length/*); EasyR1
// verl/trainer/metrics.py and workers/actor/dp_actor.py (reward/<key> from the reward function's dict,
// actor/pg_clipfrac_higher/lower = above 1 + eps_high / below 1 - eps_low, actor/entropy_loss = mean entropy);
// TRL GRPOTrainer._metrics (reward, reward_std, frac_reward_zero_std, kl, entropy, clip_ratio/*,
// completions/*, rewards/<function name>/mean).

export type SourceTrainer = 'verl' | 'easyr1' | 'trl';

const LENGTHS: Record<string, string> = {
  'response_length/mean': 'completions/mean_length',
  'response_length/max': 'completions/max_length',
  'response_length/min': 'completions/min_length',
  'response_length/clip_ratio': 'completions/clipped_ratio',
};

const SHARED: Record<string, string> = {
  ...LENGTHS,
  'actor/kl_loss': 'kl',
  'actor/grad_norm': 'grad_norm',
  'actor/lr': 'learning_rate',
  // verl's pg_loss is the clipped surrogate alone; EasyR1 adds the KL term before logging it (as TRL's loss does).
  'actor/pg_loss': 'loss',
};

export const METRIC_NAME_MAPS: Record<SourceTrainer, Record<string, string>> = {
  verl: {
    ...SHARED,
    'critic/score/mean': 'reward',
    'actor/entropy': 'entropy',
    'actor/pg_clipfrac': 'clip_ratio/region_mean',
  },
  easyr1: {
    ...SHARED,
    'reward/overall': 'reward',
    'reward/format': 'rewards/format/mean',
    'reward/accuracy': 'rewards/accuracy/mean',
    'reward/length': 'rewards/length/mean',
    'actor/entropy_loss': 'entropy',
    'actor/pg_clipfrac_higher': 'clip_ratio/high_mean',
    'actor/pg_clipfrac_lower': 'clip_ratio/low_mean',
  },
  trl: {
    // The exported rewards.py names its functions <reward>_reward_func.
    'rewards/format_reward_func/mean': 'rewards/format/mean',
    'rewards/accuracy_reward_func/mean': 'rewards/accuracy/mean',
    'rewards/length_reward_func/mean': 'rewards/length/mean',
  },
};

/** Names that are bookkeeping, not curves. */
const SKIPPED = new Set(['step', '_step', 'global_step', 'train/global_step', '_runtime', '_timestamp', 'epoch', 'training/global_step', 'training/epoch']);

/**
 * Lab names for one logged record. A trainer's fallback (verl's critic/rewards/mean when critic/score/mean is
 * absent) applies only when the preferred name is missing.
 */
export function mapMetricValues(trainer: SourceTrainer, values: Readonly<Record<string, number>>): Record<string, number> {
  const map = METRIC_NAME_MAPS[trainer];
  const out: Record<string, number> = {};
  for (const [raw, value] of Object.entries(values)) {
    // W&B and TRL's report_to prefix train metrics with "train/".
    const name = trainer === 'trl' && raw.startsWith('train/') ? raw.slice(6) : raw;
    if (SKIPPED.has(name) || SKIPPED.has(raw)) continue;
    out[map[name] ?? name] = value;
  }
  if (trainer === 'verl' && out.reward === undefined && values['critic/rewards/mean'] !== undefined) out.reward = values['critic/rewards/mean'];
  return out;
}

/** Which trainer's names a set of metric names looks like; null when it cannot tell. */
export function guessTrainer(names: Iterable<string>): SourceTrainer | null {
  const set = new Set(names);
  const has = (...n: string[]) => n.some((x) => set.has(x) || set.has(`train/${x}`));
  if (has('reward/overall', 'actor/entropy_loss', 'actor/pg_clipfrac_higher')) return 'easyr1';
  if (has('critic/score/mean', 'critic/rewards/mean', 'actor/pg_clipfrac', 'actor/entropy')) return 'verl';
  if (has('reward', 'reward_std', 'frac_reward_zero_std', 'completions/mean_length', 'loss')) return 'trl';
  return null;
}
