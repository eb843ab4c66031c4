// The ablation end to end: `lab ablation`'s own code (a real ablation of the pretrained micro policy in Node,
// 3 steps, 1 seed) writes the JSON; the Runs panel imports it and shows the table and the three curves per method; a
// malformed file is refused in words naming the file and the field; reload keeps the import; the same table
// is built from training runs kept in the browser.
import { expect, test, type Page } from '@playwright/test';
import { parseArgs } from '../cli/command.ts';
import { ablation } from '../cli/commands/ablation.ts';
import { exportRunsJson } from '../src/runs/export.ts';
import type { AblationResult } from '../src/runs/ablation.ts';
import type { RunRecord } from '../src/runs/record.ts';
import { sampleRunRecord } from '../src/runs/sample-run.ts';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/ablation-${name}.png`, fullPage: true });

/** A real ablation through the command's code path (quietly: its progress lines are not the test's output). */
async function realAblation(): Promise<AblationResult> {
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    const r = await ablation(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'pretrained', '--steps', '3', '--seeds', '1', '--batch', '2', '--group', '4', '--eval', '8', '--gdqa', 'all']));
    return r.json as AblationResult;
  } finally {
    console.log = log;
    console.error = err;
  }
}

/** Training runs as the Runs panel keeps them: two GRPO seeds and one GRPO+ASCL on the same dataset/preset/steps. */
function localRuns(): RunRecord[] {
  const make = (id: string, seed: number, curriculum: boolean, shift: number): RunRecord => {
    const r = { ...sampleRunRecord(30, id), name: id, createdAt: `2026-11-25T0${seed}:00:00.000Z` };
    r.config = { ...r.config, seed, model: { ...r.config.model, preset: 'micro' }, grpo: { ...r.config.grpo, steps: 30 }, curriculum: curriculum ? { enabled: true, mode: 'both' } : {}, augment: {} };
    r.history = { ...r.history, points: r.history.points.map((p) => ({ step: p.step, values: { ...p.values, reward: p.values.reward + shift, answer_similarity: curriculum ? 0.2 + p.step / 60 : 0.62 } })) };
    return r;
  };
  return [make('grpo-seed-0', 0, false, 0), make('grpo-seed-1', 1, false, 0.02), make('ascl-seed-0', 0, true, 0.1)];
}

test('import a lab ablation, see the table and the curves, refuse a malformed file, keep it on reload, build it from local runs', async ({ page }) => {
  test.setTimeout(240_000);
  const result = await realAblation();
  expect(result.runs).toHaveLength(4);
  await page.goto('/?panel=runs');
  const view = page.getByTestId('ablation-view');
  await expect(view).toContainText('Ablation');

  // A good file from the CLI.
  await view.getByTestId('ablation-import-input').setInputFiles([{ name: 'micro-ablation.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(result, null, 2)) }]);
  await expect(view.getByTestId('ablation-import-report')).toContainText('micro-ablation.json: imported 4 runs (4 methods, 1 seed)');
  const table = view.getByTestId('ablation-table');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  for (const s of result.summary) {
    const row = table.locator(`tr[data-method="${s.method}"]`);
    await expect(row.locator('td').nth(1)).toHaveText('1');
    await expect(row.locator('td').nth(2)).toHaveText(`${(100 * s.accuracyMean!).toFixed(1)}%`); // one seed: no ± std
  }
  for (const title of ['reward (mean over seeds)', 'frac_reward_zero_std (mean over seeds)', 'batch-mean S(q) (mean over seeds)']) {
    await expect(view.getByTestId(`chart-${title}`).locator('path')).toHaveCount(4);
  }
  await expect(view.getByTestId('ablation-imported')).toContainText('micro · 3 steps · 1 seed · dataset demo');
  await shot(page, 'imported');
  await view.screenshot({ path: 'test-results/screenshots/ablation-imported-card.png' });

  // Malformed files: a curve value that is not a number, a summary that does not match its runs, a runs bundle.
  const bad = structuredClone(result) as unknown as { runs: { rewardCurve: unknown[] }[]; summary: { accuracyMean: number }[] };
  bad.runs[1].rewardCurve[0] = 'high';
  await view.getByTestId('ablation-import-input').setInputFiles([{ name: 'broken-ablation.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) }]);
  const report = view.getByTestId('ablation-import-report');
  await expect(report).toContainText('broken-ablation.json: field runs.1.rewardCurve.0');
  await expect(report).toHaveAttribute('role', 'alert');
  await shot(page, 'malformed');
  const tampered = structuredClone(result);
  tampered.summary[0].accuracyMean = 0.99;
  await view.getByTestId('ablation-import-input').setInputFiles([{ name: 'tampered.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tampered)) }]);
  await expect(report).toContainText('tampered.json: field summary.0.accuracyMean: 0.99 does not match the runs');
  await view.getByTestId('ablation-import-input').setInputFiles([{ name: 'runs-bundle.json', mimeType: 'application/json', buffer: Buffer.from(exportRunsJson(localRuns())) }]);
  await expect(report).toContainText("runs-bundle.json: field format: 'anatomy-r1-lab.runs' is not a lab ablation");
  // The good import is still shown.
  await expect(table.locator('tbody tr')).toHaveCount(4);

  // Reload keeps it (IndexedDB).
  await page.reload();
  await expect(page.getByTestId('ablation-table').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('ablation-imported')).toContainText('micro-ablation.json');

  // From training runs kept in this browser: import them as runs, then pick that source.
  await page.getByTestId('runs-import-input').setInputFiles([{ name: 'local.json', mimeType: 'application/json', buffer: Buffer.from(exportRunsJson(localRuns())) }]);
  await expect(page.getByTestId('import-reports')).toContainText('local.json: imported 3 runs');
  await page.getByRole('radio', { name: /training runs in this browser/ }).check();
  const local = page.getByTestId('ablation-local');
  await expect(local).toContainText('Only runs that share dataset, preset and number of GRPO steps are comparable');
  const localTable = local.getByTestId('ablation-local-table');
  await expect(localTable.locator('tbody tr')).toHaveCount(2);
  await expect(localTable.locator('tr[data-method="GRPO"] td').nth(1)).toHaveText('2');
  await expect(localTable.locator('tr[data-method="GRPO"] td').nth(2)).toContainText('±');
  await expect(localTable.locator('tr[data-method="GRPO+ASCL"] td').nth(1)).toHaveText('1');
  await expect(local.getByTestId('chart-reward (mean over seeds)').locator('path')).toHaveCount(2);
  await page.getByTestId('ablation-view').scrollIntoViewIfNeeded();
  await shot(page, 'local');
});
