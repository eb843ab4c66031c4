// The zod schema of a run record (and the evaluation report inside it): strict objects (unknown keys are
// refused), finite numbers only, bounded strings and arrays. Used for everything that did not come from
// this tab's own memory: IndexedDB, imported files and shared URLs.
import { z } from 'zod';
import { CATEGORY_DIMENSIONS, EVAL_METRICS, type EvalReport } from '../eval/report.ts';
import type { EvalConfig } from '../eval/config.ts';
import { RUN_KINDS, type JsonValue, type RunRecord } from './record.ts';

/** Bounds on what a record may hold; generous for real runs, small enough to refuse abuse. */
export const LIMITS = {
  /** Ids, names, labels, metric names. */
  shortString: 200,
  /** Strings inside config objects. */
  configString: 2_000,
  /** Free-text notes. */
  notes: 20_000,
  /** Elements of any array inside a config. */
  configArray: 10_000,
  /** Points of a metric history. */
  historyPoints: 200_000,
  /** Evaluations per run. */
  evals: 1_000,
  /** Record ids in any one list (confusion cell, unextractable bucket). */
  idList: 100_000,
} as const;

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const nonNegative = finite.refine((n) => n >= 0, { message: 'must be >= 0' });
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const shortString = z.string().max(LIMITS.shortString);
const unit = finite.refine((n) => n >= 0 && n <= 1, { message: 'must be in [0, 1]' });
const idList = z.array(shortString).max(LIMITS.idList);
const numberMap = z.record(shortString, finite);

export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string().max(LIMITS.configString),
    finite,
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema).max(LIMITS.configArray),
    z.record(shortString, jsonValueSchema),
  ]),
);
const jsonObject = z.record(shortString, jsonValueSchema);

const evalConfigSchema: z.ZodType<EvalConfig> = z.strictObject({
  metrics: z.array(z.enum(EVAL_METRICS)).max(EVAL_METRICS.length),
  k: z.number().int().min(1).max(1000),
  temperature: nonNegative,
  topP: unit,
  maxNewTokens: count,
  batchSize: z.number().int().min(1).max(1_000_000),
  seed: z.number().int(),
  likelihoodReduce: z.enum(['sum', 'mean']),
});

const groupScore = z.strictObject({
  n: count,
  generations: count,
  unextractable: count,
  metrics: z.record(shortString, z.strictObject({ n: count, value: unit })),
});

const categoryTables = z.strictObject(
  Object.fromEntries(CATEGORY_DIMENSIONS.map((d) => [d, z.record(shortString, groupScore)])) as Record<
    (typeof CATEGORY_DIMENSIONS)[number],
    z.ZodRecord<typeof shortString, typeof groupScore>
  >,
);

export const evalReportSchema: z.ZodType<EvalReport> = z.strictObject({
  policy: shortString,
  task: shortString,
  config: evalConfigSchema,
  overall: groupScore,
  byCategory: categoryTables,
  unextractable: z.strictObject({
    count: count,
    total: count,
    rate: unit,
    byReason: z.record(shortString, count),
    ids: idList,
  }),
  confusion: z.union([
    z.null(),
    z.strictObject({
      labels: z.array(shortString).max(1000),
      columns: z.array(shortString).max(1002),
      counts: z.array(z.array(count).max(1002)).max(1000),
      ids: z.array(z.array(idList).max(1002)).max(1000),
    }),
  ]),
  throughput: z.strictObject({
    questions: count,
    generations: count,
    scoringCalls: count,
    generatedTokens: count,
    wallMs: nonNegative,
    questionsPerSecond: nonNegative,
    tokensPerSecond: nonNegative,
    latencyMs: z.strictObject({ mean: nonNegative, p50: nonNegative, p95: nonNegative }),
  }),
});

const isoDate = z
  .string()
  .max(40)
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && Number.isFinite(Date.parse(s)), {
    message: 'must be an ISO 8601 date-time',
  });

export const runRecordSchema: z.ZodType<RunRecord> = z.strictObject({
  version: z.number().int().min(1),
  id: shortString.min(1),
  kind: z.enum(RUN_KINDS as [string, ...string[]]).transform((k) => k as RunRecord['kind']),
  name: shortString,
  createdAt: isoDate,
  config: z.strictObject({
    seed: z.number().int(),
    model: jsonObject,
    grpo: jsonObject,
    curriculum: jsonObject,
    augment: jsonObject,
    eval: jsonObject,
  }),
  app: z.strictObject({ version: shortString, commit: shortString }),
  adapter: z.union([z.null(), z.strictObject({ vendor: shortString, architecture: shortString, isFallbackAdapter: z.boolean() })]),
  dataset: z.strictObject({ name: shortString, fingerprint: shortString, counts: z.record(shortString, count) }),
  history: z.strictObject({
    points: z.array(z.strictObject({ step: nonNegative, values: numberMap })).max(LIMITS.historyPoints),
    loggedPoints: count,
    method: z.enum(['none', 'stride', 'lttb']),
  }),
  evals: z.array(z.strictObject({ name: shortString, step: z.number().int().min(-1), report: evalReportSchema })).max(LIMITS.evals),
  timings: numberMap,
  notes: z.string().max(LIMITS.notes),
  origin: z.union([z.null(), z.strictObject({ trainer: shortString, file: shortString })]),
});
