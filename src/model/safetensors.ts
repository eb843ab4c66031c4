// Checkpoints in the safetensors format (the one Python's `safetensors` reads): an 8-byte little-endian header
// length, a JSON header padded with spaces to a multiple of 8 as the reference writer does, then the raw data,
// F32, F16 or BF16 (read into float32; the larger presets ship in F16 at half the size). The model config and
// tokenizer ride in `__metadata__`; loading checks every tensor against the config.

import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from './half-float.ts';
import { parameterShapes, restoreModelConfig, type ModelConfig } from './config.ts';
import { restoreTokenizer, type Tokenizer } from './tokenizer.ts';

/** The reference implementation refuses headers above 100 MB; so do we. */
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The floating-point dtypes read and written; anything else in a file is refused by name. */
export type FloatDtype = 'F32' | 'F16' | 'BF16';
const DTYPE_BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export interface NamedTensor {
  name: string;
  shape: number[];
  /** Row-major float32 values; length = product(shape). */
  data: Float32Array;
  /** How the values are stored; default F32. F16/BF16 round to nearest even. */
  dtype?: FloatDtype;
}

export interface SafetensorsContents {
  /** Tensors in file order (by data offset). */
  tensors: Map<string, { shape: number[]; data: Float32Array; dtype: FloatDtype }>;
  /** The `__metadata__` string map ({} when absent). */
  metadata: Record<string, string>;
}

/** A file that is not valid safetensors, or does not fit the model; the message names the file and the tensor. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// The format

/** Bytes of a safetensors file holding `tensors` (F32) in the given order, with optional string metadata. */
export function encodeSafetensors(tensors: NamedTensor[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new TypeError(`safetensors metadata '${key}' must be a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const t of tensors) {
    if (t.name === '__metadata__') throw new Error(`safetensors: '__metadata__' cannot name a tensor`);
    if (t.name in header) throw new Error(`safetensors: tensor '${t.name}' appears twice`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0) || count !== t.data.length) {
      throw new Error(`safetensors: tensor '${t.name}' has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    }
    const dtype = t.dtype ?? 'F32';
    if (!Object.hasOwn(DTYPE_BYTES, dtype)) throw new Error(`safetensors: tensor '${t.name}' has unsupported dtype ${JSON.stringify(dtype)}`);
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + count * DTYPE_BYTES[dtype]] };
    offset += count * DTYPE_BYTES[dtype];
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded); // spaces, as the reference implementation pads
  let at = 8 + padded;
  for (const t of tensors) {
    const dtype = t.dtype ?? 'F32';
    if (dtype === 'F32') {
      if (LITTLE_ENDIAN_HOST) out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
      else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i], true);
    } else {
      const half = dtype === 'F16' ? f32ToF16Bits : f32ToBf16Bits;
      for (let i = 0; i < t.data.length; i++) view.setUint16(at + i * 2, half(t.data[i]), true);
    }
    at += t.data.length * DTYPE_BYTES[dtype];
  }
  return out;
}

/** Parses a safetensors file; every structural problem is a SafetensorsError naming `source`. */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors file'): SafetensorsContents {
  const fail = (detail: string): never => {
    throw new SafetensorsError(`${source}: ${detail}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) fail(`header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    fail(`header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header must be a JSON object');
  const entries = header as Record<string, unknown>;

  const metadata: Record<string, string> = {};
  if ('__metadata__' in entries) {
    const raw = entries.__metadata__;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`'__metadata__' must be an object of strings`);
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value !== 'string') fail(`'__metadata__.${key}' must be a string, got ${typeof value}`);
      metadata[key] = value as string;
    }
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const infos: { name: string; shape: number[]; dtype: FloatDtype; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    const where = `tensor '${name}'`;
    if (typeof raw !== 'object' || raw === null) fail(`${where} must be an object with dtype, shape and data_offsets`);
    const info = raw as Record<string, unknown>;
    // hasOwn, not `in`: a dtype of "constructor" must not pass as a known one.
    if (typeof info.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, info.dtype)) fail(`${where} has dtype ${JSON.stringify(info.dtype)}; only F32, F16 and BF16 are supported`);
    const dtype = info.dtype as FloatDtype;
    const size = DTYPE_BYTES[dtype];
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) fail(`${where} has an invalid shape ${JSON.stringify(shape)}`);
    const offsets = info.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isSafeInteger(o) || o < 0) || offsets[0] > offsets[1]) {
      fail(`${where} has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as number[];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * size) fail(`${where} has shape [${(shape as number[]).join(', ')}] (${count * size} bytes of ${dtype}) but data_offsets [${begin}, ${end}] span ${end - begin} bytes`);
    if (end > dataLength) fail(`${where} data_offsets [${begin}, ${end}] run past the ${dataLength}-byte data section (file truncated?)`);
    infos.push({ name, shape: shape as number[], dtype, begin, end });
  }

  // Like the reference: tensors must tile the data section exactly, no overlaps, no holes.
  infos.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (let i = 0; i < infos.length; i++) {
    const t = infos[i];
    if (t.begin < expected) fail(`tensor '${t.name}' [${t.begin}, ${t.end}) overlaps tensor '${infos[i - 1].name}' [${infos[i - 1].begin}, ${infos[i - 1].end})`);
    if (t.begin > expected) fail(`bytes [${expected}, ${t.begin}) of the data section belong to no tensor (before '${t.name}')`);
    expected = t.end;
  }
  if (expected !== dataLength) fail(`data section is ${dataLength} bytes but the tensors cover ${expected}`);

  const tensors = new Map<string, { shape: number[]; data: Float32Array; dtype: FloatDtype }>();
  for (const t of infos) {
    const from = dataStart + t.begin;
    let data: Float32Array;
    if (t.dtype !== 'F32') {
      const wide = t.dtype === 'F16' ? f16BitsToF32 : bf16BitsToF32;
      data = new Float32Array((t.end - t.begin) / 2);
      for (let i = 0; i < data.length; i++) data[i] = wide(view.getUint16(from + i * 2, true));
    } else if (LITTLE_ENDIAN_HOST) {
      // Uint8Array.prototype.slice copies (aligned); a Node Buffer's own slice would be a view of its shared pool.
      data = new Float32Array(Uint8Array.prototype.slice.call(bytes, from, dataStart + t.end).buffer);
    } else {
      data = new Float32Array((t.end - t.begin) / 4);
      for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(from + i * 4, true);
    }
    tensors.set(t.name, { shape: t.shape, data, dtype: t.dtype });
  }
  return { tensors, metadata };
}

// ---------------------------------------------------------------------------------------------------------
// Checkpoints of the policy

const CHECKPOINT_FORMAT = 'anatomy-r1-lab/policy';

export interface Checkpoint {
  config: ModelConfig;
  tokenizer: Tokenizer;
  /** One entry per parameterShapes(config) name. */
  weights: Map<string, Float32Array>;
  /** Metadata besides format/config/tokenizer (e.g. step, run id), as stored. */
  extra: Record<string, string>;
}

/**
 * A safetensors checkpoint: tensors in parameterShapes order, metadata {format, config, tokenizer, ...extra}.
 * Refuses weights that do not match the config, exactly as loading would.
 */
export function writeCheckpoint(
  config: ModelConfig,
  tokenizer: Tokenizer,
  weights: Map<string, Float32Array>,
  extra: Record<string, string> = {},
  dtype: FloatDtype = 'F32',
): Uint8Array {
  if (config.vocabSize !== tokenizer.vocabSize) {
    throw new SafetensorsError(`writeCheckpoint: config.vocabSize ${config.vocabSize} differs from the tokenizer's ${tokenizer.vocabSize}`);
  }
  const tensors: NamedTensor[] = [];
  const shapes = parameterShapes(config);
  const known = new Set(shapes.map((p) => p.name));
  for (const name of weights.keys()) {
    if (!known.has(name)) throw new SafetensorsError(`writeCheckpoint: tensor '${name}' is not part of the model config`);
  }
  for (const p of shapes) {
    const data = weights.get(p.name);
    const count = p.shape.reduce((a, b) => a * b, 1);
    if (!data) throw new SafetensorsError(`writeCheckpoint: tensor '${p.name}' is missing (shape [${p.shape.join(', ')}])`);
    if (data.length !== count) throw new SafetensorsError(`writeCheckpoint: tensor '${p.name}' holds ${data.length} values, shape [${p.shape.join(', ')}] needs ${count}`);
    tensors.push({ name: p.name, shape: p.shape, data, dtype });
  }
  for (const key of ['format', 'config', 'tokenizer']) {
    if (key in extra) throw new SafetensorsError(`writeCheckpoint: extra metadata may not use the reserved key '${key}'`);
  }
  return encodeSafetensors(tensors, {
    format: CHECKPOINT_FORMAT,
    config: JSON.stringify(config),
    tokenizer: JSON.stringify(tokenizer.toJSON()),
    ...extra,
  });
}

/** Reads a checkpoint and checks it against its own config: tensor names, shapes, and the tokenizer's size. */
export function readCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const { format, config: configJson, tokenizer: tokenizerJson, ...extra } = metadata;
  if (format !== CHECKPOINT_FORMAT) throw new SafetensorsError(`${source}: metadata 'format' must be '${CHECKPOINT_FORMAT}', got ${JSON.stringify(format)}`);
  const config = restoreModelConfig(parseJson(configJson, source, 'config'), `${source} metadata 'config'`);
  const tokenizer = restoreTokenizer(parseJson(tokenizerJson, source, 'tokenizer'), `${source} metadata 'tokenizer'`);
  if (config.vocabSize !== tokenizer.vocabSize) {
    throw new SafetensorsError(`${source}: config.vocabSize ${config.vocabSize} differs from the tokenizer's vocabulary of ${tokenizer.vocabSize}`);
  }
  checkTensorsMatchConfig(config, tensors, source);
  const weights = new Map<string, Float32Array>();
  for (const p of parameterShapes(config)) weights.set(p.name, tensors.get(p.name)!.data);
  return { config, tokenizer, weights, extra };
}

/** Throws unless `tensors` holds exactly the config's tensors with the config's shapes. */
export function checkTensorsMatchConfig(
  config: ModelConfig,
  tensors: Map<string, { shape: number[] }>,
  source = 'checkpoint',
): void {
  const shapes = parameterShapes(config);
  for (const p of shapes) {
    const found = tensors.get(p.name);
    if (!found) throw new SafetensorsError(`${source}: tensor '${p.name}' is missing; the config expects shape [${p.shape.join(', ')}]`);
    if (found.shape.length !== p.shape.length || found.shape.some((d, i) => d !== p.shape[i])) {
      throw new SafetensorsError(`${source}: tensor '${p.name}' has shape [${found.shape.join(', ')}], the config expects [${p.shape.join(', ')}]`);
    }
  }
  const known = new Set(shapes.map((p) => p.name));
  for (const name of tensors.keys()) {
    if (!known.has(name)) throw new SafetensorsError(`${source}: tensor '${name}' is not part of the model config`);
  }
}

function parseJson(text: string | undefined, source: string, key: string): unknown {
  if (text === undefined) throw new SafetensorsError(`${source}: metadata '${key}' is missing`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SafetensorsError(`${source}: metadata '${key}' is not valid JSON (${(error as Error).message})`);
  }
}
