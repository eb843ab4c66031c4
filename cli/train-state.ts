// `lab train --state <file>`: a GRPO run in Node that outlasts one sitting. The run loop checkpoints through a
// RunStore; this one keeps the trainer's whole snapshot (weights, frozen reference, Adam moments, step, metrics,
// the evaluation before) in one file, so the same command run again continues where the last one stopped, with
// the results an unbroken run would have had (every draw is a counter-based hash of the seed and the step).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { UsageError } from './command.ts';
import { restoreSnapshot } from '../src/rl/trainer/checkpoint-store.ts';
import type { TrainRunConfig } from '../src/rl/trainer/run-config.ts';
import type { RunStore } from '../src/rl/trainer/run-loop.ts';
import type { TrainerSnapshot } from '../src/rl/trainer/trainer.ts';
import { writeCheckpoint } from '../src/model/safetensors.ts';
import { restoreTokenizer } from '../src/model/tokenizer.ts';

const KIND = 'lab-train-state';

/** What the command line chose that the trainer's config does not hold; a resume must choose the same. */
export interface LabTrainChoices {
  /** Size of the demo (--questions). */
  questions: number;
  /** The starting policy file (--checkpoint), resolved; null for the config's init. */
  checkpoint: string | null;
  /** --types, as questionTypesText writes it. */
  types: string;
}

export interface TrainState {
  snapshot: TrainerSnapshot;
  lab: LabTrainChoices;
}

/** The state file as a RunStore: each checkpoint replaces it whole (written beside, then renamed, so a kill mid-write leaves the previous one). */
export function fileRunStore(file: string, lab: LabTrainChoices): RunStore {
  return {
    async save(_summary, snapshot) {
      const bytes = serialize({ kind: KIND, version: 1, lab, snapshot });
      writeFileSync(`${file}.tmp`, bytes);
      renameSync(`${file}.tmp`, file);
      return bytes.length;
    },
    // The file is the last snapshot and nothing else: a stop or a failure leaves it as the last good one.
    async setSummary() {},
  };
}

/** The state in `file`, checked field by field; null when there is no file yet (a fresh run). */
export function readTrainState(file: string): TrainState | null {
  if (!existsSync(file)) return null;
  let raw: unknown;
  try {
    raw = deserialize(readFileSync(file));
  } catch (err) {
    throw new UsageError(`--state ${file}: not a lab train state file (${(err as Error).message})`);
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (o.kind !== KIND) throw new UsageError(`--state ${file}: not a lab train state file (a pretrain's --state is not one); name another file or remove it`);
  const lab = (o.lab ?? {}) as Record<string, unknown>;
  if (typeof lab.questions !== 'number' || typeof lab.types !== 'string' || !(lab.checkpoint === null || typeof lab.checkpoint === 'string')) {
    throw new UsageError(`--state ${file}: field 'lab' must hold questions, checkpoint and types`);
  }
  try {
    return { snapshot: restoreSnapshot(o.snapshot, `--state ${file}`), lab: lab as unknown as LabTrainChoices };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** How often a run saves is not part of what it computes, so it may differ between sittings. */
function comparable(config: TrainRunConfig): TrainRunConfig {
  return { ...config, grpo: { ...config.grpo, checkpointEvery: 0 } };
}

function flatten(v: unknown, path: string, out: Map<string, string>): void {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, JSON.stringify(v));
  }
}

/**
 * Where the command differs from the run the state holds, one 'field: state X, command Y' per difference; empty
 * when the command continues that run.
 */
export function stateMismatches(state: TrainState, config: TrainRunConfig, lab: LabTrainChoices): string[] {
  const was = new Map<string, string>(), now = new Map<string, string>();
  flatten({ config: comparable(state.snapshot.runConfig), ...state.lab }, '', was);
  flatten({ config: comparable(config), ...lab }, '', now);
  const out: string[] = [];
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    if (was.get(key) !== now.get(key)) out.push(`${key}: state ${was.get(key) ?? 'unset'}, command ${now.get(key) ?? 'unset'}`);
  }
  return out;
}

/** The state to continue from, or null for a fresh run; a state of another run is a usage error saying how it differs. */
export function resumableState(file: string, config: TrainRunConfig, lab: LabTrainChoices): TrainState | null {
  const state = readTrainState(file);
  if (!state) return null;
  const diff = stateMismatches(state, config, lab);
  if (diff.length > 0) {
    throw new UsageError(`--state ${file} holds another run (${diff.join('; ')}); continue it with the flags that began it, or remove the file to start over`);
  }
  return state;
}

/** The --checkpoint path as the state records it (one file however the command names it). */
export function checkpointKey(checkpoint: string | undefined): string | null {
  return checkpoint === undefined ? null : resolve(checkpoint);
}

/**
 * The policy a state holds, as a .safetensors checkpoint (with a card saying which run and step), so a run kept
 * in sittings can be evaluated between them (`lab eval --checkpoint run.state`).
 */
export function policyOfState(file: string): Uint8Array {
  const state = readTrainState(file);
  if (!state) throw new UsageError(`--checkpoint ${file}: no such file`);
  const { snapshot: s } = state;
  const card = { name: file.replace(/^.*\//, ''), made: 'lab train --state (a run between sittings)', from: state.lab.checkpoint ?? s.runConfig.init.kind, grpo: s.runConfig.grpo, steps: s.step, sftSteps: s.sftStep };
  return writeCheckpoint(s.model, restoreTokenizer(s.tokenizer), s.weights, { card: JSON.stringify(card) }, 'F32');
}

/** Whether `file` begins like a state file (v8 serialisation) rather than a .safetensors one. */
export function isTrainStateFile(file: string): boolean {
  try {
    const o = deserialize(readFileSync(file)) as { kind?: unknown } | null;
    return o?.kind === KIND;
  } catch {
    return false;
  }
}
