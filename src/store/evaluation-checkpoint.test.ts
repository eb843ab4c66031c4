// The Evaluate panel's store with training runs' checkpoints, against a scripted engine: choosing "a run's
// checkpoint" picks the newest run's, a choice that no longer exists falls back to it, and the evaluation is sent
// (and shown) under the training run’s name and step rather than its storage id; question-only is sent only for a
// dataset with a train split.
import { describe, expect, it } from 'vitest';
import type { EngineClient } from '../worker/client.ts';
import type { CheckpointSummary } from '../worker/train-protocol.ts';
import { createEvaluationStore } from './evaluation.ts';
import { useDatasetsStore } from './datasets.ts';

const ckpt = (runId: string, name: string, step: number): CheckpointSummary =>
  ({ runId, name, state: 'finished', step, total: step, sftStep: 0, sftTotal: 0, datasetId: 'ds', preset: 'micro', savedAt: null, lastCheckpointStep: step, message: '', bytes: 1 }) as CheckpointSummary;

function scripted(checkpoints: CheckpointSummary[]) {
  const sent: Array<{ type: string; params: Record<string, unknown> }> = [];
  const client = {
    request: async (type: string, params: Record<string, unknown>) => {
      sent.push({ type, params });
      if (type === 'eval/sources') return { pretrained: { available: true, bytes: 10, message: '' } };
      if (type === 'train/checkpoints') return checkpoints;
      if (type === 'eval/run') {
        const report = { policy: 'checkpoint run-b', unextractable: { ids: [] } };
        return { runId: 'eval-1', report, records: [], answers: {}, tooLong: [], engine: 'cpu', dataset: { id: 'ds', name: 'AnatomySynth', fingerprint: '', split: 'test' }, loadMs: 0 };
      }
      throw new Error(`unexpected ${type}`);
    },
  } as unknown as EngineClient;
  return { client, sent };
}

describe('evaluation store: a training run’s checkpoint', () => {
  it('picks the newest run, falls back to it when the choice is gone, and names the result by the run', async () => {
    const { client, sent } = scripted([ckpt('run-b', 'GRPO micro scratch seed 1', 3), ckpt('run-a', 'GRPO micro scratch seed 0', 12)]);
    useDatasetsStore.setState({ datasets: [{ id: 'ds', name: 'AnatomySynth', bySplit: { train: 3, test: 2 } } as never] });
    const store = createEvaluationStore(() => client);
    await store.getState().init();
    expect(store.getState().setup.source).toBe('pretrained');

    store.getState().update({ source: 'checkpoint' });
    expect(store.getState().setup.checkpointRunId).toBe('run-b');
    store.getState().update({ checkpointRunId: 'run-a' });
    expect(store.getState().setup.checkpointRunId).toBe('run-a');
    store.getState().update({ checkpointRunId: 'run-deleted' });
    expect(store.getState().setup.checkpointRunId).toBe('run-b');

    store.getState().update({ datasetId: 'ds', split: 'test' });
    await store.getState().run();
    expect(store.getState().error).toBeNull();
    const run = sent.find((s) => s.type === 'eval/run')!;
    expect(run.params.source).toEqual({ kind: 'checkpoint', runId: 'run-b' });
    expect(run.params.name).toBe('GRPO micro scratch seed 1 · checkpoint at step 3 on AnatomySynth test');
    expect(store.getState().resultName).toBe('GRPO micro scratch seed 1 · checkpoint at step 3');
  });

  it('sends no name for other sources, so the worker names the run as before', async () => {
    const { client, sent } = scripted([]);
    const store = createEvaluationStore(() => client);
    await store.getState().init();
    store.getState().update({ datasetId: 'ds', split: 'test' });
    await store.getState().run();
    expect('name' in sent.find((s) => s.type === 'eval/run')!.params).toBe(false);
    expect(store.getState().resultName).toBeNull();
  });

  it('sends question-only only for a dataset with a train split to count from', async () => {
    const { client, sent } = scripted([]);
    useDatasetsStore.setState({ datasets: [{ id: 'ds', name: 'AnatomySynth', bySplit: { train: 3, test: 2 } } as never, { id: 'rad', name: 'VQA-RAD test', bySplit: { test: 5 } } as never] });
    const store = createEvaluationStore(() => client);
    await store.getState().init();
    store.getState().toggleMetric('question-only', true);
    store.getState().update({ datasetId: 'ds', split: 'test' });
    await store.getState().run();
    store.getState().update({ datasetId: 'rad', split: 'test' });
    await store.getState().run();
    const asked = sent.filter((s) => s.type === 'eval/run').map((s) => s.params.metrics);
    expect(asked).toEqual([['greedy', 'question-only'], ['greedy']]);
  });
});
