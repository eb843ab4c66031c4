// What the policy reads and writes during training: the prompt ids of a question (the same text evaluation
// asks, eval/prompt.ts), the SFT target in the tag format the rewards check, the stop tokens, and the corpus a
// scratch tokenizer learns from (so the prompt template and the tags cost a few tokens, not dozens).

import { optionLetter, type VqaRecord } from '../../data/record.ts';
import { evalPromptText } from '../../eval/prompt.ts';
import { recordTexts, type Tokenizer } from '../../model/tokenizer.ts';

/** `<image>` then the evaluation prompt: one format for training, evaluation and the exported recipe. */
export function promptIds(tokenizer: Tokenizer, record: VqaRecord): number[] {
  return [tokenizer.imageId, ...tokenizer.encode(evalPromptText(record))];
}

/**
 * The warm-start target: a one-sentence think naming the gold option, then the answer (letter or option text),
 * ending with `</answer>` (a stop token). Matches the format reward's pattern exactly.
 */
export function sftTargetText(record: VqaRecord, answerForm: 'letter' | 'text'): string {
  const gold = record.options[record.goldIndex] ?? record.answer;
  const answer = answerForm === 'letter' && record.goldIndex >= 0 ? optionLetter(record.goldIndex) : gold;
  return `<think>The structure is ${gold}.</think> <answer>${answer}</answer>`;
}

/** The instruction of an SFT caption row (the image, then this). */
export const CAPTION_PROMPT = 'Name every anatomy in the frame with its position.';

export function captionPromptIds(tokenizer: Tokenizer): number[] {
  return [tokenizer.imageId, ...tokenizer.encode(CAPTION_PROMPT)];
}

/** A caption row's target: the description, a full stop, `<eos>`. */
export function captionTargetIds(tokenizer: Tokenizer, description: string): number[] {
  return [...tokenizer.encode(`${description}.`), tokenizer.eosId];
}

/** Generation ends at `</answer>` (the format is then complete) or at `<eos>`. */
export function stopTokens(tokenizer: Tokenizer): number[] {
  return [tokenizer.answerEndId, tokenizer.eosId];
}

/** Completion text as the rewards see it: specials kept (the tags are special tokens), `<eos>`/`<pad>` dropped. */
export function completionText(tokenizer: Tokenizer, tokens: readonly number[]): string {
  return tokenizer.decode(tokens.filter((t) => t !== tokenizer.eosId && t !== tokenizer.padId));
}

/** Texts for training a tokenizer on a dataset: questions, options, answers, the prompts and the targets. */
export function* tokenizerCorpus(records: readonly VqaRecord[]): Iterable<string> {
  for (const r of records) {
    yield* recordTexts(r);
    yield evalPromptText(r);
    if (!r.open && r.goldIndex >= 0) yield sftTargetText(r, 'letter');
  }
}
