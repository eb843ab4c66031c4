// GDQA's "turned informative" counter (augment/informative_groups) on a hand-made step, where each group's
// verdict is worked out by hand, and on a real GRPO step of the CPU trainer, whose count must agree with the
// same rule applied to its inspector groups (all of them: inspectorGroups >= batch size).
import { describe, expect, it } from 'vitest';
import { defaultAugmentConfig } from '../augment/config.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { augmentGroupCounts, flattenStepMetrics, turnedInformative, type AugmentedGroupOutcome } from './metrics.ts';
import { microFixture, microRunConfig } from './trainer/test-fixtures.ts';
import { GrpoTrainer } from './trainer/trainer.ts';

const split2x2 = [0, 0, 1, 1];

describe('augment/informative_groups on a hand-made step', () => {
  // Eight groups of G = 4 as 2 variants x 2 rollouts, each with its verdict worked out by hand.
  const step: Array<[AugmentedGroupOutcome, boolean, string]> = [
    [{ augmented: true, reason: 'all', rewards: [0, 0, 1, 0], rolloutVariant: split2x2 }, true, 'variant 0 alone all 0, pooled spread: rescued'],
    [{ augmented: true, reason: 'all', rewards: [1, 0, 1, 1], rolloutVariant: split2x2 }, false, 'variant 0 alone already informative'],
    [{ augmented: true, reason: 'all', rewards: [2, 2, 2, 2], rolloutVariant: split2x2 }, false, 'pooled still zero-variance'],
    [{ augmented: true, reason: 'zero-variance', rewards: [1, 0, 1, 1], rolloutVariant: split2x2 }, true, 'last group zero-variance, this one not'],
    [{ augmented: true, reason: 'zero-variance', rewards: [0, 0, 0, 0], rolloutVariant: split2x2 }, false, 'last group zero-variance, still is'],
    [{ augmented: false, reason: 'off', rewards: [0, 1, 0, 1], rolloutVariant: [0, 0, 0, 0] }, false, 'not augmented'],
    [{ augmented: false, reason: 'first-visit', rewards: [0, 1, 0, 1], rolloutVariant: [0, 0, 0, 0] }, false, 'first visit, not augmented'],
    // One rollout per variant: variant 0 alone cannot show a spread, so nothing can be said; not counted.
    [{ augmented: true, reason: 'all', rewards: [0, 1, 0, 0], rolloutVariant: [0, 1, 2, 3] }, false, 'variant 0 has a single rollout'],
  ];

  it.each(step.map(([g, want, why]) => ({ g, want, why })))('$why', ({ g, want }) => {
    expect(turnedInformative(g)).toBe(want);
  });

  it('counts over the whole step', () => {
    expect(augmentGroupCounts(step.map(([g]) => g))).toEqual({ augmented: 6, informative: 2 });
    expect(augmentGroupCounts([])).toEqual({ augmented: 0, informative: 0 });
  });

  it('treats rewards within the zero-std tolerance as equal', () => {
    expect(turnedInformative({ augmented: true, reason: 'all', rewards: [0.5, 0.5 + 1e-12, 1, 0], rolloutVariant: split2x2 })).toBe(true);
    expect(turnedInformative({ augmented: true, reason: 'zero-variance', rewards: [1, 1 + 1e-12, 1, 1], rolloutVariant: split2x2 })).toBe(false);
  });
});

describe('augment/* metrics of a GRPO step', () => {
  it('counts every augmented group of the step and agrees with the rule on its groups', async () => {
    const { data, init } = microFixture();
    const config = microRunConfig(
      { inspectorGroups: 4, augment: { ...defaultAugmentConfig(), enabled: true, applyTo: 'all', variants: 2 } },
      { groupSize: 4, batchSize: 3, steps: 2, numIterations: 1 },
    );
    // Reward by the first token's parity, so variants and groups differ.
    const t = GrpoTrainer.create(new CpuBackend(), config, data, init, { rewardOverride: (tokens) => (tokens[0] ?? 0) % 2 });
    const { metrics, inspector } = await t.grpoStep();
    expect(inspector).toHaveLength(3);
    expect(metrics['augment/augmented_groups']).toBe(3);
    const byHand = inspector.filter((g) =>
      turnedInformative({ augmented: g.variants.length > 1, reason: g.augmentReason, rewards: g.completions.map((c) => c.total), rolloutVariant: g.completions.map((c) => c.variant) }),
    ).length;
    expect(metrics['augment/informative_groups']).toBe(byHand);
    expect(inspector.every((g) => g.variants.length === 2 && g.augmentReason === 'all')).toBe(true);
    const row = flattenStepMetrics(metrics);
    expect(row['augment/augmented_groups']).toBe(3);
    expect(row['augment/informative_groups']).toBe(byHand);
    t.dispose();
  });

  it('is zero with augmentation off', async () => {
    const { data, init } = microFixture();
    const t = GrpoTrainer.create(new CpuBackend(), microRunConfig({}, { steps: 1, numIterations: 1 }), data, init);
    const { metrics } = await t.grpoStep();
    expect(metrics['augment/augmented_groups']).toBe(0);
    expect(metrics['augment/informative_groups']).toBe(0);
    t.dispose();
  });
});
