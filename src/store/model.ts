// The Model panel's state: which checkpoint the engine worker holds (the pretrained default, a dropped
// .safetensors, or a preset from scratch), the exports in flight, and the try-it box (a dataset record, the
// decoding settings, the last answer). Every action goes through the worker; components only read and call.
import { create } from 'zustand';
import type { EngineClient } from '../worker/client.ts';
import type { VqaRecord } from '../data/record.ts';
import type { PresetName } from '../model/config.ts';
import type { ModelExportResult, ModelGenerateResult, ModelSource, ModelSummary, TryItSampling } from '../worker/model-protocol.ts';
import { engine } from './engine.ts';

export interface TryItState {
  datasetId: string | null;
  /** The first records of the chosen dataset (the picker's choices). */
  records: VqaRecord[];
  recordId: string | null;
  /** Object URL of the chosen record's stored image (PNG), or null when it has none. */
  thumb: string | null;
  sampling: TryItSampling;
  running: boolean;
  result: ModelGenerateResult | null;
  error: string | null;
}

export interface ModelState {
  /** 'idle' before init, 'loading' while a load runs, 'ready' with or without a model, 'error' after a failed load. */
  status: 'idle' | 'loading' | 'ready' | 'error';
  current: ModelSummary | null;
  /** Null until the worker has answered. */
  pretrainedAvailable: boolean | null;
  pretrainedPath: string;
  /** Why the last load failed, in words (the tensor and shape for a mismatching checkpoint). */
  loadError: string | null;
  exporting: 'onnx' | 'safetensors' | null;
  exportError: string | null;
  /** The last finished download, for the confirmation line. */
  lastExport: { fileName: string; bytes: number } | null;
  tryIt: TryItState;

  init(): Promise<void>;
  load(source: ModelSource): Promise<void>;
  loadFile(file: File): Promise<void>;
  loadScratch(preset: PresetName, datasetId: string): Promise<void>;
  /** Resolves with the file to download (the component saves it), or null when the export failed. */
  exportAs(format: 'onnx' | 'safetensors'): Promise<ModelExportResult | null>;
  pickDataset(datasetId: string): Promise<void>;
  pickRecord(recordId: string): void;
  setSampling(patch: Partial<TryItSampling>): void;
  generate(): Promise<void>;
}

/** Try-it defaults: greedy, as evaluation decodes. */
export const DEFAULT_TRY_IT_SAMPLING: TryItSampling = { greedy: true, temperature: 1, topP: 1, topK: 0, maxNewTokens: 48, seed: 1 };

const RECORD_CHOICES = 200;

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A model store talking to `client` (the app's worker by default; an in-process handler in tests). */
export function createModelStore(client: () => EngineClient = engine) {
  return create<ModelState>()((set, get) => {
    let initStarted = false;
    /** Loads the user asked for; the automatic pretrained load never overrides one of them. */
    let userLoads = 0;
    /** Every load bumps this; only the newest one's result or error is shown. */
    let loadSeq = 0;
    const loadAs = async (source: ModelSource, byUser: boolean): Promise<void> => {
      if (byUser) userLoads++;
      else if (userLoads > 0) return;
      const seq = ++loadSeq;
      set({ status: 'loading', loadError: null });
      try {
        const current = await client().request('model/load', { source });
        if (seq !== loadSeq) return;
        set({ current, status: 'ready', lastExport: null, tryIt: { ...get().tryIt, result: null, error: null } });
      } catch (err) {
        if (seq !== loadSeq) return;
        set({ status: 'error', loadError: messageOf(err) });
      }
    };
    /** Shows the stored image of the chosen record (the one the model will see, at the stored resolution). */
    const showThumb = async (datasetId: string, recordId: string | null) => {
      const old = get().tryIt.thumb;
      if (old) URL.revokeObjectURL(old);
      set({ tryIt: { ...get().tryIt, thumb: null } });
      const ref = get().tryIt.records.find((r) => r.id === recordId)?.image;
      if (!ref) return;
      try {
        const [t] = await client().request('data/thumbnails', { datasetId, refs: [ref] });
        if (!t?.png || get().tryIt.recordId !== recordId) return;
        set({ tryIt: { ...get().tryIt, thumb: URL.createObjectURL(new Blob([t.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })) } });
      } catch {
        // A missing thumbnail is not worth an error line: the question still shows.
      }
    };
    return {
      status: 'idle',
      current: null,
      pretrainedAvailable: null,
      pretrainedPath: '',
      loadError: null,
      exporting: null,
      exportError: null,
      lastExport: null,
      tryIt: { datasetId: null, records: [], recordId: null, thumb: null, sampling: DEFAULT_TRY_IT_SAMPLING, running: false, result: null, error: null },

      init: async () => {
        if (initStarted) return;
        initStarted = true;
        try {
          const c = await client().request('model/current', {});
          set({ pretrainedAvailable: c.pretrainedAvailable, pretrainedPath: c.pretrainedPath });
          // A load the user started while we asked wins: keep its state and skip the automatic default.
          if (userLoads > 0) return;
          set({ current: c.model, status: 'ready' });
          // The pretrained default is what a newcomer should see first.
          if (!c.model && c.pretrainedAvailable) await loadAs({ kind: 'pretrained' }, false);
        } catch (err) {
          set({ status: 'error', loadError: messageOf(err) });
        }
      },

      load: (source) => loadAs(source, true),

      loadFile: async (file) => {
        if (!/\.safetensors$/i.test(file.name)) {
          set({ status: 'error', loadError: `${file.name}: not a .safetensors checkpoint (ONNX models are evaluated in the Evaluate panel).` });
          return;
        }
        const bytes = new Uint8Array(await file.arrayBuffer());
        await get().load({ kind: 'file', name: file.name, bytes });
      },

      loadScratch: (preset, datasetId) => get().load({ kind: 'scratch', preset, datasetId }),

      exportAs: async (format) => {
        set({ exporting: format, exportError: null });
        try {
          const out = await client().request('model/export', { format });
          set({ exporting: null, lastExport: { fileName: out.fileName, bytes: out.bytes.length } });
          return out;
        } catch (err) {
          set({ exporting: null, exportError: messageOf(err) });
          return null;
        }
      },

      pickDataset: async (datasetId) => {
        set({ tryIt: { ...get().tryIt, datasetId, records: [], recordId: null, result: null, error: null } });
        try {
          const page = await client().request('data/records', { datasetId, offset: 0, limit: RECORD_CHOICES, filters: {} });
          if (get().tryIt.datasetId !== datasetId) return;
          set({ tryIt: { ...get().tryIt, records: page.records, recordId: page.records[0]?.id ?? null } });
          await showThumb(datasetId, get().tryIt.recordId);
        } catch (err) {
          set({ tryIt: { ...get().tryIt, error: messageOf(err) } });
        }
      },

      pickRecord: (recordId) => {
        set({ tryIt: { ...get().tryIt, recordId, result: null, error: null } });
        const datasetId = get().tryIt.datasetId;
        if (datasetId) void showThumb(datasetId, recordId);
      },

      setSampling: (patch) => set({ tryIt: { ...get().tryIt, sampling: { ...get().tryIt.sampling, ...patch } } }),

      generate: async () => {
        const t = get().tryIt;
        if (!t.datasetId || !t.recordId) return;
        set({ tryIt: { ...t, running: true, error: null, result: null } });
        try {
          const result = await client().request('model/generate', { datasetId: t.datasetId, recordId: t.recordId, sampling: t.sampling });
          set({ tryIt: { ...get().tryIt, running: false, result } });
        } catch (err) {
          set({ tryIt: { ...get().tryIt, running: false, error: messageOf(err) } });
        }
      },
    };
  });
}

export const useModelStore = createModelStore();
