// Try a reward: type a completion, set the options and the gold one, and read what each built-in reward function
// gives it, with the weights and the length budget of the form above. The same pure functions score the
// trainer's rollouts (rl/rewards.ts), so what this says is what training sees.
import { useMemo, useState } from 'react';
import { optionLetter } from '../../../data/record.ts';
import { extractTaggedAnswer, REWARD_FUNCTIONS } from '../../../rl/rewards.ts';
import { useTrainingStore } from '../../../store/training.ts';

const EXAMPLE = '<think>The bright organ on the upper right of the frame is the liver.</think> <answer>A</answer>';
const EXAMPLE_OPTIONS = 'Liver\nGallbladder\nOmentum\nAbdominal wall';

export function RewardPlayground() {
  const grpo = useTrainingStore((s) => s.form.grpo);
  const [completion, setCompletion] = useState(EXAMPLE);
  const [optionsText, setOptionsText] = useState(EXAMPLE_OPTIONS);
  const [gold, setGold] = useState(0);
  const [tokens, setTokens] = useState(24);
  const options = useMemo(() => optionsText.split('\n').map((o) => o.trim()).filter((o) => o !== '').slice(0, 8), [optionsText]);
  const goldIndex = Math.min(gold, Math.max(0, options.length - 1));
  const input = { completion, options, goldIndex, completionTokens: tokens, maxCompletionLength: grpo.maxCompletionLength, lengthPenaltyCache: grpo.lengthPenaltyCache };
  const scores = REWARD_FUNCTIONS.map((fn) => ({ fn, value: fn.score(input), weight: grpo.rewardWeights[fn.name] }));
  const total = scores.reduce((s, x) => s + x.weight * x.value, 0);
  const answer = extractTaggedAnswer(completion);

  return (
    <div className="card" data-testid="train-playground">
      <div className="train-head">
        <h2>Try a reward</h2>
        <span className="muted">Type a completion and pick the gold option; the rewards are computed as you type, with the weights above.</span>
      </div>
      <div className="train-play">
        <div className="train-play-inputs">
          <label className="train-field">
            <span className="train-field-label">Completion</span>
            <textarea rows={4} value={completion} onChange={(e) => setCompletion(e.target.value)} spellCheck={false} data-testid="play-completion" />
          </label>
          <div className="train-play-row">
            <label className="train-field">
              <span className="train-field-label">Options, one per line</span>
              <textarea rows={4} value={optionsText} onChange={(e) => setOptionsText(e.target.value)} data-testid="play-options" />
            </label>
            <div>
              <label className="train-field">
                <span className="train-field-label">Gold option</span>
                <select value={goldIndex} onChange={(e) => setGold(Number(e.target.value))} data-testid="play-gold">
                  {options.map((o, i) => (
                    <option key={i} value={i}>
                      {optionLetter(i)}. {o}
                    </option>
                  ))}
                </select>
              </label>
              <label className="train-field">
                <span className="train-field-label">Completion tokens</span>
                <input type="number" min={0} step={1} value={tokens} onChange={(e) => setTokens(Math.max(0, Math.round(Number(e.target.value) || 0)))} data-testid="play-tokens" />
                <span className="train-field-help">
                  For the length penalty: budget {grpo.maxCompletionLength}, penalty zone the last {grpo.lengthPenaltyCache}.
                </span>
              </label>
            </div>
          </div>
        </div>
        <div className="train-play-out">
          <p className="muted">
            Answer in the tags: {answer === null ? <i>none found</i> : <code data-testid="play-answer">{answer}</code>}
          </p>
          <table className="data" data-testid="play-scores">
            <thead>
              <tr>
                <th>Reward</th>
                <th className="num">value</th>
                <th className="num">weight</th>
                <th className="num">weighted</th>
              </tr>
            </thead>
            <tbody>
              {scores.map(({ fn, value, weight }) => (
                <tr key={fn.name} data-testid={`play-${fn.name}`}>
                  <td>
                    <b>{fn.name}</b>
                    <div className="train-field-help">{fn.description}</div>
                  </td>
                  <td className="num" data-testid={`play-${fn.name}-value`}>
                    {value.toFixed(2)}
                  </td>
                  <td className="num">{weight}</td>
                  <td className="num">{(weight * value).toFixed(2)}</td>
                </tr>
              ))}
              <tr>
                <td>
                  <b>total</b>
                </td>
                <td />
                <td />
                <td className="num" data-testid="play-total">
                  <b>{total.toFixed(2)}</b>
                </td>
              </tr>
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
