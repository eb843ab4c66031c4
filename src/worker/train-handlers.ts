// The worker's training requests (issue #6): one run at a time, driven by rl/trainer/run-loop.ts over the
// stored dataset, on WebGPU when there is a device (else the CpuBackend), with checkpoints in IndexedDB. A lost
// device mid-run resumes from the last checkpoint on the re-acquired device; a reloaded page resumes with
// 'train/resume'. Wire shapes in train-protocol.ts.

import { DatasetStore } from '../data/storage/dataset-store.ts';
import type { StoredImage } from '../data/storage/dataset-store.ts';
import type { PresetName } from '../model/config.ts';
import { DeviceLostError, WebGpuUnavailableError } from '../gpu/errors.ts';
import { restoreTokenizer } from '../model/tokenizer.ts';
import { flattenStepMetrics } from '../rl/metrics.ts';
import { CheckpointStore } from '../rl/trainer/checkpoint-store.ts';
import { checkpointInit, pretrainedPath, scratchInit } from '../rl/trainer/init.ts';
import { restoreTrainRunConfig, type TrainRunConfig } from '../rl/trainer/run-config.ts';
import { TrainingRun, type RunStart } from '../rl/trainer/run-loop.ts';
import type { TrainerData, TrainerFaults, TrainerInit } from '../rl/trainer/trainer.ts';
import type { EmbeddingTable } from '../curriculum/embedding-table.ts';
import type { VqaRecord } from '../data/record.ts';
import type { Backend } from '../tensor/backend.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import type { HandlerContext, HandlerTable, JobContext } from './handler-types.ts';
import type { TrainOutcome, TrainProgress, TrainStatus } from './train-protocol.ts';

type TrainRequest = 'train/start' | 'train/pause' | 'train/resume' | 'train/stop' | 'train/status' | 'train/checkpoints' | 'train/delete-checkpoint';

export interface TrainHandlerOptions {
  /** Opens the dataset database; default DatasetStore.open(). */
  openDatasets?: () => Promise<DatasetStore>;
  /** Opens the checkpoint database; default CheckpointStore.open(). */
  openCheckpoints?: () => Promise<CheckpointStore>;
  /** Bytes of the pretrained default for a preset; default fetch of public/models/anatomysynth-<preset>.safetensors. */
  fetchPretrained?: (preset: string) => Promise<Uint8Array>;
  /** Test hooks passed to the trainer. */
  faults?: TrainerFaults;
  /** Device losses recovered per run before giving up; default 3. */
  maxRecoveries?: number;
  /** Answer embeddings of a run's curriculum similarity ('policy' from `init`, 'onnx:<name>' from the model the
   * worker holds; refused in words when it holds none); undefined for the lexicon. Default: none (the trainer
   * then embeds 'policy' itself and refuses 'onnx:'). */
  similarityTable?: (similarity: string, records: readonly VqaRecord[], init: TrainerInit) => Promise<EmbeddingTable | undefined>;
}

async function defaultFetchPretrained(preset: string): Promise<Uint8Array> {
  const path = pretrainedPath(preset as PresetName);
  const base = (import.meta as { env?: { BASE_URL?: string } }).env?.BASE_URL ?? '/';
  const res = await fetch(`${base}${path}`);
  if (!res.ok) throw new Error(`The pretrained ${preset} policy (${path}) could not be loaded: HTTP ${res.status}. Start from scratch instead.`);
  return new Uint8Array(await res.arrayBuffer());
}

function freshRunId(): string {
  const t = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return `run-${t}-${Math.random().toString(36).slice(2, 6)}`;
}

interface Active {
  run: TrainingRun;
  done: Promise<TrainOutcome>;
}

export function trainHandlers(ctx: HandlerContext, options: TrainHandlerOptions = {}): HandlerTable<TrainRequest> {
  let datasets: Promise<DatasetStore> | null = null;
  let checkpoints: Promise<CheckpointStore> | null = null;
  let active: Active | null = null;
  /** Set from a start/resume request's first line until its run ends, so two runs never overlap while loading. */
  let busy: string | null = null;
  const claim = (runId: string) => {
    if (busy || active) throw new Error(`Run '${active?.run.runId ?? busy}' is training; pause or stop it first.`);
    busy = runId;
  };
  const openDatasets = () => (datasets ??= (options.openDatasets ?? (() => DatasetStore.open()))());
  const openCheckpoints = () => (checkpoints ??= (options.openCheckpoints ?? (() => CheckpointStore.open()))());

  /** The dataset with every stored image in memory (a run revisits them all). */
  async function loadData(datasetId: string): Promise<TrainerData> {
    const store = await openDatasets();
    const got = await store.get(datasetId);
    if (!got) throw new Error(`Dataset '${datasetId}' is not stored. Import it or create the demo first.`);
    const images = new Map<string, StoredImage>();
    for (const ref of new Set(got.records.map((r) => r.image).filter(Boolean))) {
      const img = await store.getImage(datasetId, ref);
      if (img) images.set(ref, img);
    }
    return { records: got.records, image: (ref) => images.get(ref) ?? null };
  }

  /** The backend the config asks for; 'auto' falls back to the CPU where WebGPU is unavailable. */
  async function makeBackend(config: TrainRunConfig): Promise<{ backend: Backend; generation: number }> {
    if (config.backend === 'cpu') return { backend: new CpuBackend(), generation: -1 };
    try {
      const { backend } = await ctx.session.webGpuBackend();
      return { backend, generation: ctx.session.snapshot.generation };
    } catch (err) {
      if (config.backend === 'auto' && err instanceof WebGpuUnavailableError) return { backend: new CpuBackend(), generation: -1 };
      throw err;
    }
  }

  async function initFor(config: TrainRunConfig, data: TrainerData): Promise<TrainerInit> {
    const init = config.init;
    if (init.kind === 'scratch') return scratchInit(config.preset, data.records, config.grpo.seed);
    if (init.kind === 'pretrained') {
      const bytes = await (options.fetchPretrained ?? defaultFetchPretrained)(config.preset);
      return checkpointInit(bytes, `pretrained ${config.preset} policy`);
    }
    const saved = await (await openCheckpoints()).load(init.runId);
    if (!saved) throw new Error(`Run '${init.runId}' has no stored checkpoint to start from.`);
    const { snapshot } = saved;
    return { model: snapshot.model, tokenizer: restoreTokenizer(snapshot.tokenizer, `run ${init.runId}: tokenizer`), weights: snapshot.weights };
  }

  /** Runs to an outcome, recovering from device losses by restoring the last checkpoint on a new device. */
  async function execute(runId: string, config: TrainRunConfig, first: RunStart, job: JobContext<TrainProgress>, loaded?: TrainerData): Promise<TrainOutcome> {
    const store = await openCheckpoints();
    const data = loaded ?? (await loadData(config.datasetId));
    let { backend, generation } = await makeBackend(config);
    let run = new TrainingRun(runId, { backend, data, store, progress: job.progress, faults: options.faults });
    let start = first;
    const onAbort = () => active?.run.requestPause();
    job.signal.addEventListener('abort', onAbort);
    let settle!: (o: TrainOutcome) => void, reject!: (e: unknown) => void;
    const done = new Promise<TrainOutcome>((res, rej) => ((settle = res), (reject = rej)));
    done.catch(() => undefined);
    active = { run, done };
    try {
      for (let recoveries = 0; ; recoveries++) {
        try {
          const outcome = await run.run(start);
          settle(outcome);
          return outcome;
        } catch (err) {
          const lost = err instanceof DeviceLostError || (generation >= 0 && (ctx.session.snapshot.generation !== generation || ctx.session.snapshot.status !== 'ready'));
          if (!lost || recoveries >= (options.maxRecoveries ?? 3)) throw err;
          const saved = await store.load(runId);
          if (!saved) throw new Error(`The GPU device was lost before the run's first checkpoint; start it again. (${String(err)})`, { cause: err });
          const requested = run.requested;
          run.dispose();
          ({ backend, generation } = await makeBackend(config));
          run = new TrainingRun(runId, { backend, data, store, progress: job.progress, faults: options.faults });
          if (requested === 'pause') run.requestPause();
          if (requested === 'stop') run.requestStop();
          active = { run, done };
          // The checkpoint store keeps no answer-embedding table: carry the one this run started with.
          const table = first.kind === 'fresh' ? first.init.similarityTable : first.snapshot.similarityTable;
          start = { kind: 'snapshot', snapshot: { ...saved.snapshot, similarityTable: saved.snapshot.similarityTable ?? table } };
          job.progress({ kind: 'recovered', runId, fromStep: saved.snapshot.step, message: `The GPU device was lost; resuming from the checkpoint at GRPO step ${saved.snapshot.step} on ${backend.name === 'webgpu' ? 'a new device' : 'the CPU'}.` });
        }
      }
    } catch (err) {
      reject(err);
      throw err;
    } finally {
      job.signal.removeEventListener('abort', onAbort);
      run.dispose();
      active = null;
    }
  }

  async function status(runId?: string, history?: boolean): Promise<TrainStatus> {
    const out: TrainStatus = { active: active ? active.run.summary() : null };
    if (history && runId) {
      if (active && active.run.runId === runId) {
        const h = active.run.history();
        out.history = h.rows;
        out.sftHistory = h.sft;
      } else {
        const saved = await (await openCheckpoints()).load(runId);
        if (saved) {
          out.history = saved.snapshot.metrics.map(flattenStepMetrics);
          out.sftHistory = saved.snapshot.sftMetrics;
        }
      }
    }
    return out;
  }

  function requireActive(runId: string): Active {
    if (!active || active.run.runId !== runId) throw new Error(`Run '${runId}' is not training now.`);
    return active;
  }

  return {
    'train/start': async (params, job) => {
      const config = restoreTrainRunConfig(params.config, 'train/start: config');
      const runId = params.runId ?? freshRunId();
      claim(runId);
      try {
        const data = await loadData(config.datasetId);
        const init = await initFor(config, data);
        init.similarityTable ??= await options.similarityTable?.(config.curriculum.similarity, data.records, init);
        return await execute(runId, config, { kind: 'fresh', config, init }, job, data);
      } finally {
        busy = null;
      }
    },
    'train/resume': async ({ runId }, job) => {
      claim(runId);
      try {
        const saved = await (await openCheckpoints()).load(runId);
        if (!saved) throw new Error(`Run '${runId}' has no stored checkpoint.`);
        if (saved.summary.state === 'finished') throw new Error(`Run '${runId}' already finished.`);
        // A checkpoint without the run's answer embeddings: recompute them from the run's initial weights.
        const cfg = saved.snapshot.runConfig;
        let snapshot = saved.snapshot, data: TrainerData | undefined;
        if (!snapshot.similarityTable && cfg.curriculum.similarity !== 'lexicon' && options.similarityTable) {
          data = await loadData(cfg.datasetId);
          snapshot = { ...snapshot, similarityTable: await options.similarityTable(cfg.curriculum.similarity, data.records, await initFor(cfg, data)) };
        }
        return await execute(runId, cfg, { kind: 'snapshot', snapshot }, job, data);
      } finally {
        busy = null;
      }
    },
    'train/pause': async ({ runId }) => {
      const a = requireActive(runId);
      a.run.requestPause();
      await a.done.catch(() => undefined);
      return status();
    },
    'train/stop': async ({ runId }) => {
      if (active && active.run.runId === runId) {
        const a = active;
        a.run.requestStop();
        await a.done.catch(() => undefined);
      } else {
        await (await openCheckpoints()).setSummary(runId, { state: 'stopped', message: 'stopped while not training' });
      }
      return status();
    },
    'train/status': async ({ runId, history }) => status(runId, history),
    'train/checkpoints': async () => (await openCheckpoints()).list(),
    'train/delete-checkpoint': async ({ runId }) => {
      if (active && active.run.runId === runId) throw new Error(`Run '${runId}' is training; stop it before deleting its checkpoint.`);
      const store = await openCheckpoints();
      await store.delete(runId);
      return store.list();
    },
  };
}
