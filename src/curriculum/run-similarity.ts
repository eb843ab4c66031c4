// The similarity a training run uses, fixed for the whole run: the built-in lexicon, or an embedding table
// computed once at the start (the run's own initial policy embeddings, or an ONNX model's, which the engine
// worker precomputes) and kept in the run's snapshot so a resumed run scores exactly as before.

import { tableSimilarity, type EmbeddingTable } from './embedding-table.ts';
import { policyEmbeddingTable, type PolicyWeights } from './policy-embeddings.ts';
import { cachedSimilarity, lexiconSimilarity, type SimilaritySource } from './similarity.ts';

export interface RunSimilarity {
  source: SimilaritySource;
  /** The table behind an embedding source (to keep in checkpoints); null for the lexicon. */
  table: EmbeddingTable | null;
}

/** Why an 'onnx:<name>' run cannot start without a precomputed table. */
export function onnxRunRefusal(id: string): string {
  return `Similarity '${id}': no embeddings of that ONNX model are available to this run. Drop its model.onnx and tokenizer.json in the Curriculum panel (the model stays loaded in the engine until the page is reloaded), then start the run again.`;
}

/**
 * The run's similarity for config id `id` ('lexicon', 'policy', 'onnx:<name>'). `given` is a table computed
 * earlier (the snapshot's, or one the worker precomputed); `policy` is the run's initial policy, used for
 * 'policy' when no table is given; `names` are the option names the run can pose.
 */
export function runSimilarity(id: string, given: EmbeddingTable | null | undefined, policy: PolicyWeights, names: Iterable<string>): RunSimilarity {
  if (id === 'lexicon') return { source: cachedSimilarity(lexiconSimilarity), table: null };
  if (given) {
    if (given.source !== id) throw new Error(`Similarity '${id}': the run's stored embeddings are for '${given.source}'`);
    return { source: tableSimilarity(given), table: given };
  }
  if (id === 'policy') {
    const table = policyEmbeddingTable(policy, names);
    return { source: tableSimilarity(table), table };
  }
  throw new Error(onnxRunRefusal(id));
}
