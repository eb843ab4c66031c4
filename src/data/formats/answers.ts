// Shared answer logic for all readers: inline option parsing ("A. Liver" lines, "A)x, B)y"), matching a gold
// answer to its option after naming each normalisation applied, and the modality / split vocabulary.
import { optionLetter, type Split } from '../record.ts';
import type { OutcomeBuilder } from './outcome.ts';
import { preview } from '../validate/issues.ts';

/** Lower-cased, whitespace-collapsed, trailing period dropped: how the lab compares answer texts. */
export function normaliseAnswer(s: string): string {
  return s.trim().replace(/\s+/g, ' ').replace(/\.+$/, '').trim().toLowerCase();
}

/** What differs between two strings that normalise equal, in words for the repair message. */
function normalisationsBetween(a: string, b: string): string {
  const parts: string[] = [];
  const strip = (s: string) => s.trim().replace(/\s+/g, ' ');
  const noDot = (s: string) => strip(s).replace(/\.+$/, '').trim();
  if (strip(a) !== a || strip(b) !== b) parts.push('whitespace');
  if (noDot(a) !== noDot(b)) parts.push('case');
  if (/\.\s*$/.test(a) !== /\.\s*$/.test(b)) parts.push('trailing period');
  return parts.join('/') || 'whitespace';
}

/**
 * Index of `answer` among `options`: exact first, then after normalisation (named as a repair on `field`).
 * Returns -1 and records an error when nothing matches.
 */
export function matchAnswer(b: OutcomeBuilder, field: string, answer: string, options: readonly string[]): number {
  const exact = options.indexOf(answer);
  if (exact >= 0) return exact;
  const n = normaliseAnswer(answer);
  const hits = options.map((o, i) => (normaliseAnswer(o) === n ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 1) {
    b.repair(field, `${field} matched option ${optionLetter(hits[0])} after normalising ${normalisationsBetween(answer, options[hits[0]])}`);
    return hits[0];
  }
  if (hits.length > 1) b.fail(field, `${preview(answer)} matches ${hits.length} options after normalising`);
  else b.fail(field, `${preview(answer)} matches none of the options ${preview(options, 120)}`);
  return -1;
}

/** Index of an option letter ('C', ' c ', '<answer> C </answer>', 'C.'), or -1. */
export function letterIndex(raw: string): number {
  const m = /^\s*(?:<answer>\s*)?\(?([A-Ha-h])\)?\.?\s*(?:<\/answer>)?\s*$/.exec(raw);
  return m ? m[1].toUpperCase().charCodeAt(0) - 65 : -1;
}

/** Options written one per line as "A. Liver" (SGG-VQA) or "A) Liver" (MedVLM-R1 problems). */
export function parseOptionLines(block: string): string[] {
  const out: string[] = [];
  for (const line of block.split('\n')) {
    const m = /^\s*([A-H])[.)]\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1].charCodeAt(0) - 65 !== out.length) break; // letters must run A, B, C, ...
    out.push(m[2]);
  }
  return out;
}

/**
 * Splits "Question? A)x, B)y, C)z, D)w" (Med-R1) into the question and its options. Options are cut only at
 * ", <next letter>)" (or whitespace before it), so commas and '(RPE)' inside an option survive.
 */
export function splitInlineOptions(problem: string): { question: string; options: string[] } | null {
  const start = /(^|\s)A\)/.exec(problem);
  if (!start) return null;
  const question = problem.slice(0, start.index).trim();
  let rest = problem.slice(start.index + start[0].length);
  const options: string[] = [];
  for (let letter = 1; letter <= 8; letter++) {
    const next = new RegExp(`(?:,\\s*|\\s+)${String.fromCharCode(65 + letter)}\\)`).exec(rest);
    if (!next) {
      options.push(rest.trim());
      break;
    }
    options.push(rest.slice(0, next.index).trim());
    rest = rest.slice(next.index + next[0].length);
  }
  return { question, options };
}

/** Options must be non-empty, distinct and at most `max`; errors name the field. */
export function checkOptions(b: OutcomeBuilder, field: string, options: readonly string[]): void {
  if (options.length < 2) b.fail(field, `${options.length} option(s); a multiple-choice question needs at least 2`);
  if (options.length > b.config.maxOptions) b.fail(field, `${options.length} options, over the limit of ${b.config.maxOptions}`);
  options.forEach((o, i) => {
    if (o.trim() === '') b.fail(field, `option ${optionLetter(i)} is empty`);
    if (o.length > b.config.maxFieldChars) b.fail(field, `option ${optionLetter(i)} has ${o.length} characters, over the ${b.config.maxFieldChars} limit`);
  });
  if (new Set(options).size !== options.length) b.fail(field, `options repeat: ${preview(options, 120)}`);
  else if (new Set(options.map(normaliseAnswer)).size !== options.length) {
    // Real releases have these (Med-R1: 'Thyroid Gland' beside 'Thyroid gland'); kept, but worth a look.
    b.warn(field, `options differ only in case or punctuation: ${preview(options, 120)}`);
  }
}

/** Canonical modality names, so counts per modality do not split on spelling ('CT(Computed Tomography)'). */
export function normaliseModality(raw: string): string {
  const s = raw.trim();
  if (s === '') return '';
  const rules: [RegExp, string][] = [
    [/^ct\b|computed tomography|^ct\(/i, 'CT'],
    [/^mri?\b|mag-?netic resonance|^mr\s*\(/i, 'MR'],
    [/x-?ray|radiograph/i, 'X-Ray'],
    [/ultrasound|^us$|sonograph/i, 'Ultrasound'],
    [/endoscop|laparoscop/i, 'Endoscopy'],
    [/dermoscop/i, 'Dermoscopy'],
    [/fundus/i, 'Fundus Photography'],
    [/^oct\b|optical coherence/i, 'OCT'],
    [/microscop|patholog|histolog/i, 'Microscopy'],
  ];
  for (const [re, name] of rules) if (re.test(s)) return name;
  return s;
}

/** The split a file name or folder implies ('.../test/x.json', 'testset.json', 'val.jsonl'), else the default. */
export function splitFromPath(path: string, fallback: Split): Split {
  const p = path.toLowerCase();
  if (/(^|[/_\-. ])(test|testset|testing)([/_\-. ]|$)/.test(p)) return 'test';
  if (/(^|[/_\-. ])(val|valid|validation|dev)([/_\-. ]|$)/.test(p)) return 'val';
  if (/(^|[/_\-. ])(train|trainset|training)([/_\-. ]|$)/.test(p)) return 'train';
  return fallback;
}

/** A split named in a record ('TEST', 'validation'), or null when the value names none. */
export function parseSplit(raw: string): Split | null {
  const s = raw.trim().toLowerCase();
  if (/^(train|training|trainset)$/.test(s)) return 'train';
  if (/^(test|testing|testset|eval)$/.test(s)) return 'test';
  if (/^(val|valid|validation|dev)$/.test(s)) return 'val';
  return null;
}
