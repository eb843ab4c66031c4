import { describe, it, expect } from 'vitest';
import { dynamicSample, gpgScale, policyLoss, type PolicyLossInputs, type PolicyLossOptions } from './policy-loss.ts';
import { LOSS_TYPES } from './config.ts';
import { SeededRandom } from '../curriculum/seeded-random.ts';

function randomInputs(seed: number, n: number, t: number, spread: number): PolicyLossInputs {
  const rng = new SeededRandom(seed);
  const logp = Array.from({ length: n * t }, () => -0.2 - 2 * rng.next());
  const oldLogp = logp.map((x) => x + spread * (rng.next() * 2 - 1));
  const refLogp = logp.map((x) => x + 0.5 * (rng.next() * 2 - 1));
  const advantages = Array.from({ length: n }, () => rng.next() * 2 - 1);
  // Ragged masks: row i keeps its first t - (i % t) tokens; one row entirely masked.
  const mask = Array.from({ length: n * t }, (_, k) => (Math.floor(k / t) === n - 1 ? 0 : k % t < t - (Math.floor(k / t) % t) ? 1 : 0));
  return { logp, oldLogp, refLogp, advantages, mask, n, t };
}

const base: PolicyLossOptions = { epsLow: 0.2, epsHigh: 0.28, beta: 0.04, lossType: 'grpo', maxCompletionLength: 6 };

describe('policyLoss gradient vs central finite differences (float64)', () => {
  for (const lossType of LOSS_TYPES) {
    for (const beta of [0, 0.04]) {
      it(`${lossType}, beta=${beta}`, () => {
        const opts = { ...base, lossType, beta, lossScale: 1.25, tokenNormalizer: lossType === 'dapo' ? 40 : undefined };
        const x = randomInputs(lossType.length * 7 + beta * 100, 5, 6, 0.6);
        const r = policyLoss(x, opts);
        const h = 1e-6;
        let worst = 0;
        let clippedTokens = 0;
        for (let k = 0; k < x.logp.length; k++) {
          const lp = Array.from(x.logp);
          lp[k] += h;
          const plus = policyLoss({ ...x, logp: lp }, opts).loss;
          lp[k] -= 2 * h;
          const minus = policyLoss({ ...x, logp: lp }, opts).loss;
          const fd = (plus - minus) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - r.dLogp[k]));
          if (x.mask[k] && r.dLogp[k] === 0 && beta === 0) clippedTokens++;
        }
        expect(worst).toBeLessThan(1e-8);
        // The spread makes some tokens clip, so the zero-gradient branch is exercised too.
        if (beta === 0) expect(clippedTokens).toBeGreaterThan(0);
      });
    }
  }
});

describe('policyLoss by hand', () => {
  // One completion of 2 tokens + a padded one; A = 1 and A = -1.
  const logp = [Math.log(0.5), Math.log(0.5), Math.log(0.4), 0];
  const oldLogp = [Math.log(0.5), Math.log(0.25), Math.log(0.5), 0]; // rho = 1, 2, 0.8, (pad)
  const refLogp = logp.slice();
  const inputs = { logp, oldLogp, refLogp, advantages: [1, -1], mask: [1, 1, 1, 0], n: 2, t: 2 };

  it('clips rho = 2 at 1.2 for A > 0 and leaves rho = 0.8 alone for A < 0', () => {
    const r = policyLoss(inputs, { ...base, beta: 0, epsHigh: 0.2, lossType: 'bnpo' });
    // token losses: -1, -1.2 (clipped), +0.8 ; bnpo = sum / 3 tokens
    expect(r.loss).toBeCloseTo((-1 - 1.2 + 0.8) / 3, 12);
    expect(Array.from(r.dLogp)).toEqual([-1 / 3, 0, expect.closeTo(0.8 / 3, 12), 0]);
    expect(r.clipHigh).toBeCloseTo(1 / 3, 12);
    expect(r.clipLow).toBe(0);
    expect(r.clipRegion).toBeCloseTo(1 / 3, 12);
  });

  it('grpo averages per sequence first; dr_grpo divides by N * maxCompletionLength', () => {
    const opts = { ...base, beta: 0, epsHigh: 0.2 };
    expect(policyLoss(inputs, { ...opts, lossType: 'grpo' }).loss).toBeCloseTo(((-1 - 1.2) / 2 + 0.8 / 1) / 2, 12);
    expect(policyLoss(inputs, { ...opts, lossType: 'dr_grpo', maxCompletionLength: 4 }).loss).toBeCloseTo(
      (-1 - 1.2 + 0.8) / 8,
      12,
    );
  });

  it('k3 KL is zero where the policy equals the reference and positive elsewhere', () => {
    const same = policyLoss({ ...inputs, oldLogp: null }, { ...base, lossType: 'bnpo' });
    expect(same.kl).toBe(0);
    const ref = [Math.log(0.25), Math.log(0.5), Math.log(0.4), 0];
    const r = policyLoss({ ...inputs, oldLogp: null, refLogp: ref }, { ...base, lossType: 'bnpo' });
    const d = Math.log(0.25) - Math.log(0.5);
    expect(r.kl).toBeCloseTo((Math.exp(d) - d - 1) / 3, 12);
  });

  it('low clip: rho < 1 - epsLow with A < 0 counts in clip_ratio/low_mean', () => {
    const r = policyLoss(
      { logp: [Math.log(0.1)], oldLogp: [Math.log(0.5)], refLogp: null, advantages: [-1], mask: [1], n: 1, t: 1 },
      { ...base, beta: 0 },
    );
    expect(r.clipLow).toBe(1);
    expect(r.dLogp[0]).toBe(0);
    expect(r.loss).toBeCloseTo(0.8, 12);
  });

  it('needs a reference when beta > 0', () => {
    expect(() => policyLoss({ ...inputs, refLogp: null }, base)).toThrow(/reference/);
  });
});

describe('gpgScale', () => {
  it('is B / (B - M)', () => {
    expect(gpgScale([0, 0, 0, 0, 1, -1, 0.5, -0.5])).toBe(2);
    expect(gpgScale([1, -1])).toBe(1);
    expect(gpgScale([0, 0])).toBe(1);
  });
});

describe('dynamicSample', () => {
  it('refills with new draws and tops up when resamples run out', async () => {
    let next = 0;
    // Groups are numbers; multiples of 3 are informative.
    const draw = async (count: number) => Array.from({ length: count }, () => next++);
    const r = await dynamicSample(3, 2, draw, (g) => g % 3 === 0);
    // round 0: 0,1,2 -> keep 0; round 1: 3,4 -> keep 3; round 2: 5 -> none; exhausted, top up with 1
    expect(r.rounds).toBe(3);
    expect(r.exhausted).toBe(true);
    expect(r.groups).toEqual([0, 3, 1]);
    expect(r.dropped).toBe(4);
  });

  it('stops as soon as the batch is full', async () => {
    const r = await dynamicSample(2, 5, async (c) => Array(c).fill(1), () => true);
    expect(r).toEqual({ groups: [1, 1], rounds: 1, dropped: 0, exhausted: false });
  });
});
