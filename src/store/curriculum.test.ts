// The Curriculum and Augmentation stores against a real engine handler in the same process (fake-indexeddb):
// the dataset chosen from the Data store, a config that restore rejects kept as a draft with its message, mode
// off and back, a control that changes the queue, the pair explorer, and the augmentation preview's groups.
import 'fake-indexeddb/auto';
import { describe, it, expect } from 'vitest';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import { EngineHandler } from '../worker/handler.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createAugmentStore } from './augment.ts';
import { createCurriculumStore } from './curriculum.ts';
import { useDatasetsStore } from './datasets.ts';

function inProcessClient(): EngineClient {
  const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
  const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  return new EngineClient(port);
}

const until = async (cond: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('curriculum and augmentation stores', () => {
  it('analyse the Data store’s dataset, keep bad configs as drafts, apply controls, preview groups', async () => {
    const client = inProcessClient();
    // A small AnatomySynth stands in for the one the Data panel makes on first start.
    const demo = await client.request('data/ensure-demo', { synth: { questions: 120, imageSize: 16 }, force: true });
    useDatasetsStore.setState({ datasets: demo.listing.datasets, status: 'ready' });
    const cur = createCurriculumStore(() => client);
    await cur.getState().refresh();
    await until(() => cur.getState().status === 'ready');
    const a = cur.getState().analysis!;
    expect(a.datasetId).toBe(demo.meta!.id);
    expect(a.queue).toHaveLength(3);
    expect(a.queue[0].questions).toHaveLength(8);

    cur.getState().setPacing({ holdUntil: 0.9, rampUntil: 0.5 });
    expect(cur.getState().configError).toMatch(/rampUntil/);
    expect(cur.getState().config.pacing.holdUntil).toBe(0.9);
    cur.getState().setPacing({ holdUntil: 0.25, rampUntil: 0.8 });
    expect(cur.getState().configError).toBeNull();

    cur.getState().setMode('off');
    expect(cur.getState().config).toMatchObject({ enabled: false, mode: 'both' });
    await until(() => cur.getState().status === 'ready' && cur.getState().analysis!.curve.every((p) => p.level === 1));
    cur.getState().setMode('reorder');
    expect(cur.getState().config).toMatchObject({ enabled: true, mode: 'reorder' });
    await until(() => cur.getState().status === 'ready' && cur.getState().analysis!.curve[0].level === 0);

    const victim = cur.getState().analysis!.queue[0].questions[0].id;
    await cur.getState().control({ kind: 'exclude', id: victim });
    await until(() => cur.getState().status === 'ready');
    expect(cur.getState().analysis!.queue.flatMap((s) => s.questions.map((q) => q.id))).not.toContain(victim);
    await cur.getState().control({ kind: 'pin', id: 'no-such-question' });
    expect(cur.getState().controlError).toMatch(/no-such-question/);

    await cur.getState().explainPair('Liver', 'Femur');
    expect(cur.getState().pair.result?.rule).toBe('lexicon');
    expect(cur.getState().pair.result!.similarity).toBeLessThan(0.3);

    // The augmentation store reads the dataset through the default curriculum store; point it there.
    const { useCurriculumStore } = await import('./curriculum.ts');
    useCurriculumStore.setState({ chosenDatasetId: demo.meta!.id });
    const aug = createAugmentStore(() => client);
    globalThis.URL.createObjectURL ??= () => 'blob:test';
    await aug.getState().refresh();
    await until(() => aug.getState().status === 'ready');
    expect(aug.getState().groups).toHaveLength(3);
    expect(aug.getState().groups[0].variants).toHaveLength(4);
    expect(aug.getState().saveTemplates([{ id: 'x', slots: {}, templates: ['only one'] }])).toBe(false);
    expect(aug.getState().templateError).toMatch(/at least two phrasings.*family "x"/);
    expect(aug.getState().saveTemplates([{ id: 'x', slots: { organ: null }, templates: ['Which organ is {organ}?', 'What organ is {organ}?'] }])).toBe(true);
    expect(aug.getState().config.templates).toHaveLength(1);
  }, 120_000);
});
