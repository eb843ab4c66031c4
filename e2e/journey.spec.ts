// The researcher's journey end to end on SwiftShader: train a micro policy from scratch for a few steps in the
// Train panel, evaluate THAT run's checkpoint in the Evaluate panel, share the results from the Runs panel, open
// the links in a fresh browser context and read the same numbers; then a tampered link is refused in words while
// the rest of the lab keeps working.
//
// Training and evaluation are separate run records. The training run carries the final reward, the step count and
// the trainer's own before/after accuracy; the Evaluate panel's run carries the accuracy table of the checkpoint.
// Both are shared and both links are checked: the numbers a researcher quotes live in these two records.
import { expect, test, type Browser, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/journey-${name}.png`, fullPage: true });
const STEPS = 3;
const RUN_NAME = 'GRPO micro scratch seed 0';

/** The run's value of a results row ('final/reward', 'eval/after/greedy', …) as shown in a results table. */
const resultCell = (page: Page, tableId: string, metric: string) => page.getByTestId(tableId).locator(`tr[data-metric="${metric}"] td`).nth(1);

/** Share `runName` from the Runs panel and return the link. */
async function share(page: Page, runName: string): Promise<string> {
  await page.getByRole('button', { name: `share ${runName}`, exact: true }).click();
  const url = await page.getByTestId('share-url').inputValue();
  expect(url).toContain('#run=v1.');
  return url;
}

/** Opens a link in a new browser context (no local runs, no local data) and returns its page. */
async function openElsewhere(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId('shared-run')).toContainText('Shared run, read-only');
  return page;
}

test('train, evaluate the run’s checkpoint, share, open the links elsewhere, refuse a tampered link', async ({ page, browser }) => {
  test.setTimeout(900_000);

  // 1. Train: a micro policy from scratch, a few short steps, accuracy before and after on 4 held-out questions.
  await page.goto('/?panel=train');
  await expect(page.getByTestId('train-dataset')).toContainText('AnatomySynth', { timeout: 120_000 });
  await page.getByTestId('train-preset').selectOption('micro');
  await page.getByTestId('train-init').selectOption('scratch');
  await page.getByTestId('train-G').fill('2');
  await page.getByTestId('train-batch').fill('1');
  await page.getByTestId('train-steps').fill(String(STEPS));
  await page.getByTestId('train-maxlen').fill('8');
  await page.getByTestId('train-inspector-n').fill('1');
  await page.getByTestId('train-eval-n').fill('4');
  await expect(page.getByTestId('train-form-error')).toHaveCount(0);
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-run')).toHaveAttribute('data-status', 'finished', { timeout: 600_000 });
  await expect(page.getByTestId('train-step-done')).toHaveText(String(STEPS));
  await expect(page.getByTestId('train-saved')).toBeVisible();
  const trainAccuracy = /after: (\d+\.\d)% \(4 questions\)/.exec((await page.getByTestId('train-eval-readout').textContent()) ?? '')?.[1];
  expect(trainAccuracy).toBeDefined();
  await shot(page, 'trained');

  // 2. Evaluate that run's checkpoint: the panel lists it and picks it (the newest) when "a run's checkpoint" is chosen.
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const evalPanel = page.getByTestId('panel-evaluate');
  await evalPanel.getByRole('radio', { name: "A run's checkpoint" }).check();
  const picker = evalPanel.getByRole('combobox', { name: 'checkpoint run' });
  await expect(picker.locator('option:checked')).toContainText(`${RUN_NAME} · finished · checkpoint at step ${STEPS} of ${STEPS}`);
  await evalPanel.getByRole('combobox', { name: 'split' }).selectOption('test');
  const datasetName = ((await evalPanel.getByRole('combobox', { name: 'dataset' }).locator('option:checked').textContent()) ?? '').trim();
  expect(datasetName).toContain('AnatomySynth');
  await evalPanel.getByRole('spinbutton', { name: 'question cap' }).fill('6');
  await shot(page, 'evaluate-setup');
  await evalPanel.getByTestId('eval-run').click();
  await expect(evalPanel.getByTestId('eval-result')).toBeVisible({ timeout: 300_000 });
  await expect(evalPanel.getByTestId('eval-error')).toHaveCount(0);
  const greedy = evalPanel.getByTestId('eval-table-greedy');
  await expect(greedy.locator('thead tr').nth(1).locator('th').first()).toHaveText('Overall');
  const evalPercent = Number(await greedy.locator('tbody td.num').first().textContent());
  expect(evalPercent).toBeGreaterThanOrEqual(0);
  expect(evalPercent).toBeLessThanOrEqual(100);
  await shot(page, 'evaluated');

  // 3. The Runs panel holds both records; read the local numbers through the same results table the link shows.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await shot(page, 'runs-opened');
  // The evaluation run is named by the training run it evaluated, not by its id.
  const evalName = `${RUN_NAME} · checkpoint at step ${STEPS} on ${datasetName} test`;
  await expect(page.getByTestId('runs-table')).toContainText(RUN_NAME);
  await expect(page.getByTestId('runs-table')).toContainText(evalName);
  await page.getByRole('checkbox', { name: `compare ${RUN_NAME}`, exact: true }).check();
  const localReward = (await resultCell(page, 'compare-results', 'final/reward').textContent())!;
  const localAfter = (await resultCell(page, 'compare-results', 'eval/after/greedy').textContent())!;
  expect(Number(localReward)).not.toBeNaN();
  // The trainer's after-accuracy as the Train panel showed it (percent, 1 decimal) and as the run stores it.
  expect(Number(localAfter) * 100).toBeCloseTo(Number(trainAccuracy), 0);
  await page.getByRole('checkbox', { name: `compare ${RUN_NAME}`, exact: true }).uncheck();
  await page.getByRole('checkbox', { name: `compare ${evalName}` }).check();
  const evalMetric = (await page.getByTestId('compare-results').locator('tr[data-metric$="/greedy"]').first().getAttribute('data-metric'))!;
  const localEval = (await resultCell(page, 'compare-results', evalMetric).textContent())!;
  // The Evaluate panel's Overall percent and the stored run's fraction are one number.
  expect(Number(localEval) * 100).toBeCloseTo(evalPercent, 0);
  await shot(page, 'runs');

  // 4a. Share the training run (final reward, steps, trainer accuracy) and open it in a fresh context.
  const trainUrl = await share(page, RUN_NAME);
  await shot(page, 'share-train');
  const trainView = await openElsewhere(browser, trainUrl);
  const shared = trainView.getByTestId('shared-run');
  await expect(shared.getByRole('heading', { name: RUN_NAME })).toBeVisible();
  await expect(shared).toContainText(new RegExp(`curve points\\s*${STEPS} of ${STEPS} logged`));
  await expect(resultCell(trainView, 'shared-results', 'final/reward')).toHaveText(localReward);
  await expect(resultCell(trainView, 'shared-results', 'eval/after/greedy')).toHaveText(localAfter);
  await expect(shared).toContainText(`policy at step ${STEPS}`);
  await shot(trainView, 'shared-train');

  // 4b. Share the evaluation run (the accuracy table of the checkpoint) and open it in another fresh context.
  await page.getByTestId('share-pane').getByRole('button', { name: 'Close' }).click();
  const evalUrl = await share(page, evalName);
  const evalView = await openElsewhere(browser, evalUrl);
  await expect(evalView.getByTestId('shared-run').getByRole('heading', { name: evalName })).toBeVisible();
  await expect(resultCell(evalView, 'shared-results', evalMetric)).toHaveText(localEval);
  await expect(evalView.getByTestId('eval-tables')).toContainText('Overall');
  await shot(evalView, 'shared-eval');

  // 5. A tampered link: refused in words; the lab still works (another panel opens and does its job).
  const payload = evalUrl.slice(evalUrl.indexOf('#run=v1.') + 8);
  const cut = Math.floor(payload.length / 2);
  const tampered = `${evalUrl.slice(0, evalUrl.indexOf('#run=v1.') + 8)}${payload.slice(0, cut)}${payload[cut] === 'A' ? 'B' : 'A'}${payload.slice(cut + 1, -4)}`;
  await evalView.goto(tampered);
  const error = evalView.getByTestId('shared-error');
  await expect(error).toContainText('This shared link could not be opened');
  await expect(error).toContainText('Reason code');
  await expect(evalView.getByTestId('shared-run')).toHaveCount(0);
  await shot(evalView, 'tampered');
  await evalView.getByRole('tab', { name: 'Train' }).click();
  await expect(evalView.getByRole('heading', { level: 1, name: 'Train' })).toBeVisible();
  await expect(evalView.getByTestId('train-config')).toBeVisible();
  await evalView.getByRole('tab', { name: 'Data' }).click();
  await expect(evalView.getByTestId('dataset-row').filter({ hasText: 'AnatomySynth' })).toBeVisible({ timeout: 120_000 });
  await shot(evalView, 'after-tampered');
});
