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

/** Files from an <input type=file> (with or without `webkitdirectory`): webkitRelativePath keeps the folders. */
export function intakeFromFileList(list: FileList | readonly File[]): IntakeFile[] {
  const out: IntakeFile[] = [];
  for (const f of Array.from(list)) {
    const rel = (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name;
    const path = normaliseEntryPath(rel);
    if (path) out.push(blobFile(f, path));
  }
  return out;
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

async function walkEntry(entry: FileSystemEntry, out: IntakeFile[]): Promise<void> {
  if (entry.isFile) {
    const path = normaliseEntryPath(entry.fullPath.replace(/^\/+/, ''));
    if (path) out.push(blobFile(await entryFile(entry as FileSystemFileEntry), path));
  } else if (entry.isDirectory) {
    for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkEntry(child, out);
  }
}

/**
 * Files from a drop. Entries must be taken synchronously in the drop handler (the DataTransfer is emptied
 * after it returns), so call this from the handler itself; the walk then continues asynchronously.
 */
export function intakeFromDataTransfer(dt: DataTransfer): Promise<IntakeFile[]> {
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
    const out: IntakeFile[] = intakeFromFileList(loose);
    for (const e of entries) await walkEntry(e, out);
    return out;
  })();
}
