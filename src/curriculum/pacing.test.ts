import { describe, it, expect } from 'vitest';
import { defaultPacingConfig, pacingAt } from './pacing.ts';

describe('pacingAt', () => {
  const d = defaultPacingConfig();
  it('holdRamp default: hold to 25%, ramp with a middle plateau, natural level from 80%', () => {
    // ramp span 0.55, plateau 0.1 centred, so each half-ramp is 0.225 long.
    const table: [number, number][] = [
      [0, 0], [0.1, 0], [0.25, 0],
      [0.25 + 0.1125, 0.25],
      [0.475, 0.5], [0.5, 0.5], [0.575, 0.5],
      [0.575 + 0.1125, 0.75],
      [0.8, 1], [0.9, 1], [1, 1], [1.5, 1], [-1, 0],
    ];
    for (const [p, want] of table) expect(pacingAt(p, d), `p=${p}`).toBeCloseTo(want, 12);
  });

  it('maps onto the paper curve: 0.145 early, ~0.39 in the middle, 0.64 late', () => {
    const s = (p: number) => 0.145 + pacingAt(p, d) * (0.64 - 0.145);
    expect(s(0.1)).toBeCloseTo(0.145, 12);
    expect(s(0.52)).toBeCloseTo(0.3925, 12);
    expect(s(0.9)).toBeCloseTo(0.64, 12);
  });

  it('holdRamp without plateau is a straight ramp', () => {
    const c = { ...d, plateauWidth: 0 };
    expect(pacingAt(0.525, c)).toBeCloseTo(0.5, 12);
    expect(pacingAt(0.39, c)).toBeCloseTo((0.39 - 0.25) / 0.55, 12);
  });

  it('stages, linear and root', () => {
    const stages = { ...d, kind: 'stages' as const, stages: 4 };
    expect([0, 0.24, 0.25, 0.5, 0.74, 0.75, 1].map((p) => pacingAt(p, stages))).toEqual([0, 0, 1 / 3, 2 / 3, 2 / 3, 1, 1]);
    expect(pacingAt(0.3, { ...d, kind: 'linear' })).toBe(0.3);
    expect(pacingAt(0.25, { ...d, kind: 'root', exponent: 0.5 })).toBe(0.5);
    expect(pacingAt(0.5, { ...d, kind: 'stages', stages: 1 })).toBe(1);
  });
});
