// Browser side of intake: dropped files, dropped folders (walked recursively through FileSystemEntry) and the
// file picker, all turned into IntakeFiles whose bytes are read lazily through Blob.slice.
import type { IntakeFile } from './intake-file.ts';
import { normaliseEntryPath } from './paths.ts';

/** Wraps a browser File (or any Blob with a name) at a root-relative path. */
export function blobFile(blob: Blob, path: string): IntakeFile {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return {
    name,
    path,
    size: blob.size,
    read: async (start = 0, end = blob.size) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
  };
}

/**
 * A dropped or picked file with its root-relative path: what the main thread sends to the engine worker
 * (File objects are structured-cloneable, IntakeFile's read() is not). The worker wraps it with blobFile.
 */
export interface DroppedFile {
  path: string;
  file: Blob;
}

/** Paths from an <input type=file> (with or without `webkitdirectory`): webkitRelativePath keeps the folders. */
export function droppedFilesFromList(list: FileList | readonly File[]): DroppedFile[] {
  const out: DroppedFile[] = [];
  for (const f of Array.from(list)) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const path = normaliseEntryPath(rel);
    if (path) out.push({ path, file: f });
  }
  return out;
}

/** Files from an <input type=file> as IntakeFiles. */
export function intakeFromFileList(list: FileList | readonly File[]): IntakeFile[] {
  return droppedFilesFromList(list).map((d) => blobFile(d.file, d.path));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** readEntries returns at most ~100 entries per call, so it is called until it returns none. */
async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walkEntry(entry: FileSystemEntry, out: DroppedFile[]): Promise<void> {
  if (entry.isFile) {
    const path = normaliseEntryPath(entry.fullPath.replace(/^\/+/, ''));
    if (path) out.push({ path, file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkEntry(child, out);
  }
}

/**
 * Files from a drop, as path + File pairs. Entries must be taken synchronously in the drop handler (the
 * DataTransfer is emptied after it returns), so call this from the handler itself; the walk then continues
 * asynchronously.
 */
export function droppedFiles(dt: DataTransfer): Promise<DroppedFile[]> {
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  return (async () => {
    const out = droppedFilesFromList(loose);
    for (const e of entries) await walkEntry(e, out);
    return out;
  })();
}

/** Files from a drop as IntakeFiles; same synchronous-call rule as droppedFiles. */
export function intakeFromDataTransfer(dt: DataTransfer): Promise<IntakeFile[]> {
  const pending = droppedFiles(dt);
  return pending.then((list) => list.map((d) => blobFile(d.file, d.path)));
}
