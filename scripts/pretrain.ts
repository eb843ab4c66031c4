// `npm run pretrain`: the committed pretrained default. Supervised fine-tuning (the trainer's SFT warm start)
// of a fresh policy (micro by default) on AnatomySynth (seed 1, 2,000 questions, 64 px), seeded and reproducible, then a
// greedy test accuracy against chance (25 % with four options). Writes public/models/anatomysynth-<preset>.safetensors
// and a JSON card beside it saying how it was made.
//
//   tsx scripts/pretrain.ts [--steps 300] [--batch 16] [--lr 2e-3] [--seed 0] [--backend cpu|gpu] [--questions 2000] [--eval-every 0]
//                           [--preset micro] [--eval 200] [--answer text|letter] [--out public/models/anatomysynth-<preset>.safetensors]
//                           [--from <checkpoint.safetensors>]   (continue SFT from a checkpoint instead of fresh weights)
//                           [--types all|location,relation,attribute]  (train and test on these question types only)
//                           [--captions off|on]                 (on: beside each batch's questions, caption rows
//                                                                naming every structure of an image with its cell)
//                           [--dtype F32|F16|BF16]              (how the weights are stored; F16 beyond micro, so a
//                                                                tiny checkpoint stays under the repo's file limit)
//                           [--state <file> --save-every 25]    (write the whole trainer state every N steps; a later
//                                                                run with the same --state picks up exactly there)
//                           [--stop-after N]                    (with --state: stop after N steps of this run, state
//                                                                saved, no checkpoint yet: a pretrain in instalments)
// --backend gpu runs on Dawn (the `webgpu` package) in Node; cpu on the CpuBackend (the reference, slower).

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { dirname, resolve } from 'node:path';
import { DEFAULT_SYNTH_CONFIG, generateAnatomySynth } from '../src/data/synth/anatomy-synth.ts';
import { sceneTexts } from '../src/data/synth/scene-text.ts';
import { ofQuestionTypes, parseQuestionTypes, questionTypesText } from '../src/data/synth/question-types.ts';
import { writeCheckpoint, type FloatDtype } from '../src/model/safetensors.ts';
import { checkpointInit, scratchInit } from '../src/rl/trainer/init.ts';
import { restoreTrainRunConfig } from '../src/rl/trainer/run-config.ts';
import { GrpoTrainer, type TrainerSnapshot } from '../src/rl/trainer/trainer.ts';
import type { Backend } from '../src/tensor/backend.ts';
import { CpuBackend } from '../src/tensor/cpu-backend.ts';

/** A --state file: the trainer's whole state and the pretrain flags the trainer does not hold. */
type PretrainState = TrainerSnapshot & { pretrain?: { captions: 'off' | 'on'; types?: string } };

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function makeBackend(kind: string): Promise<Backend> {
  if (kind === 'cpu') return new CpuBackend();
  // Dawn in Node: the same device setup as the GPU tests.
  const { nodeGpuDevice } = await import('../src/test/node-gpu.ts');
  const { WebGpuBackend } = await import('../src/tensor/webgpu-backend.ts');
  return new WebGpuBackend(await nodeGpuDevice());
}

async function main(): Promise<void> {
  const steps = Number(arg('steps', '300'));
  const batch = Number(arg('batch', '16'));
  const lr = Number(arg('lr', '2e-3'));
  const seed = Number(arg('seed', '0'));
  const preset = arg('preset', 'micro') as 'tiny' | 'micro';
  const evalQuestions = Number(arg('eval', '200'));
  // Greedy accuracy on 100 test questions every N SFT steps (0: only at the end), to watch for overfitting.
  const evalEvery = Number(arg('eval-every', '0'));
  const out = resolve(arg('out', `public/models/anatomysynth-${preset}.safetensors`));
  const backendKind = arg('backend', 'cpu');
  // The option text is easier for a small policy than the letter (no option matching to learn); both score.
  const answerForm = arg('answer', 'text') as 'text' | 'letter';
  const started = Date.now();
  const dtype = arg('dtype', preset === 'micro' ? 'F32' : 'F16') as FloatDtype;
  if (!['F32', 'F16', 'BF16'].includes(dtype)) throw new Error(`--dtype must be F32, F16 or BF16, got ${dtype}`);

  // More questions than the demo's 2,000 extend it: the same seed draws the demo's scenes first, so the demo's
  // test scenes stay test scenes and no demo test image is ever trained on (checked in anatomy-synth.test.ts).
  const questions = Number(arg('questions', String(DEFAULT_SYNTH_CONFIG.questions)));
  const synth = generateAnatomySynth({ seed: DEFAULT_SYNTH_CONFIG.seed, questions, imageSize: 64 });
  // A caption names every structure of an image, where a question names one: more to learn the image from per
  // step (bench/grpo-runs.md, "Teaching the policy its image").
  const captions = arg('captions', 'off') as 'off' | 'on';
  if (captions !== 'off' && captions !== 'on') throw new Error(`--captions must be off or on, got ${captions}`);
  const layouts = captions === 'on' ? sceneTexts(synth) : null;
  // A stage of a staged pretrain can train on some question types only (location questions first: the ones
  // whose answer is read from one place in the image; bench/grpo-runs.md, "Teaching the policy its image").
  const typeChoice = parseQuestionTypes(arg('types', 'all'));
  const types = questionTypesText(typeChoice);
  const records = ofQuestionTypes(synth.records, typeChoice);
  const data = { records, image: (ref: string) => synth.images.get(ref) ?? null, ...(layouts ? { grounding: (ref: string) => layouts.get(ref) ?? null } : {}) };
  const from = arg('from', '');
  const init = from ? checkpointInit(readFileSync(from), from) : scratchInit(preset, synth.records, seed);
  const previous = from ? (JSON.parse(init.extra?.card ?? 'null') as { training?: unknown } | null) : null;
  const config = restoreTrainRunConfig({
    name: 'pretrain', datasetId: 'anatomysynth', preset, init: { kind: 'scratch' },
    eval: { maxQuestions: evalQuestions, greedy: true },
    grpo: { seed, steps: 0, maxCompletionLength: 24, sft: { steps, batchSize: batch, learningRate: lr, answerForm } },
  });
  const backend = await makeBackend(backendKind);
  // A pretrain of the larger presets outlasts a working session, so it can stop and pick up from its whole state
  // (weights, Adam moments, step): the schedule and the data order then continue as if it had never stopped.
  const statePath = arg('state', '');
  const saveEvery = Number(arg('save-every', '25'));
  const stopAfter = Number(arg('stop-after', '0'));
  if (stopAfter > 0 && !statePath) throw new Error('--stop-after needs --state <file> to keep what was done');
  const saveState = async (): Promise<void> => {
    // Written beside and renamed, so a kill mid-write never leaves a torn state.
    // The pretrain's own choices ride beside the trainer's snapshot, so a resume can check them too.
    const state: PretrainState = { ...(await trainer.snapshot()), pretrain: { captions, types } };
    writeFileSync(`${statePath}.tmp`, serialize(state));
    renameSync(`${statePath}.tmp`, statePath);
  };
  const resumed = statePath && existsSync(statePath);
  const snap = resumed ? (deserialize(readFileSync(statePath)) as PretrainState) : null;
  if (snap) {
    // The card describes the command line, so a state is only continued by the command that began it.
    const was = snap.runConfig.grpo.sft;
    if (snap.runConfig.preset !== preset || was.steps !== steps || was.batchSize !== batch || was.learningRate !== lr || snap.runConfig.grpo.seed !== seed) {
      throw new Error(`${statePath} holds a pretrain of ${snap.runConfig.preset} with --steps ${was.steps} --batch ${was.batchSize} --lr ${was.learningRate} --seed ${snap.runConfig.grpo.seed}; continue it with those, or remove the file to start over`);
    }
    // States written before the field existed say nothing about captions; those resume as given.
    if (snap.pretrain && snap.pretrain.captions !== captions) {
      throw new Error(`${statePath} holds a pretrain with --captions ${snap.pretrain.captions}; continue it with --captions ${snap.pretrain.captions}, or remove the file to start over`);
    }
    // Compared as sets: states written before the list was sorted may hold it in the order it was typed.
    if (snap.pretrain?.types !== undefined && questionTypesText(parseQuestionTypes(snap.pretrain.types)) !== types) {
      throw new Error(`${statePath} holds a pretrain with --types ${snap.pretrain.types}; continue it with --types ${snap.pretrain.types}, or remove the file to start over`);
    }
  }
  const trainer = snap ? GrpoTrainer.restore(backend, snap, data) : GrpoTrainer.create(backend, config, data, init);
  if (resumed) console.log(`resumed from ${statePath} at SFT step ${trainer.sftStep}`);
  console.log(`pretrain: ${preset} (${trainer.policy.params.count()} parameters, vocabulary ${init.tokenizer.vocabSize}) on AnatomySynth: ${trainer.trainRecords.length} train / ${trainer.evalRecords.length} test questions, ${steps} SFT steps of ${batch}, lr ${lr}, ${backend.name}`);
  const before = await trainer.evaluate(Math.min(evalQuestions, 48));
  console.log(`before: greedy accuracy ${(100 * before.accuracy).toFixed(1)}% on ${before.questions} test questions`);
  let ema = NaN;
  let stepsThisRun = 0;
  while (trainer.phase === 'sft') {
    const m = await trainer.sftStepOnce();
    ema = Number.isNaN(ema) ? m.loss : 0.9 * ema + 0.1 * m.loss;
    if (m.step % 10 === 0 || trainer.phase !== 'sft') {
      console.log(`sft ${m.step + 1}/${steps} loss ${m.loss.toFixed(4)} (ema ${ema.toFixed(4)}) grad_norm ${m.grad_norm.toFixed(3)} lr ${m.learning_rate.toExponential(2)} ${m.step_time.toFixed(2)} s/step`);
    }
    stepsThisRun++;
    if (stopAfter > 0 && stepsThisRun >= stopAfter && trainer.phase === 'sft') {
      await saveState();
      console.log(`stopped after ${stepsThisRun} steps at SFT step ${trainer.sftStep} of ${steps}; state in ${statePath}`);
      trainer.dispose();
      return;
    }
    if (statePath && saveEvery > 0 && (m.step + 1) % saveEvery === 0) await saveState();
    if (evalEvery > 0 && (m.step + 1) % evalEvery === 0 && trainer.phase === 'sft') {
      const mid = await trainer.evaluate(Math.min(evalQuestions, 100));
      console.log(`  step ${m.step + 1}: greedy accuracy ${(100 * mid.accuracy).toFixed(1)}% on ${mid.questions} test questions`);
    }
  }
  const after = await trainer.evaluate();
  console.log(`after: greedy accuracy ${(100 * after.accuracy).toFixed(1)}% on ${after.questions} test questions (answers extracted: ${after.extracted}); chance 25%`);

  const weights = await trainer.policy.params.readAll();
  const last = trainer.sftMetrics.at(-1);
  const card = {
    name: `anatomysynth-${preset}`,
    made: `npm run pretrain (scripts/pretrain.ts): SFT on the gold answer in <think>..</think> <answer>${answerForm === 'text' ? 'OPTION TEXT' : 'LETTER'}</answer> format${captions === 'on' ? ', with caption rows naming every structure of an image' : ''}`,
    dataset: { name: 'AnatomySynth', seed: DEFAULT_SYNTH_CONFIG.seed, questions, imageSize: 64, trainQuestions: trainer.trainRecords.length, testQuestions: trainer.evalRecords.length },
    model: { preset, parameters: trainer.policy.params.count(), vocabSize: init.tokenizer.vocabSize, initSeed: seed },
    storedAs: dtype,
    training: { steps, batchSize: batch, learningRate: lr, captions, questionTypes: types, schedule: 'cosine to lr/10 after a 5% warmup', optimizer: 'AdamW (0.9, 0.999), clip 1.0', backend: backend.name },
    continuedFrom: previous ? { file: from.replace(/^.*\//, ''), training: previous.training } : null,
    finalLoss: last?.loss ?? null,
    finalLossEma: ema,
    testAccuracy: { greedy: after.accuracy, questions: after.questions, extracted: after.extracted, chance: 0.25, beforeTraining: before.accuracy },
    wallSeconds: Math.round((Date.now() - started) / 1000),
  };
  const bytes = writeCheckpoint(init.model, init.tokenizer, weights, { card: JSON.stringify(card) }, dtype);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  writeFileSync(out.replace(/\.safetensors$/, '.json'), `${JSON.stringify(card, null, 2)}\n`);
  console.log(`wrote ${out} (${(bytes.length / 1e6).toFixed(2)} MB) and its card; ${card.wallSeconds} s`);
  trainer.dispose();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
