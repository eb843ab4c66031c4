// The checkpoint store over fake-indexeddb: a snapshot round-trips exactly, a save replaces the run's row,
// summaries update in place, and a corrupted row is refused with the field named.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { CheckpointStore, restoreSnapshot } from './checkpoint-store.ts';
import { microFixture, microRunConfig } from './test-fixtures.ts';
import { GrpoTrainer } from './trainer.ts';
import type { TrainRunSummary } from '../../worker/train-protocol.ts';

const summary = (step: number): TrainRunSummary => ({
  runId: 'a', name: 'n', state: 'paused', step, total: 6, sftStep: 0, sftTotal: 0, datasetId: 'd', preset: 'micro',
  savedAt: `2026-01-0${step + 1}T00:00:00Z`, lastCheckpointStep: step, message: '',
});

describe('CheckpointStore', () => {
  it('round-trips a snapshot, replaces it on save, updates summaries and refuses corrupted rows', async () => {
    const { data, init } = microFixture();
    const t = GrpoTrainer.create(new CpuBackend(), microRunConfig(), data, init);
    const snap = await t.snapshot();
    const store = await CheckpointStore.open('ckpt-test');
    const bytes = await store.save(summary(0), snap);
    expect(bytes).toBeGreaterThan(4 * t.policy.params.count() * 3);
    await store.save(summary(2), { ...snap, step: 2 });
    const list = await store.list();
    expect(list.map((c) => [c.runId, c.step])).toEqual([['a', 2]]);
    await store.setSummary('a', { state: 'failed', message: 'NaN' });
    const got = await store.load('a');
    expect(got!.summary.state).toBe('failed');
    expect(got!.snapshot.step).toBe(2);
    for (const [name, v] of snap.weights) expect(Array.from(got!.snapshot.weights.get(name)!)).toEqual(Array.from(v));
    expect(got!.snapshot.tokenizer).toEqual(snap.tokenizer);
    // A run's S(q) table (policy or ONNX embeddings) comes back with its checkpoint.
    const similarityTable = { source: 'onnx:mini', label: 'ONNX mini', names: ['femur', 'liver'], dim: 2, vectors: new Float32Array([1, 0, 0.6, 0.8]) };
    await store.save(summary(3), { ...snap, step: 3, similarityTable });
    expect((await store.load('a'))!.snapshot.similarityTable).toEqual(similarityTable);
    expect(() => restoreSnapshot({ ...snap, similarityTable: { ...similarityTable, dim: 3 } }, 'ckpt')).toThrow(/ckpt: similarityTable/);

    const bad = structuredClone(snap);
    bad.weights.values().next().value![3] = NaN;
    expect(() => restoreSnapshot(bad, 'ckpt')).toThrow(/ckpt: field 'weights\..*' holds a non-finite value at 3/);
    expect(() => restoreSnapshot({ ...snap, step: -1 }, 'ckpt')).toThrow(/field 'step'/);
    // The ids an evaluation got right come back with the checkpoint (a resumed run still compares question by question).
    const evalBefore = { accuracy: 0.5, questions: 2, extracted: 2, correct: ['q1'] };
    await store.save(summary(4), { ...snap, step: 4, evalBefore });
    expect((await store.load('a'))!.snapshot.evalBefore).toEqual(evalBefore);
    expect(() => restoreSnapshot({ ...snap, evalBefore: { ...evalBefore, correct: 'q1' as unknown as string[] } }, 'ckpt')).toThrow(/ckpt: field 'evalBefore.correct'/);
    expect(await store.load('missing')).toBeNull();
    store.close();
    t.dispose();
  });
});
