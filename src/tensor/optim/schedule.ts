// Learning-rate schedules: constant, linear warmup then constant, and linear warmup then cosine decay.
// Computed on the CPU per step (one number) and passed to the AdamW kernel as a uniform.

/** How the learning rate moves over a run. */
export interface LrSchedule {
  /** 'constant' | 'linear-warmup' (ramp then hold) | 'cosine' (ramp then cosine decay to minLr). */
  kind: 'constant' | 'linear-warmup' | 'cosine';
  /** Learning rate after warmup; typical 1e-5 (RL fine-tuning) to 1e-3 (small models from scratch). */
  peakLr: number;
  /** Steps of linear ramp from 0 to peakLr; typical 0 to 100. */
  warmupSteps: number;
  /** Steps of the whole run (cosine reaches minLr here); typical 100 to 10000. */
  totalSteps: number;
  /** Floor of the cosine decay; typical peakLr / 10. */
  minLr: number;
}

/** Learning rate at 0-based `step`. */
export function learningRateAt(s: LrSchedule, step: number): number {
  if (s.kind === 'constant') return s.peakLr;
  if (step < s.warmupSteps) return (s.peakLr * (step + 1)) / s.warmupSteps;
  if (s.kind === 'linear-warmup') return s.peakLr;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  return s.minLr + 0.5 * (s.peakLr - s.minLr) * (1 + Math.cos(Math.PI * progress));
}
