// A complete, valid run record built from a formula: used by tests of runs/, share/ and the CLI, and as
// the shape to copy when writing a run by hand. Nothing here is measured; it is a fixture.
import type { EvalReport, GroupScore } from '../eval/report.ts';
import { DEFAULT_EVAL_CONFIG } from '../eval/config.ts';
import { RUN_RECORD_VERSION, type MetricPoint, type RunRecord } from './record.ts';

const group = (n: number, greedy: number): GroupScore => ({
  n,
  generations: n,
  unextractable: Math.round(n * 0.05),
  metrics: { greedy: { n, value: greedy } },
});

export function sampleEvalReport(): EvalReport {
  return {
    policy: 'micro-policy step 200',
    task: 'SGG-VQA test',
    config: { ...DEFAULT_EVAL_CONFIG, metrics: ['greedy'] },
    overall: group(120, 0.55),
    byCategory: {
      questionType: { 'Anatomy Identification': group(120, 0.55) },
      modality: { endoscopy: group(120, 0.55) },
      anatomy: { Liver: group(40, 0.7), Gut: group(40, 0.5), Omentum: group(40, 0.45) },
      source: { 'SGG-VQA': group(120, 0.55) },
    },
    unextractable: { count: 6, total: 120, rate: 0.05, byReason: { ambiguous: 2, 'empty completion': 4 }, ids: ['q3', 'q9', 'q17', 'q40', 'q77', 'q101'] },
    confusion: {
      labels: ['Gut', 'Liver'],
      columns: ['Gut', 'Liver', '(other answer)', '(could not extract)'],
      counts: [[2, 1, 0, 0], [0, 3, 0, 1]],
      ids: [[['q1', 'q2'], ['q5'], [], []], [[], ['q6', 'q7', 'q8'], [], ['q9']]],
    },
    throughput: {
      questions: 120, generations: 120, scoringCalls: 0, generatedTokens: 9000, wallMs: 60_000,
      questionsPerSecond: 2, tokensPerSecond: 150, latencyMs: { mean: 4000, p50: 3900, p95: 5200 },
    },
  };
}

/** A train run with `steps` logged points of smooth, slightly noisy curves (deterministic). */
export function sampleRunRecord(steps = 200, id = 'run-sample'): RunRecord {
  const points: MetricPoint[] = Array.from({ length: steps }, (_, s) => ({
    step: s + 1,
    values: {
      reward: 0.34 + 0.15 * (s / Math.max(1, steps - 1)) + 0.02 * Math.sin(s * 1.7),
      reward_std: 0.3 - 0.1 * (s / Math.max(1, steps)),
      frac_reward_zero_std: 0.4 - 0.2 * (s / Math.max(1, steps)) + 0.01 * Math.cos(s),
      kl: 0.001 * s,
      'completions/mean_length': 80 + (s % 7),
    },
  }));
  return {
    version: RUN_RECORD_VERSION,
    id,
    kind: 'train',
    name: 'GRPO + ASCL + GDQA, micro policy',
    createdAt: '2026-11-25T13:40:00.000Z',
    config: {
      seed: 42,
      model: { preset: 'micro', dModel: 128, nLayers: 4, nHeads: 4, vocabSize: 2048, imageSize: 64 },
      grpo: { G: 8, epsLow: 0.2, epsHigh: 0.28, beta: 0.04, lossType: 'bnpo', scaleRewards: 'group', lr: 1e-5 },
      curriculum: { mode: 'both', pacing: { kind: 'hold-ramp', holdFraction: 0.25, rampEnd: 0.8 } },
      augment: { enabled: true, variants: 4, operators: ['paraphrase', 'permute', 'redraw'] },
      eval: { metrics: ['greedy'], k: 5 },
    },
    app: { version: '0.1.0', commit: 'abc1234' },
    adapter: { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false },
    dataset: { name: 'AnatomySynth', fingerprint: 'sha256:0f3a9c', counts: { train: 800, test: 120 } },
    history: { points, loggedPoints: steps, method: 'none' },
    evals: [{ name: 'final', step: steps, report: sampleEvalReport() }],
    timings: { wallMs: 300_000, stepsPerSecond: steps / 300 },
    notes: 'Fixture run.',
    origin: null,
  };
}
