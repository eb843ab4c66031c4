// The per-step metric record of a GRPO run, under the names TRL logs (so curves read like the ones
// researchers know), plus the two the paper plots: frac_reward_zero_std per anatomy and the batch-mean
// answer similarity S(q). flattenStepMetrics gives the flat {name: number} row charts and JSON exports use.

import { fracZeroStdByLabel, ZERO_STD_TOLERANCE } from './advantages.ts';

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
  /** GDQA: groups of the step split across more than one variant (augmentGroupCounts). Absent in runs logged before it. */
  'augment/augmented_groups'?: number;
  /** GDQA: augmented groups that augmentation turned from zero-variance into informative (augmentGroupCounts). */
  'augment/informative_groups'?: number;
}

/** What augmentGroupCounts reads of one scored group. */
export interface AugmentedGroupOutcome {
  /** More than the original question was in play. */
  augmented: boolean;
  /** Why (group-builder's reason): 'all' or 'zero-variance' when augmented. */
  reason: string;
  /** Combined reward of each rollout, pooled over the variants. // (G,) */
  rewards: readonly number[];
  /** Variant of each rollout (0 = the question as given when keepOriginal). // (G,) */
  rolloutVariant: readonly number[];
}

/** All equal as the advantage kernel decides it: sample std within ZERO_STD_TOLERANCE. */
const allEqual = (xs: readonly number[]) => std(xs) <= ZERO_STD_TOLERANCE;

/**
 * Whether GDQA turned this group from zero-variance into informative ("rescued" it). Only an augmented group
 * whose pooled rewards are not all equal can be. Under reason 'zero-variance' the question's previous group had
 * all-equal rewards by construction, so any spread now counts. Under 'all' the counterfactual is variant 0 alone:
 * the group counts when variant 0's rollouts all got the same reward, which needs at least two of them (with one
 * rollout per variant nothing can be said, and the group is not counted). advantages.ts pooledGroupAdvantages'
 * `rescued` asks more (every variant alone zero-variance); this is the counter the Augmentation panel shows.
 */
export function turnedInformative(g: AugmentedGroupOutcome): boolean {
  if (!g.augmented || g.rewards.length < 2 || allEqual(g.rewards)) return false;
  if (g.reason === 'zero-variance') return true;
  const first = g.rewards.filter((_, k) => g.rolloutVariant[k] === 0);
  return first.length >= 2 && allEqual(first);
}

/** augment/augmented_groups and augment/informative_groups over all groups of a step. */
export function augmentGroupCounts(groups: readonly AugmentedGroupOutcome[]): { augmented: number; informative: number } {
  return { augmented: groups.filter((g) => g.augmented).length, informative: groups.filter(turnedInformative).length };
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
