// Node side of intake: turns command-line paths (files or folders) into IntakeFiles read lazily from disk.
// Only the CLI and Node tests import this file; the browser bundle uses browser-files.ts.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import type { IntakeFile } from './intake-file.ts';

function diskFile(absPath: string, relPath: string, size: number): IntakeFile {
  return {
    name: basename(absPath),
    path: relPath,
    size,
    async read(start = 0, end = size) {
      const handle = await open(absPath, 'r');
      try {
        const length = Math.max(0, Math.min(end, size) - start);
        const buf = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buf, done, length - done, start + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return done === length ? buf : buf.subarray(0, done);
      } finally {
        await handle.close();
      }
    },
  };
}

async function walk(dir: string, root: string, out: IntakeFile[], prefix: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const abs = join(dir, e.name);
    if (e.isDirectory()) await walk(abs, root, out, prefix);
    else if (e.isFile()) {
      const rel = relative(root, abs).split(sep).join('/');
      out.push(diskFile(abs, prefix + rel, (await stat(abs)).size));
    }
  }
}

/**
 * Files under the given paths. A folder's files get paths relative to that folder; a single file keeps its own
 * name. Several roots are merged into one tree, as a drop of several items is. Throws when a path does not exist.
 */
export async function intakeFromPaths(paths: readonly string[]): Promise<IntakeFile[]> {
  const out: IntakeFile[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) await walk(p, p, out, '');
    else if (s.isFile()) out.push(diskFile(p, basename(p), s.size));
  }
  return out;
}
