import { describe, it, expect } from 'vitest';
import { configDiff, flattenJson, overlaidCurves, resultsTable } from './compare.ts';
import { evalTablesCsv, exportRunsJson, importRunsJson, metricsCsv, csvCell } from './export.ts';
import { sampleRunRecord } from './sample-run.ts';
import type { RunRecord } from './record.ts';

function twoRuns(): [RunRecord, RunRecord] {
  const a = sampleRunRecord(3, 'run-a');
  const b = sampleRunRecord(3, 'run-b');
  b.config.seed = 7;
  b.config.grpo = { ...b.config.grpo, beta: 0 };
  b.config.curriculum = {};
  b.history.points[2].values.reward = 0.9;
  b.evals[0].report.overall.metrics.greedy.value = 0.61;
  return [a, b];
}

describe('compare', () => {
  it('flattens configs to dotted paths, arrays as leaves', () => {
    expect([...flattenJson({ a: { b: 1, c: [1, 2] }, d: 'x' }, '')]).toEqual([['a.b', 1], ['a.c', [1, 2]], ['d', 'x']]);
  });

  it('diffs configs: seed first, one value per run, undefined where missing', () => {
    const [a, b] = twoRuns();
    const rows = configDiff([a, b], { onlyDifferences: true });
    expect(rows.map((r) => r.path)).toEqual(['seed', 'curriculum.mode', 'curriculum.pacing.holdFraction', 'curriculum.pacing.kind', 'curriculum.pacing.rampEnd', 'grpo.beta']);
    expect(rows[0].values).toEqual([42, 7]);
    expect(rows.find((r) => r.path === 'grpo.beta')!.values).toEqual([0.04, 0]);
    expect(rows.find((r) => r.path === 'curriculum.mode')!.values).toEqual(['both', undefined]);
    const all = configDiff([a, b]);
    expect(all.find((r) => r.path === 'dataset.fingerprint')).toEqual({ path: 'dataset.fingerprint', values: ['sha256:0f3a9c', 'sha256:0f3a9c'], differs: false });
    expect(all.find((r) => r.path === 'grpo.G')!.differs).toBe(false);
  });

  it('tables results: final logged values then eval Overall metrics', () => {
    const [a, b] = twoRuns();
    const rows = resultsTable([a, b]);
    const reward = rows.find((r) => r.metric === 'final/reward')!;
    expect(reward.values[0]).toBeCloseTo(a.history.points[2].values.reward, 12);
    expect(reward.values[1]).toBe(0.9);
    expect(rows.find((r) => r.metric === 'eval/final/greedy')!.values).toEqual([0.55, 0.61]);
    expect(rows.find((r) => r.metric === 'eval/final/unextractable')!.values).toEqual([0.05, 0.05]);
    expect(rows[0].metric.startsWith('final/')).toBe(true);
    expect(rows[rows.length - 1].metric.startsWith('eval/')).toBe(true);
  });

  it('overlays curves per run', () => {
    const [a, b] = twoRuns();
    const curves = overlaidCurves([a, b], 'kl');
    expect(curves.map((c) => c.runId)).toEqual(['run-a', 'run-b']);
    expect(curves[0].points).toEqual([[1, 0], [2, 0.001], [3, 0.002]]);
  });
});

describe('export and import', () => {
  it('round-trips a bundle through JSON', () => {
    const runs = twoRuns();
    const { runs: back, errors } = importRunsJson(exportRunsJson(runs), 'runs.json');
    expect(errors).toEqual([]);
    expect(back).toEqual(runs);
  });

  it('imports a single run or an array, reporting bad runs by position', () => {
    const [a] = twoRuns();
    expect(importRunsJson(JSON.stringify(a), 'one.json').runs).toEqual([a]);
    const result = importRunsJson(JSON.stringify([a, { ...a, id: 'run-x', kind: 'nope' }]), 'many.json');
    expect(result.runs).toHaveLength(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(/^many\.json \[run 1\]: run 'run-x': field kind/);
    expect(() => importRunsJson('{oops', 'bad.json')).toThrow(/^bad\.json: not JSON/);
    expect(() => importRunsJson('{"format":"other","runs":[]}', 'f.json')).toThrow(/format 'other' is not/);
  });

  it('writes metrics as long and wide CSV', () => {
    const [a] = twoRuns();
    a.history.points = [{ step: 1, values: { reward: 0.5, kl: 0 } }, { step: 2, values: { reward: 0.75 } }];
    a.name = 'a, "quoted" =run';
    expect(metricsCsv([a], 'long')).toBe(
      'run_id,run_name,step,metric,value\n' +
        'run-a,"a, ""quoted"" =run",1,kl,0\n' +
        'run-a,"a, ""quoted"" =run",1,reward,0.5\n' +
        'run-a,"a, ""quoted"" =run",2,reward,0.75\n',
    );
    a.name = 'A';
    expect(metricsCsv([a], 'wide')).toBe('run_id,run_name,step,kl,reward\nrun-a,A,1,0,0.5\nrun-a,A,2,,0.75\n');
  });

  it('guards CSV cells against spreadsheet formulas and writes eval tables', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-1)).toBe('-1');
    const [a] = twoRuns();
    const lines = evalTablesCsv([a]).trim().split('\n');
    expect(lines[0]).toBe('run_id,run_name,eval,dimension,label,metric,n,value');
    expect(lines[1]).toBe('run-a,"GRPO + ASCL + GDQA, micro policy",final,overall,Overall,greedy,120,0.55');
    expect(lines).toContain('run-a,"GRPO + ASCL + GDQA, micro policy",final,anatomy,Liver,greedy,40,0.7');
  });
});
