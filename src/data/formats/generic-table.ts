// Generic tables: JSON Lines, JSON arrays of flat objects, and CSV, with an image path column and the column
// names row-mapper.ts knows. The fallback reader: it claims files only when no specific format does.
import { extensionOf, readText, type IntakeFile } from '../intake/intake-file.ts';
import { issue } from '../validate/issues.ts';
import { parseDelimited } from './delimited.ts';
import { readJsonItems } from './json-source.ts';
import { OutcomeBuilder } from './outcome.ts';
import { COLUMN_NAMES, findColumn, looksLikeVqaTable, mapRow, type RowContext } from './row-mapper.ts';
import { splitFromPath } from './answers.ts';
import type { FormatReader, ParseOutput, ReadConfig } from './types.ts';
import { base64Bytes, EmbeddedImages, looksLikeBase64Image } from './embedded.ts';

/** Keys of the first JSON object in a head (nested keys included), without parsing the possibly cut whole. */
function firstObjectKeys(head: string): string[] {
  const start = head.indexOf('{');
  if (start < 0) return [];
  let depth = 0;
  let end = head.length;
  for (let i = start; i < head.length; i++) {
    if (head[i] === '{') depth++;
    else if (head[i] === '}' && --depth === 0) {
      end = i;
      break;
    }
  }
  return Array.from(head.slice(start, end).matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g), (m) => m[1]).slice(0, 64);
}

function headerOf(head: string, sep: string): string[] {
  return (head.split(/\r?\n/)[0] ?? '').split(sep).map((h) => h.trim().replace(/^"|"$/g, ''));
}

/** `rowKey` names the row's embedded image: its `index`/`id` cell when it has one, else its position. */
export function rowContext(
  file: IntakeFile,
  index: number,
  rowKey: string,
  config: ReadConfig,
  embedded: EmbeddedImages,
  source: string,
): RowContext {
  return {
    fallbackId: `${file.path}#${index}`,
    fallbackSplit: splitFromPath(file.path, config.defaultSplit),
    fallbackSource: source,
    imageRef: (_key, value) => {
      if (value instanceof Uint8Array) return embedded.add(rowKey, value);
      if (typeof value !== 'string') return null;
      if (looksLikeBase64Image(value)) return embedded.add(rowKey, base64Bytes(value));
      // VLMEvalKit writes a repeated image once and refers to it by the first row's index.
      if (/^\d+$/.test(value.trim())) return embedded.pathOf(value.trim()) ?? null;
      return null;
    },
  };
}

export async function parseTable(file: IntakeFile, config: ReadConfig, out: ParseOutput, source = 'table'): Promise<void> {
  const ext = extensionOf(file.path);
  const embedded = new EmbeddedImages(file.path);
  let rows: { raw: Record<string, unknown> | null; error?: string }[];
  if (ext === 'csv' || ext === 'tsv') {
    let text: string;
    try {
      text = await readText(file, config.maxTextFileBytes);
    } catch (err) {
      out.fileIssues.push(issue(file.path, null, '', err instanceof Error ? err.message.replace(`${file.path}: `, '') : String(err)));
      return;
    }
    if (text.trim() === '') {
      out.fileIssues.push(issue(file.path, null, '', 'empty file'));
      return;
    }
    const table = parseDelimited(text, ext === 'tsv' ? '\t' : ',');
    rows = table.rows.map((cells, i) => {
      const err = table.rowErrors.get(i);
      if (err) return { raw: null, error: err };
      if (cells.length !== table.header.length) return { raw: null, error: `${cells.length} cells, header has ${table.header.length}` };
      return { raw: Object.fromEntries(table.header.map((h, j) => [h, cells[j]])) };
    });
  } else {
    const { items, lineErrors, issues } = await readJsonItems(file, config);
    out.fileIssues.push(...issues);
    rows = items.map((raw, i) => (lineErrors.has(i) ? { raw: null, error: lineErrors.get(i) } : { raw: raw as Record<string, unknown> }));
  }
  rows.forEach(({ raw, error }, index) => {
    const b = new OutcomeBuilder(file.path, index, config);
    if (error) b.fail('', error);
    const obj = error ? null : b.object(raw);
    if (!obj) {
      out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: b.errors, warnings: [] });
      return;
    }
    try {
      const idKey = findColumn(Object.keys(obj), COLUMN_NAMES.id);
      const rowKey = idKey !== undefined && (typeof obj[idKey] === 'string' || typeof obj[idKey] === 'number') ? String(obj[idKey]).trim() : String(index);
      out.outcomes.push(b.finish(mapRow(b, obj, rowContext(file, index, rowKey, config, embedded, source))));
    } catch (err) {
      out.outcomes.push({ file: file.path, index, record: null, repairs: [], errors: [issue(file.path, index, '', `could not be read: ${String(err)}`)], warnings: [] });
    }
  });
  out.embeddedImages.push(...embedded.files);
}

export const genericTableReader: FormatReader = {
  id: 'generic-table',
  label: 'Generic JSONL / CSV with an image column',
  detect(files, heads) {
    const hits = files.filter((f) => {
      const h = heads.get(f);
      if (h === undefined) return false;
      const ext = extensionOf(f.path);
      if (ext === 'csv') return looksLikeVqaTable(headerOf(h, ','));
      if (ext === 'tsv') return looksLikeVqaTable(headerOf(h, '\t'));
      if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return looksLikeVqaTable(firstObjectKeys(h));
      return false;
    });
    if (!hits.length) return null;
    return { format: 'generic-table', confidence: 0.6, files: hits, reason: `${hits.length} table file(s) with image, question and answer columns` };
  },
  async parse(detection, config) {
    const out: ParseOutput = { outcomes: [], fileIssues: [], embeddedImages: [] };
    for (const f of detection.files) await parseTable(f, config, out);
    return out;
  },
};
