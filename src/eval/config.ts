// The settings of one evaluation. The same object is stored in the run record and carried by a shared URL,
// so every field is plain JSON.
import type { EvalMetric } from './report.ts';
import type { LikelihoodReduce } from './metrics.ts';

export interface EvalConfig {
  /** Which metrics to compute. Typical: ['greedy', 'avgk', 'circular']. */
  metrics: EvalMetric[];
  /** Samples per question for Avg@k. Typical: 5 (the paper's Avg@5). */
  k: number;
  /** Sampling temperature for Avg@k. Typical: 1.0. */
  temperature: number;
  /** Nucleus mass for Avg@k sampling; 1.0 disables it. */
  topP: number;
  /** Cap on generated tokens per completion. Typical: 256. */
  maxNewTokens: number;
  /** Prompts per generate call. Typical: 8. */
  batchSize: number;
  /** Seed of the task shuffle and of sampling. Typical: 0. */
  seed: number;
  /** Likelihood scoring: sum of token log-probs, or their mean (length-fair). Typical: 'mean'. */
  likelihoodReduce: LikelihoodReduce;
}

export const DEFAULT_EVAL_CONFIG: EvalConfig = {
  metrics: ['greedy'],
  k: 5,
  temperature: 1.0,
  topP: 1.0,
  maxNewTokens: 256,
  batchSize: 8,
  seed: 0,
  likelihoodReduce: 'mean',
};

/** The table label of a metric ('avgk' with k = 5 reads 'avg@5', as the paper writes Avg@5). */
export function metricLabel(metric: EvalMetric, k: number): string {
  return metric === 'avgk' ? `avg@${k}` : metric;
}
