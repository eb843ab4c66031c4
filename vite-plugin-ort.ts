// Serves onnxruntime-web's wasm binaries and their loaders from our own origin under /ort/ (nothing is ever
// fetched from a CDN): copied next to the build, and served from node_modules by the dev server.
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';

const ORT_DIST = resolve(import.meta.dirname, 'node_modules/onnxruntime-web/dist');
const isRuntimeFile = (name: string) => /^ort-wasm-simd-threaded(\.\w+)?\.(wasm|mjs)$/.test(name);

export function ortAssets(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'lab-ort-assets',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      server.middlewares.use('/ort/', (req, res, next) => {
        const name = (req.url ?? '').replace(/^\//, '').split('?')[0];
        const file = join(ORT_DIST, name);
        if (!isRuntimeFile(name) || !existsSync(file)) return next();
        res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
        createReadStream(file).pipe(res);
      });
    },
    writeBundle() {
      const out = join(resolve(config.root, config.build.outDir), 'ort');
      mkdirSync(out, { recursive: true });
      for (const name of readdirSync(ORT_DIST).filter(isRuntimeFile)) copyFileSync(join(ORT_DIST, name), join(out, name));
    },
  };
}
