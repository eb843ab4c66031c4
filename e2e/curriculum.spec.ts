// The Curriculum and Augmentation panels end to end on AnatomySynth (made on first start): the S(q) histogram,
// the pacing curve and the queue; a pacing change redraws the curve; an excluded question leaves the queue; the
// augmentation preview shows K variants of a question with the gold marked and their images. The similarity
// sources: policy embeddings recompute the histogram; a tiny ONNX text-embedding model + tokenizer.json built
// in code (the unit tests' fixture) is dropped, becomes 'onnx:<name>' and drives the analysis; bad drops are named.
import { expect, test, type Page } from '@playwright/test';
import { ANATOMY_LEXICON } from '../src/curriculum/anatomy-lexicon.ts';
import { fixtureOnnxModel, fixtureTokenizerJson, type EmbeddingFixtureOptions } from '../src/curriculum/onnx-embedding-fixture.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

async function waitForDemo(page: Page) {
  await page.goto('/?panel=data');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'AnatomySynth' })).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('job-demo')).toHaveCount(0);
}

const curvePath = (page: Page) => page.getByTestId('chart-Pacing curve').locator('path').first().getAttribute('d');

test('curriculum: histogram, pacing curve, queue, and manual exclude', async ({ page }) => {
  await waitForDemo(page);
  await page.getByRole('tab', { name: 'Curriculum' }).click();
  const panel = page.getByTestId('panel-curriculum');
  await expect(panel.getByTestId('histogram-S(q) over the dataset')).toContainText('values');
  await expect(panel.getByTestId('histogram-S(q) over the dataset').locator('rect.bar')).toHaveCount(20);
  await expect(panel.getByTestId('cur-formula')).toContainText('S(q) =');
  const rows = panel.getByTestId('queue-question');
  await expect(rows).toHaveCount(3 * 8);
  // The options as posed carry one gold mark (redrawn questions also list the released options, with theirs).
  await expect(rows.first().locator('.cur-options').first().locator('[data-gold="true"]')).toHaveCount(1);
  await expect(panel.getByTestId('cur-source-used')).toContainText('Built-in anatomy lexicon');
  await shot(page, 'curriculum-default');
  for (const card of ['cur-source', 'cur-pacing', 'cur-charts']) {
    await panel.getByTestId(card).screenshot({ path: `test-results/screenshots/curriculum-card-${card}.png` });
  }
  await panel.getByTestId('queue-step').first().screenshot({ path: 'test-results/screenshots/curriculum-card-queue.png' });

  // Pacing: switching to linear changes the curve.
  const before = await curvePath(page);
  await panel.getByTestId('cur-pacing-kind').selectOption('linear');
  await expect.poll(() => curvePath(page)).not.toBe(before);
  const linear = await curvePath(page);
  // Mode off: the level is flat at the natural level, so the curve changes again.
  await panel.getByTestId('cur-mode-off').check();
  await expect.poll(() => curvePath(page)).not.toBe(linear);
  await panel.getByTestId('cur-mode-both').check();
  await panel.getByTestId('cur-pacing-kind').selectOption('holdRamp');

  // Scrub to a later step: the queue starts there.
  await panel.getByTestId('cur-step').fill('120');
  await expect(panel.getByTestId('queue-step').first()).toHaveAttribute('data-step', '120');
  await expect(panel.getByTestId('cur-step-readout')).toContainText('120');

  // Exclude the first queued question: it leaves the queue and is listed under manual controls.
  const first = rows.first();
  const id = await first.getAttribute('data-id');
  expect(id).toBeTruthy();
  await first.getByTestId('exclude-button').click();
  await expect(panel.locator(`[data-testid="queue-question"][data-id="${id}"]`)).toHaveCount(0);
  await expect(panel.locator(`[data-testid="controlled-row"][data-id="${id}"]`)).toContainText('excluded');

  // The pair explorer explains a lexicon score and the n-gram fallback.
  await expect(panel.getByTestId('pair-terms')).toContainText('same fine region');
  await panel.getByTestId('pair-b').fill('Zygomatic flux capacitor');
  await expect(panel.getByTestId('cur-pair')).toContainText('trigram');
  await panel.getByTestId('pair-b').fill('Gallbladder');
  await shot(page, 'curriculum-excluded');

  // Kept over a reload (IndexedDB per dataset fingerprint).
  await page.reload();
  await expect(page.locator(`[data-testid="controlled-row"][data-id="${id}"]`)).toContainText('excluded', { timeout: 30_000 });
  await page.locator(`[data-testid="controlled-row"][data-id="${id}"]`).getByRole('button', { name: 'Include again' }).click();
  await expect(page.getByTestId('cur-controlled')).toHaveCount(0);
});

test('augmentation: K variants of a question side by side with the gold marked', async ({ page }) => {
  await waitForDemo(page);
  await page.getByRole('tab', { name: 'Augmentation' }).click();
  const panel = page.getByTestId('panel-augmentation');
  await expect(panel.getByTestId('aug-split')).toContainText('4 × 2');
  const groups = panel.getByTestId('aug-group');
  await expect(groups).toHaveCount(3);
  const variants = groups.first().getByTestId('aug-variant');
  await expect(variants).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    await expect(variants.nth(i).locator('[data-gold="true"]')).toHaveCount(1);
    await expect(variants.nth(i).locator('img')).toHaveJSProperty('naturalWidth', 64);
  }
  // The gold text is the same in every variant.
  const golds = await variants.locator('[data-gold="true"]').allInnerTexts();
  const text = (s: string) => s.replace(/^[A-H]\.\s*/, '').replace(/\s*✓ gold$/, '');
  expect(new Set(golds.map(text)).size).toBe(1);
  // The live groups of a training run are augmentation-live.spec.ts's.
  await expect(panel.getByTestId('aug-flip-warning')).toContainText('left and right');

  // Image transforms on: the variants carry transform descriptors.
  await panel.getByTestId('aug-op-image').check();
  await expect(panel.locator('.aug-transforms').filter({ hasText: /crop|shift|brightness|contrast/ }).first()).toBeVisible();
  // K = 3 splits G = 8 unevenly.
  await panel.getByTestId('aug-k').fill('3');
  await expect(panel.getByTestId('aug-split')).toContainText('3 + 3 + 2');
  await expect(groups.first().getByTestId('aug-variant')).toHaveCount(3);
  await shot(page, 'augmentation-variants');
  await panel.getByTestId('aug-config').screenshot({ path: 'test-results/screenshots/augmentation-card-config.png' });
  await groups.first().screenshot({ path: 'test-results/screenshots/augmentation-card-group.png' });

  // A template edit that breaks a family is refused with the field named.
  await panel.getByRole('button', { name: /sgg-position/ }).click();
  await panel.getByTestId('aug-template-text').fill('Only one phrasing {position}');
  await panel.getByTestId('aug-templates-save').click();
  await expect(panel.getByTestId('aug-templates-error')).toContainText('at least two phrasings');
  await shot(page, 'augmentation-templates');
});

/** Heights of the S(q) histogram's bars: they change when S(q) is measured with another source. */
const bars = (page: Page) => page.getByTestId('histogram-S(q) over the dataset').locator('rect.bar').evaluateAll((rs) => rs.map((r) => r.getAttribute('height')).join(','));

/** The tiny embedding model of the unit tests, over the lexicon's words (names it lacks become [UNK]). */
function tinyEmbedder(): { model: Buffer; tokenizer: Buffer } {
  const words = [...new Set(ANATOMY_LEXICON.flatMap((e) => [e.name, ...e.synonyms]).flatMap((n) => n.toLowerCase().match(/\w+/g) ?? []))].sort();
  const options: EmbeddingFixtureOptions = { words, dim: 8, seed: 5, output: 'hidden' };
  return { model: Buffer.from(fixtureOnnxModel(options)), tokenizer: Buffer.from(fixtureTokenizerJson(options)) };
}

test('curriculum: policy embeddings and a dropped ONNX text-embedding model as similarity sources', async ({ page }) => {
  await waitForDemo(page);
  await page.getByRole('tab', { name: 'Curriculum' }).click();
  const panel = page.getByTestId('panel-curriculum');
  const used = panel.getByTestId('cur-source-used');
  await expect(used).toContainText('Built-in anatomy lexicon');
  await expect(panel.getByTestId('histogram-S(q) over the dataset').locator('rect.bar')).toHaveCount(20);
  const lexicon = await bars(page);

  // Policy embeddings: the histogram is measured again, with the policy the card names.
  await panel.getByTestId('cur-sim-policy').check();
  await expect(used).toContainText('Policy embeddings');
  await expect(panel.getByTestId('cur-policy-info')).toContainText('Uses');
  await expect.poll(() => bars(page)).not.toBe(lexicon);
  const policy = await bars(page);
  await expect(panel.getByTestId('queue-question')).toHaveCount(3 * 8);
  await panel.getByTestId('cur-source').screenshot({ path: 'test-results/screenshots/curriculum-source-policy.png' });
  await panel.getByTestId('cur-charts').screenshot({ path: 'test-results/screenshots/curriculum-card-charts-policy.png' });
  await shot(page, 'curriculum-policy');

  // The ONNX option cannot be chosen before a model is dropped; a drop without the model is refused in words.
  await expect(panel.getByTestId('cur-sim-onnx')).toBeDisabled();
  const { model, tokenizer } = tinyEmbedder();
  const input = panel.getByTestId('cur-onnx-input');
  await input.setInputFiles([{ name: 'tokenizer.json', mimeType: 'application/json', buffer: tokenizer }]);
  await expect(panel.getByTestId('cur-onnx-error')).toContainText('No .onnx model among the dropped files');
  await input.setInputFiles([
    { name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('this is not an onnx model at all') },
    { name: 'tokenizer.json', mimeType: 'application/json', buffer: tokenizer },
  ]);
  await expect(panel.getByTestId('cur-onnx-error')).toContainText('broken.onnx: not an ONNX model');
  await expect(panel.getByTestId('cur-sim-onnx')).toBeDisabled();

  // The tiny model + its tokenizer.json: loaded, chosen, and the analysis runs with it.
  await input.setInputFiles([
    { name: 'anatomy-mini.onnx', mimeType: 'application/octet-stream', buffer: model },
    { name: 'tokenizer.json', mimeType: 'application/json', buffer: tokenizer },
  ]);
  const info = panel.getByTestId('cur-onnx-info');
  await expect(info).toContainText('anatomy-mini');
  await expect(info).toContainText('8-d embeddings');
  await expect(info).toContainText('last_hidden_state');
  await expect(panel.getByTestId('cur-onnx-error')).toHaveCount(0);
  await expect(panel.getByTestId('cur-sim-onnx')).toBeChecked();
  await expect(used).toContainText('ONNX anatomy-mini');
  await expect.poll(() => bars(page)).not.toBe(policy);
  await expect(panel.getByTestId('histogram-S(q) over the dataset')).toContainText('values');
  await expect(panel.getByTestId('queue-question')).toHaveCount(3 * 8);
  await panel.getByTestId('cur-source').screenshot({ path: 'test-results/screenshots/curriculum-source-onnx.png' });
  await panel.getByTestId('cur-charts').screenshot({ path: 'test-results/screenshots/curriculum-card-charts-onnx.png' });
  await shot(page, 'curriculum-onnx');

  // Back to the lexicon, then to the still-loaded model without a new drop.
  await panel.getByTestId('cur-sim-lexicon').check();
  await expect.poll(() => bars(page)).toBe(lexicon);
  await panel.getByTestId('cur-sim-onnx').check();
  await expect(used).toContainText('ONNX anatomy-mini');
});
