// Images carried inside data files: base64 cells (VLMEvalKit TSV) and raw bytes (Parquet). Each becomes an
// in-memory IntakeFile at a path of its own, so image checks, hashing and storage treat it like any file.
import { memoryFile, type IntakeFile } from '../intake/intake-file.ts';

/** Cells shorter than this are never taken as base64 images (VLMEvalKit writes short index references). */
const MIN_BASE64_CHARS = 64;

export function looksLikeBase64Image(value: string): boolean {
  return value.length >= MIN_BASE64_CHARS && /^[A-Za-z0-9+/=\s]+$/.test(value.slice(0, 256));
}

/** Decodes base64; undecodable text is kept as its own bytes so the image check reports it, never throws. */
export function base64Bytes(value: string): Uint8Array {
  try {
    const bin = atob(value.replace(/\s+/g, ''));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new TextEncoder().encode(value.slice(0, 1024));
  }
}

/** Collects embedded images of one data file under '<file>#image/<key>'. */
export class EmbeddedImages {
  readonly files: IntakeFile[] = [];
  private readonly byKey = new Map<string, string>();

  constructor(private readonly dataPath: string) {}

  add(key: string, bytes: Uint8Array): string {
    const path = `${this.dataPath}#image/${key}`;
    if (!this.byKey.has(key)) {
      this.byKey.set(key, path);
      this.files.push(memoryFile(path, bytes));
    }
    return path;
  }

  pathOf(key: string): string | undefined {
    return this.byKey.get(key);
  }
}
