import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { createRunsStore, TRAINING_NOT_READY, type TextFile } from './runs.ts';
import { RunStore } from '../runs/store.ts';
import { exportRunsJson } from '../runs/export.ts';
import { sampleRunRecord } from '../runs/sample-run.ts';
import { encodeRunUrl } from '../share/codec.ts';

let dbCount = 0;
const freshStore = () => {
  const name = `runs-ui-test-${++dbCount}`;
  return { name, store: createRunsStore(() => RunStore.open(name)) };
};
const file = (name: string, text: string): TextFile => ({ name, text: async () => text });
const runA = () => ({ ...sampleRunRecord(10, 'run-a'), name: 'baseline', createdAt: '2026-11-20T10:00:00.000Z' });
const runB = () => ({ ...sampleRunRecord(10, 'run-b'), name: '+ASCL', createdAt: '2026-11-24T10:00:00.000Z' });

describe('runs store: import, select, delete', () => {
  it('imports a bundle, reports every bad file and run by name, run and field, and lists newest first', async () => {
    const { store } = freshStore();
    await store.getState().load();
    expect(store.getState().status).toBe('ready');
    expect(store.getState().runs).toEqual([]);
    const badRun = { ...sampleRunRecord(3, 'run-bad'), config: { ...sampleRunRecord(3).config, seed: 'seven' } };
    await store.getState().importFiles([
      file('two.json', exportRunsJson([runA(), runB()])),
      file('notes.txt', 'hello'),
      file('mixed.json', JSON.stringify([runA(), badRun])),
      file('empty.json', '[]'),
    ]);
    const s = store.getState();
    expect(s.runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    expect(s.imports.map((r) => r.file)).toEqual(['two.json', 'notes.txt', 'mixed.json', 'empty.json']);
    expect(s.imports[0]).toEqual({ file: 'two.json', imported: ['baseline', '+ASCL'], replaced: 0, errors: [] });
    expect(s.imports[1].imported).toEqual([]);
    expect(s.imports[1].errors[0]).toMatch(/^notes\.txt: not JSON/);
    // The good run of mixed.json replaces run-a (same id); the bad one is named by file, position, id and field.
    expect(s.imports[2].imported).toEqual(['baseline']);
    expect(s.imports[2].replaced).toBe(1);
    expect(s.imports[2].errors).toHaveLength(1);
    expect(s.imports[2].errors[0]).toMatch(/^mixed\.json \[run 1\]: run 'run-bad': field config\.seed/);
    expect(s.imports[3].errors).toEqual(['empty.json: holds no runs']);
  });

  it('keeps the selection to runs that exist and drops a deleted run from it', async () => {
    const { store } = freshStore();
    await store.getState().importFiles([file('two.json', exportRunsJson([runA(), runB()]))]);
    store.getState().toggleSelected('run-a');
    store.getState().toggleSelected('run-b');
    expect(store.getState().selected).toEqual(['run-a', 'run-b']);
    store.getState().toggleSelected('run-a');
    expect(store.getState().selected).toEqual(['run-b']);
    store.getState().setSelected(['run-a', 'ghost', 'run-b']);
    expect(store.getState().selected).toEqual(['run-a', 'run-b']);
    await store.getState().deleteRun('run-a');
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-b']);
    expect(store.getState().selected).toEqual(['run-b']);
  });

  it('saves a run made in this tab, refuses an invalid one in words, and skips a file far over the limit unread', async () => {
    const { store } = freshStore();
    await store.getState().saveRun(runA());
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-a']);
    const bad = runB();
    bad.history.points[0].values.reward = Infinity;
    await store.getState().saveRun(bad);
    expect(store.getState().actionError).toMatch(/^Run 'run-b' could not be saved in this browser: .*field history\.points\.0\.values\.reward/);
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-a']);
    let read = false;
    await store.getState().importFiles([{ name: 'huge.json', size: 5e9, text: async () => ((read = true), '[]') }]);
    expect(read).toBe(false);
    expect(store.getState().imports[0].errors[0]).toMatch(/^huge\.json: file is 5000 MB/);
  });

  it('survives a reload: a second store over the same database lists the imported runs', async () => {
    const { name, store } = freshStore();
    await store.getState().importFiles([file('two.json', exportRunsJson([runA(), runB()]))]);
    const again = createRunsStore(() => RunStore.open(name));
    await again.getState().load();
    expect(again.getState().runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
  });

  it('says so when IndexedDB cannot be opened, and tries again on the next action', async () => {
    let fail = true;
    const store = createRunsStore(() => (fail ? Promise.reject(new Error('QuotaExceededError')) : RunStore.open(`runs-ui-test-${++dbCount}`)));
    await store.getState().load();
    expect(store.getState().status).toBe('error');
    expect(store.getState().storageError).toMatch(/could not be read: QuotaExceededError/);
    await store.getState().importFiles([file('a.json', JSON.stringify(runA()))]);
    expect(store.getState().actionError).toMatch(/not available \(QuotaExceededError\)/);
    fail = false;
    await store.getState().importFiles([file('a.json', JSON.stringify(runA()))]);
    expect(store.getState().status).toBe('ready');
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-a']);
  });
});

describe('runs store: shared links', () => {
  it('opens a shared run read-only, saves it once, and never overwrites a local run with the same id', async () => {
    const { store } = freshStore();
    await store.getState().load();
    const { url } = encodeRunUrl(runA());
    store.getState().openShared(url);
    let shared = store.getState().shared;
    expect(shared.status).toBe('open');
    if (shared.status !== 'open') return;
    expect(shared.saved).toBe('no');
    expect(shared.run.history).toEqual(runA().history);
    expect(store.getState().runs).toEqual([]); // opening saves nothing
    await store.getState().saveShared();
    expect(store.getState().shared).toMatchObject({ status: 'open', saved: 'saved' });
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-a']);

    // A local run-a with other notes exists: opening a link to run-a finds it and saving keeps the local copy.
    const { store: other } = freshStore();
    await other.getState().importFiles([file('a.json', JSON.stringify({ ...runA(), notes: 'the full local copy' }))]);
    other.getState().openShared(url);
    shared = other.getState().shared;
    expect(shared.status === 'open' && shared.saved).toBe('already-local');
    await other.getState().saveShared();
    expect(other.getState().runs[0].notes).toBe('the full local copy');
  });

  it('keeps a local copy that another tab saved after the link was opened', async () => {
    const { name, store } = freshStore();
    await store.getState().load();
    store.getState().openShared(encodeRunUrl(runA()).url);
    const otherTab = await RunStore.open(name);
    await otherTab.put({ ...runA(), notes: 'saved by another tab' });
    await store.getState().saveShared();
    expect(store.getState().shared).toMatchObject({ status: 'open', saved: 'already-local' });
    expect(store.getState().runs.map((r) => r.notes)).toEqual(['saved by another tab']);
    otherTab.close();
  });

  it('a bad link becomes an error state with the decoder code; local runs are untouched', async () => {
    const { store } = freshStore();
    await store.getState().importFiles([file('two.json', exportRunsJson([runA(), runB()]))]);
    const { url } = encodeRunUrl(runA());
    const cases: Array<[string, string]> = [
      [url.slice(0, url.length - 40), 'corrupt'],
      ['http://127.0.0.1:5173/#run=v9.AAAA', 'unknown-version'],
      ['http://127.0.0.1:5173/#run=v1.ab+c', 'bad-base64'],
      ['http://127.0.0.1:5173/#other=1', 'no-run'],
    ];
    for (const [bad, code] of cases) {
      store.getState().openShared(bad);
      const shared = store.getState().shared;
      expect(shared.status).toBe('error');
      if (shared.status === 'error') {
        expect(shared.code).toBe(code);
        expect(shared.message.length).toBeGreaterThan(20);
      }
    }
    expect(store.getState().runs.map((r) => r.id)).toEqual(['run-b', 'run-a']);
    store.getState().closeShared();
    expect(store.getState().shared).toEqual({ status: 'none' });
  });

  it('lets local runs be overlaid on the shared run and the reproduce hook says training is not there yet', async () => {
    const { store } = freshStore();
    await store.getState().importFiles([file('b.json', JSON.stringify(runB()))]);
    store.getState().openShared(encodeRunUrl(runA()).url);
    store.getState().toggleSharedCompare('run-b');
    expect(store.getState().sharedCompare).toEqual(['run-b']);
    await store.getState().deleteRun('run-b');
    expect(store.getState().sharedCompare).toEqual([]);
    store.getState().setLocalDatasetFingerprints([runA().dataset.fingerprint]);
    expect(store.getState().localDatasetFingerprints).toEqual(['sha256:0f3a9c']);
    const shared = store.getState().shared;
    if (shared.status === 'open') store.getState().reproduce(shared.run);
    expect(store.getState().reproduceNotice).toBe(TRAINING_NOT_READY);
    expect(store.getState().runs).toEqual([]); // no run was made up
  });
});
