// Opens .zip archives into IntakeFiles with fflate's streaming Unzip: the archive is read in chunks, each entry
// is inflated as it streams past, and the totals are checked while inflating, so a zip bomb is stopped before
// it fills memory. Paths that escape the root are refused; truncated archives keep their complete entries.
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { dirName, extensionOf, formatBytes, memoryFile, type IntakeFile } from './intake-file.ts';
import { normaliseEntryPath } from './paths.ts';
import { issue, type DataIssue } from '../validate/issues.ts';

/** Bounds on what an archive may expand to. */
export interface ZipLimits {
  /** Total uncompressed bytes over all entries of one archive; typical 1 GiB. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for one entry; deflate peaks near 1032:1, real data is under 100. Typical 400. */
  maxRatio: number;
  /** The ratio is judged only after an entry has inflated this many bytes (tiny files compress oddly); typical 1 MiB. */
  ratioGraceBytes: number;
  /** Most entries one archive may hold; typical 200,000. */
  maxEntries: number;
  /** Bytes read from the archive per step; typical 4 MiB. */
  chunkBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 1024 ** 3,
  maxRatio: 400,
  ratioGraceBytes: 1024 ** 2,
  maxEntries: 200_000,
  chunkBytes: 4 * 1024 ** 2,
};

export interface ZipResult {
  files: IntakeFile[];
  problems: DataIssue[];
  /** True when the whole archive was refused (bomb, too large); `files` is then empty. */
  refused: boolean;
}

/** Files the OS adds to archives that are never data. */
function isJunk(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.endsWith('/.DS_Store') || path === '.DS_Store';
}

/** The end-of-central-directory record sits in the last 64 KiB + 22 bytes; without it the archive is cut short. */
async function hasEndRecord(file: IntakeFile): Promise<boolean> {
  const tail = await file.read(Math.max(0, file.size - 65_557), file.size);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && tail[i + 2] === 0x05 && tail[i + 3] === 0x06) return true;
  }
  return false;
}

/** Expands one archive. Entry paths are prefixed with the archive's own folder in the intake tree. */
export async function openZip(zip: IntakeFile, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipResult> {
  const problems: DataIssue[] = [];
  const prefix = dirName(zip.path) ? dirName(zip.path) + '/' : '';
  const done: IntakeFile[] = [];
  const open = new Map<UnzipFile, { path: string; chunks: Uint8Array[]; bytes: number; compressed: number }>();
  let total = 0;
  let entries = 0;
  // fflate catches what a data handler throws and hands it back as an inflate error, so a refusal is a flag
  // checked after every push rather than an exception.
  let refusal: string | null = null;
  const refuse = (f: UnzipFile, message: string) => {
    refusal ??= message;
    f.terminate();
  };

  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (f) => {
    if (refusal || f.name.endsWith('/')) return; // folder entries carry no data
    if (++entries > limits.maxEntries) {
      refuse(f, `more than ${limits.maxEntries} entries; refused`);
      return;
    }
    const path = normaliseEntryPath(f.name);
    if (path === null) {
      problems.push(issue(zip.path, null, '', `entry '${f.name}' points outside the archive root; refused`));
      return;
    }
    if (isJunk(path)) return;
    const state = { path: prefix + path, chunks: [] as Uint8Array[], bytes: 0, compressed: f.size ?? 0 };
    open.set(f, state);
    f.ondata = (err, data, final) => {
      if (refusal) return;
      if (err) {
        problems.push(issue(zip.path, null, '', `entry '${path}' could not be inflated: ${err.message}`));
        open.delete(f);
        return;
      }
      state.bytes += data.length;
      total += data.length;
      if (total > limits.maxTotalBytes) {
        refuse(f, `expands to more than ${formatBytes(limits.maxTotalBytes)}; refused as a possible zip bomb`);
        return;
      }
      if (state.bytes > limits.ratioGraceBytes && state.compressed > 0 && state.bytes / state.compressed > limits.maxRatio) {
        refuse(f, `entry '${path}' expands more than ${limits.maxRatio}:1 (${formatBytes(state.compressed)} compressed); refused as a zip bomb`);
        return;
      }
      state.chunks.push(data);
      if (final) {
        open.delete(f);
        done.push(memoryFile(state.path, concat(state.chunks, state.bytes)));
      }
    };
    f.start();
  };

  if (zip.size === 0) {
    problems.push(issue(zip.path, null, '', 'empty file, not a zip archive'));
    return { files: [], problems, refused: true };
  }
  try {
    for (let start = 0; start < zip.size && !refusal; start += limits.chunkBytes) {
      const end = Math.min(zip.size, start + limits.chunkBytes);
      unzip.push(await zip.read(start, end), end >= zip.size);
    }
  } catch (err) {
    problems.push(issue(zip.path, null, '', `unreadable archive: ${err instanceof Error ? err.message : String(err)}`));
  }
  if (refusal) {
    problems.push(issue(zip.path, null, '', refusal));
    return { files: [], problems, refused: true };
  }
  for (const state of open.values()) {
    problems.push(issue(zip.path, null, '', `entry '${state.path}' is cut short (${formatBytes(state.bytes)} read); archive truncated`));
  }
  if (done.length === 0 && open.size === 0 && !problems.length) {
    problems.push(issue(zip.path, null, '', 'not a zip archive, or it holds no files'));
  } else if (!(await hasEndRecord(zip))) {
    problems.push(issue(zip.path, null, '', `archive has no end-of-central-directory record (truncated?); kept the ${done.length} complete entries`));
  }
  return { files: done, problems, refused: false };
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(length);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Replaces every .zip in a tree by its entries (one level: archives inside archives are not opened). */
export async function expandArchives(
  files: readonly IntakeFile[],
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<{ files: IntakeFile[]; problems: DataIssue[] }> {
  const out: IntakeFile[] = [];
  const problems: DataIssue[] = [];
  for (const f of files) {
    if (extensionOf(f.path) !== 'zip') {
      out.push(f);
      continue;
    }
    const r = await openZip(f, limits);
    problems.push(...r.problems);
    for (const e of r.files) {
      if (extensionOf(e.path) === 'zip') problems.push(issue(f.path, null, '', `nested archive '${e.path}' not opened; unzip it first`));
      else out.push(e);
    }
  }
  return { files: out, problems };
}
