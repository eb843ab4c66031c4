// The per-step metric record of a GRPO run, under the names TRL logs (so curves read like the ones
// researchers know), plus the two the paper plots: frac_reward_zero_std per anatomy and the batch-mean
// answer similarity S(q). flattenStepMetrics gives the flat {name: number} row charts and JSON exports use.

import { fracZeroStdByLabel } from './advantages.ts';

export interface StepMetrics {
  /** 0-based step index. */
  step: number;
  /** Mean combined reward over all completions of the step. */
  reward: number;
  /** Mean of the per-group reward std (TRL's reward_std). */
  reward_std: number;
  /** Mean and std of each reward function, unweighted: rewards/<name>/mean, rewards/<name>/std. */
  rewards: Record<string, { mean: number; std: number }>;
  /** Share of groups whose rewards were all equal. */
  frac_reward_zero_std: number;
  /** The same, per gold anatomy label (the paper's invalid gradient ratio per anatomy). */
  frac_reward_zero_std_by_anatomy: Record<string, number>;
  /** Masked token mean of the k3 KL against the reference (0 when beta = 0). */
  kl: number;
  'clip_ratio/low_mean': number;
  'clip_ratio/high_mean': number;
  'clip_ratio/region_mean': number;
  /** Masked token mean of the policy's entropy over the vocabulary. */
  entropy: number;
  /** Mean completion length in tokens. */
  'completions/mean_length': number;
  /** Share of completions cut at maxCompletionLength without an end token. */
  'completions/clipped_ratio': number;
  loss: number;
  /** Gradient norm before clipping. */
  grad_norm: number;
  learning_rate: number;
  /** Wall time of the step in seconds. */
  step_time: number;
  /** Generated plus trained tokens per second of the step. */
  tokens_per_second: number;
  /** Batch-mean S(q) of the questions the step trained on; null when no similarity source is set. */
  answer_similarity: number | null;
}

/** TRL's reward / reward_std / rewards/<fn>/{mean,std} from the scored rollouts of one step. */
export function rewardMetrics(
  totals: ArrayLike<number>,
  perFunction: Record<string, ArrayLike<number>>,
  groupStd: ArrayLike<number>,
): Pick<StepMetrics, 'reward' | 'reward_std' | 'rewards'> {
  const rewards: StepMetrics['rewards'] = {};
  for (const [name, values] of Object.entries(perFunction)) rewards[name] = { mean: mean(values), std: std(values) };
  return { reward: mean(totals), reward_std: mean(groupStd), rewards };
}

/** frac_reward_zero_std per anatomy, flattened to label -> fraction. */
export function zeroStdByAnatomy(zeroStd: readonly boolean[], anatomy: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [label, v] of Object.entries(fracZeroStdByLabel(zeroStd, anatomy))) out[label] = v.frac;
  return out;
}

/** One flat row: rewards/format/mean, frac_reward_zero_std/Liver, ...; a null answer_similarity is left out. */
export function flattenStepMetrics(m: StepMetrics): Record<string, number> {
  const row: Record<string, number> = {};
  for (const [key, value] of Object.entries(m)) {
    if (typeof value === 'number') row[key] = value;
  }
  for (const [name, s] of Object.entries(m.rewards)) {
    row[`rewards/${name}/mean`] = s.mean;
    row[`rewards/${name}/std`] = s.std;
    // Issue #6 names the field reward/<fn>/mean; current TRL logs rewards/<fn>/mean. Both are written so
    // either reader finds it.
    row[`reward/${name}/mean`] = s.mean;
  }
  for (const [label, frac] of Object.entries(m.frac_reward_zero_std_by_anatomy)) row[`frac_reward_zero_std/${label}`] = frac;
  return row;
}

function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/** Sample std (N - 1), as torch.std. */
function std(values: ArrayLike<number>): number {
  if (values.length < 2) return 0;
  const mu = mean(values);
  let ss = 0;
  for (let i = 0; i < values.length; i++) ss += (values[i] - mu) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}
