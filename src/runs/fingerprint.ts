// The dataset fingerprint a run record carries: SHA-256 over the sorted (record id, image hash) pairs, so
// that a shared run can be reproduced only on the same questions and the same pixels, in any file order.

/** One record's contribution: its id and a hash of its image bytes ('' when it has no image). */
export interface FingerprintItem {
  id: string;
  imageHash: string;
}

/** 'sha256:<64 hex digits>' over `id \t imageHash \n` lines sorted by id (then hash). */
export async function datasetFingerprint(items: readonly FingerprintItem[]): Promise<string> {
  const lines = items
    .map((i) => `${i.id}\t${i.imageHash}\n`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join('');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(lines));
  return `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
