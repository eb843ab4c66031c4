// The Evaluate panel's state: which model and dataset, the metrics, the running job's progress, the result and
// the confusion cell the researcher opened. Actions send 'eval/run' through the engine client; the worker
// stores the eval run, and this store asks the runs store to reload so the Runs panel lists it.
import { create } from 'zustand';
import type { EvalMetric } from '../eval/report.ts';
import type { EvalModelSource, EvalProgress, EvalRunResult, EvalSources } from '../worker/eval-protocol.ts';
import type { CheckpointSummary } from '../worker/train-protocol.ts';
import type { EngineClient } from '../worker/client.ts';
import { useDatasetsStore } from './datasets.ts';
import { engine } from './engine.ts';
import { useRunsStore } from './runs.ts';

export type SourceKind = EvalModelSource['kind'];

/** A dropped file held on the main thread until a run sends it. */
export interface HeldFile {
  name: string;
  bytes: Uint8Array;
}

export interface EvalSetup {
  source: SourceKind;
  /** Run whose checkpoint is evaluated (source 'checkpoint'). */
  checkpointRunId: string;
  /** Dropped .safetensors (source 'file'). */
  file: HeldFile | null;
  /** Dropped .onnx and, when its metadata lacks one, its tokenizer JSON (source 'onnx'). */
  onnx: HeldFile | null;
  tokenizer: { name: string; text: string } | null;
  executionProvider: 'webgpu' | 'wasm';
  datasetId: string;
  /** '' = every record. */
  split: string;
  /** 0 = all questions. */
  maxQuestions: number;
  seed: number;
  metrics: Record<EvalMetric, boolean>;
  k: number;
}

export interface EvalJob {
  progress: EvalProgress;
  startedAt: number;
  /** Start of the current phase (ETA is per phase: phases have different units). */
  phaseStartedAt: number;
}

export interface EvaluationState {
  setup: EvalSetup;
  pretrained: EvalSources['pretrained'] | null;
  checkpoints: CheckpointSummary[];
  job: EvalJob | null;
  error: string | null;
  result: EvalRunResult | null;
  /** What the result shows as the model's name: the training run and step for a run's checkpoint; null = the report's own label. */
  resultName: string | null;
  /** Object URLs of thumbnails by image reference, for the open cell and the unextractable examples. */
  thumbs: Record<string, string>;
  /** The confusion cell whose images are open: row and column index. */
  cell: { row: number; column: number } | null;

  init(): Promise<void>;
  update(patch: Partial<EvalSetup>): void;
  toggleMetric(metric: EvalMetric, on: boolean): void;
  run(): Promise<void>;
  cancel(): void;
  openCell(row: number, column: number): Promise<void>;
  closeCell(): void;
  /** Fetch thumbnails for these records' images (no-op for those already held). */
  loadThumbs(refs: readonly string[]): Promise<void>;
}

export const DEFAULT_EVAL_SETUP: EvalSetup = {
  source: 'pretrained',
  checkpointRunId: '',
  file: null,
  onnx: null,
  tokenizer: null,
  executionProvider: 'webgpu',
  datasetId: '',
  split: 'test',
  maxQuestions: 32,
  seed: 0,
  metrics: { greedy: true, avgk: false, circular: false, likelihood: false, blind: false, 'question-only': false },
  k: 5,
};

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The request's model source from the setup; a message when something is missing. */
export function sourceOf(setup: EvalSetup): EvalModelSource | string {
  switch (setup.source) {
    case 'pretrained':
      return { kind: 'pretrained' };
    case 'checkpoint':
      return setup.checkpointRunId ? { kind: 'checkpoint', runId: setup.checkpointRunId } : 'Choose a training run whose checkpoint to evaluate.';
    case 'file':
      return setup.file ? { kind: 'file', name: setup.file.name, bytes: setup.file.bytes } : 'Drop or choose a .safetensors checkpoint.';
    case 'onnx':
      if (!setup.onnx) return 'Drop or choose an .onnx model.';
      // The lab's export carries its tokenizer; a JSON file dropped beside it wins.
      return { kind: 'onnx', name: setup.onnx.name, bytes: setup.onnx.bytes, tokenizerJson: setup.tokenizer?.text ?? '', executionProvider: setup.executionProvider };
  }
}

/** The dataset and split as a run name ends: 'AnatomySynth test'. */
function evalDatasetName(setup: EvalSetup): string {
  const name = useDatasetsStore.getState().datasets.find((d) => d.id === setup.datasetId)?.name;
  return `${name ?? setup.datasetId} ${setup.split || 'all'}`;
}

export function createEvaluationStore(client: () => EngineClient = engine) {
  let controller: AbortController | null = null;
  return create<EvaluationState>()((set, get) => ({
    setup: DEFAULT_EVAL_SETUP,
    pretrained: null,
    checkpoints: [],
    job: null,
    error: null,
    result: null,
    resultName: null,
    thumbs: {},
    cell: null,

    init: async () => {
      const [sources, checkpoints] = await Promise.allSettled([client().request('eval/sources', {}), client().request('train/checkpoints', {})]);
      set({
        pretrained: sources.status === 'fulfilled' ? sources.value.pretrained : { available: false, bytes: 0, message: messageOf(sources.reason) },
        checkpoints: checkpoints.status === 'fulfilled' ? checkpoints.value : [],
      });
      const { setup, pretrained } = get();
      // Without the pretrained default, a dropped checkpoint is the next thing a researcher has.
      if (setup.source === 'pretrained' && pretrained && !pretrained.available) {
        get().update({ source: get().checkpoints.length ? 'checkpoint' : 'file' });
      } else if (setup.source === 'checkpoint') {
        // A run trained (or deleted) since the panel was last open: the choice is checked against the new list.
        get().update({});
      }
    },

    update: (patch) =>
      set((s) => {
        const setup = { ...s.setup, ...patch };
        // Choosing "a run's checkpoint" picks the newest run's when none is chosen yet (the list is newest first).
        if (setup.source === 'checkpoint' && !s.checkpoints.some((c) => c.runId === setup.checkpointRunId)) setup.checkpointRunId = s.checkpoints[0]?.runId ?? '';
        return { setup };
      }),

    toggleMetric: (metric, on) => set((s) => ({ setup: { ...s.setup, metrics: { ...s.setup.metrics, [metric]: on } } })),

    run: async () => {
      if (get().job) return;
      const { setup } = get();
      const source = sourceOf(setup);
      if (typeof source === 'string') {
        set({ error: source });
        return;
      }
      // The panel greys out question-only for a dataset with no train split; a tick left from another dataset is dropped.
      const hasTrain = Boolean(useDatasetsStore.getState().datasets.find((d) => d.id === setup.datasetId)?.bySplit.train);
      const metrics = (Object.keys(setup.metrics) as EvalMetric[]).filter((m) => setup.metrics[m] && (m !== 'question-only' || hasTrain));
      if (metrics.length === 0) return set({ error: 'Choose at least one metric.' });
      if (!setup.datasetId) return set({ error: 'Choose a dataset (the Data panel imports one; AnatomySynth is built in).' });
      controller = new AbortController();
      const t = Date.now();
      // A run's checkpoint is named by the run, not its id, so the Runs panel reads "GRPO micro … step 3 on …".
      const ckpt = source.kind === 'checkpoint' ? get().checkpoints.find((c) => c.runId === source.runId) : undefined;
      const name = ckpt ? `${ckpt.name} · checkpoint at step ${ckpt.lastCheckpointStep} on ${evalDatasetName(setup)}` : undefined;
      set({ job: { progress: { phase: 'starting', done: 0, total: 1, unit: 'steps' }, startedAt: t, phaseStartedAt: t }, error: null, cell: null });
      try {
        const result = await client().request(
          'eval/run',
          { datasetId: setup.datasetId, split: setup.split, maxQuestions: setup.maxQuestions, seed: setup.seed, source, metrics, k: setup.k, ...(name ? { name } : {}) },
          {
            signal: controller.signal,
            onProgress: (progress) =>
              set((s) => (s.job ? { job: { ...s.job, progress, phaseStartedAt: progress.phase === s.job.progress.phase ? s.job.phaseStartedAt : Date.now() } } : {})),
          },
        );
        for (const url of Object.values(get().thumbs)) URL.revokeObjectURL(url);
        set({ result, resultName: ckpt ? `${ckpt.name} · checkpoint at step ${ckpt.lastCheckpointStep}` : null, thumbs: {} });
        void useRunsStore.getState().load();
        const unextracted = result.report.unextractable.ids.slice(0, 4);
        const byId = new Map(result.records.map((r) => [r.id, r]));
        await get().loadThumbs(unextracted.map((id) => byId.get(id)?.image ?? ''));
      } catch (err) {
        set({ error: err instanceof Error && err.name === 'CancelledError' ? 'Evaluation cancelled; nothing was stored.' : messageOf(err) });
      } finally {
        controller = null;
        set({ job: null });
      }
    },

    cancel: () => controller?.abort(),

    openCell: async (row, column) => {
      set({ cell: { row, column } });
      const { result } = get();
      const ids = result?.report.confusion?.ids[row]?.[column] ?? [];
      const byId = new Map(result?.records.map((r) => [r.id, r]));
      await get().loadThumbs(ids.map((id) => byId.get(id)?.image ?? ''));
    },

    closeCell: () => set({ cell: null }),

    loadThumbs: async (refs) => {
      const { result, thumbs } = get();
      const wanted = [...new Set(refs.filter((r) => r && !(r in thumbs)))];
      if (!result || wanted.length === 0) return;
      try {
        const shots = await client().request('data/thumbnails', { datasetId: result.dataset.id, refs: wanted });
        const add: Record<string, string> = {};
        for (const t of shots) if (t.png) add[t.ref] = URL.createObjectURL(new Blob([t.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        set((s) => ({ thumbs: { ...s.thumbs, ...add } }));
      } catch {
        // Thumbnails are a convenience: the question and answer still show without them.
      }
    },
  }));
}

export const useEvaluationStore = createEvaluationStore();
