// The training store against a scripted engine that speaks the train/* protocol (the real trainer is tested in
// rl/trainer): start streams steps into bounded curves and the inspector, pause and resume continue the step
// count, a reload (a fresh store over the same storage) resumes by itself from the checkpoint with the past
// curves, a finished run is saved as a valid RunRecord, and failures read as words.
import { describe, it, expect } from 'vitest';
import { defaultAugmentConfig } from '../augment/config.ts';
import { defaultCurriculumConfig } from '../curriculum/config.ts';
import type { DatasetMeta } from '../data/index.ts';
import { restoreRunRecord } from '../runs/restore.ts';
import type { RunRecord } from '../runs/record.ts';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import type { CheckpointSummary, InspectorGroup, TrainOutcome, TrainRunConfig } from '../worker/train-protocol.ts';
import { addPoint, createTrainingStore, defaultTrainForm, formProblem, TRAIN_ACTIVE_STORAGE_KEY, type TrainingDeps } from './training.ts';
import { describeTrainError, etaSeconds } from './training-record.ts';

const DATASET: DatasetMeta = {
  version: 1, id: 'ds-demo', name: 'AnatomySynth', format: 'synth', createdAt: 0, recordCount: 10, imageCount: 10, imageSize: 32,
  fingerprint: 'sha256:abc', bySplit: { train: 8, test: 2 },
};

const group = (step: number): InspectorGroup => ({
  recordId: `q${step}`, imageRef: `img/${step}.png`, anatomy: 'Liver', question: 'Which organ?', options: ['Liver', 'Gut'], goldIndex: 0,
  similarity: 0.3, zeroStd: step % 2 === 0, rewardMean: 0.5, rewardStd: 0.5,
  variants: [{ index: 0, question: 'Which organ?', options: ['Liver', 'Gut'], goldIndex: 0, operators: ['original'], imageTransforms: [] }],
  augmentReason: 'off',
  completions: [{ text: '<think>x</think> <answer>A</answer>', variant: 0, rewards: { format: 1, accuracy: 1, length: 0 }, total: 2, advantage: 0.7, length: 9, clipped: false }],
});

/**
 * A trainer in memory that outlives the stores (as IndexedDB outlives a page): a run's steps are `reward = step`,
 * it checkpoints every `every` steps, and `kill()` drops the in-flight request as a closed page does.
 */
class FakeTrainer {
  stored = new Map<string, { config: TrainRunConfig; step: number; state: CheckpointSummary['state']; rows: Record<string, number>[] }>();
  active: { runId: string; id: number; port: Port; pause: boolean; stop: boolean; step: number } | null = null;
  every = 2;
  failAt: number | null = null;
  /** Steps at which the device is lost (each once): the request fails as a destroyed device's readback does. */
  loseAt: number[] = [];
  stepMs = 2;

  summary(runId: string): CheckpointSummary {
    const s = this.stored.get(runId)!;
    return {
      runId, name: s.config.name, state: s.state, step: s.step, total: s.config.grpo.steps, sftStep: 0, sftTotal: 0, datasetId: s.config.datasetId,
      preset: s.config.preset, savedAt: '2026-11-25T10:00:00.000Z', lastCheckpointStep: s.step, message: '', bytes: 100, config: s.config,
    };
  }

  kill() {
    if (this.active) this.active.port.dead = true;
    this.active = null;
  }

  async run(port: Port, id: number, runId: string, config: TrainRunConfig, from: number) {
    const a = { runId, id, port, pause: false, stop: false, step: from };
    this.active = a;
    const session = Date.now();
    let rows = this.stored.get(runId)?.rows.slice(0, from) ?? [];
    for (let step = from; step < config.grpo.steps; step++) {
      await new Promise((r) => setTimeout(r, this.stepMs));
      if (port.dead) return;
      if (this.loseAt.includes(step)) {
        this.loseAt = this.loseAt.filter((x) => x !== step);
        this.active = null;
        return port.fail(id, 'OperationError', "Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.");
      }
      if (this.failAt === step) {
        return port.reply(id, { runId, state: 'failed', step, sftStep: 0, total: config.grpo.steps, message: `The loss was NaN at step ${step}`, lastCheckpointStep: this.stored.get(runId)?.step ?? -1, evalBefore: null, evalAfter: null } satisfies TrainOutcome);
      }
      const row = { step, reward: step, kl: 0.01 * step };
      rows = [...rows, row];
      a.step = step + 1;
      const checkpointed = (step + 1) % this.every === 0 || a.pause || a.stop;
      if (checkpointed) this.stored.set(runId, { config, step: step + 1, state: 'running', rows });
      port.progress(id, {
        kind: 'step', runId, step, total: config.grpo.steps, metrics: {} as never, row, checkpointed,
        eta: { elapsedMs: Date.now() - session + 1, stepsThisSession: step + 1 - from, stepsLeft: config.grpo.steps - step - 1 },
        inspector: [group(step)],
      });
      if (a.pause || a.stop) {
        const state = a.pause ? 'paused' : 'stopped';
        this.stored.get(runId)!.state = state;
        this.active = null;
        return port.reply(id, { runId, state, step: step + 1, sftStep: 0, total: config.grpo.steps, message: state, lastCheckpointStep: step + 1, evalBefore: null, evalAfter: null } satisfies TrainOutcome);
      }
    }
    this.stored.set(runId, { config, step: config.grpo.steps, state: 'finished', rows });
    this.active = null;
    port.progress(id, { kind: 'eval', runId, when: 'after', accuracy: 0.75, questions: 4, extracted: 4 });
    port.reply(id, { runId, state: 'finished', step: config.grpo.steps, sftStep: 0, total: config.grpo.steps, message: 'done', lastCheckpointStep: config.grpo.steps, evalBefore: { accuracy: 0.5, questions: 4, extracted: 4 }, evalAfter: { accuracy: 0.75, questions: 4, extracted: 4 } } satisfies TrainOutcome);
  }

  handle(port: Port, msg: ToWorker) {
    if (msg.kind === 'cancel') return;
    const { id } = msg;
    switch (msg.type) {
      case 'train/start':
        void this.run(port, id, msg.params.runId!, msg.params.config, 0);
        return;
      case 'train/resume': {
        const s = this.stored.get(msg.params.runId);
        if (!s) return port.fail(id, 'Error', 'no checkpoint');
        void this.run(port, id, msg.params.runId, s.config, s.step);
        return;
      }
      case 'train/pause':
        if (this.active) this.active.pause = true;
        return port.reply(id, { active: null });
      case 'train/stop':
        if (this.active) this.active.stop = true;
        return port.reply(id, { active: null });
      case 'train/status': {
        const rows = msg.params.runId && msg.params.history ? this.stored.get(msg.params.runId)?.rows : undefined;
        return port.reply(id, { active: null, ...(rows ? { history: rows } : {}) });
      }
      case 'train/checkpoints':
        return port.reply(id, [...this.stored.keys()].map((k) => this.summary(k)));
      case 'data/thumbnails':
        return port.reply(id, msg.params.refs.map((ref) => ({ ref, png: new Uint8Array([137, 80]), width: 1, height: 1 })));
      default:
        return port.fail(id, 'Error', `Unknown request type '${msg.type}'`);
    }
  }
}

class Port implements MessagePort {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  dead = false;
  constructor(private readonly trainer: FakeTrainer) {}
  postMessage(msg: ToWorker) {
    queueMicrotask(() => this.trainer.handle(this, structuredClone(msg)));
  }
  send(msg: FromWorker) {
    if (!this.dead) queueMicrotask(() => this.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  }
  reply(id: number, result: unknown) {
    this.send({ kind: 'result', id, result });
  }
  progress(id: number, progress: unknown) {
    this.send({ kind: 'progress', id, progress });
  }
  fail(id: number, name: string, message: string) {
    this.send({ kind: 'error', id, error: { name, message } });
  }
}

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

function setup(trainer: FakeTrainer, storage = memoryStorage(), saved: RunRecord[] = []) {
  const client = new EngineClient(new Port(trainer));
  const deps: Partial<TrainingDeps> = {
    client: () => client,
    storage: () => storage,
    saveRun: async (run) => void saved.push(run),
    datasets: () => ({ list: [DATASET], browsed: null }),
    curriculum: defaultCurriculumConfig,
    augment: defaultAugmentConfig,
    adapter: () => null,
  };
  const store = createTrainingStore(deps);
  store.getState().setForm({ preset: 'micro', init: 'scratch' });
  store.getState().setGrpo({ steps: 10, groupSize: 2, batchSize: 1 });
  return { store, storage, saved };
}

const until = async (cond: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 1));
  }
};

describe('training store', () => {
  it('starts a run, streams steps into the curves and inspector, and saves a valid RunRecord at the end', async () => {
    const trainer = new FakeTrainer();
    const { store, saved, storage } = setup(trainer);
    const running = store.getState().start();
    expect(store.getState().status).toBe('running');
    expect(storage.m.has(TRAIN_ACTIVE_STORAGE_KEY)).toBe(true);
    await running;
    const s = store.getState();
    expect(s.status).toBe('finished');
    expect(s.history.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.history.points[3].values).toEqual({ reward: 3, kl: 0.03 });
    expect(s.grpo).toMatchObject({ done: 10, total: 10 });
    expect(s.inspectorStep).toBe(10);
    expect(s.inspector[0].recordId).toBe('q9');
    expect(s.evalAfter?.accuracy).toBe(0.75);
    expect(storage.m.has(TRAIN_ACTIVE_STORAGE_KEY)).toBe(false);
    // The run sent to the Runs panel passes the same checks as an imported one.
    expect(saved).toHaveLength(1);
    const run = restoreRunRecord(JSON.parse(JSON.stringify(saved[0])));
    expect(run.kind).toBe('train');
    expect(run.config.grpo).toMatchObject({ groupSize: 2, epsLow: 0.2, beta: 0.04 });
    expect(run.config.model).toMatchObject({ preset: 'micro', init: 'scratch' });
    expect(run.dataset).toEqual({ name: 'AnatomySynth', fingerprint: 'sha256:abc', counts: { train: 8, test: 2 } });
    expect(run.evals.map((e) => [e.name, e.report.overall.metrics.greedy.value])).toEqual([['before', 0.5], ['after', 0.75]]);
    expect(s.savedRunId).toBe(run.id);
  });

  it('pauses after the step in flight and resumes from the checkpoint with the step count going on', async () => {
    const trainer = new FakeTrainer();
    trainer.stepMs = 5;
    const { store } = setup(trainer);
    const running = store.getState().start();
    await until(() => store.getState().grpo.done >= 3);
    await store.getState().pause();
    await running;
    const paused = store.getState();
    expect(paused.status).toBe('paused');
    const at = paused.grpo.done;
    expect(at).toBeGreaterThanOrEqual(3);
    expect(paused.checkpointStep).toBe(at);
    await store.getState().resume();
    const s = store.getState();
    expect(s.status).toBe('finished');
    // One point per step, no repeats and no gap across the pause.
    expect(s.history.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('after a reload resumes by itself from the last checkpoint, showing the curves from before', async () => {
    const trainer = new FakeTrainer();
    trainer.every = 3;
    trainer.stepMs = 5;
    const storage = memoryStorage();
    const first = setup(trainer, storage);
    void first.store.getState().start();
    await until(() => first.store.getState().grpo.done >= 5);
    trainer.kill(); // the page goes away mid-run: the worker dies, storage and the checkpoint stay
    const saved: RunRecord[] = [];
    const second = setup(trainer, storage, saved);
    await second.store.getState().init();
    const s = second.store.getState();
    expect(s.status).toBe('running');
    expect(s.runId).toBe(first.store.getState().runId);
    expect(s.notice).toMatch(/reloaded.*checkpoint at step 3/);
    // Not from 0: the counter starts at the checkpoint.
    expect(s.grpo.done).toBe(3);
    await until(() => second.store.getState().status === 'finished');
    expect(second.store.getState().history.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(saved).toHaveLength(1);
  });

  it('offers a paused run after a reload without starting it', async () => {
    const trainer = new FakeTrainer();
    trainer.stepMs = 5;
    const storage = memoryStorage();
    const first = setup(trainer, storage);
    const running = first.store.getState().start();
    await until(() => first.store.getState().grpo.done >= 2);
    await first.store.getState().pause();
    await running;
    const second = setup(trainer, storage);
    await second.store.getState().init();
    expect(second.store.getState().status).toBe('idle');
    expect(second.store.getState().checkpoints.map((c) => c.state)).toEqual(['paused']);
  });

  it('says in words why a run failed, and why it cannot start', async () => {
    const trainer = new FakeTrainer();
    trainer.failAt = 4;
    const { store, saved } = setup(trainer);
    await store.getState().start();
    expect(store.getState().status).toBe('failed');
    expect(store.getState().error).toBe('The loss was NaN at step 4');
    expect(saved[0].notes).toMatch(/failed at step 4 of 10/);

    const empty = createTrainingStore({ client: () => new EngineClient(new Port(trainer)), storage: () => memoryStorage(), datasets: () => ({ list: [], browsed: null }) });
    await empty.getState().start();
    expect(empty.getState().error).toMatch(/No dataset is stored/);
    expect(empty.getState().status).toBe('idle');

    expect(formProblem({ ...defaultTrainForm(), grpo: { ...defaultTrainForm().grpo, groupSize: 1 } })).toMatch(/groupSize: must be >= 2/);
    expect(formProblem({ ...defaultTrainForm(), grpo: { ...defaultTrainForm().grpo, epsLow: 3 } })).toMatch(/epsLow/);
    expect(formProblem(defaultTrainForm())).toBeNull();
    expect(describeTrainError(Object.assign(new Error("Unknown request type 'train/start'"), { name: 'Error' }))).toMatch(/trainer is not part of this build/);
    expect(describeTrainError(Object.assign(new Error('device gone'), { name: 'DeviceLostError' }))).toMatch(/Resume/);
    expect(describeTrainError(Object.assign(new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved."), { name: 'OperationError' }))).toMatch(/GPU device was lost.*Resume/);
    expect(describeTrainError(new Error('Dataset x is not stored'))).toBe('Dataset x is not stored');
  });

  it('keeps curves bounded and replaces repeated steps; the ETA uses this session only', () => {
    let h = { points: [], loggedPoints: 0, method: 'none' as const } as Parameters<typeof addPoint>[0];
    for (let i = 1; i <= 5; i++) h = addPoint(h, { step: i, values: { reward: i } });
    h = addPoint(h, { step: 4, values: { reward: 40 } });
    expect(h.points.map((p) => [p.step, p.values.reward])).toEqual([[1, 1], [2, 2], [3, 3], [4, 40]]);
    for (let i = 5; i <= 9000; i++) h = addPoint(h, { step: i, values: { reward: i } });
    expect(h.points.length).toBeLessThanOrEqual(4000);
    expect(h.points[h.points.length - 1].step).toBe(9000);
    expect(etaSeconds({ elapsedMs: 10_000, stepsThisSession: 5, stepsLeft: 20 })).toBe(40);
    expect(etaSeconds({ elapsedMs: 0, stepsThisSession: 0, stepsLeft: 20 })).toBeNull();
  });

  it('fills the form from a run record to reproduce it, refusing a config that does not restore', async () => {
    const trainer = new FakeTrainer();
    const { store, saved } = setup(trainer);
    await store.getState().start();
    const fresh = setup(new FakeTrainer()).store;
    fresh.getState().resetForm();
    expect(fresh.getState().loadRunConfig(saved[0])).toBeNull();
    expect(fresh.getState().form).toMatchObject({ preset: 'micro', init: 'scratch', curriculumOn: false, augmentOn: false });
    expect(fresh.getState().form.grpo).toMatchObject({ steps: 10, groupSize: 2, batchSize: 1, seed: 0 });
    const bad = { ...saved[0], config: { ...saved[0].config, grpo: { ...saved[0].config.grpo, epsLow: 'wide' } } };
    expect(fresh.getState().loadRunConfig(bad)).toMatch(/epsLow/);
  });

  it('goes on from the checkpoint when a lost device reaches the page, a bounded number of times', async () => {
    const trainer = new FakeTrainer();
    trainer.loseAt = [5];
    const { store, saved } = setup(trainer);
    await store.getState().start();
    await until(() => store.getState().status === 'finished');
    expect(store.getState().notice).toMatch(/device was lost.*checkpoint at step 4/);
    expect(store.getState().history.points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(saved).toHaveLength(1);

    const again = new FakeTrainer();
    again.loseAt = [3, 4, 5, 6, 7];
    const second = setup(again).store;
    await second.getState().start();
    await until(() => second.getState().status === 'failed');
    expect(second.getState().error).toMatch(/GPU device was lost.*Resume/);
  });
});
