// Text normalisation shared by the answer extractor and open-question scoring. Kept apart so that the rules
// (what counts as "the same answer") are one small list a reader can audit, in the manner of the VQA eval
// script: case, whitespace, punctuation, articles and number words.

/** Lower case, collapsed whitespace, no surrounding punctuation or trailing period: how option texts are compared. */
export function normalizeOptionText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    // Surrounding quotes, brackets and trailing sentence punctuation never change which option was meant.
    .replace(/^["'`([{\s]+/, '')
    .replace(/["'`)\]}\s.,;:!?]+$/, '')
    .trim();
}

const ARTICLES = new Set(['a', 'an', 'the']);

// VQA-RAD free answers write small counts either way ('One', '2').
const NUMBER_WORDS: Record<string, string> = {
  zero: '0', none: '0', one: '1', two: '2', three: '3', four: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
};

/**
 * Normalised form of a free-text answer for exact-match scoring (VQA-RAD): lower case; hyphens joined
 * ('x-ray' = 'xray'); other punctuation to spaces except a decimal point between digits ('3.4 cm');
 * articles dropped; number words to digits; whitespace collapsed.
 */
export function normalizeOpenAnswer(text: string): string {
  const lowered = text.normalize('NFKC').toLowerCase().replace(/-/g, '');
  // A decimal point between digits survives ('3.4 cm'); every other punctuation mark becomes a space.
  const punctless = lowered.replace(/[^\p{L}\p{N}\s]/gu, (mark, at: number, all: string) =>
    mark === '.' && /\d/.test(all[at - 1] ?? '') && /\d/.test(all[at + 1] ?? '') ? '.' : ' ',
  );
  return punctless
    .split(/\s+/)
    .filter((w) => w !== '' && !ARTICLES.has(w))
    .map((w) => NUMBER_WORDS[w] ?? w)
    .join(' ');
}
