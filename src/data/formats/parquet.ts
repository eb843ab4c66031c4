// Parquet tables, as Hugging Face `datasets` exports them: image columns hold raw bytes or a struct
// {bytes, path}; text, options and answers are ordinary columns mapped by row-mapper.ts. Read with hyparquet
// through the IntakeFile's ranged reads, so only the needed parts of a large file are touched.
import { parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { extensionOf, type IntakeFile } from '../intake/intake-file.ts';
import { issue } from '../validate/issues.ts';
import { OutcomeBuilder } from './outcome.ts';
import { COLUMN_NAMES, findColumn, mapRow } from './row-mapper.ts';
import { rowContext } from './generic-table.ts';
import { EmbeddedImages } from './embedded.ts';
import type { FormatReader, ParseOutput, ReadConfig } from './types.ts';

function asyncBuffer(file: IntakeFile): AsyncBuffer {
  return {
    byteLength: file.size,
    slice: async (start: number, end?: number) => {
      const bytes = await file.read(start, end ?? file.size);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

const utf8 = new TextDecoder();

/** Plain JSON-like values: bigint ids to numbers/strings, byte strings to text, image structs to their bytes. */
function plainRow(row: Record<string, unknown>, imageKey: string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === imageKey) {
      const bytes = v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? (v as { bytes?: unknown }).bytes : v;
      const path = v !== null && typeof v === 'object' && !(v instanceof Uint8Array) ? (v as { path?: unknown }).path : undefined;
      out[k] = bytes instanceof Uint8Array && bytes.length > 0 ? bytes : path instanceof Uint8Array ? utf8.decode(path) : (path ?? bytes);
    } else if (typeof v === 'bigint') out[k] = Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
    else if (v instanceof Uint8Array) out[k] = utf8.decode(v);
    else if (Array.isArray(v)) out[k] = v.map((x) => (x instanceof Uint8Array ? utf8.decode(x) : typeof x === 'bigint' ? Number(x) : x));
    else out[k] = v;
  }
  return out;
}

async function parseParquetFile(file: IntakeFile, config: ReadConfig, out: ParseOutput): Promise<void> {
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: asyncBuffer(file), utf8: false });
  } catch (err) {
    out.fileIssues.push(issue(file.path, null, '', `unreadable Parquet: ${err instanceof Error ? err.message : String(err)}`));
    return;
  }
  if (!rows.length) {
    out.fileIssues.push(issue(file.path, null, '', 'Parquet file holds no rows'));
    return;
  }
  const embedded = new EmbeddedImages(file.path);
  const imageKey = findColumn(Object.keys(rows[0]), COLUMN_NAMES.image);
  rows.forEach((raw, index) => {
    const b = new OutcomeBuilder(file.path, index, config);
    try {
      const row = plainRow(raw, imageKey);
      const idKey = findColumn(Object.keys(row), COLUMN_NAMES.id);
      const rowKey = idKey !== undefined && row[idKey] !== null && row[idKey] !== undefined ? String(row[idKey]) : String(index);
      out.outcomes.push(b.finish(mapRow(b, row, rowContext(file, index, rowKey, config, embedded, 'parquet'))));
    } catch (err) {
      out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: [issue(file.path, index, '', `could not be read: ${String(err)}`)], warnings: [] });
    }
  });
  out.embeddedImages.push(...embedded.files);
}

export const parquetReader: FormatReader = {
  id: 'parquet',
  label: 'Parquet (Hugging Face datasets export)',
  detect(files, heads) {
    const hits = files.filter((f) => extensionOf(f.path) === 'parquet' && (heads.get(f) ?? '').startsWith('PAR1'));
    if (!hits.length) return null;
    return { format: 'parquet', confidence: 0.8, files: hits, reason: `${hits.length} Parquet file(s)` };
  },
  async parse(detection, config) {
    const out: ParseOutput = { outcomes: [], fileIssues: [], embeddedImages: [] };
    for (const f of detection.files) await parseParquetFile(f, config, out);
    return out;
  },
};
