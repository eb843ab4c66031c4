// The Data panel end to end: AnatomySynth on first start, a folder picked and a zip dropped, the preview and the
// counts, the datasets kept over a reload, per-record messages for malformed files, a delete, and the real
// VQA-RAD sample when ../shared is present. Record text is shown as text, never run as HTML.
import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from '../src/data/images/png-encode.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/data-${name}.png`, fullPage: true });

const VQA_RAD = fileURLToPath(new URL('../../shared/data/real/vqa-rad', import.meta.url));

/** A flat-coloured PNG, so thumbnails are visibly different. */
const png = (r: number, g: number, b: number) => {
  const data = new Uint8Array(16 * 12 * 3);
  for (let i = 0; i < data.length; i += 3) data.set([r, g, b], i);
  return encodePng({ width: 16, height: 12, data });
};

const INJECTION = 'Which organ <img src=x onerror="window.__injected=1"> is this?';
const rows = [
  { id: 'k1', image: 'img/liver.png', question: INJECTION, options: ['Liver', 'Gut', 'Omentum'], answer: 'Liver', split: 'train', modality: 'CT', organ: 'abdomen' },
  { id: 'k2', image: 'img/gut.png', question: 'Which organ is shown?', options: ['Liver', 'Gut'], answer: 'gut.', split: 'train', modality: 'MR', organ: 'abdomen' },
  { id: 'k3', image: 'img/lung.png', question: 'Is this a lung?', options: ['yes', 'no'], answer: 'yes', split: 'test', modality: 'X-Ray', organ: 'chest' },
];

/** A small dataset folder in a temp dir: JSONL and three images. */
function smallFolder(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'lab-data-')), 'kidney-set');
  mkdirSync(join(root, 'img'), { recursive: true });
  writeFileSync(join(root, 'data.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
  writeFileSync(join(root, 'img/liver.png'), png(200, 60, 60));
  writeFileSync(join(root, 'img/gut.png'), png(60, 200, 60));
  writeFileSync(join(root, 'img/lung.png'), png(60, 60, 200));
  return root;
}

/** Dispatches a real drop of in-memory files on the drop zone, as a browser drag from the desktop would. */
async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array }[]) {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64') }));
  const dt = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const f of list) transfer.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    return transfer;
  }, payload);
  const zone = page.getByTestId('dropzone');
  await zone.dispatchEvent('dragenter', { dataTransfer: dt });
  await zone.dispatchEvent('dragover', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

async function waitForDemo(page: Page) {
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'AnatomySynth' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('job-demo')).toHaveCount(0);
}

test('opens with AnatomySynth, takes a folder and a zip, keeps them over a reload, deletes one', async ({ page }) => {
  await page.goto('/');
  await waitForDemo(page);
  const demo = page.getByTestId('dataset-row').filter({ hasText: 'AnatomySynth' });
  await expect(demo).toContainText('2,000');
  // The browser shows decoded thumbnails from the store and the gold option marked.
  const firstCard = page.getByTestId('record-card').first();
  await expect(firstCard.locator('img')).toHaveJSProperty('naturalWidth', 64);
  await expect(firstCard.locator('.data-gold')).toHaveCount(1);
  await expect(page.getByTestId('counts-split')).toContainText('train');
  await expect(page.getByTestId('storage-words')).toContainText('used');
  await shot(page, 'demo');

  // A folder through the folder picker.
  await page.getByTestId('folder-input').setInputFiles(smallFolder());
  await expect(page.getByTestId('detected-format')).toContainText('Generic JSONL');
  await expect(page.getByTestId('preview-row')).toHaveCount(3);
  await expect(page.getByTestId('dataset-name')).toHaveValue('kidney-set');
  // Record text is text: the markup shows as written and nothing runs.
  await expect(page.getByTestId('preview')).toContainText('<img src=x onerror=');
  await shot(page, 'preview-folder');
  await page.getByTestId('import').click();
  const report = page.getByTestId('import-report');
  await expect(report).toContainText('Stored 3 records and 3 images');
  await expect(page.getByTestId('stat-accepted')).toContainText('3');
  await expect(page.getByTestId('stat-repaired')).toContainText('1'); // 'gut.' matched option B
  await expect(page.getByTestId('repairs-by-kind')).toBeVisible();
  await expect(page.getByTestId('counts-modality').first()).toContainText('X-Ray');
  await expect(page.getByTestId('dataset-row').filter({ hasText: 'kidney-set' })).toBeVisible();
  await expect(page.getByTestId('record-card')).toHaveCount(3);
  await expect(page.getByTestId('record-card').first().locator('img')).toHaveJSProperty('naturalWidth', 64);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  await shot(page, 'imported-folder');

  // A zip through a real drop.
  const zip = zipSync({
    'zipped/data.jsonl': strToU8(rows.map((r) => JSON.stringify({ ...r, id: `z-${r.id}` })).join('\n')),
    'zipped/img/liver.png': png(200, 60, 60),
    'zipped/img/gut.png': png(60, 200, 60),
    'zipped/img/lung.png': png(60, 60, 200),
  });
  await dropFiles(page, [{ name: 'archive.zip', bytes: zip }]);
  await expect(page.getByTestId('detected-format')).toContainText('Generic JSONL');
  await expect(page.getByTestId('dataset-name')).toHaveValue('archive');
  await expect(page.getByTestId('pending')).toContainText('1 file dropped (4 files after opening archives');
  await page.getByTestId('import').click();
  await expect(report).toContainText('Import report: archive');
  await expect(report).toContainText('Stored 3 records and 3 images');

  // Filters in the record browser.
  await page.getByTestId('filter-split').selectOption('test');
  await expect(page.getByTestId('record-matching')).toHaveText('1 of 3 records match');
  await page.getByTestId('filter-split').selectOption('');
  await page.getByTestId('record-search').fill('lung');
  await expect(page.getByTestId('record-card')).toHaveCount(1);

  // Everything survives a reload.
  await page.reload();
  await expect(page.getByTestId('dataset-row')).toHaveCount(3);
  const names = (await page.evaluate(() => window.labAutomation!.listDatasets())).datasets.map((d) => d.name).sort();
  expect(names).toEqual(['AnatomySynth (seed 1)', 'archive', 'kidney-set']);
  await shot(page, 'after-reload');

  // Delete asks first, then removes the dataset.
  const archiveRow = page.getByTestId('dataset-row').filter({ hasText: 'archive' });
  await archiveRow.getByRole('button', { name: 'Delete archive' }).click();
  await expect(archiveRow).toContainText('Delete its records and images?');
  await archiveRow.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('dataset-row')).toHaveCount(2);
  await page.reload();
  await expect(page.getByTestId('dataset-row')).toHaveCount(2);
});

test('malformed files get per-record messages naming file, record and field', async ({ page }) => {
  const root = join(mkdtempSync(join(tmpdir(), 'lab-bad-')), 'messy');
  mkdirSync(join(root, 'img'), { recursive: true });
  const bad = [
    rows[1],
    { id: 'b1', image: 'img/gut.png', question: ['not', 'text'], options: ['a', 'b'], answer: 'a' },
    { id: 'b2', image: 'img/gut.png', options: ['only one'] },
    { id: 'b3', image: 'img/gut.png', question: 'Which?', options: ['a', 'b'], answer: 'c' },
  ];
  writeFileSync(join(root, 'good.json'), JSON.stringify(bad));
  writeFileSync(join(root, 'broken.json'), '[{"id": "q", "image": "img/gut.png", "question": "What?", "answer": "yes"}, {"id": ');
  writeFileSync(join(root, 'img/gut.png'), png(60, 200, 60));
  writeFileSync(join(root, 'img/fake.png'), 'this is text renamed to .png');
  await page.goto('/');
  await waitForDemo(page);
  await page.getByTestId('folder-input').setInputFiles(root);
  await expect(page.getByTestId('preview-row')).toHaveCount(4);
  await expect(page.getByTestId('preview')).toContainText('rejected');
  await page.getByTestId('import').click();
  const errors = page.getByTestId('report-errors');
  await expect(errors).toBeVisible();
  await expect(page.getByTestId('stat-rejected')).toContainText('3');
  const row = (file: string, record: string, field: string) =>
    errors.getByTestId('issue-row').filter({ has: page.locator('td:nth-child(1)', { hasText: file }) }).filter({ has: page.locator('td:nth-child(2)', { hasText: new RegExp(`^${record}$`) }) }).filter({ has: page.locator('td:nth-child(3)', { hasText: field }) });
  await expect(row('messy/good.json', '1', 'question').first()).toContainText('expected a string, got array');
  await expect(row('messy/good.json', '2', 'answer')).toHaveCount(1);
  await expect(row('messy/good.json', '3', 'answer').first()).toBeVisible();
  await expect(row('messy/broken.json', 'whole file', '—')).toContainText('malformed JSON');
  await shot(page, 'malformed');
  // The filter narrows the table.
  await errors.getByRole('textbox').fill('broken');
  await expect(errors.getByTestId('issue-row')).toHaveCount(1);
});

test('a full quota is reported in words and the datasets stored before are kept', async ({ page }) => {
  await page.goto('/');
  await waitForDemo(page);
  // Make the engine worker's IndexedDB refuse image rows as a full disk would, mid-transaction.
  const worker = page.workers().find((w) => w.url().includes('engine'));
  expect(worker, 'the engine worker is running').toBeTruthy();
  await worker!.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'images') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
  });
  await page.getByTestId('folder-input').setInputFiles(smallFolder());
  await expect(page.getByTestId('preview-row')).toHaveCount(3);
  await page.getByTestId('import').click();
  await expect(page.getByTestId('job-error')).toContainText("The browser's storage for this site is full");
  await expect(page.getByTestId('job-error')).toContainText('Delete a dataset');
  // Nothing half-written appears, and AnatomySynth is intact after a reload.
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await shot(page, 'quota');
  await page.reload();
  await expect(page.getByTestId('dataset-row')).toHaveCount(1);
  await expect(page.getByTestId('record-card').first().locator('img')).toHaveJSProperty('naturalWidth', 64);
});

test.describe('the real VQA-RAD sample', () => {
  test.skip(!existsSync(VQA_RAD), '../shared/data/real/vqa-rad is absent');

  test('a dropped VQA-RAD folder is detected, imported with its images and browsed', async ({ page }) => {
    await page.goto('/');
    await waitForDemo(page);
    await page.getByTestId('folder-input').setInputFiles(VQA_RAD);
    await expect(page.getByTestId('detected-format')).toContainText('VQA-RAD');
    await expect(page.getByTestId('preview-row')).toHaveCount(5);
    await shot(page, 'preview-vqa-rad');
    // Several formats fit: the override re-reads the preview as the chosen one, and back.
    await page.getByTestId('format-override').selectOption('generic-table');
    await expect(page.getByTestId('detected-format')).toContainText('Read as Generic JSONL');
    await page.getByTestId('format-override').selectOption('');
    await expect(page.getByTestId('detected-format')).toContainText('Read as VQA-RAD');
    await page.getByTestId('import').click();
    const report = page.getByTestId('import-report');
    await expect(report).toContainText('Stored 2,403 records and 211 images', { timeout: 90_000 });
    await expect(page.getByTestId('stat-unreferenced')).toContainText('1');
    await expect(page.getByTestId('dataset-counts')).toContainText('open-ended');
    await page.getByTestId('filter-split').selectOption('test');
    await expect(page.getByTestId('record-matching')).toHaveText('279 of 2,403 records match');
    await expect(page.getByTestId('record-card').first().locator('img')).toHaveJSProperty('naturalWidth', 64);
    await shot(page, 'vqa-rad');
  });
});
