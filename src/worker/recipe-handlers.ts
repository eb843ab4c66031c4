// The worker's 'recipe/export' job: a run's recipe for EasyR1, verl or TRL built from a dataset stored in this
// browser (records and stored images from IndexedDB) and zipped, with progress and cancel. All recipe logic is
// src/recipe's; this file loads the inputs, adapts them to the protocol and explains the mapping field by field.
import { DatasetStore, encodePng, type DatasetMeta, type StoredImage, type VqaRecord } from '../data/index.ts';
import { DEFAULT_LAUNCH, exportRecipe, recipeConfigsFromRun, type RecipeImageSource } from '../recipe/export.ts';
import { GRPO_FIELD_MAPPINGS, fixedSettings, TARGETS, type MappingContext, type TargetId } from '../recipe/mapping.ts';
import { zipRecipe } from '../recipe/zip.ts';
import type { LaunchOptions } from '../recipe/launch.ts';
import type { GrpoConfig } from '../rl/config.ts';
import type { RunRecord } from '../runs/record.ts';
import { restoreRunRecord } from '../runs/restore.ts';
import { RunStore } from '../runs/store.ts';
import { throwIfCancelled } from './cancel.ts';
import type { HandlerContext, HandlerTable } from './handler-types.ts';
import type { DataJobProgress, RecipeExportParams, RecipeExportResult, RecipeFieldRow } from './protocol.ts';

type RecipeRequest = 'recipe/export';

/** Where the recipe job finds its inputs; the defaults are the browser's databases, Node tests pass their own. */
export interface RecipeHandlerOptions {
  /** Opens the dataset database; typical DatasetStore.open(). */
  openDatasets?: () => Promise<DatasetStore>;
  /** Opens the run database, for exports that name a run by id; typical RunStore.open(). */
  openRuns?: () => Promise<RunStore>;
}

/**
 * Most exported rows (steps x batch x variants) a tab builds: the rows, their Parquet and the zip sit in the
 * worker's memory at once (about 13 KiB per row at 64 px when each variant has its own transformed image: 20,000
 * rows are some 250 MiB). Larger recipes go through `npm run lab -- export`, which writes to disk.
 */
export const MAX_BROWSER_EXPORT_ROWS = 20_000;

/** Images loaded between two progress messages (and cancellation checks). */
const IMAGES_PER_TICK = 64;

/** GrpoConfig field a mapping row reads when its own name is not one (the reward file's length penalty). */
const FIELD_ALIASES: Record<string, string> = { lengthPenaltyCache: 'rewardWeights.length' };

/** A file-name-safe slug of a run's name (its id when the name has no usable character). */
export function recipeSlug(run: Pick<RunRecord, 'id' | 'name'>): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  return slug(run.name) || slug(run.id) || 'run';
}

/** The run's value of a dotted GrpoConfig field, as short JSON ('—' when the config has no such field). */
function labValue(grpo: GrpoConfig, field: string): string {
  let node: unknown = grpo;
  for (const part of (FIELD_ALIASES[field] ?? field).split('.')) {
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node === undefined ? '—' : JSON.stringify(node);
}

/**
 * The mapping table in the order of GRPO_FIELD_MAPPINGS: per lab field, the target settings it became or why
 * the target has none. The engine's mapGrpoConfig builds the same settings; this keeps which field made which.
 */
export function recipeFieldTable(target: TargetId, grpo: GrpoConfig, ctx: MappingContext): RecipeFieldRow[] {
  return GRPO_FIELD_MAPPINGS.map((row) => {
    const out = row[target](grpo, ctx);
    return Array.isArray(out)
      ? { field: row.field, labValue: labValue(grpo, row.field), settings: out, unmapped: null }
      : { field: row.field, labValue: labValue(grpo, row.field), settings: [], unmapped: out };
  });
}

/** Records and stored images of a dataset as the engine's image source: PNG on demand, pixels for transforms. */
function storedImageSource(images: ReadonlyMap<string, StoredImage>): RecipeImageSource {
  const encoded = new Map<string, Uint8Array>();
  return {
    file(ref) {
      const img = images.get(ref);
      if (!img) return undefined;
      let bytes = encoded.get(ref);
      if (!bytes) encoded.set(ref, (bytes = encodePng(img)));
      return { bytes, ext: 'png' };
    },
    pixels: (ref) => images.get(ref),
  };
}

function cleanLaunch(launch: Partial<LaunchOptions> | undefined): LaunchOptions {
  const int = (v: unknown, d: number, max: number) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max ? v : d);
  const model = typeof launch?.model === 'string' && launch.model.trim() !== '' ? launch.model.trim().slice(0, 200) : DEFAULT_LAUNCH.model;
  return { model, nnodes: int(launch?.nnodes, DEFAULT_LAUNCH.nnodes, 4096), gpusPerNode: int(launch?.gpusPerNode, DEFAULT_LAUNCH.gpusPerNode, 64) };
}

export function recipeHandlers(_ctx: HandlerContext, options: RecipeHandlerOptions = {}): HandlerTable<RecipeRequest> {
  const openDatasets = options.openDatasets ?? (() => DatasetStore.open());
  const openRuns = options.openRuns ?? (() => RunStore.open());

  const findRun = async (params: RecipeExportParams): Promise<RunRecord> => {
    // A run sent over the wire is untrusted like any other input: it goes through the run schema again.
    if (params.run !== undefined) return restoreRunRecord(params.run, 'the run to export');
    if (typeof params.runId !== 'string' || params.runId === '') throw new Error('Export recipe: name a run (its record or its id).');
    const run = await (await openRuns()).get(params.runId);
    if (!run) throw new Error(`No run with id '${params.runId}' is stored in this browser; it may have been deleted in another tab.`);
    return run;
  };

  const loadDataset = async (datasetId: string, progress: (p: DataJobProgress) => void, signal: AbortSignal) => {
    const db = await openDatasets();
    const got = await db.get(datasetId);
    if (!got) throw new Error(`No stored dataset with id '${datasetId}'; it may have been deleted in another tab.`);
    const train: VqaRecord[] = got.records.filter((r) => r.split === 'train');
    const refs = [...new Set(train.map((r) => r.image).filter((ref) => ref !== ''))];
    const images = new Map<string, StoredImage>();
    for (let i = 0; i < refs.length; i++) {
      if (i % IMAGES_PER_TICK === 0) {
        throwIfCancelled(signal);
        progress({ phase: 'loading stored images', done: i, total: refs.length, unit: 'images' });
      }
      const img = await db.getImage(datasetId, refs[i]);
      if (img) images.set(refs[i], img);
    }
    progress({ phase: 'loading stored images', done: refs.length, total: refs.length, unit: 'images' });
    return { meta: got.meta, records: got.records, images };
  };

  return {
    'recipe/export': async (params, { signal, progress }) => {
      if (!(TARGETS as readonly string[]).includes(params.target)) throw new Error(`Export recipe: target must be one of ${TARGETS.join(', ')}.`);
      const imageMode = params.images === 'path' ? 'path' : 'embed';
      const launch = cleanLaunch(params.launch);
      const steps = 4;
      progress({ phase: 'reading the run and the dataset', done: 0, total: steps, unit: 'steps' });
      const run = await findRun(params);
      const configs = recipeConfigsFromRun(run);
      const variants = configs.augment.enabled ? Math.max(1, configs.augment.variants) : 1;
      const rows = configs.grpo.steps * configs.grpo.batchSize * variants;
      if (rows > MAX_BROWSER_EXPORT_ROWS) {
        throw new Error(
          `This run asks for ${rows.toLocaleString('en-US')} rows (${configs.grpo.steps} steps x ${configs.grpo.batchSize} questions x ${variants} variants); ` +
            `a browser tab builds at most ${MAX_BROWSER_EXPORT_ROWS.toLocaleString('en-US')}. Export it with \`npm run lab -- export\` instead.`,
        );
      }
      throwIfCancelled(signal);
      const data = await loadDataset(params.datasetId, progress, signal);
      throwIfCancelled(signal);

      progress({ phase: 'ordering rows, writing Parquet and config', done: 2, total: steps, unit: 'steps' });
      const result = await exportRecipe({
        target: params.target,
        runId: run.id,
        runName: run.name,
        ...configs,
        records: data.records,
        images: storedImageSource(data.images),
        dataset: { name: data.meta.name, fingerprint: data.meta.fingerprint },
        imageMode,
        launch,
      });
      throwIfCancelled(signal);

      progress({ phase: 'zipping', done: 3, total: steps, unit: 'steps' });
      const slug = `${recipeSlug(run)}-${params.target}`;
      const zip = zipRecipe(result.files, slug);
      throwIfCancelled(signal);
      progress({ phase: 'done', done: steps, total: steps, unit: 'steps' });

      const m = result.manifest;
      const ctx: MappingContext = { rowsPerStep: m.rowsPerStep, rolloutsPerRow: m.rolloutsPerRow, numProcesses: launch.nnodes * launch.gpusPerNode };
      const fields = recipeFieldTable(params.target, configs.grpo, ctx);
      const named = new Set(fields.flatMap((f) => (f.unmapped ? [`${f.unmapped.field}\n${f.unmapped.reason}`] : [])));
      return {
        fileName: `${slug}.zip`,
        zip,
        manifest: m,
        fields,
        fixed: fixedSettings(params.target),
        // Unmapped options that no single field row names (the GDQA grouping, too few rollouts per row).
        otherUnmapped: result.mapped.unmapped.filter((u) => !named.has(`${u.field}\n${u.reason}`)),
        dataset: datasetWords(data.meta, run),
        launch,
      } satisfies RecipeExportResult;
    },
  };
}

/** What the UI says about the data: which dataset, whether the run was made on it, and the stored image size. */
function datasetWords(meta: DatasetMeta, run: RunRecord): RecipeExportResult['dataset'] {
  return {
    name: meta.name,
    format: meta.format,
    fingerprint: meta.fingerprint,
    matchesRun: run.dataset.fingerprint !== '' && run.dataset.fingerprint === meta.fingerprint,
    imageSize: meta.imageSize,
  };
}
