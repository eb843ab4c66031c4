// Data requests of the engine worker: preview and import of dropped files (folders and zips expanded here),
// the stored dataset list, record pages with filters, thumbnails, and AnatomySynth on first start. All reading,
// checking and storing is src/data's; this file only adapts it to the protocol (progress, cancel, wire shapes).
import {
  blobFile,
  DatasetStore,
  DEFAULT_READ_CONFIG,
  DEFAULT_SYNTH_CONFIG,
  encodePng,
  expandArchives,
  generateAnatomySynth,
  loadDataset,
  storageEstimate,
  storeLoadedDataset,
  storeSynthDataset,
  type DatasetMeta,
  type FormatId,
  type IntakeFile,
  type ReadConfig,
  type RecordOutcome,
  type StoreOptions,
  type VqaRecord,
} from '../data/index.ts';
import { detectFormats, readerFor } from '../data/formats/detect.ts';
import type { DroppedFile } from '../data/intake/browser-files.ts';
import { normaliseEntryPath } from '../data/intake/paths.ts';
import type { StorageEstimateWords } from '../data/storage/dataset-store.ts';
import { countBy } from '../data/validate/report.ts';
import { throwIfCancelled } from './cancel.ts';
import type { HandlerContext, HandlerTable } from './handler-types.ts';
import { DEFAULT_IMPORT_IMAGE_SIZE, type DataListing, type DatasetFacets, type FormatCandidate, type RecordFilters, type RecordPage } from './protocol.ts';

type DataRequest =
  | 'data/preview'
  | 'data/import'
  | 'data/list'
  | 'data/delete'
  | 'data/records'
  | 'data/thumbnails'
  | 'data/ensure-demo'
  | 'data/storage';

/** What the data handlers run against; the defaults are the browser's, Node tests pass stand-ins. */
export interface DataHandlerOptions {
  /** Opens the dataset database; typical DatasetStore.open(). */
  openStore?: () => Promise<DatasetStore>;
  /** Image decoder for imports; the browser's createImageBitmap path by default. */
  decode?: StoreOptions['decode'];
  /** Storage estimate; navigator.storage.estimate by default. */
  estimate?: () => Promise<StorageEstimateWords | null>;
  /** How datasets are read; typical DEFAULT_READ_CONFIG. */
  readConfig?: ReadConfig;
}

/** Most records one page may ask for, so a request cannot make the worker clone a whole dataset. */
const MAX_PAGE = 200;
/** Most thumbnails per request. */
const MAX_THUMBNAILS = 200;

export function dataHandlers(_ctx: HandlerContext, options: DataHandlerOptions = {}): HandlerTable<DataRequest> {
  const config = options.readConfig ?? DEFAULT_READ_CONFIG;
  const estimate = options.estimate ?? (() => storageEstimate().catch(() => null));
  let storePromise: Promise<DatasetStore> | null = null;
  const store = () => {
    if (!storePromise) {
      const opening = (options.openStore ?? (() => DatasetStore.open()))();
      // A failed open is not cached: the next request tries again (the user may have left a private window).
      opening.catch(() => {
        if (storePromise === opening) storePromise = null;
      });
      storePromise = opening;
    }
    return storePromise;
  };
  // The records of the dataset being browsed, so paging does not reload them from IndexedDB each time.
  let cached: { id: string; records: VqaRecord[]; dropped: number; facets: DatasetFacets } | null = null;

  const listing = async (): Promise<DataListing> => ({ datasets: await (await store()).list(), storage: await estimate() });

  return {
    'data/preview': async ({ files, format }) => {
      const intake = toIntakeFiles(files);
      const { files: tree, problems } = await expandArchives(intake, config.zip);
      const detections = await detectFormats(tree, config);
      const chosen = (format ? detections.find((d) => d.format === format) : undefined) ?? detections[0] ?? null;
      let preview: RecordOutcome[] = [];
      if (chosen) {
        const parsed = await readerFor(chosen.format).parse(chosen, config);
        preview = parsed.outcomes.slice(0, config.previewRecords);
        problems.push(...parsed.fileIssues);
      }
      return {
        fileCount: tree.length,
        droppedBytes: intake.reduce((s, f) => s + f.size, 0),
        candidates: detections.map(toCandidate),
        format: chosen?.format ?? null,
        preview,
        problems: problems.slice(0, config.maxIssues),
        suggestedName: suggestName(intake.map((f) => f.path)),
      };
    },

    'data/import': async ({ files, name, format, imageSize }, { signal, progress }) => {
      progress({ phase: 'reading files', done: 0, total: 1, unit: 'steps' });
      const loaded = await loadDataset(toIntakeFiles(files), config, { format });
      throwIfCancelled(signal);
      progress({ phase: 'reading files', done: 1, total: 1, unit: 'steps' });
      if (!loaded.detection || loaded.records.length === 0) {
        return { meta: null, report: loaded.report, decodeFailures: [], listing: await listing() };
      }
      const db = await store();
      const { meta, decodeFailures } = await storeLoadedDataset(loaded, db, {
        name: name.trim() || suggestName(files.map((f) => f.path)),
        imageSize: clampImageSize(imageSize ?? DEFAULT_IMPORT_IMAGE_SIZE),
        decode: options.decode,
        onProgress: (done, total) => {
          // Thrown here, a cancel stops the decode loop before anything is written.
          throwIfCancelled(signal);
          progress({ phase: 'decoding images', done, total, unit: 'images' });
        },
      });
      return { meta, report: loaded.report, decodeFailures, listing: await listing() };
    },

    'data/list': listing,

    'data/delete': async ({ id }) => {
      await (await store()).deleteDataset(id);
      if (cached?.id === id) cached = null;
      return listing();
    },

    'data/records': async ({ datasetId, offset, limit, filters }) => {
      if (cached?.id !== datasetId) {
        const got = await (await store()).get(datasetId);
        if (!got) throw new Error(`No stored dataset with id ${datasetId}; it may have been deleted in another tab.`);
        cached = { id: datasetId, records: got.records, dropped: got.dropped, facets: facetsOf(got.records) };
      }
      const matching = filterRecords(cached.records, filters);
      const size = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit) || 1));
      const start = Math.max(0, Math.min(Math.floor(offset) || 0, Math.max(0, matching.length - 1)));
      const page: RecordPage = {
        datasetId,
        total: cached.records.length,
        matching: matching.length,
        offset: start,
        records: matching.slice(start, start + size),
        facets: cached.facets,
        dropped: cached.dropped,
      };
      return page;
    },

    'data/thumbnails': async ({ datasetId, refs }) => {
      const db = await store();
      const out = [];
      for (const ref of refs.slice(0, MAX_THUMBNAILS)) {
        const img = await db.getImage(datasetId, ref);
        out.push(img ? { ref, png: encodePng(img), width: img.width, height: img.height } : { ref, png: null, width: 0, height: 0 });
      }
      return out;
    },

    'data/ensure-demo': async ({ synth, force }, { signal, progress }) => {
      const db = await store();
      if (!force && (await db.list()).length > 0) return { created: false, meta: null, listing: await listing() };
      const total = 2;
      const config = { ...DEFAULT_SYNTH_CONFIG, ...synth };
      progress({ phase: `rendering ${config.questions.toLocaleString('en-US')} questions (seed ${config.seed})`, done: 0, total, unit: 'steps' });
      const dataset = generateAnatomySynth(config);
      throwIfCancelled(signal);
      progress({ phase: 'hashing and saving', done: 1, total, unit: 'steps' });
      // A demo of another size sits beside the default one, named so the Data panel tells them apart.
      const name = config.questions === DEFAULT_SYNTH_CONFIG.questions ? undefined : `AnatomySynth (seed ${config.seed}, ${config.questions.toLocaleString('en-US')} questions)`;
      const meta: DatasetMeta = await storeSynthDataset(dataset, db, name);
      progress({ phase: 'saved', done: 2, total, unit: 'steps' });
      return { created: true, meta, listing: await listing() };
    },

    'data/storage': () => estimate(),
  };
}

/** Dropped path + File pairs -> IntakeFiles. Paths are normalised again here: the worker trusts no caller. */
function toIntakeFiles(files: readonly DroppedFile[]): IntakeFile[] {
  const out: IntakeFile[] = [];
  for (const f of files) {
    const path = typeof f?.path === 'string' ? normaliseEntryPath(f.path) : null;
    if (path && f.file instanceof Blob) out.push(blobFile(f.file, path));
  }
  return out;
}

function toCandidate(d: { format: FormatId; confidence: number; reason: string; files: IntakeFile[] }): FormatCandidate {
  return { format: d.format, label: readerFor(d.format).label, confidence: d.confidence, reason: d.reason, files: d.files.map((f) => f.path) };
}

/** The dropped folder's or archive's name: the first path segment all files share, else the one file's stem. */
export function suggestName(paths: readonly string[]): string {
  if (paths.length === 0) return 'dataset';
  const first = paths.map((p) => p.split('/')[0]);
  if (paths.every((p) => p.includes('/')) && first.every((s) => s === first[0])) return first[0];
  if (paths.length === 1) return paths[0].replace(/^.*\//, '').replace(/\.[^.]+$/, '') || 'dataset';
  return 'dataset';
}

function clampImageSize(n: number): number {
  return Number.isFinite(n) ? Math.max(8, Math.min(512, Math.round(n))) : DEFAULT_IMPORT_IMAGE_SIZE;
}

export function facetsOf(records: readonly VqaRecord[]): DatasetFacets {
  return {
    bySplit: countBy(records, (r) => r.split),
    byQuestionType: countBy(records, (r) => r.questionType),
    byModality: countBy(records, (r) => r.modality),
    byAnatomy: countBy(records, (r) => r.anatomy),
    bySource: countBy(records, (r) => r.source),
    open: records.filter((r) => r.open).length,
  };
}

/** '(unknown)' is how counts name an empty field, so picking it in a filter selects records with that field empty. */
function matches(value: string, wanted: string | undefined): boolean {
  if (!wanted) return true;
  return wanted === '(unknown)' ? value === '' : value === wanted;
}

export function filterRecords(records: readonly VqaRecord[], filters: RecordFilters): VqaRecord[] {
  const text = typeof filters.text === 'string' ? filters.text.trim().toLowerCase() : '';
  return records.filter(
    (r) =>
      matches(r.split, filters.split) &&
      matches(r.questionType, filters.questionType) &&
      matches(r.modality, filters.modality) &&
      matches(r.anatomy, filters.anatomy) &&
      matches(r.source, filters.source) &&
      (!text || [r.id, r.question, r.answer, ...r.options].some((s) => s.toLowerCase().includes(text))),
  );
}
