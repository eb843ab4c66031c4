// Vite builds the single-page app and its engine worker. The app version is the git commit at build time,
// so every run record says which code produced it.
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { execSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ortAssets } from './vite-plugin-ort.ts';

function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return 'uncommitted';
  }
}

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The dev server injects CSS as <style> tags; only there does the CSP allow inline styles.
const devCsp: Plugin = {
  name: 'lab-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
};

export default defineConfig({
  plugins: [react(), devCsp, ortAssets()],
  define: {
    __APP_VERSION__: JSON.stringify(process.env.npm_package_version ?? '0.0.0'),
    __APP_COMMIT__: JSON.stringify(gitCommit()),
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
    // The benchmark page ships beside the app so `lab bench` measures the built code, not a dev build.
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html'), bench: resolve(import.meta.dirname, 'bench/index.html') } },
  },
  // Cross-origin isolation gives SharedArrayBuffer (onnxruntime-web's wasm threads) and precise timers.
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 5173, headers: ISOLATION_HEADERS },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
