// The shell: the adapter is reported, every panel opens, and a lost device is shown and recovered from.
import { expect, test } from '@playwright/test';

const PANELS = ['Data', 'Model', 'Curriculum', 'Augmentation', 'Train', 'Evaluate', 'Runs'];

test('reports the SwiftShader adapter and navigates every panel', async ({ page }) => {
  await page.goto('/');
  const status = page.getByTestId('statusbar');
  await expect(status).toHaveAttribute('data-device-status', 'ready');
  await expect(page.getByTestId('adapter')).toContainText('swiftshader');
  await expect(page.getByTestId('adapter')).toContainText('fallback');
  await expect(status).toContainText('subgroups');
  for (const name of PANELS) {
    await page.getByRole('tab', { name }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`panel=${name.toLowerCase()}`));
    await page.screenshot({ path: `test-results/screenshots/panel-${name.toLowerCase()}.png`, fullPage: true });
  }
  await page.getByRole('button', { name: 'details' }).click();
  await expect(page.getByRole('dialog', { name: 'Device details' })).toContainText('maxStorageBufferBindingSize');
  // A fresh profile autotunes the matmul tile at start-up; a reload reads the pick from IndexedDB.
  const tuning = page.getByTestId('matmul-tuning');
  await expect(tuning).toHaveAttribute('data-source', 'autotune', { timeout: 90_000 });
  await expect(tuning).toContainText(/per thread.*autotuned at start-up in \d+\.\d s over 7 candidates/);
  await page.screenshot({ path: 'test-results/screenshots/status-details.png' });
  await page.reload();
  await page.getByRole('button', { name: 'details' }).click();
  await expect(page.getByTestId('matmul-tuning')).toHaveAttribute('data-source', 'cache', { timeout: 60_000 });
});

test('shows a lost GPU device and recovers with a new one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('device-generation')).toContainText('device #1');
  // The same call the "Simulate device loss" button makes: device.destroy() inside the engine worker.
  await page.evaluate(() => window.labAutomation!.destroyDevice());
  await expect(page.getByTestId('device-recovered')).toBeVisible();
  await expect(page.getByTestId('device-generation')).toContainText('device #2');
  await expect(page.getByTestId('device-generation')).toContainText('1 loss recovered');
  await expect(page.getByTestId('statusbar')).toHaveAttribute('data-device-status', 'ready');
  // The recovered device really computes: info comes from the new adapter.
  const state = await page.evaluate(() => window.labAutomation!.deviceInfo());
  expect(state.generation).toBe(2);
  await page.screenshot({ path: 'test-results/screenshots/device-recovered.png' });
});

test('the lost state is shown in words while the device is gone', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('statusbar')).toHaveAttribute('data-device-status', 'ready');
  await page.getByRole('button', { name: 'details' }).click();
  const seen = page.waitForFunction(() => document.querySelector('[data-testid="device-lost"]') !== null, undefined, { polling: 5 });
  await page.getByTestId('simulate-loss').click();
  await seen;
  await expect(page.getByTestId('device-recovered')).toBeVisible();
});
