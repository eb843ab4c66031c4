// The evaluation prompt, written as the authors' SGG-VQA data writes it (question, then lettered options,
// then the answer-tag instruction), so that a policy trained on that data is asked in its own format.
import { optionLetter, type VqaRecord } from '../data/record.ts';

const MC_INSTRUCTION =
  'Output the thinking process in <think> </think> and final answer (the option letter) in <answer> </answer> tags.';
const OPEN_INSTRUCTION = 'Output the thinking process in <think> </think> and final answer in <answer> </answer> tags.';

export function evalPromptText(record: VqaRecord): string {
  if (record.open || record.options.length === 0) return `Question:\n${record.question}\n${OPEN_INSTRUCTION}`;
  const options = record.options.map((o, i) => `${optionLetter(i)}. ${o}`).join('\n');
  return `Question:\n${record.question}\nOptions:\n${options}\n${MC_INSTRUCTION}`;
}
