// Group-relative advantages, the CPU reference the WGSL kernel is checked against: A_i = (r_i - mean_g) /
// (std + eps) with the sample std (divide by G - 1, as torch.std in TRL and ms-swift), or the batch std, or no
// scaling (Dr. GRPO). Also the zero-variance bookkeeping both of the paper's fixes are measured by.

import type { ScaleRewards } from './config.ts';

/** torch.isclose(std, 0) with its default atol: below this a group counts as zero-variance. */
export const ZERO_STD_TOLERANCE = 1e-8;

export interface GroupAdvantages {
  /** One advantage per completion. // (N,) with N = numGroups * groupSize */
  advantages: Float64Array;
  /** Mean reward of each group. // (numGroups,) */
  groupMean: Float64Array;
  /** Sample std of each group's rewards (always the group std, whatever scaleRewards is). // (numGroups,) */
  groupStd: Float64Array;
  /** True where all rewards of the group are equal (its advantages are exactly 0). // (numGroups,) */
  zeroStd: boolean[];
  /** Share of groups with zero std: TRL's frac_reward_zero_std, the paper's invalid gradient ratio. */
  fracRewardZeroStd: number;
}

function sampleStd(values: ArrayLike<number>, start: number, end: number, mean: number): number {
  const n = end - start;
  if (n < 2) return 0;
  let ss = 0;
  for (let i = start; i < end; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

/**
 * rewards: (numGroups * groupSize,) laid out group by group. A zero-variance group gets exactly zero advantages
 * in every mode (the subtraction alone could leave rounding residue of order 1e-17 / eps).
 */
export function groupAdvantages(
  rewards: ArrayLike<number>,
  groupSize: number,
  scaleRewards: ScaleRewards,
  eps = 1e-4,
): GroupAdvantages {
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new Error(`groupAdvantages: bad groupSize ${groupSize}`);
  if (rewards.length % groupSize !== 0) {
    throw new Error(`groupAdvantages: ${rewards.length} rewards is not a multiple of groupSize ${groupSize}`);
  }
  const numGroups = rewards.length / groupSize;
  const groupMean = new Float64Array(numGroups);
  const groupStd = new Float64Array(numGroups);
  const zeroStd: boolean[] = [];
  for (let g = 0; g < numGroups; g++) {
    const start = g * groupSize;
    let sum = 0;
    for (let i = start; i < start + groupSize; i++) sum += rewards[i];
    groupMean[g] = sum / groupSize;
    groupStd[g] = sampleStd(rewards, start, start + groupSize, groupMean[g]);
    zeroStd.push(groupStd[g] <= ZERO_STD_TOLERANCE);
  }
  let batchStd = 0;
  if (scaleRewards === 'batch') {
    let sum = 0;
    for (let i = 0; i < rewards.length; i++) sum += rewards[i];
    batchStd = sampleStd(rewards, 0, rewards.length, sum / rewards.length);
  }
  const advantages = new Float64Array(rewards.length);
  for (let g = 0; g < numGroups; g++) {
    if (zeroStd[g]) continue;
    const scale = scaleRewards === 'group' ? 1 / (groupStd[g] + eps) : scaleRewards === 'batch' ? 1 / (batchStd + eps) : 1;
    for (let i = g * groupSize; i < (g + 1) * groupSize; i++) advantages[i] = (rewards[i] - groupMean[g]) * scale;
  }
  const zeroCount = zeroStd.filter(Boolean).length;
  return { advantages, groupMean, groupStd, zeroStd, fracRewardZeroStd: numGroups === 0 ? 0 : zeroCount / numGroups };
}

export interface PooledGroupAdvantages extends GroupAdvantages {
  /** Per group, whether every variant on its own had zero variance (each variant would have taught nothing). // (numGroups,) */
  allVariantsZeroStd: boolean[];
  /** Per group: pooled std > 0 although every variant alone had std 0. GDQA's "turned informative" count. */
  rescued: boolean[];
}

/**
 * GDQA's pooled advantage: a group mixes K variants of one question (variantOf[i] says which), each rollout
 * already scored against its own variant's gold; the advantage is over the whole pooled group, exactly as
 * groupAdvantages. The per-variant view only feeds the Augmentation panel's counters.
 */
export function pooledGroupAdvantages(
  rewards: ArrayLike<number>,
  variantOf: ArrayLike<number>,
  groupSize: number,
  scaleRewards: ScaleRewards,
  eps = 1e-4,
): PooledGroupAdvantages {
  if (variantOf.length !== rewards.length) {
    throw new Error(`pooledGroupAdvantages: ${variantOf.length} variant ids for ${rewards.length} rewards`);
  }
  const pooled = groupAdvantages(rewards, groupSize, scaleRewards, eps);
  const allVariantsZeroStd: boolean[] = [];
  const rescued: boolean[] = [];
  for (let g = 0; g < pooled.zeroStd.length; g++) {
    const first = new Map<number, number>();
    let allEqualWithin = true;
    for (let i = g * groupSize; i < (g + 1) * groupSize; i++) {
      const v = variantOf[i];
      const seen = first.get(v);
      if (seen === undefined) first.set(v, rewards[i]);
      else if (Math.abs(seen - rewards[i]) > ZERO_STD_TOLERANCE) allEqualWithin = false;
    }
    allVariantsZeroStd.push(allEqualWithin);
    rescued.push(allEqualWithin && !pooled.zeroStd[g]);
  }
  return { ...pooled, allVariantsZeroStd, rescued };
}

export interface LabelZeroStd {
  groups: number;
  zeroStd: number;
  /** zeroStd / groups: frac_reward_zero_std for this label. */
  frac: number;
}

/** frac_reward_zero_std per label (the gold anatomy in the paper's figure); '' labels are grouped as 'unknown'. */
export function fracZeroStdByLabel(zeroStd: readonly boolean[], labels: readonly string[]): Record<string, LabelZeroStd> {
  if (labels.length !== zeroStd.length) throw new Error(`fracZeroStdByLabel: ${labels.length} labels for ${zeroStd.length} groups`);
  const out: Record<string, LabelZeroStd> = {};
  zeroStd.forEach((z, g) => {
    const label = labels[g] || 'unknown';
    const entry = (out[label] ??= { groups: 0, zeroStd: 0, frac: 0 });
    entry.groups++;
    if (z) entry.zeroStd++;
    entry.frac = entry.zeroStd / entry.groups;
  });
  return out;
}
