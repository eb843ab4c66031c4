// Recipe export and results import end to end: a TRL trainer_state.json becomes a run with its curve in the
// Runs panel; a run (imported as JSON) is exported as a verl recipe on AnatomySynth, created on first start, and
// the download is a zip holding the manifest, the config and the Parquet data, with the mapping shown in words.
import { expect, test, type Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { defaultAugmentConfig } from '../src/augment/config.ts';
import { defaultCurriculumConfig } from '../src/curriculum/config.ts';
import { defaultGrpoConfig } from '../src/rl/config.ts';
import type { JsonObject } from '../src/runs/record.ts';
import { sampleRunRecord } from '../src/runs/sample-run.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/recipe-${name}.png`, fullPage: true });
const fixture = (name: string) => readFileSync(new URL(`../src/recipe/fixtures/${name}`, import.meta.url));

/** A lab run with ASCL on and GDQA (2 variants, every question): 4 steps of 2 questions. */
function labRun() {
  const run = { ...sampleRunRecord(20, 'run-ascl-gdqa'), name: 'GRPO + ASCL + GDQA' };
  run.config = {
    ...run.config,
    grpo: { ...defaultGrpoConfig(), steps: 4, batchSize: 2, beta: 0.04, epsHigh: 0.28, gpgRescale: true } as unknown as JsonObject,
    curriculum: defaultCurriculumConfig() as unknown as JsonObject,
    augment: { ...defaultAugmentConfig(), enabled: true, applyTo: 'all', variants: 2 } as unknown as JsonObject,
  };
  return run;
}

test('import a TRL trainer_state.json as a run with its curve', async ({ page }) => {
  await page.goto('/?panel=runs');
  await page.getByTestId('results-import-input').setInputFiles([
    { name: 'trainer_state.json', mimeType: 'application/json', buffer: fixture('trl-trainer_state.json') },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello, not a log') },
  ]);
  const reports = page.getByTestId('results-reports');
  await expect(reports).toContainText('trainer_state.json: 1 run imported (trainer_state.json, TRL metric names mapped)');
  await expect(reports).toContainText('4 logged steps');
  await expect(reports).toContainText('notes.txt: not a metrics log');
  const row = page.getByTestId('runs-table').locator('tbody tr', { hasText: 'trainer_state.json' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('imported');
  // Imported runs are ticked, so their curves open in the comparison at once.
  await expect(row.getByRole('checkbox')).toBeChecked();
  const compare = page.getByTestId('compare-pane');
  await expect(compare.getByTestId('chart-reward').locator('path')).toHaveCount(1);
  await expect(compare.getByTestId('chart-frac_reward_zero_std')).toBeVisible();
  await shot(page, 'imported');

  // Shareable like any run: its link carries the imported curve.
  await page.getByRole('button', { name: 'share trainer_state.json' }).click();
  await expect(page.getByTestId('share-url')).toHaveValue(/#run=v1\./);
  await page.getByRole('button', { name: 'share trainer_state.json' }).click();

  // An imported run without its manifest has no recipe to export, and says so.
  await page.getByRole('button', { name: 'export recipe of trainer_state.json' }).click();
  await expect(page.getByTestId('recipe-no-config')).toContainText('no GRPO config');
});

test('export a run as a verl recipe on AnatomySynth: a zip with manifest, config and Parquet', async ({ page }) => {
  await page.goto('/?panel=runs');
  await page.getByTestId('runs-import-input').setInputFiles([
    { name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(labRun())) },
  ]);
  await expect(page.getByTestId('import-reports')).toContainText('run.json: imported 1 run');
  await page.getByRole('button', { name: 'export recipe of GRPO + ASCL + GDQA' }).click();
  const pane = page.getByTestId('recipe-export');
  // AnatomySynth is stored on first start; the run was made elsewhere, which the pane says before exporting.
  await expect(pane.getByLabel('dataset to export').locator('option', { hasText: 'AnatomySynth' })).toHaveCount(1, { timeout: 60_000 });
  await expect(pane.getByTestId('recipe-dataset-differs')).toContainText('the recipe will use AnatomySynth');
  await pane.getByRole('radio', { name: /verl/ }).check();
  await shot(page, 'export-form');

  const [download] = await Promise.all([page.waitForEvent('download'), pane.getByRole('button', { name: 'Export verl recipe (.zip)' }).click()]);
  expect(download.suggestedFilename()).toBe('grpo-ascl-gdqa-verl.zip');
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const dir = 'grpo-ascl-gdqa-verl/';
  for (const f of ['manifest.json', 'verl_grpo.yaml', 'run_verl.sh', 'reward_function.py', 'README.md', 'data/train.parquet', 'data/train.jsonl']) {
    expect(Object.keys(files), f).toContain(dir + f);
  }
  const manifest = JSON.parse(strFromU8(files[dir + 'manifest.json']));
  expect(manifest.runId).toBe('run-ascl-gdqa');
  expect(manifest.dataset.name).toMatch(/AnatomySynth/);
  expect(manifest.rows).toBe(16);
  const parquet = files[dir + 'data/train.parquet'];
  expect(strFromU8(parquet.subarray(0, 4))).toBe('PAR1');
  expect(strFromU8(parquet.subarray(parquet.length - 4))).toBe('PAR1');
  expect(strFromU8(files[dir + 'verl_grpo.yaml'])).toMatch(/clip_ratio_high: 0\.28/);

  // The mapping in words: each field, its verl key and value; what verl cannot express, with the reason.
  const summary = page.getByTestId('recipe-summary');
  await expect(summary).toContainText('Downloaded grpo-ascl-gdqa-verl.zip');
  await expect(summary).toContainText('16 rows = 4 steps × 4 rows');
  const mapping = summary.getByTestId('recipe-mapping');
  await expect(mapping.locator('tr[data-field="epsHigh"]')).toContainText('actor_rollout_ref.actor.clip_ratio_high');
  await expect(mapping.locator('tr[data-field="epsHigh"]')).toContainText('0.28');
  await expect(mapping.locator('tr[data-field="gpgRescale"]')).toContainText('not carried');
  const unmapped = summary.getByTestId('recipe-unmapped');
  await expect(unmapped).toContainText('gpgRescale');
  await expect(unmapped).toContainText('augment: the 2 variants of a question are separate rows');
  await shot(page, 'export-done');
});
