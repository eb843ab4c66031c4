// ModelConfig: the one typed description of the multimodal policy (ViT-style image encoder, projector, causal
// decoder with the image tokens as a prefix, LLaVA-style), its presets, and the tensor list that the model,
// the checkpoint loader and the ONNX exporter all read: `parameterShapes(config)` is the single source of truth.

export type NormType = 'layernorm' | 'rmsnorm';
export type PositionType = 'learned' | 'rotary';
export type ProjectorType = 'linear' | 'mlp';

export interface ModelConfig {
  /** Schema version of this object, for migrations in restoreModelConfig. Always 1 for now. */
  version: 1;
  /** Seed for weight initialisation (and the default for anything else seeded by the model); e.g. 1234. */
  seed: number;
  /** Side of the square input image in pixels after resizing; e.g. 32 (micro), 64 (tiny), 112 (small). */
  imageSize: number;
  /** Colour channels of the input image; 3 (RGB). */
  imageChannels: number;
  /** Side of a square patch in pixels; imageSize must be a multiple. e.g. 8 or 16. */
  patchSize: number;
  /** Width (embedding size) of the image encoder; e.g. 32 to 256. */
  visionWidth: number;
  /** Number of pre-norm transformer blocks in the image encoder; e.g. 1 to 4. */
  visionDepth: number;
  /** Attention heads per encoder block; must divide visionWidth. e.g. 2 to 8. */
  visionHeads: number;
  /** Projector from encoder width to decoder width: 'linear' (one matmul) or 'mlp' (matmul, GELU, matmul, LLaVA-1.5). */
  projector: ProjectorType;
  /** Width (embedding size) of the language decoder; e.g. 64 to 384. */
  decoderWidth: number;
  /** Number of pre-norm causal transformer blocks in the decoder; e.g. 2 to 6. */
  decoderDepth: number;
  /** Attention heads per decoder block; must divide decoderWidth. e.g. 4 to 8. */
  decoderHeads: number;
  /** MLP hidden size as a multiple of the block width (hidden = round(width * mlpRatio)); e.g. 4. */
  mlpRatio: number;
  /** Vocabulary size, filled from the tokenizer (specials + 256 bytes + merges); e.g. 512 to 4096. */
  vocabSize: number;
  /** Longest decoder sequence in tokens, image prefix included; e.g. 128 (micro) to 384 (small). */
  maxSeqLen: number;
  /** Normalisation in every block and at the ends of both towers: 'layernorm' (scale + bias) or 'rmsnorm' (scale). */
  norm: NormType;
  /** Epsilon added to the variance inside the norm; 1e-5. */
  normEps: number;
  /** Decoder positions: 'learned' (a table of maxSeqLen rows) or 'rotary' (RoPE on q and k, no weights). */
  positions: PositionType;
  /** RoPE base frequency, used only when positions is 'rotary'; 10000. */
  ropeTheta: number;
  /** When true the LM head reuses the token embedding (logits = h E^T) and has no weight of its own; e.g. true. */
  tieEmbeddings: boolean;
  /** Dropout probability on attention and MLP outputs while training (0 during sampling); 0 for RL, 0.1 for SFT. */
  dropout: number;
  /** Standard deviation of the normal initialisation of weight matrices and embeddings; 0.02 (GPT-2). */
  initStd: number;
}

export type PresetName = 'micro' | 'tiny' | 'small';

const BASE: Omit<ModelConfig, 'imageSize' | 'patchSize' | 'visionWidth' | 'visionDepth' | 'visionHeads' | 'decoderWidth' | 'decoderDepth' | 'decoderHeads' | 'vocabSize' | 'maxSeqLen'> = {
  version: 1,
  seed: 1234,
  imageChannels: 3,
  projector: 'mlp',
  mlpRatio: 4,
  norm: 'layernorm',
  normEps: 1e-5,
  positions: 'learned',
  ropeTheta: 10000,
  tieEmbeddings: true,
  dropout: 0,
  initStd: 0.02,
};

/** Presets; vocabSize here is a placeholder that the tokenizer's real size replaces. */
export const MODEL_PRESETS: Readonly<Record<PresetName, Readonly<ModelConfig>>> = {
  // What tests and CI use: a few hundred thousand parameters, fast on SwiftShader. Untied, so the separate
  // LM head is exercised too (small ties it).
  micro: { ...BASE, imageSize: 32, patchSize: 8, visionWidth: 32, visionDepth: 1, visionHeads: 2, decoderWidth: 64, decoderDepth: 2, decoderHeads: 4, vocabSize: 1024, maxSeqLen: 128, tieEmbeddings: false },
  // About 2M parameters: trains in minutes on any WebGPU adapter. 16-pixel patches (16 image tokens) and an
  // untied head: at this size both learn several times faster than 8-pixel patches or a tied head (measured
  // side by side in SFT from scratch; README, "The pretrained default").
  tiny: { ...BASE, imageSize: 64, patchSize: 16, visionWidth: 96, visionDepth: 2, visionHeads: 4, decoderWidth: 160, decoderDepth: 4, decoderHeads: 4, vocabSize: 2048, maxSeqLen: 256, tieEmbeddings: false },
  // About 15M parameters: what a laptop GPU trains.
  small: { ...BASE, imageSize: 112, patchSize: 16, visionWidth: 256, visionDepth: 4, visionHeads: 4, decoderWidth: 384, decoderDepth: 6, decoderHeads: 6, vocabSize: 4096, maxSeqLen: 384 },
};

/** A fresh copy of a preset, optionally with the tokenizer's vocabulary size. */
export function presetConfig(name: PresetName, vocabSize?: number): ModelConfig {
  const config = { ...MODEL_PRESETS[name] };
  if (vocabSize !== undefined) config.vocabSize = vocabSize;
  return validateModelConfig(config);
}

/** The default for anything restored without a full config. */
export const DEFAULT_MODEL_CONFIG: Readonly<ModelConfig> = MODEL_PRESETS.tiny;

// ---------------------------------------------------------------------------------------------------------
// Derived sizes

/** Image tokens the encoder produces, and the decoder's prefix length: (imageSize / patchSize)^2. */
export function numImageTokens(config: ModelConfig): number {
  const side = config.imageSize / config.patchSize;
  return side * side;
}

/** Values in one flattened patch: patchSize^2 * channels, in (row, column, channel) order. */
export function patchDim(config: ModelConfig): number {
  return config.patchSize * config.patchSize * config.imageChannels;
}

/** Hidden size of a block's MLP for the given block width. */
export function mlpHidden(width: number, mlpRatio: number): number {
  return Math.round(width * mlpRatio);
}

/** Longest text (prompt + completion) that fits after the image prefix. */
export function maxTextTokens(config: ModelConfig): number {
  return config.maxSeqLen - numImageTokens(config);
}

// ---------------------------------------------------------------------------------------------------------
// The tensor list

/** How a tensor is initialised from the seed. */
export type ParameterInit = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParameterShape {
  /** Stable name, used as the safetensors key and the ONNX initializer name, e.g. 'decoder.blocks.0.attn.qkv.weight'. */
  name: string;
  /** Shape; matrices are stored (in, out) so that y = x W + b with x (tokens, in). */
  shape: number[];
  init: ParameterInit;
  /** Whether AdamW applies weight decay (matrices and embeddings yes; biases, norm scales no). */
  decay: boolean;
}

/**
 * Every tensor the model has, in a fixed order. Layout conventions, which the forward pass must follow:
 * - Linear weights are (in, out); qkv packs q, k, v along `out` as [q | k | v], heads contiguous within each.
 * - vision.patch_embed.weight is (patchDim, visionWidth) over patches flattened in (row, column, channel) order.
 * - vision.pos_embed is (numImageTokens, visionWidth), patches in row-major order (learned 2D positions).
 * - decoder.pos_embed exists only with learned positions; lm_head.weight only when embeddings are not tied.
 * - Norm tensors are '.weight' (scale) and, for layernorm only, '.bias'.
 * Residual projections (attn.proj, mlp.fc2) start with std / sqrt(2 * depth) as in GPT-2.
 */
export function parameterShapes(config: ModelConfig): ParameterShape[] {
  const out: ParameterShape[] = [];
  const std = config.initStd;
  const normal = (name: string, shape: number[], s = std): void => { out.push({ name, shape, init: { kind: 'normal', std: s }, decay: true }); };
  const zeros = (name: string, shape: number[]): void => { out.push({ name, shape, init: { kind: 'zeros' }, decay: false }); };
  const ones = (name: string, shape: number[]): void => { out.push({ name, shape, init: { kind: 'ones' }, decay: false }); };
  const linear = (prefix: string, inDim: number, outDim: number, s = std): void => {
    normal(`${prefix}.weight`, [inDim, outDim], s);
    zeros(`${prefix}.bias`, [outDim]);
  };
  const norm = (prefix: string, width: number): void => {
    ones(`${prefix}.weight`, [width]);
    if (config.norm === 'layernorm') zeros(`${prefix}.bias`, [width]);
  };
  const block = (prefix: string, width: number, depth: number): void => {
    const hidden = mlpHidden(width, config.mlpRatio);
    const residualStd = std / Math.sqrt(2 * depth);
    norm(`${prefix}.norm1`, width);
    linear(`${prefix}.attn.qkv`, width, 3 * width);
    linear(`${prefix}.attn.proj`, width, width, residualStd);
    norm(`${prefix}.norm2`, width);
    linear(`${prefix}.mlp.fc1`, width, hidden);
    linear(`${prefix}.mlp.fc2`, hidden, width, residualStd);
  };

  const vw = config.visionWidth;
  const dw = config.decoderWidth;
  linear('vision.patch_embed', patchDim(config), vw);
  normal('vision.pos_embed', [numImageTokens(config), vw]);
  for (let i = 0; i < config.visionDepth; i++) block(`vision.blocks.${i}`, vw, config.visionDepth);
  norm('vision.norm', vw);

  linear('projector.fc1', vw, dw);
  if (config.projector === 'mlp') linear('projector.fc2', dw, dw);

  normal('decoder.embed_tokens.weight', [config.vocabSize, dw]);
  if (config.positions === 'learned') normal('decoder.pos_embed', [config.maxSeqLen, dw]);
  for (let i = 0; i < config.decoderDepth; i++) block(`decoder.blocks.${i}`, dw, config.decoderDepth);
  norm('decoder.norm', dw);
  if (!config.tieEmbeddings) normal('lm_head.weight', [dw, config.vocabSize]);
  return out;
}

/** Exact number of scalar parameters: the sum over parameterShapes. */
export function parameterCount(config: ModelConfig): number {
  let total = 0;
  for (const p of parameterShapes(config)) total += p.shape.reduce((a, b) => a * b, 1);
  return total;
}

// ---------------------------------------------------------------------------------------------------------
// Memory

export interface MemoryEstimateOptions {
  /** Questions per optimizer step; e.g. 4. */
  batch: number;
  /** Text tokens per sequence (prompt + completion), the image prefix is added on top; e.g. 96. */
  seqLen: number;
  /** Completions sampled per question (GRPO's G); e.g. 8. */
  groupSize: number;
}

/** Bytes, all float32. */
export interface MemoryEstimate {
  weights: number;
  gradients: number;
  /** AdamW's first and second moments. */
  adamState: number;
  /** What the forward pass keeps for the backward pass over batch * groupSize sequences. */
  activations: number;
  /** Keys and values of every decoder layer for batch * groupSize sequences of full length, during sampling. */
  kvCache: number;
  total: number;
}

const F32 = 4;

/**
 * A planning estimate (not a measurement): weights, gradients, AdamW state, training activations and the
 * sampling KV cache. Activations count, per block and token, what a straightforward backward pass keeps:
 * norm inputs/outputs and statistics, qkv, attention scores and probabilities (heads * T each), the merged
 * attention output, the MLP hidden before and after GELU; plus logits and their softmax. Every sequence is
 * counted with its own image (GDQA may transform images per variant), so this is an upper bound.
 */
export function memoryEstimate(config: ModelConfig, options: MemoryEstimateOptions): MemoryEstimate {
  const { batch, seqLen, groupSize } = options;
  for (const [label, value] of [['batch', batch], ['seqLen', seqLen], ['groupSize', groupSize]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`memoryEstimate: ${label} must be a positive integer, got ${value}`);
  }
  const params = parameterCount(config);
  const sequences = batch * groupSize;
  const imageTokens = numImageTokens(config);
  const T = imageTokens + seqLen;
  if (T > config.maxSeqLen) {
    throw new RangeError(`memoryEstimate: ${imageTokens} image tokens + seqLen ${seqLen} exceed maxSeqLen ${config.maxSeqLen}`);
  }
  const perBlockToken = (width: number, heads: number, length: number): number =>
    8 * width + 2 * mlpHidden(width, config.mlpRatio) + 2 * heads * length + 4;

  const vw = config.visionWidth;
  const dw = config.decoderWidth;
  const visionPerSequence =
    imageTokens * (patchDim(config) + vw + config.visionDepth * perBlockToken(vw, config.visionHeads, imageTokens) + 2 * vw + 2) +
    imageTokens * (config.projector === 'mlp' ? 3 * dw : dw);
  const decoderPerSequence =
    T * (dw + config.decoderDepth * perBlockToken(dw, config.decoderHeads, T) + 2 * dw + 2) + seqLen * 2 * config.vocabSize;
  const activations = sequences * (visionPerSequence + decoderPerSequence) * F32;
  const kvCache = sequences * config.decoderDepth * 2 * T * dw * F32;
  const weights = params * F32;
  const gradients = params * F32;
  const adamState = 2 * params * F32;
  return { weights, gradients, adamState, activations, kvCache, total: weights + gradients + adamState + activations + kvCache };
}

// ---------------------------------------------------------------------------------------------------------
// Untrusted input

/** A config value that failed a check; `field` names it. */
export class ModelConfigError extends Error {
  constructor(readonly source: string, readonly field: string, detail: string) {
    super(`${source}: field '${field}' ${detail}`);
    this.name = 'ModelConfigError';
  }
}

type IntRange = [min: number, max: number];
const INTEGER_FIELDS: Record<string, IntRange> = {
  seed: [0, 0xffffffff],
  imageSize: [4, 1024],
  imageChannels: [1, 4],
  patchSize: [1, 256],
  visionWidth: [1, 8192],
  visionDepth: [1, 64],
  visionHeads: [1, 256],
  decoderWidth: [1, 8192],
  decoderDepth: [1, 128],
  decoderHeads: [1, 256],
  vocabSize: [8, 1 << 20],
  maxSeqLen: [2, 1 << 16],
};
const NUMBER_FIELDS: Record<string, { min: number; max: number; minExclusive?: boolean; maxExclusive?: boolean }> = {
  mlpRatio: { min: 0, max: 16, minExclusive: true },
  normEps: { min: 0, max: 0.1, minExclusive: true },
  ropeTheta: { min: 0, max: 1e9, minExclusive: true },
  dropout: { min: 0, max: 1, maxExclusive: true },
  initStd: { min: 0, max: 1, minExclusive: true },
};
const ENUM_FIELDS: Record<string, readonly string[]> = {
  projector: ['linear', 'mlp'],
  norm: ['layernorm', 'rmsnorm'],
  positions: ['learned', 'rotary'],
};
const BOOLEAN_FIELDS = ['tieEmbeddings'];

/**
 * A ModelConfig from untrusted JSON (a checkpoint's metadata, a shared URL, a dropped file): starts from the
 * defaults, copies only known keys, checks type, range and finiteness, then the cross-field rules.
 * Throws ModelConfigError naming `source` and the field.
 */
export function restoreModelConfig(untrusted: unknown, source = 'model config'): ModelConfig {
  if (typeof untrusted !== 'object' || untrusted === null || Array.isArray(untrusted)) {
    throw new ModelConfigError(source, '(root)', `must be an object, got ${describe(untrusted)}`);
  }
  const input = untrusted as Record<string, unknown>;
  const version = input.version ?? 1;
  if (version !== 1) throw new ModelConfigError(source, 'version', `must be 1, got ${describe(version)}`);
  const config: ModelConfig = { ...DEFAULT_MODEL_CONFIG };
  const target = config as unknown as Record<string, unknown>;

  for (const [field, [min, max]] of Object.entries(INTEGER_FIELDS)) {
    if (!(field in input)) continue;
    const value = input[field];
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new ModelConfigError(source, field, `must be an integer, got ${describe(value)}`);
    if (value < min || value > max) throw new ModelConfigError(source, field, `must be in [${min}, ${max}], got ${value}`);
    target[field] = value;
  }
  for (const [field, range] of Object.entries(NUMBER_FIELDS)) {
    if (!(field in input)) continue;
    const value = input[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new ModelConfigError(source, field, `must be a finite number, got ${describe(value)}`);
    const low = range.minExclusive ? value <= range.min : value < range.min;
    const high = range.maxExclusive ? value >= range.max : value > range.max;
    if (low || high) {
      throw new ModelConfigError(source, field, `must be in ${range.minExclusive ? '(' : '['}${range.min}, ${range.max}${range.maxExclusive ? ')' : ']'}, got ${value}`);
    }
    target[field] = value;
  }
  for (const [field, allowed] of Object.entries(ENUM_FIELDS)) {
    if (!(field in input)) continue;
    const value = input[field];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      throw new ModelConfigError(source, field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
    }
    target[field] = value;
  }
  for (const field of BOOLEAN_FIELDS) {
    if (!(field in input)) continue;
    const value = input[field];
    if (typeof value !== 'boolean') throw new ModelConfigError(source, field, `must be true or false, got ${describe(value)}`);
    target[field] = value;
  }
  return validateModelConfig(config, source);
}

/** Cross-field rules; returns the config unchanged or throws ModelConfigError. */
export function validateModelConfig(config: ModelConfig, source = 'model config'): ModelConfig {
  if (config.imageSize % config.patchSize !== 0) {
    throw new ModelConfigError(source, 'patchSize', `must divide imageSize ${config.imageSize}, got ${config.patchSize}`);
  }
  if (config.visionWidth % config.visionHeads !== 0) {
    throw new ModelConfigError(source, 'visionHeads', `must divide visionWidth ${config.visionWidth}, got ${config.visionHeads}`);
  }
  if (config.decoderWidth % config.decoderHeads !== 0) {
    throw new ModelConfigError(source, 'decoderHeads', `must divide decoderWidth ${config.decoderWidth}, got ${config.decoderHeads}`);
  }
  if (config.positions === 'rotary' && (config.decoderWidth / config.decoderHeads) % 2 !== 0) {
    throw new ModelConfigError(source, 'decoderHeads', `must leave an even head size for rotary positions, got head size ${config.decoderWidth / config.decoderHeads}`);
  }
  if (mlpHidden(config.visionWidth, config.mlpRatio) < 1 || mlpHidden(config.decoderWidth, config.mlpRatio) < 1) {
    throw new ModelConfigError(source, 'mlpRatio', `gives an empty MLP hidden layer, got ${config.mlpRatio}`);
  }
  const imageTokens = numImageTokens(config);
  if (config.maxSeqLen <= imageTokens) {
    throw new ModelConfigError(source, 'maxSeqLen', `must exceed the ${imageTokens} image tokens, got ${config.maxSeqLen}`);
  }
  return config;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value;
}
