import { describe, it, expect } from 'vitest';
import { defaultGrpoConfig, restoreGrpoConfig } from './config.ts';

describe('restoreGrpoConfig', () => {
  it('gives the documented defaults for an empty object', () => {
    const c = restoreGrpoConfig({});
    expect(c).toEqual(defaultGrpoConfig());
    expect(c.groupSize).toBe(8);
    expect(c.epsLow).toBe(0.2);
    expect(c.epsHigh).toBe(0.2);
    expect(c.beta).toBe(0.04);
  });

  it('round-trips through JSON and drops unknown keys', () => {
    const c = { ...defaultGrpoConfig(), lossType: 'dr_grpo', scaleRewards: 'none', seed: 7, evil: '<script>' };
    const r = restoreGrpoConfig(JSON.parse(JSON.stringify(c)));
    expect(r.lossType).toBe('dr_grpo');
    expect(r.seed).toBe(7);
    expect('evil' in r).toBe(false);
  });

  it('names the field of a bad value', () => {
    expect(() => restoreGrpoConfig({ epsLow: 'x' }, 'run.json')).toThrow(/run\.json\.epsLow/);
    expect(() => restoreGrpoConfig({ groupSize: 1 })).toThrow(/groupSize.*>= 2/);
    expect(() => restoreGrpoConfig({ temperature: 0 })).toThrow(/temperature/);
    expect(() => restoreGrpoConfig({ beta: Infinity })).toThrow(/beta.*finite/);
    expect(() => restoreGrpoConfig({ lossType: 'ppo' })).toThrow(/lossType.*grpo \| bnpo/);
    expect(() => restoreGrpoConfig({ dynamicSampling: { maxResamples: 1.5 } })).toThrow(/dynamicSampling\.maxResamples/);
    expect(() => restoreGrpoConfig({ sft: { answerForm: 'x' } })).toThrow(/sft\.answerForm/);
    expect(() => restoreGrpoConfig({ rewardWeights: [] })).toThrow(/rewardWeights: expected an object/);
    expect(() => restoreGrpoConfig({ version: 99 })).toThrow(/newer/);
    expect(() => restoreGrpoConfig('x')).toThrow(/GrpoConfig: expected an object/);
  });
});
