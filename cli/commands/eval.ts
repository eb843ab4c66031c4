// `lab eval --dataset demo|<path> --checkpoint <file>|pretrained --metrics greedy,avg5,circular,likelihood,blind
// [--split test] [--max N] [--seed S] [--max-new-tokens T] [--backend auto|webgpu|cpu] [--json f]`: evaluates a
// model in headless Chromium through the page's labAutomation (the same worker job the Evaluate panel runs).
// A dataset path is read in Node with src/data's intake and imported by the page like a drop. Exit 2 on bad flags.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { intOption, UsageError, choiceOption, type Command, type ParsedArgs, withUsage } from '../command.ts';
import { withLabPage } from '../harness.ts';
import { intakeFromPaths } from '../../src/data/intake/node-files.ts';
import type { AutomationEvalParams } from '../../src/automation.ts';
import { metricLabel } from '../../src/eval/config.ts';
import type { EvalMetric, EvalReport } from '../../src/eval/report.ts';
import { accuracyTable, formatAccuracyTable } from '../../src/eval/tables.ts';
import type { EvalRunResult } from '../../src/worker/eval-protocol.ts';
import { isTrainStateFile, policyOfState } from '../train-state.ts';

const USAGE =
  'usage: eval --dataset demo|<path> --checkpoint <file.safetensors>|<lab train --state file>|pretrained [--metrics greedy,avg5,circular,likelihood,blind,question-only] ' +
  '[--split test] [--max N] [--seed S] [--max-new-tokens T] [--backend auto|webgpu|cpu] [--no-save] [--json <file>]';

const KNOWN_FLAGS = new Set(['dataset', 'checkpoint', 'metrics', 'split', 'max', 'seed', 'max-new-tokens', 'backend', 'no-save', 'json']);

/** The evaluation the flags ask for, before any file is read. */
export interface EvalOptions {
  dataset: 'demo' | { path: string };
  checkpoint: 'pretrained' | { path: string };
  metrics: EvalMetric[];
  k: number;
  split: string;
  maxQuestions: number;
  seed: number;
  maxNewTokens: number;
  backend: 'auto' | 'webgpu' | 'cpu';
  save: boolean;
}

/** 'greedy,avg5,circular,likelihood' -> metrics and k ('avg@5' and 'avgk' with k 5 read the same). */
export function parseMetrics(text: string): { metrics: EvalMetric[]; k: number } {
  const metrics: EvalMetric[] = [];
  let k = 5;
  for (const raw of text.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean)) {
    const avg = /^avg@?(\d+)$/.exec(raw);
    let metric: EvalMetric;
    if (avg) {
      const n = Number(avg[1]);
      if (n < 1 || n > 64) throw new UsageError(`--metrics: ${raw} needs k from 1 to 64`);
      if (metrics.includes('avgk') && n !== k) throw new UsageError(`--metrics: one Avg@k per evaluation, got avg${k} and ${raw}`);
      k = n;
      metric = 'avgk';
    } else if (raw === 'greedy' || raw === 'circular' || raw === 'likelihood' || raw === 'blind' || raw === 'question-only') {
      metric = raw;
    } else {
      throw new UsageError(`--metrics: unknown metric '${raw}' (known: greedy, avg<k> such as avg5, circular, likelihood, blind, question-only)`);
    }
    if (!metrics.includes(metric)) metrics.push(metric);
  }
  if (metrics.length === 0) throw new UsageError('--metrics: name at least one metric');
  return { metrics, k };
}

export function evalOptions(args: ParsedArgs): EvalOptions {
  for (const flag of args.options.keys()) if (!KNOWN_FLAGS.has(flag)) throw new UsageError(`unknown flag --${flag}\n${USAGE}`);
  if (args.positional.length) throw new UsageError(`unexpected argument '${args.positional[0]}'\n${USAGE}`);
  const dataset = args.options.get('dataset');
  if (!dataset || dataset === 'true') throw new UsageError(`--dataset is required\n${USAGE}`);
  if (dataset !== 'demo' && !existsSync(dataset)) throw new UsageError(`--dataset ${dataset}: no such file or folder`);
  const checkpoint = args.options.get('checkpoint') ?? 'pretrained';
  if (checkpoint !== 'pretrained') {
    if (!existsSync(checkpoint)) throw new UsageError(`--checkpoint ${checkpoint}: no such file`);
    if (!checkpoint.endsWith('.safetensors') && !isTrainStateFile(checkpoint)) throw new UsageError(`--checkpoint ${checkpoint}: expected a .safetensors policy checkpoint, a lab train --state file or 'pretrained'`);
  }
  const { metrics, k } = parseMetrics(args.options.get('metrics') ?? 'greedy');
  const split = args.options.get('split') ?? 'test';
  return {
    dataset: dataset === 'demo' ? 'demo' : { path: dataset },
    checkpoint: checkpoint === 'pretrained' ? 'pretrained' : { path: checkpoint },
    metrics,
    k,
    split: split === 'all' ? '' : split,
    maxQuestions: intOption(args, 'max', 64, 0, 100_000),
    seed: intOption(args, 'seed', 0, 0, 2 ** 31 - 1),
    maxNewTokens: intOption(args, 'max-new-tokens', 48, 1, 4096),
    backend: choiceOption(args, 'backend', ['auto', 'webgpu', 'cpu'] as const, 'auto'),
    save: args.options.get('no-save') !== 'true',
  };
}

/** What `--json` holds: the config, Overall and every category as {metric: value}, the bucket, the speed. */
export function evalJson(options: EvalOptions, result: EvalRunResult, app: { version: string; commit: string }) {
  const report = result.report;
  const flat = (g: EvalReport['overall']) => ({ n: g.n, ...Object.fromEntries(Object.entries(g.metrics).map(([m, c]) => [m, c.value])), unextractable: g.unextractable });
  return {
    config: {
      dataset: options.dataset === 'demo' ? 'demo' : options.dataset.path,
      datasetFingerprint: result.dataset.fingerprint,
      split: options.split,
      checkpoint: options.checkpoint === 'pretrained' ? 'pretrained' : options.checkpoint.path,
      ...report.config,
      maxQuestions: options.maxQuestions,
      engine: result.engine,
      app,
      runId: result.runId,
    },
    overall: flat(report.overall),
    byCategory: Object.fromEntries(Object.entries(report.byCategory).map(([d, groups]) => [d, Object.fromEntries(Object.entries(groups).map(([l, g]) => [l, flat(g)]))])),
    unextractable: report.unextractable,
    throughput: report.throughput,
    confusion: report.confusion,
    /** Record ids whose prompt did not fit the model's context (answered with nothing). */
    promptTooLong: result.tooLong,
  };
}

const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/** A policy file for the page; a `lab train --state` file goes as the policy it holds now. */
function policyFile(path: string): AutomationEvalParams['checkpoint'] {
  if (path.endsWith('.safetensors')) return { kind: 'file', name: basename(path), base64: toBase64(readFileSync(path)) };
  return { kind: 'file', name: `${basename(path)}.safetensors`, base64: toBase64(policyOfState(path)) };
}

export const evaluate: Command = withUsage(USAGE, async (args) => {
  const options = evalOptions(args);
  const log = (line: string) => console.error(line);
  let dataset: AutomationEvalParams['dataset'] = { kind: 'demo' };
  if (options.dataset !== 'demo') {
    const files = await intakeFromPaths([options.dataset.path]);
    if (files.length === 0) throw new UsageError(`--dataset ${options.dataset.path}: no files`);
    dataset = { kind: 'files', name: basename(options.dataset.path), files: await Promise.all(files.map(async (f) => ({ path: f.path, base64: toBase64(await f.read()) }))) };
  }
  const checkpoint: AutomationEvalParams['checkpoint'] = options.checkpoint === 'pretrained' ? { kind: 'pretrained' } : policyFile(options.checkpoint.path);
  const params: AutomationEvalParams = {
    dataset, checkpoint, split: options.split, maxQuestions: options.maxQuestions, seed: options.seed,
    metrics: options.metrics, k: options.k, maxNewTokens: options.maxNewTokens, backend: options.backend, save: options.save,
  };
  const { result, app } = await withLabPage(async ({ page }) => {
    const r = await page.evaluate((p) => window.labAutomation!.evaluate(p), params);
    const a = await page.evaluate(() => ({ version: window.labAutomation!.version, commit: window.labAutomation!.commit }));
    return { result: r, app: a };
  }, log);
  const report = result.report;
  for (const m of report.config.metrics) {
    const label = metricLabel(m, report.config.k);
    console.log(`${label} accuracy, %\n${formatAccuracyTable(accuracyTable([{ name: report.policy, report }], label))}\n`);
  }
  const overall = Object.entries(report.overall.metrics).map(([m, c]) => `${m} ${(100 * c.value).toFixed(1)}%`).join(', ');
  const u = report.unextractable;
  return {
    json: evalJson(options, result, app),
    message: `${report.policy} on ${report.task}: ${report.overall.n} questions; ${overall}; could not extract ${u.count}/${u.total}${result.tooLong.length ? ` (${result.tooLong.length} prompts longer than the model's context)` : ''}; ${report.throughput.questionsPerSecond.toFixed(2)} questions/s on ${result.engine}`,
  };
});
