// Pacing functions: how far along the difficulty scale the curriculum is at a given fraction of training.
// 0 = the easiest level, 1 = the natural level of the data. The default (hold-then-ramp with a short middle
// plateau) follows the paper's S(q) curve: flat for the first quarter, a ramp with a plateau near the middle,
// the natural level by 80% of training.

export type PacingKind = 'holdRamp' | 'stages' | 'linear' | 'root';
export const PACING_KINDS: readonly PacingKind[] = ['holdRamp', 'stages', 'linear', 'root'];

export interface PacingConfig {
  /** Shape of the curve. Default holdRamp. */
  kind: PacingKind;
  /** holdRamp: fraction of training held at the easiest level. Default 0.25. */
  holdUntil: number;
  /** holdRamp: fraction of training by which the natural level is reached. Default 0.8. */
  rampUntil: number;
  /** holdRamp: width (fraction of training) of a plateau at the half-way level in the middle of the ramp. Default 0.1; 0 for a straight ramp. */
  plateauWidth: number;
  /** stages: number of equal steps from easiest to natural. Default 4. */
  stages: number;
  /** root: level = progress^exponent (0.5 = square root: fast early, slow late). Default 0.5. */
  exponent: number;
}

export function defaultPacingConfig(): PacingConfig {
  return { kind: 'holdRamp', holdUntil: 0.25, rampUntil: 0.8, plateauWidth: 0.1, stages: 4, exponent: 0.5 };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The level in [0, 1] at `progress` in [0, 1] (step / total steps). */
export function pacingAt(progress: number, config: PacingConfig): number {
  const p = clamp01(progress);
  switch (config.kind) {
    case 'linear':
      return p;
    case 'root':
      return clamp01(p ** config.exponent);
    case 'stages': {
      const k = Math.max(1, Math.floor(config.stages));
      if (k === 1) return 1;
      return Math.min(k - 1, Math.floor(p * k)) / (k - 1);
    }
    case 'holdRamp': {
      const { holdUntil: a, rampUntil: b } = config;
      if (p <= a) return 0;
      if (p >= b) return 1;
      const span = b - a;
      const w = Math.min(config.plateauWidth, span);
      const rampHalf = (span - w) / 2; // each of the two ramps
      const x = p - a;
      if (x <= rampHalf) return rampHalf === 0 ? 0.5 : 0.5 * (x / rampHalf);
      if (x <= rampHalf + w) return 0.5;
      return rampHalf === 0 ? 1 : 0.5 + 0.5 * ((x - rampHalf - w) / rampHalf);
    }
  }
}
