// Reward functions for R1-style multiple-choice training: format, accuracy and DAPO's soft overlong
// penalty, each a pure function, kept in a registry so the trainer, the Train panel's "try a reward" box and
// the metrics (rewards/<name>/mean) all see the same list and weights.

import { optionLetter } from '../data/record.ts';
import type { RewardWeights } from './config.ts';

/** What a reward sees of one rollout. Options and gold are the variant's own (GDQA reorders them). */
export interface RewardInput {
  /** Decoded completion text, without the prompt and without the end-of-sequence token. */
  completion: string;
  /** Option texts as shown to the policy, in display order. */
  options: readonly string[];
  /** Index of the gold option in `options`. */
  goldIndex: number;
  /** Tokens the completion took (for the length penalty). */
  completionTokens: number;
  /** The generation budget the completion ran under. */
  maxCompletionLength: number;
  /** DAPO's L_cache: the soft penalty zone's width in tokens before maxCompletionLength. */
  lengthPenaltyCache: number;
}

export interface RewardFunction {
  /** Stable name; the metric is rewards/<name>/mean. */
  name: keyof RewardWeights;
  /** One line for the Train panel. */
  description: string;
  score(input: RewardInput): number;
}

// Python's `$` (used by TRL / ms-swift / R1-V with re.match) also matches before one final newline; JS's does
// not, hence the explicit `\n?`. The lazy `.*?` with both anchors still lets tags repeat inside the think.
const FORMAT_PATTERN = /^<think>.*?<\/think>\s*<answer>.*?<\/answer>\n?$/s;
const ANSWER_PATTERN = /<answer>(.*?)<\/answer>/s;

/** 1 iff the whole completion is `<think>...</think>` then `<answer>...</answer>` and nothing else. */
export function formatReward(completion: string): number {
  return FORMAT_PATTERN.test(completion) ? 1 : 0;
}

/** The text inside the first `<answer>...</answer>`, or null when there is none. */
export function extractTaggedAnswer(completion: string): string | null {
  const m = ANSWER_PATTERN.exec(completion);
  return m ? m[1] : null;
}

/** Case, surrounding whitespace, inner runs of spaces and trailing periods do not change an answer. */
export function normaliseAnswer(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.\s]+$/, '')
    .toLowerCase();
}

/**
 * Does `answer` (the text inside the tags) name the gold option? Accepted: the letter alone ("D", "(D)",
 * "D)", "D."), the option text, or both together ("D. Liver", "D) Liver") when they agree.
 */
export function answerMatchesGold(answer: string, options: readonly string[], goldIndex: number): boolean {
  if (goldIndex < 0 || goldIndex >= options.length) return false;
  const a = normaliseAnswer(answer);
  const letter = optionLetter(goldIndex).toLowerCase();
  const text = normaliseAnswer(options[goldIndex]);
  if (a === letter || a === `(${letter})` || a === `${letter})`) return true;
  if (a === text) return true;
  const combined = /^\(?([a-h])[.):]\s*(.+)$/.exec(a);
  return combined !== null && combined[1] === letter && normaliseAnswer(combined[2]) === text;
}

/** 1 when the tagged answer is the gold letter or the gold option text, else 0 (also 0 with no tags). */
export function accuracyReward(completion: string, options: readonly string[], goldIndex: number): number {
  const answer = extractTaggedAnswer(completion);
  return answer !== null && answerMatchesGold(answer, options, goldIndex) ? 1 : 0;
}

/**
 * DAPO's soft overlong punishment: 0 up to maxLength - cache tokens, then a linear ramp to -1 at maxLength,
 * -1 beyond. With cache = 0 it is a hard -1 only past the budget.
 */
export function lengthPenalty(tokens: number, maxLength: number, cache: number): number {
  const free = maxLength - cache;
  if (tokens <= free) return 0;
  if (tokens <= maxLength) return cache > 0 ? (free - tokens) / cache : 0;
  return -1;
}

export const REWARD_FUNCTIONS: readonly RewardFunction[] = [
  {
    name: 'format',
    description: '1 when the completion is <think>…</think> <answer>…</answer> and nothing else',
    score: (x) => formatReward(x.completion),
  },
  {
    name: 'accuracy',
    description: '1 when the text in <answer> is the gold letter or the gold option text',
    score: (x) => accuracyReward(x.completion, x.options, x.goldIndex),
  },
  {
    name: 'length',
    description: 'DAPO soft overlong penalty: 0, then down to -1 over the last L_cache tokens of the budget',
    score: (x) => lengthPenalty(x.completionTokens, x.maxCompletionLength, x.lengthPenaltyCache),
  },
];

export interface ScoredRollout {
  /** sum_k w_k R_k */
  total: number;
  /** Unweighted value of each reward function, by name. */
  perFunction: Record<string, number>;
}

/** Scores one rollout with every reward function whose weight is non-zero (the others read 0). */
export function combinedReward(input: RewardInput, weights: RewardWeights): ScoredRollout {
  const perFunction: Record<string, number> = {};
  let total = 0;
  for (const fn of REWARD_FUNCTIONS) {
    const w = weights[fn.name];
    const value = w === 0 ? 0 : fn.score(input);
    perFunction[fn.name] = value;
    total += w * value;
  }
  return { total, perFunction };
}
