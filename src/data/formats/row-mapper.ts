// Maps one row of a generic table (JSONL object, CSV/TSV row, Parquet row) onto a VqaRecord by recognising the
// column names researchers use. Image cells may hold a path or embedded bytes; `imageRef` turns either into the
// path the record keeps.
import type { VqaRecord } from '../record.ts';
import { OPTION_LETTERS, optionLetter } from '../record.ts';
import { normaliseImageRef } from '../intake/paths.ts';
import type { OutcomeBuilder } from './outcome.ts';
import { checkOptions, letterIndex, matchAnswer, normaliseAnswer, normaliseModality, parseSplit } from './answers.ts';
import { jsonType, preview } from '../validate/issues.ts';
import type { Split } from '../record.ts';

export const COLUMN_NAMES = {
  id: ['id', 'qid', 'question_id', 'index', 'uid'],
  image: ['image', 'image_path', 'img', 'img_path', 'image_name', 'file_name', 'filename', 'image_file'],
  question: ['question', 'query', 'problem', 'prompt'],
  options: ['options', 'choices', 'candidates'],
  answer: ['answer', 'gt_answer', 'label', 'gold', 'correct_answer', 'solution'],
  modality: ['modality', 'modality_type', 'subset'],
  questionType: ['question_type', 'category', 'task', 'type'],
  anatomy: ['anatomy', 'organ', 'image_organ'],
  source: ['dataset', 'source'],
  split: ['split'],
} as const;

/** The first of `names` present as a key, case-insensitively. */
export function findColumn(keys: readonly string[], names: readonly string[]): string | undefined {
  const lower = new Map(keys.map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n);
    if (k !== undefined) return k;
  }
  return undefined;
}

function cellText(b: OutcomeBuilder, row: Record<string, unknown>, key: string | undefined): string {
  if (key === undefined) return '';
  return b.text(row, key, false).trim();
}

/** Options from a list, a JSON-encoded list, lines, or per-letter columns (A..H, option_A..). */
function readOptions(b: OutcomeBuilder, row: Record<string, unknown>, keys: string[]): { field: string; options: string[] } {
  const listKey = findColumn(keys, COLUMN_NAMES.options);
  if (listKey !== undefined && row[listKey] !== null && row[listKey] !== undefined && row[listKey] !== '') {
    let v = row[listKey];
    if (typeof v === 'string') {
      const s = v.trim();
      if (s.startsWith('[')) {
        try {
          v = JSON.parse(s);
        } catch {
          b.fail(listKey, `looks like a JSON list but does not parse: ${preview(s)}`);
          return { field: listKey, options: [] };
        }
      } else v = s.split(s.includes('\n') ? '\n' : '|').map((o) => o.trim()).filter(Boolean);
    }
    if (Array.isArray(v) && v.every((o) => typeof o === 'string' || typeof o === 'number')) return { field: listKey, options: v.map((o) => String(o).trim()) };
    b.fail(listKey, `expected a list of strings, got ${jsonType(v)} ${preview(v, 40)}`);
    return { field: listKey, options: [] };
  }
  const options: string[] = [];
  let field = '';
  for (const letter of OPTION_LETTERS) {
    const key = findColumn(keys, [letter.toLowerCase(), `option_${letter.toLowerCase()}`, `choice_${letter.toLowerCase()}`]);
    const value = key === undefined ? '' : cellText(b, row, key);
    if (!value) break; // VLMEvalKit leaves unused letters empty (NaN)
    field ||= key ?? '';
    options.push(value);
  }
  return { field, options };
}

export interface RowContext {
  /** Record id when the row has none. */
  fallbackId: string;
  /** Split when the row names none. */
  fallbackSplit: Split;
  /** Source name when the row names none. */
  fallbackSource: string;
  /** Turns an image cell that is not a plain path (bytes, base64) into a path; return null to treat it as a path. */
  imageRef?: (key: string, value: unknown) => string | null;
}

export function mapRow(b: OutcomeBuilder, row: Record<string, unknown>, ctx: RowContext): VqaRecord {
  const keys = Object.keys(row);
  const idKey = findColumn(keys, COLUMN_NAMES.id);
  const imageKey = findColumn(keys, COLUMN_NAMES.image);
  const questionKey = findColumn(keys, COLUMN_NAMES.question);
  const answerKey = findColumn(keys, COLUMN_NAMES.answer);
  if (questionKey === undefined) b.fail(COLUMN_NAMES.question[0], `no question column (looked for ${COLUMN_NAMES.question.join(', ')})`);
  if (answerKey === undefined) b.fail(COLUMN_NAMES.answer[0], `no answer column (looked for ${COLUMN_NAMES.answer.join(', ')})`);
  const question = cellText(b, row, questionKey);
  if (questionKey !== undefined && !question) b.fail(questionKey, 'empty');
  const { field: optionsField, options } = readOptions(b, row, keys);
  const answerRaw = cellText(b, row, answerKey);
  if (answerKey !== undefined && !answerRaw) b.fail(answerKey, 'empty');
  let goldIndex = -1;
  let answer = answerRaw;
  if (options.length) {
    checkOptions(b, optionsField, options);
    const letter = letterIndex(answerRaw);
    const isOptionText = options.some((o) => normaliseAnswer(o) === normaliseAnswer(answerRaw));
    if (letter >= 0 && !isOptionText) {
      if (letter < options.length) goldIndex = letter;
      else b.fail(answerKey ?? 'answer', `letter ${optionLetter(letter)} but only ${options.length} options`);
    } else if (answerRaw) goldIndex = matchAnswer(b, answerKey ?? 'answer', answerRaw, options);
    answer = options[goldIndex] ?? '';
  }
  let image = '';
  if (imageKey !== undefined && row[imageKey] !== null && row[imageKey] !== undefined) {
    const embedded = ctx.imageRef?.(imageKey, row[imageKey]) ?? null;
    if (embedded !== null) image = embedded;
    else {
      const n = normaliseImageRef(cellText(b, row, imageKey));
      image = n.path;
      for (const r of n.repairs) b.repair(imageKey, r);
    }
  }
  const splitKey = findColumn(keys, COLUMN_NAMES.split);
  const splitText = cellText(b, row, splitKey);
  const split = splitText ? parseSplit(splitText) : null;
  if (splitText && !split) b.repair(splitKey ?? 'split', `split ${preview(splitText)} not train/test/val; used ${ctx.fallbackSplit}`);
  const idText = idKey !== undefined && typeof row[idKey] === 'number' ? String(row[idKey]) : cellText(b, row, idKey);
  return {
    id: idText || ctx.fallbackId,
    image,
    question,
    options,
    goldIndex,
    answer,
    open: options.length === 0,
    questionType: cellText(b, row, findColumn(keys, COLUMN_NAMES.questionType)),
    modality: normaliseModality(cellText(b, row, findColumn(keys, COLUMN_NAMES.modality))),
    anatomy: cellText(b, row, findColumn(keys, COLUMN_NAMES.anatomy)),
    source: cellText(b, row, findColumn(keys, COLUMN_NAMES.source)) || ctx.fallbackSource,
    split: split ?? ctx.fallbackSplit,
  };
}

/** True when a header (or an object's keys) names an image column and a question column. */
export function looksLikeVqaTable(keys: readonly string[]): boolean {
  return findColumn(keys, COLUMN_NAMES.image) !== undefined && findColumn(keys, COLUMN_NAMES.question) !== undefined &&
    findColumn(keys, COLUMN_NAMES.answer) !== undefined;
}
