import { describe, it, expect } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { generateAnatomySynth } from '../data/synth/anatomy-synth.ts';
import { encodePng } from '../data/images/png-encode.ts';
import { defaultGrpoConfig, type GrpoConfig } from '../rl/config.ts';
import { defaultCurriculumConfig, type CurriculumConfig } from '../curriculum/config.ts';
import { CurriculumScheduler } from '../curriculum/scheduler.ts';
import { buildAnswerPools } from '../curriculum/redraw.ts';
import { optionSetSimilarity } from '../curriculum/difficulty.ts';
import { lexiconSimilarity } from '../curriculum/similarity.ts';
import { defaultAugmentConfig, type AugmentConfig } from '../augment/config.ts';
import { applyImageTransforms, type ImageTransform } from '../augment/image-transforms.ts';
import { exportRecipe, type ExportFile, type RecipeExportInput } from './export.ts';
import { synthFingerprint, synthImageSource } from './sources.ts';
import type { TargetId } from './mapping.ts';
import type { ImageMode } from './data-files.ts';

const synth = generateAnatomySynth({ questions: 240, imageSize: 16 });
const grpo: GrpoConfig = { ...defaultGrpoConfig(), groupSize: 8, batchSize: 3, steps: 8 };
// ASCL on (reorder + redraw, hold-then-ramp) and GDQA on (4 variants, every operator, image transforms too).
const ascl: CurriculumConfig = defaultCurriculumConfig();
const gdqa: AugmentConfig = { ...defaultAugmentConfig(), enabled: true, applyTo: 'all', variants: 4, operators: { permute: true, paraphrase: true, redraw: true, image: true } };

async function run(target: TargetId, imageMode: ImageMode, over: Partial<RecipeExportInput> = {}) {
  return exportRecipe({
    target,
    runId: 'run-2026-11-25-ascl-gdqa',
    runName: 'ASCL + GDQA',
    grpo,
    curriculum: ascl,
    augment: gdqa,
    records: synth.records,
    images: synthImageSource(synth),
    dataset: { name: 'AnatomySynth demo', fingerprint: await synthFingerprint(synth) },
    imageMode,
    exportedAt: '2026-11-25T14:00:00.000Z',
    ...over,
  });
}

function file(files: ExportFile[], path: string): Uint8Array {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no file ${path} in the export (${files.map((x) => x.path).join(', ')})`);
  return f.bytes;
}

async function readParquet(files: ExportFile[]): Promise<Record<string, unknown>[]> {
  const bytes = file(files, 'data/train.parquet');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file: buffer, utf8: false })) as Record<string, unknown>[];
}

const decoder = new TextDecoder();
const sameBytes = (a: unknown, b: Uint8Array) => a instanceof Uint8Array && a.length === b.length && a.every((v, i) => v === b[i]);

/** The question ids the curriculum poses at each step, computed here from the scheduler directly. */
function scheduledIds(curriculum: CurriculumConfig): string[][] {
  const train = synth.records.filter((r) => r.split === 'train');
  const scheduler = new CurriculumScheduler(train, curriculum, lexiconSimilarity, { batchSize: grpo.batchSize, totalSteps: grpo.steps, pools: buildAnswerPools(train) });
  return Array.from({ length: grpo.steps }, (_, s) => scheduler.batchAt(s).map((q) => q.record.id));
}

describe('recipe export round trip (AnatomySynth, ASCL + GDQA on)', () => {
  it('writes verl rows in curriculum order with their variants, S(q), stage and embedded images', async () => {
    const out = await run('verl', 'embed');
    const rows = await readParquet(out.files);
    expect(rows.length).toBe(grpo.steps * grpo.batchSize * 4);
    expect(out.manifest.rows).toBe(rows.length);

    // Order: step by step, the scheduler's questions in its order, each followed by its variants 0..3.
    const expectedGroups = scheduledIds(ascl).flatMap((ids, step) => ids.map((id) => ({ step, id })));
    rows.forEach((r, i) => {
      const g = expectedGroups[Math.floor(i / 4)];
      expect(r.position).toBe(i);
      expect(r.step).toBe(g.step);
      expect(r.record_id).toBe(g.id);
      expect(r.variant_id).toBe(i % 4);
      expect(r.group_id).toBe(`${g.step}-${g.id}`);
      expect(r.rollouts).toBe(2);
    });

    const px = (ref: string) => synth.images.get(ref)!;
    let transformed = 0;
    for (const r of rows) {
      const options = r.options as string[];
      const letter = r.gold_letter as string;
      const gold = options[letter.charCodeAt(0) - 65];
      // Every variant asks about the same answer, with its own gold letter, as verl's rule reward reads it.
      expect(gold).toBe(r.answer_text);
      expect((r.reward_model as { ground_truth: string }).ground_truth).toBe(`${letter}. ${gold}`);
      expect(r.similarity as number).toBeCloseTo(optionSetSimilarity(options, options.indexOf(gold), lexiconSimilarity)!, 12);
      const prompt = (r.prompt as { role: string; content: string }[])[0];
      expect(prompt.role).toBe('user');
      expect(prompt.content.startsWith('<image>Question:\n')).toBe(true);
      expect(prompt.content).toContain(`\n${letter}. ${gold}\n`);

      // Images: PNG bytes of the scene, or of the scene with the variant's transforms applied.
      const image = (r.images as { bytes: Uint8Array; path: string }[])[0];
      const ref = synth.records.find((x) => x.id === r.record_id)!.image;
      const transforms = JSON.parse(r.image_transforms as string) as ImageTransform[];
      const baked = applyImageTransforms(px(ref), transforms);
      const want = encodePng(transforms.length === 0 ? px(ref) : { ...baked, data: baked.data as Uint8Array });
      if (transforms.length > 0) transformed++;
      expect(sameBytes(image.bytes, want)).toBe(true);
      expect(decoder.decode(image.bytes.subarray(1, 4))).toBe('PNG');
      expect(sameBytes(file(out.files, image.path), want)).toBe(true);
    }
    expect(transformed).toBeGreaterThan(0);

    // Variants of one group differ (paraphrase / redraw / permute) and start with the question as scheduled.
    const first = rows.slice(0, 4);
    expect(new Set(first.map((r) => JSON.stringify([r.question, r.options]))).size).toBeGreaterThan(1);
    expect(JSON.parse(first[0].variant_operators as string)).toEqual(['original']);

    // ASCL: held at the easiest level first, at the natural level by 80% of training.
    expect(rows[0].stage).toBe('easiest');
    expect(rows[0].pacing_level).toBe(0);
    expect(rows.at(-1)!.stage).toBe('natural');
    const meanS = (step: number) => {
      const s = rows.filter((r) => r.step === step && r.variant_id === 0).map((r) => r.similarity as number);
      return s.reduce((a, b) => a + b, 0) / s.length;
    };
    expect(meanS(0)).toBeLessThan(meanS(grpo.steps - 1));
  });

  it('writes the same rows as JSONL and ties the files to the run and dataset', async () => {
    const out = await run('verl', 'embed');
    const rows = await readParquet(out.files);
    const lines = decoder.decode(file(out.files, 'data/train.jsonl')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.row_id)).toEqual(rows.map((r) => r.row_id));
    // JSONL references images by path; verl's path layout is {"image": path} (qwen_vl_utils.fetch_image).
    expect(lines[0].images).toEqual([{ image: (rows[0].images as { path: string }[])[0].path }]);

    const manifest = JSON.parse(decoder.decode(file(out.files, 'manifest.json')));
    expect(manifest.runId).toBe('run-2026-11-25-ascl-gdqa');
    expect(manifest.dataset.fingerprint).toBe(await synthFingerprint(synth));
    expect(manifest.dataset.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.rowsFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.files.map((f: { path: string }) => f.path)).toContain('data/train.parquet');
    const bytes = file(out.files, 'data/train.parquet');
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    expect(meta.key_value_metadata).toContainEqual({ key: 'anatomy-r1-lab.run_id', value: 'run-2026-11-25-ascl-gdqa' });

    // G = 8 split over 4 variants: 2 rollouts per row, 12 rows per step.
    const settings = Object.fromEntries(out.mapped.settings.map((s) => [s.key, s.value]));
    expect(settings['actor_rollout_ref.rollout.n']).toBe(2);
    expect(settings['data.train_batch_size']).toBe(12);
    expect(settings['data.shuffle']).toBe(false);
    const yaml = decoder.decode(file(out.files, 'verl_grpo.yaml'));
    expect(yaml).toMatch(/^actor_rollout_ref:\n(?: {2}.*\n)*? {2}rollout:\n(?: {4}.*\n)*? {4}"n": 2\n/m);
    const script = decoder.decode(file(out.files, 'run_verl.sh'));
    expect(script).toContain("'actor_rollout_ref.rollout.n=2'");
    expect(script).toContain('python3 -m verl.trainer.main_ppo');
    const readme = decoder.decode(file(out.files, 'README.md'));
    expect(readme).toContain('bash run_verl.sh');
    expect(readme).toMatch(/`augment`: the 4 variants/);
  });

  it('references images by relative path in path mode (EasyR1: strings joined with data.image_dir)', async () => {
    const out = await run('easyr1', 'path');
    const rows = await readParquet(out.files);
    for (const r of rows.slice(0, 12)) {
      const images = r.images as string[];
      expect(typeof images[0]).toBe('string');
      expect(images[0]).toBe(r.image_ref);
      expect(file(out.files, images[0]).length).toBeGreaterThan(0);
      expect((r.problem as string).startsWith('<image>Question:\n')).toBe(true);
      expect(r.problem as string).not.toContain('<answer>');
      expect(r.answer).toBe(`${r.gold_letter}. ${r.answer_text}`);
    }
    const jinja = decoder.decode(file(out.files, 'format_prompt.jinja'));
    expect(jinja).toContain('{{ content | trim }}');
    expect(jinja).toContain('<answer> </answer>');
    expect(decoder.decode(file(out.files, 'config.yaml'))).toContain('  rollout_batch_size: 12\n');
    expect(decoder.decode(file(out.files, 'reward_function.py'))).toContain('def compute_score(reward_inputs');
  });

  it('writes the TRL layout (prompt, image, solution) with a null image byte field in path mode', async () => {
    const out = await run('trl', 'path');
    const rows = await readParquet(out.files);
    const r = rows[0];
    expect((r.prompt as { content: string }[])[0].content.startsWith('Question:\n')).toBe(true);
    const image = r.image as { bytes: Uint8Array | null; path: string };
    expect(image.bytes).toBeNull();
    expect(image.path.startsWith('images/')).toBe(true);
    expect(r.solution).toBe(`${r.gold_letter}. ${r.answer_text}`);
    const config = JSON.parse(decoder.decode(file(out.files, 'grpo_config.json')));
    expect(config).toMatchObject({ num_generations: 2, per_device_train_batch_size: 3, shuffle_dataset: false, loss_type: 'bnpo', scale_rewards: 'group' });
    expect(decoder.decode(file(out.files, 'README.md'))).toContain('torchrun --standalone --nproc_per_node 8 train_grpo.py');
  });

  it('with both off, exports the plain schedule: one row per question, variant 0, stage off', async () => {
    const off = { ...ascl, enabled: false };
    const out = await run('verl', 'embed', { curriculum: off, augment: defaultAugmentConfig() });
    const rows = await readParquet(out.files);
    expect(rows.map((r) => r.record_id)).toEqual(scheduledIds(off).flat());
    expect(rows.every((r) => r.variant_id === 0 && r.stage === 'off' && r.rollouts === 8)).toBe(true);
    expect(out.mapped.settings.find((s) => s.key === 'actor_rollout_ref.rollout.n')?.value).toBe(8);
  });
});
