import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { defaultGrpoConfig } from '../../rl/config.ts';
import type { RunRecord } from '../../runs/record.ts';
import { restoreRunRecord } from '../../runs/restore.ts';
import { RECIPE_MANIFEST_FORMAT, RECIPE_MANIFEST_VERSION } from '../manifest.ts';
import { detectLogFormat, importMetricsLog } from './import-run.ts';
import { LogParseError, parseEasyr1Console, parseVerlConsole } from './parse-logs.ts';
import { parseCsvRows } from './parse-csv.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const createdAt = '2026-11-25T14:00:00.000Z';

/** The curve of one metric as [step, value] pairs. */
function curve(run: RunRecord, metric: string): [number, number][] {
  return run.history.points.filter((p) => metric in p.values).map((p) => [p.step, p.values[metric]]);
}

describe('importing trainer logs as runs', () => {
  it('verl console output: mapped names, %.3f values, Ray prefixes and progress bars ignored', () => {
    const { format, trainer, runs } = importMetricsLog(fixture('verl-console.log'), 'verl-console.log', { createdAt });
    expect([format, trainer, runs.length]).toEqual(['verl-console', 'verl', 1]);
    const run = runs[0];
    expect(run.kind).toBe('imported');
    expect(run.origin).toEqual({ trainer: 'verl', file: 'verl-console.log' });
    expect(curve(run, 'reward')).toEqual([[1, 0.3], [2, 0.35], [3, 0.42], [4, 0.5]]);
    expect(curve(run, 'completions/mean_length')).toEqual([[1, 120.5], [2, 118], [3, 110.25], [4, 104]]);
    expect(curve(run, 'entropy').map(([, v]) => v)).toEqual([0.912, 0.88, 0.851, 0.82]);
    expect(curve(run, 'clip_ratio/region_mean').map(([, v]) => v)).toEqual([0, 0.002, 0.004, 0.006]);
    expect(curve(run, 'kl').map(([, v]) => v)).toEqual([0, 0.001, 0.002, 0.004]);
    expect(curve(run, 'loss')[1]).toEqual([2, -0.004]);
    // verl's pg_clipfrac_lower is the dual-clip bound, not TRL's low clip: kept under its own name.
    expect(curve(run, 'actor/pg_clipfrac_lower').length).toBe(4);
    expect(curve(run, 'clip_ratio/low_mean')).toEqual([]);
    expect(curve(run, 'timing_s/step')[0]).toEqual([1, 41.2]);
  });

  it('verl file logger JSONL ({"step", "data"})', () => {
    const { format, trainer, runs } = importMetricsLog(fixture('verl-metrics.jsonl'), 'metrics.jsonl', { createdAt });
    expect([format, trainer]).toEqual(['jsonl', 'verl']);
    expect(curve(runs[0], 'reward')).toEqual([[1, 0.3], [2, 0.35], [3, 0.42], [4, 0.5]]);
    expect(curve(runs[0], 'learning_rate')[0]).toEqual([1, 1e-6]);
    expect(curve(runs[0], 'loss').map(([, v]) => v)).toEqual([0.0123, -0.0041, 0.0072, 0.0013]);
  });

  it('flat JSONL lines ({"step", "<metric>": v}) and the lab\'s own long CSV', () => {
    const flat = '{"step": 1, "reward/overall": 0.3, "actor/entropy_loss": 0.9}\n{"step": 2, "reward/overall": 0.4, "actor/entropy_loss": 0.8}\n';
    const { trainer, runs } = importMetricsLog(flat, 'experiment_log.jsonl', { createdAt });
    expect(trainer).toBe('easyr1');
    expect(curve(runs[0], 'reward')).toEqual([[1, 0.3], [2, 0.4]]);
    expect(curve(runs[0], 'entropy')).toEqual([[1, 0.9], [2, 0.8]]);
    const long = 'run_id,run_name,step,metric,value\nr1,first,1,reward,0.5\nr1,first,2,reward,0.6\nr1,first,2,kl,0.01\n';
    const csv = importMetricsLog(long, 'metrics-long.csv', { createdAt });
    expect(csv.runs.map((r) => r.name)).toEqual(['first']);
    expect(curve(csv.runs[0], 'reward')).toEqual([[1, 0.5], [2, 0.6]]);
    expect(curve(csv.runs[0], 'kl')).toEqual([[2, 0.01]]);
  });

  it('EasyR1 console output: YAML blocks after "Step N", the Config block skipped', () => {
    const { format, trainer, runs } = importMetricsLog(fixture('easyr1-console.log'), 'console.log', { createdAt });
    expect([format, trainer]).toEqual(['easyr1-console', 'easyr1']);
    const run = runs[0];
    expect(run.history.points.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(curve(run, 'reward')).toEqual([[1, 0.3], [2, 0.35], [3, 0.42]]);
    expect(curve(run, 'rewards/accuracy/mean').map(([, v]) => v)).toEqual([0.2, 0.25, 0.33]);
    expect(curve(run, 'rewards/format/mean').map(([, v]) => v)).toEqual([0.8, 0.85, 0.9]);
    expect(curve(run, 'clip_ratio/high_mean').map(([, v]) => v)).toEqual([0, 0.003, 0.005]);
    expect(curve(run, 'clip_ratio/low_mean').map(([, v]) => v)).toEqual([0, 0.001, 0.002]);
    expect(curve(run, 'entropy').map(([, v]) => v)).toEqual([0.912, 0.88, 0.851]);
    expect(curve(run, 'learning_rate')[0]).toEqual([1, 1e-5]);
    expect(curve(run, 'completions/mean_length')[2]).toEqual([3, 110.25]);
    expect(Object.keys(run.history.points[0].values)).not.toContain('algorithm/kl_coef');
  });

  it('TRL trainer_state.json: log_history as curves, the summary entry as timings', () => {
    const { format, trainer, runs } = importMetricsLog(fixture('trl-trainer_state.json'), 'trainer_state.json', { createdAt });
    expect([format, trainer]).toEqual(['trainer-state', 'trl']);
    const run = runs[0];
    expect(run.history.points.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(curve(run, 'reward').map(([, v]) => v)).toEqual([1.1, 1.2, 1.32, 1.45]);
    expect(curve(run, 'frac_reward_zero_std').map(([, v]) => v)).toEqual([0.5, 0.375, 0.25, 0.125]);
    expect(curve(run, 'rewards/accuracy/mean').map(([, v]) => v)).toEqual([0.3, 0.35, 0.42, 0.5]);
    expect(curve(run, 'clip_ratio/low_mean')[3]).toEqual([4, 0.004]);
    expect(run.history.points[0].values.epoch).toBeUndefined();
    expect(run.history.points.some((p) => 'train_loss' in p.values)).toBe(false);
    expect(run.timings.wallMs).toBeCloseTo(162_400, 6);
    expect(run.timings.stepsPerSecond).toBe(0.025);
  });

  it('W&B panel CSV: one run per column prefix, __MIN/__MAX bands and blanks skipped', () => {
    const { format, trainer, runs } = importMetricsLog(fixture('wandb-export.csv'), 'wandb-export.csv', { createdAt });
    expect([format, trainer, runs.length]).toEqual(['csv', 'trl', 2]);
    const [a, b] = runs;
    expect([a.name, b.name]).toEqual(['grpo-anatomy-a', 'grpo-anatomy-b']);
    expect(a.id).not.toBe(b.id);
    expect(curve(a, 'reward')).toEqual([[1, 1.1], [2, 1.2], [3, 1.32], [4, 1.45]]);
    expect(curve(b, 'reward')).toEqual([[1, 0.9], [2, 0.95], [4, 1.05]]);
    expect(curve(b, 'frac_reward_zero_std')).toEqual([[1, 0.625], [2, 0.5], [4, 0.375]]);
    expect(curve(a, 'reward__MIN')).toEqual([]);
  });

  it('Trackio / generic wide CSV with a step column', () => {
    const { runs } = importMetricsLog(fixture('trackio-export.csv'), 'trackio.csv', { createdAt });
    expect(curve(runs[0], 'reward').map(([, v]) => v)).toEqual([1.1, 1.2, 1.32, 1.45]);
    expect(curve(runs[0], 'completions/mean_length')[0]).toEqual([1, 120.5]);
    expect(curve(runs[0], 'timestamp')).toEqual([]);
  });

  it('with the export manifest, the run carries the lab configs and dataset fingerprint', () => {
    const grpo = { ...defaultGrpoConfig(), seed: 5 };
    const manifest = {
      format: RECIPE_MANIFEST_FORMAT,
      version: RECIPE_MANIFEST_VERSION,
      target: 'verl',
      runId: 'run-abc',
      runName: 'ASCL + GDQA',
      dataset: { name: 'AnatomySynth demo', fingerprint: 'f'.repeat(64) },
      grpo,
      curriculum: { enabled: true },
      augment: { enabled: true },
    };
    const run = importMetricsLog(fixture('verl-metrics.jsonl'), 'metrics.jsonl', { createdAt, manifest }).runs[0];
    expect(run.name).toBe('ASCL + GDQA (verl)');
    expect(run.dataset.fingerprint).toBe('f'.repeat(64));
    expect(run.config.seed).toBe(5);
    expect(run.config.grpo.epsHigh).toBe(grpo.epsHigh);
    expect(run.notes).toContain('run-abc');
    // The record survives the run store's own validation as it would from IndexedDB.
    expect(restoreRunRecord(JSON.parse(JSON.stringify(run)))).toEqual(run);
    expect(() => importMetricsLog('{"step": 1}', 'm.jsonl', { manifest: { ...manifest, format: 'x' } })).toThrow(/manifest.json: field format/);
  });

  it('is deterministic: the same file gives the same run id', () => {
    const a = importMetricsLog(fixture('verl-console.log'), 'a.log', { createdAt }).runs[0];
    const b = importMetricsLog(fixture('verl-console.log'), 'a.log', { createdAt }).runs[0];
    expect(a).toEqual(b);
  });
});

describe('bad input names the file and the place', () => {
  it('refuses a file that is no metrics log', () => {
    expect(() => detectLogFormat('hello world', 'notes.txt')).toThrow(LogParseError);
    expect(() => importMetricsLog('hello', 'notes.txt')).toThrow(/notes.txt: not a metrics log/);
  });

  it('names the JSONL line and field', () => {
    expect(() => importMetricsLog('{"step": 1, "data": {"a": 1}}\n{"data": {}}\n', 'm.jsonl')).toThrow(/m.jsonl line 2: field step/);
    expect(() => importMetricsLog('{"step": 1}\n{oops\n', 'm.jsonl')).toThrow(/m.jsonl line 2: not JSON/);
    expect(() => importMetricsLog('{"step": -3, "data": {"a": 1}}\n', 'm.jsonl')).toThrow(/line 1: step must be a non-negative integer/);
  });

  it('names the trainer_state entry', () => {
    expect(() => importMetricsLog('{"log_history": [{"loss": 1}]}', 'trainer_state.json')).toThrow(/log_history\[0\]: field step/);
    expect(() => importMetricsLog('{"log_history": 3}', 'trainer_state.json')).toThrow(/field log_history/);
  });

  it('names the CSV row and refuses a file without a step column', () => {
    expect(() => importMetricsLog('a,b\n1,2\n', 'x.csv')).toThrow(/x.csv: no step column/);
    expect(() => importMetricsLog('step,reward\n1,0.5\nabc,0.6\n', 'x.csv')).toThrow(/x.csv row 3: column step/);
    expect(() => importMetricsLog('step,reward\n', 'x.csv')).toThrow(/at least one row/);
  });

  it('refuses a log with no step', () => {
    expect(() => importMetricsLog('{"log_history": []}', 'trainer_state.json')).toThrow(/no logged step/);
  });

  it('drops non-finite values instead of plotting them', () => {
    const run = importMetricsLog('step:1 - actor/pg_loss:nan - critic/score/mean:0.500\n', 'c.log', { createdAt }).runs[0];
    expect(run.history.points[0].values).toEqual({ reward: 0.5 });
  });
});

describe('parsers', () => {
  it('reads quoted CSV cells with commas, quotes and newlines', () => {
    expect(parseCsvRows('a,"b,c","d ""e""","f\ng"\r\n1,2,3,4\n', 'q.csv')).toEqual([
      ['a', 'b,c', 'd "e"', 'f\ng'],
      ['1', '2', '3', '4'],
    ]);
    expect(() => parseCsvRows('a,"b\n', 'q.csv')).toThrow(/not closed/);
  });

  it('reads verl console lines with any prefix and keys holding colons', () => {
    expect(parseVerlConsole('[2026-11-25 10:00] step:7 - val-core/acc@1:0.250 - x:1.000', 'c.log')).toEqual([
      { step: 7, values: { 'val-core/acc@1': 0.25, x: 1 } },
    ]);
  });

  it('reads nested EasyR1 blocks and stops at the next unrelated line', () => {
    const text = 'Step 2\nactor:\n  pg_loss: 0.1\n  deep:\n    x: 1.0e-06\nreward:\n  overall: .nan\nsome other log line\n  indented: 5\n';
    expect(parseEasyr1Console(text, 'c.log')).toEqual([{ step: 2, values: { 'actor/pg_loss': 0.1, 'actor/deep/x': 1e-6 } }]);
  });
});
