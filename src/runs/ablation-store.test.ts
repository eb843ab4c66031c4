import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { summarizeAblation, type AblationRun } from './ablation.ts';
import { AblationStore, type StoredAblation } from './ablation-store.ts';

const runs: AblationRun[] = [
  { method: 'GRPO', seed: 0, evalAccuracy: 0.4, rewardCurve: [0.1, 0.2], fracZeroStdCurve: [1, 0.5], meanSimilarityCurve: [0.6, 0.6] },
  { method: 'GRPO+ASCL', seed: 0, evalAccuracy: 0.5, rewardCurve: [0.2, 0.3], fracZeroStdCurve: [0.5, 0.5], meanSimilarityCurve: [0.2, 0.4] },
];
const entry = (id: string, importedAt: string): StoredAblation => ({ id, file: `${id}.json`, importedAt, result: { runs, summary: summarizeAblation(runs) } });

describe('AblationStore (IndexedDB via fake-indexeddb)', () => {
  it('puts, lists newest import first, survives reopening, deletes', async () => {
    let store = await AblationStore.open('test-ablations-1');
    await store.put(entry('a', '2026-11-25T10:00:00.000Z'));
    await store.put(entry('b', '2026-11-25T11:00:00.000Z'));
    store.close();
    store = await AblationStore.open('test-ablations-1');
    const { ablations, invalid } = await store.list();
    expect(ablations.map((x) => x.id)).toEqual(['b', 'a']);
    expect(ablations[1]).toEqual(entry('a', '2026-11-25T10:00:00.000Z'));
    expect(invalid).toEqual([]);
    await store.delete('b');
    expect((await store.list()).ablations.map((x) => x.id)).toEqual(['a']);
    store.close();
  });

  it('lists a damaged entry by key with the field, and refuses to save one', async () => {
    const store = await AblationStore.open('test-ablations-2');
    const bad = entry('bad', '2026-11-25T10:00:00.000Z');
    await store.putRaw({ ...bad, result: { ...bad.result, runs: [{ ...runs[0], seed: -1 }, runs[1]] } });
    const { ablations, invalid } = await store.list();
    expect(ablations).toEqual([]);
    expect(invalid[0].key).toBe('bad');
    expect(invalid[0].message).toMatch(/field runs\.0\.seed/);
    await expect(store.put({ ...bad, result: { ...bad.result, summary: [] } })).rejects.toThrow(/field summary: has 0 rows/);
    store.close();
  });
});
