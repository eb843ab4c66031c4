// `lab eval` flag handling and the shape of its --json; the evaluation itself runs in headless Chromium and is
// exercised by running the command and by e2e/evaluate.spec.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../command.ts';
import { evalJson, evalOptions, parseMetrics } from './eval.ts';
import type { EvalRunResult } from '../../src/worker/eval-protocol.ts';
import type { EvalReport, GroupScore } from '../../src/eval/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'lab-eval-'));
const ckpt = join(dir, 'policy.safetensors');
writeFileSync(ckpt, new Uint8Array([0]));

describe('evalOptions', () => {
  it('reads the flags of the issue', () => {
    expect(evalOptions(parseArgs(['--dataset', 'demo', '--checkpoint', ckpt, '--metrics', 'greedy,avg5,circular,likelihood', '--max', '16', '--seed', '7', '--json', 'x.json']))).toEqual({
      dataset: 'demo', checkpoint: { path: ckpt }, metrics: ['greedy', 'avgk', 'circular', 'likelihood'], k: 5, split: 'test',
      maxQuestions: 16, seed: 7, maxNewTokens: 48, backend: 'auto', save: true,
    });
    const o = evalOptions(parseArgs(['--dataset', dir, '--split', 'all', '--no-save', '--backend', 'cpu']));
    expect(o).toMatchObject({ dataset: { path: dir }, checkpoint: 'pretrained', metrics: ['greedy'], split: '', save: false, backend: 'cpu' });
  });

  it('exits 2 (UsageError) on bad flags, naming them', () => {
    const bad = (argv: string[], message: RegExp) => {
      expect(() => evalOptions(parseArgs(argv))).toThrow(UsageError);
      expect(() => evalOptions(parseArgs(argv))).toThrow(message);
    };
    bad([], /--dataset is required/);
    bad(['--dataset', '/no/such/folder'], /no such file or folder/);
    bad(['--dataset', 'demo', '--checkpoint', '/no/such.safetensors'], /no such file/);
    bad(['--dataset', 'demo', '--checkpoint', dir], /expected a \.safetensors/);
    bad(['--dataset', 'demo', '--metrics', 'greedy,bleu'], /unknown metric 'bleu'/);
    bad(['--dataset', 'demo', '--metrics', 'avg5,avg3'], /one Avg@k/);
    bad(['--dataset', 'demo', '--metrics', 'avg0'], /k from 1 to 64/);
    bad(['--dataset', 'demo', '--max', '-3'], /--max must be an integer/);
    bad(['--dataset', 'demo', '--backend', 'tpu'], /--backend must be one of/);
    bad(['--dataset', 'demo', '--frobnicate'], /unknown flag --frobnicate/);
    bad(['--dataset', 'demo', 'extra'], /unexpected argument 'extra'/);
  });

  it('parses metric names leniently but exactly', () => {
    expect(parseMetrics('Greedy, avg@8 ,greedy')).toEqual({ metrics: ['greedy', 'avgk'], k: 8 });
    expect(parseMetrics('greedy,blind,question-only')).toEqual({ metrics: ['greedy', 'blind', 'question-only'], k: 5 });
    expect(() => parseMetrics(' , ')).toThrow(/at least one metric/);
  });
});

describe('evalJson', () => {
  it('writes config, overall, byCategory, unextractable and throughput as {metric: value}', () => {
    const g = (n: number, greedy: number): GroupScore => ({ n, generations: n, unextractable: 1, metrics: { greedy: { n, value: greedy }, 'avg@5': { n, value: greedy / 2 } } });
    const report: EvalReport = {
      policy: 'pretrained', task: 'AnatomySynth test',
      config: { metrics: ['greedy', 'avgk'], k: 5, temperature: 1, topP: 1, maxNewTokens: 48, batchSize: 8, seed: 7, likelihoodReduce: 'mean' },
      overall: g(4, 0.5),
      byCategory: { questionType: { 'Anatomy Identification': g(4, 0.5) }, modality: { CT: g(2, 1), MRI: g(2, 0) }, anatomy: {}, source: {} },
      unextractable: { count: 1, total: 24, rate: 1 / 24, byReason: { 'empty completion': 1 }, ids: ['q1'] },
      confusion: null,
      throughput: { questions: 4, generations: 24, scoringCalls: 0, generatedTokens: 100, wallMs: 1000, questionsPerSecond: 4, tokensPerSecond: 100, latencyMs: { mean: 10, p50: 9, p95: 20 } },
    };
    const result = { runId: 'eval-1', report, records: [], answers: {}, tooLong: [], engine: 'webgpu', dataset: { id: 'd', name: 'AnatomySynth', fingerprint: 'fp', split: 'test' }, loadMs: 5 } as EvalRunResult;
    const options = evalOptions(parseArgs(['--dataset', 'demo', '--metrics', 'greedy,avg5', '--seed', '7']));
    const json = evalJson(options, result, { version: '0.1.0', commit: 'abc' });
    expect(json.overall).toEqual({ n: 4, greedy: 0.5, 'avg@5': 0.25, unextractable: 1 });
    expect(json.byCategory.modality).toEqual({ CT: { n: 2, greedy: 1, 'avg@5': 0.5, unextractable: 1 }, MRI: { n: 2, greedy: 0, 'avg@5': 0, unextractable: 1 } });
    expect(json.config).toMatchObject({ dataset: 'demo', checkpoint: 'pretrained', seed: 7, k: 5, datasetFingerprint: 'fp', engine: 'webgpu', app: { commit: 'abc' }, runId: 'eval-1' });
    expect(json.unextractable.count).toBe(1);
    expect(json.throughput.questionsPerSecond).toBe(4);
  });
});
