// The recipe store in Node: an export through a stand-in worker client (download called once, the zip not
// kept, a cancel said in words) and results files read into runs (fixtures of each trainer, a manifest tying a
// log to its lab run, per-file errors naming file and line).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { defaultGrpoConfig } from '../rl/config.ts';
import { RECIPE_MANIFEST_FORMAT, RECIPE_MANIFEST_VERSION } from '../recipe/manifest.ts';
import type { RunRecord } from '../runs/record.ts';
import { sampleRunRecord } from '../runs/sample-run.ts';
import type { EngineClient } from '../worker/client.ts';
import type { RecipeExportResult } from '../worker/protocol.ts';
import { createRecipeStore } from './recipe.ts';
import type { TextFile } from './runs.ts';

const fixture = (name: string): TextFile => {
  const text = readFileSync(new URL(`../recipe/fixtures/${name}`, import.meta.url), 'utf8');
  return { name, size: text.length, text: async () => text };
};
const textFile = (name: string, text: string): TextFile => ({ name, size: text.length, text: async () => text });
const choice = { target: 'trl' as const, images: 'embed' as const, datasetId: 'ds-1', launch: { model: 'm', nnodes: 1, gpusPerNode: 8 } };

/** A client whose 'recipe/export' answers with `answer` (or fails with it) after one progress message. */
function fakeClient(answer: Partial<RecipeExportResult> | Error, seen: unknown[] = []): () => EngineClient {
  const client = {
    request: async (type: string, params: unknown, opts: { onProgress?: (p: unknown) => void }) => {
      seen.push({ type, params });
      opts.onProgress?.({ phase: 'zipping', done: 3, total: 4, unit: 'steps' });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return () => client as unknown as EngineClient;
}

describe('recipe export in the store', () => {
  it('downloads the zip once, keeps the mapping without the bytes, and clears the job', async () => {
    const saved: [string, number][] = [];
    const seen: unknown[] = [];
    const zip = new Uint8Array([80, 75, 3, 4, 9, 9]);
    const answer = { fileName: 'run-trl.zip', zip, fields: [], fixed: [], otherUnmapped: [] } as unknown as RecipeExportResult;
    const store = createRecipeStore({ client: fakeClient(answer, seen), save: (name, bytes) => saved.push([name, bytes.length]) });
    const run = sampleRunRecord(3, 'run-x');
    await store.getState().exportRun(run, choice);
    expect(saved).toEqual([['run-trl.zip', 6]]);
    expect(seen).toEqual([{ type: 'recipe/export', params: { run, ...choice } }]);
    const done = store.getState().exports['run-x'];
    expect(done.zipBytes).toBe(6);
    expect('zip' in done.result).toBe(false);
    expect(store.getState().job).toBeNull();
    expect(store.getState().exportError).toBeNull();
  });

  it('says a cancel or a failure in words, naming the run, and downloads nothing', async () => {
    const saved: string[] = [];
    const cancelled = Object.assign(new Error('Cancelled by the user'), { name: 'CancelledError' });
    const store = createRecipeStore({ client: fakeClient(cancelled), save: (name) => saved.push(name) });
    const run = { ...sampleRunRecord(3, 'run-y'), name: 'Baseline' };
    await store.getState().exportRun(run, choice);
    expect(store.getState().exportError).toEqual({ runId: 'run-y', message: 'TRL recipe of Baseline: cancelled; nothing was downloaded.' });
    const failing = createRecipeStore({ client: fakeClient(new Error("No stored dataset with id 'ds-1'")), save: (name) => saved.push(name) });
    await failing.getState().exportRun(run, choice);
    expect(failing.getState().exportError?.message).toBe("TRL recipe of Baseline failed: No stored dataset with id 'ds-1'");
    expect(saved).toEqual([]);
  });
});

describe('importing results in the store', () => {
  function importer() {
    const runs: RunRecord[] = [];
    const selected: string[] = [];
    const store = createRecipeStore({
      saveRun: async (run) => {
        if (run.name.includes('refuse')) throw new Error('quota exceeded');
        runs.push(run);
      },
      select: (ids) => selected.push(...ids),
    });
    return { store, runs, selected };
  }

  it('reads every trainer fixture into runs, ticks them, and reports format and trainer', async () => {
    const { store, runs, selected } = importer();
    await store.getState().importResults(['trl-trainer_state.json', 'verl-console.log', 'easyr1-console.log', 'wandb-export.csv'].map(fixture));
    const reports = store.getState().imports;
    expect(reports.map((r) => [r.file, r.kind, r.trainer, r.runs.length, r.errors])).toEqual([
      ['trl-trainer_state.json', 'trainer-state', 'trl', 1, []],
      ['verl-console.log', 'verl-console', 'verl', 1, []],
      ['easyr1-console.log', 'easyr1-console', 'easyr1', 1, []],
      ['wandb-export.csv', 'csv', 'trl', 2, []],
    ]);
    expect(reports[0].runs[0]).toMatchObject({ steps: 4 });
    expect(reports[0].runs[0].metrics.slice(0, 4)).toEqual(['reward', 'reward_std', 'frac_reward_zero_std', 'kl']);
    expect(runs.map((r) => r.kind)).toEqual(['imported', 'imported', 'imported', 'imported', 'imported']);
    expect(selected).toEqual(runs.map((r) => r.id));
    expect(store.getState().importing).toBe(false);
  });

  it('ties a log to its lab run with the manifest dropped beside it', async () => {
    const { store, runs } = importer();
    const manifest = {
      format: RECIPE_MANIFEST_FORMAT,
      version: RECIPE_MANIFEST_VERSION,
      target: 'trl',
      runId: 'run-abc',
      runName: 'ASCL + GDQA',
      dataset: { name: 'AnatomySynth', fingerprint: 'f'.repeat(64) },
      grpo: { ...defaultGrpoConfig(), seed: 3 },
      curriculum: {},
      augment: {},
    };
    await store.getState().importResults([textFile('manifest.json', JSON.stringify(manifest)), fixture('trl-trainer_state.json')]);
    const [m, log] = store.getState().imports;
    expect(m).toMatchObject({ kind: 'manifest', errors: [], runs: [] });
    expect(m.linkedTo).toBe('ASCL + GDQA (run-abc), exported for TRL');
    expect(log.linkedTo).toBe('ASCL + GDQA (from manifest.json)');
    expect(runs[0].name).toBe('ASCL + GDQA (trl)');
    expect(runs[0].dataset.fingerprint).toBe('f'.repeat(64));
    expect(runs[0].config.seed).toBe(3);
  });

  it('names the file and the line of a bad log, a bad manifest, and a run storage refused', async () => {
    const { store, runs } = importer();
    const badManifest = JSON.stringify({ format: RECIPE_MANIFEST_FORMAT, version: 99 });
    await store.getState().importResults([
      textFile('metrics.jsonl', '{"step": 1, "data": {"a": 1}}\n{oops\n'),
      textFile('notes.txt', 'hello'),
      textFile('bad-manifest.json', badManifest),
      textFile('refuse.csv', 'step,refuse - reward\n1,0.5\n'),
    ]);
    const byFile = Object.fromEntries(store.getState().imports.map((r) => [r.file, r]));
    expect(byFile['metrics.jsonl'].errors[0]).toMatch(/metrics.jsonl line 2: not JSON/);
    expect(byFile['notes.txt'].errors[0]).toMatch(/notes.txt: not a metrics log/);
    expect(byFile['bad-manifest.json'].errors[0]).toMatch(/bad-manifest.json: field version/);
    expect(byFile['refuse.csv'].errors[0]).toMatch(/refuse.csv: run 'refuse' could not be saved: quota exceeded/);
    expect(runs).toEqual([]);
  });

  it('ties nothing when two manifests come together, and says so', async () => {
    const { store, runs } = importer();
    const manifest = (id: string) =>
      JSON.stringify({ format: RECIPE_MANIFEST_FORMAT, version: RECIPE_MANIFEST_VERSION, target: 'verl', runId: id, runName: id, dataset: { name: 'd', fingerprint: 'f' }, grpo: {}, curriculum: {}, augment: {} });
    await store.getState().importResults([textFile('a/manifest.json', manifest('a')), textFile('b/manifest.json', manifest('b')), fixture('verl-metrics.jsonl')]);
    const reports = store.getState().imports;
    expect(reports[0].errors[0]).toMatch(/2 manifests were dropped together/);
    expect(reports[2].linkedTo).toBeNull();
    expect(runs[0].dataset.fingerprint).toBe('');
  });
});
