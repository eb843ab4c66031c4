// The GRPO policy loss on the CPU, forward and backward with respect to the policy's per-token log-probs: the
// oracle the WGSL loss kernels are tested against, and the loss the CpuBackend trainer uses. Plus the two
// batch-level options of the paper's baselines: DAPO dynamic sampling and GPG's B / (B - M) rescale.
//
// How this objective matches or departs from the paper (../shared/PAPER.md section 1):
// - Clipping: PPO-style per-token clip of the ratio rho = exp(logp - logp_old) to [1 - epsLow, 1 + epsHigh],
//   l_t = -min(rho A, clip(rho) A). epsLow = epsHigh = 0.2 is the paper's GRPO; epsHigh = 0.28 is DAPO's
//   clip-higher. With numIterations = 1 logp_old = logp (detached), rho = 1 and clipping never acts; it only
//   matters for numIterations > 1, as in TRL.
// - KL: on by default (beta = 0.04), the k3 estimator exp(ref - logp) - (ref - logp) - 1 per token, added to
//   the loss (not to the reward). beta = 0 switches it off and then no reference policy is needed at all
//   (refLogp may be null). Dr. GRPO and DAPO use beta = 0.
// - Normalisation: lossType grpo averages per sequence then over sequences (DeepSeekMath); bnpo / dapo average
//   over all completion tokens of the batch (what ms-swift, the paper's base, used; our default); dr_grpo
//   divides by N * maxCompletionLength, a constant, so long and short answers weigh per token alike. dapo
//   differs from bnpo only in normalising by the token count of the whole generation batch when the trainer
//   splits it into micro-batches: pass that count as `tokenNormalizer`.
// - Std scaling is not here: advantages come in already centred and scaled by advantages.ts (scaleRewards:
//   group = (r - mean)/(std + 1e-4), batch, or none = Dr. GRPO's r - mean).
// - Entropy bonus: none, as in TRL / the paper; entropy is only logged.

import type { LossType } from './config.ts';

export interface PolicyLossOptions {
  epsLow: number;
  epsHigh: number;
  /** KL weight; 0 ignores refLogp. */
  beta: number;
  lossType: LossType;
  /** Only used by dr_grpo: the constant token budget per completion. */
  maxCompletionLength: number;
  /** dapo only: completion tokens in the whole generation batch; defaults to this call's mask sum. */
  tokenNormalizer?: number;
  /** Multiplies the loss and gradient (GPG's B / (B - M)); default 1. */
  lossScale?: number;
}

export interface PolicyLossInputs {
  /** log pi_theta of each completion token. // (N, T) row-major */
  logp: ArrayLike<number>;
  /** log pi_old from sampling time; null means the same as logp (numIterations = 1, rho = 1). // (N, T) */
  oldLogp: ArrayLike<number> | null;
  /** log pi_ref of the frozen reference; null only with beta = 0. // (N, T) */
  refLogp: ArrayLike<number> | null;
  /** One advantage per completion. // (N,) */
  advantages: ArrayLike<number>;
  /** 1 on completion tokens (up to and including EOS), 0 on padding. // (N, T) */
  mask: ArrayLike<number>;
  /** Completions N and padded length T. */
  n: number;
  t: number;
}

export interface PolicyLossResult {
  loss: number;
  /** d loss / d logp. // (N, T) */
  dLogp: Float64Array;
  /** Masked token mean of the k3 KL (0 when beta = 0): TRL's `kl`. */
  kl: number;
  /** Share of tokens with rho < 1 - epsLow and A < 0: TRL's clip_ratio/low_mean. */
  clipLow: number;
  /** Share of tokens with rho > 1 + epsHigh and A > 0: clip_ratio/high_mean. */
  clipHigh: number;
  /** Share of tokens clipped either way: clip_ratio/region_mean. */
  clipRegion: number;
}

/** Per-token weight of l_{i,t} in the aggregated loss for each lossType. // (N, T) */
export function aggregationWeights(mask: ArrayLike<number>, n: number, t: number, opts: PolicyLossOptions): Float64Array {
  const w = new Float64Array(n * t);
  let total = 0;
  for (let k = 0; k < n * t; k++) total += mask[k];
  switch (opts.lossType) {
    case 'grpo':
      for (let i = 0; i < n; i++) {
        let rowTokens = 0;
        for (let j = 0; j < t; j++) rowTokens += mask[i * t + j];
        const d = n * Math.max(rowTokens, 1); // TRL clamps an empty row's count to 1
        for (let j = 0; j < t; j++) w[i * t + j] = mask[i * t + j] / d;
      }
      break;
    case 'bnpo':
    case 'dapo': {
      const d = Math.max(opts.lossType === 'dapo' && opts.tokenNormalizer !== undefined ? opts.tokenNormalizer : total, 1);
      for (let k = 0; k < n * t; k++) w[k] = mask[k] / d;
      break;
    }
    case 'dr_grpo': {
      const d = n * opts.maxCompletionLength;
      for (let k = 0; k < n * t; k++) w[k] = mask[k] / d;
      break;
    }
  }
  return w;
}

/** Forward and backward of the clipped surrogate with k3 KL, aggregated by lossType. */
export function policyLoss(inputs: PolicyLossInputs, opts: PolicyLossOptions): PolicyLossResult {
  const { logp, oldLogp, refLogp, advantages, mask, n, t } = inputs;
  if (logp.length !== n * t || mask.length !== n * t || advantages.length !== n) {
    throw new Error(`policyLoss: shapes disagree with N=${n}, T=${t}`);
  }
  const useKl = opts.beta !== 0;
  if (useKl && refLogp === null) throw new Error('policyLoss: beta > 0 needs reference log-probs');
  const scale = opts.lossScale ?? 1;
  const w = aggregationWeights(mask, n, t, opts);
  const dLogp = new Float64Array(n * t);
  let loss = 0;
  let maskSum = 0;
  let klSum = 0;
  let lowSum = 0;
  let highSum = 0;
  for (let i = 0; i < n; i++) {
    const a = advantages[i];
    for (let j = 0; j < t; j++) {
      const k = i * t + j;
      const m = mask[k];
      if (m === 0) continue;
      const rho = oldLogp === null ? 1 : Math.exp(logp[k] - oldLogp[k]);
      const clipped = Math.min(Math.max(rho, 1 - opts.epsLow), 1 + opts.epsHigh);
      const unclippedTerm = rho * a;
      const clippedTerm = clipped * a;
      // Gradient flows through rho only where the unclipped term is the minimum (ties included).
      const surrogateActive = unclippedTerm <= clippedTerm;
      let l = -Math.min(unclippedTerm, clippedTerm);
      let g = surrogateActive ? -rho * a : 0;
      if (useKl) {
        const diff = refLogp![k] - logp[k];
        const e = Math.exp(diff);
        const kl = e - diff - 1;
        l += opts.beta * kl;
        g += opts.beta * (1 - e);
        klSum += kl * m;
      }
      loss += w[k] * l;
      dLogp[k] = scale * w[k] * g;
      maskSum += m;
      if (rho < 1 - opts.epsLow && a < 0) lowSum += m;
      if (rho > 1 + opts.epsHigh && a > 0) highSum += m;
    }
  }
  const denom = Math.max(maskSum, 1);
  const clipLow = lowSum / denom;
  const clipHigh = highSum / denom;
  return {
    loss: scale * loss,
    dLogp,
    kl: useKl ? klSum / denom : 0,
    clipLow,
    clipHigh,
    // The two conditions are exclusive (rho cannot be both below 1 - epsLow and above 1 + epsHigh).
    clipRegion: clipLow + clipHigh,
  };
}

/**
 * GPG's rescale B / (B - M): B completions in the batch, M of them with zero advantage (they carry no policy
 * gradient, so the rest is scaled up to keep the gradient's size). 1 when nothing is left to rescale.
 */
export function gpgScale(advantages: ArrayLike<number>): number {
  const b = advantages.length;
  let m = 0;
  for (let i = 0; i < b; i++) if (advantages[i] === 0) m++;
  return m >= b ? 1 : b / (b - m);
}

export interface DynamicSampleResult<G> {
  /** Groups to train on: informative ones first, topped up with dropped ones if resampling ran out. */
  groups: G[];
  /** Sampling rounds used (1 = no resample). */
  rounds: number;
  /** Zero-variance groups seen and dropped over all rounds. */
  dropped: number;
  /** True when maxResamples ran out before batchSize informative groups were found. */
  exhausted: boolean;
}

/**
 * DAPO dynamic sampling: draw `batchSize` groups, keep the informative ones, and draw again for the missing
 * count, at most `maxResamples` more times. Unlike verl (which raises when it runs out), a short batch is
 * topped up with dropped groups so the step keeps its shape; those carry zero advantage and only KL gradient.
 */
export async function dynamicSample<G>(
  batchSize: number,
  maxResamples: number,
  draw: (count: number, round: number) => Promise<G[]>,
  isInformative: (group: G) => boolean,
): Promise<DynamicSampleResult<G>> {
  const kept: G[] = [];
  const droppedGroups: G[] = [];
  let rounds = 0;
  while (kept.length < batchSize && rounds <= maxResamples) {
    const drawn = await draw(batchSize - kept.length, rounds);
    rounds++;
    for (const g of drawn) (isInformative(g) && kept.length < batchSize ? kept : droppedGroups).push(g);
    if (drawn.length === 0) break;
  }
  const exhausted = kept.length < batchSize;
  const groups = kept.concat(droppedGroups.slice(0, batchSize - kept.length));
  return { groups, rounds, dropped: droppedGroups.length, exhausted };
}
