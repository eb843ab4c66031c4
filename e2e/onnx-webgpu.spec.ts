// The exported policy, loaded back into onnxruntime-web in Chromium: its logits on the WebGPU execution
// provider (and on wasm) agree with our engine's forward on the same weights within 1e-3 (issue #4).
// Uses the benchmark page, which builds both from the same seeded weights; nothing here is timed.
import { expect, test } from '@playwright/test';

test('ONNX export matches our forward on the onnxruntime-web WebGPU and wasm EPs', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/bench/index.html');
  await page.waitForFunction(() => (window as unknown as { labBench?: unknown }).labBench !== undefined);
  const report = await page.evaluate(() =>
    (window as unknown as { labBench: { runModel(o: object): Promise<{ forward: { maxAbsDiffWebgpu: number; maxAbsDiffWasm: number } }> } }).labBench.runModel({
      preset: 'micro',
      reps: 1,
      warmup: 0,
    }),
  );
  expect(report.forward.maxAbsDiffWebgpu).toBeLessThan(1e-3);
  expect(report.forward.maxAbsDiffWasm).toBeLessThan(1e-3);
});
