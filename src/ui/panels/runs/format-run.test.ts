import { describe, it, expect } from 'vitest';
import { defaultMetrics, formatConfigValue, formatCreated, formatMetric, keyResults, lastValue, metricNames, runLabels, shortFingerprint } from './format-run.ts';
import { sampleRunRecord } from '../../../runs/sample-run.ts';

describe('format-run', () => {
  it('shortens fingerprints, keeping the algorithm', () => {
    expect(shortFingerprint('sha256:0123456789abcdef0123')).toBe('sha256:0123456789ab…');
    expect(shortFingerprint('sha256:0f3a9c')).toBe('sha256:0f3a9c');
    expect(shortFingerprint('deadbeefdeadbeefdead', 4)).toBe('dead…');
    expect(shortFingerprint('')).toBe('—');
  });

  it('formats times in UTC and metric values with 4 significant digits', () => {
    expect(formatCreated('2026-11-25T13:40:00.000Z')).toBe('2026-11-25 13:40 UTC');
    expect(formatCreated('not a date')).toBe('not a date');
    expect(formatMetric(0.123456)).toBe('0.1235');
    expect(formatMetric(0.5)).toBe('0.5');
    expect(formatMetric(12345.678)).toBe('12,345.7');
    expect(formatMetric(1e-6)).toBe('1.000e-6');
    expect(formatMetric(0)).toBe('0');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(NaN)).toBe('—');
  });

  it('writes config values as one line of text', () => {
    expect(formatConfigValue(undefined)).toBe('—');
    expect(formatConfigValue('')).toBe('""');
    expect(formatConfigValue('<b>x</b>')).toBe('<b>x</b>');
    expect(formatConfigValue(['a', 1])).toBe('["a",1]');
    expect(formatConfigValue(null)).toBe('null');
    expect(formatConfigValue(true)).toBe('true');
  });

  it('orders metrics headline first and picks the defaults', () => {
    const run = sampleRunRecord(5);
    expect(metricNames([run])).toEqual(['reward', 'frac_reward_zero_std', 'kl', 'reward_std', 'completions/mean_length']);
    expect(defaultMetrics(metricNames([run]))).toEqual(['reward', 'frac_reward_zero_std', 'kl']);
    expect(defaultMetrics(['accuracy', 'zeta'])).toEqual(['accuracy']);
    expect(defaultMetrics([])).toEqual([]);
  });

  it('reads the key results: final reward and the first evaluation Overall', () => {
    const run = sampleRunRecord(5);
    run.history.points[4].values = { kl: 1 }; // reward last logged at step 4
    expect(lastValue(run, 'reward')).toBe(run.history.points[3].values.reward);
    expect(lastValue(run, 'missing')).toBeNull();
    expect(keyResults(run)).toEqual([
      { label: 'reward', value: run.history.points[3].values.reward },
      { label: 'final greedy', value: 0.55 },
    ]);
  });

  it('labels runs uniquely even when names and ids repeat', () => {
    const a = sampleRunRecord(2, 'a');
    const b = { ...sampleRunRecord(2, 'b'), name: 'other' };
    expect(runLabels([a, b])).toEqual([a.name, 'other']);
    expect(runLabels([a, sampleRunRecord(2, 'c')])).toEqual([`${a.name} [a]`, `${a.name} [c]`]);
    expect(runLabels([a, a])).toEqual([`${a.name} [a]`, `${a.name} [a] (2)`]);
  });
});
