// The matmul tiling this adapter uses: autotuned once per adapter (and per kernel generator version), cached
// in IndexedDB so later start-ups pay nothing, with the per-adapter table as the answer while no tune exists
// or when tuning fails. What is read back from the cache is checked: another lab version may have written it.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AdapterReport } from './adapter-report.ts';
import { autotuneMatmul, matmulCandidates, type TuneResult } from './kernels/matmul-autotune.ts';
import { matmulTilingFor, type MatmulTiling } from './kernels/matmul.ts';
import type { GpuRunner } from './runner.ts';

/** Bump when the matmul generator changes: older tunes timed other code and are ignored. */
export const MATMUL_KERNEL_VERSION = 1;

/**
 * Shapes timed at start-up, [M, N, K]: a batch of decoder tokens through the hidden width and through the MLP.
 * Small enough that the slowest candidate on SwiftShader stays near 50 ms a run, so the whole tune is seconds.
 */
export const TUNE_SHAPES: [number, number, number][] = [
  [128, 256, 256],
  [128, 1024, 256],
];

export interface MatmulTuning {
  /** The tiling the backend should use. */
  tiling: MatmulTiling;
  /** 'autotune': measured now; 'cache': measured at an earlier start-up; 'table': the per-adapter default. */
  source: 'autotune' | 'cache' | 'table';
  /** Milliseconds the tune took (0 for cache and table). */
  tuneMs: number;
  /** Summed fastest time of the winner and of the table's tiling on TUNE_SHAPES (null for 'table'). */
  winnerMs: number | null;
  tableMs: number | null;
  /** Why the table is used, when it is. */
  note: string;
}

export interface CachedTune {
  key: string;
  tiling: MatmulTiling;
  winnerMs: number;
  tableMs: number;
  tunedAt: string;
}

export interface TuningStore {
  get(key: string): Promise<CachedTune | null>;
  put(value: CachedTune): Promise<void>;
}

/** One key per adapter model and kernel version: a driver update that changes the description re-tunes. */
export function tuningKey(adapter: Pick<AdapterReport, 'vendor' | 'architecture' | 'description' | 'isFallbackAdapter'>): string {
  return `v${MATMUL_KERNEL_VERSION}|${adapter.vendor}|${adapter.architecture}|${adapter.description}|${adapter.isFallbackAdapter ? 'fallback' : 'hw'}`;
}

/** Largest outputs per thread along one axis that a cached tune may name (the candidates stop at 32). */
const MAX_TILE = 32;

const positiveInt = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

/** Untrusted cache row -> tune, or null when any field is off (the caller then re-tunes). */
export function restoreCachedTune(untrusted: unknown): CachedTune | null {
  if (typeof untrusted !== 'object' || untrusted === null) return null;
  const o = untrusted as Record<string, unknown>;
  const t = (typeof o.tiling === 'object' && o.tiling !== null ? o.tiling : {}) as Record<string, unknown>;
  if (typeof o.key !== 'string' || typeof o.tunedAt !== 'string') return null;
  // Bounds of what an autotune may pick: a hand-edited row cannot ask for a 64x64 register tile per thread.
  if (!positiveInt(t.tm, MAX_TILE) || !positiveInt(t.tn, MAX_TILE) || !positiveInt(t.wgx, 16) || !positiveInt(t.wgy, 16) || t.wgx * t.wgy > 256) return null;
  if (typeof o.winnerMs !== 'number' || !Number.isFinite(o.winnerMs) || typeof o.tableMs !== 'number' || !Number.isFinite(o.tableMs)) return null;
  return { key: o.key, tiling: { tm: t.tm, tn: t.tn, wgx: t.wgx, wgy: t.wgy }, winnerMs: o.winnerMs, tableMs: o.tableMs, tunedAt: o.tunedAt };
}

/** A store that forgets on exit (Node, tests, browsers without IndexedDB). */
export function memoryTuningStore(): TuningStore {
  const rows = new Map<string, CachedTune>();
  return {
    get: async (key) => rows.get(key) ?? null,
    put: async (value) => void rows.set(value.key, value),
  };
}

interface TuningSchema extends DBSchema {
  matmul: { key: string; value: CachedTune };
}

export const TUNING_DB_NAME = 'anatomy-r1-lab-tuning';

/** The browser's store: one IndexedDB row per adapter key. */
export async function indexedDbTuningStore(name = TUNING_DB_NAME): Promise<TuningStore> {
  const db: IDBPDatabase<TuningSchema> = await openDB<TuningSchema>(name, 1, {
    upgrade(d) {
      d.createObjectStore('matmul', { keyPath: 'key' });
    },
  });
  return {
    get: async (key) => restoreCachedTune(await db.get('matmul', key)),
    put: async (value) => void (await db.put('matmul', value)),
  };
}

const sameTiling = (a: MatmulTiling, b: MatmulTiling) => a.tm === b.tm && a.tn === b.tn && a.wgx === b.wgx && a.wgy === b.wgy;

export interface TuneOptions {
  shapes?: [number, number, number][];
  candidates?: readonly MatmulTiling[];
  repeats?: number;
  now?: () => number;
}

/**
 * The tiling for this adapter: the cached tune when there is one, else a tune now (stored for next time).
 * The table's tiling keeps its place unless a candidate beats it by more than 5%: on a noisy machine a tie
 * should not flip the kernel from one start-up to the next. A failing tune (a lost device, a store that
 * throws) falls back to the table and says why; it never stops the lab from starting.
 */
export async function resolveMatmulTiling(runner: GpuRunner, adapter: AdapterReport, store: TuningStore, options: TuneOptions = {}): Promise<MatmulTuning> {
  const table = matmulTilingFor(adapter);
  const key = tuningKey(adapter);
  const now = options.now ?? (() => performance.now());
  try {
    const cached = await store.get(key);
    if (cached) return { tiling: cached.tiling, source: 'cache', tuneMs: 0, winnerMs: cached.winnerMs, tableMs: cached.tableMs, note: `tuned ${cached.tunedAt}` };
    const t0 = now();
    const candidates = options.candidates ?? matmulCandidates;
    const withTable = candidates.some((c) => sameTiling(c, table)) ? candidates : [...candidates, table];
    const results = await autotuneMatmul(runner, options.shapes ?? TUNE_SHAPES, withTable, options.repeats ?? 3);
    const pick = pickTiling(results, table);
    const tuneMs = now() - t0;
    await store.put({ key, tiling: pick.tiling, winnerMs: pick.winnerMs, tableMs: pick.tableMs, tunedAt: new Date().toISOString() });
    return { tiling: pick.tiling, source: 'autotune', tuneMs, winnerMs: pick.winnerMs, tableMs: pick.tableMs, note: `${results.length} candidates on ${(options.shapes ?? TUNE_SHAPES).length} shapes` };
  } catch (err) {
    return { tiling: table, source: 'table', tuneMs: 0, winnerMs: null, tableMs: null, note: `autotune failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** The winner, keeping the table's tiling unless beaten by more than 5%. */
export function pickTiling(results: readonly TuneResult[], table: MatmulTiling): { tiling: MatmulTiling; winnerMs: number; tableMs: number } {
  const best = results[0];
  const tableResult = results.find((r) => sameTiling(r.tiling, table));
  if (!best || !Number.isFinite(best.totalMs)) throw new Error('no matmul candidate computed a correct product');
  if (tableResult && Number.isFinite(tableResult.totalMs) && best.totalMs > 0.95 * tableResult.totalMs) {
    return { tiling: table, winnerMs: tableResult.totalMs, tableMs: tableResult.totalMs };
  }
  return { tiling: best.tiling, winnerMs: best.totalMs, tableMs: tableResult?.totalMs ?? Number.NaN };
}
