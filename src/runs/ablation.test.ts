// The ablation's pure parts: method -> config, the summary on hand-computed runs, the mean curves, the
// validation of a file from outside (each bad field named), and the table built from local run records.
import { describe, expect, it } from 'vitest';
import { defaultTrainRunConfig } from '../rl/trainer/run-config.ts';
import {
  ABLATION_FORMAT, ABLATION_METHODS, ablationFromRunRecords, ablationPlan, finalMean, inertFixes, meanCurve, methodCurves, methodOf,
  methodRunConfig, parseAblationJson, restoreAblationResult, summarizeAblation, type AblationRun,
} from './ablation.ts';
import { emptyRunRecord, type RunRecord } from './record.ts';
import { sampleEvalReport } from './sample-run.ts';

const run = (method: AblationRun['method'], seed: number, evalAccuracy: number | null, zero: number[], reward = zero.map(() => 0.5)): AblationRun => ({
  method, seed, evalAccuracy, rewardCurve: reward, fracZeroStdCurve: zero, meanSimilarityCurve: zero.map(() => 0.6),
});

describe('ablation methods and configs', () => {
  it('maps each method to its curriculum / augmentation switches and the seed everywhere', () => {
    const base = defaultTrainRunConfig('demo');
    const plan = ablationPlan(base, 2);
    expect(plan.map((p) => `${p.method}/${p.seed}`)).toEqual([
      'GRPO/0', 'GRPO+ASCL/0', 'GRPO+GDQA/0', 'GRPO+both/0', 'GRPO/1', 'GRPO+ASCL/1', 'GRPO+GDQA/1', 'GRPO+both/1',
    ]);
    const flags = plan.map((p) => [p.config.curriculum.enabled, p.config.augment.enabled]);
    expect(flags.slice(0, 4)).toEqual([[false, false], [true, false], [false, true], [true, true]]);
    for (const p of plan) {
      expect([p.config.grpo.seed, p.config.curriculum.seed, p.config.augment.seed]).toEqual([p.seed, p.seed, p.seed]);
      expect(methodOf(p.config.curriculum.enabled, p.config.augment.enabled)).toBe(p.method);
      // Everything else is the base run's.
      expect({ ...p.config.grpo, seed: 0 }).toEqual({ ...base.grpo, seed: 0 });
      expect(p.config.eval).toEqual(base.eval);
    }
    expect(plan[1].config.curriculum.mode).toBe('both'); // the curriculum's documented default
    const tuned = { asclMode: 'reorder' as const, gdqaApplyTo: 'all' as const };
    expect(methodRunConfig(base, 'GRPO+ASCL', 0, tuned).curriculum.mode).toBe('reorder');
    expect(methodRunConfig(base, 'GRPO+both', 0, tuned).augment.applyTo).toBe('all');
    expect(plan[2].config.augment.variants).toBe(4); // GDQA at its defaults
    expect(plan[2].config.augment.applyTo).toBe('zero-variance');
  });
});

describe('ablation summary', () => {
  it('gives the mean, the sample std and the final-10% zero-std by hand', () => {
    // 10 steps: the final window is the last step. 20 steps: the last 2.
    const zeroA = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0.5];
    const zeroB = [...new Array<number>(18).fill(1), 0.2, 0.4];
    const runs = [
      run('GRPO', 0, 0.5, zeroA), run('GRPO', 1, 0.7, zeroA), run('GRPO', 2, 0.6, zeroB),
      run('GRPO+both', 0, 0.9, zeroB),
    ];
    const s = summarizeAblation(runs);
    expect(s.map((r) => r.method)).toEqual(['GRPO', 'GRPO+both']);
    expect(s[0].accuracyMean).toBeCloseTo(0.6, 12);
    expect(s[0].accuracyStd).toBeCloseTo(0.1, 12); // sqrt(((-.1)^2 + .1^2 + 0) / 2)
    expect(s[0].finalFracZeroStd).toBeCloseTo((0.5 + 0.5 + 0.3) / 3, 12);
    expect(s[0].seeds).toBe(3);
    expect(s[1].accuracyStd).toBeNull(); // one seed: no sample std
    expect(s[1].finalFracZeroStd).toBeCloseTo(0.3, 12);
    expect(s[1].finalMeanSimilarity).toBeCloseTo(0.6, 12);
  });

  it('notes a fix that never changed a step', () => {
    const base = [run('GRPO', 0, 0.5, [1, 0.5]), run('GRPO+ASCL', 0, 0.6, [0.5, 0.5])];
    expect(inertFixes([...base, run('GRPO+GDQA', 0, 0.5, [1, 0.5]), run('GRPO+both', 0, 0.6, [0.5, 0])])).toEqual([
      'GRPO+GDQA ran exactly as GRPO on every seed: the added fix never changed a step.',
    ]);
    expect(inertFixes([...base, run('GRPO+GDQA', 0, 0.5, [1, 0.25])])).toEqual([]);
  });

  it('skips missing accuracies and gaps, and averages curves step by step', () => {
    expect(finalMean([])).toBeNull();
    expect(finalMean([NaN, 0.4])).toBe(0.4);
    const s = summarizeAblation([run('GRPO', 0, null, [1]), run('GRPO', 1, 0.25, [0])]);
    expect(s[0].accuracyMean).toBe(0.25);
    expect(s[0].accuracyStd).toBeNull();
    expect(meanCurve([[1, 0, NaN], [0, 0]])).toEqual([0.5, 0, NaN]);
    const curves = methodCurves([run('GRPO+GDQA', 0, 1, [1, 0]), run('GRPO', 0, 1, [0, 0]), run('GRPO', 1, 1, [1, 1])]);
    expect(curves.map((c) => c.method)).toEqual(['GRPO', 'GRPO+GDQA']);
    expect(curves[0].fracZeroStd).toEqual([0.5, 0.5]);
  });
});

describe('restoreAblationResult', () => {
  const good = () => {
    const runs = ABLATION_METHODS.map((m, i) => run(m, 0, 0.1 * i, [1, 0.5]));
    return { format: ABLATION_FORMAT, version: 1, runtime: 'node cpu', extra: 'kept out', runs, summary: summarizeAblation(runs).map(({ method, accuracyMean, accuracyStd, finalFracZeroStd }) => ({ method, accuracyMean, accuracyStd, finalFracZeroStd })) };
  };

  it('takes a good file (through JSON), keeps known added fields, drops unknown ones', () => {
    const r = parseAblationJson(JSON.stringify(good()), 'a.json');
    expect(r.runs).toHaveLength(4);
    expect(r.summary[3].accuracyMean).toBeCloseTo(0.3, 12);
    expect(r.runtime).toBe('node cpu');
    expect(r).not.toHaveProperty('extra');
  });

  it('names the file and the field of what is wrong', () => {
    const bad = (mutate: (x: ReturnType<typeof good>) => void): string => {
      const x = good();
      mutate(x);
      try {
        parseAblationJson(JSON.stringify(x), 'abl.json');
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(bad((x) => { (x.runs[1] as unknown as Record<string, unknown>).method = 'PPO'; })).toMatch(/^abl\.json: field runs\.1\.method/);
    expect(bad((x) => { (x.runs[0].rewardCurve as unknown[])[1] = 'high'; })).toMatch(/^abl\.json: field runs\.0\.rewardCurve\.1/);
    expect(bad((x) => { x.runs[2].fracZeroStdCurve = [1.5, 0]; })).toMatch(/field runs\.2\.fracZeroStdCurve\.0: must be in \[0, 1\]/);
    expect(bad((x) => { x.runs[0].meanSimilarityCurve = [0.1]; })).toMatch(/field runs\.0\.meanSimilarityCurve: has 1 steps, rewardCurve has 2/);
    expect(bad((x) => { x.summary[0].accuracyMean = 0.9; })).toMatch(/field summary\.0\.accuracyMean: 0\.9 does not match the runs \(0\)/);
    expect(bad((x) => { x.summary.pop(); })).toMatch(/field summary: has 3 rows/);
    expect(bad((x) => { (x as Record<string, unknown>).runs = []; })).toMatch(/field runs/);
    expect(bad((x) => { (x as Record<string, unknown>).format = 'anatomy-r1-lab.runs'; })).toMatch(/field format: 'anatomy-r1-lab\.runs' is not a lab ablation/);
    expect(() => parseAblationJson('{"runs": [', 'cut.json')).toThrow(/^cut\.json: not JSON/);
    expect(() => restoreAblationResult([], 'arr.json')).toThrow(/^arr\.json: an ablation result must be a JSON object/);
    expect(() => restoreAblationResult(JSON.parse('{"__proto__": {"x": 1}, "runs": [], "summary": []}'), 'p.json')).toThrow(/forbidden key '__proto__'/);
  });
});

describe('ablation from local run records', () => {
  const local = (id: string, seed: number, curriculum: boolean, augment: boolean, steps: number, after: number | null, preset = 'micro'): RunRecord => {
    const r = emptyRunRecord(id, 'train', '2026-11-25T10:00:00.000Z');
    r.name = id;
    r.config = {
      seed, model: { preset, init: 'scratch' }, grpo: { steps, batchSize: 2, groupSize: 4, learningRate: 5e-5, beta: 0.04, maxCompletionLength: 24 },
      curriculum: curriculum ? { enabled: true, mode: 'both' } : {}, augment: augment ? { enabled: true } : {}, eval: {},
    };
    r.dataset = { name: 'AnatomySynth', fingerprint: 'fp1', counts: {} };
    // Downsampled history: step 2 of 3 was not kept.
    r.history = { points: [1, 3].filter((s) => s <= steps).map((s) => ({ step: s, values: { reward: s / 10, frac_reward_zero_std: 1 - s / 10, answer_similarity: 0.5 } })), loggedPoints: steps, method: 'stride' };
    if (after !== null) {
      const report = sampleEvalReport();
      report.overall = { ...report.overall, metrics: { greedy: { n: 10, value: after } } };
      r.evals.push({ name: 'before', step: 0, report: sampleEvalReport() }, { name: 'after', step: steps, report });
    }
    return r;
  };

  it('groups comparable runs, derives the method from the config and keeps gaps as gaps', () => {
    const records = [
      local('a', 0, false, false, 3, 0.2), local('b', 1, false, false, 3, 0.4), local('c', 0, true, true, 3, 0.6),
      local('d', 0, true, false, 3, null), local('e', 0, false, true, 5, 0.1), local('f', 0, false, false, 3, 0.3, 'tiny'),
    ];
    const groups = ablationFromRunRecords(records);
    expect(groups.map((g) => g.label)).toEqual(['AnatomySynth · micro · 3 steps', 'AnatomySynth · micro · 5 steps', 'AnatomySynth · tiny · 3 steps']);
    const g = groups[0];
    expect(g.runs.map((r) => `${r.method}/${r.seed}`)).toEqual(['GRPO/0', 'GRPO/1', 'GRPO+both/0', 'GRPO+ASCL/0']);
    expect(g.runs[0].rewardCurve).toEqual([0.1, NaN, 0.3]);
    expect(g.mismatched).toEqual([]);
    const s = summarizeAblation(g.runs);
    expect(s.map((r) => [r.method, r.seeds])).toEqual([['GRPO', 2], ['GRPO+ASCL', 1], ['GRPO+both', 1]]);
    expect(s[0].accuracyMean).toBeCloseTo(0.3, 12);
    expect(s[1].accuracyMean).toBeNull();
    expect(s[0].finalFracZeroStd).toBeCloseTo(0.7, 12);
  });

  it('says which settings differ inside a group, and ignores non-training runs', () => {
    const a = local('a', 0, false, false, 3, 0.2);
    const b = local('b', 1, true, false, 3, 0.2);
    b.config.grpo = { ...b.config.grpo, learningRate: 1e-4 };
    const ev = { ...local('x', 0, false, false, 3, 0.2), kind: 'eval' as const };
    const [g] = ablationFromRunRecords([a, b, ev]);
    expect(g.runs).toHaveLength(2);
    expect(g.mismatched).toEqual(['lr']);
    // S(q) from another similarity source is not comparable; a run without curriculum config measured the lexicon.
    b.config.curriculum = { ...b.config.curriculum, similarity: 'policy' };
    expect(ablationFromRunRecords([a, b])[0].mismatched).toEqual(['lr', 'S(q) source']);
    b.config.curriculum = { ...b.config.curriculum, similarity: 'lexicon' };
    expect(ablationFromRunRecords([a, b])[0].mismatched).toEqual(['lr']);
  });
});
