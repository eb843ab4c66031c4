import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { CurriculumControlsStore, restoreCurriculumControls } from './controls-store.ts';

describe('curriculum controls', () => {
  it('restores known fields, drops duplicates and names the bad field', () => {
    expect(restoreCurriculumControls({ excluded: ['a', 'a', 'b'], moves: [{ id: 'c', step: 3 }], junk: 1 })).toEqual({ excluded: ['a', 'b'], pinned: [], moves: [{ id: 'c', step: 3 }] });
    expect(() => restoreCurriculumControls({ pinned: [3] })).toThrow(/pinned\[0\]/);
    expect(() => restoreCurriculumControls({ moves: [{ id: 'c', step: 1.5 }] })).toThrow(/moves\[0\]\.step/);
    expect(() => restoreCurriculumControls([])).toThrow(/expected an object/);
  });

  it('keeps controls per fingerprint and reads a broken row as empty', async () => {
    const store = await CurriculumControlsStore.open('controls-store-test');
    await store.put('fp1', { excluded: ['x'], pinned: [], moves: [] });
    expect(await store.get('fp1')).toEqual({ excluded: ['x'], pinned: [], moves: [] });
    expect(await store.get('fp2')).toEqual({ excluded: [], pinned: [], moves: [] });
    await expect(store.put('fp3', { excluded: [5 as unknown as string], pinned: [], moves: [] })).rejects.toThrow(/excluded\[0\]/);
    store.close();
  });
});
