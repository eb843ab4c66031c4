// The headless harness GPU commands run in: build the app if the build is stale, serve it on 127.0.0.1 with
// Vite's preview server, open it in headless Chromium, and hand the page to the command. The page's
// `window.labAutomation` talks to the same engine worker the UI uses.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build, preview } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST_INDEX = join(ROOT, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** Builds dist/ when it is missing or older than any source file, so the CLI never drives stale code. */
export async function ensureBuilt(log: (line: string) => void = () => {}): Promise<void> {
  const sources = Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'index.html')).mtimeMs);
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  log('building the app (vite build)…');
  await build({ root: ROOT, logLevel: 'warn' });
}

export interface LabPage {
  page: Page;
  url: string;
}

/** Runs `fn` with the lab open in headless Chromium; always closes browser and server. */
export async function withLabPage<T>(fn: (lab: LabPage) => Promise<T>, log: (line: string) => void = () => {}): Promise<T> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it with 'apt-get install chromium' (or set LAB_CHROMIUM)`);
  }
  await ensureBuilt(log);
  const server = await preview({ root: ROOT, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false } });
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (err) => log(`page error: ${err.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.labAutomation !== undefined, undefined, { timeout: 30_000 });
    return await fn({ page, url });
  } finally {
    await browser.close();
    await server.close();
  }
}
