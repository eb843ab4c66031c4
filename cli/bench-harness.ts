// Opens the benchmark page (dist/bench/index.html, the build's second entry) in headless Chromium, served by
// Vite's preview server so its COOP/COEP headers make the page cross-origin isolated (onnxruntime-web's wasm
// threads need SharedArrayBuffer). Rebuilds first when the app or the bench sources are newer than the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { ensureBuilt } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BENCH_DIR = join(ROOT, 'bench');
const DIST_BENCH = join(ROOT, 'dist', 'bench', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** ensureBuilt covers src/ and index.html; this adds bench/, which it does not look at. */
async function ensureBenchBuilt(log: (line: string) => void): Promise<void> {
  await ensureBuilt(log);
  if (existsSync(DIST_BENCH) && statSync(DIST_BENCH).mtimeMs >= newestMtime(BENCH_DIR)) return;
  log('building the benchmark page (vite build)…');
  await build({ root: ROOT, logLevel: 'warn' });
}

/** Runs `fn` with the benchmark page open and `window.labBench` ready; always closes browser and server. */
export async function withBenchPage<T>(fn: (page: Page) => Promise<T>, log: (line: string) => void = () => {}): Promise<T> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with 'apt-get install chromium' (or set LAB_CHROMIUM)`);
  }
  await ensureBenchBuilt(log);
  const server = await preview({ root: ROOT, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') log(`page console error: ${msg.text()} (${msg.location().url})`);
      else if (msg.text().startsWith('[bench]')) log(msg.text());
    });
    await page.goto(`http://127.0.0.1:${port}/bench/index.html`);
    await page.waitForFunction(() => window.labBench?.ready === true, undefined, { timeout: 30_000 });
    return await fn(page);
  } finally {
    await browser.close();
    await server.close();
  }
}
