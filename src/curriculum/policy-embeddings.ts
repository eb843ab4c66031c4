// The 'policy' similarity source: each option name tokenised with the policy's own tokenizer and embedded as
// the mean of its tokens' rows of the decoder's token-embedding table ('decoder.embed_tokens.weight'), so
// names sharing tokens are close. CPU only (a table lookup), so the trainer can build it synchronously.

import { parameterShapes, type ModelConfig } from '../model/config.ts';
import { initialValues } from '../model/policy/parameters.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { distinctNames, packTable, type EmbeddingTable } from './embedding-table.ts';

/** The parameter whose rows embed the policy's tokens. */
export const POLICY_EMBEDDING_PARAM = 'decoder.embed_tokens.weight';

/** A policy as the embeddings need it: config, tokenizer and weights (null = fresh from config.seed). */
export interface PolicyWeights {
  /** Shown in the panel, e.g. 'pretrained' or the dropped file's name. */
  name: string;
  config: ModelConfig;
  tokenizer: Tokenizer;
  weights: ReadonlyMap<string, Float32Array> | null;
}

/** The (vocabSize, decoderWidth) token-embedding table: from the weights, or the seeded initial values. */
export function policyEmbeddingMatrix(config: ModelConfig, weights: ReadonlyMap<string, Float32Array> | null): Float32Array {
  const spec = parameterShapes(config).find((s) => s.name === POLICY_EMBEDDING_PARAM);
  if (!spec) throw new Error(`policy embeddings: the model config has no '${POLICY_EMBEDDING_PARAM}'`);
  const table = weights ? weights.get(POLICY_EMBEDDING_PARAM) : initialValues(spec, config.seed);
  if (!table) throw new Error(`policy embeddings: the weights have no '${POLICY_EMBEDDING_PARAM}'`);
  if (table.length !== config.vocabSize * config.decoderWidth) {
    throw new Error(`policy embeddings: '${POLICY_EMBEDDING_PARAM}' has ${table.length} values, (${config.vocabSize}, ${config.decoderWidth}) needs ${config.vocabSize * config.decoderWidth}`);
  }
  return table;
}

/**
 * Mean of the embedding rows of `text`'s tokens (special-token text is encoded as plain bytes). A name that
 * encodes to no token (the empty string) is the zero vector, whose cosine with anything is 0.
 */
export function meanPooledEmbedding(tokenizer: Tokenizer, matrix: Float32Array, dim: number, text: string): Float32Array {
  const ids = tokenizer.encode(text, { allowSpecial: false });
  const out = new Float32Array(dim);
  const acc = new Float64Array(dim);
  for (const id of ids) for (let k = 0; k < dim; k++) acc[k] += matrix[id * dim + k];
  if (ids.length > 0) for (let k = 0; k < dim; k++) out[k] = acc[k] / ids.length;
  return out;
}

/**
 * The policy's embedding of every distinct normalised name (normaliseName: lower case, as the table is keyed;
 * the same spelling is embedded whatever capitalisation a dataset uses).
 */
export function policyEmbeddingTable(policy: PolicyWeights, names: Iterable<string>): EmbeddingTable {
  const { config, tokenizer } = policy;
  if (tokenizer.vocabSize !== config.vocabSize) {
    throw new Error(`policy embeddings: the tokenizer has ${tokenizer.vocabSize} tokens, the model ${config.vocabSize}`);
  }
  const matrix = policyEmbeddingMatrix(config, policy.weights);
  const unique = distinctNames(names);
  const rows = unique.map((n) => meanPooledEmbedding(tokenizer, matrix, config.decoderWidth, n));
  const table = packTable('policy', `Policy embeddings (${policy.name})`, unique, rows);
  // A dataset with no names still has a well-formed table of the policy's width.
  return unique.length === 0 ? { ...table, dim: config.decoderWidth } : table;
}
