// Choosing the next token from one row of logits on the CPU (the logits of the last column are read back
// once per step): greedy, or temperature -> top-k -> top-p (the order Hugging Face applies them) and an
// inverse-CDF draw with a uniform the caller supplies, so the choice is a pure function of its inputs.

export interface SamplingConfig {
  /** Always take the most likely token (ties: lowest id); true for evaluation, false for GRPO rollouts. */
  greedy: boolean;
  /** Logits are divided by this before softmax; 1.0 typical, <= 0 means greedy. */
  temperature: number;
  /** Keep only the k most likely tokens; 0 disables. e.g. 0 or 50. */
  topK: number;
  /** Keep the smallest set of most likely tokens whose probability reaches p; 1 disables. e.g. 1.0 or 0.95. */
  topP: number;
}

/** Index of the largest logit in logits[offset, offset + V) (lowest id on ties). */
export function argmax(logits: ArrayLike<number>, offset: number, V: number): number {
  let best = 0, bestValue = -Infinity;
  for (let j = 0; j < V; j++) {
    const x = logits[offset + j];
    if (x > bestValue) {
      bestValue = x;
      best = j;
    }
  }
  return best;
}

/** log softmax(logits row)[token] in float64: the policy's log-probability at temperature 1. */
export function logSoftmaxAt(logits: ArrayLike<number>, offset: number, V: number, token: number): number {
  let max = -Infinity;
  for (let j = 0; j < V; j++) max = Math.max(max, logits[offset + j]);
  let sum = 0;
  for (let j = 0; j < V; j++) sum += Math.exp(logits[offset + j] - max);
  return logits[offset + token] - max - Math.log(sum);
}

/** The next token of one row; `u` is a uniform in (0, 1). */
export function sampleToken(logits: ArrayLike<number>, offset: number, V: number, cfg: SamplingConfig, u: number): number {
  if (cfg.greedy || cfg.temperature <= 0) return argmax(logits, offset, V);
  const invT = 1 / cfg.temperature;
  let max = -Infinity;
  for (let j = 0; j < V; j++) max = Math.max(max, logits[offset + j]);
  const filtered = (cfg.topK > 0 && cfg.topK < V) || cfg.topP < 1;
  if (!filtered) {
    const w = new Float64Array(V);
    let total = 0;
    for (let j = 0; j < V; j++) total += w[j] = Math.exp((logits[offset + j] - max) * invT);
    return drawFrom(w, total, u, (i) => i);
  }
  const order = Array.from({ length: V }, (_, j) => j);
  order.sort((a, c) => logits[offset + c] - logits[offset + a] || a - c);
  const k = cfg.topK > 0 ? Math.min(cfg.topK, V) : V;
  const w = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) total += w[i] = Math.exp((logits[offset + order[i]] - max) * invT);
  let keep = k;
  if (cfg.topP < 1) {
    let cum = 0;
    for (let i = 0; i < k; i++) {
      cum += w[i] / total;
      if (cum >= cfg.topP) {
        keep = i + 1;
        break;
      }
    }
  }
  let kept = 0;
  for (let i = 0; i < keep; i++) kept += w[i];
  return drawFrom(w.subarray(0, keep), kept, u, (i) => order[i]);
}

function drawFrom(w: Float64Array, total: number, u: number, id: (i: number) => number): number {
  const target = u * total;
  let cum = 0;
  for (let i = 0; i < w.length; i++) {
    cum += w[i];
    if (target < cum) return id(i);
  }
  // Rounding can leave target just above the last cumulative sum: take the last token with weight.
  for (let i = w.length - 1; i >= 0; i--) if (w[i] > 0) return id(i);
  return id(0);
}
