// The ONNX text-embedding source on onnxruntime-web's wasm EP in Node, over the tiny model built in code:
// embeddings equal a CPU mean of the table rows of the tokens (masked), names sharing words are closer, a
// pooled output is used as is, and every bad file is refused with its name and the problem in words.
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrtModule } from '../eval/onnx-policy.ts';
import { buildMatMulModel } from '../model/onnx/matmul-model.ts';
import { buildEmbeddingTable, tableSimilarity } from './embedding-table.ts';
import { FIXTURE_SPECIALS, fixtureOnnxModel, fixtureTable, fixtureTokenizerJson, type EmbeddingFixtureOptions } from './onnx-embedding-fixture.ts';
import { loadOnnxEmbedder, parseTokenizerJson } from './onnx-embeddings.ts';
import { cosine } from './similarity.ts';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const WORDS = ['left', 'right', 'lobe', 'liver', 'lung', 'femur', 'kidney', 'upper', 'lower'];
const BASE: EmbeddingFixtureOptions = { words: WORDS, dim: 8, seed: 3, output: 'hidden' };
const ORT = ort as unknown as OrtModule;

function load(options: EmbeddingFixtureOptions = BASE, names = { model: 'tiny.onnx', tokenizer: 'tokenizer.json' }) {
  return loadOnnxEmbedder({ name: names.model, bytes: fixtureOnnxModel(options) }, { name: names.tokenizer, text: fixtureTokenizerJson(options) }, { ort: ORT, batchSize: 3 });
}

/** CPU reference: mean of the table rows of the text's ids (specials included, as they are fed). */
function cpuEmbedding(options: EmbeddingFixtureOptions, text: string): number[] {
  const vocab = [...FIXTURE_SPECIALS, ...options.words];
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  const ids = [2, ...words.map((w) => Math.max(1, vocab.indexOf(w))), 3];
  const table = fixtureTable(options);
  const out = new Array<number>(options.dim).fill(0);
  for (const id of ids) for (let k = 0; k < options.dim; k++) out[k] += table[id * options.dim + k] / ids.length;
  return out;
}

describe('loadOnnxEmbedder (wasm EP)', () => {
  it('mean-pools last_hidden_state over the mask and matches a CPU computation, batched or not', async () => {
    const e = await load();
    try {
      expect(e.info).toMatchObject({ id: 'onnx:tiny', dim: 8, vocabSize: 13, inputs: ['input_ids', 'attention_mask'], output: { name: 'last_hidden_state', pooling: 'mean' } });
      expect(e.encode('Left liver')).toEqual({ ids: [2, 4, 7, 3], mask: [1, 1, 1, 1], typeIds: [0, 0, 0, 0] });
      // Different lengths in one batch: the padded positions must not enter the mean.
      const texts = ['liver', 'left lobe liver', 'right lower lung lobe', 'femur'];
      const got = await e.embed(texts);
      texts.forEach((t, i) => {
        const want = cpuEmbedding(BASE, t);
        want.forEach((v, k) => expect(got[i][k]).toBeCloseTo(v, 5));
      });
      const one = await e.embed(['left lobe liver']);
      Array.from(one[0]).forEach((v, k) => expect(v).toBeCloseTo(got[1][k], 6));
    } finally {
      await e.dispose();
    }
  });

  it('gives a similarity equal to max(0, cosine) of the pooled vectors; names sharing words are closer', async () => {
    const e = await load();
    try {
      const table = await buildEmbeddingTable(e, ['Left lobe liver', 'Right lobe liver', 'Femur', 'kidney']);
      expect(table.names).toEqual(['femur', 'kidney', 'left lobe liver', 'right lobe liver']);
      const s = tableSimilarity(table);
      const c = cosine(cpuEmbedding(BASE, 'left lobe liver'), cpuEmbedding(BASE, 'femur'));
      expect(s.similarity('Left lobe liver', 'femur')).toBeCloseTo(Math.max(0, c), 5);
      const shared = s.similarity('Left lobe liver', 'Right lobe liver');
      expect(shared).toBeGreaterThan(s.similarity('Left lobe liver', 'Femur'));
      expect(shared).toBeGreaterThan(s.similarity('Left lobe liver', 'Kidney'));
      expect(s.similarity('Femur', 'femur.')).toBe(1);
      expect(s.id).toBe('onnx:tiny');
    } finally {
      await e.dispose();
    }
  });

  it('uses a pooled sentence_embedding output as is and feeds token_type_ids when declared', async () => {
    const opts: EmbeddingFixtureOptions = { ...BASE, output: 'pooled', tokenTypeIds: true, clsSep: false };
    const e = await load(opts, { model: 'pooled.onnx', tokenizer: 'tokenizer.json' });
    try {
      expect(e.info.output).toEqual({ name: 'sentence_embedding', pooling: 'pooled' });
      expect(e.info.inputs).toContain('token_type_ids');
      const [v] = await e.embed(['upper lobe']);
      const table = fixtureTable(opts);
      const ids = [4 + WORDS.indexOf('upper'), 4 + WORDS.indexOf('lobe')];
      for (let k = 0; k < 8; k++) expect(v[k]).toBeCloseTo((table[ids[0] * 8 + k] + table[ids[1] * 8 + k]) / 2, 5);
    } finally {
      await e.dispose();
    }
  });

  it('refuses bad files with the file named and the problem in words', async () => {
    const tok = { name: 'tokenizer.json', text: fixtureTokenizerJson(BASE) };
    const model = { name: 'tiny.onnx', bytes: fixtureOnnxModel(BASE) };
    await expect(loadOnnxEmbedder({ name: 'notes.onnx', bytes: new TextEncoder().encode('this is plainly not a protobuf model') }, tok, { ort: ORT })).rejects.toThrow(/notes\.onnx: not an ONNX model/);
    await expect(loadOnnxEmbedder({ name: 'model.bin', bytes: model.bytes }, tok, { ort: ORT })).rejects.toThrow(/model\.bin: expected a \.onnx/);
    await expect(loadOnnxEmbedder(model, { name: 'tok.json', text: '{ not json' }, { ort: ORT })).rejects.toThrow(/tok\.json: not JSON/);
    await expect(loadOnnxEmbedder(model, { name: 'tok.json', text: '{"version":"1.0"}' }, { ort: ORT })).rejects.toThrow(/tok\.json: .*no 'model'/);
    await expect(loadOnnxEmbedder(model, { name: 'tok.json', text: '{"model":{"type":"Nonsense","vocab":{}}}' }, { ort: ORT })).rejects.toThrow(/tok\.json: malformed tokenizer\.json: model type 'Nonsense'/);
    await expect(loadOnnxEmbedder(model, { name: 'tok.json', text: '{"model":{"type":"WordPiece","vocab":{}}}' }, { ort: ORT })).rejects.toThrow(/tok\.json: malformed tokenizer\.json: the vocabulary is empty/);
    await expect(loadOnnxEmbedder({ name: 'vision.onnx', bytes: fixtureOnnxModel({ ...BASE, extraInput: 'pixel_values' }) }, tok, { ort: ORT })).rejects.toThrow(/vision\.onnx: .*'pixel_values'.*cannot feed/);
    // A float-input MatMul: its inputs are not token ids.
    await expect(loadOnnxEmbedder({ name: 'matmul.onnx', bytes: buildMatMulModel(2, 3, 4) }, tok, { ort: ORT })).rejects.toThrow(/matmul\.onnx: .*'A'.*cannot feed/);
    expect(() => parseTokenizerJson('[1, 2]', 'list.json')).toThrow(/list\.json: not a tokenizer\.json/);
  });
});

describe('loadOnnxEmbedder output shapes', () => {
  it('refuses an output it cannot pool, naming the output and its shape', async () => {
    const { OnnxGraphBuilder } = await import('../model/onnx/graph.ts');
    const g = new OnnxGraphBuilder('flat');
    const ids = g.input('input_ids', ['batch', 'tokens'], 'int64');
    const states = g.gather(g.initializer('table', fixtureTable(BASE), [13, 8]), ids);
    g.output(g.reshape(states, [-1, 8]), ['rows', 8], 'float', 'token_rows');
    await expect(loadOnnxEmbedder({ name: 'flat.onnx', bytes: g.build() }, { name: 'tokenizer.json', text: fixtureTokenizerJson(BASE) }, { ort: ORT }))
      .rejects.toThrow(/flat\.onnx: output 'token_rows' has shape \[3, 8\] for 1 text\(s\) of 3 tokens/);
  });
});
