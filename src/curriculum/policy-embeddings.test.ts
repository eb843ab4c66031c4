// The 'policy' similarity source: a name's vector is the mean of its tokens' rows of the decoder's token
// embeddings (checked by hand against the tokenizer and the table), weights null means the seeded initial
// values, similarity is max(0, cosine), names sharing tokens are closer, and the table survives restore.
import { describe, expect, it } from 'vitest';
import { MODEL_PRESETS, validateModelConfig } from '../model/config.ts';
import { PolicyParameters } from '../model/policy/parameters.ts';
import { trainTokenizer } from '../model/tokenizer.ts';
import { CpuBackend } from '../tensor/cpu-backend.ts';
import { cosineToSimilarity, restoreEmbeddingTable, tableSimilarity } from './embedding-table.ts';
import { POLICY_EMBEDDING_PARAM, policyEmbeddingMatrix, policyEmbeddingTable } from './policy-embeddings.ts';
import { cosine } from './similarity.ts';

const NAMES = ['Left lobe of liver', 'Right lobe of liver', 'Femur', 'Gallbladder', 'Kidney'];

function setup() {
  const tokenizer = trainTokenizer(['left lobe of liver right lobe of liver femur gallbladder kidney'.repeat(3)], { vocabSize: 300 });
  const config = validateModelConfig({ ...MODEL_PRESETS.micro, vocabSize: tokenizer.vocabSize, seed: 9, initStd: 0.5 });
  return { tokenizer, config };
}

describe('policy embeddings', () => {
  it('mean-pools the token-embedding rows of each name (hand check) and defaults to the seeded initial weights', async () => {
    const { tokenizer, config } = setup();
    const weights = await PolicyParameters.init(new CpuBackend(), config).readAll();
    const fromWeights = policyEmbeddingTable({ name: 'w', config, tokenizer, weights }, NAMES);
    const fromSeed = policyEmbeddingTable({ name: 'seed', config, tokenizer, weights: null }, NAMES);
    expect(Array.from(fromSeed.vectors)).toEqual(Array.from(fromWeights.vectors));
    expect(fromWeights.names).toEqual(['femur', 'gallbladder', 'kidney', 'left lobe of liver', 'right lobe of liver']);
    expect(fromWeights.dim).toBe(config.decoderWidth);

    const E = weights.get(POLICY_EMBEDDING_PARAM)!;
    const D = config.decoderWidth;
    const ids = tokenizer.encode('left lobe of liver');
    const row = fromWeights.names.indexOf('left lobe of liver');
    for (let k = 0; k < D; k++) {
      const want = ids.reduce((a, id) => a + E[id * D + k], 0) / ids.length;
      expect(fromWeights.vectors[row * D + k]).toBeCloseTo(want, 6);
    }
  });

  it('scores max(0, cosine); names sharing tokens are closer; another seed gives other values', () => {
    const { tokenizer, config } = setup();
    const table = policyEmbeddingTable({ name: 'seed', config, tokenizer, weights: null }, NAMES);
    const s = tableSimilarity(table);
    const vec = (n: string) => table.vectors.subarray(table.names.indexOf(n) * table.dim, (table.names.indexOf(n) + 1) * table.dim);
    expect(s.similarity('Femur', 'Kidney')).toBeCloseTo(cosineToSimilarity(cosine(vec('femur'), vec('kidney'))), 6);
    const lobes = s.similarity('Left lobe of liver', 'Right lobe of liver');
    expect(lobes).toBeGreaterThan(0.5);
    for (const other of ['Femur', 'Gallbladder', 'Kidney']) expect(lobes).toBeGreaterThan(s.similarity('Left lobe of liver', other));
    expect(s.similarity('femur', 'Femur.')).toBe(1);
    expect(s.id).toBe('policy');
    expect(s.label).toBe('Policy embeddings (seed)');
    const other = policyEmbeddingTable({ name: 'seed', config: { ...config, seed: 10 }, tokenizer, weights: null }, NAMES);
    expect(Array.from(other.vectors)).not.toEqual(Array.from(table.vectors));
    expect(cosineToSimilarity(-0.3)).toBe(0);
    expect(cosineToSimilarity(0.4)).toBe(0.4);
  });

  it('refuses a tokenizer of another size and a weight table of the wrong size, naming the tensor', () => {
    const { tokenizer, config } = setup();
    expect(() => policyEmbeddingTable({ name: 'x', config: { ...config, vocabSize: config.vocabSize + 1 }, tokenizer, weights: null }, NAMES)).toThrow(/tokenizer has \d+ tokens, the model \d+/);
    expect(() => policyEmbeddingMatrix(config, new Map([[POLICY_EMBEDDING_PARAM, new Float32Array(3)]]))).toThrow(/'decoder\.embed_tokens\.weight' has 3 values/);
  });

  it('restoreEmbeddingTable keeps a sound table and names the bad field', () => {
    const { tokenizer, config } = setup();
    const table = policyEmbeddingTable({ name: 'seed', config, tokenizer, weights: null }, NAMES);
    expect(restoreEmbeddingTable(structuredClone(table), 'ckpt')).toEqual(table);
    expect(restoreEmbeddingTable(undefined, 'ckpt')).toBeNull();
    expect(() => restoreEmbeddingTable({ ...table, dim: 3 }, 'ckpt')).toThrow(/ckpt: field 'vectors' holds \d+ values/);
    expect(() => restoreEmbeddingTable({ ...table, source: 'lexicon' }, 'ckpt')).toThrow(/ckpt: field 'source'/);
    expect(() => restoreEmbeddingTable({ ...table, vectors: Array.from(table.vectors) }, 'ckpt')).toThrow(/field 'vectors' must be a Float32Array/);
  });
});
