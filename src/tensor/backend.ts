// The Backend interface: every kernel the engine has, forward and backward as separate methods (llm.c
// style). CpuBackend (plain loops, the oracle and the no-WebGPU fallback) and WebGpuBackend implement it;
// the autograd tape (autograd.ts) and the model are written against it only.
//
// Conventions: ops return new tensors and never mutate inputs, except the methods named *InPlace and
// adamwStep. Backward methods return fresh gradient tensors (the tape accumulates them). On WebGPU
// nothing here waits for the GPU: work is recorded into one command encoder until `read` or `flush`.

import type { AdamWStep } from './cpu/adamw.ts';
import type { BinaryOp, UnaryOp, UnaryParams } from './cpu/elementwise.ts';
import type { Shape } from './shape.ts';
import type { DType, Tensor, TensorStorage } from './tensor.ts';

export type { AdamWStep, BinaryOp, UnaryOp, UnaryParams };

/** Layout flags of a matmul: op(X) = X^T when set. */
export interface MatmulOptions {
  /** A is stored (..., K, M). */
  transA?: boolean;
  /** B is stored (..., N, K). */
  transB?: boolean;
}

/** Gradient clipping input for adamwStep: the global squared norm as a 1-element tensor, never read back. */
export interface ClipInput {
  /** Sum of squared gradients over all parameters, shape [1] (from `sumSquares`). */
  normSq: Tensor;
  /** Clip when the global norm exceeds this; typical 1.0. */
  maxNorm: number;
}

/** Rotary embedding settings. */
export interface RopeOptions {
  /** Frequency base; typical 10000. */
  base: number;
  /** Position of the first of the T rows (tokens already in the KV cache); typical 0 in training. */
  offset: number;
  /** Rotate by the negative angle (the backward pass). */
  inverse?: boolean;
}

export interface Backend {
  readonly name: 'cpu' | 'webgpu';

  // ---- storage -------------------------------------------------------------------------------------
  /** A tensor holding a copy of `data` (f32 unless `dtype` is 'i32'). */
  fromArray(data: ArrayLike<number>, shape: Shape, dtype?: DType): Tensor;
  zeros(shape: Shape, dtype?: DType): Tensor;
  /** A tensor with every element `value`. */
  fill(shape: Shape, value: number): Tensor;
  /** The only path back to the CPU (async; on WebGPU it submits pending work first). */
  read(t: Tensor): Promise<Float32Array | Int32Array>;
  /** Same data, new shape (same size); shares storage. */
  reshape(t: Tensor, shape: Shape): Tensor;
  copy(t: Tensor): Tensor;
  /** Called by Tensor.dispose when the last view of `storage` goes away. */
  releaseStorage(storage: TensorStorage): void;
  /** Submits recorded GPU work (the end of a step). No-op on the CPU. */
  flush(): void;
  /** Waits for submitted work and throws deferred errors (GPU error scopes, NaN/Inf checks when on). */
  sync(): Promise<void>;
  /** Tensors' storages currently alive (a leak check across steps). */
  liveStorages(): number;

  // ---- matmul --------------------------------------------------------------------------------------
  /** (..., M, K) @ (..., K, N) -> (..., M, N); batch dims equal, or one operand 2D (shared by the batch). */
  matmul(a: Tensor, b: Tensor, opts?: MatmulOptions): Tensor;
  matmulBackward(dout: Tensor, a: Tensor, b: Tensor, opts?: MatmulOptions): { da: Tensor; db: Tensor };

  // ---- elementwise and reductions -------------------------------------------------------------------
  /** Numpy-broadcast binary op. */
  binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor;
  /** Gradients reduced to a's and b's shapes. */
  binaryBackward(op: BinaryOp, dout: Tensor, a: Tensor, b: Tensor): { da: Tensor; db: Tensor };
  unary(op: UnaryOp, x: Tensor, params?: UnaryParams): Tensor;
  unaryBackward(op: UnaryOp, dout: Tensor, x: Tensor, params?: UnaryParams): Tensor;
  /** Sums x down to `shape` (broadcast-compatible, same rank): the reduction behind sum, mean, broadcast grads. */
  sumToShape(x: Tensor, shape: Shape): Tensor;
  /** Broadcasts x up to `shape` (the backward of sumToShape). */
  broadcastTo(x: Tensor, shape: Shape): Tensor;
  /** dst += alpha * src (same size); gradient accumulation. */
  addInPlace(dst: Tensor, src: Tensor, alpha?: number): void;

  // ---- normalisation and softmax (last axis) ---------------------------------------------------------
  layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): { out: Tensor; mean: Tensor; rstd: Tensor };
  layerNormBackward(dout: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor): { dx: Tensor; dweight: Tensor; dbias: Tensor };
  rmsNorm(x: Tensor, weight: Tensor, eps: number): { out: Tensor; rstd: Tensor };
  rmsNormBackward(dout: Tensor, x: Tensor, weight: Tensor, rstd: Tensor): { dx: Tensor; dweight: Tensor };
  /** Softmax over the last axis; `causal` treats the last two axes as (Tq, Tk) scores and masks the future. */
  softmax(x: Tensor, causal?: boolean): Tensor;
  softmaxBackward(dout: Tensor, y: Tensor): Tensor;
  /** Per-row log-softmax gathered at `targets` (i32, -1 = ignore -> 0): logits (..., V) -> logp (...). */
  logProbs(logits: Tensor, targets: Tensor): { logp: Tensor; lse: Tensor };
  logProbsBackward(dlogp: Tensor, logits: Tensor, targets: Tensor, lse: Tensor): Tensor;

  // ---- lookup and layout ---------------------------------------------------------------------------
  /** ids (...) i32, table (V, C) -> (..., C). Ids outside [0, V) throw on the CPU, give zero rows on WebGPU. */
  embedding(ids: Tensor, table: Tensor): Tensor;
  /** Scatter-add of dout rows into a zero (V, C) table. */
  embeddingBackward(dout: Tensor, ids: Tensor, vocab: number): Tensor;
  /** Permutes axes: out.shape[i] = x.shape[perm[i]]. */
  transpose(x: Tensor, perm: readonly number[]): Tensor;
  /** x[..., start:end, ...] along `axis`. */
  slice(x: Tensor, axis: number, start: number, end: number): Tensor;
  /** Zeros of `shape` with dout placed at [start, start + dout.shape[axis]) along `axis`. */
  sliceBackward(dout: Tensor, shape: Shape, axis: number, start: number): Tensor;
  concat(xs: readonly Tensor[], axis: number): Tensor;
  /** In place: dst[..., start:start + src.shape[axis], ...] = src (a KV-cache append without reallocating). */
  writeSlice(dst: Tensor, src: Tensor, axis: number, start: number): void;
  /**
   * Rotary position embedding over x (..., T, D), D even, half-split pairs; position = offset + t (offset
   * is the KV-cache length). `inverse` rotates back, which is the backward.
   */
  rope(x: Tensor, opts: RopeOptions): Tensor;
  /** Inverted dropout with a counter-based mask: same (seed, p) gives the same mask; backward is dropout(dout). */
  dropout(x: Tensor, p: number, seed: number): Tensor;

  // ---- optimizer -----------------------------------------------------------------------------------
  /** Sum of squares of all elements of all tensors, shape [1] (global gradient norm squared). */
  sumSquares(xs: readonly Tensor[]): Tensor;
  /** One AdamW update of param, m, v in place from grad (scaled by the clip factor when `clip` is given). */
  adamwStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, h: AdamWStep, clip?: ClipInput): void;
}
