// Reads a JSON array or JSON Lines file into raw items, turning every way it can be broken (empty, not UTF-8,
// malformed, wrong top-level shape, one bad line) into issues that name the file and, for JSONL, the line.
import { extensionOf, readText, type IntakeFile } from '../intake/intake-file.ts';
import { issue, jsonType, type DataIssue } from '../validate/issues.ts';
import type { ReadConfig } from './types.ts';

export interface JsonItems {
  /** Raw records; a JSONL line that failed to parse holds `undefined` and has an entry in `lineErrors`. */
  items: unknown[];
  /** Item index -> parse error message (JSONL only). */
  lineErrors: Map<number, string>;
  /** Whole-file problems; when present, `items` may be empty. */
  issues: DataIssue[];
}

function parseJsonLines(text: string): { items: unknown[]; lineErrors: Map<number, string> } {
  const items: unknown[] = [];
  const lineErrors = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      items.push(JSON.parse(line));
    } catch (err) {
      lineErrors.set(items.length, `line is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
      items.push(undefined);
    }
  }
  return { items, lineErrors };
}

export async function readJsonItems(file: IntakeFile, config: ReadConfig): Promise<JsonItems> {
  const empty = (message: string): JsonItems => ({ items: [], lineErrors: new Map(), issues: [issue(file.path, null, '', message)] });
  let text: string;
  try {
    text = await readText(file, config.maxTextFileBytes);
  } catch (err) {
    return empty(err instanceof Error ? err.message.replace(`${file.path}: `, '') : String(err));
  }
  if (text.trim() === '') return empty('empty file');
  if (extensionOf(file.path) === 'jsonl' || extensionOf(file.path) === 'ndjson') {
    return { ...parseJsonLines(text), issues: [] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // A .json file of one object per line is JSON Lines under another name.
    const lines = parseJsonLines(text);
    if (lines.items.length > 1 && lines.lineErrors.size === 0) return { ...lines, issues: [] };
    return empty(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (Array.isArray(value)) return { items: value, lineErrors: new Map(), issues: [] };
  if (value !== null && typeof value === 'object') {
    // {"data": [...]} and similar wrappers: take the one array-valued key.
    const arrays = Object.entries(value).filter(([, v]) => Array.isArray(v));
    if (arrays.length === 1) return { items: arrays[0][1] as unknown[], lineErrors: new Map(), issues: [] };
  }
  return empty(`top-level JSON is ${jsonType(value)}, expected a list of records`);
}
