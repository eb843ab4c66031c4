// Models built with our ONNX writer, run by onnxruntime-web's wasm EP in Node, compared with plain loops.
// ORT in Node: `import * as ort from 'onnxruntime-web'` resolves to dist/ort.node.min.mjs, which finds its
// .wasm beside itself; only numThreads = 1 is needed (no worker threads, nothing fetched).
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from './graph.ts';
import { buildMatMulModel } from './matmul-model.ts';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

async function run(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 * 2 - 1;
  };
}

function randomArray(n: number, rand: () => number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * scale);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= worst)) { worst = excess; worstAt = i; }
  }
  if (worstAt >= 0) throw new Error(`element ${worstAt}: got ${actual[worstAt]}, expected ${expected[worstAt]}`);
}

const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

// ---- plain references, shape comments as (rows, cols)
function matmulRef(a: Float32Array, b: Float32Array, M: number, K: number, N: number): Float32Array { // (M,K) @ (K,N)
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
    c[i * N + j] = s;
  }
  return c;
}
function addRowRef(x: Float32Array, bias: Float32Array): Float32Array {
  return x.map((v, i) => v + bias[i % bias.length]);
}
// erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7)
function erf(x: number): number {
  const s = Math.sign(x);
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return s * y;
}
const geluErf = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
function layerNormRef(x: Float32Array, scale: Float32Array, bias: Float32Array | null, C: number, eps: number, rms = false): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r < x.length / C; r++) {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += x[r * C + c];
    mean = rms ? 0 : mean / C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[r * C + c] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / C + eps);
    for (let c = 0; c < C; c++) out[r * C + c] = (x[r * C + c] - mean) * rstd * scale[c] + (bias ? bias[c] : 0);
  }
  return out;
}

describe('MatMul model', () => {
  it('multiplies with B as an input', async () => {
    const rand = seeded(1);
    const [M, K, N] = [5, 7, 3];
    const a = randomArray(M * K, rand);
    const b = randomArray(K * N, rand);
    const out = await run(buildMatMulModel(M, K, N), { A: f32(a, [M, K]), B: f32(b, [K, N]) });
    expect(out.C.dims).toEqual([M, N]);
    expectClose(out.C.data as Float32Array, matmulRef(a, b, M, K, N));
  });

  it('multiplies with B as an initializer', async () => {
    const rand = seeded(2);
    const [M, K, N] = [16, 64, 32];
    const a = randomArray(M * K, rand);
    const b = randomArray(K * N, rand);
    const out = await run(buildMatMulModel(M, K, N, { weights: b }), { A: f32(a, [M, K]) });
    expectClose(out.C.data as Float32Array, matmulRef(a, b, M, K, N));
    expect(() => buildMatMulModel(2, 3, 4, { weights: new Float32Array(5) })).toThrow(/needs 12/);
    expect(() => buildMatMulModel(0, 3, 4)).toThrow(/M must be a positive integer/);
  });
});

describe('graph builder ops on ORT', () => {
  it('runs a 2-layer MLP with GELU (Gemm + MatMul/Add, erf and tanh forms)', async () => {
    const rand = seeded(3);
    const [T, C, H] = [6, 8, 32];
    const x = randomArray(T * C, rand, 2);
    const w1 = randomArray(C * H, rand, 0.5);
    const b1 = randomArray(H, rand, 0.1);
    const w2 = randomArray(H * C, rand, 0.5);
    const b2 = randomArray(C, rand, 0.1);
    for (const approximation of ['erf', 'tanh'] as const) {
      const g = new OnnxGraphBuilder('mlp');
      const input = g.input('x', ['T', C]);
      const hidden = g.gelu(g.gemm(input, g.initializer('fc1.weight', w1, [C, H]), g.initializer('fc1.bias', b1, [H])), approximation);
      const y = g.add(g.matMul(hidden, g.initializer('fc2.weight', w2, [H, C])), g.initializer('fc2.bias', b2, [C]));
      g.output(y, ['T', C], 'float', 'y');
      const out = await run(g.build(), { x: f32(x, [T, C]) });
      const gelu = approximation === 'erf' ? geluErf : geluTanh;
      const ref = addRowRef(matmulRef(addRowRef(matmulRef(x, w1, T, C, H), b1).map(gelu), w2, T, H, C), b2);
      expectClose(out.y.data as Float32Array, ref);
    }
  });

  it('runs LayerNormalization and an RMSNorm built from primitives', async () => {
    const rand = seeded(4);
    const [T, C] = [5, 16];
    const x = randomArray(T * C, rand, 3).map((v, i) => v + (i % 3)); // non-zero mean per row
    const scale = randomArray(C, rand).map((v) => 1 + v * 0.5);
    const bias = randomArray(C, rand, 0.2);
    const g = new OnnxGraphBuilder('norms');
    const input = g.input('x', ['T', C]);
    g.output(g.layerNorm(input, g.initializer('ln.weight', scale, [C]), g.initializer('ln.bias', bias, [C]), 1e-5), ['T', C], 'float', 'ln');
    g.output(g.rmsNorm(input, g.initializer('rms.weight', scale, [C]), 1e-5), ['T', C], 'float', 'rms');
    const out = await run(g.build(), { x: f32(x, [T, C]) });
    expectClose(out.ln.data as Float32Array, layerNormRef(x, scale, bias, C, 1e-5));
    expectClose(out.rms.data as Float32Array, layerNormRef(x, scale, null, C, 1e-5, true));
  });

  it('runs a pre-norm causal softmax attention block with a dynamic length', async () => {
    const rand = seeded(5);
    const [C, heads, maxT] = [16, 4, 12];
    const D = C / heads;
    const lnScale = randomArray(C, rand).map((v) => 1 + 0.2 * v);
    const lnBias = randomArray(C, rand, 0.1);
    const wqkv = randomArray(C * 3 * C, rand, 0.4);
    const bqkv = randomArray(3 * C, rand, 0.1);
    const wproj = randomArray(C * C, rand, 0.4);
    const bproj = randomArray(C, rand, 0.1);
    const causal = new Uint8Array(maxT * maxT).map((_, i) => (i % maxT <= Math.floor(i / maxT) ? 1 : 0));

    const g = new OnnxGraphBuilder('attention');
    const x = g.input('x', ['T', C]);
    const h = g.layerNorm(x, g.initializer('ln.weight', lnScale, [C]), g.initializer('ln.bias', lnBias, [C]));
    const qkv = g.add(g.matMul(h, g.initializer('qkv.weight', wqkv, [C, 3 * C])), g.initializer('qkv.bias', bqkv, [3 * C])); // (T, 3C)
    const split = g.transpose(g.reshape(qkv, [-1, 3, heads, D]), [1, 2, 0, 3]); // (3, H, T, D)
    const pick = (i: number) => g.gather(split, g.int64([i], [], 'index'), 0); // (H, T, D)
    const [q, k, v] = [pick(0), pick(1), pick(2)];
    const scores = g.mul(g.matMul(q, g.transpose(k, [0, 2, 1])), g.float([1 / Math.sqrt(D)], [], 'scale')); // (H, T, T)
    const length = g.slice(g.shape(x), [0], [1]); // [T]
    const ends = g.concat([length, length], 0);
    const mask = g.slice(g.constant({ elemType: 'bool', dims: [maxT, maxT], data: causal }), [0, 0], ends, [0, 1]);
    const masked = g.where(mask, scores, g.float([-1e9], [], 'neg_inf'));
    const att = g.matMul(g.softmax(masked, -1), v); // (H, T, D)
    const merged = g.reshape(g.transpose(att, [1, 0, 2]), [-1, C]); // (T, C)
    const y = g.add(x, g.add(g.matMul(merged, g.initializer('proj.weight', wproj, [C, C])), g.initializer('proj.bias', bproj, [C])));
    g.output(y, ['T', C], 'float', 'y');
    const model = g.build({ note: 'attention test' });

    for (const T of [1, 5, maxT]) {
      const xs = randomArray(T * C, rand);
      const out = await run(model, { x: f32(xs, [T, C]) });
      expectClose(out.y.data as Float32Array, attentionRef(xs, T));
    }

    function attentionRef(xs: Float32Array, T: number): Float32Array {
      const hRef = layerNormRef(xs, lnScale, lnBias, C, 1e-5);
      const qkvRef = addRowRef(matmulRef(hRef, wqkv, T, C, 3 * C), bqkv); // (T, 3C), [q | k | v]
      const merged = new Float32Array(T * C);
      for (let hd = 0; hd < heads; hd++) {
        for (let t = 0; t < T; t++) {
          const scores: number[] = [];
          for (let s = 0; s <= t; s++) {
            let dot = 0;
            for (let d = 0; d < D; d++) dot += qkvRef[t * 3 * C + hd * D + d] * qkvRef[s * 3 * C + C + hd * D + d];
            scores.push(dot / Math.sqrt(D));
          }
          const max = Math.max(...scores);
          const e = scores.map((s) => Math.exp(s - max));
          const sum = e.reduce((a, b) => a + b, 0);
          for (let d = 0; d < D; d++) {
            let acc = 0;
            for (let s = 0; s <= t; s++) acc += (e[s] / sum) * qkvRef[s * 3 * C + 2 * C + hd * D + d];
            merged[t * C + hd * D + d] = acc;
          }
        }
      }
      const proj = addRowRef(matmulRef(merged, wproj, T, C, C), bproj);
      return proj.map((p, i) => p + xs[i]);
    }
  });

  it('runs an embedding lookup (Gather with int64 ids), Concat along tokens, Sigmoid and Gemm with transB', async () => {
    const rand = seeded(6);
    const [V, C, P] = [10, 4, 3];
    const table = randomArray(V * C, rand);
    const prefix = randomArray(P * C, rand);
    const w = randomArray(C * C, rand); // used transposed
    const ids = [3, 0, 9, 3];
    const g = new OnnxGraphBuilder('embed');
    const idInput = g.input('ids', ['S'], 'int64');
    const prefixInput = g.input('prefix', [P, C]);
    const tokens = g.gather(g.initializer('embed.weight', table, [V, C]), idInput); // (S, C)
    const sequence = g.concat([prefixInput, tokens], 0); // (P + S, C)
    g.output(g.sigmoid(g.gemm(sequence, g.initializer('w', w, [C, C]), undefined, { transB: true, alpha: 0.5 })), ['L', C], 'float', 'y');
    const out = await run(g.build(), {
      ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [ids.length]),
      prefix: f32(prefix, [P, C]),
    });
    const seq = new Float32Array((P + ids.length) * C);
    seq.set(prefix);
    ids.forEach((id, i) => seq.set(table.subarray(id * C, id * C + C), (P + i) * C));
    const wT = new Float32Array(C * C).map((_, i) => w[(i % C) * C + Math.floor(i / C)]);
    const ref = matmulRef(seq, wT, P + ids.length, C, C).map((v) => 1 / (1 + Math.exp(-0.5 * v)));
    expect(out.y.dims).toEqual([P + ids.length, C]);
    expectClose(out.y.data as Float32Array, ref);
  });

  it('builds a causal mask from the length (Shape, Squeeze, Range, Unsqueeze, LessOrEqual, Cast) and splits qkv', async () => {
    const C = 3;
    const g = new OnnxGraphBuilder('mask');
    const x = g.input('x', ['T', 3 * C]);
    const T = g.squeeze(g.slice(g.shape(x), [0], [1]), [0]); // scalar int64
    const positions = g.range(g.int64([0], []), T, g.int64([1], [])); // (T)
    const allowed = g.lessOrEqual(g.unsqueeze(positions, [0]), g.unsqueeze(positions, [1])); // (T, T): key <= query
    g.output(g.cast(allowed, 'float'), ['T', 'T'], 'float', 'mask');
    const [q, k, v] = g.split(x, [C, C, C], 1);
    g.output(g.reduceSum(g.add(g.add(q, k), v), [1], false), ['T'], 'float', 'sum');
    g.output(g.expand(g.float([7], [1]), g.shape(q)), ['T', C], 'float', 'filled');
    const rows = 4;
    const xs = Float32Array.from({ length: rows * 3 * C }, (_, i) => i);
    const out = await run(g.build(), { x: f32(xs, [rows, 3 * C]) });
    expect(Array.from(out.mask.data as Float32Array)).toEqual([1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1]);
    const sums = Array.from({ length: rows }, (_, r) => xs.subarray(r * 9, r * 9 + 9).reduce((a, b) => a + b, 0));
    expect(Array.from(out.sum.data as Float32Array)).toEqual(sums);
    expect(Array.from(out.filled.data as Float32Array)).toEqual(new Array(rows * C).fill(7));
  });

  it('refuses a graph without outputs, reused names and values used before they exist', () => {
    const g = new OnnxGraphBuilder('empty');
    g.input('x', [1]);
    expect(() => g.build()).toThrow(/no outputs/);
    expect(() => g.input('x', [1])).toThrow(/used twice/);
    g.output(g.add('x', 'nowhere'), [1]);
    expect(() => g.build()).toThrow(/Add node .* reads 'nowhere', which no input, initializer or earlier node defines/);
  });
});
