// The Train panel end to end on SwiftShader: a short micro GRPO run from scratch on AnatomySynth (the demo
// dataset made on first start), the step counter and the charts moving, the group inspector filling, a reload in
// the middle of the run and the run going on from its checkpoint (the counter does not restart at 0), and the
// finished run saved to the run history. Also: the reward playground and the form's guard, with no run needed.
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/train-${name}.png`, fullPage: true });

const stepDone = async (page: Page) => Number((await page.getByTestId('train-step-done').textContent()) ?? 'NaN');
const rewardPath = (page: Page) => page.getByTestId('chart-reward').locator('svg path').first().getAttribute('d');

async function openTrain(page: Page) {
  await page.goto('/?panel=train');
  await expect(page.getByRole('heading', { level: 1, name: 'Train' })).toBeVisible();
  // The Data store generates AnatomySynth on the first start of an empty browser.
  await expect(page.getByTestId('train-dataset')).toContainText('AnatomySynth', { timeout: 120_000 });
}

async function fillNumber(page: Page, testId: string, value: number) {
  await page.getByTestId(testId).fill(String(value));
}

test('a micro run from scratch: steps and charts move, a reload resumes from the checkpoint, the run is saved', async ({ page }) => {
  test.setTimeout(900_000);
  await openTrain(page);
  // Documented defaults are shown before anything is changed.
  await expect(page.getByTestId('train-G')).toHaveValue('8');
  await expect(page.getByTestId('train-epsLow')).toHaveValue('0.2');
  await expect(page.getByTestId('train-epsHigh')).toHaveValue('0.2');
  await expect(page.getByTestId('train-beta')).toHaveValue('0.04');
  await expect(page.getByTestId('train-config')).toContainText('Default 8.');
  await shot(page, 'defaults');

  await page.getByTestId('train-preset').selectOption('micro');
  await page.getByTestId('train-init').selectOption('scratch');
  await fillNumber(page, 'train-G', 2);
  await fillNumber(page, 'train-batch', 1);
  await fillNumber(page, 'train-steps', 12);
  await fillNumber(page, 'train-maxlen', 12);
  await fillNumber(page, 'train-ckpt-every', 2);
  await fillNumber(page, 'train-inspector-n', 1);
  await fillNumber(page, 'train-lr', 0.001);
  // Accuracy before and after on a few held-out questions (kept small for SwiftShader).
  await fillNumber(page, 'train-eval-n', 4);
  await expect(page.getByTestId('train-form-error')).toHaveCount(0);
  await expect(page.getByTestId('train-pause')).toBeDisabled();
  await expect(page.getByTestId('train-stop')).toBeDisabled();
  await expect(page.getByTestId('train-resume')).toBeDisabled();

  await page.getByTestId('train-start').click();
  const run = page.getByTestId('train-run');
  await expect(run).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await expect(page.getByTestId('train-pause')).toBeEnabled();
  await expect(page.getByTestId('train-stop')).toBeEnabled();
  await expect(page.getByTestId('train-error')).toHaveCount(0);

  // The counter and the charts move.
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);
  const early = await rewardPath(page);
  expect(early).toMatch(/^M/);
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(() => rewardPath(page)).not.toBe(early);
  await expect(page.getByTestId('chart-kl').locator('svg path').first()).toHaveAttribute('d', /^M/);
  // The inspector shows a group with its G completions, as text.
  await expect(page.getByTestId('train-group').first()).toBeVisible();
  await expect(page.getByTestId('train-group').first().getByTestId('train-completion')).toHaveCount(2);
  await expect(page.getByTestId('train-step')).toContainText('checkpoint at step');
  await expect(page.getByTestId('train-eval-readout')).toContainText(/Accuracy before: \d+\.\d%/);
  // Beside it, what the question text alone gets on those questions (a policy at that line ignores its image).
  await expect(page.getByTestId('train-eval-question-only')).toContainText(/question text alone: \d+\.\d%/);
  await shot(page, 'running');

  // Reload mid-run: the page goes away with its worker; the run goes on from its stored checkpoint by itself.
  const before = await stepDone(page);
  expect(before).toBeLessThan(12);
  await page.reload();
  await expect(page.getByTestId('train-notice')).toContainText('reloaded', { timeout: 60_000 });
  const notice = (await page.getByTestId('train-notice').textContent()) ?? '';
  const resumedFrom = Number(/checkpoint at step (\d+)/.exec(notice)?.[1]);
  expect(resumedFrom).toBeGreaterThanOrEqual(2);
  // The worker trains on between reading the counter and the reload taking effect: one more checkpoint (every 2
  // steps) can land in that window, never more (a step takes seconds here).
  expect(resumedFrom).toBeLessThanOrEqual(before + 2);
  await expect(run).toHaveAttribute('data-status', 'running');
  // Never from 0: the counter starts at the checkpoint and the curves from before the reload are back.
  expect(await stepDone(page)).toBeGreaterThanOrEqual(resumedFrom);
  await expect.poll(async () => Number(await page.getByTestId('train-charts').getAttribute('data-points'))).toBeGreaterThanOrEqual(resumedFrom);
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThan(resumedFrom);
  await shot(page, 'resumed');

  // Pause: the step in flight ends, a checkpoint is saved, the counter holds; Resume goes on from there.
  await page.getByTestId('train-pause').click();
  await expect(run).toHaveAttribute('data-status', 'paused', { timeout: 300_000 });
  const paused = await stepDone(page);
  expect(paused).toBeLessThan(12);
  await expect(page.getByTestId('train-step')).toContainText(`checkpoint at step ${paused}`);
  await expect(page.getByTestId('train-resume')).toBeEnabled();
  await expect(page.getByTestId('train-pause')).toBeDisabled();
  await expect(page.getByTestId('train-stop')).toBeDisabled();
  await shot(page, 'paused');
  await page.getByTestId('train-resume').click();
  await expect(run).toHaveAttribute('data-status', 'running');
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThan(paused);

  await expect(run).toHaveAttribute('data-status', 'finished', { timeout: 600_000 });
  expect(await stepDone(page)).toBe(12);
  await expect(page.getByTestId('train-charts')).toHaveAttribute('data-points', '12');
  await expect(page.getByTestId('train-saved')).toBeVisible();
  await expect(page.getByTestId('train-eval-readout')).toContainText(/after: \d+\.\d% \(4 questions\)/);
  // Before and after are the same questions, across the pause: the readout compares them one by one.
  await expect(page.getByTestId('train-eval-paired')).toContainText(/^\d+ gained, \d+ lost; sign test p [=<] \d/);
  // The four questions span more than one type, so the readout splits them: right before -> after of each type.
  await expect(page.getByTestId('train-eval-by-type')).toContainText(/^by type: [a-z]+ \d → \d of \d( · [a-z]+ \d → \d of \d)+$/);
  await expect(page.getByTestId('train-start')).toBeEnabled();
  await expect(page.getByTestId('train-pause')).toBeDisabled();
  await shot(page, 'finished');

  // The finished run is in the run history.
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByTestId('panel-runs')).toContainText('GRPO micro scratch seed 0');
});

test('a lost GPU device mid-run: the run goes on from its checkpoint on a new device and finishes', async ({ page }) => {
  test.setTimeout(600_000);
  await openTrain(page);
  await page.getByTestId('train-preset').selectOption('micro');
  await page.getByTestId('train-init').selectOption('scratch');
  await fillNumber(page, 'train-G', 2);
  await fillNumber(page, 'train-batch', 1);
  await fillNumber(page, 'train-steps', 8);
  await fillNumber(page, 'train-maxlen', 12);
  await fillNumber(page, 'train-ckpt-every', 2);
  await page.getByTestId('train-eval').uncheck();
  await page.getByTestId('train-start').click();
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(3);
  // The same call the status bar's "Simulate device loss" makes: device.destroy() inside the engine worker.
  await page.evaluate(() => window.labAutomation!.destroyDevice());
  await expect(page.getByTestId('train-notice')).toContainText('device was lost', { timeout: 120_000 });
  await expect(page.getByTestId('train-notice')).toContainText(/checkpoint at (GRPO )?step \d+/);
  await shot(page, 'device-lost');
  await expect(page.getByTestId('train-run')).toHaveAttribute('data-status', 'finished', { timeout: 300_000 });
  expect(await stepDone(page)).toBe(8);
  await expect(page.getByTestId('train-charts')).toHaveAttribute('data-points', '8');
  await expect(page.getByTestId('train-error')).toHaveCount(0);
});

test('the reward playground scores a typed completion live, and the form refuses what cannot run', async ({ page }) => {
  await openTrain(page);
  const play = page.getByTestId('train-playground');
  await play.scrollIntoViewIfNeeded();
  // The example completion is well formed and answers A = Liver, the gold.
  await expect(page.getByTestId('play-format-value')).toHaveText('1.00');
  await expect(page.getByTestId('play-accuracy-value')).toHaveText('1.00');
  await expect(page.getByTestId('play-total')).toHaveText('2.00');
  // The gold is moved: the same answer is now wrong.
  await page.getByTestId('play-gold').selectOption({ index: 2 });
  await expect(page.getByTestId('play-accuracy-value')).toHaveText('0.00');
  // The option text is accepted as well as the letter; markup is text, never HTML.
  await page.getByTestId('play-completion').fill('<think>it is <img src=x onerror="window.__injected=1"></think> <answer>Omentum</answer>');
  await expect(page.getByTestId('play-format-value')).toHaveText('1.00');
  await expect(page.getByTestId('play-accuracy-value')).toHaveText('1.00');
  await expect(page.getByTestId('play-answer')).toHaveText('Omentum');
  await page.getByTestId('play-completion').fill('Omentum');
  await expect(page.getByTestId('play-format-value')).toHaveText('0.00');
  await expect(page.getByTestId('play-accuracy-value')).toHaveText('0.00');
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  await shot(page, 'playground');

  // A group of one has no group-relative advantage: refused in words naming the field, Start disabled.
  await fillNumber(page, 'train-G', 1);
  await expect(page.getByTestId('train-form-error')).toContainText('groupSize: must be >= 2');
  await expect(page.getByTestId('train-start')).toBeDisabled();
  await page.getByTestId('train-reset').click();
  await expect(page.getByTestId('train-form-error')).toHaveCount(0);
  await expect(page.getByTestId('train-G')).toHaveValue('8');
  await expect(page.getByTestId('train-start')).toBeEnabled();
});
