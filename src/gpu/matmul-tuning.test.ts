// The start-up autotune and its cache: a first start-up tunes and stores, a second reads the store and times
// nothing, a bad cache row is ignored, a failing store falls back to the table, the table's tiling is kept on
// a near tie, a wrong candidate is never picked, and the worker's session hands backends the tuned tiling.

import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { nodeGpu, nodeGpuDevice } from '../test/node-gpu.ts';
import { describeAdapter } from './adapter-report.ts';
import { autotuneMatmul, type TuneResult } from './kernels/matmul-autotune.ts';
import { softwareMatmulTiling, type MatmulTiling } from './kernels/matmul.ts';
import {
  indexedDbTuningStore,
  memoryTuningStore,
  pickTiling,
  resolveMatmulTiling,
  restoreCachedTune,
  tuningKey,
  type TuningStore,
} from './matmul-tuning.ts';
import { GpuRunner } from './runner.ts';
import { DeviceSession, type DeviceEventKind } from '../worker/device-session.ts';

const SMALL: [number, number, number][] = [[24, 40, 16]];
const TWO: MatmulTiling[] = [{ tm: 4, tn: 4, wgx: 4, wgy: 4 }, { tm: 8, tn: 8, wgx: 2, wgy: 2 }];

async function setup() {
  const device = await nodeGpuDevice();
  const adapter = await nodeGpu.requestAdapter();
  return { runner: new GpuRunner(device), report: describeAdapter(adapter!) };
}

const result = (tiling: MatmulTiling, totalMs: number): TuneResult => ({ tiling, medianMs: [totalMs], minMs: [totalMs], totalMs, maxError: 0 });

describe('matmul autotune', () => {
  it('checks every candidate against a CPU product and times them round-robin, fastest first', async () => {
    const { runner } = await setup();
    const results = await autotuneMatmul(runner, SMALL, TWO, 2);
    expect(results).toHaveLength(2);
    expect(results[0].totalMs).toBeLessThanOrEqual(results[1].totalMs);
    for (const r of results) {
      expect(r.maxError).toBeLessThan(1e-4);
      expect(r.minMs[0]).toBeGreaterThan(0);
      expect(r.minMs[0]).toBeLessThanOrEqual(r.medianMs[0]);
    }
  });

  it('tunes on the first start-up, stores the pick, and reads it back on the next without timing', async () => {
    const { runner, report } = await setup();
    const rows = memoryTuningStore();
    let puts = 0;
    const store: TuningStore = { get: rows.get, put: async (v) => { puts += 1; await rows.put(v); } };
    const first = await resolveMatmulTiling(runner, report, store, { shapes: SMALL, candidates: TWO, repeats: 2 });
    expect(first.source).toBe('autotune');
    expect([...TWO, softwareMatmulTiling]).toContainEqual(first.tiling);
    expect(first.tuneMs).toBeGreaterThan(0);
    expect(puts).toBe(1);
    const before = runner.stats().dispatches;
    const second = await resolveMatmulTiling(runner, report, store, { shapes: SMALL, candidates: TWO, repeats: 2 });
    expect(second.source).toBe('cache');
    expect(second.tiling).toEqual(first.tiling);
    expect(runner.stats().dispatches).toBe(before);
    expect(puts).toBe(1);
  });

  it('keeps the cache in IndexedDB across opens, one row per adapter and kernel version', async () => {
    const { runner, report } = await setup();
    const name = `tuning-test-${Math.random()}`;
    const first = await resolveMatmulTiling(runner, report, await indexedDbTuningStore(name), { shapes: SMALL, candidates: TWO, repeats: 1 });
    const again = await resolveMatmulTiling(runner, report, await indexedDbTuningStore(name), { shapes: SMALL, candidates: TWO, repeats: 1 });
    expect(again).toMatchObject({ source: 'cache', tiling: first.tiling });
    expect(tuningKey(report)).toMatch(/^v\d+\|/);
    expect(tuningKey({ ...report, description: 'other driver' })).not.toBe(tuningKey(report));
  });

  it('ignores cache rows it would not have written', () => {
    const good = { key: 'k', tiling: softwareMatmulTiling, winnerMs: 3, tableMs: 4, tunedAt: '2026-11-25T00:00:00Z' };
    expect(restoreCachedTune(good)).toEqual(good);
    expect(restoreCachedTune({ ...good, tiling: { tm: 64, tn: 64, wgx: 16, wgy: 16 } })).toBeNull();
    expect(restoreCachedTune({ ...good, tiling: { ...softwareMatmulTiling, tm: 2.5 } })).toBeNull();
    expect(restoreCachedTune({ ...good, winnerMs: Number.NaN })).toBeNull();
    expect(restoreCachedTune(null)).toBeNull();
    expect(restoreCachedTune('x')).toBeNull();
  });

  it('falls back to the per-adapter table, saying why, when the store fails', async () => {
    const { runner, report } = await setup();
    const broken: TuningStore = { get: async () => { throw new Error('quota exceeded'); }, put: async () => undefined };
    const got = await resolveMatmulTiling(runner, report, broken, { shapes: SMALL, candidates: TWO });
    expect(got).toMatchObject({ source: 'table', tiling: softwareMatmulTiling });
    expect(got.note).toContain('quota exceeded');
  });

  it('keeps the table tiling on a near tie, takes a clear winner, never a wrong candidate', () => {
    const table = softwareMatmulTiling;
    expect(pickTiling([result(TWO[0], 9.6), result(table, 10)], table).tiling).toEqual(table);
    expect(pickTiling([result(TWO[0], 8), result(table, 10)], table)).toEqual({ tiling: TWO[0], winnerMs: 8, tableMs: 10 });
    expect(() => pickTiling([{ ...result(TWO[0], Infinity), maxError: 1 }], table)).toThrow(/no matmul candidate/);
  });

  it('gives the worker session backends with the tuned tiling and reports it once per device', async () => {
    const events: DeviceEventKind[] = [];
    const store = memoryTuningStore();
    const { report } = await setup();
    await store.put({ key: tuningKey(report), tiling: TWO[1], winnerMs: 1, tableMs: 2, tunedAt: 'earlier' });
    const session = new DeviceSession(nodeGpu, (_s, e) => events.push(e), 10, async () => store);
    const { backend } = await session.webGpuBackend();
    expect(backend.config.matmul).toEqual(TWO[1]);
    await session.webGpuBackend();
    expect(events.filter((e) => e === 'tuned')).toHaveLength(1);
    expect(session.snapshot.matmul).toMatchObject({ source: 'cache', tiling: TWO[1] });
    // Without a store the table decides and nothing is timed.
    const plain = new DeviceSession(nodeGpu, () => undefined, 10);
    expect((await plain.matmulTuning()).source).toBe('table');
  });
});
