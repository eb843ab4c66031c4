// Checks every referenced image once: present or missing, decodable (by signature and header) or not, its
// size, and its content hash for the fingerprint and the leakage check.
import type { IntakeFile } from '../intake/intake-file.ts';
import { sha256Hex } from './hash.ts';
import { sniffImage, type ImageInfo } from './sniff.ts';
import type { ImageIndex } from './resolve.ts';

export interface ImageStatus {
  /** The record's reference. */
  ref: string;
  file: IntakeFile | null;
  byNameOnly: boolean;
  info: ImageInfo | null;
  /** Why the file is not an image (null when it is, or when it is missing). */
  problem: string | null;
  /** SHA-256 of the bytes ('' when missing or not hashed). */
  hash: string;
}

/** Header bytes read first; JPEG frame headers can sit behind large EXIF blocks, then the whole file is read. */
const HEAD_BYTES = 65_536;

export async function checkImages(refs: Iterable<string>, index: ImageIndex, hash: boolean): Promise<Map<string, ImageStatus>> {
  const out = new Map<string, ImageStatus>();
  for (const ref of refs) {
    if (out.has(ref)) continue;
    const match = index.find(ref);
    const status: ImageStatus = { ref, file: match?.file ?? null, byNameOnly: match?.byNameOnly ?? false, info: null, problem: null, hash: '' };
    out.set(ref, status);
    if (!match) continue;
    try {
      const f = match.file;
      let bytes = hash || f.size <= HEAD_BYTES ? await f.read() : await f.read(0, HEAD_BYTES);
      let sniff = sniffImage(bytes);
      if (!sniff.ok && bytes.length < f.size) {
        bytes = await f.read();
        sniff = sniffImage(bytes);
      }
      if (sniff.ok) status.info = sniff.info;
      else status.problem = sniff.reason;
      if (hash) status.hash = await sha256Hex(bytes);
    } catch (err) {
      status.problem = `unreadable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return out;
}
