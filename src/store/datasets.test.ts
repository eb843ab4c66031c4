// The Data panel's store against a real engine handler in the same process (fake-indexeddb, Node Files): the
// demo on first start, a pick -> preview -> import, browsing with filters, a cancel, a delete.
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { encodePng } from '../data/index.ts';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import { EngineHandler } from '../worker/handler.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createDatasetsStore } from './datasets.ts';

function inProcessClient(): EngineClient {
  const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
  const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  return new EngineClient(port);
}

const until = async (cond: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function pickedFolder(): File[] {
  const rows = [
    { id: 'a', image: 'img/a.png', question: 'Organ?', options: ['Liver', 'Gut'], answer: 'Gut', split: 'train' },
    { id: 'b', image: 'img/a.png', question: 'Side?', options: ['Left', 'Right'], answer: 'Left', split: 'test' },
  ];
  const file = (path: string, body: BlobPart) => {
    const f = new File([body], path.replace(/^.*\//, ''));
    Object.defineProperty(f, 'webkitRelativePath', { value: path });
    return f;
  };
  return [
    file('set/data.jsonl', rows.map((r) => JSON.stringify(r)).join('\n')),
    file('set/img/a.png', encodePng({ width: 2, height: 2, data: new Uint8Array(12) }) as Uint8Array<ArrayBuffer>),
  ];
}

describe('datasets store', () => {
  it('opens with AnatomySynth, previews and imports a pick, browses, deletes', async () => {
    const client = inProcessClient();
    const store = createDatasetsStore(() => client);
    const phases: string[] = [];
    store.subscribe((s) => s.job && phases.push(s.job.progress.phase));
    await store.getState().init();
    const s0 = store.getState();
    expect(s0.datasets.map((d) => d.format)).toEqual(['synth']);
    expect(phases).toContain('hashing and saving');
    await until(() => store.getState().browser.page !== null);
    expect(store.getState().browser.page?.total).toBe(2000);

    await store.getState().pickFiles(pickedFolder());
    const pending = store.getState().pending!;
    expect(pending).toMatchObject({ status: 'ready', name: 'set' });
    expect(pending.preview?.format).toBe('generic-table');

    // Node has no createImageBitmap: the image is listed as a decode failure, the records are stored.
    await store.getState().importPending();
    const s1 = store.getState();
    expect(s1.pending).toBeNull();
    expect(s1.jobError).toBeNull();
    expect(s1.lastImport?.result.meta).toMatchObject({ name: 'set', recordCount: 2, imageCount: 0 });
    expect(s1.lastImport?.result.decodeFailures).toHaveLength(1);
    expect(s1.datasets).toHaveLength(2);
    expect(s1.browser.datasetId).toBe(s1.lastImport?.result.meta?.id);

    await store.getState().setFilters({ split: 'test' });
    expect(store.getState().browser.page?.records.map((r) => r.id)).toEqual(['b']);
    await store.getState().setFilters({ split: '', text: 'organ' });
    expect(store.getState().browser.page?.records.map((r) => r.id)).toEqual(['a']);

    await store.getState().deleteDataset(s1.lastImport!.result.meta!.id);
    expect(store.getState().datasets.map((d) => d.format)).toEqual(['synth']);
    await until(() => store.getState().browser.page?.total === 2000);
  });

  it('a cancelled import says so and stores nothing', async () => {
    const client = inProcessClient();
    const store = createDatasetsStore(() => client);
    await store.getState().pickFiles(pickedFolder());
    const run = store.getState().importPending();
    store.getState().cancelJob();
    await run;
    expect(store.getState().jobError).toEqual({ kind: 'import', message: 'Importing set: cancelled; nothing was stored.' });
    expect(store.getState().pending).not.toBeNull();
    expect((await client.request('data/list', {})).datasets.filter((d) => d.name === 'set')).toEqual([]);
  });
});
