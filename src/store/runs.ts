// The Runs panel's state: local runs kept in IndexedDB (RunStore), the runs chosen for comparison, what each
// imported file gave, a shared run opened from a `#run=v1.…` link, and imported `lab ablation` results
// (AblationStore). Components read it through selectors;
// everything that touches storage or decodes untrusted text is an action here, so it can be tested in Node.
import { create } from 'zustand';
import { parseAblationJson } from '../runs/ablation.ts';
import { AblationStore, type InvalidStoredAblation, type StoredAblation } from '../runs/ablation-store.ts';
import { importRunsJson, MAX_IMPORT_CHARS } from '../runs/export.ts';
import type { RunRecord } from '../runs/record.ts';
import { RunStore, type InvalidStoredRun } from '../runs/store.ts';
import { decodeRunUrl } from '../share/codec.ts';
import { ShareDecodeError, type ShareErrorCode } from '../share/errors.ts';
import { useUiStore } from './ui.ts';

/** What one imported file gave: the runs taken in and one message per refusal (file, run and field named). */
export interface ImportReport {
  file: string;
  /** Names of the runs saved from this file. */
  imported: string[];
  /** How many of them replaced a local run with the same id. */
  replaced: number;
  /** A file-level problem (not JSON, wrong format) or one line per refused run. */
  errors: string[];
}

/** The shared run from the URL fragment: none, opened, or refused with the decoder's reason. */
export type SharedRunState =
  | { status: 'none' }
  | { status: 'open'; run: RunRecord; saved: 'no' | 'saved' | 'already-local' }
  | { status: 'error'; code: ShareErrorCode; message: string; field: string };

/** What the last ablation import said: taken in, or refused with the file and field named. */
export interface AblationImportReport {
  file: string;
  ok: boolean;
  message: string;
}

/** Anything with a name and text, like a File: what importFiles reads (Node tests pass plain objects). */
export interface TextFile {
  name: string;
  /** Bytes, when known: a file far over the import limit is refused before it is read. */
  size?: number;
  text(): Promise<string>;
}

export interface RunsState {
  /** 'idle' before the first load; 'error' when IndexedDB could not be opened (storageError says why). */
  status: 'idle' | 'loading' | 'ready' | 'error';
  storageError: string | null;
  /** Valid local runs, newest first. */
  runs: RunRecord[];
  /** Stored records that failed restoreRunRecord: listed by key, never touched. */
  invalid: InvalidStoredRun[];
  /** Ids of the local runs being compared, in the order they were picked. */
  selected: string[];
  /** One report per imported file, latest import first. */
  imports: ImportReport[];
  /** An action's failure that is not an import report (a delete or save that IndexedDB refused). */
  actionError: string | null;
  shared: SharedRunState;
  /** Ids of local runs overlaid on the shared run. */
  sharedCompare: string[];
  /** Fingerprints of the datasets loaded in this browser; the datasets store fills it (issue #2). */
  localDatasetFingerprints: string[];
  /** What the Reproduce button has to say (training is not there yet). */
  reproduceNotice: string | null;
  /** Imported `lab ablation` results, newest import first. */
  ablations: StoredAblation[];
  /** Stored ablations that failed validation: listed by key, never touched. */
  invalidAblations: InvalidStoredAblation[];
  ablationImport: AblationImportReport | null;

  load(): Promise<void>;
  /** Saves a run made in this tab (a finished training or evaluation) and lists it; the trainer and evaluator call this. */
  saveRun(run: RunRecord): Promise<void>;
  importFiles(files: readonly TextFile[]): Promise<void>;
  deleteRun(id: string): Promise<void>;
  toggleSelected(id: string): void;
  setSelected(ids: readonly string[]): void;
  dismissImports(): void;
  openShared(url: string): void;
  closeShared(): void;
  saveShared(): Promise<void>;
  toggleSharedCompare(id: string): void;
  setLocalDatasetFingerprints(fingerprints: readonly string[]): void;
  reproduce(run: RunRecord): void;
  /** Validates a `lab ablation` JSON file and keeps it in IndexedDB. */
  importAblation(file: TextFile): Promise<void>;
  deleteAblation(id: string): Promise<void>;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Said by the Reproduce button when no trainer is wired in (Node tests); nothing is started, no run is made up. */
export const TRAINING_NOT_READY =
  'No trainer is connected to this page, so nothing has been started.';

/** What Reproduce does: load the run's config and seed into the trainer and say what happened. */
export type ReproduceHandler = (run: RunRecord) => string;

let reproduceHandler: ReproduceHandler = () => TRAINING_NOT_READY;

/** The shell wires the training store in here (stores do not import each other in a cycle). */
export function setReproduceHandler(handler: ReproduceHandler): void {
  reproduceHandler = handler;
}

export function startTrainingFromRun(run: RunRecord): string {
  return reproduceHandler(run);
}

/** A runs store over the given storage; the app uses the default database, tests their own. */
export function createRunsStore(openStore: () => Promise<RunStore> = () => RunStore.open(), openAblations: () => Promise<AblationStore> = () => AblationStore.open()) {
  let ablationStorage: Promise<AblationStore> | null = null;
  const ablationDb = (): Promise<AblationStore> => {
    ablationStorage ??= openAblations().catch((err: unknown) => {
      ablationStorage = null;
      throw err;
    });
    return ablationStorage;
  };
  let storage: Promise<RunStore> | null = null;
  const db = (): Promise<RunStore> => {
    storage ??= openStore().catch((err: unknown) => {
      storage = null; // a later action may try again (e.g. after the user frees space)
      throw err;
    });
    return storage;
  };

  return create<RunsState>()((set, get) => {
    /** Reads the list again; the selection keeps only ids that still exist. */
    const refresh = async (): Promise<void> => {
      const { runs, invalid } = await (await db()).list();
      const ids = new Set(runs.map((r) => r.id));
      set((s) => {
        const shared = s.shared.status === 'open' && s.shared.saved === 'no' && ids.has(s.shared.run.id) ? { ...s.shared, saved: 'already-local' as const } : s.shared;
        return {
          status: 'ready',
          storageError: null,
          runs,
          invalid,
          selected: s.selected.filter((id) => ids.has(id)),
          sharedCompare: s.sharedCompare.filter((id) => ids.has(id)),
          shared,
        };
      });
    };

    const refreshAblations = async (): Promise<void> => {
      try {
        const { ablations, invalid } = await (await ablationDb()).list();
        set({ ablations, invalidAblations: invalid });
      } catch (err) {
        set({ actionError: `Imported ablations in this browser (IndexedDB) could not be read: ${messageOf(err)}` });
      }
    };

    return {
      status: 'idle',
      storageError: null,
      runs: [],
      invalid: [],
      selected: [],
      imports: [],
      actionError: null,
      shared: { status: 'none' },
      sharedCompare: [],
      localDatasetFingerprints: [],
      reproduceNotice: null,
      ablations: [],
      invalidAblations: [],
      ablationImport: null,

      load: async () => {
        if (get().status === 'idle') set({ status: 'loading' });
        try {
          await refresh();
        } catch (err) {
          set({ status: 'error', storageError: `The run history in this browser (IndexedDB) could not be read: ${messageOf(err)}` });
        }
        await refreshAblations();
      },

      saveRun: async (run) => {
        try {
          await (await db()).put(run);
          set({ actionError: null });
        } catch (err) {
          set({ actionError: `Run '${run.id}' could not be saved in this browser: ${messageOf(err)}` });
        }
        await get().load();
      },

      importFiles: async (files) => {
        const reports: ImportReport[] = [];
        let store: RunStore;
        try {
          store = await db();
        } catch (err) {
          set({ actionError: `Runs cannot be imported: this browser's storage (IndexedDB) is not available (${messageOf(err)}).` });
          return;
        }
        const known = new Set(get().runs.map((r) => r.id));
        for (const file of files) {
          const report: ImportReport = { file: file.name, imported: [], replaced: 0, errors: [] };
          reports.push(report);
          // UTF-8 takes at least one byte per character, so this bound never refuses a file the parser would take.
          if (file.size !== undefined && file.size > 4 * MAX_IMPORT_CHARS) {
            report.errors.push(`${file.name}: file is ${Math.round(file.size / 1e6)} MB; run files over ${Math.round((4 * MAX_IMPORT_CHARS) / 1e6)} MB are not read`);
            continue;
          }
          let result: ReturnType<typeof importRunsJson>;
          try {
            result = importRunsJson(await file.text(), file.name);
          } catch (err) {
            report.errors.push(messageOf(err));
            continue;
          }
          report.errors.push(...result.errors);
          if (result.runs.length === 0 && result.errors.length === 0) report.errors.push(`${file.name}: holds no runs`);
          for (const run of result.runs) {
            try {
              await store.put(run);
              report.imported.push(run.name);
              if (known.has(run.id)) report.replaced++;
              known.add(run.id);
            } catch (err) {
              report.errors.push(`${file.name}: run '${run.id}' could not be saved: ${messageOf(err)}`);
            }
          }
        }
        set((s) => ({ imports: [...reports, ...s.imports].slice(0, 20), actionError: null }));
        await get().load();
      },

      deleteRun: async (id) => {
        try {
          await (await db()).delete(id);
          set({ actionError: null });
        } catch (err) {
          set({ actionError: `Run '${id}' could not be deleted: ${messageOf(err)}` });
        }
        await get().load();
        set((s) => (s.shared.status === 'open' && s.shared.run.id === id && s.shared.saved !== 'no' ? { shared: { ...s.shared, saved: 'no' } } : {}));
      },

      toggleSelected: (id) => set((s) => ({ selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id] })),
      setSelected: (ids) => set((s) => ({ selected: ids.filter((id) => s.runs.some((r) => r.id === id)) })),
      dismissImports: () => set({ imports: [] }),

      openShared: (url) => {
        try {
          const run = decodeRunUrl(url);
          const saved = get().runs.some((r) => r.id === run.id) ? 'already-local' : 'no';
          set({ shared: { status: 'open', run, saved }, sharedCompare: [], reproduceNotice: null });
        } catch (err) {
          const e = err instanceof ShareDecodeError ? err : new ShareDecodeError('invalid', `This shared link could not be read (${messageOf(err)}).`);
          set({ shared: { status: 'error', code: e.code, message: e.message, field: e.field }, sharedCompare: [], reproduceNotice: null });
        }
      },

      closeShared: () => {
        if (typeof location !== 'undefined' && location.hash.startsWith('#run=')) {
          history.replaceState(null, '', location.href.replace(/#.*$/, ''));
        }
        set({ shared: { status: 'none' }, sharedCompare: [], reproduceNotice: null });
      },

      saveShared: async () => {
        const shared = get().shared;
        if (shared.status !== 'open' || shared.saved !== 'no') return;
        try {
          const store = await db();
          // A local run with this id is the fuller copy (a link drops detail): keep it rather than overwrite it.
          if (await store.get(shared.run.id).catch(() => undefined)) {
            set({ shared: { ...shared, saved: 'already-local' } });
          } else {
            await store.put(shared.run);
            set({ shared: { ...shared, saved: 'saved' }, actionError: null });
          }
        } catch (err) {
          set({ actionError: `The shared run could not be saved in this browser: ${messageOf(err)}` });
        }
        await get().load();
      },

      toggleSharedCompare: (id) =>
        set((s) => ({ sharedCompare: s.sharedCompare.includes(id) ? s.sharedCompare.filter((x) => x !== id) : [...s.sharedCompare, id] })),
      setLocalDatasetFingerprints: (fingerprints) => set({ localDatasetFingerprints: [...fingerprints] }),
      reproduce: (run) => set({ reproduceNotice: startTrainingFromRun(run) }),

      importAblation: async (file) => {
        if (file.size !== undefined && file.size > 4 * MAX_IMPORT_CHARS) {
          set({ ablationImport: { file: file.name, ok: false, message: `${file.name}: file is ${Math.round(file.size / 1e6)} MB; ablation files over ${Math.round((4 * MAX_IMPORT_CHARS) / 1e6)} MB are not read` } });
          return;
        }
        let result;
        try {
          result = parseAblationJson(await file.text(), file.name);
        } catch (err) {
          set({ ablationImport: { file: file.name, ok: false, message: messageOf(err) } });
          return;
        }
        const importedAt = new Date().toISOString();
        const seeds = new Set(result.runs.map((r) => r.seed)).size;
        try {
          await (await ablationDb()).put({ id: `ablation-${importedAt}-${file.name.slice(0, 120)}`, file: file.name, importedAt, result });
          set({ ablationImport: { file: file.name, ok: true, message: `${file.name}: imported ${result.runs.length} runs (${result.summary.length} methods, ${seeds} ${seeds === 1 ? 'seed' : 'seeds'})` } });
        } catch (err) {
          set({ ablationImport: { file: file.name, ok: false, message: `${file.name}: could not be saved in this browser: ${messageOf(err)}` } });
        }
        await refreshAblations();
      },

      deleteAblation: async (id) => {
        try {
          await (await ablationDb()).delete(id);
        } catch (err) {
          set({ actionError: `The ablation '${id}' could not be deleted: ${messageOf(err)}` });
        }
        await refreshAblations();
      },
    };
  });
}

export const useRunsStore = createRunsStore();

/**
 * Opens the Runs panel on the shared run whenever the URL fragment holds `#run=…`, at start-up and on every
 * hashchange. Returns the cleanup for a React effect.
 */
export function watchSharedRunHash(): () => void {
  const check = (): void => {
    if (!location.hash.startsWith('#run=')) return;
    useUiStore.getState().openPanel('runs');
    useRunsStore.getState().openShared(location.href);
  };
  check();
  window.addEventListener('hashchange', check);
  return () => window.removeEventListener('hashchange', check);
}
