// The Data panel's state: the stored datasets, a drop waiting for confirmation (its preview and chosen format),
// the running import or demo generation with its progress, the last import report, and the record browser's
// page, filters and thumbnails. Every action goes through the engine worker; components only read and call.
import { create } from 'zustand';
import type { DatasetMeta, FormatId } from '../data/index.ts';
import { droppedFiles, droppedFilesFromList, type DroppedFile } from '../data/intake/browser-files.ts';
import type { StorageEstimateWords } from '../data/storage/dataset-store.ts';
import type { EngineClient } from '../worker/client.ts';
import type { DataImportResult, DataJobProgress, DataListing, DataPreview, RecordFilters, RecordPage } from '../worker/protocol.ts';
import { engine } from './engine.ts';
import { useRunsStore } from './runs.ts';

/** A drop the user has not imported yet. */
export interface PendingDrop {
  files: DroppedFile[];
  /** 'reading' while the worker previews it. */
  status: 'reading' | 'ready' | 'error';
  preview: DataPreview | null;
  /** Why the preview failed, in words. */
  error: string | null;
  /** The format the user picked over the detected one; null keeps the best guess. */
  format: FormatId | null;
  /** Name the dataset will get. */
  name: string;
}

/** A long data job in flight (one at a time). */
export interface DataJob {
  kind: 'import' | 'demo';
  /** What is being done, for the progress bar's label. */
  label: string;
  progress: DataJobProgress;
  startedAt: number;
  /** Time of the last progress message, so the bar's rate and ETA need no timer. */
  updatedAt: number;
}

export interface RecordBrowser {
  datasetId: string | null;
  filters: RecordFilters;
  offset: number;
  pageSize: number;
  page: RecordPage | null;
  loading: boolean;
  error: string | null;
  /** Image reference -> blob URL of its thumbnail, for the page shown; revoked when the page changes. */
  thumbs: Record<string, string>;
}

export interface DatasetsState {
  /** 'idle' before the first listing; 'error' when the dataset database could not be read (listError says why). */
  status: 'idle' | 'loading' | 'ready' | 'error';
  listError: string | null;
  /** Stored datasets, newest first. */
  datasets: DatasetMeta[];
  storage: StorageEstimateWords | null;
  pending: PendingDrop | null;
  job: DataJob | null;
  /** What the last import or demo generation failed with, in words: a full quota, a cancel. */
  jobError: { kind: DataJob['kind'] | 'drop'; message: string } | null;
  /** The last import's report, kept until dismissed or replaced. */
  lastImport: { name: string; result: DataImportResult } | null;
  /** A delete or listing that failed, in words. */
  actionError: string | null;
  browser: RecordBrowser;

  init(): Promise<void>;
  /** Call from the drop handler itself: the DataTransfer is read before the handler returns. */
  dropTransfer(dt: DataTransfer): Promise<void>;
  pickFiles(list: FileList | readonly File[]): Promise<void>;
  chooseFormat(format: FormatId | null): Promise<void>;
  setPendingName(name: string): void;
  discardPending(): void;
  importPending(): Promise<void>;
  cancelJob(): void;
  deleteDataset(id: string): Promise<void>;
  addDemo(): Promise<void>;
  dismissReport(): void;
  browse(datasetId: string): Promise<void>;
  setFilters(patch: RecordFilters): Promise<void>;
  setOffset(offset: number): Promise<void>;
}

/** Set when the user deletes AnatomySynth, so a reload does not bring it back unasked. */
export const DEMO_REMOVED_KEY = 'anatomy-r1-lab.data.demo-removed';
export const PAGE_SIZE = 24;

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));
const isCancel = (err: unknown) => err instanceof Error && err.name === 'CancelledError';

function demoRemoved(): boolean {
  try {
    return globalThis.localStorage?.getItem(DEMO_REMOVED_KEY) === '1';
  } catch {
    return false;
  }
}

function rememberDemoRemoved(removed: boolean): void {
  try {
    if (removed) globalThis.localStorage?.setItem(DEMO_REMOVED_KEY, '1');
    else globalThis.localStorage?.removeItem(DEMO_REMOVED_KEY);
  } catch {
    // Storage may be blocked; the demo then simply comes back on the next start.
  }
}

function revokeAll(thumbs: Record<string, string>): void {
  for (const url of Object.values(thumbs)) URL.revokeObjectURL(url);
}

export function createDatasetsStore(client: () => EngineClient = engine) {
  let controller: AbortController | null = null;
  // Answers to an older preview or page request are dropped when a newer one was sent.
  let previewSeq = 0;
  let pageSeq = 0;
  let initStarted = false;

  return create<DatasetsState>()((set, get) => {
    const applyListing = (listing: DataListing) => {
      set({ datasets: listing.datasets, storage: listing.storage, status: 'ready', listError: null });
      useRunsStore.getState().setLocalDatasetFingerprints?.(listing.datasets.map((d) => d.fingerprint).filter(Boolean));
      const { browser } = get();
      const shown = browser.datasetId && listing.datasets.some((d) => d.id === browser.datasetId);
      if (!shown) {
        if (listing.datasets.length) void get().browse(listing.datasets[0].id);
        else clearBrowser();
      }
    };

    const clearBrowser = () => {
      revokeAll(get().browser.thumbs);
      set((s) => ({ browser: { ...s.browser, datasetId: null, page: null, thumbs: {}, error: null, loading: false, offset: 0 } }));
    };

    const runJob = async <T>(kind: DataJob['kind'], label: string, work: (signal: AbortSignal, onProgress: (p: DataJobProgress) => void) => Promise<T>): Promise<T | null> => {
      if (get().job) return null;
      controller = new AbortController();
      const startedAt = Date.now();
      set({ job: { kind, label, progress: { phase: 'starting', done: 0, total: 1, unit: 'steps' }, startedAt, updatedAt: startedAt }, jobError: null });
      try {
        return await work(controller.signal, (progress) => set((s) => (s.job ? { job: { ...s.job, progress, updatedAt: Date.now() } } : {})));
      } catch (err) {
        set({ jobError: { kind, message: isCancel(err) ? `${label}: cancelled; nothing was stored.` : messageOf(err) } });
        return null;
      } finally {
        controller = null;
        set({ job: null });
      }
    };

    const preview = async (files: DroppedFile[], format: FormatId | null) => {
      const seq = ++previewSeq;
      try {
        const p = await client().request('data/preview', { files, ...(format ? { format } : {}) });
        if (seq !== previewSeq) return;
        set((s) => (s.pending ? { pending: { ...s.pending, status: 'ready', preview: p, name: s.pending.name || p.suggestedName } } : {}));
      } catch (err) {
        if (seq !== previewSeq) return;
        set((s) => (s.pending ? { pending: { ...s.pending, status: 'error', error: messageOf(err) } } : {}));
      }
    };

    const takeFiles = async (files: DroppedFile[]) => {
      if (!files.length) {
        set({ pending: null, jobError: { kind: 'drop', message: 'Nothing to read: the drop held no files.' } });
        return;
      }
      set({ pending: { files, status: 'reading', preview: null, error: null, format: null, name: '' }, jobError: null });
      await preview(files, null);
    };

    const loadPage = async () => {
      const { browser } = get();
      if (!browser.datasetId) return;
      const seq = ++pageSeq;
      set((s) => ({ browser: { ...s.browser, loading: true, error: null } }));
      try {
        const page = await client().request('data/records', { datasetId: browser.datasetId, offset: browser.offset, limit: browser.pageSize, filters: browser.filters });
        if (seq !== pageSeq) return;
        const refs = [...new Set(page.records.map((r) => r.image).filter(Boolean))];
        const shots = refs.length ? await client().request('data/thumbnails', { datasetId: page.datasetId, refs }) : [];
        if (seq !== pageSeq) return;
        const thumbs: Record<string, string> = {};
        for (const t of shots) if (t.png) thumbs[t.ref] = URL.createObjectURL(new Blob([t.png as Uint8Array<ArrayBuffer>], { type: 'image/png' }));
        revokeAll(get().browser.thumbs);
        set((s) => ({ browser: { ...s.browser, page, offset: page.offset, thumbs, loading: false } }));
      } catch (err) {
        if (seq !== pageSeq) return;
        set((s) => ({ browser: { ...s.browser, loading: false, error: messageOf(err) } }));
      }
    };

    return {
      status: 'idle',
      listError: null,
      datasets: [],
      storage: null,
      pending: null,
      job: null,
      jobError: null,
      lastImport: null,
      actionError: null,
      browser: { datasetId: null, filters: {}, offset: 0, pageSize: PAGE_SIZE, page: null, loading: false, error: null, thumbs: {} },

      init: async () => {
        if (initStarted) return;
        initStarted = true;
        set({ status: 'loading' });
        let listing: DataListing;
        try {
          listing = await client().request('data/list', {});
        } catch (err) {
          set({ status: 'error', listError: `The datasets stored in this browser (IndexedDB) could not be read: ${messageOf(err)}` });
          return;
        }
        applyListing(listing);
        if (listing.datasets.length === 0 && !demoRemoved()) await get().addDemo();
      },

      dropTransfer: (dt) => {
        const reading = droppedFiles(dt);
        return reading.then(takeFiles, (err: unknown) => set({ jobError: { kind: 'drop', message: `The dropped files could not be read: ${messageOf(err)}` } }));
      },

      pickFiles: (list) => takeFiles(droppedFilesFromList(list)),

      chooseFormat: async (format) => {
        const pending = get().pending;
        if (!pending) return;
        set({ pending: { ...pending, format, status: 'reading' } });
        await preview(pending.files, format);
      },

      setPendingName: (name) => set((s) => (s.pending ? { pending: { ...s.pending, name } } : {})),

      discardPending: () => {
        previewSeq++;
        set({ pending: null });
      },

      importPending: async () => {
        const pending = get().pending;
        if (!pending || pending.status !== 'ready' || get().job) return;
        const name = pending.name.trim() || pending.preview?.suggestedName || 'dataset';
        const result = await runJob('import', `Importing ${name}`, (signal, onProgress) =>
          client().request('data/import', { files: pending.files, name, ...(pending.format ? { format: pending.format } : {}) }, { signal, onProgress }),
        );
        if (!result) return;
        set({ pending: null, lastImport: { name, result } });
        applyListing(result.listing);
        if (result.meta) await get().browse(result.meta.id);
      },

      cancelJob: () => controller?.abort(),

      deleteDataset: async (id) => {
        const meta = get().datasets.find((d) => d.id === id);
        try {
          const listing = await client().request('data/delete', { id });
          if (meta?.format === 'synth') rememberDemoRemoved(true);
          set({ actionError: null });
          applyListing(listing);
        } catch (err) {
          set({ actionError: `${meta?.name ?? id} could not be deleted: ${messageOf(err)}` });
        }
      },

      addDemo: async () => {
        const result = await runJob('demo', 'AnatomySynth, the built-in benchmark', (signal, onProgress) =>
          client().request('data/ensure-demo', { force: get().datasets.length > 0 }, { signal, onProgress }),
        );
        if (!result) return;
        rememberDemoRemoved(false);
        applyListing(result.listing);
        if (result.meta) await get().browse(result.meta.id);
      },

      dismissReport: () => set({ lastImport: null, jobError: null }),

      browse: async (datasetId) => {
        set((s) => ({ browser: { ...s.browser, datasetId, filters: {}, offset: 0, page: s.browser.datasetId === datasetId ? s.browser.page : null } }));
        await loadPage();
      },

      setFilters: async (patch) => {
        set((s) => ({ browser: { ...s.browser, filters: { ...s.browser.filters, ...patch }, offset: 0 } }));
        await loadPage();
      },

      setOffset: async (offset) => {
        set((s) => ({ browser: { ...s.browser, offset: Math.max(0, offset) } }));
        await loadPage();
      },
    };
  });
}

export const useDatasetsStore = createDatasetsStore();
