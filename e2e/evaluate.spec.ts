// The Evaluate panel end to end on AnatomySynth: evaluate the pretrained default when the build has it, else a
// micro checkpoint made here from fresh weights; read the VLMEvalKit-style table, the could-not-extract bucket
// with its examples and the speed; open a confusion cell and see its images, questions and answers; find the
// stored eval run in the Runs panel. Questions are capped: SwiftShader is slow.
import { expect, test, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { DEFAULT_SYNTH_CONFIG, generateAnatomySynth } from '../src/data/synth/anatomy-synth.ts';
import { MODEL_PRESETS, validateModelConfig } from '../src/model/config.ts';
import { PolicyParameters } from '../src/model/policy/parameters.ts';
import { writeCheckpoint } from '../src/model/safetensors.ts';
import { trainTokenizer } from '../src/model/tokenizer.ts';
import { tokenizerCorpus } from '../src/rl/trainer/prompting.ts';
import { CpuBackend } from '../src/tensor/cpu-backend.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/evaluate-${name}.png`, fullPage: true });
const PRETRAINED = 'public/models/anatomysynth-micro.safetensors';

/** A micro policy with fresh weights and a tokenizer learned from AnatomySynth's text (so prompts fit). */
async function microCheckpoint(): Promise<Buffer> {
  const records = generateAnatomySynth({ ...DEFAULT_SYNTH_CONFIG, questions: Math.min(200, DEFAULT_SYNTH_CONFIG.questions) }).records;
  const tokenizer = trainTokenizer(tokenizerCorpus(records), { vocabSize: MODEL_PRESETS.micro.vocabSize });
  const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, seed: 5 });
  const b = new CpuBackend();
  const weights = await PolicyParameters.init(b, config).readAll();
  return Buffer.from(writeCheckpoint(config, tokenizer, weights));
}

test('evaluate a policy: table, could-not-extract bucket, speed, confusion cell, stored run', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/?panel=data');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'AnatomySynth' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('job-demo')).toHaveCount(0);

  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const panel = page.getByTestId('panel-evaluate');
  await expect(panel.getByTestId('eval-setup')).toBeVisible();
  const usePretrained = existsSync(PRETRAINED);
  if (usePretrained) {
    await expect(panel.getByTestId('eval-pretrained-status')).toContainText('AnatomySynth-micro');
  } else {
    // Without the pretrained default the panel says so and moves on to a dropped checkpoint.
    await panel.getByRole('radio', { name: 'A .safetensors file' }).check();
    await panel.getByTestId('eval-checkpoint-input').setInputFiles({ name: 'micro-policy.safetensors', mimeType: 'application/octet-stream', buffer: await microCheckpoint() });
    await expect(panel.getByText(/micro-policy\.safetensors \(/)).toBeVisible();
  }
  await expect(panel.getByRole('combobox', { name: 'dataset' })).toContainText('AnatomySynth');
  await panel.getByRole('combobox', { name: 'split' }).selectOption('test');
  await panel.getByRole('spinbutton', { name: 'question cap' }).fill('6');
  await panel.getByRole('checkbox', { name: 'Likelihood' }).check();
  await panel.getByRole('checkbox', { name: 'Image-blind' }).check();
  await panel.getByRole('checkbox', { name: 'Question-only' }).check();
  await shot(page, 'setup');

  await panel.getByTestId('eval-run').click();
  await expect(panel.getByRole('progressbar')).toBeVisible();
  await expect(panel.getByTestId('eval-result')).toBeVisible({ timeout: 180_000 });
  await expect(panel.getByTestId('eval-error')).toHaveCount(0);

  // One table per metric, VLMEvalKit-style: Overall first, then the breakdown groups.
  for (const metric of ['greedy', 'likelihood', 'blind', 'question-only']) {
    const table = panel.getByTestId(`eval-table-${metric}`);
    await expect(table.locator('thead tr').nth(1).locator('th').first()).toHaveText('Overall');
    for (const group of ['Question type', 'Modality', 'Anatomy', 'Source']) await expect(table.locator('thead')).toContainText(group);
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table.locator('tbody td.num').first()).toHaveText(/^\d+\.\d$/);
  }

  // The bucket is shown with its numbers (a fresh micro policy rarely answers in the tag format).
  const bucket = panel.getByTestId('eval-unextractable');
  await expect(bucket.locator('.eval-big')).toContainText(/\d+ of \d+ completions/);
  if (!usePretrained) await expect(bucket.getByTestId('eval-answer').first()).toBeVisible();
  await expect(panel.getByTestId('eval-throughput')).toContainText('Questions / s');
  await shot(page, 'result');
  await panel.getByTestId('eval-result').screenshot({ path: 'test-results/screenshots/evaluate-card-tables.png' });
  await bucket.screenshot({ path: 'test-results/screenshots/evaluate-card-unextractable.png' });

  // A confusion cell opens its questions with their images and the model's answers.
  const confusion = panel.getByTestId('eval-confusion');
  const cells = confusion.locator('.eval-cell-button');
  await expect(cells.first()).toBeVisible();
  const count = Number(await cells.first().textContent());
  await cells.first().click();
  const detail = confusion.getByTestId('eval-cell-detail');
  await expect(detail.getByTestId('eval-answer')).toHaveCount(count);
  await expect(detail.locator('img.eval-thumb').first()).toBeVisible();
  await expect(detail.locator('.eval-completion').first()).toBeVisible();
  await detail.scrollIntoViewIfNeeded();
  await shot(page, 'confusion-cell');
  await confusion.screenshot({ path: 'test-results/screenshots/evaluate-card-confusion.png' });

  // The evaluation is a stored run: the Runs panel lists it.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('runs-table')).toContainText(usePretrained ? 'pretrained on AnatomySynth' : 'micro-policy.safetensors on AnatomySynth');
});
