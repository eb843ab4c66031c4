import { describe, it, expect } from 'vitest';
import { toYaml, yamlScalar } from './yaml.ts';

describe('toYaml', () => {
  it('writes nested maps with two-space indents, lists in flow style, and comments first', () => {
    const text = toYaml(
      { data: { train_files: './data/train.parquet', shuffle: false }, trainer: { logger: ['console', 'file'], max_steps: 100 }, top: null },
      ['exported'],
    );
    expect(text).toBe(
      [
        '# exported',
        'data:',
        '  train_files: ./data/train.parquet',
        '  shuffle: false',
        'trainer:',
        '  logger: [console, file]',
        '  max_steps: 100',
        'top: null',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings YAML would read as something else', () => {
    expect(yamlScalar('true')).toBe('"true"');
    expect(yamlScalar('null')).toBe('"null"');
    expect(yamlScalar('0.5')).toBe('"0.5"');
    expect(yamlScalar('a: b')).toBe('"a: b"');
    expect(yamlScalar('')).toBe('""');
    expect(yamlScalar('low_var_kl')).toBe('low_var_kl');
    expect(yamlScalar('./reward_function.py:compute_score')).toBe('./reward_function.py:compute_score');
    expect(toYaml({ n: 2 })).toBe('"n": 2\n');
  });

  it('writes floats PyYAML reads as floats (a dot before the exponent)', () => {
    expect(yamlScalar(1e-7)).toBe('1.0e-7');
    expect(yamlScalar(2.5e-8)).toBe('2.5e-8');
    expect(yamlScalar(0.04)).toBe('0.04');
    expect(yamlScalar(-1)).toBe('-1');
    expect(() => yamlScalar(Number.NaN)).toThrow(/non-finite/);
  });

  it('writes an empty map as {}', () => {
    expect(toYaml({ a: {} })).toBe('a: {}\n');
  });
});
