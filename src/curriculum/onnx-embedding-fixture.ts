// A tiny text-embedding model built in code, for tests and the e2e spec (nothing downloaded): a WordPiece
// tokenizer.json over a word list, and an ONNX model whose token states are rows of a seeded embedding table
// (Gather), output as last_hidden_state (B, T, D) or mean-pooled as sentence_embedding (B, D).

import { OnnxGraphBuilder } from '../model/onnx/graph.ts';
import { hashString, normalAt } from '../model/policy/prng.ts';

/** Special tokens first, then the words; ids are positions in this list. */
export const FIXTURE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];

export interface EmbeddingFixtureOptions {
  /** Lower-case words of the vocabulary (after the specials). */
  words: string[];
  /** Embedding width; typical 8. */
  dim: number;
  /** Seed of the table's values. */
  seed: number;
  /** 'hidden': last_hidden_state (B, T, D); 'pooled': sentence_embedding (B, D), an unmasked ReduceMean over T. */
  output: 'hidden' | 'pooled';
  /** Declare token_type_ids as a third input (BERT-style exports do). Default false. */
  tokenTypeIds?: boolean;
  /** Wrap each text in [CLS] ... [SEP] through the post-processor. Default true. */
  clsSep?: boolean;
  /** An extra input the loader cannot feed (for the refusal test). */
  extraInput?: string;
}

/** The (vocab, dim) table, row-major: id i's vector is rows i*dim ... */
export function fixtureTable(options: EmbeddingFixtureOptions): Float32Array {
  const V = FIXTURE_SPECIALS.length + options.words.length;
  const stream = hashString('fixture.embed');
  return Float32Array.from({ length: V * options.dim }, (_, i) => normalAt(options.seed, stream, i));
}

/** tokenizer.json text of a lower-casing, whitespace-and-punctuation-splitting WordPiece tokenizer. */
export function fixtureTokenizerJson(options: EmbeddingFixtureOptions): string {
  const vocab: Record<string, number> = {};
  [...FIXTURE_SPECIALS, ...options.words].forEach((w, i) => (vocab[w] = i));
  const special = (content: string) => ({ id: vocab[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const clsSep = options.clsSep ?? true;
  return JSON.stringify({
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: FIXTURE_SPECIALS.map(special),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: clsSep
      ? {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
          pair: [],
          special_tokens: { '[CLS]': { id: '[CLS]', ids: [vocab['[CLS]']], tokens: ['[CLS]'] }, '[SEP]': { id: '[SEP]', ids: [vocab['[SEP]']], tokens: ['[SEP]'] } },
        }
      : null,
    decoder: null,
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  });
}

/** ONNX bytes of the fixture model (inputs input_ids and attention_mask, int64 (B, T)). */
export function fixtureOnnxModel(options: EmbeddingFixtureOptions): Uint8Array {
  const V = FIXTURE_SPECIALS.length + options.words.length;
  const g = new OnnxGraphBuilder('tiny-embedder');
  const ids = g.input('input_ids', ['batch', 'tokens'], 'int64');
  g.input('attention_mask', ['batch', 'tokens'], 'int64');
  if (options.tokenTypeIds) g.input('token_type_ids', ['batch', 'tokens'], 'int64');
  if (options.extraInput) g.input(options.extraInput, ['batch', 'tokens'], 'int64');
  const table = g.initializer('embeddings.word_embeddings.weight', fixtureTable(options), [V, options.dim]);
  const states = g.gather(table, ids);
  if (options.output === 'hidden') g.output(states, ['batch', 'tokens', options.dim], 'float', 'last_hidden_state');
  else g.output(g.reduceMean(states, [1], false), ['batch', options.dim], 'float', 'sentence_embedding');
  return g.build({}, 'A tiny text-embedding model for tests: rows of a seeded table per token.');
}
