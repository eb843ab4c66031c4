// A browser that grants no WebGPU adapter (Chromium on Linux without --enable-unsafe-webgpu): the lab says so
// in plain words, says what still works and how to get WebGPU, and the panels still open.
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../cli/chromium.ts';

test.use({
  launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') },
});

test('explains the missing WebGPU and keeps the rest of the lab usable', async ({ page }) => {
  await page.goto('/');
  const notice = page.getByTestId('no-webgpu');
  await expect(notice).toBeVisible();
  await expect(notice).toContainText('no adapter was granted');
  await expect(notice).toContainText('Still works');
  await expect(notice).toContainText('--enable-unsafe-webgpu');
  await expect(page.getByTestId('statusbar')).toHaveAttribute('data-device-status', 'unavailable');
  await page.getByRole('tab', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Runs' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/no-webgpu.png', fullPage: true });
});
