// Training checkpoints in IndexedDB: one row per run holding its latest TrainerSnapshot (weights, reference,
// AdamW moments, counters, metrics) plus a small summary for listings, written in one transaction so a crash
// mid-write keeps the previous checkpoint. Rows read back are untrusted: restoreSnapshot checks every field.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { restoreEmbeddingTable } from '../../curriculum/embedding-table.ts';
import type { CurriculumControls } from '../../curriculum/scheduler.ts';
import { restoreModelConfig } from '../../model/config.ts';
import { restoreTokenizer } from '../../model/tokenizer.ts';
import type { CheckpointSummary, TrainRunSummary } from '../../worker/train-protocol.ts';
import type { StepMetrics } from '../metrics.ts';
import { restoreTrainRunConfig } from './run-config.ts';
import type { TrainerSnapshot } from './trainer.ts';

export const TRAIN_DB_NAME = 'anatomy-r1-lab-train';
const DB_VERSION = 1;

interface StoredCheckpoint {
  runId: string;
  summary: TrainRunSummary;
  bytes: number;
  snapshot: TrainerSnapshot;
}

interface TrainSchema extends DBSchema {
  checkpoints: { key: string; value: StoredCheckpoint };
}

function weightBytes(m: Map<string, Float32Array> | null): number {
  let n = 0;
  if (m) for (const v of m.values()) n += v.byteLength;
  return n;
}

export class CheckpointStore {
  private constructor(private readonly db: IDBPDatabase<TrainSchema>) {}

  static async open(name = TRAIN_DB_NAME): Promise<CheckpointStore> {
    const db = await openDB<TrainSchema>(name, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('checkpoints', { keyPath: 'runId' });
      },
    });
    return new CheckpointStore(db);
  }

  /** Replaces the run's checkpoint (one put: the old row stays until the new one is committed). */
  async save(summary: TrainRunSummary, snapshot: TrainerSnapshot): Promise<number> {
    const bytes = weightBytes(snapshot.weights) + weightBytes(snapshot.reference) + weightBytes(snapshot.optimizer.m) + weightBytes(snapshot.optimizer.v);
    await this.db.put('checkpoints', { runId: summary.runId, summary, bytes, snapshot });
    return bytes;
  }

  /** Updates only the summary (state and message after a stop or a failure), keeping the snapshot. */
  async setSummary(runId: string, patch: Partial<TrainRunSummary>): Promise<void> {
    const tx = this.db.transaction('checkpoints', 'readwrite');
    const row = await tx.store.get(runId);
    if (row) await tx.store.put({ ...row, summary: { ...row.summary, ...patch } });
    await tx.done;
  }

  /** The run's snapshot, checked field by field; null when the run has no checkpoint. */
  async load(runId: string): Promise<{ summary: TrainRunSummary; snapshot: TrainerSnapshot } | null> {
    const row = await this.db.get('checkpoints', runId);
    if (!row) return null;
    return { summary: row.summary, snapshot: restoreSnapshot(row.snapshot, `checkpoint of run ${runId}`) };
  }

  /** Summaries, newest save first. */
  async list(): Promise<CheckpointSummary[]> {
    const rows = await this.db.getAll('checkpoints');
    const out: CheckpointSummary[] = [];
    for (const row of rows) {
      try {
        out.push({ ...row.summary, bytes: row.bytes, config: restoreTrainRunConfig(row.snapshot.runConfig, `checkpoint ${row.runId}: config`) });
      } catch {
        // A row this version cannot read is left out of the listing (it can still be deleted by id).
      }
    }
    return out.sort((a, b) => (b.savedAt ?? '').localeCompare(a.savedAt ?? ''));
  }

  async delete(runId: string): Promise<void> {
    await this.db.delete('checkpoints', runId);
  }

  close(): void {
    this.db.close();
  }
}

function fail(source: string, field: string, why: string): never {
  throw new Error(`${source}: field '${field}' ${why}`);
}

function weightMap(v: unknown, source: string, field: string): Map<string, Float32Array> {
  if (!(v instanceof Map)) fail(source, field, 'must be a map of tensors');
  for (const [k, a] of v as Map<unknown, unknown>) {
    if (typeof k !== 'string' || !(a instanceof Float32Array)) fail(source, field, `has a bad entry ${String(k)}`);
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) fail(source, `${field}.${k}`, `holds a non-finite value at ${i}`);
  }
  return v as Map<string, Float32Array>;
}

function count(v: unknown, source: string, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(source, field, `must be a non-negative integer, got ${String(v)}`);
  return v as number;
}

/** Untrusted stored row -> TrainerSnapshot (tensor sizes are checked again when the policy is built). */
export function restoreSnapshot(untrusted: unknown, source = 'checkpoint'): TrainerSnapshot {
  if (typeof untrusted !== 'object' || untrusted === null) fail(source, '(root)', 'must be an object');
  const o = untrusted as Record<string, unknown>;
  if (o.version !== 1) fail(source, 'version', `must be 1, got ${String(o.version)}`);
  const opt = (o.optimizer ?? {}) as Record<string, unknown>;
  const rng = (o.rng ?? {}) as Record<string, unknown>;
  const list = <T>(v: unknown, field: string): T[] => (Array.isArray(v) ? (v as T[]) : fail(source, field, 'must be a list'));
  const controls = (o.curriculumControls ?? { excluded: [], pinned: [], moves: [] }) as CurriculumControls;
  if (!Array.isArray(controls.excluded) || !Array.isArray(controls.pinned) || !Array.isArray(controls.moves)) fail(source, 'curriculumControls', 'must hold excluded, pinned and moves lists');
  const evalBefore = o.evalBefore as TrainerSnapshot['evalBefore'];
  if (evalBefore !== null && (typeof evalBefore !== 'object' || typeof evalBefore.accuracy !== 'number')) fail(source, 'evalBefore', 'must be null or {accuracy, questions, extracted}');
  if (evalBefore?.correct !== undefined && !(Array.isArray(evalBefore.correct) && evalBefore.correct.every((id) => typeof id === 'string'))) fail(source, 'evalBefore.correct', 'must be a list of question ids');
  const runConfig = restoreTrainRunConfig(o.runConfig, `${source}: runConfig`);
  const model = restoreModelConfig(o.model, `${source}: model`);
  const tokenizer = restoreTokenizer(o.tokenizer, `${source}: tokenizer`);
  return {
    version: 1,
    runConfig,
    model,
    tokenizer: tokenizer.toJSON(),
    step: count(o.step, source, 'step'),
    sftStep: count(o.sftStep, source, 'sftStep'),
    grpoStarted: o.grpoStarted === true,
    weights: weightMap(o.weights, source, 'weights'),
    reference: o.reference === null ? null : weightMap(o.reference, source, 'reference'),
    optimizer: { stepCount: count(opt.stepCount, source, 'optimizer.stepCount'), m: weightMap(opt.m, source, 'optimizer.m'), v: weightMap(opt.v, source, 'optimizer.v') },
    zeroVariance: list<[string, boolean]>(o.zeroVariance, 'zeroVariance'),
    curriculumControls: controls,
    metrics: list<StepMetrics>(o.metrics, 'metrics'),
    sftMetrics: list<TrainerSnapshot['sftMetrics'][number]>(o.sftMetrics, 'sftMetrics'),
    rng: { kind: 'counter', seed: typeof rng.seed === 'number' ? rng.seed : runConfig.grpo.seed },
    evalBefore: evalBefore ?? null,
    // The S(q) table of a 'policy' or 'onnx:' run travels with its checkpoints, so a resume needs no model.
    similarityTable: restoreEmbeddingTable(o.similarityTable, `${source}: similarityTable`),
  };
}
