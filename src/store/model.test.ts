// The Model panel's store against a real engine handler in the same process (fake-indexeddb, no GPU, so try-it
// runs on the CPU reference backend): a refused checkpoint keeps its message, a good one loads, both exports
// come back, and the try-it box answers an AnatomySynth record.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { evalPromptText } from '../eval/prompt.ts';
import { MODEL_PRESETS, parameterShapes, validateModelConfig } from '../model/config.ts';
import { initialValues } from '../model/policy/parameters.ts';
import { encodeSafetensors, writeCheckpoint } from '../model/safetensors.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { EngineClient, type MessagePort } from '../worker/client.ts';
import { EngineHandler } from '../worker/handler.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import { createModelStore } from './model.ts';

function inProcessClient(): EngineClient {
  const port: MessagePort = { onmessage: null, postMessage: (msg: ToWorker) => void handler.receive(structuredClone(msg)) };
  const handler = new EngineHandler(undefined, (msg: FromWorker) => port.onmessage?.({ data: structuredClone(msg) } as MessageEvent<FromWorker>));
  return new EngineClient(port);
}

describe('model store', () => {
  it('refuses a mismatching checkpoint in words, loads a good one, exports both, tries a record', async () => {
    const client = inProcessClient();
    const store = createModelStore(() => client);
    await store.getState().init();
    expect(store.getState()).toMatchObject({ status: 'ready', current: null, pretrainedAvailable: false });

    const tokenizer = trainTokenizer([evalPromptText({ id: 'x', image: '', question: 'There is an object that is above the gut; what is it?', options: ['Omentum', 'Stomach'], goldIndex: 0, answer: 'Omentum', open: false, questionType: '', modality: '', anatomy: '', source: '', split: 'train' })], { vocabSize: 400 });
    const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, maxSeqLen: 512 });
    const weights = new Map(parameterShapes(config).map((s) => [s.name, initialValues(s, 2)]));
    const bad = encodeSafetensors(
      parameterShapes(config).map((s) => ({ name: s.name, shape: s.shape, data: weights.get(s.name)! })),
      { format: 'anatomy-r1-lab/policy', config: JSON.stringify({ ...config, visionWidth: 48 }), tokenizer: JSON.stringify(tokenizer.toJSON()) },
    );
    await store.getState().loadFile(new File([bad as Uint8Array<ArrayBuffer>], 'bad.safetensors'));
    expect(store.getState().status).toBe('error');
    expect(store.getState().loadError).toBe("bad.safetensors: tensor 'vision.patch_embed.weight' has shape [192, 32], the config expects [192, 48]");
    await store.getState().loadFile(new File([new Uint8Array(4)], 'model.onnx'));
    expect(store.getState().loadError).toMatch(/not a \.safetensors checkpoint/);

    await store.getState().loadFile(new File([writeCheckpoint(config, tokenizer, weights) as Uint8Array<ArrayBuffer>], 'good.safetensors'));
    expect(store.getState()).toMatchObject({ status: 'ready', loadError: null });
    expect(store.getState().current?.tokenizerSize).toBe(tokenizer.vocabSize);
    const onnx = await store.getState().exportAs('onnx');
    expect(onnx?.fileName).toBe('good.onnx');
    expect(store.getState().lastExport).toEqual({ fileName: 'good.onnx', bytes: onnx!.bytes.length });

    const demo = await client.request('data/ensure-demo', {});
    await store.getState().pickDataset(demo.meta!.id);
    expect(store.getState().tryIt.records.length).toBeGreaterThan(0);
    store.getState().setSampling({ maxNewTokens: 3 });
    await store.getState().generate();
    const t = store.getState().tryIt;
    expect(t.error).toBeNull();
    expect(t.result).toMatchObject({ engine: 'cpu', tokens: 3, finish: 'length' });
  }, 120_000);
});
