// The Model panel's worker requests in Node: a dropped checkpoint is loaded or refused (naming tensor and shape),
// both exports come back as loadable bytes, and try-it generates on the CPU backend when there is no GPU.
import { describe, expect, it } from 'vitest';
import '../test/node-gpu.ts'; // WebGPU's globals (GPUBufferUsage), which the backend module reads at import
import type { VqaRecord } from '../data/record.ts';
import type { DatasetStore } from '../data/storage/dataset-store.ts';
import { MODEL_PRESETS, parameterShapes, validateModelConfig } from '../model/config.ts';
import { initialValues } from '../model/policy/parameters.ts';
import { encodeSafetensors, readCheckpoint, writeCheckpoint } from '../model/safetensors.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { evalPromptText } from '../eval/prompt.ts';
import type { HandlerContext, JobContext } from './handler-types.ts';
import { modelHandlers } from './model-handlers.ts';

const record: VqaRecord = { id: 'r1', image: '', question: 'Which organ?', options: ['liver', 'spleen'], goldIndex: 0, answer: 'liver', open: false, questionType: '', modality: 'CT', anatomy: 'liver', source: 't', split: 'test' };

function checkpoint(): Uint8Array {
  const tokenizer = trainTokenizer([evalPromptText(record), evalPromptText(record)], { vocabSize: 400 });
  const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, maxSeqLen: 128 });
  const weights = new Map(parameterShapes(config).map((s) => [s.name, initialValues(s, 1)]));
  return writeCheckpoint(config, tokenizer, weights);
}

const ctx = { session: { device: () => Promise.reject(new Error('no GPU in Node')) } } as unknown as HandlerContext;
const job = { signal: new AbortController().signal, progress: () => {} } as JobContext<never>;
const store = { get: async (id: string) => (id === 'd1' ? { meta: { name: 'D' }, records: [record], dropped: 0 } : null), getImage: async () => null } as unknown as DatasetStore;

describe('model handlers', () => {
  it('loads a dropped checkpoint, exports ONNX and safetensors, and generates on the CPU', async () => {
    const h = modelHandlers(ctx, { openStore: async () => store, loadPretrained: async () => null });
    expect((await h['model/current']({}, job)).model).toBeNull();
    const s = await h['model/load']({ source: { kind: 'file', name: 'my run.safetensors', bytes: checkpoint() } }, job);
    expect(s.parameters).toBeGreaterThan(100_000);
    expect(s.tokenizerSize).toBe(s.config.vocabSize);
    const onnx = await h['model/export']({ format: 'onnx' }, job);
    expect(onnx.fileName).toBe('my-run.onnx');
    expect(onnx.bytes.length).toBeGreaterThan(s.parameters * 4);
    const st = await h['model/export']({ format: 'safetensors' }, job);
    expect(readCheckpoint(st.bytes).config).toEqual(s.config);
    const g = await h['model/generate']({ datasetId: 'd1', recordId: 'r1', sampling: { greedy: true, temperature: 1, topP: 1, topK: 0, maxNewTokens: 4, seed: 1 } }, job);
    expect(g.engine).toBe('cpu');
    expect(g.tokens).toBeGreaterThan(0);
    expect(g.prompt.startsWith('<image>')).toBe(true);
  });

  it('refuses a checkpoint whose tensors do not match its config, naming tensor and shape', async () => {
    const h = modelHandlers(ctx, { openStore: async () => store, loadPretrained: async () => null });
    const tokenizer = trainTokenizer(['x'], { vocabSize: 280 });
    const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize });
    const weights = new Map(parameterShapes(config).map((sp) => [sp.name, initialValues(sp, 1)]));
    // The same tensors under a config with a wider decoder: every decoder tensor now disagrees with it.
    const patched = encodeSafetensors(
      parameterShapes(config).map((sp) => ({ name: sp.name, shape: sp.shape, data: weights.get(sp.name)! })),
      { format: 'anatomy-r1-lab/policy', config: JSON.stringify({ ...config, decoderWidth: 96 }), tokenizer: JSON.stringify(tokenizer.toJSON()) },
    );
    await expect(h['model/load']({ source: { kind: 'file', name: 'bad.safetensors', bytes: patched } }, job)).rejects.toThrow(/bad\.safetensors: tensor '.*' has shape \[.*\], the config expects \[.*\]/);
    await expect(h['model/load']({ source: { kind: 'pretrained' } }, job)).rejects.toThrow(/not in this build/);
    await expect(h['model/export']({ format: 'onnx' }, job)).rejects.toThrow(/Load a model first/);
  });
});
