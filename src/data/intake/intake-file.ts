// The one file shape every intake source produces: dropped browser files, walked directories, zip entries and
// Node paths all become an `IntakeFile` with a root-relative path and lazily read bytes, so parsers never know
// where a byte came from.

/** One file of a dataset being brought in. Bytes are read only when a parser asks for them. */
export interface IntakeFile {
  /** File name without folders (e.g. 'trainset.json'). */
  name: string;
  /** Path relative to the intake root, '/'-separated, no leading slash (e.g. 'data_RAD/trainset.json'). */
  path: string;
  /** Size in bytes as the source reports it. */
  size: number;
  /** Reads the bytes [start, end) (the whole file by default). */
  read(start?: number, end?: number): Promise<Uint8Array>;
}

/** An in-memory file: zip entries, embedded images (base64 TSV cells, Parquet bytes), tests. */
export function memoryFile(path: string, bytes: Uint8Array): IntakeFile {
  return {
    name: baseName(path),
    path,
    size: bytes.length,
    read: async (start = 0, end = bytes.length) => bytes.subarray(start, end),
  };
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function extensionOf(path: string): string {
  const name = baseName(path);
  const i = name.lastIndexOf('.');
  return i <= 0 ? '' : name.slice(i + 1).toLowerCase();
}

/** Directory part of a path ('' for a top-level file). */
export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** Strict UTF-8 decoding, so binary renamed to .json is reported instead of read as mojibake. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as UTF-8 text, refusing files over `maxBytes` and bytes that are not UTF-8. */
export async function readText(file: IntakeFile, maxBytes: number): Promise<string> {
  if (file.size > maxBytes) {
    throw new Error(`${file.path}: ${formatBytes(file.size)} is over the ${formatBytes(maxBytes)} limit for text files`);
  }
  const bytes = await file.read();
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    throw new Error(`${file.path}: not UTF-8 text`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
