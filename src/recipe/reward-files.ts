// The reward definitions as Python files each trainer loads: the lab's format and accuracy rewards (and DAPO's
// soft overlong penalty) from rl/rewards.ts, written line for line in Python, with the run's weights baked in
// where the trainer takes one score per completion (EasyR1, verl) and as reward_weights where it takes one
// function per reward (TRL). The ground truth is "B. Liver": the letter and the option text.
//
// Entry points, as each trainer calls them:
//   EasyR1 worker.reward.reward_type=batch: compute_score(reward_inputs: list[dict]) -> list[dict], each input
//          {"response", "response_length", "ground_truth"} (examples/reward_function/*.py).
//   verl   custom_reward_function: compute_score(data_source, solution_str, ground_truth, extra_info=None).
//   TRL    reward_funcs: f(completions, solution, **kwargs) -> list[float]; conversational completions are
//          [[{"role": "assistant", "content": ...}]], plain ones are strings.

import type { GrpoConfig } from '../rl/config.ts';

/** The shared scoring core: must match rl/rewards.ts (formatReward, answerMatchesGold, lengthPenalty). */
const CORE = `import re

# Python's re.fullmatch with an optional final newline matches what rl/rewards.ts FORMAT_PATTERN accepts.
FORMAT_PATTERN = re.compile(r"<think>.*?</think>\\s*<answer>.*?</answer>\\n?", re.DOTALL)
ANSWER_PATTERN = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
LETTERS = "ABCDEFGH"


def normalise_answer(text):
    text = re.sub(r"\\s+", " ", text.strip())
    text = re.sub(r"[.\\s]+$", "", text)
    return text.lower()


def split_ground_truth(ground_truth):
    """'B. Liver' -> ('b', 'liver'); a bare letter or text is accepted too."""
    m = re.fullmatch(r"([A-H])\\.\\s(.*)", ground_truth.strip(), re.DOTALL)
    if m:
        return m.group(1).lower(), normalise_answer(m.group(2))
    gt = normalise_answer(ground_truth)
    return (gt, gt) if len(gt) == 1 else ("", gt)


def format_reward(completion):
    return 1.0 if FORMAT_PATTERN.fullmatch(completion) else 0.0


def accuracy_reward(completion, ground_truth):
    m = ANSWER_PATTERN.search(completion)
    if m is None:
        return 0.0
    a = normalise_answer(m.group(1))
    letter, text = split_ground_truth(ground_truth)
    if letter and a in (letter, "(" + letter + ")", letter + ")"):
        return 1.0
    if a == text:
        return 1.0
    c = re.fullmatch(r"\\(?([a-h])[.):]\\s*(.+)", a)
    return 1.0 if c is not None and c.group(1) == letter and normalise_answer(c.group(2)) == text else 0.0


def length_penalty(tokens, max_length, cache):
    free = max_length - cache
    if tokens <= free:
        return 0.0
    if tokens <= max_length:
        return (free - tokens) / cache if cache > 0 else 0.0
    return -1.0
`;

function pyNumber(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

function header(config: GrpoConfig, entry: string): string {
  const w = config.rewardWeights;
  return [
    `# Exported by Anatomy-R1 Lab: the lab's format and accuracy rewards (rl/rewards.ts). ${entry}`,
    `# Weights of the run: format ${w.format}, accuracy ${w.accuracy}, length ${w.length}.`,
    '',
  ].join('\n');
}

function weights(config: GrpoConfig): string {
  const w = config.rewardWeights;
  return [
    `FORMAT_WEIGHT = ${pyNumber(w.format)}`,
    `ACCURACY_WEIGHT = ${pyNumber(w.accuracy)}`,
    `LENGTH_WEIGHT = ${pyNumber(w.length)}`,
    `MAX_COMPLETION_LENGTH = ${config.maxCompletionLength}`,
    `LENGTH_PENALTY_CACHE = ${config.lengthPenaltyCache}`,
  ].join('\n');
}

/** EasyR1, reward_type=batch. */
export function easyr1RewardFile(config: GrpoConfig): string {
  return `${header(config, 'EasyR1 worker.reward.reward_type=batch.')}${CORE}

${weights(config)}


def compute_score(reward_inputs, **kwargs):
    scores = []
    for item in reward_inputs:
        response = item["response"]
        fmt = format_reward(response)
        acc = accuracy_reward(response, item["ground_truth"])
        length = length_penalty(item.get("response_length", 0), MAX_COMPLETION_LENGTH, LENGTH_PENALTY_CACHE) if LENGTH_WEIGHT != 0 else 0.0
        overall = FORMAT_WEIGHT * fmt + ACCURACY_WEIGHT * acc + LENGTH_WEIGHT * length
        scores.append({"overall": overall, "format": fmt, "accuracy": acc, "length": length})
    return scores
`;
}

/** verl custom_reward_function (no token count: the length penalty is not applied, see mapping.ts). */
export function verlRewardFile(config: GrpoConfig): string {
  return `${header(config, 'verl custom_reward_function.')}${CORE}

${weights(config)}


def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    fmt = format_reward(solution_str)
    acc = accuracy_reward(solution_str, ground_truth)
    return {"score": FORMAT_WEIGHT * fmt + ACCURACY_WEIGHT * acc, "format": fmt, "accuracy": acc}
`;
}

/** TRL reward functions; the weights go to GRPOConfig.reward_weights in the same order as REWARD_FUNCS. */
export function trlRewardFile(config: GrpoConfig): string {
  const withLength = config.rewardWeights.length !== 0;
  return `${header(config, 'TRL GRPOTrainer reward_funcs.')}${CORE}

MAX_COMPLETION_LENGTH = ${config.maxCompletionLength}
LENGTH_PENALTY_CACHE = ${config.lengthPenaltyCache}


def completion_text(completion):
    if isinstance(completion, str):
        return completion
    return completion[-1]["content"] if completion else ""


def format_reward_func(completions, **kwargs):
    return [format_reward(completion_text(c)) for c in completions]


def accuracy_reward_func(completions, solution, **kwargs):
    return [accuracy_reward(completion_text(c), s) for c, s in zip(completions, solution)]


def length_reward_func(completions, completion_ids=None, **kwargs):
    if completion_ids is None:
        return [0.0 for _ in completions]
    return [length_penalty(len(ids), MAX_COMPLETION_LENGTH, LENGTH_PENALTY_CACHE) for ids in completion_ids]


REWARD_FUNCS = [format_reward_func, accuracy_reward_func${withLength ? ', length_reward_func' : ''}]
`;
}
