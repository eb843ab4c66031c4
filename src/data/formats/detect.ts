// Format detection over a file tree: reads the first bytes of each candidate data file once, asks every reader
// how sure it is, and ranks the answers. The best one is what the preview and the load use.
import { extensionOf, type IntakeFile } from '../intake/intake-file.ts';
import type { Detection, FormatReader, ReadConfig } from './types.ts';
import { omniMedVqaReader } from './omnimedvqa.ts';
import { sggVqaReader } from './sgg-vqa.ts';
import { medR1Reader } from './med-r1.ts';
import { medVlmR1Reader } from './medvlm-r1.ts';
import { vqaRadReader } from './vqa-rad.ts';
import { vlmEvalKitTsvReader } from './vlmevalkit-tsv.ts';
import { genericTableReader } from './generic-table.ts';
import { parquetReader } from './parquet.ts';

/** Every reader, most specific first (ties in confidence go to the earlier one). */
export const FORMAT_READERS: readonly FormatReader[] = [
  vqaRadReader,
  omniMedVqaReader,
  sggVqaReader,
  medVlmR1Reader,
  medR1Reader,
  vlmEvalKitTsvReader,
  parquetReader,
  genericTableReader,
];

export function readerFor(id: Detection['format']): FormatReader {
  const r = FORMAT_READERS.find((x) => x.id === id);
  if (!r) throw new Error(`no reader for format '${id}'`);
  return r;
}

const DATA_EXTENSIONS = new Set(['json', 'jsonl', 'ndjson', 'csv', 'tsv', 'parquet']);

/** Decodes a head leniently: a cut multi-byte character at the end must not hide the keys before it. */
const lenient = new TextDecoder('utf-8', { fatal: false });

export async function readHeads(files: readonly IntakeFile[], config: ReadConfig): Promise<Map<IntakeFile, string>> {
  const heads = new Map<IntakeFile, string>();
  for (const f of files) {
    if (!DATA_EXTENSIONS.has(extensionOf(f.path)) || f.size === 0) continue;
    try {
      heads.set(f, lenient.decode(await f.read(0, Math.min(f.size, config.headBytes))));
    } catch {
      // An unreadable file is reported by the reader that claims it; detection just skips it.
    }
  }
  return heads;
}

/** All readers' detections, best first. */
export async function detectFormats(files: readonly IntakeFile[], config: ReadConfig): Promise<Detection[]> {
  const heads = await readHeads(files, config);
  const found: Detection[] = [];
  for (const r of FORMAT_READERS) {
    const d = r.detect(files, heads, config);
    if (d) found.push(d);
  }
  return found.sort((a, b) => b.confidence - a.confidence);
}
