// Inflating untrusted deflate data with a hard output limit: fflate's streaming Inflate is fed small input
// chunks and stopped as soon as the output passes the limit, so a deflate bomb (1 KB that inflates to
// gigabytes) costs at most the limit plus one chunk's worth of output, never the whole bomb.
import { Inflate } from 'fflate';

/** Input bytes per push; deflate expands at most about 1032x, so one push yields at most ~264 KB. */
const CHUNK = 256;

export class InflateLimitError extends Error {
  override name = 'InflateLimitError';
  constructor(
    /** Output bytes produced before stopping. */
    readonly produced: number,
    readonly limit: number,
  ) {
    super(`inflates to more than ${limit} bytes`);
  }
}

export class InflateCorruptError extends Error {
  override name = 'InflateCorruptError';
}

/** Raw-deflate `data` inflated, or InflateLimitError past `maxBytes`, or InflateCorruptError for bad or truncated data. */
export function inflateLimited(data: Uint8Array, maxBytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let produced = 0;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced <= maxBytes) parts.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let at = 0; at < data.length; at += CHUNK) {
      inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
      if (produced > maxBytes) throw new InflateLimitError(produced, maxBytes);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (err) {
    if (err instanceof InflateLimitError) throw err;
    throw new InflateCorruptError(`not valid compressed data (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!ended) throw new InflateCorruptError('compressed data ends early');
  const out = new Uint8Array(produced);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
