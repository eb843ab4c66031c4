// The prompt the exported data carries: the lab's own evaluation prompt (eval/prompt.ts, the SGG-VQA layout),
// split into the question-and-options body and the answer-tag instruction, because EasyR1 appends the
// instruction through a Jinja format prompt while verl and TRL take the whole text in the row.

import { optionLetter, type VqaRecord } from '../data/record.ts';
import { evalPromptText } from '../eval/prompt.ts';

export interface PromptParts {
  /** "Question:\n...\nOptions:\nA. ...". */
  body: string;
  /** The answer-tag instruction (the prompt's last line). */
  instruction: string;
}

export function promptParts(record: VqaRecord): PromptParts {
  const text = evalPromptText(record);
  const cut = text.lastIndexOf('\n');
  return { body: text.slice(0, cut), instruction: text.slice(cut + 1) };
}

/** The full prompt text, as the lab poses it. */
export function promptText(record: VqaRecord): string {
  return evalPromptText(record);
}

/**
 * The ground truth the exported reward functions read: "B. Liver" (letter, then the option text), so that a
 * reward given only this string can accept either the letter or the text, as the lab's accuracy reward does.
 */
export function groundTruth(record: Pick<VqaRecord, 'goldIndex' | 'options'>): string {
  return `${optionLetter(record.goldIndex)}. ${record.options[record.goldIndex]}`;
}

/** EasyR1 format prompt: the row's problem (body) followed by the instruction the lab uses. */
export function easyr1FormatPrompt(instruction: string): string {
  return `{{ content | trim }}\n${instruction}\n`;
}
