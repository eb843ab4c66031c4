// The Runs panel end to end: import runs from a JSON file, compare them, export CSV, share one as a link,
// open the link in a fresh browser context and read the same numbers; tampered links are refused in words
// while the rest of the lab keeps working; imported runs survive a reload.
import { expect, test, type Page } from '@playwright/test';
import { deflateSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { exportRunsJson } from '../src/runs/export.ts';
import type { RunRecord } from '../src/runs/record.ts';
import { sampleRunRecord } from '../src/runs/sample-run.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/runs-${name}.png`, fullPage: true });

/** Two runs that differ in seed, curriculum and beta, with visibly different curves. */
function twoRuns(): [RunRecord, RunRecord] {
  const a = { ...sampleRunRecord(80, 'run-grpo'), name: 'GRPO baseline', createdAt: '2026-11-24T09:00:00.000Z' };
  a.config = { ...a.config, seed: 1, curriculum: { mode: 'off' }, augment: { enabled: false } };
  // Strings from a run are text, never HTML: this must show as written and run nothing.
  a.notes = 'Baseline <img src=x onerror="window.__injected=1"> without curriculum.';
  const b = { ...sampleRunRecord(80, 'run-ascl-gdqa'), name: 'GRPO + ASCL + GDQA', createdAt: '2026-11-25T09:00:00.000Z' };
  b.config = { ...b.config, seed: 7, grpo: { ...b.config.grpo, beta: 0 } };
  b.history = {
    ...b.history,
    points: b.history.points.map((p) => ({ step: p.step, values: { ...p.values, reward: p.values.reward + 0.1 * (p.step / 80), kl: 0 } })),
  };
  return [a, b];
}

/** A URL whose fragment carries raw text, deflated and base64url-encoded as the codec does. */
const linkOf = (origin: string, text: string | Uint8Array): string =>
  `${origin}/?panel=runs#run=v1.${Buffer.from(deflateSync(typeof text === 'string' ? new TextEncoder().encode(text) : text)).toString('base64url')}`;

test('import, compare, export, share, open the link elsewhere, refuse tampered links, keep runs on reload', async ({ page, browser, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  await page.goto('/?panel=runs');
  await expect(page.getByTestId('runs-empty')).toContainText('Training and evaluation runs appear here');
  await shot(page, 'empty');

  // Import: one good bundle of two runs, one file that is not JSON, one run with a bad field.
  const [a, b] = twoRuns();
  const bad = { ...sampleRunRecord(3, 'run-broken'), config: { ...a.config, seed: 'seven' } };
  await page.getByTestId('runs-import-input').setInputFiles([
    { name: 'two-runs.json', mimeType: 'application/json', buffer: Buffer.from(exportRunsJson([a, b])) },
    { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) },
    { name: 'not-json.json', mimeType: 'application/json', buffer: Buffer.from('{"runs": [') },
  ]);
  const reports = page.getByTestId('import-reports');
  await expect(reports).toContainText('two-runs.json: imported 2 runs');
  await expect(reports).toContainText("broken.json: run 'run-broken': field config.seed");
  await expect(reports).toContainText('not-json.json: not JSON');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await shot(page, 'imported');

  // Compare both: curves per metric, config diff with only differences, results.
  await page.getByRole('checkbox', { name: 'compare GRPO baseline' }).check();
  await page.getByRole('checkbox', { name: 'compare GRPO + ASCL + GDQA' }).check();
  const compare = page.getByTestId('compare-pane');
  await expect(compare.getByTestId('chart-reward').locator('path')).toHaveCount(2);
  await expect(compare.getByTestId('chart-frac_reward_zero_std')).toBeVisible();
  await expect(compare.getByTestId('chart-kl')).toBeVisible();
  await compare.getByRole('checkbox', { name: 'reward_std' }).check();
  await expect(compare.getByTestId('chart-reward_std')).toBeVisible();
  const diff = compare.getByTestId('compare-config-diff');
  await expect(diff.locator('tr', { hasText: /^seed/ })).toContainText('1');
  await expect(diff.locator('tr', { hasText: 'grpo.beta' })).toContainText('0.04');
  await expect(diff.locator('tr', { hasText: 'grpo.G' })).toHaveCount(0); // same in both: hidden
  await compare.getByRole('checkbox', { name: 'only differences' }).uncheck();
  await expect(diff.locator('tr', { hasText: 'grpo.G' })).toHaveCount(1);
  await compare.getByRole('checkbox', { name: 'only differences' }).check();
  const rewardRow = compare.getByTestId('compare-results').locator('tr[data-metric="final/reward"]');
  const localReward = (await rewardRow.locator('td').nth(1).textContent())!;
  expect(Number(localReward)).toBeCloseTo(a.history.points.at(-1)!.values.reward, 3);
  await shot(page, 'compare');

  // Export: CSV long (a real download whose header and rows are right) and JSON.
  const [csv] = await Promise.all([page.waitForEvent('download'), compare.getByRole('button', { name: 'Metrics CSV (long)' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^2-runs-metrics-long-.*\.csv$/);
  const csvText = readFileSync((await csv.path())!, 'utf8');
  expect(csvText.split('\n')[0]).toBe('run_id,run_name,step,metric,value');
  expect(csvText.split('\n').filter((l) => l.startsWith('run-grpo,GRPO baseline,80,reward,'))).toHaveLength(1);
  const [json] = await Promise.all([page.waitForEvent('download'), compare.getByRole('button', { name: 'JSON' }).click()]);
  expect(JSON.parse(readFileSync((await json.path())!, 'utf8')).runs.map((r: RunRecord) => r.id)).toEqual(['run-grpo', 'run-ascl-gdqa']);

  // Share the baseline: the link, its size, and what was left out, in words.
  await page.getByRole('button', { name: 'share GRPO baseline' }).click();
  const pane = page.getByTestId('share-pane');
  const url = await pane.getByTestId('share-url').inputValue();
  expect(url.startsWith(`${origin}/?panel=runs#run=v1.`)).toBe(true);
  await expect(pane).toContainText(`${url.length.toLocaleString('en-US')} characters`);
  await expect(pane.getByTestId('share-dropped')).toContainText('confusion-matrix entries');
  await shot(page, 'share');

  // A fresh browser context (no local runs) opens the link: read-only, the same numbers.
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto(url);
  const sharedView = page2.getByTestId('shared-run');
  await expect(sharedView).toContainText('Shared run, read-only');
  await expect(sharedView.getByRole('heading', { name: 'GRPO baseline' })).toBeVisible();
  await expect(sharedView.getByTestId('chart-reward').locator('path')).toHaveCount(1);
  await expect(sharedView.getByTestId('shared-results').locator('tr[data-metric="final/reward"] td').nth(1)).toHaveText(localReward);
  await expect(sharedView.getByTestId('shared-results').locator('tr[data-metric="eval/final/greedy"] td').nth(1)).toHaveText('0.55');
  await expect(sharedView.getByTestId('eval-tables')).toContainText('Liver');
  await expect(sharedView).toContainText('there are no runs in this browser yet');
  await expect(sharedView).toContainText('Baseline <img src=x onerror="window.__injected=1"> without curriculum.');
  expect(await page2.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  expect(await sharedView.locator('img').count()).toBe(0);
  await expect(page2.getByTestId('runs-empty')).toBeVisible();
  await shot(page2, 'shared');
  await sharedView.getByRole('button', { name: 'Save to this browser' }).click();
  await expect(sharedView.getByTestId('shared-saved')).toContainText('Saved to this browser');
  await expect(page2.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);

  // Tampered links, each through a hashchange on the open page: refused in words, the lab keeps working.
  const payload = url.slice(url.indexOf('#run=v1.') + 8);
  const flip = payload[200] === 'A' ? 'B' : 'A';
  const sample = JSON.stringify(sampleRunRecord(3, 'run-proto'));
  const tampered: Array<[string, string, RegExp]> = [
    ['edited', `${origin}/?panel=runs#run=v1.${payload.slice(0, 200)}${flip}${payload.slice(201)}`, /damaged|not hold a valid run|refused/],
    ['truncated', `${origin}/?panel=runs#run=v1.${payload.slice(0, Math.floor(payload.length / 2))}`, /damaged/],
    ['bomb', linkOf(origin, new Uint8Array(8 * 1024 * 1024).fill(32)), /unpacks to more than 1048576 bytes/],
    ['proto', linkOf(origin, `{"__proto__":{"polluted":true},${sample.slice(1)}`), /__proto__/],
  ];
  for (const [name, link, reason] of tampered) {
    await page2.goto(link);
    const error = page2.getByTestId('shared-error');
    await expect(error).toContainText('This shared link could not be opened');
    await expect(error).toContainText(reason);
    await expect(error).toContainText('Reason code');
    if (name === 'bomb') await expect(error.locator('code').first()).toHaveText('too-large');
    if (name === 'proto') await expect(error.locator('code').first()).toHaveText('forbidden-key');
    await expect(page2.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1); // local runs untouched
    if (name === 'bomb' || name === 'proto') await shot(page2, `bad-${name}`);
  }
  expect(await page2.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
  await page2.getByRole('tab', { name: 'Data' }).click();
  await expect(page2.getByRole('heading', { level: 1, name: 'Data' })).toBeVisible();
  await page2.getByRole('tab', { name: 'Runs' }).click();
  await expect(page2.getByTestId('runs-table').locator('tbody tr')).toHaveCount(1);
  await other.close();

  // Reload keeps the imported runs.
  await page.reload();
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('run-row-run-grpo')).toContainText('sha256:0f3a9c');

  // The link opened where its run already lives: the local copy is kept, and local runs overlay the shared one.
  await page.goto(url);
  const here = page.getByTestId('shared-run');
  await expect(here.getByTestId('shared-saved')).toContainText('already in this browser');
  await here.getByRole('checkbox', { name: 'GRPO + ASCL + GDQA' }).check();
  await expect(here.getByTestId('chart-reward').locator('path')).toHaveCount(2);
  await expect(here.getByTestId('shared-config-diff')).toContainText('grpo.beta');
  await shot(page, 'shared-compare');
  await here.getByRole('button', { name: 'Close shared run' }).click();
  await expect(page.getByTestId('shared-run')).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe('');

  // Drop a file on the import area, then delete that run after confirming.
  const third = { ...sampleRunRecord(20, 'run-dropped'), name: 'Dropped run' };
  const dt = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return transfer;
  }, JSON.stringify(third));
  await page.getByTestId('runs-drop').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('import-reports')).toContainText('dropped.json: imported 1 run');
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(3);
  await page.getByRole('button', { name: 'delete Dropped run' }).click();
  await page.getByRole('group', { name: 'confirm deleting Dropped run' }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByTestId('runs-table').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('run-row-run-dropped')).toHaveCount(0);
});

test('a long run is thinned to fit the link, and the lab says so', async ({ page }) => {
  await page.goto('/?panel=runs');
  const long = { ...sampleRunRecord(3000, 'run-long'), name: 'Long GRPO run' };
  await page.getByTestId('runs-import-input').setInputFiles([{ name: 'long.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(long)) }]);
  await expect(page.getByTestId('import-reports')).toContainText('long.json: imported 1 run');
  await page.getByRole('button', { name: 'share Long GRPO run' }).click();
  const dropped = page.getByTestId('share-dropped');
  await expect(dropped).toContainText('metric curves thinned from 3000 to');
  await expect(dropped).toContainText('rounded to 5 significant digits');
  const url = await page.getByTestId('share-url').inputValue();
  expect(url.length).toBeLessThanOrEqual(6 * 1024);
  await shot(page, 'share-long');
  await page.goto(url);
  await expect(page.getByTestId('shared-run')).toContainText(/curve points\s*\d+ of 3,000 logged \(thinned by lttb\)/);
});
