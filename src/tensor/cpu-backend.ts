// CpuBackend: the Backend on plain TypeScript loops (the functions in cpu/). It is the oracle every WGSL
// kernel is tested against and the fallback where a browser has no WebGPU. Float32 storage; the same
// reference functions run in float64 when a test asks for it.

import { NonFiniteError } from '../gpu/errors.ts';
import type { AdamWStep, Backend, BinaryOp, ClipInput, MatmulOptions, RopeOptions, UnaryOp, UnaryParams } from './backend.ts';
import { adamwUpdate, clipScale } from './cpu/adamw.ts';
import { binaryBackward, binaryForward, sumToShape, unaryBackward, unaryForward } from './cpu/elementwise.ts';
import { embeddingBackward, embeddingForward } from './cpu/embedding.ts';
import { axisCopy, transposeForward } from './cpu/layout.ts';
import { matmulBackward, matmulForward } from './cpu/matmul.ts';
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from './cpu/norm.ts';
import { dropoutForward } from './cpu/random.ts';
import { ropeForward } from './cpu/rope.ts';
import { logProbsBackward, logProbsForward, softmaxBackward, softmaxForward } from './cpu/softmax.ts';
import { matmulShapes } from './matmul-shapes.ts';
import { ropeDims } from './rope-dims.ts';
import { axisView, broadcastShapes, checkShape, checkWriteSlice, normAxis, padShape, shapesEqual, sizeOf, type Shape } from './shape.ts';
import { Tensor, type DType, type TensorStorage } from './tensor.ts';

interface CpuStorage extends TensorStorage {
  data: Float32Array | Int32Array;
}

/** Options of the CPU backend. */
export interface CpuBackendConfig {
  /** Check every op's output for NaN/Inf and throw NonFiniteError naming the op; typical false (slow). */
  checkNumerics: boolean;
}

export class CpuBackend implements Backend {
  readonly name = 'cpu' as const;
  checkNumerics: boolean;
  private live = 0;

  constructor(config: Partial<CpuBackendConfig> = {}) {
    this.checkNumerics = config.checkNumerics ?? false;
  }

  private make(shape: Shape, dtype: DType, data?: Float32Array | Int32Array): Tensor {
    checkShape(shape, 'cpu tensor');
    const n = sizeOf(shape);
    const storage: CpuStorage = { refs: 0, data: data ?? (dtype === 'i32' ? new Int32Array(n) : new Float32Array(n)) };
    this.live++;
    return new Tensor(this, [...shape], dtype, storage);
  }

  /** The Float32Array behind an f32 tensor (zero-copy; CPU-only callers such as tests). */
  f32(t: Tensor): Float32Array {
    t.assertAlive('cpu');
    if (t.backend !== this) throw new Error(`${t} belongs to another backend`);
    const d = (t.storage as CpuStorage).data;
    if (!(d instanceof Float32Array)) throw new Error(`${t} is not f32`);
    return d;
  }

  /** The Int32Array behind an i32 tensor. */
  i32(t: Tensor): Int32Array {
    t.assertAlive('cpu');
    const d = (t.storage as CpuStorage).data;
    if (!(d instanceof Int32Array)) throw new Error(`${t} is not i32`);
    return d;
  }

  private out(op: string, t: Tensor): Tensor {
    if (this.checkNumerics && t.dtype === 'f32') {
      const d = this.f32(t);
      for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) throw new NonFiniteError(op);
    }
    return t;
  }

  fromArray(data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32'): Tensor {
    if (data.length !== sizeOf(shape)) throw new Error(`fromArray: ${data.length} values for shape [${shape.join(', ')}]`);
    return this.make(shape, dtype, dtype === 'i32' ? Int32Array.from(data) : Float32Array.from(data));
  }

  zeros(shape: Shape, dtype: DType = 'f32'): Tensor {
    return this.make(shape, dtype);
  }

  fill(shape: Shape, value: number): Tensor {
    const t = this.make(shape, 'f32');
    this.f32(t).fill(value);
    return t;
  }

  async read(t: Tensor): Promise<Float32Array | Int32Array> {
    t.assertAlive('read');
    return (t.storage as CpuStorage).data.slice();
  }

  reshape(t: Tensor, shape: Shape): Tensor {
    t.assertAlive('reshape');
    if (sizeOf(shape) !== t.size) throw new Error(`reshape: [${t.shape.join(', ')}] to [${shape.join(', ')}] changes the size`);
    return new Tensor(this, [...shape], t.dtype, t.storage);
  }

  copy(t: Tensor): Tensor {
    return this.make(t.shape, t.dtype, (t.storage as CpuStorage).data.slice());
  }

  releaseStorage(): void {
    this.live--;
  }

  flush(): void {}

  async sync(): Promise<void> {}

  liveStorages(): number {
    return this.live;
  }

  matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
    const s = matmulShapes(a.shape, b.shape, opts);
    const out = this.zeros(s.outShape);
    matmulForward(this.f32(out), this.f32(a), this.f32(b), s.dims);
    return this.out('matmul', out);
  }

  matmulBackward(dout: Tensor, a: Tensor, b: Tensor, opts: MatmulOptions = {}): { da: Tensor; db: Tensor } {
    const s = matmulShapes(a.shape, b.shape, opts);
    const da = this.zeros(a.shape), db = this.zeros(b.shape);
    matmulBackward(this.f32(da), this.f32(db), this.f32(dout), this.f32(a), this.f32(b), s.dims);
    return { da: this.out('matmulBackward', da), db: this.out('matmulBackward', db) };
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
    const shape = broadcastShapes(a.shape, b.shape);
    const out = this.zeros(shape);
    binaryForward(op, this.f32(out), this.f32(a), a.shape, this.f32(b), b.shape, shape);
    return this.out(op, out);
  }

  binaryBackward(op: BinaryOp, dout: Tensor, a: Tensor, b: Tensor): { da: Tensor; db: Tensor } {
    const da = this.zeros(a.shape), db = this.zeros(b.shape);
    binaryBackward(op, this.f32(da), this.f32(db), this.f32(dout), this.f32(a), a.shape, this.f32(b), b.shape, dout.shape);
    return { da: this.out(`${op}Backward`, da), db: this.out(`${op}Backward`, db) };
  }

  unary(op: UnaryOp, x: Tensor, params: UnaryParams = {}): Tensor {
    const out = this.zeros(x.shape);
    unaryForward(op, this.f32(out), this.f32(x), params);
    return this.out(op, out);
  }

  unaryBackward(op: UnaryOp, dout: Tensor, x: Tensor, params: UnaryParams = {}): Tensor {
    const dx = this.zeros(x.shape);
    unaryBackward(op, this.f32(dx), this.f32(dout), this.f32(x), params);
    return this.out(`${op}Backward`, dx);
  }

  sumToShape(x: Tensor, shape: Shape): Tensor {
    const padded = padShape(shape, x.rank);
    if (!shapesEqual(broadcastShapes(padded, x.shape), x.shape)) {
      throw new Error(`sumToShape: [${shape.join(', ')}] does not broadcast to [${x.shape.join(', ')}]`);
    }
    const out = this.zeros(shape);
    sumToShape(this.f32(out), this.f32(x), x.shape, padded);
    return this.out('sum', out);
  }

  broadcastTo(x: Tensor, shape: Shape): Tensor {
    const zeros = this.zeros(shape);
    const out = this.binary('add', zeros, x);
    zeros.dispose();
    if (!shapesEqual(out.shape, shape)) throw new Error(`broadcastTo: [${x.shape.join(', ')}] to [${shape.join(', ')}]`);
    return out;
  }

  addInPlace(dst: Tensor, src: Tensor, alpha = 1): void {
    if (dst.size !== src.size) throw new Error(`addInPlace: sizes ${dst.size} and ${src.size}`);
    const d = this.f32(dst), s = this.f32(src);
    for (let i = 0; i < d.length; i++) d[i] += alpha * s[i];
  }

  layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const out = this.zeros(x.shape), mean = this.zeros(x.shape.slice(0, -1)), rstd = this.zeros(x.shape.slice(0, -1));
    layerNormForward(this.f32(out), this.f32(mean), this.f32(rstd), this.f32(x), this.f32(weight), this.f32(bias), rows, c, eps);
    return { out: this.out('layerNorm', out), mean, rstd };
  }

  layerNormBackward(dout: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const dx = this.zeros(x.shape), dweight = this.zeros(weight.shape), dbias = this.zeros(weight.shape);
    layerNormBackward(this.f32(dx), this.f32(dweight), this.f32(dbias), this.f32(dout), this.f32(x), this.f32(weight), this.f32(mean), this.f32(rstd), rows, c);
    return { dx: this.out('layerNormBackward', dx), dweight, dbias };
  }

  rmsNorm(x: Tensor, weight: Tensor, eps: number) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const out = this.zeros(x.shape), rstd = this.zeros(x.shape.slice(0, -1));
    rmsNormForward(this.f32(out), this.f32(rstd), this.f32(x), this.f32(weight), rows, c, eps);
    return { out: this.out('rmsNorm', out), rstd };
  }

  rmsNormBackward(dout: Tensor, x: Tensor, weight: Tensor, rstd: Tensor) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const dx = this.zeros(x.shape), dweight = this.zeros(weight.shape);
    rmsNormBackward(this.f32(dx), this.f32(dweight), this.f32(dout), this.f32(x), this.f32(weight), this.f32(rstd), rows, c);
    return { dx: this.out('rmsNormBackward', dx), dweight };
  }

  softmax(x: Tensor, causal = false): Tensor {
    const n = x.shape[x.rank - 1], rows = x.size / n;
    const tq = causal ? x.shape[x.rank - 2] : 1;
    const out = this.zeros(x.shape);
    softmaxForward(this.f32(out), this.f32(x), rows, n, causal, tq);
    return this.out('softmax', out);
  }

  softmaxBackward(dout: Tensor, y: Tensor): Tensor {
    const n = y.shape[y.rank - 1];
    const dx = this.zeros(y.shape);
    softmaxBackward(this.f32(dx), this.f32(dout), this.f32(y), y.size / n, n);
    return this.out('softmaxBackward', dx);
  }

  logProbs(logits: Tensor, targets: Tensor) {
    const v = logits.shape[logits.rank - 1], rows = logits.size / v;
    if (targets.size !== rows) throw new Error(`logProbs: ${targets.size} targets for ${rows} rows`);
    const logp = this.zeros(logits.shape.slice(0, -1)), lse = this.zeros(logits.shape.slice(0, -1));
    logProbsForward(this.f32(logp), this.f32(lse), this.f32(logits), this.i32(targets), rows, v);
    return { logp: this.out('logProbs', logp), lse };
  }

  logProbsBackward(dlogp: Tensor, logits: Tensor, targets: Tensor, lse: Tensor): Tensor {
    const v = logits.shape[logits.rank - 1], rows = logits.size / v;
    const d = this.zeros(logits.shape);
    logProbsBackward(this.f32(d), this.f32(dlogp), this.f32(logits), this.i32(targets), this.f32(lse), rows, v);
    return this.out('logProbsBackward', d);
  }

  embedding(ids: Tensor, table: Tensor): Tensor {
    const [vocab, c] = table.shape;
    const out = this.zeros([...ids.shape, c]);
    embeddingForward(this.f32(out), this.i32(ids), this.f32(table), ids.size, c, vocab);
    return out;
  }

  embeddingBackward(dout: Tensor, ids: Tensor, vocab: number): Tensor {
    const c = dout.shape[dout.rank - 1];
    const d = this.zeros([vocab, c]);
    embeddingBackward(this.f32(d), this.f32(dout), this.i32(ids), ids.size, c);
    return d;
  }

  transpose(x: Tensor, perm: readonly number[]): Tensor {
    if (perm.length !== x.rank || [...perm].sort().some((p, i) => p !== i)) throw new Error(`transpose: bad perm [${perm.join(', ')}] for rank ${x.rank}`);
    const out = this.zeros(perm.map((p) => x.shape[p]), x.dtype);
    transposeForward((out.storage as CpuStorage).data, (x.storage as CpuStorage).data, x.shape, perm);
    return out;
  }

  slice(x: Tensor, axis: number, start: number, end: number): Tensor {
    const ax = normAxis(axis, x.rank);
    if (start < 0 || end > x.shape[ax] || start > end) throw new Error(`slice: [${start}, ${end}) outside axis ${ax} of [${x.shape.join(', ')}]`);
    const shape = x.shape.map((d, i) => (i === ax ? end - start : d));
    const out = this.zeros(shape, x.dtype);
    const { outer, len, inner } = axisView(x.shape, ax);
    axisCopy((out.storage as CpuStorage).data, end - start, 0, (x.storage as CpuStorage).data, len, start, end - start, outer, inner, false);
    return out;
  }

  sliceBackward(dout: Tensor, shape: Shape, axis: number, start: number): Tensor {
    const ax = normAxis(axis, shape.length);
    const out = this.zeros(shape);
    const { outer, len, inner } = axisView(shape, ax);
    const count = dout.shape[ax];
    axisCopy(this.f32(out), len, start, this.f32(dout), count, 0, count, outer, inner, false);
    return out;
  }

  concat(xs: readonly Tensor[], axis: number): Tensor {
    const ax = normAxis(axis, xs[0].rank);
    const total = xs.reduce((s, x) => s + x.shape[ax], 0);
    const shape = xs[0].shape.map((d, i) => (i === ax ? total : d));
    const out = this.zeros(shape, xs[0].dtype);
    const { outer, inner } = axisView(shape, ax);
    let at = 0;
    for (const x of xs) {
      if (x.rank !== shape.length || x.shape.some((d, i) => i !== ax && d !== shape[i])) {
        throw new Error(`concat: [${x.shape.join(', ')}] does not match [${shape.join(', ')}] off axis ${ax}`);
      }
      axisCopy((out.storage as CpuStorage).data, total, at, (x.storage as CpuStorage).data, x.shape[ax], 0, x.shape[ax], outer, inner, false);
      at += x.shape[ax];
    }
    return out;
  }

  rope(x: Tensor, opts: RopeOptions): Tensor {
    const [t, d] = ropeDims(x);
    const out = this.zeros(x.shape);
    ropeForward(this.f32(out), this.f32(x), t, d, opts.base, opts.offset, opts.inverse ? -1 : 1);
    return this.out('rope', out);
  }

  writeSlice(dst: Tensor, src: Tensor, axis: number, start: number): void {
    const ax = normAxis(axis, dst.rank);
    checkWriteSlice(dst.shape, src.shape, ax, start);
    const { outer, len, inner } = axisView(dst.shape, ax);
    axisCopy((dst.storage as CpuStorage).data, len, start, (src.storage as CpuStorage).data, src.shape[ax], 0, src.shape[ax], outer, inner, false);
  }

  dropout(x: Tensor, p: number, seed: number): Tensor {
    const out = this.zeros(x.shape);
    dropoutForward(this.f32(out), this.f32(x), p, seed);
    return out;
  }

  sumSquares(xs: readonly Tensor[]): Tensor {
    let s = 0;
    for (const x of xs) for (const v of this.f32(x)) s += v * v;
    return this.fromArray([s], [1]);
  }

  adamwStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, h: AdamWStep, clip?: ClipInput): void {
    const scale = clip ? clipScale(this.f32(clip.normSq)[0], clip.maxNorm) : 1;
    adamwUpdate(this.f32(param), this.f32(grad), this.f32(m), this.f32(v), h, scale);
    this.out('adamw', param);
  }
}
