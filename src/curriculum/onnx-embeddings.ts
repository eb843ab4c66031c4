// The 'onnx:<name>' similarity source: a dropped text-embedding model (model.onnx + tokenizer.json), tokenised
// by @huggingface/tokenizers and run by onnxruntime-web on the wasm EP (its own memory: releasing the session
// can never touch the engine's GPUDevice). Pools a sentence_embedding output when the model has one, else
// mean-pools the token states (last_hidden_state) over the attention mask.

import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import type { InferenceSession, Tensor as OrtTensor } from 'onnxruntime-web';
import type { OrtModule } from '../eval/onnx-policy.ts';
import type { EmbeddingSource } from './similarity.ts';

/** Inputs this loader knows how to feed (all int64, shape (B, T)). */
export const FEEDABLE_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
/** Output names that already hold one vector per text, preferred in this order. */
export const POOLED_OUTPUTS = ['sentence_embedding', 'sentence_embeddings', 'pooler_output', 'embeddings', 'text_embeds'];

export interface OnnxEmbedderOptions {
  /** The ORT module; default import('onnxruntime-web') (wasm EP). Node tests pass theirs with numThreads = 1. */
  ort?: OrtModule;
  /** Name shown and used in the source id 'onnx:<name>'; default the model file name without '.onnx'. */
  name?: string;
  /** Tokens kept per name (option names are short); default 128. */
  maxTokens?: number;
  /** Names run per session call; default 16. */
  batchSize?: number;
}

/** What the Curriculum panel shows of a loaded model. */
export interface OnnxEmbedderInfo {
  /** Source id: 'onnx:<name>'. */
  id: string;
  name: string;
  modelFile: string;
  tokenizerFile: string;
  /** Length of an embedding. */
  dim: number;
  /** Tokens in tokenizer.json (added tokens included). */
  vocabSize: number;
  /** The inputs the model declares (each fed as int64). */
  inputs: string[];
  /** The output used and how: 'pooled' (one vector per text) or 'mean' (mean over masked token states). */
  output: { name: string; pooling: 'pooled' | 'mean' };
}

export interface OnnxEmbedder extends EmbeddingSource {
  readonly info: OnnxEmbedderInfo;
  /** Token ids and attention mask of one text, as fed (special tokens of the tokenizer's post-processor included). */
  encode(text: string): { ids: number[]; mask: number[]; typeIds: number[] };
  /** Releases the ORT session (wasm memory only). */
  dispose(): Promise<void>;
}

function fail(file: string, why: string): never {
  throw new Error(`${file}: ${why}`);
}

/** Tokenizer models @huggingface/tokenizers implements. */
const KNOWN_MODELS = ['BPE', 'WordPiece', 'Unigram'];

/** Token ids as integers, or an error naming the tokenizer file and the text it could not encode. */
function checkedIds(ids: readonly unknown[], file: string, text: string): number[] {
  for (const id of ids) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) fail(file, `the tokenizer gives no valid id for part of "${text}" (got ${String(id)}); is its vocabulary missing an unknown token?`);
  }
  return ids as number[];
}

/** tokenizer.json text -> a tokenizer of @huggingface/tokenizers; throws naming the file and the problem. */
export function parseTokenizerJson(text: string, file: string): HfTokenizer {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(file, `not JSON (${err instanceof Error ? err.message : String(err)}); expected a Hugging Face tokenizer.json`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail(file, 'not a tokenizer.json (the top level must be an object)');
  const o = json as Record<string, unknown>;
  const model = o.model as Record<string, unknown> | undefined;
  if (typeof model !== 'object' || model === null) return fail(file, "not a tokenizer.json: it has no 'model' object (vocabulary and algorithm)");
  if (typeof model.type !== 'string' && typeof model.vocab !== 'object') return fail(file, "malformed tokenizer.json: 'model' names no type and holds no vocab");
  // The library asks for every top-level component; missing optional ones mean "none".
  const full = { normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null, added_tokens: [], ...o };
  if (typeof model.type === 'string' && !KNOWN_MODELS.includes(model.type)) {
    return fail(file, `malformed tokenizer.json: model type '${model.type}' is not one of ${KNOWN_MODELS.join(', ')}`);
  }
  let tok: HfTokenizer;
  try {
    tok = new HfTokenizer(full, {});
  } catch (err) {
    return fail(file, `malformed tokenizer.json (${err instanceof Error ? err.message : String(err)})`);
  }
  if (tok.get_vocab(true).size === 0) return fail(file, 'malformed tokenizer.json: the vocabulary is empty');
  checkedIds(tok.encode('probe text').ids, file, 'probe text');
  return tok;
}

/** The inputs the model declares, all feedable (input_ids required); anything else is refused by name. */
function checkInputs(session: InferenceSession, file: string): string[] {
  const inputs = [...session.inputNames];
  const unknown = inputs.filter((n) => !(FEEDABLE_INPUTS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    fail(file, `the model needs input${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `'${n}'`).join(', ')} that a text-embedding loader cannot feed (it feeds ${FEEDABLE_INPUTS.join(', ')})`);
  }
  if (!inputs.includes('input_ids')) fail(file, `the model has no 'input_ids' input (it declares ${inputs.map((n) => `'${n}'`).join(', ') || 'none'})`);
  return inputs;
}

/** Loads a text-embedding model and its tokenizer and probes one text, so a bad output shape fails at load. */
export async function loadOnnxEmbedder(
  model: { name: string; bytes: Uint8Array },
  tokenizer: { name: string; text: string },
  options: OnnxEmbedderOptions = {},
): Promise<OnnxEmbedder> {
  if (!/\.onnx$/i.test(model.name)) fail(model.name, 'expected a .onnx model file');
  if (model.bytes.length < 16) fail(model.name, `not an ONNX model (${model.bytes.length} bytes)`);
  // ModelProto starts with field 1 (ir_version, varint): tag byte 0x08. Anything else is not ONNX at all.
  if (model.bytes[0] !== 0x08) fail(model.name, 'not an ONNX model (it does not start with an ONNX ModelProto header)');
  const tok = parseTokenizerJson(tokenizer.text, tokenizer.name);
  const ort: OrtModule = options.ort ?? ((await import('onnxruntime-web')) as unknown as OrtModule);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(model.bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  } catch (err) {
    return fail(model.name, `not a loadable ONNX model (onnxruntime-web: ${err instanceof Error ? err.message : String(err)})`);
  }
  const maxTokens = options.maxTokens ?? 128;
  const batchSize = options.batchSize ?? 16;
  const name = options.name ?? model.name.replace(/\.onnx$/i, '');
  let released = false;
  try {
    const inputs = checkInputs(session, model.name);
    const outputs = [...session.outputNames];
    const pooledName = POOLED_OUTPUTS.find((n) => outputs.includes(n));
    const outName = pooledName ?? (outputs.includes('last_hidden_state') ? 'last_hidden_state' : outputs[0]);
    if (!outName) fail(model.name, 'the model declares no output');
    const padId = tok.token_to_id('[PAD]') ?? tok.token_to_id('<pad>') ?? 0;
    let pooling: 'pooled' | 'mean' = 'mean';

    const encode = (text: string) => {
      const e = tok.encode(text, { return_token_type_ids: true });
      checkedIds(e.ids, tokenizer.name, text);
      const n = Math.max(1, Math.min(maxTokens, e.ids.length));
      const ids = e.ids.length ? e.ids.slice(0, n) : [padId];
      const mask = e.ids.length ? e.attention_mask.slice(0, n) : [0];
      const typeIds = ids.map((_, t) => e.token_type_ids?.[t] ?? 0);
      return { ids, mask, typeIds };
    };

    const runBatch = async (texts: string[]): Promise<Float32Array[]> => {
      if (released) throw new Error(`${model.name}: used after it was released`);
      const enc = texts.map(encode);
      const B = texts.length;
      const T = Math.max(...enc.map((e) => e.ids.length));
      const ids = new BigInt64Array(B * T).fill(BigInt(padId));
      const mask = new BigInt64Array(B * T);
      const types = new BigInt64Array(B * T);
      enc.forEach((e, b) => e.ids.forEach((id, t) => {
        ids[b * T + t] = BigInt(id);
        mask[b * T + t] = BigInt(e.mask[t]);
        types[b * T + t] = BigInt(e.typeIds[t]);
      }));
      const feeds: Record<string, OrtTensor> = {};
      for (const input of inputs) {
        const data = input === 'input_ids' ? ids : input === 'attention_mask' ? mask : types;
        feeds[input] = new ort.Tensor('int64', data, [B, T]);
      }
      let result: InferenceSession.ReturnType;
      try {
        result = await session.run(feeds, [outName]);
      } catch (err) {
        return fail(model.name, `running the model failed (onnxruntime-web: ${err instanceof Error ? err.message : String(err)})`);
      }
      const out = result[outName];
      const dims = out.dims.map(Number);
      if (out.type !== 'float32') fail(model.name, `output '${outName}' is ${out.type}, expected float32 embeddings`);
      const data = out.data as Float32Array;
      if (dims.length === 2 && dims[0] === B) {
        const D = dims[1];
        pooling = 'pooled';
        return enc.map((_, b) => data.slice(b * D, (b + 1) * D));
      }
      if (dims.length === 3 && dims[0] === B && dims[1] === T) {
        const D = dims[2];
        pooling = 'mean';
        return enc.map((e, b) => {
          const acc = new Float64Array(D);
          let count = 0;
          for (let t = 0; t < T; t++) {
            if (!(t < e.mask.length && e.mask[t] === 1)) continue;
            count++;
            for (let k = 0; k < D; k++) acc[k] += data[(b * T + t) * D + k];
          }
          return Float32Array.from(acc, (v) => (count ? v / count : 0));
        });
      }
      return fail(model.name, `output '${outName}' has shape [${dims.join(', ')}] for ${B} text(s) of ${T} tokens; expected (batch, dim) or (batch, tokens, dim) to pool`);
    };

    const probe = await runBatch(['probe']);
    const dim = probe[0].length;
    if (dim < 1) fail(model.name, `output '${outName}' gives empty embeddings`);
    const info: OnnxEmbedderInfo = {
      id: `onnx:${name}`, name, modelFile: model.name, tokenizerFile: tokenizer.name, dim, vocabSize: tok.get_vocab(true).size, inputs,
      output: { name: outName, pooling },
    };
    return {
      info,
      id: info.id,
      label: `ONNX ${name} (${dim}-d, ${info.output.pooling === 'pooled' ? `'${outName}'` : `mean of '${outName}'`})`,
      encode,
      async embed(names) {
        const out: Float32Array[] = [];
        for (let i = 0; i < names.length; i += batchSize) out.push(...(await runBatch(names.slice(i, i + batchSize))));
        return out;
      },
      async dispose() {
        if (released) return;
        released = true;
        await session.release();
      },
    };
  } catch (err) {
    released = true;
    await session.release().catch(() => undefined);
    throw err;
  }
}
