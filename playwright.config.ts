// End-to-end tests in Debian's Chromium with WebGPU (SwiftShader when there is no GPU). Playwright never
// downloads a browser here. The app is served from the production build, as `npm start` serves it.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './cli/chromium.ts';

// E2E_PORT / E2E_DIST / E2E_RESULTS let several people run their specs side by side on one machine.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';
const RESULTS = process.env.E2E_RESULTS ?? 'test-results';

export default defineConfig({
  testDir: 'e2e',
  outputDir: `${RESULTS}/e2e-artifacts`,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  // SwiftShader on a loaded 2-core machine can stall a step; one retry in CI, and flaky tests are reported as such.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: `${RESULTS}/e2e.json` }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort --outDir ${DIST}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
