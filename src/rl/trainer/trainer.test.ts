// The trainer on the CpuBackend: a GRPO step produces finite TRL metrics and moves the weights; a run resumed
// from a snapshot at step 2 ends with exactly the metrics and weights of an uninterrupted run; a NaN loss
// stops the step with a message and leaves the weights untouched; the SFT warm start lowers its loss.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import type { StepMetrics } from '../metrics.ts';
import { microFixture, microRunConfig } from './test-fixtures.ts';
import { GrpoTrainer, NonFiniteLossError, type TrainerFaults } from './trainer.ts';

// An untrained micro policy never writes the answer tags, so every reward would be 0 and every advantage 0:
// the tests score rollouts by their first token instead, which varies within a group.
const varied: TrainerFaults = { rewardOverride: (tokens) => (tokens[0] ?? 0) % 2 };

/** Metrics without the wall-clock ones (they differ between any two runs). */
function timeless(m: StepMetrics): Omit<StepMetrics, 'step_time' | 'tokens_per_second'> {
  const { step_time: _t, tokens_per_second: _r, ...rest } = m;
  return rest;
}

describe('GrpoTrainer on the CpuBackend', () => {
  it('runs GRPO steps with finite TRL metrics, an inspector sample and changed weights', async () => {
    const { data, init } = microFixture();
    const t = GrpoTrainer.create(new CpuBackend(), microRunConfig({}, { steps: 2, numIterations: 1 }), data, init, varied);
    const before = await t.policy.params.readAll();
    const { metrics, inspector } = await t.grpoStep();
    for (const key of ['reward', 'reward_std', 'frac_reward_zero_std', 'kl', 'entropy', 'loss', 'grad_norm', 'completions/mean_length'] as const) {
      expect(Number.isFinite(metrics[key]), `${key} = ${metrics[key]}`).toBe(true);
    }
    expect(metrics.entropy).toBeGreaterThan(0);
    expect(metrics.grad_norm).toBeGreaterThan(0);
    expect(Object.keys(metrics.rewards).sort()).toEqual(['accuracy', 'format', 'length']);
    expect(inspector).toHaveLength(2);
    expect(inspector[0].completions).toHaveLength(3);
    const after = await t.policy.params.readAll();
    let moved = 0;
    for (const [name, v] of before) if (v.some((x, i) => x !== after.get(name)![i])) moved++;
    expect(moved).toBeGreaterThan(0);
    t.dispose();
  });

  it('resumes from a snapshot at step 2 with exactly the metrics and weights of an uninterrupted run', async () => {
    const { data, init } = microFixture();
    const config = microRunConfig();
    const straight = GrpoTrainer.create(new CpuBackend(), config, data, init, varied);
    for (let i = 0; i < 4; i++) await straight.grpoStep();

    const first = GrpoTrainer.create(new CpuBackend(), config, data, init, varied);
    for (let i = 0; i < 2; i++) await first.grpoStep();
    const snap = structuredClone(await first.snapshot());
    first.dispose();
    const resumed = GrpoTrainer.restore(new CpuBackend(), snap, data, varied);
    for (let i = 0; i < 2; i++) await resumed.grpoStep();

    expect(resumed.metrics.map(timeless)).toEqual(straight.metrics.map(timeless));
    const a = await straight.policy.params.readAll(), b = await resumed.policy.params.readAll();
    for (const [name, v] of a) expect(Array.from(b.get(name)!), name).toEqual(Array.from(v));
    // The KL and the second update's ratio must have been live, or the test would miss the reference and old-logp paths.
    expect(straight.metrics.some((m) => m.kl > 0)).toBe(true);
    expect(straight.metrics.some((m) => m.grad_norm > 0)).toBe(true);
    straight.dispose();
    resumed.dispose();
  });

  it('stops on a NaN loss with a message and keeps the weights of the last good step', async () => {
    const { data, init } = microFixture();
    const t = GrpoTrainer.create(new CpuBackend(), microRunConfig(), data, init, { ...varied, nanAtStep: 1 });
    await t.grpoStep();
    const good = await t.policy.params.readAll();
    await expect(t.grpoStep()).rejects.toThrow(NonFiniteLossError);
    await expect(t.grpoStep()).rejects.toThrow(/GRPO step 1 .*loss NaN/);
    expect(t.step).toBe(1);
    const now = await t.policy.params.readAll();
    for (const [name, v] of good) expect(Array.from(now.get(name)!), name).toEqual(Array.from(v));
    t.dispose();
  });

  it('lowers the SFT loss over a short warm start, then starts GRPO with a fresh optimizer', async () => {
    const { data, init } = microFixture();
    const t = GrpoTrainer.create(new CpuBackend(), microRunConfig({}, { steps: 1, sft: { steps: 8, batchSize: 4, learningRate: 3e-3 } }), data, init);
    expect(t.phase).toBe('sft');
    const losses: number[] = [];
    while (t.phase === 'sft') losses.push((await t.sftStepOnce()).loss);
    expect(losses).toHaveLength(8);
    expect(losses[7]).toBeLessThan(losses[0]);
    expect(t.grpoStarted).toBe(true);
    expect(t.phase).toBe('grpo');
    const r = await t.evaluate(4);
    expect(r.questions).toBe(4);
    t.dispose();
  });

  it('adds caption rows where the dataset describes the image, and none where it does not', async () => {
    const { data, init } = microFixture();
    const firstStep = async (grounding?: (ref: string) => string | null) => {
      const t = GrpoTrainer.create(new CpuBackend(), microRunConfig({}, { steps: 1, sft: { steps: 1, batchSize: 4 } }), { ...data, ...(grounding ? { grounding } : {}) }, init);
      const m = await t.sftStepOnce();
      t.dispose();
      return m;
    };
    const plain = await firstStep();
    const captioned = await firstStep(() => 'top-left liver, center gut');
    expect(captioned.loss).not.toBe(plain.loss);
    expect(captioned.tokens_per_second * captioned.step_time).toBeGreaterThan(plain.tokens_per_second * plain.step_time);
    // A caption longer than the sequence leaves room for, or no description at all: the questions alone.
    expect((await firstStep(() => 'liver '.repeat(200))).loss).toBe(plain.loss);
    expect((await firstStep(() => null)).loss).toBe(plain.loss);
  });
});
