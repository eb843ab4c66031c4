// The two GRPO-specific ops of a training step on either backend: group advantages from rewards, and the
// clipped policy loss with its gradient d(loss)/d(logp). On WebGPU they dispatch the WGSL programs of
// gpu/kernels/grpo.ts into the step's command encoder (nothing is read back here); on the CPU they run the
// references of rl/advantages.ts and rl/policy-loss.ts. Both return the same LOSS_STATS vector.

import { ADVANTAGE_MODE, groupAdvantageProgram, LOSS_STATS, LOSS_STATS_SIZE, policyLossProgram } from '../../gpu/kernels/grpo.ts';
import type { Backend } from '../../tensor/backend.ts';
import type { CpuBackend } from '../../tensor/cpu-backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import type { WebGpuBackend } from '../../tensor/webgpu-backend.ts';
import { groupAdvantages } from '../advantages.ts';
import type { ScaleRewards } from '../config.ts';
import { aggregationWeights, policyLoss, type PolicyLossOptions } from '../policy-loss.ts';

export { LOSS_STATS, LOSS_STATS_SIZE };

/** Advantage eps of PAPER.md section 1 (TRL / ms-swift use 1e-4). */
export const ADVANTAGE_EPS = 1e-4;

export interface AdvantageTensors {
  /** One advantage per completion. // (N,) */
  advantages: Tensor;
  /** [mean, sample std, zeroStd 0/1] per group. // (numGroups, 3) */
  stats: Tensor;
}

export interface LossTensors {
  /** log pi_theta, from the policy's train-mode forward. // (N, T) */
  logp: Tensor;
  /** log pi_old from sampling; null = logp detached (numIterations = 1, rho = 1). // (N, T) */
  oldLogp: Tensor | null;
  /** log pi_ref of the frozen reference; null only with beta = 0. // (N, T) */
  refLogp: Tensor | null;
  /** // (N,) */
  advantages: Tensor;
  /** 1 on completion tokens. // (N, T) */
  mask: Tensor;
  /** Per-token entropy to average into the stats, or null. // (N, T) */
  entropy: Tensor | null;
}

export interface LossOutput {
  /** d loss / d logp. // (N, T) */
  dlogp: Tensor;
  /** LOSS_STATS slots. // (LOSS_STATS_SIZE,) */
  stats: Tensor;
}

export interface GrpoOps {
  advantages(rewards: Tensor, groupSize: number, scale: ScaleRewards, eps?: number): AdvantageTensors;
  /** `mask` is also given on the host (the layout has it) so the aggregation weights are computed once, exactly. */
  policyLoss(t: LossTensors, hostMask: Float32Array, opts: PolicyLossOptions): LossOutput;
}

export function grpoOpsFor(backend: Backend): GrpoOps {
  return backend.name === 'webgpu' ? new GpuGrpoOps(backend as WebGpuBackend) : new CpuGrpoOps(backend);
}

function shapeNT(t: Tensor): [number, number] {
  if (t.shape.length !== 2) throw new Error(`grpo loss: expected (N, T), got [${t.shape.join(', ')}]`);
  return [t.shape[0], t.shape[1]];
}

/** The CPU path: the references themselves (tensors on the CpuBackend are host arrays, reads are free). */
class CpuGrpoOps implements GrpoOps {
  constructor(private readonly b: Backend) {}

  private host(t: Tensor): Float32Array {
    // CpuBackend keeps tensors in host arrays: f32() is a zero-copy view (read() is async only for the interface).
    return (this.b as CpuBackend).f32(t);
  }

  advantages(rewards: Tensor, groupSize: number, scale: ScaleRewards, eps = ADVANTAGE_EPS): AdvantageTensors {
    const r = groupAdvantages(this.host(rewards), groupSize, scale, eps);
    const stats = new Float32Array(r.groupMean.length * 3);
    r.groupMean.forEach((m, g) => {
      stats[3 * g] = m;
      stats[3 * g + 1] = r.groupStd[g];
      stats[3 * g + 2] = r.zeroStd[g] ? 1 : 0;
    });
    return { advantages: this.b.fromArray(r.advantages, [rewards.size]), stats: this.b.fromArray(stats, [r.groupMean.length, 3]) };
  }

  policyLoss(t: LossTensors, hostMask: Float32Array, opts: PolicyLossOptions): LossOutput {
    const [n, tt] = shapeNT(t.logp);
    const r = policyLoss(
      {
        logp: this.host(t.logp),
        oldLogp: t.oldLogp ? this.host(t.oldLogp) : null,
        refLogp: opts.beta !== 0 && t.refLogp ? this.host(t.refLogp) : null,
        advantages: this.host(t.advantages),
        mask: hostMask,
        n,
        t: tt,
      },
      opts,
    );
    let tokens = 0, ent = 0;
    const entropy = t.entropy ? this.host(t.entropy) : null;
    for (let k = 0; k < n * tt; k++) {
      tokens += hostMask[k];
      if (entropy) ent += entropy[k] * hostMask[k];
    }
    const stats = new Float32Array(LOSS_STATS_SIZE);
    stats[LOSS_STATS.loss] = r.loss;
    stats[LOSS_STATS.klSum] = r.kl * Math.max(tokens, 1);
    stats[LOSS_STATS.clipLow] = r.clipLow * Math.max(tokens, 1);
    stats[LOSS_STATS.clipHigh] = r.clipHigh * Math.max(tokens, 1);
    stats[LOSS_STATS.tokens] = tokens;
    stats[LOSS_STATS.entropySum] = ent;
    return { dlogp: this.b.fromArray(r.dLogp, [n, tt]), stats: this.b.fromArray(stats, [LOSS_STATS_SIZE]) };
  }
}

function bufferOf(t: Tensor): GPUBuffer {
  return (t.storage as unknown as { buffer: GPUBuffer }).buffer;
}

/** The WebGPU path: one dispatch each, recorded into the backend's encoder. */
class GpuGrpoOps implements GrpoOps {
  constructor(private readonly b: WebGpuBackend) {}

  advantages(rewards: Tensor, groupSize: number, scale: ScaleRewards, eps = ADVANTAGE_EPS): AdvantageTensors {
    const n = rewards.size;
    if (!Number.isInteger(groupSize) || groupSize < 1 || n % groupSize !== 0) {
      throw new Error(`grpo advantages: ${n} rewards is not a multiple of groupSize ${groupSize}`);
    }
    const numGroups = n / groupSize;
    const advantages = this.b.zeros([n]);
    const stats = this.b.zeros([numGroups, 3]);
    this.b.runner.dispatch(
      groupAdvantageProgram(),
      [bufferOf(rewards), bufferOf(advantages), bufferOf(stats)],
      { numGroups, groupSize, mode: ADVANTAGE_MODE[scale], eps },
      [1],
    );
    return { advantages, stats };
  }

  policyLoss(t: LossTensors, hostMask: Float32Array, opts: PolicyLossOptions): LossOutput {
    const [n, tt] = shapeNT(t.logp);
    const useKl = opts.beta !== 0;
    if (useKl && !t.refLogp) throw new Error('grpo loss: beta > 0 needs reference log-probs');
    const weights = this.b.fromArray(aggregationWeights(hostMask, n, tt, opts), [n, tt]);
    const dlogp = this.b.zeros([n, tt]);
    const stats = this.b.zeros([LOSS_STATS_SIZE]);
    const logp = bufferOf(t.logp);
    this.b.runner.dispatch(
      policyLossProgram(),
      [
        logp,
        t.oldLogp ? bufferOf(t.oldLogp) : logp,
        useKl ? bufferOf(t.refLogp!) : logp,
        bufferOf(t.advantages),
        bufferOf(weights),
        bufferOf(t.mask),
        t.entropy ? bufferOf(t.entropy) : logp,
        bufferOf(dlogp),
        bufferOf(stats),
      ],
      {
        n: n * tt, t: Math.max(tt, 1),
        useOld: t.oldLogp ? 1 : 0, useKl: useKl ? 1 : 0, useEntropy: t.entropy ? 1 : 0,
        epsLow: opts.epsLow, epsHigh: opts.epsHigh, beta: opts.beta, scale: opts.lossScale ?? 1,
      },
      [1],
    );
    weights.dispose();
    return { dlogp, stats };
  }
}
