// `lab ablation`: the flags become the same run configs `lab train --seed s --curriculum .. --augment ..` makes,
// flags the ablation sets itself and non-demo datasets are usage errors, and a real micro ablation from scratch
// in Node writes the {runs, summary} JSON that restoreAblationResult accepts.
import { describe, expect, it, vi } from 'vitest';
import { parseArgs, UsageError } from '../command.ts';
import { ablationPlan, restoreAblationResult, type AblationResult } from '../../src/runs/ablation.ts';
import { ablation, ablationOptions } from './ablation.ts';
import { trainConfig } from './train.ts';

const TUNING = ['--preset', 'micro', '--steps', '3', '--init', 'scratch', '--batch', '2', '--group', '4', '--lr', '1e-4', '--beta', '0', '--max-len', '8', '--eval', '5'];

describe('lab ablation', () => {
  it('runs each method as lab train would with the same seed and flags', () => {
    const o = ablationOptions(parseArgs([...TUNING, '--seeds', '2', '--runtime', 'node']));
    expect([o.seeds, o.settings, o.runtime]).toEqual([2, { asclMode: 'both', gdqaApplyTo: 'zero-variance' }, 'node']);
    const plan = ablationPlan(o.base, o.seeds, o.settings);
    const flags: Record<string, string[]> = { GRPO: ['off', 'off'], 'GRPO+ASCL': ['both', 'off'], 'GRPO+GDQA': ['off', 'on'], 'GRPO+both': ['both', 'on'] };
    for (const p of plan) {
      const [curriculum, augment] = flags[p.method];
      const viaTrain = trainConfig(parseArgs([...TUNING, '--seed', String(p.seed), '--curriculum', curriculum, '--augment', augment]));
      expect({ ...p.config, name: '' }).toEqual({ ...viaTrain, name: '' });
    }
    expect(ablationOptions(parseArgs(['--ascl', 'reorder', '--gdqa', 'all'])).settings).toEqual({ asclMode: 'reorder', gdqaApplyTo: 'all' });
  });

  it('refuses flags it sets itself, other datasets and bad values with a usage error; --help says the defaults', async () => {
    expect((await ablation(parseArgs(['--help']))).message).toMatch(/--ascl reorder\|redraw\|both \(default both\)[\s\S]*sample std \(n - 1/);
    const opts = (argv: string[]) => () => ablationOptions(parseArgs(argv));
    expect(opts(['--seed', '3'])).toThrow(/--seed: the ablation sets it/);
    expect(opts(['--curriculum', 'both'])).toThrow(UsageError);
    expect(opts(['--dataset', '/data/sgg-vqa.json'])).toThrow(/trains on 'demo' \(AnatomySynth\) only[\s\S]*usage: ablation/);
    expect(opts(['--seeds', '0'])).toThrow(/--seeds must be an integer/);
    expect(opts(['--ascl', 'sideways'])).toThrow(/--ascl must be one of reorder, redraw, both/);
    expect(opts(['--runtime', 'gpu'])).toThrow(UsageError);
    expect(opts(['--gdqa', 'some'])).toThrow(/--gdqa must be one of zero-variance, all/);
    expect(opts(['extra'])).toThrow(UsageError);
  });

  it('runs a real micro ablation from scratch in Node and writes the runs and the summary', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    let r;
    try {
      r = await ablation(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '2', '--seeds', '1', '--batch', '1', '--group', '2', '--eval', '2', '--max-len', '4']));
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
    const json = r.json as AblationResult;
    expect(json.runs.map((x) => `${x.method}/${x.seed}`)).toEqual(['GRPO/0', 'GRPO+ASCL/0', 'GRPO+GDQA/0', 'GRPO+both/0']);
    for (const run of json.runs) {
      expect(run.rewardCurve).toHaveLength(2);
      expect(run.fracZeroStdCurve).toHaveLength(2);
      expect(run.meanSimilarityCurve).toHaveLength(2);
      expect(run.meanSimilarityCurve.every((s) => s >= 0 && s <= 1)).toBe(true);
      expect(run.evalAccuracy).toBeGreaterThanOrEqual(0);
    }
    expect(json.summary.map((s) => s.method)).toEqual(['GRPO', 'GRPO+ASCL', 'GRPO+GDQA', 'GRPO+both']);
    expect(json.summary[0].accuracyStd).toBeNull(); // one seed
    expect(json.summary[0].finalFracZeroStd).toBe(json.runs[0].fracZeroStdCurve[1]); // last 10% of 2 steps = the last
    // Progress lines carry the method and the seed; the file survives JSON and its own validation.
    expect(lines.filter((l) => /^\[GRPO\+ASCL seed 0\] step 2\/2 reward/.test(l))).toHaveLength(1);
    const back = restoreAblationResult(JSON.parse(JSON.stringify(json)), 'ablation.json');
    expect(back.summary).toEqual(json.summary);
    expect(r.message).toMatch(/^ablation: 4 runs \(1 seeds x 4 methods, micro, 2 steps, node cpu\)/);
  });
});
