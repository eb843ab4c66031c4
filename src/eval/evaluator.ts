// Runs one evaluation: asks an EvalPolicy about every example of a task (greedy, k samples, every option
// rotation, option scoring, as the config asks) and folds the verdicts into an EvalReport with Overall,
// per-category scores, the unextractable bucket, the anatomy confusion matrix and the timings.
import type { VqaRecord } from '../data/record.ts';
import { DEFAULT_EVAL_CONFIG, metricLabel, type EvalConfig } from './config.ts';
import { anatomyConfusion } from './confusion.ts';
import type { Verdict } from './judge.ts';
import { avgAtK, circularAccuracy, greedyAccuracy, percentile, pickByLikelihood } from './metrics.ts';
import type { EvalPolicy, EvalPrompt, GenerateOptions, Generation } from './policy.ts';
import { evalPromptText } from './prompt.ts';
import { CATEGORY_DIMENSIONS, type CategoryDimension, type EvalReport, type GroupScore, type MetricCell } from './report.ts';
import { questionOnlyChoice, type QuestionPrior } from './question-only.ts';
import { optionRotations } from './rotation.ts';
import type { EvalTask } from './task.ts';

export interface EvaluateOptions {
  /** Overrides of DEFAULT_EVAL_CONFIG. */
  config?: Partial<EvalConfig>;
  /** Clock in ms; injectable so timing fields are testable. Default performance.now. */
  now?: () => number;
  /** Stops between policy calls. */
  signal?: AbortSignal;
  /** The counts behind the 'question-only' metric, fitted on training questions the task does not ask. */
  questionPrior?: QuestionPrior;
  /** Called after each policy call. */
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

/** Everything learned about one question. */
interface Outcome {
  record: VqaRecord;
  greedy?: { verdict: Verdict; completion: string };
  samples?: Verdict[];
  rotations?: Verdict[];
  likelihoodCorrect?: boolean;
  /** The greedy verdict with the image withheld. */
  blind?: Verdict;
}

const isChoice = (r: VqaRecord): boolean => !r.open && r.options.length > 0;

export async function evaluatePolicy(policy: EvalPolicy, task: EvalTask<VqaRecord>, options: EvaluateOptions = {}): Promise<EvalReport> {
  const overrides = Object.fromEntries(Object.entries(options.config ?? {}).filter(([, v]) => v !== undefined));
  const config: EvalConfig = { ...DEFAULT_EVAL_CONFIG, ...overrides };
  if (config.metrics.length === 0) throw new Error('evaluate: no metrics asked for');
  if (!Number.isInteger(config.k) || config.k < 1) throw new Error(`evaluate: k must be a positive integer, got ${config.k}`);
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) throw new Error(`evaluate: batchSize must be a positive integer, got ${config.batchSize}`);
  const prior = options.questionPrior;
  if (config.metrics.includes('question-only') && !prior) throw new Error('evaluate: the question-only metric needs training questions to count (options.questionPrior)');
  const now = options.now ?? (() => performance.now());
  const started = now();
  const latencies: number[] = [];
  let generateMs = 0;
  let generatedTokens = 0;
  let generations = 0;
  let scoringCalls = 0;

  const outcomes: Outcome[] = Array.from({ length: task.size }, (_, i) => ({ record: task.example(i) }));
  const wants = new Set(config.metrics);

  // Generate one completion per prompt in batches; returns completions in prompt order.
  const generateAll = async (phase: string, prompts: EvalPrompt[], decoding: (batchStart: number) => GenerateOptions): Promise<Generation[]> => {
    const out: Generation[] = [];
    for (let start = 0; start < prompts.length; start += config.batchSize) {
      options.signal?.throwIfAborted();
      const batch = prompts.slice(start, start + config.batchSize);
      const t0 = now();
      const result = await policy.generate(batch, decoding(start));
      const dt = now() - t0;
      if (result.length !== batch.length) {
        throw new Error(`evaluate: policy '${policy.name}' returned ${result.length} completions for ${batch.length} prompts`);
      }
      latencies.push(dt);
      generateMs += dt;
      generations += result.length;
      for (const g of result) generatedTokens += g.tokens ?? 0;
      out.push(...result);
      options.onProgress?.({ phase, done: Math.min(prompts.length, start + batch.length), total: prompts.length });
    }
    return out;
  };
  const greedyDecoding = (): GenerateOptions => ({ temperature: 0, topP: 1, maxNewTokens: config.maxNewTokens, seed: config.seed });
  const ask = (record: VqaRecord): EvalPrompt => ({ record, text: evalPromptText(record) });

  if (wants.has('greedy') || wants.has('circular')) {
    const completions = await generateAll('greedy', outcomes.map((o) => ask(o.record)), greedyDecoding);
    outcomes.forEach((o, i) => {
      const completion = completions[i].text;
      o.greedy = { verdict: task.evaluate(o.record, completion), completion };
    });
  }

  if (wants.has('avgk')) {
    for (const o of outcomes) o.samples = [];
    for (let s = 0; s < config.k; s++) {
      const completions = await generateAll(`sample ${s + 1}/${config.k}`, outcomes.map((o) => ask(o.record)), (batchStart) => ({
        temperature: config.temperature,
        topP: config.topP,
        maxNewTokens: config.maxNewTokens,
        // Distinct, reproducible seeds per sample index and batch.
        seed: (Math.imul(config.seed + 1, 1_000_003) + Math.imul(s + 1, 7919) + batchStart) >>> 0,
      }));
      outcomes.forEach((o, i) => o.samples!.push(task.evaluate(o.record, completions[i].text)));
    }
  }

  if (wants.has('circular')) {
    // Shift 0 is the greedy answer already in hand; ask only the other rotations.
    const asked: Array<{ outcome: Outcome; record: VqaRecord }> = [];
    for (const o of outcomes) {
      if (!isChoice(o.record)) continue;
      o.rotations = [o.greedy!.verdict];
      for (const rotated of optionRotations(o.record).slice(1)) asked.push({ outcome: o, record: rotated });
    }
    const completions = await generateAll('circular', asked.map((a) => ask(a.record)), greedyDecoding);
    asked.forEach((a, i) => a.outcome.rotations!.push(task.evaluate(a.record, completions[i].text)));
  }

  if (wants.has('blind')) {
    // An empty image reference is how a text-only question reaches the policy: it sees a grey frame. Only
    // questions that have an image are asked again; a text-only one is already blind (its greedy answer).
    const withImage = outcomes.filter((o) => o.record.image !== '');
    const completions = await generateAll('blind', withImage.map((o) => ask({ ...o.record, image: '' })), greedyDecoding);
    withImage.forEach((o, i) => (o.blind = task.evaluate(o.record, completions[i].text)));
  }

  if (wants.has('likelihood')) {
    const choice = outcomes.filter((o) => isChoice(o.record));
    for (const [done, o] of choice.entries()) {
      options.signal?.throwIfAborted();
      const t0 = now();
      const logProbs = await policy.scoreOptions(ask(o.record), o.record.options);
      latencies.push(now() - t0);
      scoringCalls++;
      if (logProbs.length !== o.record.options.length) {
        throw new Error(`evaluate: policy '${policy.name}' scored ${logProbs.length} options of record ${o.record.id}, expected ${o.record.options.length}`);
      }
      o.likelihoodCorrect = pickByLikelihood(logProbs, config.likelihoodReduce) === o.record.goldIndex;
      options.onProgress?.({ phase: 'likelihood', done: done + 1, total: choice.length });
    }
  }

  const wallMs = now() - started;
  const verdictsOf = (o: Outcome): Verdict[] => [
    ...(o.greedy ? [o.greedy.verdict] : []),
    ...(o.samples ?? []),
    ...(o.rotations ?? []).slice(1),
    ...(o.blind ? [o.blind] : []),
  ];
  const score = (group: readonly Outcome[]): GroupScore => {
    const all = group.flatMap(verdictsOf);
    const metrics: Record<string, MetricCell> = {};
    if (wants.has('greedy')) {
      metrics[metricLabel('greedy', config.k)] = { n: group.length, value: greedyAccuracy(group.map((o) => o.greedy!.verdict.correct)) };
    }
    if (wants.has('avgk')) {
      metrics[metricLabel('avgk', config.k)] = { n: group.length, value: avgAtK(group.map((o) => o.samples!.map((v) => v.correct))) };
    }
    if (wants.has('circular')) {
      const rotated = group.filter((o) => o.rotations);
      metrics.circular = { n: rotated.length, value: circularAccuracy(rotated.map((o) => o.rotations!.map((v) => v.correct))) };
    }
    if (wants.has('blind')) {
      const seen = group.filter((o) => o.blind);
      metrics.blind = { n: seen.length, value: greedyAccuracy(seen.map((o) => o.blind!.correct)) };
    }
    if (prior && wants.has('question-only')) {
      const asked = group.filter((o) => isChoice(o.record));
      metrics['question-only'] = { n: asked.length, value: greedyAccuracy(asked.map((o) => questionOnlyChoice(prior, o.record) === o.record.goldIndex)) };
    }
    if (wants.has('likelihood')) {
      const scored = group.filter((o) => o.likelihoodCorrect !== undefined);
      metrics.likelihood = { n: scored.length, value: greedyAccuracy(scored.map((o) => o.likelihoodCorrect!)) };
    }
    return { n: group.length, generations: all.length, unextractable: all.filter((v) => !v.extracted).length, metrics };
  };

  const byCategory = Object.fromEntries(
    CATEGORY_DIMENSIONS.map((dimension) => {
      const groups = new Map<string, Outcome[]>();
      for (const o of outcomes) {
        const label = o.record[dimension];
        if (label === '') continue; // unknown labels get no column of their own; they still count in Overall
        groups.set(label, [...(groups.get(label) ?? []), o]);
      }
      const sorted = [...groups.keys()].sort();
      return [dimension, Object.fromEntries(sorted.map((label) => [label, score(groups.get(label)!)]))];
    }),
  ) as Record<CategoryDimension, Record<string, GroupScore>>;

  const allVerdicts = outcomes.flatMap(verdictsOf);
  const byReason: Record<string, number> = {};
  for (const v of allVerdicts) {
    if (v.extracted) continue;
    const kind = v.reason.startsWith('ambiguous') ? 'ambiguous' : v.reason;
    byReason[kind] = (byReason[kind] ?? 0) + 1;
  }
  const unextractableCount = allVerdicts.filter((v) => !v.extracted).length;
  const greedyAnswers = outcomes.flatMap((o) => (o.greedy ? [{ record: o.record, ...o.greedy }] : []));

  return {
    policy: policy.name,
    task: task.name,
    config,
    overall: score(outcomes),
    byCategory,
    unextractable: {
      count: unextractableCount,
      total: allVerdicts.length,
      rate: allVerdicts.length === 0 ? 0 : unextractableCount / allVerdicts.length,
      byReason,
      ids: greedyAnswers.filter((a) => !a.verdict.extracted).map((a) => a.record.id),
    },
    confusion: wants.has('greedy') ? anatomyConfusion(greedyAnswers) : null,
    throughput: {
      questions: outcomes.length,
      generations,
      scoringCalls,
      generatedTokens,
      wallMs,
      questionsPerSecond: wallMs > 0 ? (outcomes.length * 1000) / wallMs : 0,
      tokensPerSecond: generateMs > 0 ? (generatedTokens * 1000) / generateMs : 0,
      latencyMs: {
        mean: latencies.length === 0 ? 0 : latencies.reduce((a, b) => a + b, 0) / latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
      },
    },
  };
}
