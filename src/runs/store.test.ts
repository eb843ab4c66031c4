import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { RunStore } from './store.ts';
import { sampleRunRecord } from './sample-run.ts';

describe('RunStore (IndexedDB via fake-indexeddb)', () => {
  it('puts, gets, lists newest first, deletes', async () => {
    const store = await RunStore.open('test-runs-1');
    const a = { ...sampleRunRecord(5, 'run-a'), createdAt: '2026-11-20T10:00:00Z' };
    const b = { ...sampleRunRecord(5, 'run-b'), createdAt: '2026-11-24T10:00:00Z' };
    await store.put(a);
    await store.put(b);
    expect(await store.get('run-a')).toEqual(a);
    expect(await store.get('missing')).toBeUndefined();
    const { runs, invalid } = await store.list();
    expect(runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(invalid).toEqual([]);
    await store.delete('run-a');
    expect((await store.list()).runs.map((r) => r.id)).toEqual(['run-b']);
    store.close();
  });

  it('refuses to save an invalid run', async () => {
    const store = await RunStore.open('test-runs-2');
    const bad = sampleRunRecord(3, 'run-bad');
    bad.history.points[0].values.reward = NaN;
    await expect(store.put(bad)).rejects.toThrow(/field history\.points\.0\.values\.reward/);
    store.close();
  });

  it('lists a damaged stored record as invalid by key, keeping the good ones', async () => {
    const store = await RunStore.open('test-runs-3');
    await store.put(sampleRunRecord(3, 'run-good'));
    await store.putRaw({ id: 'run-damaged', kind: 'train' });
    const { runs, invalid } = await store.list();
    expect(runs.map((r) => r.id)).toEqual(['run-good']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0].key).toBe('run-damaged');
    expect(invalid[0].message).toMatch(/IndexedDB .*: run 'run-damaged': field/);
    await expect(store.get('run-damaged')).rejects.toThrow(/run-damaged/);
    await store.clear();
    expect((await store.list()).runs).toEqual([]);
    store.close();
  });
});
