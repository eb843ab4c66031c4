// Content hashes for images and the dataset fingerprint. SHA-256 through WebCrypto (crypto.subtle), present in
// browsers, workers and Node 20, so the same bytes hash the same everywhere.
import type { VqaRecord } from '../record.ts';

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (c) => c.toString(16).padStart(2, '0')).join('');
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // digest needs an ArrayBuffer-backed view; copies only when given a view over a SharedArrayBuffer.
  const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
  return hex(await crypto.subtle.digest('SHA-256', view));
}

export async function sha256Text(text: string): Promise<string> {
  return sha256Hex(new TextEncoder().encode(text));
}

/**
 * The dataset fingerprint: SHA-256 over the sorted lines "id<TAB>imageHash" ('' for a missing image). Two
 * datasets with the same questions and the same image bytes share it, whatever their order or file layout.
 */
export async function datasetFingerprint(
  records: readonly Pick<VqaRecord, 'id' | 'image'>[],
  imageHashes: ReadonlyMap<string, string>,
): Promise<string> {
  const lines = records.map((r) => `${r.id}\t${imageHashes.get(r.image) ?? ''}`);
  lines.sort();
  return sha256Text(lines.join('\n'));
}
