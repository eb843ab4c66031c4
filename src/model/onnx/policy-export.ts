// ONNX export of the policy's forward pass (image + text ids -> text logits), built with OnnxGraphBuilder from
// the same weights (`PolicyParameters.readAll()`, names from parameterShapes) and the same layout rules as
// policy/layout.ts, so onnxruntime-web reproduces our logits. No KV cache: a caller re-runs the full forward.
//
// Inputs   image           (B, H, W, C) float, preprocessed exactly as the policy's images ([-1, 1], HWC)
//          input_ids       (B, T) int64, text columns [left pads | prompt | completion | right pads]
//          attention_mask  (B, T) int64, 1 on real tokens, 0 on pads
// Output   logits          (B, T, V) float, one row per text column (column t predicts token t + 1)
//
// How the layout is rebuilt in the graph (all float arithmetic that is exact on small integers):
// - c = cumsum(mask) as mask @ U with U upper-triangular ones; a column is a left pad iff c == 0, so the key
//   bias is relu(1 - c) * MASKED_KEY (right pads are not masked: causality already hides them, as in ours);
// - text positions are mask * (N - 1 + c) (real tokens count from N, pads get 0), image positions 0..N-1;
// - positions pick rows of the learned table, or of precomputed RoPE cos/sin tables, by a one-hot matmul (an
//   exact gather that avoids int64 arithmetic on the GPU); the tables are the float64 values ours uploads.
// GELU is the tanh approximation the engine uses; RoPE is the GPT-NeoX half split of policy/rope.ts.

import { numImageTokens, parameterShapes, patchDim, type ModelConfig } from '../config.ts';
import { MASKED_KEY } from '../policy/layout.ts';
import { OnnxGraphBuilder } from './graph.ts';

export interface PolicyExportOptions {
  /** Written into the model's metadata (e.g. the tokenizer JSON, so one file is self-describing). */
  metadata?: Record<string, string>;
  /** Graph name; default 'anatomy_r1_policy'. */
  name?: string;
}

/** Input and output names of the exported graph (the adapter and the benchmark read these). */
export const POLICY_ONNX_IO = { image: 'image', inputIds: 'input_ids', attentionMask: 'attention_mask', logits: 'logits' } as const;

/**
 * ONNX bytes (opset 17) for the policy's forward over text columns. `weights` maps every parameterShapes name
 * to its values; throws naming the tensor when one is missing or has the wrong size.
 */
export function exportPolicyOnnx(config: ModelConfig, weights: ReadonlyMap<string, Float32Array>, options: PolicyExportOptions = {}): Uint8Array {
  const g = new OnnxGraphBuilder(options.name ?? 'anatomy_r1_policy');
  const w = new Map<string, string>();
  for (const spec of parameterShapes(config)) {
    const data = weights.get(spec.name);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    if (!data) throw new Error(`ONNX export: tensor '${spec.name}' is missing from the weights`);
    if (data.length !== n) throw new Error(`ONNX export: tensor '${spec.name}' has ${data.length} values, shape [${spec.shape.join(', ')}] needs ${n}`);
    w.set(spec.name, g.initializer(spec.name, data, spec.shape));
  }
  const W = (name: string): string => {
    const v = w.get(name);
    if (!v) throw new Error(`ONNX export: the config has no tensor '${name}'`);
    return v;
  };

  const N = numImageTokens(config), S = config.imageSize / config.patchSize, P = config.patchSize, C = config.imageChannels;
  const L = config.maxSeqLen, V = config.vocabSize;
  const image = g.input(POLICY_ONNX_IO.image, ['batch', config.imageSize, config.imageSize, C]);
  const ids = g.input(POLICY_ONNX_IO.inputIds, ['batch', 'text'], 'int64');
  const maskIn = g.input(POLICY_ONNX_IO.attentionMask, ['batch', 'text'], 'int64');

  const linear = (prefix: string, x: string): string => g.add(g.matMul(x, W(`${prefix}.weight`)), W(`${prefix}.bias`));
  const norm = (prefix: string, x: string): string =>
    config.norm === 'layernorm'
      ? g.layerNorm(x, W(`${prefix}.weight`), W(`${prefix}.bias`), config.normEps)
      : g.rmsNorm(x, W(`${prefix}.weight`), config.normEps);

  // ---- layout: mask, cumsum, key bias and positions, all (B, ·) floats
  const mask = g.cast(maskIn, 'float'); // (B, T)
  const T = g.slice(g.shape(ids), [1], [2]); // int64 [1]
  const upper = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i; j < L; j++) upper[i * L + j] = 1;
  const U = g.slice(g.float(upper, [L, L], 'cumsum_upper'), g.int64([0, 0]), g.concat([T, T], 0), [0, 1]);
  const cum = g.matMul(mask, U); // (B, T): real tokens up to and including each column
  const one = g.float([1], [], 'one');
  const leftPad = g.node('Relu', [g.sub(one, cum)])[0];
  const batchShape = (cols: number): string => g.concat([g.slice(g.shape(ids), [0], [1]), g.int64([cols])], 0);
  const imageZeros = g.expand(g.float([0], [1, 1], 'zero'), batchShape(N)); // (B, N)
  const keyBias = g.unsqueeze(g.concat([imageZeros, g.mul(leftPad, g.float([MASKED_KEY], [], 'masked_key'))], 1), [1, 2]); // (B, 1, 1, N+T)
  const textPos = g.mul(mask, g.add(cum, g.float([N - 1], [], 'first_text_pos')));
  const imagePos = g.expand(g.float(Array.from({ length: N }, (_, i) => i), [1, N], 'image_pos'), batchShape(N));
  const positions = g.concat([imagePos, textPos], 1); // (B, N+T)
  const oneHot = g.where(
    g.equal(g.unsqueeze(positions, [2]), g.float(Array.from({ length: L }, (_, i) => i), [L], 'pos_range')),
    one, g.float([0], [], 'zero'),
  ); // (B, N+T, L)

  // Causal bias for the decoder, sliced to the run's length.
  const causal = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) causal[i * L + j] = MASKED_KEY;
  const total = g.add(T, g.int64([N]));
  const causalBias = g.slice(g.float(causal, [L, L], 'causal_bias'), g.int64([0, 0]), g.concat([total, total], 0), [0, 1]);

  let rope: { cos: string; sin: string } | null = null;
  const headDim = config.decoderWidth / config.decoderHeads;
  if (config.positions === 'rotary') {
    const half = headDim / 2;
    const cos = new Float32Array(L * half), sin = new Float32Array(L * half);
    for (let p = 0; p < L; p++) for (let i = 0; i < half; i++) {
      const angle = p * Math.pow(config.ropeTheta, (-2 * i) / headDim);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
    rope = {
      cos: g.unsqueeze(g.matMul(oneHot, g.float(cos, [L, half], 'rope_cos')), [1]), // (B, 1, N+T, half)
      sin: g.unsqueeze(g.matMul(oneHot, g.float(sin, [L, half], 'rope_sin')), [1]),
    };
  }

  const attention = (prefix: string, x: string, width: number, heads: number, bias: string[]): string => {
    const d = width / heads;
    const [q0, k0, v] = g.split(linear(`${prefix}.qkv`, x), [width, width, width], 2).map((t) => g.transpose(g.reshape(t, [0, 0, heads, d]), [0, 2, 1, 3])); // (B, H, T, d)
    let q = q0, k = k0;
    if (rope && prefix.startsWith('decoder')) {
      const rotate = (t: string): string => {
        const [x1, x2] = g.split(t, [d / 2, d / 2], 3);
        const y1 = g.sub(g.mul(x1, rope!.cos), g.mul(x2, rope!.sin));
        const y2 = g.add(g.mul(x2, rope!.cos), g.mul(x1, rope!.sin));
        return g.concat([y1, y2], 3);
      };
      q = rotate(q);
      k = rotate(k);
    }
    let scores = g.mul(g.matMul(q, g.transpose(k, [0, 1, 3, 2])), g.float([1 / Math.sqrt(d)], [], 'inv_sqrt_d'));
    for (const b of bias) scores = g.add(scores, b);
    const y = g.matMul(g.softmax(scores, -1), v); // (B, H, T, d)
    return linear(`${prefix}.proj`, g.reshape(g.transpose(y, [0, 2, 1, 3]), [0, 0, width]));
  };
  const block = (prefix: string, x: string, width: number, heads: number, bias: string[]): string => {
    const x1 = g.add(x, attention(`${prefix}.attn`, norm(`${prefix}.norm1`, x), width, heads, bias));
    const h = g.gelu(linear(`${prefix}.mlp.fc1`, norm(`${prefix}.norm2`, x1)), 'tanh');
    return g.add(x1, linear(`${prefix}.mlp.fc2`, h));
  };

  // ---- vision: patches flattened in (row, column, channel) order, as policy/vision.ts patchify
  const rows = g.reshape(image, [-1, P, S, P * C]); // (B*S, P, S, P*C)
  const patches = g.reshape(g.transpose(rows, [0, 2, 1, 3]), [-1, N, patchDim(config)]); // (B, N, P*P*C)
  let v = g.add(linear('vision.patch_embed', patches), W('vision.pos_embed'));
  for (let i = 0; i < config.visionDepth; i++) v = block(`vision.blocks.${i}`, v, config.visionWidth, config.visionHeads, []);
  v = norm('vision.norm', v);
  let imageTokens = linear('projector.fc1', v);
  if (config.projector === 'mlp') imageTokens = linear('projector.fc2', g.gelu(imageTokens, 'tanh'));

  // ---- decoder over [image tokens | text]
  let x = g.concat([imageTokens, g.gather(W('decoder.embed_tokens.weight'), ids)], 1); // (B, N+T, D)
  if (config.positions === 'learned') x = g.add(x, g.matMul(oneHot, W('decoder.pos_embed')));
  for (let i = 0; i < config.decoderDepth; i++) {
    x = block(`decoder.blocks.${i}`, x, config.decoderWidth, config.decoderHeads, [causalBias, keyBias]);
  }
  const text = g.slice(norm('decoder.norm', x), [N], [L + 1], [1]); // (B, T, D)
  const flat = g.reshape(text, [-1, config.decoderWidth]);
  const logits2 = config.tieEmbeddings
    ? g.gemm(flat, W('decoder.embed_tokens.weight'), undefined, { transB: true })
    : g.matMul(flat, W('lm_head.weight'));
  const logits = g.reshape(logits2, g.concat([g.shape(ids), g.int64([V])], 0));
  g.output(logits, ['batch', 'text', V], 'float', POLICY_ONNX_IO.logits);
  return g.build({ 'anatomy_r1.model_config': JSON.stringify(config), ...(options.metadata ?? {}) }, 'Anatomy-R1 Lab policy: image + text ids -> text logits');
}
