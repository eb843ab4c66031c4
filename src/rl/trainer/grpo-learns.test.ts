// GRPO learns: from the committed pretrained policy, a few steps on four training questions raise the mean
// accuracy reward of the rollouts. The unit tests of the loss check its gradient; this one checks the whole
// loop points the right way (a flipped advantage sign or a stale old-log-prob would make the reward fall).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateAnatomySynth } from '../../data/synth/anatomy-synth.ts';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { checkpointInit, pretrainedPath } from './init.ts';
import { restoreTrainRunConfig } from './run-config.ts';
import { GrpoTrainer } from './trainer.ts';

const CHECKPOINT = new URL(`../../../public/${pretrainedPath('micro')}`, import.meta.url);

describe('GRPO from the pretrained micro policy', () => {
  it('raises the accuracy reward on four training questions within twelve steps', async () => {
    const synth = generateAnatomySynth({ imageSize: 64, questions: 200 });
    const records = [...synth.records.filter((r) => r.split === 'train').slice(0, 4), ...synth.records.filter((r) => r.split === 'test').slice(0, 2)];
    const data = { records, image: (ref: string) => synth.images.get(ref) ?? null };
    const config = restoreTrainRunConfig({
      name: 'grpo learns', datasetId: 'synth', preset: 'micro', init: { kind: 'pretrained' }, inspectorGroups: 0, eval: { enabled: false },
      // All four questions every step, so the steps' rewards are over the same questions and comparable.
      grpo: { seed: 0, steps: 12, batchSize: 4, groupSize: 8, learningRate: 1e-3, beta: 0.04, maxCompletionLength: 16, checkpointEvery: 0 },
    });
    const t = GrpoTrainer.create(new CpuBackend(), config, data, checkpointInit(readFileSync(CHECKPOINT), 'pretrained micro'));
    const accuracy: number[] = [];
    for (let s = 0; s < 12; s++) accuracy.push((await t.grpoStep()).metrics.rewards.accuracy.mean);
    t.dispose();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(accuracy.slice(0, 4)), last = mean(accuracy.slice(-4));
    expect(last, `accuracy per step ${accuracy.map((a) => a.toFixed(2)).join(' ')}`).toBeGreaterThan(first + 0.2);
  }, 120_000);
});
