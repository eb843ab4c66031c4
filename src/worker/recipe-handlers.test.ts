// The worker's 'recipe/export' job in Node: AnatomySynth stored in fake-indexeddb as the Data panel stores it,
// a run given by record or by id, the zip read back (manifest, config, Parquet rows and embedded PNGs), the
// mapping table checked against the engine's own settings, and cancel, missing inputs and oversized recipes.
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import { parquetReadObjects } from 'hyparquet';
import { DatasetStore, generateAnatomySynth, storeSynthDataset, type DatasetMeta } from '../data/index.ts';
import { defaultGrpoConfig } from '../rl/config.ts';
import { defaultCurriculumConfig } from '../curriculum/config.ts';
import { defaultAugmentConfig } from '../augment/config.ts';
import { GRPO_FIELD_MAPPINGS } from '../recipe/mapping.ts';
import type { RecipeManifest } from '../recipe/manifest.ts';
import { sampleRunRecord } from '../runs/sample-run.ts';
import type { JsonObject, RunRecord } from '../runs/record.ts';
import { RunStore } from '../runs/store.ts';
import { CancelledError } from './cancel.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';
import type { DataJobProgress } from './protocol.ts';
import { MAX_BROWSER_EXPORT_ROWS, recipeHandlers, recipeSlug } from './recipe-handlers.ts';

const ctx = {} as HandlerContext;
let dbCounter = 0;

/** A small AnatomySynth stored in a fresh database, and handlers over it. */
async function setup(): Promise<{ h: ReturnType<typeof recipeHandlers>; meta: DatasetMeta; runs: RunStore }> {
  const n = ++dbCounter;
  const datasets = await DatasetStore.open(`recipe-handlers-data-${n}`);
  const meta = await storeSynthDataset(generateAnatomySynth({ questions: 40, imageSize: 8 }), datasets);
  const runs = await RunStore.open(`recipe-handlers-runs-${n}`);
  const h = recipeHandlers(ctx, { openDatasets: async () => datasets, openRuns: async () => runs });
  return { h, meta, runs };
}

/** A run with lab configs: 4 steps of 2 questions, ASCL on, GDQA with 2 variants per question, beta 0. */
function recipeRun(fingerprint: string): RunRecord {
  const run = sampleRunRecord(4, 'run-recipe');
  run.name = 'ASCL + GDQA / beta 0';
  run.config.grpo = { ...defaultGrpoConfig(), steps: 4, batchSize: 2, beta: 0, scaleRewards: 'batch', gpgRescale: true } as unknown as JsonObject;
  run.config.curriculum = defaultCurriculumConfig() as unknown as JsonObject;
  run.config.augment = { ...defaultAugmentConfig(), enabled: true, applyTo: 'all', variants: 2 } as unknown as JsonObject;
  run.dataset = { ...run.dataset, fingerprint };
  return run;
}

function job(onProgress: (p: DataJobProgress) => void = () => undefined, signal = new AbortController().signal): JobContext<DataJobProgress> {
  return { signal, progress: onProgress };
}

const arrayBuffer = (u: Uint8Array): ArrayBuffer => u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength) as ArrayBuffer;

describe('recipe/export', () => {
  it('builds the verl zip from the stored dataset: manifest, config, Parquet rows with embedded PNGs', async () => {
    const { h, meta } = await setup();
    const run = recipeRun(meta.fingerprint);
    const seen: DataJobProgress[] = [];
    const out = await h['recipe/export']({ run, target: 'verl', images: 'embed', datasetId: meta.id }, job((p) => seen.push(p)));

    expect(out.fileName).toBe('ascl-gdqa-beta-0-verl.zip');
    const files = unzipSync(out.zip);
    const dir = 'ascl-gdqa-beta-0-verl/';
    for (const f of ['manifest.json', 'verl_grpo.yaml', 'run_verl.sh', 'reward_function.py', 'README.md', 'data/train.parquet', 'data/train.jsonl']) {
      expect(files[dir + f], f).toBeDefined();
    }
    const manifest = JSON.parse(strFromU8(files[dir + 'manifest.json'])) as RecipeManifest;
    expect(manifest).toEqual(out.manifest);
    expect(manifest.runId).toBe('run-recipe');
    expect(manifest.dataset).toEqual({ name: meta.name, fingerprint: meta.fingerprint });
    expect(out.dataset).toEqual({ name: meta.name, format: 'synth', fingerprint: meta.fingerprint, matchesRun: true, imageSize: 8 });
    expect(strFromU8(files[dir + 'verl_grpo.yaml'])).toMatch(/use_kl_loss: false/);

    // 4 steps x 2 questions x 2 variants, in the frozen order, each with its image as an 8x8 PNG.
    const rows = await parquetReadObjects({ file: arrayBuffer(files[dir + 'data/train.parquet']), utf8: false });
    expect(rows.length).toBe(16);
    expect(rows.map((r) => r.variant_id)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    const png = (rows[0].images as { bytes: Uint8Array }[])[0].bytes;
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const ihdr = new DataView(png.buffer, png.byteOffset + 16, 8);
    expect([ihdr.getUint32(0), ihdr.getUint32(4)]).toEqual([8, 8]);

    // Progress ends at done, and never goes backwards within a phase.
    expect(seen.at(-1)).toMatchObject({ phase: 'done', done: 4, total: 4 });
    expect(seen.some((p) => p.phase === 'loading stored images' && p.unit === 'images' && p.total > 0)).toBe(true);
  });

  it('explains the mapping field by field, as the engine mapped it, nothing dropped', async () => {
    const { h, meta } = await setup();
    const run = recipeRun(meta.fingerprint);
    for (const target of ['easyr1', 'verl', 'trl'] as const) {
      const out = await h['recipe/export']({ run, target, images: 'path', datasetId: meta.id, launch: { nnodes: 2, gpusPerNode: 4 } }, job());
      expect(out.fields.map((f) => f.field)).toEqual(GRPO_FIELD_MAPPINGS.map((m) => m.field));
      // The fixed settings then each field's settings, in order, are exactly what the export wrote.
      expect([...out.fixed, ...out.fields.flatMap((f) => f.settings)]).toEqual(out.manifest.settings);
      // Every unmapped option is either on its field's row or listed apart: none is lost.
      const listed = [...out.fields.flatMap((f) => (f.unmapped ? [f.unmapped] : [])), ...out.otherUnmapped];
      expect(listed).toHaveLength(out.manifest.unmapped.length);
      expect(new Set(listed.map((u) => `${u.field}: ${u.reason}`))).toEqual(new Set(out.manifest.unmapped.map((u) => `${u.field}: ${u.reason}`)));
      // GDQA's per-row advantages are not a GrpoConfig field: they come apart, in words.
      expect(out.otherUnmapped.map((u) => u.field)).toContain('augment');
      expect(out.fields.find((f) => f.field === 'gpgRescale')?.unmapped?.active).toBe(true);
      expect(out.fields.find((f) => f.field === 'beta')?.labValue).toBe('0');
      expect(out.fields.find((f) => f.field === 'lengthPenaltyCache')?.labValue).toBe(JSON.stringify(defaultGrpoConfig().rewardWeights.length));
      expect(out.launch).toEqual({ model: 'Qwen/Qwen2.5-VL-7B-Instruct', nnodes: 2, gpusPerNode: 4 });
      expect(out.manifest.imageMode).toBe('path');
    }
    const trl = await h['recipe/export']({ run, target: 'trl', images: 'embed', datasetId: meta.id }, job());
    const eps = trl.fields.find((f) => f.field === 'epsHigh');
    expect(eps?.settings).toEqual([{ key: 'epsilon_high', value: defaultGrpoConfig().epsHigh }]);
    expect(trl.fields.find((f) => f.field === 'scaleRewards')?.settings).toEqual([{ key: 'scale_rewards', value: 'batch' }]);
    const verl = await h['recipe/export']({ run, target: 'verl', images: 'embed', datasetId: meta.id }, job());
    expect(verl.fields.find((f) => f.field === 'scaleRewards')?.unmapped?.reason).toMatch(/batch std/);
  });

  it('finds a run stored in this browser by id, and says when the run was made on other data', async () => {
    const { h, meta, runs } = await setup();
    await runs.put(recipeRun('sha256:elsewhere'));
    const out = await h['recipe/export']({ runId: 'run-recipe', target: 'easyr1', images: 'embed', datasetId: meta.id }, job());
    expect(out.manifest.runName).toBe('ASCL + GDQA / beta 0');
    expect(out.dataset.matchesRun).toBe(false);
    expect(Object.keys(unzipSync(out.zip))).toContain('ascl-gdqa-beta-0-easyr1/config.yaml');
    await expect(h['recipe/export']({ runId: 'nope', target: 'easyr1', images: 'embed', datasetId: meta.id }, job())).rejects.toThrow(/No run with id 'nope'/);
  });

  it('refuses missing datasets, unknown targets, invalid runs and recipes too large for a tab, in words', async () => {
    const { h, meta } = await setup();
    const run = recipeRun(meta.fingerprint);
    await expect(h['recipe/export']({ run, target: 'verl', images: 'embed', datasetId: 'ds-gone' }, job())).rejects.toThrow(/No stored dataset with id 'ds-gone'/);
    await expect(h['recipe/export']({ run, target: 'openrlhf' as 'verl', images: 'embed', datasetId: meta.id }, job())).rejects.toThrow(/target must be one of easyr1, verl, trl/);
    const bad = { ...run, config: { ...run.config, seed: 'seven' } } as unknown as RunRecord;
    await expect(h['recipe/export']({ run: bad, target: 'verl', images: 'embed', datasetId: meta.id }, job())).rejects.toThrow(/config.seed/);
    const big = recipeRun(meta.fingerprint);
    big.config.grpo = { ...big.config.grpo, steps: MAX_BROWSER_EXPORT_ROWS, batchSize: 1 };
    await expect(h['recipe/export']({ run: big, target: 'verl', images: 'embed', datasetId: meta.id }, job())).rejects.toThrow(/npm run lab -- export/);
  });

  it('cancels while loading images, before anything is built', async () => {
    const { h, meta } = await setup();
    const controller = new AbortController();
    const progress = (p: DataJobProgress) => {
      if (p.phase === 'loading stored images') controller.abort();
    };
    await expect(
      h['recipe/export']({ run: recipeRun(meta.fingerprint), target: 'trl', images: 'embed', datasetId: meta.id }, job(progress, controller.signal)),
    ).rejects.toBeInstanceOf(CancelledError);
  });

  it('names the zip after the run, safely', () => {
    expect(recipeSlug({ id: 'run-1', name: 'GRPO / ../../etc ✓' })).toBe('grpo-etc');
    expect(recipeSlug({ id: 'run-1', name: '✓✓' })).toBe('run-1');
  });
});
