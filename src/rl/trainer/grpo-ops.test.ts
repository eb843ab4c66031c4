// The GRPO kernels against their CPU references (rl/advantages.ts, rl/policy-loss.ts) on Dawn, hand-computed
// advantages, and the kernel's d(loss)/d(logp) against central finite differences of the f64 reference.
import { nodeGpuDevice } from '../../test/node-gpu.ts';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import type { Backend } from '../../tensor/backend.ts';
import { WebGpuBackend } from '../../tensor/webgpu-backend.ts';
import { groupAdvantages } from '../advantages.ts';
import type { LossType, ScaleRewards } from '../config.ts';
import { policyLoss, type PolicyLossOptions } from '../policy-loss.ts';
import { grpoOpsFor, LOSS_STATS } from './grpo-ops.ts';

/** Deterministic values in [lo, hi). */
function values(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 8) / 2 ** 24) * (hi - lo);
  });
}

function worst(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): { index: number; excess: number } {
  let index = -1, excess = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) - (atol + rtol * Math.abs(want[i]));
    if (e > excess) {
      excess = e;
      index = i;
    }
  }
  return { index, excess };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number, what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  const w = worst(got, want, atol, rtol);
  expect(w.index, `${what}: worst element ${w.index}: got ${got[w.index]}, want ${want[w.index]}`).toBe(-1);
}

async function backends(): Promise<Backend[]> {
  return [new CpuBackend(), new WebGpuBackend(await nodeGpuDevice())];
}

describe('group advantage kernel', () => {
  it('matches the hand-computed [1, 0, 0, 1] group and zeroes an all-equal group', async () => {
    const a = 0.5 / (Math.sqrt(1 / 3) + 1e-4);
    for (const b of await backends()) {
      const ops = grpoOpsFor(b);
      const rewards = b.fromArray([1, 0, 0, 1, 2, 2, 2, 2], [8]);
      const { advantages, stats } = ops.advantages(rewards, 4, 'group');
      expectClose(await b.read(advantages), [a, -a, -a, a, 0, 0, 0, 0], 1e-6, 1e-5, `${b.name} advantages`);
      expectClose(await b.read(stats), [0.5, Math.sqrt(1 / 3), 0, 2, 0, 1], 1e-6, 1e-5, `${b.name} stats`);
      const none = ops.advantages(rewards, 4, 'none');
      expectClose(await b.read(none.advantages), [0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0], 0, 0, `${b.name} none`);
      [rewards, advantages, stats, none.advantages, none.stats].forEach((t) => t.dispose());
    }
  });

  it('matches the CPU reference for group, batch and none on random groups (GDQA pooled groups included)', async () => {
    const gpu = new WebGpuBackend(await nodeGpuDevice());
    const ops = grpoOpsFor(gpu);
    for (const [groups, g] of [[3, 8], [70, 4], [5, 2]] as const) {
      // Rewards in {0, 1, 2} with some all-equal groups, like format + accuracy rewards.
      const r = Float32Array.from(values(groups * g, groups + g, 0, 3), (x) => Math.floor(x));
      for (let k = 0; k < g; k++) r[k] = 1;
      for (const scale of ['group', 'batch', 'none'] as ScaleRewards[]) {
        const want = groupAdvantages(r, g, scale);
        const rewards = gpu.fromArray(r, [r.length]);
        const { advantages, stats } = ops.advantages(rewards, g, scale);
        expectClose(await gpu.read(advantages), want.advantages, 1e-5, 1e-4, `${groups}x${g} ${scale}`);
        const s = await gpu.read(stats);
        for (let q = 0; q < groups; q++) {
          expect(s[3 * q + 2] === 1, `group ${q} zeroStd`).toBe(want.zeroStd[q]);
          expect(Math.abs(s[3 * q + 1] - want.groupStd[q])).toBeLessThan(1e-5);
        }
        [rewards, advantages, stats].forEach((t) => t.dispose());
      }
    }
  });
});

interface LossCase {
  n: number;
  t: number;
  opts: PolicyLossOptions;
  seed: number;
}

function lossInputs(c: LossCase) {
  const { n, t, seed } = c;
  const logp = values(n * t, seed, -3, -0.1);
  // Old and reference log-probs near logp, some far enough that rho leaves [0.8, 1.2] and clipping acts.
  const oldLogp = Float32Array.from(values(n * t, seed + 1, -0.4, 0.4), (d, k) => logp[k] + d);
  const refLogp = Float32Array.from(values(n * t, seed + 2, -0.3, 0.3), (d, k) => logp[k] + d);
  const advantages = values(n, seed + 3, -1.5, 1.5);
  advantages[0] = 0;
  const mask = new Float32Array(n * t);
  for (let i = 0; i < n; i++) {
    const len = i === n - 1 ? 0 : 1 + ((i * 7 + seed) % t); // one empty row: TRL's clamp to 1
    for (let j = 0; j < len; j++) mask[i * t + j] = 1;
  }
  const entropy = values(n * t, seed + 4, 0, 2);
  return { logp, oldLogp, refLogp, advantages, mask, entropy };
}

describe('policy loss kernel', () => {
  const types: LossType[] = ['grpo', 'bnpo', 'dapo', 'dr_grpo'];
  const cases: LossCase[] = types.flatMap((lossType, i) => [
    { n: 6, t: 9, seed: 11 + i, opts: { epsLow: 0.2, epsHigh: 0.28, beta: 0.04, lossType, maxCompletionLength: 12 } },
    { n: 33, t: 70, seed: 21 + i, opts: { epsLow: 0.2, epsHigh: 0.2, beta: 0, lossType, maxCompletionLength: 80, lossScale: 1.5 } },
  ]);

  it.each(cases)('matches the CPU reference ($opts.lossType, N=$n, T=$t, beta=$opts.beta)', async (c) => {
    const gpu = new WebGpuBackend(await nodeGpuDevice());
    const ops = grpoOpsFor(gpu);
    const x = lossInputs(c);
    const want = policyLoss({ ...x, refLogp: c.opts.beta ? x.refLogp : null, n: c.n, t: c.t }, c.opts);
    const T = (a: Float32Array, shape: number[]) => gpu.fromArray(a, shape);
    const inputs = {
      logp: T(x.logp, [c.n, c.t]), oldLogp: T(x.oldLogp, [c.n, c.t]), refLogp: T(x.refLogp, [c.n, c.t]),
      advantages: T(x.advantages, [c.n]), mask: T(x.mask, [c.n, c.t]), entropy: T(x.entropy, [c.n, c.t]),
    };
    const out = ops.policyLoss(inputs, x.mask, c.opts);
    expectClose(await gpu.read(out.dlogp), want.dLogp, 1e-7, 1e-4, 'dlogp');
    const s = await gpu.read(out.stats);
    const tokens = x.mask.reduce((a, b) => a + b, 0);
    expect(s[LOSS_STATS.tokens]).toBe(tokens);
    expect(Math.abs(s[LOSS_STATS.loss] - want.loss)).toBeLessThan(1e-5 + 1e-4 * Math.abs(want.loss));
    expect(Math.abs(s[LOSS_STATS.klSum] / tokens - want.kl)).toBeLessThan(1e-5);
    expect(s[LOSS_STATS.clipLow] / tokens).toBeCloseTo(want.clipLow, 6);
    expect(s[LOSS_STATS.clipHigh] / tokens).toBeCloseTo(want.clipHigh, 6);
    let ent = 0;
    for (let k = 0; k < x.mask.length; k++) ent += x.entropy[k] * x.mask[k];
    expect(Math.abs(s[LOSS_STATS.entropySum] - ent)).toBeLessThan(1e-3);
    // The cases must exercise clipping both ways, or the clip branches are untested.
    if (c.n > 10) expect(want.clipLow > 0 && want.clipHigh > 0).toBe(true);
    Object.values(inputs).forEach((t) => t.dispose());
    out.dlogp.dispose();
    out.stats.dispose();
  });

  it.each(types)('gives gradients that match central finite differences (%s, GPU and CPU)', async (lossType) => {
    const c: LossCase = { n: 4, t: 5, seed: 5, opts: { epsLow: 0.2, epsHigh: 0.2, beta: 0.04, lossType, maxCompletionLength: 6 } };
    const x = lossInputs(c);
    const f = (logp: Float64Array) => policyLoss({ ...x, logp, n: c.n, t: c.t }, c.opts).loss;
    const base = Float64Array.from(x.logp);
    const fd = new Float64Array(base.length);
    const h = 1e-6;
    for (let k = 0; k < base.length; k++) {
      const p = base.slice(), m = base.slice();
      p[k] += h;
      m[k] -= h;
      fd[k] = (f(p) - f(m)) / (2 * h);
    }
    for (const b of await backends()) {
      const T = (a: Float32Array, shape: number[]) => b.fromArray(a, shape);
      const out = grpoOpsFor(b).policyLoss(
        { logp: T(x.logp, [c.n, c.t]), oldLogp: T(x.oldLogp, [c.n, c.t]), refLogp: T(x.refLogp, [c.n, c.t]), advantages: T(x.advantages, [c.n]), mask: T(x.mask, [c.n, c.t]), entropy: null },
        x.mask,
        c.opts,
      );
      // A token exactly at a clip boundary has no derivative; none of these random values sits on one.
      expectClose(await b.read(out.dlogp), fd, 1e-6, 1e-3, `${b.name} ${lossType} dlogp vs finite differences`);
    }
  });
});
