// Recipe export and results import (issue #9) for the UI: the worker's 'recipe/export' job with its progress,
// cancel and download (a Blob URL, revoked after), the mapping it reports per run, and metrics logs from
// EasyR1, verl or TRL read into runs that the runs store saves and lists. Components only read and call.
import { create } from 'zustand';
import { importMetricsLog, type LogFormat } from '../recipe/import/import-run.ts';
import type { SourceTrainer } from '../recipe/import/metric-names.ts';
import { MAX_LOG_CHARS } from '../recipe/import/parse-logs.ts';
import { RECIPE_MANIFEST_FORMAT, restoreManifestLink } from '../recipe/manifest.ts';
import type { TargetId } from '../recipe/mapping.ts';
import type { ImageMode } from '../recipe/data-files.ts';
import type { LaunchOptions } from '../recipe/launch.ts';
import type { RunRecord } from '../runs/record.ts';
import type { EngineClient } from '../worker/client.ts';
import type { DataJobProgress, RecipeExportResult } from '../worker/protocol.ts';
import { engine } from './engine.ts';
import { useRunsStore, type TextFile } from './runs.ts';
import { downloadFile } from '../ui/widgets/download.ts';

/** What the user chose for one export. */
export interface RecipeChoice {
  /** EasyR1, verl or TRL. */
  target: TargetId;
  /** Images inside the Parquet file ('embed', typical) or beside it ('path'). */
  images: ImageMode;
  /** Stored dataset whose train split is exported. */
  datasetId: string;
  /** Model, nodes, GPUs per node of the launch command. */
  launch: LaunchOptions;
}

/** The export in flight (one at a time). */
export interface RecipeExportJob {
  runId: string;
  target: TargetId;
  /** For the progress bar: 'verl recipe of <run>'. */
  label: string;
  progress: DataJobProgress;
  startedAt: number;
  updatedAt: number;
}

/** A finished export as the panel shows it: the mapping and what was downloaded (the zip itself is not kept). */
export interface RecipeExportDone {
  runId: string;
  fileName: string;
  /** Size of the downloaded zip in bytes. */
  zipBytes: number;
  result: Omit<RecipeExportResult, 'zip'>;
}

/** What one dropped results file gave. */
export interface ResultsImportReport {
  file: string;
  /** 'manifest' for an export's manifest.json, else the log format read. */
  kind: LogFormat | 'manifest' | null;
  /** Whose metric names were mapped (null for a manifest or a refused file). */
  trainer: SourceTrainer | null;
  /** Runs saved from it: id, name, logged steps, metric names. */
  runs: { id: string; name: string; steps: number; metrics: string[] }[];
  /** For a log read with a manifest: the lab run it was tied back to. */
  linkedTo: string | null;
  /** File-level problems, each naming the file and, where there is one, the line, row or entry. */
  errors: string[];
}

export interface RecipeState {
  job: RecipeExportJob | null;
  /** The last export of each run, by run id. */
  exports: Record<string, RecipeExportDone>;
  /** An export that failed or was cancelled, in words. */
  exportError: { runId: string; message: string } | null;
  /** True while dropped results files are read and saved. */
  importing: boolean;
  /** One report per file, latest drop first. */
  imports: ResultsImportReport[];

  exportRun(run: RunRecord, choice: RecipeChoice): Promise<void>;
  cancelExport(): void;
  /** Reads metrics logs (and at most one manifest.json tying them to a lab run) into runs. */
  importResults(files: readonly TextFile[], trainer?: SourceTrainer): Promise<void>;
  dismissImports(): void;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const TARGET_LABELS: Record<TargetId, string> = { easyr1: 'EasyR1', verl: 'verl', trl: 'TRL' };
export const targetLabel = (t: TargetId): string => TARGET_LABELS[t];

/** Saves the export zip from the page. */
export function downloadBytes(fileName: string, bytes: Uint8Array, mimeType = 'application/zip'): void {
  downloadFile(fileName, bytes, mimeType);
}

/** A JSON manifest.json of a recipe export, recognised by content (null when the text is anything else). */
function parseManifest(text: string): unknown {
  if (!text.trimStart().startsWith('{') || !text.includes(RECIPE_MANIFEST_FORMAT)) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && (value as { format?: unknown }).format === RECIPE_MANIFEST_FORMAT ? value : null;
  } catch {
    return null;
  }
}

/** The metrics researchers look at first (TRL's GRPO names), then the rest alphabetically. */
const FIRST_METRICS = ['reward', 'reward_std', 'frac_reward_zero_std', 'kl', 'entropy', 'completions/mean_length', 'loss'];
function orderMetrics(names: ReadonlySet<string>): string[] {
  const first = FIRST_METRICS.filter((m) => names.has(m));
  return [...first, ...[...names].filter((m) => !FIRST_METRICS.includes(m)).sort()];
}

interface Deps {
  client: () => EngineClient;
  save: (fileName: string, bytes: Uint8Array) => void;
  /** Saves an imported run and lists it; the runs store's saveRun by default. Throws when it was not saved. */
  saveRun: (run: RunRecord) => Promise<void>;
  /** Ticks runs for comparison in the Runs panel. */
  select: (ids: readonly string[]) => void;
}

/** The runs store's saveRun, with its failure (kept in actionError) turned into a throw the report can name. */
async function saveThroughRunsStore(run: RunRecord): Promise<void> {
  const runs = useRunsStore.getState();
  await runs.saveRun(run);
  const err = useRunsStore.getState().actionError;
  if (err && err.includes(`'${run.id}'`)) throw new Error(err);
}

const selectInRunsStore = (ids: readonly string[]): void => {
  const s = useRunsStore.getState();
  s.setSelected([...s.selected, ...ids.filter((id) => !s.selected.includes(id))]);
};

export function createRecipeStore(deps: Partial<Deps> = {}) {
  const client = deps.client ?? engine;
  const save = deps.save ?? downloadBytes;
  const saveRun = deps.saveRun ?? saveThroughRunsStore;
  const select = deps.select ?? selectInRunsStore;
  let controller: AbortController | null = null;

  return create<RecipeState>()((set, get) => ({
    job: null,
    exports: {},
    exportError: null,
    importing: false,
    imports: [],

    exportRun: async (run, choice) => {
      if (get().job) return;
      controller = new AbortController();
      const startedAt = Date.now();
      const label = `${targetLabel(choice.target)} recipe of ${run.name}`;
      set({
        job: { runId: run.id, target: choice.target, label, progress: { phase: 'starting', done: 0, total: 1, unit: 'steps' }, startedAt, updatedAt: startedAt },
        exportError: null,
      });
      try {
        const out = await client().request(
          'recipe/export',
          { run, target: choice.target, images: choice.images, datasetId: choice.datasetId, launch: choice.launch },
          { signal: controller.signal, onProgress: (progress) => set((s) => (s.job ? { job: { ...s.job, progress, updatedAt: Date.now() } } : {})) },
        );
        const { zip, ...result } = out;
        save(out.fileName, zip);
        set((s) => ({ exports: { ...s.exports, [run.id]: { runId: run.id, fileName: out.fileName, zipBytes: zip.byteLength, result } } }));
      } catch (err) {
        const cancelled = err instanceof Error && err.name === 'CancelledError';
        set({ exportError: { runId: run.id, message: cancelled ? `${label}: cancelled; nothing was downloaded.` : `${label} failed: ${messageOf(err)}` } });
      } finally {
        controller = null;
        set({ job: null });
      }
    },

    cancelExport: () => controller?.abort(),

    importResults: async (files, trainer) => {
      if (files.length === 0 || get().importing) return;
      set({ importing: true });
      const reports: ResultsImportReport[] = [];
      try {
        const texts: { file: TextFile; text: string; report: ResultsImportReport }[] = [];
        const manifests: { file: string; value: unknown; runName: string }[] = [];
        for (const file of files) {
          const report: ResultsImportReport = { file: file.name, kind: null, trainer: null, runs: [], linkedTo: null, errors: [] };
          reports.push(report);
          // UTF-8 takes at least one byte per character, so this bound never refuses a file the parser would take.
          if (file.size !== undefined && file.size > 4 * MAX_LOG_CHARS) {
            report.errors.push(`${file.name}: file is ${Math.round(file.size / 1e6)} MB; logs over ${Math.round((4 * MAX_LOG_CHARS) / 1e6)} MB are not read`);
            continue;
          }
          let text: string;
          try {
            text = await file.text();
          } catch (err) {
            report.errors.push(`${file.name}: could not be read (${messageOf(err)})`);
            continue;
          }
          const manifest = parseManifest(text);
          if (manifest === null) {
            texts.push({ file, text, report });
            continue;
          }
          report.kind = 'manifest';
          try {
            const link = restoreManifestLink(manifest, file.name);
            manifests.push({ file: file.name, value: manifest, runName: link.runName });
            report.linkedTo = `${link.runName} (${link.runId}), exported for ${targetLabel(link.target)}`;
          } catch (err) {
            report.errors.push(messageOf(err));
          }
        }
        if (manifests.length > 1) {
          // Which log belongs to which manifest cannot be told from file names alone: tie none rather than guess.
          for (const r of reports.filter((x) => x.kind === 'manifest')) {
            r.errors.push(`${r.file}: ${manifests.length} manifests were dropped together; drop one log with its own manifest.json to tie it to its lab run. The logs were imported without one.`);
          }
        }
        const manifest = manifests.length === 1 ? manifests[0] : null;
        const saved: string[] = [];
        for (const { file, text, report } of texts) {
          let imported;
          try {
            imported = importMetricsLog(text, file.name, { ...(trainer ? { trainer } : {}), ...(manifest ? { manifest: manifest.value } : {}) });
          } catch (err) {
            report.errors.push(messageOf(err));
            continue;
          }
          report.kind = imported.format;
          report.trainer = imported.trainer;
          if (manifest) report.linkedTo = `${manifest.runName} (from ${manifest.file})`;
          for (const run of imported.runs) {
            try {
              await saveRun(run);
              saved.push(run.id);
              const metrics = orderMetrics(new Set(run.history.points.flatMap((p) => Object.keys(p.values))));
              report.runs.push({ id: run.id, name: run.name, steps: run.history.loggedPoints, metrics });
            } catch (err) {
              report.errors.push(`${file.name}: run '${run.name}' could not be saved: ${messageOf(err)}`);
            }
          }
        }
        // Fresh results are what one wants to look at: tick them so their curves open in the comparison.
        if (saved.length > 0) select(saved);
      } finally {
        set((s) => ({ importing: false, imports: [...reports, ...s.imports].slice(0, 20) }));
      }
    },

    dismissImports: () => set({ imports: [] }),
  }));
}

export const useRecipeStore = createRecipeStore();
