// The Model panel end to end: a dropped checkpoint is loaded and described, "Export ONNX" and "Export
// safetensors" download non-empty files (the safetensors reads back as the same model), a checkpoint whose
// tensors do not match its config is refused naming the tensor and the shapes, and the try-it box answers a
// stored AnatomySynth record. Checkpoints are written here with the app's own writer.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync, statSync } from 'node:fs';
import { MODEL_PRESETS, parameterShapes, validateModelConfig } from '../src/model/config.ts';
import { initialValues } from '../src/model/policy/parameters.ts';
import { encodeSafetensors, readCheckpoint, writeCheckpoint } from '../src/model/safetensors.ts';
import { trainTokenizer } from '../src/model/tokenizer.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/model-${name}.png`, fullPage: true });

const CORPUS = [
  'Question:\nWhich anatomical structure is highlighted in this image?\nOptions:\nA. liver\nB. spleen\nC. kidney\nD. stomach',
  'Output the thinking process in <think> </think> and final answer (the option letter) in <answer> </answer> tags.',
  '<think>The structure is liver.</think> <answer>A</answer>',
];

function micro() {
  const tokenizer = trainTokenizer(CORPUS, { vocabSize: 512 });
  // A longer sequence than the preset's so that any AnatomySynth prompt fits with this small tokenizer.
  const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, maxSeqLen: 512 });
  const weights = new Map(parameterShapes(config).map((s) => [s.name, initialValues(s, 3)]));
  return { tokenizer, config, weights };
}

test('load a checkpoint, export ONNX and safetensors, refuse a mismatching one, try it on a record', async ({ page }) => {
  await page.goto('/?panel=model');
  await expect(page.getByTestId('model-checkpoint')).toBeVisible();
  await expect(page.getByTestId('preset-table')).toBeVisible();
  await expect(page.getByTestId('model-none')).toContainText('No model loaded');
  await shot(page, 'empty');

  const { tokenizer, config, weights } = micro();
  const good = writeCheckpoint(config, tokenizer, weights, { step: '0' });
  await page.getByTestId('model-file-input').setInputFiles({ name: 'micro-e2e.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(good) });
  const summary = page.getByTestId('model-summary');
  await expect(summary).toContainText('micro-e2e.safetensors');
  await expect(summary).toContainText(`tokenizer ${tokenizer.vocabSize} tokens`);
  await expect(page.getByTestId('model-config')).toContainText('2 blocks × 64 wide');
  await shot(page, 'loaded');

  for (const [button, ext] of [['export-onnx', 'onnx'], ['export-safetensors', 'safetensors']] as const) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
    expect(download.suggestedFilename()).toBe(`micro-e2e.${ext}`);
    const path = await download.path();
    expect(statSync(path).size).toBeGreaterThan(400_000); // the weights alone are ~0.5 MB
    if (ext === 'safetensors') {
      const back = readCheckpoint(new Uint8Array(readFileSync(path)), 'downloaded');
      expect(back.config).toEqual(config);
      expect(back.weights.get('decoder.norm.weight')).toEqual(weights.get('decoder.norm.weight'));
    }
  }
  await expect(page.getByTestId('export-done')).toContainText('micro-e2e.safetensors');

  // The same tensors under a config with a wider decoder: refused, naming the tensor and both shapes.
  const bad = encodeSafetensors(
    parameterShapes(config).map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! })),
    { format: 'anatomy-r1-lab/policy', config: JSON.stringify({ ...config, decoderWidth: 96 }), tokenizer: JSON.stringify(tokenizer.toJSON()) },
  );
  await page.getByTestId('model-file-input').setInputFiles({ name: 'wider.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(bad) });
  const error = page.getByTestId('model-load-error');
  await expect(error).toContainText("wider.safetensors: tensor 'projector.fc1.weight' has shape [32, 64], the config expects [32, 96]");
  // The model loaded before stays loaded.
  await expect(summary).toContainText('micro-e2e.safetensors');
  await shot(page, 'refused');

  // Try it on the AnatomySynth record the Data panel stores on first start.
  await page.getByTestId('model-file-input').setInputFiles({ name: 'micro-e2e.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(good) });
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId('try-record').locator('option').first()).toBeAttached({ timeout: 90_000 });
  await page.getByLabel('max tokens').fill('8');
  await page.getByTestId('try-generate').click();
  await expect(page.getByTestId('try-answer')).toContainText(/\d+ tokens in [\d.]+ s on (webgpu|cpu)/, { timeout: 90_000 });
  await shot(page, 'try-it');
});
