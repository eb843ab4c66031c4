// GRPO kernels: the group-relative advantage (segmented mean and sample std per group, scaled by the group
// std, the batch std or nothing) and the clipped policy loss with k3 KL, forward and d(loss)/d(logp) in one
// dispatch, with the step's scalars (loss, KL, clip counts, token count, entropy) reduced on the GPU.
// CPU references: rl/advantages.ts groupAdvantages and rl/policy-loss.ts policyLoss (tests compare both).
//
// History: both run as a single workgroup of ROW_WG threads striding over the batch. A GRPO batch is small
// (B * G rows of at most a few hundred tokens, a few thousand elements), so one dispatch with an in-workgroup
// reduction beats a two-level partial-sum scheme (which would need a second dispatch per scalar) and keeps
// the loss value bit-stable across runs (fixed reduction order, no atomics).

import { defineProgram, fields, input, output, type KernelProgram } from '../program.ts';
import { ROW_WG, workgroupReduce } from './common.ts';

/** Scale modes of groupAdvantageProgram's `mode` uniform. */
export const ADVANTAGE_MODE = { group: 0, batch: 1, none: 2 } as const;

/** Slots of policyLossProgram's `stats` output (read back together: a handful of floats per step). */
export const LOSS_STATS = {
  /** Aggregated loss, already multiplied by `scale`. */
  loss: 0,
  /** Sum over real tokens of the k3 KL (0 when useKl is 0). */
  klSum: 1,
  /** Tokens with rho < 1 - epsLow and A < 0. */
  clipLow: 2,
  /** Tokens with rho > 1 + epsHigh and A > 0. */
  clipHigh: 3,
  /** Real completion tokens (sum of the mask). */
  tokens: 4,
  /** Sum over real tokens of the entropy (0 when useEntropy is 0). */
  entropySum: 5,
} as const;
export const LOSS_STATS_SIZE = 6;

const memo = new Map<string, KernelProgram>();
function once(key: string, make: () => KernelProgram): KernelProgram {
  let p = memo.get(key);
  if (!p) memo.set(key, (p = make()));
  return p;
}

/**
 * rewards (numGroups * groupSize) -> advantages (same), stats (numGroups, 3) = [mean, sample std, zeroStd 0/1].
 * Uniforms: numGroups, groupSize, mode (ADVANTAGE_MODE), eps. Dispatch [1]. A zero-variance group (std <= 1e-8,
 * torch.isclose's atol) gets exactly 0 in every mode, as the CPU reference.
 */
export function groupAdvantageProgram(): KernelProgram {
  return once('adv', () =>
    defineProgram({
      name: 'grpoAdvantage',
      params: {},
      bindings: [input('rewards'), output('advantages'), output('stats')],
      uniforms: [...fields('u32', 'numGroups', 'groupSize', 'mode'), ...fields('f32', 'eps')],
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
@entry
fn main(@builtin(local_invocation_index) lid: u32) {
  let n = u.numGroups * u.groupSize;
  // Batch statistics first (only mode 1 uses them; computed always to keep the barriers in uniform flow).
  var s = 0.0;
  for (var i = lid; i < n; i += ${ROW_WG}u) { s += rewards[i]; }
  let batchMean = wgSum(s, lid) / f32(max(n, 1u));
  var q = 0.0;
  for (var i = lid; i < n; i += ${ROW_WG}u) { let d = rewards[i] - batchMean; q += d * d; }
  let batchSq = wgSum(q, lid);
  var batchStd = 0.0;
  if (n > 1u) { batchStd = sqrt(batchSq / f32(n - 1u)); }
  // One thread per group: two passes over its G rewards (mean, then squared deviations), like torch.std.
  for (var g = lid; g < u.numGroups; g += ${ROW_WG}u) {
    let start = g * u.groupSize;
    var sum = 0.0;
    for (var k = 0u; k < u.groupSize; k++) { sum += rewards[start + k]; }
    let mean = sum / f32(u.groupSize);
    var ss = 0.0;
    for (var k = 0u; k < u.groupSize; k++) { let d = rewards[start + k] - mean; ss += d * d; }
    var sd = 0.0;
    if (u.groupSize > 1u) { sd = sqrt(ss / f32(u.groupSize - 1u)); }
    let zero = sd <= 1e-8;
    var scale = 1.0;
    if (u.mode == 0u) { scale = 1.0 / (sd + u.eps); }
    if (u.mode == 1u) { scale = 1.0 / (batchStd + u.eps); }
    for (var k = 0u; k < u.groupSize; k++) {
      advantages[start + k] = select((rewards[start + k] - mean) * scale, 0.0, zero);
    }
    stats[3u * g] = mean;
    stats[3u * g + 1u] = sd;
    stats[3u * g + 2u] = select(0.0, 1.0, zero);
  }
}`,
    }),
  );
}

/**
 * The clipped surrogate with k3 KL per token, aggregated by precomputed weights (rl/policy-loss.ts
 * aggregationWeights: they carry the mask and the lossType's normaliser).
 * Inputs (N, T) row-major: logp, oldLogp (used when useOld), refLogp (used when useKl), weight, mask, entropy
 * (used when useEntropy); adv (N). Outputs: dlogp (N, T) = scale * weight * dl/dlogp, stats (LOSS_STATS_SIZE).
 * Uniforms: n = N * T, t = T, useOld, useKl, useEntropy, epsLow, epsHigh, beta, scale. Dispatch [1].
 */
export function policyLossProgram(): KernelProgram {
  return once('loss', () =>
    defineProgram({
      name: 'grpoPolicyLoss',
      params: {},
      bindings: [
        input('logp'), input('oldLogp'), input('refLogp'), input('adv'), input('weight'), input('mask'), input('entropy'),
        output('dlogp'), output('stats'),
      ],
      uniforms: [...fields('u32', 'n', 't', 'useOld', 'useKl', 'useEntropy'), ...fields('f32', 'epsLow', 'epsHigh', 'beta', 'scale')],
      workgroupSize: [ROW_WG, 1, 1],
      body: `${workgroupReduce}
@entry
fn main(@builtin(local_invocation_index) lid: u32) {
  var lossSum = 0.0;
  var klSum = 0.0;
  var low = 0.0;
  var high = 0.0;
  var tokens = 0.0;
  var ent = 0.0;
  for (var k = lid; k < u.n; k += ${ROW_WG}u) {
    let m = mask[k];
    if (m == 0.0) { dlogp[k] = 0.0; continue; }
    let a = adv[k / u.t];
    var rho = 1.0;
    if (u.useOld == 1u) { rho = exp(logp[k] - oldLogp[k]); }
    let clipped = clamp(rho, 1.0 - u.epsLow, 1.0 + u.epsHigh);
    let unclippedTerm = rho * a;
    let clippedTerm = clipped * a;
    // Gradient flows through rho only where the unclipped term is the minimum (ties included).
    var l = -min(unclippedTerm, clippedTerm);
    var g = select(0.0, -rho * a, unclippedTerm <= clippedTerm);
    if (u.useKl == 1u) {
      let diff = refLogp[k] - logp[k];
      let e = exp(diff);
      let kl = e - diff - 1.0;
      l += u.beta * kl;
      g += u.beta * (1.0 - e);
      klSum += kl * m;
    }
    let w = weight[k];
    lossSum += w * l;
    dlogp[k] = u.scale * w * g;
    tokens += m;
    if (rho < 1.0 - u.epsLow && a < 0.0) { low += m; }
    if (rho > 1.0 + u.epsHigh && a > 0.0) { high += m; }
    if (u.useEntropy == 1u) { ent += entropy[k] * m; }
  }
  let r0 = wgSum(lossSum, lid);
  let r1 = wgSum(klSum, lid);
  let r2 = wgSum(low, lid);
  let r3 = wgSum(high, lid);
  let r4 = wgSum(tokens, lid);
  let r5 = wgSum(ent, lid);
  if (lid == 0u) {
    stats[${LOSS_STATS.loss}] = u.scale * r0;
    stats[${LOSS_STATS.klSum}] = r1;
    stats[${LOSS_STATS.clipLow}] = r2;
    stats[${LOSS_STATS.clipHigh}] = r3;
    stats[${LOSS_STATS.tokens}] = r4;
    stats[${LOSS_STATS.entropySum}] = r5;
  }
}`,
    }),
  );
}
