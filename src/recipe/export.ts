// exportRecipe: a run's recipe as the files a cluster trainer (EasyR1, verl, TRL) needs, in memory
// ({path, bytes}[]) so the browser can zip them (fflate) and the CLI can write them to a folder. The data has
// the curriculum order and GDQA groups applied; the config is the mapping table's output; unmapped options
// are listed in the README and the manifest.

import type { VqaRecord } from '../data/record.ts';
import type { RgbImage } from '../data/images/pixels.ts';
import { encodePng } from '../data/images/png-encode.ts';
import { sha256Text } from '../data/images/hash.ts';
import { applyImageTransforms } from '../augment/image-transforms.ts';
import { restoreGrpoConfig, type GrpoConfig } from '../rl/config.ts';
import { defaultCurriculumConfig, restoreCurriculumConfig, type CurriculumConfig } from '../curriculum/config.ts';
import { restoreAugmentConfig, type AugmentConfig } from '../augment/config.ts';
import { lexiconSimilarity, type SimilaritySource } from '../curriculum/similarity.ts';
import type { RunRecord } from '../runs/record.ts';
import { mapGrpoConfig, nestSettings, type MappedConfig, type TargetId } from './mapping.ts';
import { planRecipeRows, type RecipeRow } from './rows.ts';
import { writeRowsJsonl, writeRowsParquet, type ImageMode, type RowImage } from './data-files.ts';
import { easyr1FormatPrompt, promptParts } from './prompt.ts';
import { easyr1RewardFile, trlRewardFile, verlRewardFile } from './reward-files.ts';
import { easyr1LaunchScript, recipeReadme, trlTrainScript, verlLaunchScript, type LaunchOptions } from './launch.ts';
import { RECIPE_MANIFEST_FORMAT, RECIPE_MANIFEST_VERSION, type RecipeManifest } from './manifest.ts';
import { toYaml, type YamlValue } from './yaml.ts';

/** One file of an export. */
export interface ExportFile {
  /** Relative path with forward slashes ('data/train.parquet'). */
  path: string;
  bytes: Uint8Array;
}

/** Where the export finds the images of the records. */
export interface RecipeImageSource {
  /** The encoded file of an image reference (record.image), or undefined when it is missing. */
  file(ref: string): { bytes: Uint8Array; ext: string } | undefined;
  /** Decoded pixels, when known (AnatomySynth), so image-transform variants can be baked into new files. */
  pixels?(ref: string): RgbImage | undefined;
}

export interface RecipeExportInput {
  target: TargetId;
  runId: string;
  runName: string;
  grpo: GrpoConfig;
  curriculum: CurriculumConfig;
  augment: AugmentConfig;
  /** The dataset's records (only the train split is exported). */
  records: readonly VqaRecord[];
  images: RecipeImageSource;
  dataset: { name: string; fingerprint: string };
  /** Images inside the Parquet file or beside it. Default embed. */
  imageMode?: ImageMode;
  /** Similarity of the curriculum and redraws; default the built-in lexicon. */
  similarity?: SimilaritySource;
  launch?: Partial<LaunchOptions>;
  /** Export time (ISO); default now. */
  exportedAt?: string;
}

export interface RecipeExport {
  files: ExportFile[];
  manifest: RecipeManifest;
  mapped: MappedConfig;
  rows: RecipeRow[];
}

export const DEFAULT_LAUNCH: LaunchOptions = { model: 'Qwen/Qwen2.5-VL-7B-Instruct', nnodes: 1, gpusPerNode: 8 };

const text = (s: string) => new TextEncoder().encode(s);

/** The configs of a run record, each through its restore* (an empty curriculum or augment object = off). */
export function recipeConfigsFromRun(run: RunRecord): { grpo: GrpoConfig; curriculum: CurriculumConfig; augment: AugmentConfig } {
  const where = `run '${run.id}' config`;
  const grpo = restoreGrpoConfig(run.config.grpo, `${where}.grpo`);
  const curriculum =
    Object.keys(run.config.curriculum).length === 0
      ? { ...defaultCurriculumConfig(), enabled: false }
      : restoreCurriculumConfig(run.config.curriculum, `${where}.curriculum`);
  const augment = restoreAugmentConfig(run.config.augment, `${where}.augment`);
  return { grpo, curriculum, augment };
}

function safeName(ref: string): string {
  return ref.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 120) || 'image';
}

/** The image file of every row: one file per source image, plus one per transformed variant when pixels are known. */
function materialiseImages(rows: readonly RecipeRow[], source: RecipeImageSource, notes: string[]): { byRow: Map<string, RowImage>; files: ExportFile[] } {
  const byRow = new Map<string, RowImage>();
  const byRef = new Map<string, RowImage | null>();
  const used = new Set<string>();
  const files: ExportFile[] = [];
  const unique = (base: string, ext: string) => {
    let name = `images/${base}.${ext}`;
    for (let i = 2; used.has(name); i++) name = `images/${base}-${i}.${ext}`;
    used.add(name);
    return name;
  };
  let missing = 0;
  let unbaked = 0;
  for (const row of rows) {
    if (row.image === '') continue;
    if (row.imageTransforms.length > 0) {
      const px = source.pixels?.(row.image);
      if (px) {
        const out = applyImageTransforms(px, row.imageTransforms);
        const image = { path: unique(`${safeName(row.image)}--${safeName(row.rowId)}`, 'png'), bytes: encodePng({ ...out, data: out.data as Uint8Array }) };
        files.push({ path: image.path, bytes: image.bytes });
        byRow.set(row.rowId, image);
        continue;
      }
      unbaked++;
    }
    let image = byRef.get(row.image);
    if (image === undefined) {
      const f = source.file(row.image);
      image = f ? { path: unique(safeName(row.image), f.ext), bytes: f.bytes } : null;
      if (image) files.push({ path: image.path, bytes: image.bytes });
      else missing++;
      byRef.set(row.image, image);
    }
    if (image) byRow.set(row.rowId, image);
  }
  if (missing > 0) notes.push(`${missing} referenced images were not found; their rows have no image`);
  if (unbaked > 0) notes.push(`${unbaked} variant rows ask for image transforms that could not be applied (no pixels); the column image_transforms lists them`);
  return { byRow, files };
}

async function rowsFingerprint(rows: readonly RecipeRow[]): Promise<string> {
  return sha256Text(rows.map((r) => JSON.stringify([r.rowId, r.question, r.options, r.goldIndex])).join('\n'));
}

function targetFiles(input: RecipeExportInput, mapped: MappedConfig, launch: LaunchOptions, instruction: string): ExportFile[] {
  const comments = [`Exported by Anatomy-R1 Lab from run ${input.runId} (${input.runName}).`, 'Options with no equivalent here are listed in README.md and manifest.json.'];
  const nested = nestSettings(mapped.settings) as { [key: string]: YamlValue };
  switch (input.target) {
    case 'easyr1':
      return [
        { path: 'config.yaml', bytes: text(toYaml(nested, comments)) },
        { path: 'format_prompt.jinja', bytes: text(easyr1FormatPrompt(instruction)) },
        { path: 'reward_function.py', bytes: text(easyr1RewardFile(input.grpo)) },
        { path: 'run_easyr1.sh', bytes: text(easyr1LaunchScript(launch)) },
      ];
    case 'verl':
      return [
        { path: 'verl_grpo.yaml', bytes: text(toYaml(nested, [...comments, 'run_verl.sh passes these keys as Hydra overrides to verl.trainer.main_ppo.'])) },
        { path: 'reward_function.py', bytes: text(verlRewardFile(input.grpo)) },
        { path: 'run_verl.sh', bytes: text(verlLaunchScript(mapped, launch)) },
      ];
    case 'trl':
      return [
        { path: 'grpo_config.json', bytes: text(JSON.stringify(nested, null, 2) + '\n') },
        { path: 'rewards.py', bytes: text(trlRewardFile(input.grpo)) },
        { path: 'train_grpo.py', bytes: text(trlTrainScript(launch)) },
      ];
  }
}

export async function exportRecipe(input: RecipeExportInput): Promise<RecipeExport> {
  const imageMode = input.imageMode ?? 'embed';
  const launch: LaunchOptions = { ...DEFAULT_LAUNCH, ...input.launch };
  const similarity = input.similarity ?? lexiconSimilarity;
  const plan = planRecipeRows(input.records, { grpo: input.grpo, curriculum: input.curriculum, augment: input.augment, similarity });
  const notes = [...plan.notes];
  if (input.curriculum.enabled && input.similarity === undefined && input.curriculum.similarity !== 'lexicon') {
    notes.push(`curriculum similarity '${input.curriculum.similarity}' is not available to the export; S(q) uses the built-in lexicon`);
  }
  const mapped = mapGrpoConfig(input.target, input.grpo, {
    rowsPerStep: plan.rowsPerStep,
    rolloutsPerRow: plan.rolloutsPerRow,
    numProcesses: launch.nnodes * launch.gpusPerNode,
  });
  // Options that live in the data, not in the trainer config.
  if (input.curriculum.enabled) {
    notes.push('ASCL runs ahead of time: its order and redrawn options are frozen into the rows (shuffling off); manual queue controls are not carried');
  }
  if (plan.variantsPerQuestion > 1) {
    mapped.unmapped.push({
      field: 'augment',
      reason: `the ${plan.variantsPerQuestion} variants of a question are separate rows of ${plan.rolloutsPerRow} rollouts; the trainer computes advantages per row, not pooled over the group_id as the lab does`,
      active: true,
    });
  }

  const { byRow, files: imageFiles } = materialiseImages(plan.rows, input.images, notes);
  const kv = { 'anatomy-r1-lab.run_id': input.runId, 'anatomy-r1-lab.dataset_fingerprint': input.dataset.fingerprint };
  const parquet = writeRowsParquet(input.target, plan.rows, byRow, imageMode, kv);
  const jsonl = writeRowsJsonl(input.target, plan.rows, byRow);
  const instruction = plan.rows.length > 0 ? promptParts(plan.rows[0]).instruction : '';

  const files: ExportFile[] = [
    { path: 'data/train.parquet', bytes: parquet },
    { path: 'data/train.jsonl', bytes: text(jsonl) },
    ...imageFiles,
    ...targetFiles(input, mapped, launch, instruction),
  ];
  const manifest: RecipeManifest = {
    format: RECIPE_MANIFEST_FORMAT,
    version: RECIPE_MANIFEST_VERSION,
    target: input.target,
    runId: input.runId,
    runName: input.runName,
    exportedAt: input.exportedAt ?? new Date().toISOString(),
    dataset: { ...input.dataset },
    rowsFingerprint: await rowsFingerprint(plan.rows),
    rows: plan.rows.length,
    steps: input.grpo.steps,
    rowsPerStep: plan.rowsPerStep,
    rolloutsPerRow: plan.rolloutsPerRow,
    variantsPerQuestion: plan.variantsPerQuestion,
    imageMode,
    settings: mapped.settings,
    unmapped: mapped.unmapped,
    grpo: input.grpo,
    curriculum: input.curriculum,
    augment: input.augment,
    notes,
    files: [],
  };
  const readme = { path: 'README.md', bytes: text(recipeReadme(manifest, mapped, launch)) };
  files.push(readme);
  manifest.files = files.map((f) => ({ path: f.path, bytes: f.bytes.length }));
  files.push({ path: 'manifest.json', bytes: text(JSON.stringify(manifest, null, 2) + '\n') });
  return { files, manifest, mapped, rows: plan.rows };
}
