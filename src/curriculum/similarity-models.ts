// The similarity sources the engine worker holds between requests: the dropped ONNX text-embedding model
// (kept until another is dropped or the page reloads) and access to the worker's current policy, with the
// embedding tables they produced cached per model and name set. Shared by the Curriculum panel's analysis
// and the train handler, which precomputes an 'onnx:<name>' run's table here. No React, no DOM.

import type { VqaRecord } from '../data/record.ts';
import type { OrtModule } from '../eval/onnx-policy.ts';
import type { ModelConfig } from '../model/config.ts';
import type { Tokenizer } from '../model/tokenizer.ts';
import { buildEmbeddingTable, distinctNames, tableSimilarity, type EmbeddingTable } from './embedding-table.ts';
import { loadOnnxEmbedder, type OnnxEmbedder, type OnnxEmbedderInfo } from './onnx-embeddings.ts';
import { policyEmbeddingTable, type PolicyWeights } from './policy-embeddings.ts';
import { onnxRunRefusal } from './run-similarity.ts';
import { cachedSimilarity, lexiconSimilarity, type SimilaritySource } from './similarity.ts';

/** The worker's current policy; `key` changes whenever another model is loaded. Null when there is none. */
export type PolicyProvider = () => Promise<{ key: string; policy: PolicyWeights } | null>;

/** A run's starting weights as the trainer takes them (TrainerInit's fields). */
export interface RunInit {
  model: ModelConfig;
  tokenizer: Tokenizer;
  /** Null = fresh from model.seed. */
  weights: ReadonlyMap<string, Float32Array> | null;
}

/** What the Curriculum panel shows of the policy source. */
export interface PolicySourceInfo {
  /** 'pretrained', a dropped checkpoint's name, 'micro from scratch (AnatomySynth)', ... */
  name: string;
  /** Tokens of its tokenizer. */
  vocabSize: number;
  /** Width of its token embeddings. */
  dim: number;
  /** True when the Model panel loaded it; false for the pretrained default used because nothing is loaded. */
  loaded: boolean;
}

export interface SimilarityModelsOptions {
  /** The worker's current policy; absent in tests that need none ('policy' is then refused in words). */
  policy?: PolicyProvider;
  /** onnxruntime-web module for the ONNX source; default the dynamic import (wasm EP). */
  ort?: OrtModule;
}

/** Tables kept at once (one per source x dataset the panel flips between). */
const MAX_TABLES = 8;

export const LEXICON_SOURCE: SimilaritySource = cachedSimilarity(lexiconSimilarity);

/** The option names a dataset can pose: every option of every multiple-choice record (redraws draw from them). */
export function datasetNames(records: readonly VqaRecord[]): string[] {
  return distinctNames(records.flatMap((r) => r.options));
}

export class SimilarityModels {
  private onnx: OnnxEmbedder | null = null;
  private onnxGeneration = 0;
  private readonly tables = new Map<string, { table: EmbeddingTable; source: SimilaritySource }>();

  constructor(private readonly options: SimilarityModelsOptions = {}) {}

  /** Loads a dropped model + tokenizer.json, replacing (and releasing) the one held. Throws naming the file. */
  async loadOnnx(model: { name: string; bytes: Uint8Array }, tokenizer: { name: string; text: string }): Promise<OnnxEmbedderInfo> {
    const next = await loadOnnxEmbedder(model, tokenizer, { ort: this.options.ort });
    const old = this.onnx;
    this.onnx = next;
    this.onnxGeneration++;
    await old?.dispose();
    return next.info;
  }

  /** The ONNX model held, or null. */
  get onnxInfo(): OnnxEmbedderInfo | null {
    return this.onnx?.info ?? null;
  }

  /** The policy the 'policy' source would use now; null with a reason when there is none. */
  async policyInfo(): Promise<{ info: PolicySourceInfo | null; error: string | null }> {
    try {
      const p = await this.options.policy?.();
      if (!p) return { info: null, error: 'No policy is loaded and this build has no pretrained default: load one in the Model panel.' };
      const { name, config } = p.policy;
      return { info: { name, vocabSize: config.vocabSize, dim: config.decoderWidth, loaded: !p.key.startsWith('default:') }, error: null };
    } catch (err) {
      return { info: null, error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The embedding table of source `id` over `names`, computed once per model and name set. */
  async table(id: string, names: readonly string[]): Promise<{ table: EmbeddingTable; source: SimilaritySource }> {
    const unique = distinctNames(names);
    let modelKey: string;
    let build: () => Promise<EmbeddingTable>;
    if (id === 'policy') {
      const p = await this.options.policy?.();
      if (!p) throw new Error("Similarity 'policy embeddings': no policy is loaded and this build has no pretrained default. Load one in the Model panel.");
      modelKey = p.key;
      build = async () => policyEmbeddingTable(p.policy, unique);
    } else if (id.startsWith('onnx:')) {
      const onnx = this.onnx;
      if (!onnx || onnx.id !== id) {
        throw new Error(onnx
          ? `Similarity '${id}': the loaded ONNX model is '${onnx.id}'. Choose it, or drop ${id.slice(5)}'s model.onnx and tokenizer.json in the Curriculum panel.`
          : `Similarity '${id}': no ONNX model is loaded (models are kept until the page reloads). Drop its model.onnx and tokenizer.json in the Curriculum panel.`);
      }
      modelKey = `onnx#${this.onnxGeneration}`;
      build = () => buildEmbeddingTable(onnx, unique);
    } else {
      throw new Error(`Similarity '${id}' has no embedding table (expected 'policy' or 'onnx:<name>').`);
    }
    const key = `${id}\u0001${modelKey}\u0001${unique.length}\u0001${unique.join('\u0000')}`;
    let hit = this.tables.get(key);
    if (!hit) {
      const table = await build();
      hit = { table, source: tableSimilarity(table) };
      this.tables.set(key, hit);
      while (this.tables.size > MAX_TABLES) this.tables.delete(this.tables.keys().next().value!);
    }
    return hit;
  }

  /** The SimilaritySource of config id `id` for a dataset's names (the lexicon needs none). Same object while nothing changed. */
  async source(id: string, names: readonly string[]): Promise<SimilaritySource> {
    if (id === 'lexicon') return LEXICON_SOURCE;
    return (await this.table(id, names)).source;
  }

  /**
   * The table a training run starts (or resumes) with, for the train handler: 'onnx:<name>' from the model held
   * here (refused in words when it is not loaded); 'policy' from the run's initial weights `init` (the trainer
   * would compute the same itself; a resume whose checkpoint lost the table needs it from here). Undefined for
   * the lexicon.
   */
  forRun = async (similarity: string, records: readonly VqaRecord[], init: RunInit): Promise<EmbeddingTable | undefined> => {
    if (similarity === 'lexicon') return undefined;
    if (similarity === 'policy') return policyEmbeddingTable({ name: 'run start', config: init.model, tokenizer: init.tokenizer, weights: init.weights }, datasetNames(records));
    if (!this.onnx || this.onnx.id !== similarity) throw new Error(onnxRunRefusal(similarity));
    return (await this.table(similarity, datasetNames(records))).table;
  };
}
