// GDQA live on SwiftShader: a micro GRPO run from scratch with augmentation on every question (G = 4 as
// 2 variants x 2 rollouts, batch 1, a few short steps), started from the Train panel; the Augmentation panel then
// shows each group's variants side by side with their image, question and options (gold marked), every
// variant's rollouts with rewards and advantages, the zero-variance flag, why the group was augmented, the
// run's turned-informative counter, and stepping back to an earlier step. The offline preview is still there.
import { expect, test, type Page } from '@playwright/test';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/screenshots/augmentation-live-${name}.png`, fullPage: true });
const stepDone = async (page: Page) => Number((await page.getByTestId('train-step-done').textContent()) ?? 'NaN');

test('a GDQA training run shows its variants, rollouts, rewards, advantages and the counter in the Augmentation panel', async ({ page }) => {
  test.setTimeout(600_000);
  // Image transforms on (off by default) in the Augmentation panel's operators, so a variant is posed on a moved image.
  await page.goto('/?panel=augmentation');
  await page.getByTestId('aug-op-image').check();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('train-dataset')).toContainText('AnatomySynth', { timeout: 120_000 });

  await page.getByTestId('train-preset').selectOption('micro');
  await page.getByTestId('train-init').selectOption('scratch');
  await page.getByTestId('train-G').fill('4');
  await page.getByTestId('train-batch').fill('1');
  await page.getByTestId('train-steps').fill('3');
  await page.getByTestId('train-maxlen').fill('10');
  await page.getByTestId('train-inspector-n').fill('1');
  await page.getByTestId('train-eval').uncheck();
  // GDQA from the Train form itself: the switch, the mode and K.
  await expect(page.getByTestId('train-augment-apply')).toBeDisabled();
  await page.getByTestId('train-augment').check();
  await page.getByTestId('train-augment-apply').selectOption('all');
  await page.getByTestId('train-augment-k').fill('2');
  await expect(page.getByTestId('train-form-error')).toHaveCount(0);
  await page.getByTestId('train-config').screenshot({ path: 'test-results/screenshots/augmentation-live-train-form.png' });
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-run')).toHaveAttribute('data-status', 'running');
  await expect.poll(() => stepDone(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(2);

  // The Augmentation panel, while the run goes on.
  await page.getByRole('tab', { name: 'Augmentation' }).click();
  const live = page.getByTestId('aug-live');
  await expect(live).toContainText('GRPO micro scratch seed 0 +GDQA');
  await expect(live).toContainText('GDQA on: K = 2 variants, G = 4 rollouts, applied to every question');
  const group = live.getByTestId('aug-live-group').first();
  await expect(group).toBeVisible();
  await expect(group.getByTestId('aug-live-reason')).toContainText('augmented: GDQA applies to every question');
  await expect(group).toHaveAttribute('data-zero-std', /^(true|false)$/);
  if ((await group.getAttribute('data-zero-std')) === 'true') await expect(group.getByTestId('aug-live-zero')).toBeVisible();

  // Two variants side by side, each with its image, question, options with exactly one gold, and two rollouts.
  const variants = group.getByTestId('aug-live-variant');
  await expect(variants).toHaveCount(2);
  const questions: string[] = [];
  for (let v = 0; v < 2; v++) {
    const card = variants.nth(v);
    await expect(card.locator('img.aug-img, canvas.aug-img')).toBeVisible();
    await expect(card.getByTestId('aug-live-options').locator('li[data-gold="true"]')).toHaveCount(1);
    await expect(card.getByTestId('aug-live-options')).toContainText('✓ gold');
    const rollouts = card.getByTestId('aug-live-rollout');
    await expect(rollouts).toHaveCount(2);
    for (let k = 0; k < 2; k++) {
      await expect(rollouts.nth(k).getByTestId('aug-live-reward')).toHaveText(/^-?\d+\.\d\d$/);
      await expect(rollouts.nth(k).getByTestId('aug-live-advantage')).toHaveText(/^[+-]?\d+\.\d\d$/);
    }
    questions.push((await card.locator('.aug-question').textContent()) ?? '');
  }
  await expect(variants.nth(0)).toContainText('original');
  await expect(variants.nth(0)).toContainText('image as stored');
  // Variant 1's image is drawn with its transforms applied (a canvas), and the transforms are said in words.
  await expect(variants.nth(1).getByTestId('aug-live-transformed')).toBeVisible();
  await expect(variants.nth(1).locator('.aug-transforms')).toContainText(/shift|crop|brightness|contrast/);
  // Variant 1 is another posing of the same question (paraphrase, permutation or redraw): not identical.
  const options = async (v: number) => (await variants.nth(v).getByTestId('aug-live-options').textContent()) ?? '';
  expect(questions[1] !== questions[0] || (await options(1)) !== (await options(0))).toBe(true);

  // The pooled advantages of a group sum to zero (up to the 2-decimal rounding shown).
  const advantages = (await group.getByTestId('aug-live-advantage').allTextContents()).map(Number);
  expect(advantages).toHaveLength(4);
  expect(Math.abs(advantages.reduce((a, x) => a + x, 0))).toBeLessThan(0.05);

  // The counter: every group of every step so far was augmented (GDQA on all questions, batch 1).
  const counter = live.getByTestId('aug-live-counter');
  await expect(counter).toContainText('turned from zero-variance into informative');
  await expect.poll(async () => Number(await counter.getAttribute('data-augmented'))).toBeGreaterThanOrEqual(2);
  expect(Number(await counter.getAttribute('data-augmented'))).toBe(Number(await counter.getAttribute('data-steps')));
  const informative = Number(await counter.getAttribute('data-informative'));
  expect(informative).toBeGreaterThanOrEqual(0);
  expect(informative).toBeLessThanOrEqual(Number(await counter.getAttribute('data-augmented')));
  await shot(page, 'running');
  await group.screenshot({ path: 'test-results/screenshots/augmentation-live-group.png' });

  // The run finishes; the counter covers all 3 steps, and an earlier step can be opened.
  await expect(live).toHaveAttribute('data-status', 'finished', { timeout: 300_000 });
  await expect(counter).toHaveAttribute('data-steps', '3');
  await expect(counter).toHaveAttribute('data-augmented', '3');
  await expect(live.getByTestId('aug-live-step')).toHaveValue('3');
  await live.getByTestId('aug-live-older').click();
  await expect(live.getByTestId('aug-live-step')).toHaveValue('2');
  await expect(live.getByTestId('aug-live-follow')).not.toBeChecked();
  await expect(live.getByTestId('aug-live-group').first().getByTestId('aug-live-variant')).toHaveCount(2);
  await live.getByTestId('aug-live-follow').check();
  await expect(live.getByTestId('aug-live-step')).toHaveValue('3');

  // The offline preview is still there below.
  await expect(page.getByTestId('aug-preview')).toBeVisible();
  await expect(page.getByTestId('aug-preview').getByTestId('aug-group').first()).toBeVisible();
  await shot(page, 'finished');
  await live.screenshot({ path: 'test-results/screenshots/augmentation-live-card.png' });
});
