// `lab train`: the command line becomes a checked run config, bad flags are usage errors, and a one-step micro
// run from scratch prints its steps and writes the {config, metrics, evalBefore, evalAfter} JSON.
import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../command.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pairedEvals } from '../../src/eval/metrics.ts';
import { fitQuestionPrior, questionOnlyAccuracy } from '../../src/eval/question-only.ts';
import { evalOptions } from './eval.ts';
import { policyOfState } from '../train-state.ts';
import { checkpointOption, demoQuestions, train, trainConfig, saveOption, stateOption, trainResult, typesOption } from './train.ts';
import { parameterShapes } from '../../src/model/config.ts';
import { initialValues } from '../../src/model/policy/parameters.ts';
import { writeCheckpoint } from '../../src/model/safetensors.ts';
import { checkpointInit, scratchInit } from '../../src/rl/trainer/init.ts';
import { generateAnatomySynth } from '../../src/data/synth/anatomy-synth.ts';

/** A freshly initialised micro policy written as a checkpoint file: nothing like the pretrained default. */
function scratchPolicyFile() {
  const init = scratchInit('micro', generateAnatomySynth({ questions: 200 }).records, 5);
  const weights = new Map(parameterShapes(init.model).map((p) => [p.name, initialValues(p, init.model.seed)]));
  return { init, weights: writeCheckpoint(init.model, init.tokenizer, weights) };
}

describe('lab train', () => {
  it('maps flags to the run config', () => {
    const c = trainConfig(parseArgs(['--preset', 'micro', '--steps', '7', '--seed', '3', '--init', 'scratch', '--curriculum', 'redraw', '--augment', 'on', '--batch', '2', '--group', '4']));
    expect([c.preset, c.grpo.steps, c.grpo.seed, c.init.kind, c.curriculum.enabled, c.curriculum.mode, c.augment.enabled, c.grpo.batchSize, c.grpo.groupSize])
      .toEqual(['micro', 7, 3, 'scratch', true, 'redraw', true, 2, 4]);
    expect(trainConfig(parseArgs([])).curriculum.enabled).toBe(false);
  });

  it('refuses bad flags with a usage error', () => {
    expect(() => trainConfig(parseArgs(['--preset', 'huge']))).toThrow(UsageError);
    expect(() => trainConfig(parseArgs(['--curriculum', 'sideways']))).toThrow(/--curriculum must be one of/);
    expect(() => trainConfig(parseArgs(['--dataset', '/some/path']))).toThrow(/demo/);
    expect(() => trainConfig(parseArgs(['--group', '1']))).toThrow(UsageError);
    expect(() => demoQuestions(parseArgs(['--questions', '5']))).toThrow(/--questions/);
    expect(() => checkpointOption(parseArgs(['--checkpoint', 'a.safetensors', '--init', 'scratch']))).toThrow(/leave out --init/);
  });

  it('starts GRPO from a --checkpoint file in Node, and says which', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-train-'));
    const { init, weights } = scratchPolicyFile();
    const file = join(dir, 'policy.safetensors');
    writeFileSync(file, weights);
    const args = ['--runtime', 'node', '--preset', 'micro', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '3', '--max-len', '4', '--checkpoint', file];
    const r = await train(parseArgs(args));
    const json = r.json as { initCheckpoint: string; metrics: Record<string, number>[] };
    expect(json.initCheckpoint).toBe(file);
    // An untrained policy samples nearly uniformly over its vocabulary (the pretrained default: about 0.15 nats).
    expect(json.metrics[0].entropy).toBeGreaterThan(0.5 * Math.log(init.tokenizer.vocabSize));
    await expect(train(parseArgs([...args.slice(0, -1), join(dir, 'missing.safetensors')]))).rejects.toThrow(/--checkpoint .*missing\.safetensors/);
    await expect(train(parseArgs([...args.slice(2), '--runtime', 'browser']))).rejects.toThrow(/--runtime node/);
  });

  it('writes the trained policy with --save, a checkpoint the next run starts from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-train-save-'));
    const { weights } = scratchPolicyFile();
    const start = join(dir, 'start.safetensors'), saved = join(dir, 'out', 'grpo.safetensors');
    writeFileSync(start, weights);
    // One SFT step first: a fresh policy's rollouts all score 0, so GRPO alone would leave it as it was.
    const args = ['--runtime', 'node', '--preset', 'micro', '--steps', '1', '--sft', '1', '--batch', '1', '--group', '2', '--eval', '2', '--max-len', '4'];
    const r = await train(parseArgs([...args, '--checkpoint', start, '--save', saved]));
    expect((r.json as { savedPolicy: string }).savedPolicy).toBe(saved);
    expect(r.message).toContain(`policy written to ${saved}`);
    const before = checkpointInit(readFileSync(start), 'start'), after = checkpointInit(readFileSync(saved), 'saved');
    const card = JSON.parse(after.extra?.card ?? 'null') as { made: string; from: string; steps: number };
    expect(card).toMatchObject({ made: 'lab train (GRPO)', from: start, steps: 1 });
    expect(after.model).toEqual(before.model);
    // The file holds the trained weights, not the ones the run began from.
    const moved = [...before.weights!].filter(([name, w]) => after.weights!.get(name)!.some((x, i) => x !== w[i]));
    expect(moved.length).toBeGreaterThan(0);
    const again = await train(parseArgs([...args, '--checkpoint', saved]));
    expect((again.json as { initCheckpoint: string }).initCheckpoint).toBe(saved);
    await expect(train(parseArgs([...args.slice(2), '--init', 'scratch', '--save', saved, '--runtime', 'browser']))).rejects.toThrow(/--save .*--runtime node/);
    // A path that cannot take the file is refused before any training.
    expect(() => saveOption(parseArgs(['--save', dir]))).toThrow(/is a folder/);
    writeFileSync(join(dir, 'plain-file'), 'x');
    expect(() => saveOption(parseArgs(['--save', join(dir, 'plain-file', 'policy.safetensors')]))).toThrow(/--save .*cannot write there/);
  });

  it('keeps a run in a --state file: stopped sittings continue to the numbers an unbroken run gives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-train-state-'));
    const state = join(dir, 'run.state');
    // From the pretrained default, whose rollouts earn rewards that differ within a group, so GRPO moves the
    // weights; one SFT step first, so the sittings cut at the switch to GRPO and inside it.
    const args = ['--runtime', 'node', '--preset', 'micro', '--steps', '3', '--sft', '1', '--batch', '2', '--group', '4', '--eval', '4', '--max-len', '16', '--lr', '0.001'];
    const whole = await train(parseArgs([...args, '--save', join(dir, 'whole.safetensors')]));
    type Json = { metrics: Record<string, number>[]; evalBefore: { correct: string[] }; evalAfter: { correct: string[] } | null; state: { outcome: string; step: number; resumedAt: number | null; stepsThisSitting: number } };
    const sitting = async (stopAfter: number) => train(parseArgs([...args, '--save', join(dir, 'parts.safetensors'), '--state', state, '--save-every', '1', '--stop-after', String(stopAfter)]));
    expect((whole.json as Json).metrics.some((m) => m.grad_norm > 0)).toBe(true);
    const first = await sitting(1);
    expect(first.message).toMatch(/^stopped after 1 steps at GRPO step 0 of 3; test accuracy so far .*; the run is kept in .*run\.state/);
    expect((first.json as Json).state).toEqual({ file: state, outcome: 'stopped', step: 0, resumedAt: null, stepsThisSitting: 1 });
    expect(first.json).not.toHaveProperty('savedPolicy');
    const second = await sitting(2);
    expect((second.json as Json).state).toMatchObject({ outcome: 'stopped', step: 2, resumedAt: 0, stepsThisSitting: 2 });
    // A sitting that stops says where the run stands: the policy at its stop, on the evaluation's questions. It is
    // the evaluation a run starting from that policy would make before its first step.
    type Eval = { correct: string[]; questions: number; accuracy: number };
    const atStop = (second.json as { evalAtStop: Eval; pairedAtStop: unknown }).evalAtStop;
    writeFileSync(join(dir, 'at-step-2.safetensors'), policyOfState(state));
    const fromThere = await train(parseArgs(['--runtime', 'node', '--preset', 'micro', '--steps', '0', '--batch', '2', '--group', '4', '--eval', '4', '--max-len', '16', '--checkpoint', join(dir, 'at-step-2.safetensors')]));
    expect(atStop.correct).toEqual((fromThere.json as { evalBefore: Eval }).evalBefore.correct);
    expect(atStop.questions).toBe(4);
    expect((second.json as { pairedAtStop: unknown }).pairedAtStop).toEqual(pairedEvals((second.json as Json).evalBefore, atStop));
    expect(second.message).toMatch(/^stopped after 2 steps at GRPO step 2 of 3; test accuracy so far \d+\.\d% -> \d+\.\d% \(4 questions; \d+ gained, \d+ lost, sign test p = [\d.]+\)(; by type: .*)?; the run is kept in .*run\.state: the same command continues it$/);
    const last = await sitting(5);
    const a = whole.json as Json, b = last.json as Json;
    expect(b.state).toMatchObject({ outcome: 'finished', step: 3, resumedAt: 2, stepsThisSitting: 1 });
    expect(last.message).toMatch(/^trained 3 GRPO steps/);
    // Every GRPO row of the whole run, timings aside, and the same answers before and after.
    const untimed = (rows: Record<string, number>[]) => rows.map(({ step_time: _t, tokens_per_second: _s, ...rest }) => rest);
    expect(untimed(b.metrics)).toEqual(untimed(a.metrics));
    expect(b.metrics).toHaveLength(3);
    expect(b.evalBefore.correct).toEqual(a.evalBefore.correct);
    expect(b.evalAfter!.correct).toEqual(a.evalAfter!.correct);
    const w1 = checkpointInit(readFileSync(join(dir, 'whole.safetensors')), 'whole').weights!, w2 = checkpointInit(readFileSync(join(dir, 'parts.safetensors')), 'parts').weights!;
    for (const [name, w] of w1) expect(w2.get(name), name).toEqual(w);
    // The state's policy is what `lab eval --checkpoint run.state` evaluates: here, the finished run's.
    const held = checkpointInit(policyOfState(state), 'state');
    for (const [name, w] of w1) expect(held.weights!.get(name), name).toEqual(w);
    expect(JSON.parse(held.extra?.card ?? 'null')).toMatchObject({ made: 'lab train --state (a run between sittings)', steps: 3, sftSteps: 1 });
    expect(evalOptions(parseArgs(['--dataset', 'demo', '--checkpoint', state])).checkpoint).toEqual({ path: state });
    // The state belongs to that run: other flags are refused, naming what differs.
    await expect(train(parseArgs([...args.slice(0, -2), '--lr', '0.01', '--state', state]))).rejects.toThrow(/--state .* holds another run \(config\.grpo\.learningRate: state 0\.001, command 0\.01\)/);
    await expect(train(parseArgs([...args, '--types', 'location', '--state', state]))).rejects.toThrow(/types: state "all", command "location"/);
    writeFileSync(join(dir, 'junk.state'), 'not a state');
    await expect(train(parseArgs([...args, '--state', join(dir, 'junk.state')]))).rejects.toThrow(/junk\.state: not a lab train state file/);
    expect(() => stateOption(parseArgs(['--stop-after', '3']))).toThrow(/--stop-after needs --state/);
    expect(() => stateOption(parseArgs(['--state', dir]))).toThrow(/is a folder/);
    await expect(train(parseArgs([...args.slice(2), '--state', state, '--runtime', 'browser']))).rejects.toThrow(/--state .*--runtime node/);
  });

  it('sizes the demo with --questions and evaluates on that set\'s test split', async () => {
    const synth = generateAnatomySynth({ questions: 600 });
    const test = synth.records.filter((r) => r.split === 'test');
    const expectedTest = test.length;
    const r = await train(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '100000', '--max-len', '4', '--questions', '600']));
    const json = r.json as { evalBefore: { questions: number; questionOnly: number }; evalAfter: { questions: number; byType: Record<string, { questions: number }> }; dataset: { questions: number } };
    expect(json.dataset.questions).toBe(600);
    // Every test question asked, so the question-only baseline is the one counted here from the training split.
    expect(json.evalBefore.questionOnly).toBe(questionOnlyAccuracy(fitQuestionPrior(synth.records.filter((x) => x.split === 'train')), test));
    expect(r.message).toMatch(/; the question text alone: \d+\.\d%\); by type: attribute \d+ -> \d+ of \d+, location \d+ -> \d+ of \d+, relation \d+ -> \d+ of \d+$/);
    // Every test question asked, so each type's count is the split's.
    const perType = (type: string) => test.filter((x) => x.questionType === type).length;
    expect(Object.fromEntries(Object.entries(json.evalAfter.byType).map(([t, v]) => [t, v.questions]))).toEqual({ attribute: perType('attribute'), location: perType('location'), relation: perType('relation') });
    expect(json.evalBefore.questions).toBe(expectedTest);
    expect(json.evalAfter.questions).toBe(expectedTest);
    expect(expectedTest).not.toBe(generateAnatomySynth().records.filter((x) => x.split === 'test').length);
  });

  it('trains and tests on the --types it is given, and refuses a type it does not know', async () => {
    const test = generateAnatomySynth({ questions: 600 }).records.filter((r) => r.split === 'test' && r.questionType === 'location');
    const args = ['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '100000', '--max-len', '4', '--questions', '600'];
    const r = await train(parseArgs([...args, '--types', 'location']));
    const json = r.json as { evalBefore: { questions: number; correct: string[] }; dataset: { questionTypes: string } };
    expect(json.dataset.questionTypes).toBe('location');
    expect(json.evalBefore.questions).toBe(test.length);
    const ids = new Set(test.map((x) => x.id));
    expect(json.evalBefore.correct.every((id) => ids.has(id))).toBe(true);
    expect(typesOption(parseArgs(['--types', 'relation,location']))).toBe('location,relation');
    expect(() => typesOption(parseArgs(['--types', 'location,colour']))).toThrow(UsageError);
    await expect(train(parseArgs([...args.slice(2), '--types', 'location', '--runtime', 'browser']))).rejects.toThrow(/--types .*--runtime node/);
  });

  it('runs one micro step from scratch in Node and reports before/after accuracy', async () => {
    const r = await train(parseArgs(['--runtime', 'node', '--preset', 'micro', '--init', 'scratch', '--steps', '1', '--batch', '1', '--group', '2', '--eval', '2', '--max-len', '4']));
    type Eval = { accuracy: number; questions: number; extracted: number; correct: string[]; byType: Record<string, { questions: number; correct: number; extracted: number }> };
    const json = r.json as { metrics: Record<string, number>[]; evalBefore: Eval; evalAfter: Eval };
    expect(json.metrics).toHaveLength(1);
    expect(json.metrics[0]).toHaveProperty('frac_reward_zero_std');
    expect(json.evalBefore.accuracy).toBeGreaterThanOrEqual(0);
    expect(json.evalAfter.accuracy).toBeGreaterThanOrEqual(0);
    // Answers that named an option: counted, and never more than the questions asked.
    for (const e of [json.evalBefore, json.evalAfter]) {
      expect(Number.isInteger(e.extracted)).toBe(true);
      expect(e.extracted).toBeLessThanOrEqual(e.questions);
      expect(e.correct).toHaveLength(Math.round(e.accuracy * e.questions));
      // The split by question type adds up to the whole.
      const parts = Object.values(e.byType);
      expect(Object.keys(e.byType).every((t) => ['location', 'relation', 'attribute'].includes(t))).toBe(true);
      expect([parts.reduce((a, p) => a + p.questions, 0), parts.reduce((a, p) => a + p.correct, 0), parts.reduce((a, p) => a + p.extracted, 0)]).toEqual([e.questions, e.correct.length, e.extracted]);
    }
    expect(r.message).toMatch(/trained 1 GRPO steps/);
  });

  it('compares before and after question by question when both kept their correct ids', () => {
    const base = { config: trainConfig(parseArgs([])), runtime: 'node cpu', metrics: [], step: 5, wallMs: 1 };
    const before = { accuracy: 0.4, questions: 10, extracted: 10, correct: ['q1', 'q2', 'q3', 'q4'] };
    const after = { accuracy: 0.6, questions: 10, extracted: 10, correct: ['q2', 'q3', 'q4', 'q5', 'q6', 'q7'] };
    const r = trainResult({ ...base, evalBefore: before, evalAfter: after });
    // 3 gained (q5-q7), 1 lost (q1): P = 2 (1 + 4) / 16.
    expect((r.json as { paired: unknown }).paired).toEqual({ gained: 3, lost: 1, pValue: 0.625 });
    expect(r.message).toMatch(/40\.0% -> 60\.0% \(10 questions; 3 gained, 1 lost, sign test p = 0\.63\)/);
    // Evaluations without ids (an older runtime) still report, without the comparison.
    const plain = trainResult({ ...base, evalBefore: { ...before, correct: undefined }, evalAfter: after });
    expect(plain.json).not.toHaveProperty('paired');
    expect(plain.message).toMatch(/\(10 questions\)$/);
    const withBaseline = trainResult({ ...base, evalBefore: before, evalAfter: { ...after, questionOnly: 0.375 } });
    expect(withBaseline.message).toMatch(/sign test p = 0\.63; the question text alone: 37\.5%\)$/);
    // Split by question type, the closing line says where the change came from.
    const typed = trainResult({
      ...base,
      evalBefore: { ...before, byType: { location: { questions: 6, correct: 3, extracted: 6 }, attribute: { questions: 4, correct: 1, extracted: 4 } } },
      evalAfter: { ...after, byType: { location: { questions: 6, correct: 2, extracted: 6 }, attribute: { questions: 4, correct: 4, extracted: 4 } } },
    });
    expect(typed.message).toMatch(/sign test p = 0\.63\); by type: attribute 1 -> 4 of 4, location 3 -> 2 of 6$/);
    expect((typed.json as { evalAfter: { byType: unknown } }).evalAfter.byType).toEqual({ location: { questions: 6, correct: 2, extracted: 6 }, attribute: { questions: 4, correct: 4, extracted: 4 } });
    // One type only: nothing to split.
    const oneType = trainResult({ ...base, evalBefore: { ...before, byType: { location: { questions: 10, correct: 4, extracted: 10 } } }, evalAfter: { ...after, byType: { location: { questions: 10, correct: 6, extracted: 10 } } } });
    expect(oneType.message).toMatch(/p = 0\.63\)$/);
  });
});
