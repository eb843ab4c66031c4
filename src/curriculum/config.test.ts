import { describe, it, expect } from 'vitest';
import { defaultCurriculumConfig, restoreCurriculumConfig } from './config.ts';

describe('restoreCurriculumConfig', () => {
  it('defaults and round trip', () => {
    expect(restoreCurriculumConfig({})).toEqual(defaultCurriculumConfig());
    const c = { ...defaultCurriculumConfig(), mode: 'redraw', easiestLevel: 0.145, similarity: 'onnx:minilm', junk: 1 };
    const r = restoreCurriculumConfig(JSON.parse(JSON.stringify(c)));
    expect(r.mode).toBe('redraw');
    expect(r.easiestLevel).toBe(0.145);
    expect(r.naturalLevel).toBeNull();
    expect('junk' in r).toBe(false);
  });

  it('names the bad field', () => {
    expect(() => restoreCurriculumConfig({ mode: 'shuffle' }, 'url')).toThrow(/url\.mode/);
    expect(() => restoreCurriculumConfig({ pacing: { kind: 'cubic' } })).toThrow(/pacing\.kind/);
    expect(() => restoreCurriculumConfig({ pacing: { holdUntil: 0.9, rampUntil: 0.5 } })).toThrow(/rampUntil/);
    expect(() => restoreCurriculumConfig({ easiestLevel: 2 })).toThrow(/easiestLevel/);
    expect(() => restoreCurriculumConfig({ similarity: 'http://x' })).toThrow(/similarity/);
    expect(() => restoreCurriculumConfig({ startFraction: 0 })).toThrow(/startFraction/);
  });
});
