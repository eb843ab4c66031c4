// A tiny MLP classifier (LayerNorm -> Linear -> GELU -> Linear -> cross-entropy) trained with AdamW,
// written once against Backend + Tape so CPU and WebGPU run the identical program. Used by train.test.ts.

import { Parameter, Tape } from './autograd.ts';
import type { Backend } from './backend.ts';
import { AdamW } from './optim/adamw.ts';
import { Rng } from './testing.ts';

export interface MlpRun {
  /** Loss per step (read back each step: the one scalar a training step reports). */
  losses: number[];
  /** Pool/live-storage snapshots after each step (filled by the caller's hook). */
  params: Parameter[];
  optimizer: AdamW;
}

const BATCH = 16, IN = 8, HIDDEN = 24, CLASSES = 5;

/** Deterministic data and initial weights, identical for every backend. */
function setup(b: Backend) {
  const r = new Rng(42);
  const x = b.fromArray(r.array(BATCH * IN), [BATCH, IN]);
  const y = b.fromArray(Int32Array.from({ length: BATCH }, (_, i) => (i * 7) % CLASSES), [BATCH], 'i32');
  const params = [
    new Parameter(b.fill([IN], 1), 'ln.weight'),
    new Parameter(b.zeros([IN]), 'ln.bias'),
    new Parameter(b.fromArray(r.array(IN * HIDDEN, -0.5, 0.5), [IN, HIDDEN]), 'fc1.weight'),
    new Parameter(b.zeros([HIDDEN]), 'fc1.bias'),
    new Parameter(b.fromArray(r.array(HIDDEN * CLASSES, -0.3, 0.3), [HIDDEN, CLASSES]), 'fc2.weight'),
    new Parameter(b.zeros([CLASSES]), 'fc2.bias'),
  ];
  return { x, y, params };
}

/** Trains for `steps`, calling `afterStep` after each (for pool checks). */
export async function trainMlp(b: Backend, steps: number, afterStep?: (step: number) => void): Promise<MlpRun> {
  const { x, y, params } = setup(b);
  const [lnW, lnB, w1, b1, w2, b2] = params;
  const optimizer = new AdamW(b, params, {
    schedule: { kind: 'cosine', peakLr: 0.02, warmupSteps: 10, totalSteps: steps, minLr: 0.002 },
    beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1.0,
  });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const tape = new Tape(b);
    const h = tape.layerNorm(tape.constant(x), lnW, lnB);
    const a = tape.gelu(tape.add(tape.matmul(h, w1), b1));
    const logits = tape.add(tape.matmul(a, w2), b2);
    const loss = tape.crossEntropy(logits, y);
    tape.backward(loss);
    optimizer.step();
    const value = (await b.read(loss.value))[0];
    tape.release();
    losses.push(value);
    afterStep?.(step);
  }
  x.dispose();
  y.dispose();
  return { losses, params, optimizer };
}
