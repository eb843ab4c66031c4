// `lab train`: the command line becomes a checked run config, bad flags are usage errors, and a one-step micro
// run from scratch prints its steps and writes the {config, metrics, evalBefore, evalAfter} JSON.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../command.ts';
import { demoQuestions, train, trainConfig } from './train.ts';
import { generateAnatomySynth } from '../../src/data/synth/anatomy-synth.ts';

describe('lab train', () => {
  it('maps flags to the run config', () => {
    const c = trainConfig(parseArgs(['--preset', 'micro', '--steps', '7', '--seed', '3', '--init', 'scratch', '--curriculum', 'redraw', '--augment', 'on', '--batch', '2', '--group', '4']));
    expect([c.preset, c.grpo.steps, c.grpo.seed, c.init.kind, c.curriculum.enabled, c.curriculum.mode, c.augment.enabled, c.grpo.batchSize, c.grpo.groupSize])
      .toEqual(['micro', 7, 3, 'scratch', true, 'redraw', true, 2, 4]);
    expect(trainConfig(parseArgs([])).curriculum.enabled).toBe(false);
  });

  it('refuses bad flags with a usage error', () => {
    expect(() => trainConfig(parseArgs(['--preset', 'huge']))).toThrow(UsageError);
    expect(() => trainConfig(parseArgs(['--curriculum', 'sideways']))).toThrow(/--curriculum must be one of/);
    expect(() => trainConfig(parseArgs(['--dataset', '/some/path']))).toThrow(/demo/);
    expect(() => trainConfig(parseArgs(['--group', '1']))).toThrow(UsageError);
    expect(() => demoQuestions(parseArgs(['--questions', '5']))).toThrow(/--questions/);
  });

  it('sizes the demo with --questions and evaluates on that set\'s test split', async () => {
    const expectedTest = generateAnatomySynth({ questions: 600 }).records.filter((r) => r.split === 'test').length;
    const r = await train(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '100000', '--max-len', '4', '--questions', '600']));
    const json = r.json as { evalBefore: { questions: number }; evalAfter: { questions: number }; dataset: { questions: number } };
    expect(json.dataset.questions).toBe(600);
    expect(json.evalBefore.questions).toBe(expectedTest);
    expect(json.evalAfter.questions).toBe(expectedTest);
    expect(expectedTest).not.toBe(generateAnatomySynth().records.filter((x) => x.split === 'test').length);
  });

  it('runs one micro step from scratch in Node and reports before/after accuracy', async () => {
    const r = await train(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '2', '--max-len', '4']));
    const json = r.json as { metrics: Record<string, number>[]; evalBefore: { accuracy: number }; evalAfter: { accuracy: number } };
    expect(json.metrics).toHaveLength(1);
    expect(json.metrics[0]).toHaveProperty('frac_reward_zero_std');
    expect(json.evalBefore.accuracy).toBeGreaterThanOrEqual(0);
    expect(json.evalAfter.accuracy).toBeGreaterThanOrEqual(0);
    expect(r.message).toMatch(/trained 1 GRPO steps/);
  });
});
