// The export as one .zip (fflate), for the browser's download button; the CLI writes the files to a folder
// instead. Parquet and PNG are stored without recompression (they are compressed already).
import { zipSync, type Zippable } from 'fflate';
import type { ExportFile } from './export.ts';

const STORED = /\.(parquet|png|jpe?g)$/i;

export function zipRecipe(files: readonly ExportFile[], folder = 'recipe'): Uint8Array {
  const tree: Zippable = {};
  for (const f of files) {
    if (f.path.split('/').some((p) => p === '' || p === '.' || p === '..')) throw new Error(`export file path '${f.path}' is not a plain relative path`);
    tree[`${folder}/${f.path}`] = [f.bytes, { level: STORED.test(f.path) ? 0 : 6 }];
  }
  return zipSync(tree);
}
