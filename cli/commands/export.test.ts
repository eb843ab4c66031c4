import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { exportRecipe } from './export.ts';
import { parseArgs, UsageError } from '../command.ts';
import { sampleRunRecord } from '../../src/runs/sample-run.ts';
import { defaultGrpoConfig } from '../../src/rl/config.ts';
import { defaultCurriculumConfig } from '../../src/curriculum/config.ts';
import { defaultAugmentConfig } from '../../src/augment/config.ts';
import { generateAnatomySynth } from '../../src/data/synth/anatomy-synth.ts';
import { encodePng } from '../../src/data/images/png-encode.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-export-'));
const run = (...argv: string[]) => exportRecipe(parseArgs(argv));

async function usageError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('no UsageError');
}

const record = sampleRunRecord(10);
record.config.grpo = { ...defaultGrpoConfig(), steps: 4, batchSize: 2 } as unknown as typeof record.config.grpo;
record.config.curriculum = defaultCurriculumConfig() as unknown as typeof record.config.curriculum;
record.config.augment = { ...defaultAugmentConfig(), enabled: true, applyTo: 'all', variants: 2 } as unknown as typeof record.config.augment;
const runFile = join(dir, 'run.json');
writeFileSync(runFile, JSON.stringify(record));

describe('lab export', () => {
  it('writes a verl recipe folder from a run file and the AnatomySynth demo', async () => {
    const out = join(dir, 'verl');
    const result = await run('--run', runFile, '--target', 'verl', '--out', out);
    expect(result.message).toMatch(/^verl: 16 rows \(4 steps x 4\)/);
    for (const f of ['data/train.parquet', 'data/train.jsonl', 'verl_grpo.yaml', 'run_verl.sh', 'reward_function.py', 'README.md', 'manifest.json']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.runId).toBe(record.id);
    expect(manifest.dataset.name).toMatch(/AnatomySynth demo/);
    const buf = readFileSync(join(out, 'data/train.parquet'));
    const rows = await parquetReadObjects({ file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer });
    expect(rows.length).toBe(16);
    expect(rows.map((r) => r.variant_id)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
  });

  it('reads a dataset folder with --dataset and references images by path', async () => {
    const synth = generateAnatomySynth({ questions: 40, imageSize: 8 });
    const data = join(dir, 'vqa');
    const images = join(data, 'images');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(images, { recursive: true });
    const items = synth.records.map((r, i) => {
      const name = `img${i % 10}.png`;
      writeFileSync(join(images, name), encodePng(synth.images.get(r.image)!));
      return { image: [`images/${name}`], problem: r.question, solution: 'A', question: r.question, options: r.options, answer: r.options[r.goldIndex], dataset: 'synth', subset: 'train' };
    });
    writeFileSync(join(data, 'train.json'), JSON.stringify(items));
    const out = join(dir, 'trl');
    const result = await run('--run', runFile, '--target', 'trl', '--out', out, '--dataset', data, '--images', 'path', '--gpus-per-node', '2');
    expect(result.message).toMatch(/^trl: /);
    const config = JSON.parse(readFileSync(join(out, 'grpo_config.json'), 'utf8'));
    // 2 questions x 2 variants x 4 rollouts over 2 processes.
    expect(config.per_device_train_batch_size).toBe(8);
    const first = JSON.parse(readFileSync(join(out, 'data/train.jsonl'), 'utf8').split('\n')[0]);
    expect(existsSync(join(out, first.image.path))).toBe(true);
  }, 30_000);

  it('refuses bad flags with a UsageError naming them', async () => {
    expect(await usageError(run('--target', 'verl', '--out', dir))).toMatch(/--run is required/);
    expect(await usageError(run('--run', runFile, '--target', 'openrlhf', '--out', dir))).toMatch(/--target must be one of easyr1, verl, trl/);
    expect(await usageError(run('--run', runFile, '--target', 'verl'))).toMatch(/--out is required/);
    expect(await usageError(run('--run', runFile, '--target', 'verl', '--out', dir, '--images', 'inline'))).toMatch(/--images must be one of embed, path/);
    expect(await usageError(run('--run', runFile, '--target', 'verl', '--out', dir, '--nnodes', '0'))).toMatch(/--nnodes must be an integer/);
    expect(await usageError(run('--run', runFile, '--target', 'verl', '--out', dir, '--bogus', '1'))).toMatch(/unknown option --bogus/);
    expect(await usageError(run('--run', join(dir, 'missing.json'), '--target', 'verl', '--out', dir))).toMatch(/cannot read/);
    expect(await usageError(run('--run', runFile, '--target', 'verl', '--out', dir, '--dataset', join(dir, 'nope')))).toMatch(/no such file or folder/);
  });

  it('names the bad config field of the run', async () => {
    const bad = structuredClone(record);
    (bad.config.grpo as Record<string, unknown>).groupSize = 1;
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(bad));
    expect(await usageError(run('--run', file, '--target', 'verl', '--out', join(dir, 'bad')))).toMatch(/config\.grpo\.groupSize/);
  });
});
