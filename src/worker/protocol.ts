// The message protocol between the UI thread and the engine worker: the only file both threads import.
// Requests carry ids; the worker answers each with exactly one result or error, may send progress for it
// in between, and pushes unsolicited device events. Cancellation names the request it cancels.
import type { AdapterReport } from '../gpu/adapter-report.ts';
import type { MatmulTuning } from '../gpu/matmul-tuning.ts';
import type { DataIssue, DatasetMeta, FormatId, IntakeReport, RecordOutcome, SynthConfig, VqaRecord } from '../data/index.ts';
import type { DroppedFile } from '../data/intake/browser-files.ts';
import type { StorageEstimateWords } from '../data/storage/dataset-store.ts';
import type {
  AugmentPreview,
  AugmentPreviewParams,
  CurriculumAnalyseParams,
  CurriculumAnalysis,
  CurriculumControlParams,
  CurriculumControls,
  CurriculumSources,
  OnnxEmbedderInfo,
  OnnxLoadParams,
  PairExplanation,
} from './curriculum-protocol.ts';
import type {
  CheckpointSummary,
  TrainOutcome,
  TrainProgress,
  TrainStartParams,
  TrainStatus,
} from './train-protocol.ts';
// ---- recipe export (issue #9): imports of its wire shapes ----
import type { RunRecord } from '../runs/record.ts';
import type { ImageMode } from '../recipe/data-files.ts';
import type { LaunchOptions } from '../recipe/launch.ts';
import type { RecipeManifest } from '../recipe/manifest.ts';
import type { MappedSetting, TargetId, UnmappedOption } from '../recipe/mapping.ts';
// ---- end of recipe export imports ----
// ---- model (issue #4): imports of its wire shapes ----
import type { ModelCurrent, ModelExportParams, ModelExportResult, ModelGenerateParams, ModelGenerateResult, ModelSource, ModelSummary } from './model-protocol.ts';
// ---- end of model imports ----
// ---- evaluation (issue #8): imports of its wire shapes ----
import type { EvalRunParams, EvalRunResult, EvalProgress, EvalSources } from './eval-protocol.ts';
// ---- end of evaluation imports ----

/** Every request the worker serves: its parameters, its result and its progress payload. */
export interface RequestMap {
  /** Acquire a device if there is none, and describe it. */
  'device/info': { params: Record<string, never>; result: DeviceState; progress: never };
  /** Drop the current device (if any) and acquire a new one. */
  'device/reacquire': { params: Record<string, never>; result: DeviceState; progress: never };
  /** Destroy the current device as a real loss would (diagnostics and the device-loss test). */
  'device/destroy': { params: Record<string, never>; result: { destroyed: boolean }; progress: never };
  /** A cancellable long job that only counts: proves progress and cancellation end to end. */
  'diagnostics/count': { params: { to: number; delayMs: number }; result: { reached: number }; progress: { done: number; total: number } };

  // ---- data (issue #5): the Data panel's requests, served by worker/data-handlers.ts ----
  /** Detect the format of dropped files and read the first records (nothing is stored). */
  'data/preview': { params: { files: DroppedFile[]; format?: FormatId }; result: DataPreview; progress: never };
  /** Read, check and store a dropped dataset; images decoded at `imageSize`. Cancellable until it is saved. */
  'data/import': { params: DataImportParams; result: DataImportResult; progress: DataJobProgress };
  /** The stored datasets, newest first, with the storage estimate. */
  'data/list': { params: Record<string, never>; result: DataListing; progress: never };
  /** Delete one stored dataset (records and images) and return the new listing. */
  'data/delete': { params: { id: string }; result: DataListing; progress: never };
  /** A page of a stored dataset's records matching filters, with counts over the whole dataset. */
  'data/records': { params: RecordQuery; result: RecordPage; progress: never };
  /** Stored (resized) images of a dataset as PNG bytes, for thumbnails; png is null when not stored. */
  'data/thumbnails': { params: { datasetId: string; refs: string[] }; result: Thumbnail[]; progress: never };
  /** Generate and store AnatomySynth when no dataset is stored (or always with `force`). */
  'data/ensure-demo': { params: { synth?: Partial<SynthConfig>; force?: boolean }; result: DemoResult; progress: DataJobProgress };
  /** The browser's storage estimate in words (null where the browser gives none). */
  'data/storage': { params: Record<string, never>; result: StorageEstimateWords | null; progress: never };
  // ---- end of data ----

  // ---- curriculum and augmentation (issue #7): served by worker/curriculum-handlers.ts; wire shapes in curriculum-protocol.ts ----
  /** S(q) of every question, its histogram, the pacing curve and the queue of a window of steps. */
  'curriculum/analyse': { params: CurriculumAnalyseParams; result: CurriculumAnalysis; progress: never };
  /** Exclude, include, pin, unpin or move a question (or clear all); saved per dataset fingerprint. */
  'curriculum/control': { params: CurriculumControlParams; result: CurriculumControls; progress: never };
  /** The built-in similarity of two names and why (lexicon terms, synonym, laterality or trigram fallback). */
  'curriculum/explain-pair': { params: { a: string; b: string }; result: PairExplanation; progress: never };
  /** The policy 'policy embeddings' would use and the ONNX text-embedding model the worker holds. */
  'curriculum/sources': { params: Record<string, never>; result: CurriculumSources; progress: never };
  /** Load a dropped text-embedding model (model.onnx + tokenizer.json) for the 'onnx:<name>' source; refused naming the file. */
  'curriculum/load-onnx': { params: OnnxLoadParams; result: OnnxEmbedderInfo; progress: never };
  /** The K variants GDQA builds for chosen questions, with their transformed images. */
  'augment/preview': { params: AugmentPreviewParams; result: AugmentPreview; progress: never };
  // ---- end of curriculum and augmentation ----

  // ---- training (issue #6): served by worker/train-handlers.ts; wire shapes in train-protocol.ts ----
  /** Start a run (SFT warm start if configured, then GRPO). Long-lived: streams TrainProgress per step and
   * resolves when the run finishes, is paused (checkpoint saved), stopped, or fails (NaN/Inf loss: the last
   * good checkpoint is kept). Cancelling this request pauses the run. One run at a time. */
  'train/start': { params: TrainStartParams; result: TrainOutcome; progress: TrainProgress };
  /** Pause the active run: it saves a checkpoint after the step in flight and its start/resume request
   * resolves with state 'paused'. Answers with the run's summary once the checkpoint is written. */
  'train/pause': { params: { runId: string }; result: TrainStatus; progress: never };
  /** Continue a paused run, or one whose tab was reloaded, from its last stored checkpoint; as long-lived as
   * 'train/start' (same progress, same outcome). Results equal those of an uninterrupted run. */
  'train/resume': { params: { runId: string }; result: TrainOutcome; progress: TrainProgress };
  /** Stop the active run after the step in flight (a final checkpoint is saved); it cannot be resumed past
   * its end but its checkpoint stays listed until deleted. */
  'train/stop': { params: { runId: string }; result: TrainStatus; progress: never };
  /** The active run (if any); with `runId` and `history: true`, that run's metric rows so far (for a reload). */
  'train/status': { params: { runId?: string; history?: boolean }; result: TrainStatus; progress: never };
  /** Stored checkpoints, newest first (one per run: its latest). */
  'train/checkpoints': { params: Record<string, never>; result: CheckpointSummary[]; progress: never };
  /** Delete a run's stored checkpoint (not the active run's). Answers with the new listing. */
  'train/delete-checkpoint': { params: { runId: string }; result: CheckpointSummary[]; progress: never };
  // ---- end of training ----

  // ---- recipe export (issue #9): served by worker/recipe-handlers.ts ----
  /** A run's recipe for EasyR1, verl or TRL from a stored dataset, as one zip, with the mapping field by field.
   * Cancellable until the zip is built. */
  'recipe/export': { params: RecipeExportParams; result: RecipeExportResult; progress: DataJobProgress };
  // ---- end of recipe export ----

  // ---- evaluation (issue #8): served by worker/eval-handlers.ts; wire shapes in eval-protocol.ts ----
  /** Evaluate a model (pretrained, a run's checkpoint, a dropped safetensors or ONNX file) on a stored dataset's
   * split: greedy, Avg@k, CircularEval, likelihood. Streams progress, cancellable; stores an eval run. */
  'eval/run': { params: EvalRunParams; result: EvalRunResult; progress: EvalProgress };
  /** Whether the pretrained default is in this build. */
  'eval/sources': { params: Record<string, never>; result: EvalSources; progress: never };
  // ---- end of evaluation ----

  // ---- model (issue #4): the Model panel's requests, served by worker/model-handlers.ts; wire shapes in model-protocol.ts ----
  /** The model the worker holds (null before a load) and whether the pretrained default is served. */
  'model/current': { params: Record<string, never>; result: ModelCurrent; progress: never };
  /** Load a checkpoint (refused, naming the tensor and shape, when it does not match its config). */
  'model/load': { params: { source: ModelSource }; result: ModelSummary; progress: never };
  /** The loaded model as ONNX (forward: image + ids -> logits) or as a safetensors checkpoint. */
  'model/export': { params: ModelExportParams; result: ModelExportResult; progress: never };
  /** One answer for a stored record with the loaded model (try-it box). Cancellable. */
  'model/generate': { params: ModelGenerateParams; result: ModelGenerateResult; progress: never };
  // ---- end of model ----
}

export type RequestType = keyof RequestMap;
export type Params<T extends RequestType> = RequestMap[T]['params'];
export type Result<T extends RequestType> = RequestMap[T]['result'];
export type Progress<T extends RequestType> = RequestMap[T]['progress'];

/** The device as the UI shows it. */
export interface DeviceState {
  /** 'ready' with a device, 'unavailable' without WebGPU, 'lost' between a loss and recovery. */
  status: 'ready' | 'unavailable' | 'lost' | 'acquiring';
  adapter: AdapterReport | null;
  /** Increments with every device acquired in this worker: 2 means one recovery happened. */
  generation: number;
  /** Human explanation when unavailable or lost. */
  message: string;
  /** The matmul tiling the engine uses on this device and where it came from, once resolved. */
  matmul?: MatmulTuning;
}

// ---- data (issue #5): wire shapes of the data requests ----

/** Side of stored images when an import does not say, in pixels: the model's typical input resolution. */
export const DEFAULT_IMPORT_IMAGE_SIZE = 64;

/** Progress of a long data job: the phase in words and units done of total within it. */
export interface DataJobProgress {
  /** e.g. 'reading files', 'decoding images', 'saving'. */
  phase: string;
  done: number;
  total: number;
  /** Unit of done/total ('images', 'steps'). */
  unit: string;
}

/** One format the reader recognised, without the file handles (those do not cross threads). */
export interface FormatCandidate {
  format: FormatId;
  /** Name shown to researchers ('VQA-RAD', 'OmniMedVQA', ...). */
  label: string;
  /** 0..1. */
  confidence: number;
  reason: string;
  /** Data files this format would read. */
  files: string[];
}

export interface DataPreview {
  /** Files after archives were opened. */
  fileCount: number;
  /** Bytes as dropped (archives counted compressed). */
  droppedBytes: number;
  /** Best first. */
  candidates: FormatCandidate[];
  /** The format the preview was read as (null when none was recognised). */
  format: FormatId | null;
  /** The first records as the lab reads them. */
  preview: RecordOutcome[];
  /** Problems with whole files or archives. */
  problems: DataIssue[];
  /** Default dataset name: the dropped folder or archive name. */
  suggestedName: string;
}

export interface DataImportParams {
  files: DroppedFile[];
  name: string;
  /** Read as this format instead of the best detected one. */
  format?: FormatId;
  /** Side of the stored square images in pixels; typical 64 (the model's input resolution). */
  imageSize?: number;
}

export interface DataImportResult {
  /** The stored dataset; null when nothing usable was found (the report says why). */
  meta: DatasetMeta | null;
  report: IntakeReport;
  /** Images the browser could not decode (they stay missing for training). */
  decodeFailures: { ref: string; reason: string }[];
  listing: DataListing;
}

export interface DataListing {
  datasets: DatasetMeta[];
  storage: StorageEstimateWords | null;
}

/** Filters of the record browser; '' or absent means any. '(unknown)' matches records with the field empty. */
export interface RecordFilters {
  split?: string;
  questionType?: string;
  modality?: string;
  anatomy?: string;
  source?: string;
  /** Case-insensitive substring of id, question, options or answer. */
  text?: string;
}

export interface RecordQuery {
  datasetId: string;
  offset: number;
  limit: number;
  filters: RecordFilters;
}

/** Counts over a whole stored dataset (not only the matching records). */
export interface DatasetFacets {
  bySplit: Record<string, number>;
  byQuestionType: Record<string, number>;
  byModality: Record<string, number>;
  byAnatomy: Record<string, number>;
  bySource: Record<string, number>;
  /** Open-ended questions. */
  open: number;
}

export interface RecordPage {
  datasetId: string;
  /** Records in the dataset. */
  total: number;
  /** Records matching the filters. */
  matching: number;
  offset: number;
  records: VqaRecord[];
  facets: DatasetFacets;
  /** Stored records that no longer pass the schema (skipped). */
  dropped: number;
}

export interface Thumbnail {
  ref: string;
  /** PNG bytes of the stored, resized image; null when the dataset holds no image for this reference. */
  png: Uint8Array | null;
  width: number;
  height: number;
}

export interface DemoResult {
  /** True when AnatomySynth was generated and stored by this call. */
  created: boolean;
  meta: DatasetMeta | null;
  listing: DataListing;
}

// ---- end of data wire shapes ----

// ---- recipe export (issue #9): wire shapes of 'recipe/export' ----

export interface RecipeExportParams {
  /** The run to export, as the runs store holds it (checked again in the worker); or give runId. */
  run?: RunRecord;
  /** Id of a run stored in this browser, when `run` is absent. */
  runId?: string;
  /** The cluster trainer the recipe is for: 'easyr1', 'verl' or 'trl'. */
  target: TargetId;
  /** Images inside the Parquet file ('embed', typical) or as files under images/ named by path ('path'). */
  images: ImageMode;
  /** The stored dataset whose train split becomes the recipe's data. */
  datasetId: string;
  /** Model id, nodes and GPUs per node of the launch command; DEFAULT_LAUNCH (Qwen2.5-VL-7B, 1 x 8) where absent. */
  launch?: Partial<LaunchOptions>;
}

/** One lab field of the mapping table: the run's value, and the target settings it became or why it has none. */
export interface RecipeFieldRow {
  /** Dotted GrpoConfig field ('epsHigh', 'dynamicSampling'). */
  field: string;
  /** The run's value as short JSON ('—' when the field is not a config value of its own). */
  labValue: string;
  /** Target settings written for it; empty when unmapped or when the reward file carries it. */
  settings: MappedSetting[];
  /** Why the target cannot express it; null when mapped. */
  unmapped: UnmappedOption | null;
}

export interface RecipeExportResult {
  /** '<run>-<target>.zip'; the zip holds one folder of the same name. */
  fileName: string;
  zip: Uint8Array;
  /** The export's manifest.json (rows, settings, unmapped options, notes, file list). */
  manifest: RecipeManifest;
  /** Every row of the mapping table, in its order. */
  fields: RecipeFieldRow[];
  /** Settings every export to this target carries (data columns, frozen order, logger). */
  fixed: MappedSetting[];
  /** Unmapped options no single field names (GDQA grouping, too few rollouts per row). */
  otherUnmapped: UnmappedOption[];
  /** The dataset exported, its format ('synth' for AnatomySynth), its stored image side in pixels, and whether
   * the run was trained on it (same fingerprint). */
  dataset: { name: string; format: string; fingerprint: string; matchesRun: boolean; imageSize: number };
  launch: LaunchOptions;
}

// ---- end of recipe export wire shapes ----

/** UI -> worker. */
export type ToWorker =
  | { [T in RequestType]: { kind: 'request'; id: number; type: T; params: Params<T> } }[RequestType]
  | { kind: 'cancel'; id: number };

/** A typed error that crossed the thread boundary (Error objects do not survive structured clone intact). */
export interface WireError {
  /** Error class name: WebGpuUnavailableError, DeviceLostError, OutOfMemoryError, ShaderCompileError, CancelledError, ... */
  name: string;
  message: string;
  /** Extra lines for the user, e.g. shader compiler messages. */
  details?: string[];
}

/** Worker -> UI. */
export type FromWorker =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WireError }
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'device'; state: DeviceState; event: 'ready' | 'lost' | 'unavailable' | 'acquiring' | 'tuned' };

export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const details = (err as Error & { details?: unknown }).details;
    return {
      name: err.name,
      message: err.message,
      ...(Array.isArray(details) ? { details: details.map(String) } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}
