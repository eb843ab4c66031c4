// `lab export --run <run.json> --target easyr1|verl|trl --out <dir>`: a run's recipe as the files a cluster
// trainer needs (data with the curriculum order and GDQA groups applied, config, rewards, README with the launch
// command, manifest). The dataset is AnatomySynth 'demo' unless --dataset names files, folders or zips, which
// are read exactly as `lab inspect` and the Data panel read them.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { choiceOption, intOption, UsageError, type Command, type ParsedArgs, withUsage } from '../command.ts';
import { readRunFile } from '../run-file.ts';
import { generateAnatomySynth } from '../../src/data/synth/anatomy-synth.ts';
import { intakeFromPaths } from '../../src/data/intake/node-files.ts';
import { loadDataset } from '../../src/data/load.ts';
import { DEFAULT_READ_CONFIG } from '../../src/data/formats/types.ts';
import type { VqaRecord } from '../../src/data/record.ts';
import { ConfigError } from '../../src/curriculum/restore-fields.ts';
import { DEFAULT_LAUNCH, exportRecipe as buildRecipeExport, recipeConfigsFromRun, type RecipeImageSource } from '../../src/recipe/export.ts';
import { TARGETS, type TargetId } from '../../src/recipe/mapping.ts';
import { fileMapImageSource, synthFingerprint, synthImageSource } from '../../src/recipe/sources.ts';

const USAGE =
  'usage: export --run <run.json> --target easyr1|verl|trl --out <dir> [--dataset <path>[,<path>...]] [--id <run id>] ' +
  '[--images embed|path] [--model <hf id>] [--nnodes N] [--gpus-per-node N]';

const KNOWN = new Set(['run', 'target', 'out', 'dataset', 'id', 'images', 'model', 'nnodes', 'gpus-per-node', 'json']);

function required(args: ParsedArgs, name: string): string {
  const v = args.options.get(name);
  if (v === undefined || v === 'true' || v === '') throw new UsageError(`--${name} is required\n${USAGE}`);
  return v;
}

interface LoadedData {
  name: string;
  fingerprint: string;
  records: VqaRecord[];
  images: RecipeImageSource;
}

async function demoDataset(): Promise<LoadedData> {
  const synth = generateAnatomySynth();
  return { name: `AnatomySynth demo (seed ${synth.config.seed})`, fingerprint: await synthFingerprint(synth), records: synth.records, images: synthImageSource(synth) };
}

async function datasetFromPaths(spec: string): Promise<LoadedData> {
  const paths = spec.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`--dataset ${p}: no such file or folder`);
  const loaded = await loadDataset(await intakeFromPaths(paths), DEFAULT_READ_CONFIG, { hashImages: true });
  if (!loaded.detection) throw new UsageError(`--dataset: no dataset recognised in ${paths.join(', ')}`);
  if (loaded.records.length === 0) throw new UsageError(`--dataset: ${loaded.report.formatLabel}: no usable record`);
  const bytes = new Map<string, Uint8Array>();
  const wanted = new Set(loaded.records.filter((r) => r.split === 'train').map((r) => r.image));
  for (const [ref, status] of loaded.images) if (wanted.has(ref) && status.file && status.info) bytes.set(ref, await status.file.read());
  return { name: paths.map((p) => p.replace(/[/\\]+$/, '').split(/[/\\]/).pop()).join('+'), fingerprint: loaded.report.fingerprint, records: loaded.records, images: fileMapImageSource(bytes) };
}

export const exportRecipe: Command = withUsage(USAGE, async (args) => {
  const unknown = [...args.options.keys()].filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown.map((k) => `--${k}`).join(', ')}\n${USAGE}`);
  if (args.positional.length > 0) throw new UsageError(`unexpected arguments: ${args.positional.join(' ')}\n${USAGE}`);
  const runFile = required(args, 'run');
  const targetRaw = required(args, 'target');
  if (!(TARGETS as readonly string[]).includes(targetRaw)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}, got '${targetRaw}'`);
  const target = targetRaw as TargetId;
  const out = resolve(required(args, 'out'));
  const imageMode = choiceOption(args, 'images', ['embed', 'path'] as const, 'embed');
  const model = args.options.get('model') ?? DEFAULT_LAUNCH.model;
  if (model === 'true' || model === '') throw new UsageError('--model needs a model id or path');
  const nnodes = intOption(args, 'nnodes', DEFAULT_LAUNCH.nnodes, 1, 4096);
  const gpusPerNode = intOption(args, 'gpus-per-node', DEFAULT_LAUNCH.gpusPerNode, 1, 64);

  const run = readRunFile(runFile, args.options.get('id'));
  let configs;
  try {
    configs = recipeConfigsFromRun(run);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(`${runFile}: ${err.message}`);
    throw err;
  }
  const datasetSpec = args.options.get('dataset');
  if (datasetSpec === 'true') throw new UsageError('--dataset needs a path');
  const data = datasetSpec === undefined ? await demoDataset() : await datasetFromPaths(datasetSpec);

  let result;
  try {
    result = await buildRecipeExport({
      target,
      runId: run.id,
      runName: run.name,
      ...configs,
      records: data.records,
      images: data.images,
      dataset: { name: data.name, fingerprint: data.fingerprint },
      imageMode,
      launch: { model, nnodes, gpusPerNode },
    });
  } catch (err) {
    // Only "nothing to export" comes from the input; anything else is a bug and keeps its stack.
    if (err instanceof Error && /nothing to export/.test(err.message)) throw new UsageError(err.message);
    throw err;
  }
  for (const f of result.files) {
    const path = join(out, ...f.path.split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.bytes);
  }
  const m = result.manifest;
  const active = m.unmapped.filter((u) => u.active).map((u) => u.field);
  return {
    json: { out, files: m.files.length + 1, manifest: m },
    message:
      `${target}: ${m.rows} rows (${m.steps} steps x ${m.rowsPerStep}) and ${result.files.length} files in ${out}` +
      (active.length > 0 ? `; not carried over: ${active.join(', ')} (see README.md)` : ''),
  };
});
