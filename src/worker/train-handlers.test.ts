// The worker's training requests in Node over fake-indexeddb: a micro run on the CpuBackend streams progress,
// pauses into a checkpoint, lists it, resumes to the end and evaluates; a NaN loss fails the run and keeps the
// last good checkpoint; on Dawn the same flow runs on WebGPU and survives a destroyed device by resuming from
// its checkpoint on the new one.
import 'fake-indexeddb/auto';
import { nodeGpu } from '../test/node-gpu.ts';
import { describe, expect, it } from 'vitest';
import { DatasetStore } from '../data/storage/dataset-store.ts';
import { generateAnatomySynth } from '../data/synth/anatomy-synth.ts';
import { CheckpointStore } from '../rl/trainer/checkpoint-store.ts';
import { DeviceSession } from './device-session.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';
import { trainHandlers } from './train-handlers.ts';
import type { TrainProgress } from './train-protocol.ts';

let dbCount = 0;

async function setup(session?: DeviceSession) {
  const n = dbCount++;
  const datasets = await DatasetStore.open(`train-test-data-${n}`);
  const synth = generateAnatomySynth({ seed: 4, questions: 24, imageSize: 32, testFraction: 0.25 });
  const meta = await datasets.save({
    name: 'synth', format: 'synth', records: synth.records, imageSize: 32, fingerprint: 'x',
    images: [...synth.images].map(([ref, img]) => ({ ref, ...img })),
  });
  const ctx = { session: session ?? ({} as DeviceSession) } as HandlerContext;
  const handlers = trainHandlers(ctx, {
    openDatasets: async () => datasets,
    openCheckpoints: () => CheckpointStore.open(`train-test-ckpt-${n}`),
  });
  return { handlers, datasetId: meta.id, ctx };
}

function job(onProgress: (p: TrainProgress) => void = () => undefined, signal = new AbortController().signal): JobContext<TrainProgress> {
  return { signal, progress: onProgress };
}

function config(datasetId: string, backend: 'cpu' | 'webgpu', steps: number) {
  return {
    name: 't', datasetId, preset: 'micro', backend, init: { kind: 'scratch' }, inspectorGroups: 1, eval: { maxQuestions: 2 },
    grpo: { seed: 1, groupSize: 2, batchSize: 2, steps, maxCompletionLength: 4, checkpointEvery: 2, beta: 0.04, sft: { steps: 0 } },
  };
}

describe('train handlers', () => {
  it('starts, pauses into a checkpoint, lists it, resumes to the end (CpuBackend)', async () => {
    const { handlers, datasetId } = await setup();
    const seen: TrainProgress[] = [];
    let paused: Promise<unknown> | null = null;
    const outcome = await handlers['train/start']({ config: config(datasetId, 'cpu', 4) as never, runId: 'r1' }, job((p) => {
      seen.push(p);
      if (p.kind === 'step' && p.step === 0) paused = handlers['train/pause']({ runId: 'r1' }, job() as never);
    }));
    await paused;
    expect(outcome.state).toBe('paused');
    expect(outcome.step).toBe(1);
    expect(outcome.evalBefore?.questions).toBe(2);
    const step0 = seen.find((p) => p.kind === 'step');
    expect(step0 && step0.kind === 'step' && step0.row.reward).toBeTypeOf('number');
    expect(step0 && step0.kind === 'step' && step0.inspector[0].completions).toHaveLength(2);

    const list = await handlers['train/checkpoints']({}, job() as never);
    expect(list.map((c) => [c.runId, c.state, c.step])).toEqual([['r1', 'paused', 1]]);
    const status = await handlers['train/status']({ runId: 'r1', history: true }, job() as never);
    expect(status.active).toBeNull();
    expect(status.history).toHaveLength(1);

    const steps: number[] = [];
    const end = await handlers['train/resume']({ runId: 'r1' }, job((p) => p.kind === 'step' && steps.push(p.step)));
    expect(end.state).toBe('finished');
    expect(steps).toEqual([1, 2, 3]);
    expect(end.evalAfter?.questions).toBe(2);
    expect(end.evalBefore?.questions).toBe(2);
    await expect(handlers['train/resume']({ runId: 'r1' }, job())).rejects.toThrow(/already finished/);
  });

  it('fails a run with a NaN loss and keeps the last good checkpoint', async () => {
    const n = dbCount++;
    const datasets = await DatasetStore.open(`train-test-data-${n}`);
    const synth = generateAnatomySynth({ seed: 4, questions: 24, imageSize: 32, testFraction: 0.25 });
    const meta = await datasets.save({ name: 's', format: 'synth', records: synth.records, imageSize: 32, fingerprint: 'x', images: [...synth.images].map(([ref, img]) => ({ ref, ...img })) });
    const handlers = trainHandlers({} as HandlerContext, { openDatasets: async () => datasets, openCheckpoints: () => CheckpointStore.open(`train-test-ckpt-${n}`), faults: { nanAtStep: 2 } });
    const outcome = await handlers['train/start']({ config: config(meta.id, 'cpu', 4) as never, runId: 'nan' }, job());
    expect(outcome.state).toBe('failed');
    expect(outcome.message).toMatch(/GRPO step 2 .*NaN.*last good checkpoint \(GRPO step 2\)/);
    const [c] = await handlers['train/checkpoints']({}, job() as never);
    expect([c.state, c.step, c.lastCheckpointStep]).toEqual(['failed', 2, 2]);
  });

  it('trains on WebGPU (Dawn) and resumes from the checkpoint after the device is destroyed', async () => {
    const session = new DeviceSession(nodeGpu, () => undefined, 10);
    const { handlers, datasetId } = await setup(session);
    const seen: TrainProgress[] = [];
    let destroyed = false;
    const outcome = await handlers['train/start']({ config: config(datasetId, 'webgpu', 4) as never, runId: 'g1' }, job((p) => {
      seen.push(p);
      if (p.kind === 'checkpoint' && p.step === 2 && !destroyed) destroyed = session.destroyForTest();
    }));
    expect(destroyed).toBe(true);
    expect(outcome.state).toBe('finished');
    expect(outcome.step).toBe(4);
    const recovered = seen.find((p) => p.kind === 'recovered');
    expect(recovered && recovered.kind === 'recovered' && recovered.fromStep).toBe(2);
    expect(session.snapshot.generation).toBe(2);
  });
});
