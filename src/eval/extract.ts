// The deterministic answer extractor: which option did a completion choose, or an explicit "could not
// extract". Order of evidence: the text inside <answer> tags, then the rest of the completion (outside
// <think>); in each, a lone option letter first, then an option text. Ambiguity is never guessed away.
import { OPTION_LETTERS } from '../data/record.ts';
import { normalizeOpenAnswer, normalizeOptionText } from './normalize.ts';

/** Where the chosen option was found. */
export type ExtractionSource = 'tag-letter' | 'tag-text' | 'letter' | 'text';

/** Result of extracting a multiple-choice answer: an option index, or the reason there is none. */
export type ChoiceExtraction =
  | { ok: true; index: number; via: ExtractionSource }
  | { ok: false; reason: string };

/** Result of extracting a free-text answer: its normalised form, or the reason there is none. */
export type OpenExtraction = { ok: true; normalized: string } | { ok: false; reason: string };

type ScopeResult = { found: number } | { ambiguous: string } | null;

/** The text inside the last <answer> tag (an unclosed tag runs to the end), or null when there is none. */
export function answerTagContent(completion: string): string | null {
  const open = completion.toLowerCase().lastIndexOf('<answer>');
  if (open < 0) return null;
  const rest = completion.slice(open + '<answer>'.length);
  const close = rest.toLowerCase().indexOf('</answer>');
  return close < 0 ? rest : rest.slice(0, close);
}

/** The completion without closed <think> blocks and without answer tags: where a bare answer would sit. */
export function answerBody(completion: string): string {
  return completion.replace(/<think>[\s\S]*?<\/think>/gi, ' ').replace(/<\/?answer>/gi, ' ');
}

/**
 * Which option `completion` chose among `options` (display order). Letters beyond the option count are
 * ignored. A letter beats an option text in the same scope ('B. Liver' is B even when B is not Liver): the
 * letter is what the prompt asked for.
 */
export function extractChoice(completion: string, options: readonly string[]): ChoiceExtraction {
  if (options.length === 0) return { ok: false, reason: 'question has no options' };
  const tag = answerTagContent(completion);
  const scopes: Array<[string, ExtractionSource, ExtractionSource]> = [];
  if (tag !== null && tag.trim() !== '') scopes.push([tag, 'tag-letter', 'tag-text']);
  scopes.push([answerBody(completion), 'letter', 'text']);
  for (const [scope, letterVia, textVia] of scopes) {
    const letter = findLetter(scope, options.length);
    if (letter && 'found' in letter) return { ok: true, index: letter.found, via: letterVia };
    const text = findOptionText(scope, options);
    if (text && 'found' in text) return { ok: true, index: text.found, via: textVia };
    // An ambiguous answer tag is the model's final word: do not look for a clearer answer elsewhere.
    const ambiguity = (letter && 'ambiguous' in letter ? letter.ambiguous : null) ?? (text && 'ambiguous' in text ? text.ambiguous : null);
    if (ambiguity) return { ok: false, reason: ambiguity };
  }
  return { ok: false, reason: completion.trim() === '' ? 'empty completion' : 'no option letter or option text found' };
}

// Patterns for a lone letter, strongest first. Each tier is tried alone; two different letters in one tier is ambiguous.
const WHOLE_LETTER = /^[([]?\s*([A-Ha-h])\s*[)\]]?[.:)]?$/;
const LEADING_LETTER = /^[([]?([A-H])[)\].:](?:\s|$)/;
const KEYWORD_LETTER = /\b(?:answer|option|choice|choose|pick|select)(?:\s+is)?\s*[:-]?\s*(?:option\s+|choice\s+)?[([]?([A-H])(?![A-Za-z0-9])/gi;
const BRACKETED_LETTER = /[([]([A-H])[)\]]/g;

/** Markup that wraps an answer without changing it: Markdown emphasis and LaTeX boxed{} (R1-style models). */
function unwrap(scope: string): string {
  return scope.replace(/\\boxed\{([^{}]*)\}/g, '$1').replace(/\*\*|__|\*/g, '').trim();
}

function findLetter(scope: string, optionCount: number): ScopeResult {
  const text = unwrap(scope);
  const valid = (letter: string): number => {
    const i = OPTION_LETTERS.indexOf(letter.toUpperCase() as (typeof OPTION_LETTERS)[number]);
    return i >= 0 && i < optionCount ? i : -1;
  };
  const whole = WHOLE_LETTER.exec(text);
  if (whole) {
    const i = valid(whole[1]);
    if (i >= 0) return { found: i };
  }
  const leading = LEADING_LETTER.exec(text);
  if (leading) {
    const i = valid(leading[1]);
    if (i >= 0) return { found: i };
  }
  const keyword: number[] = [];
  for (const m of text.matchAll(KEYWORD_LETTER)) {
    const letter = m[1];
    const after = text.slice((m.index ?? 0) + m[0].length);
    // 'answer is a liver', 'answer is A bullous lesion': an article, not option A. A lower-case 'a' counts
    // only when nothing follows it but punctuation ('answer: a.'); 'b'..'h' are never words on their own.
    if (letter === 'a' && !/^\s*([.)\]]|$)/.test(after)) continue;
    if (letter === 'A' && /^\s+[a-z]/.test(after)) continue;
    const i = valid(letter);
    if (i >= 0) keyword.push(i);
  }
  const fromKeyword = single(keyword, 'letters');
  if (fromKeyword) return fromKeyword;
  const bracketed: number[] = [];
  for (const m of text.matchAll(BRACKETED_LETTER)) {
    const i = valid(m[1]);
    if (i >= 0) bracketed.push(i);
  }
  return single(bracketed, 'letters');
}

function single(indices: number[], what: string): ScopeResult {
  const distinct = [...new Set(indices)];
  if (distinct.length === 0) return null;
  if (distinct.length === 1) return { found: distinct[0] };
  return { ambiguous: `ambiguous: ${what} ${distinct.map((i) => OPTION_LETTERS[i] ?? i).join(', ')} all given` };
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * The option whose normalised text occurs in the scope as whole words. A match inside a longer matched
 * option ('Plate' inside 'Cystic Plate') does not count; two options left over is ambiguous.
 */
function findOptionText(scope: string, options: readonly string[]): ScopeResult {
  const haystack = normalizeOptionText(unwrap(scope));
  if (haystack === '') return null;
  const needles = options.map(normalizeOptionText);
  const exact = needles.flatMap((n, i) => (n !== '' && n === haystack ? [i] : []));
  if (exact.length === 1) return { found: exact[0] };
  const spans: Array<{ option: number; start: number; end: number }> = [];
  needles.forEach((needle, option) => {
    if (needle === '') return;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (!isWordChar(haystack[at - 1]) && !isWordChar(haystack[end])) spans.push({ option, start: at, end });
    }
  });
  const uncovered = spans.filter(
    (s) => !spans.some((o) => o.option !== s.option && o.end - o.start > s.end - s.start && o.start <= s.start && o.end >= s.end),
  );
  const distinct = [...new Set(uncovered.map((s) => s.option))];
  if (distinct.length === 0) return null;
  if (distinct.length === 1) return { found: distinct[0] };
  return { ambiguous: `ambiguous: option texts ${distinct.map((i) => `'${options[i]}'`).join(', ')} all given` };
}

/** The free-text answer of a completion (inside <answer> when present, else outside <think>), normalised. */
export function extractOpenAnswer(completion: string): OpenExtraction {
  const tag = answerTagContent(completion);
  const scope = tag !== null && tag.trim() !== '' ? tag : answerBody(completion);
  const normalized = normalizeOpenAnswer(scope);
  return normalized === '' ? { ok: false, reason: 'empty answer' } : { ok: true, normalized };
}
