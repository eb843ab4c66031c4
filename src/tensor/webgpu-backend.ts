// WebGpuBackend: the Backend on WGSL kernels (src/gpu/kernels). Tensors live in pooled GPU buffers; every op
// records dispatches into the runner's one command encoder, and nothing comes back to the CPU except
// through `read` (async). Gradients, norms and the optimizer all stay on the GPU.

import { NonFiniteError } from '../gpu/errors.ts';
import { grid, FLAT_WG, rowGrid, rowKernelFor, rowVec4Ok, type RowKernel } from '../gpu/kernels/common.ts';
import {
  addInPlaceProgram, binaryBackwardProgram, binaryProgram, dropoutProgram, fillProgram, RANK, unaryBackwardProgram, unaryProgram,
  type BinaryKernelOp,
} from '../gpu/kernels/elementwise.ts';
import { axisCopyProgram, embeddingBackwardProgram, embeddingProgram, transposeProgram } from '../gpu/kernels/layout.ts';
import { defaultMatmulTiling, matmulDispatch, matmulTilingFor, matmulProgram, matmulVec4Ok, type MatmulTiling } from '../gpu/kernels/matmul.ts';
import {
  layerNormBackwardProgram, layerNormParamGradProgram, layerNormProgram, rmsNormBackwardProgram, rmsNormParamGradProgram, rmsNormProgram,
} from '../gpu/kernels/norm.ts';
import { ALL_FINITE, checkFiniteProgram } from '../gpu/kernels/numerics.ts';
import { adamwProgram, sumPartialsProgram, sumSquaresProgram } from '../gpu/kernels/optim.ts';
import { sumToShapeProgram } from '../gpu/kernels/reduce.ts';
import { ropeProgram } from '../gpu/kernels/rope.ts';
import { logProbsBackwardProgram, logProbsProgram, softmaxBackwardProgram, softmaxProgram } from '../gpu/kernels/softmax.ts';
import type { KernelProgram } from '../gpu/program.ts';
import { GpuRunner, STORAGE_USAGE, type RunnerConfig, type RunnerStats } from '../gpu/runner.ts';
import type { AdamWStep, Backend, BinaryOp, ClipInput, MatmulOptions, RopeOptions, UnaryOp, UnaryParams } from './backend.ts';
import { ropeDims } from './rope-dims.ts';
import { matmulShapes } from './matmul-shapes.ts';
import {
  axisView, broadcastShapes, broadcastStrides, checkShape, checkWriteSlice, normAxis, padShape, shapesEqual, sizeOf, stridesOf, type Shape,
} from './shape.ts';
import { Tensor, type DType, type TensorStorage } from './tensor.ts';

interface GpuStorage extends TensorStorage {
  buffer: GPUBuffer;
}

/** Everything the WebGPU backend can be tuned with. */
export interface WebGpuBackendConfig {
  /** Matmul tile sizes (from an autotune or a preset); default suits SwiftShader-class adapters. */
  matmul: MatmulTiling;
  /** Scan every op's output for NaN/Inf on the GPU; `sync()`/`read()` throw NonFiniteError naming the first op. */
  checkNumerics: boolean;
  /** Runner tuning (uniform slots, require precompiled pipelines). */
  runner: Partial<RunnerConfig>;
  /**
   * Row kernels (softmax, norms, log-probs): 'workgroup' per row (real GPUs) or 'thread' per row (SwiftShader,
   * about 10x faster there). Default: `rowKernelFor(device.adapterInfo)`, 'workgroup' when the info is missing.
   */
  rowKernel: RowKernel;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu' as const;
  readonly runner: GpuRunner;
  readonly config: WebGpuBackendConfig;
  private live = 0;
  private readonly numericFlag: GPUBuffer;
  private checkedOps: string[] = [];

  constructor(device: GPUDevice, config: Partial<WebGpuBackendConfig> = {}) {
    // adapterInfo is missing on older browsers' devices; the GPU layout is the safe default there.
    const info = (device as Partial<Pick<GPUDevice, 'adapterInfo'>>).adapterInfo;
    const rowKernel = info ? rowKernelFor(info) : 'workgroup';
    const matmul = info ? matmulTilingFor(info) : defaultMatmulTiling;
    this.config = { matmul, checkNumerics: false, runner: {}, rowKernel, ...config };
    this.runner = new GpuRunner(device, this.config.runner);
    this.numericFlag = this.runner.pool.acquire(4, STORAGE_USAGE, 'numeric flag');
    this.runner.write(this.numericFlag, new Uint32Array([ALL_FINITE]));
  }

  /** Turns NaN/Inf detection on or off between steps. */
  set checkNumerics(on: boolean) {
    this.config.checkNumerics = on;
  }

  get checkNumerics(): boolean {
    return this.config.checkNumerics;
  }

  /** Every program this backend can dispatch, for compiling up front. */
  programs(): KernelProgram[] {
    const t = this.config.matmul, rk = this.config.rowKernel;
    const list: KernelProgram[] = [];
    for (const transA of [false, true]) for (const transB of [false, true]) for (const vec4 of [false, true]) list.push(matmulProgram({ ...t, transA, transB, vec4 }));
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'lhs'] as const) list.push(binaryProgram(op));
    for (const op of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const) list.push(binaryBackwardProgram(op));
    for (const op of ['gelu', 'silu', 'relu', 'exp', 'log', 'neg', 'scale', 'clamp', 'square'] as const) {
      list.push(unaryProgram(op), unaryBackwardProgram(op));
    }
    list.push(
      addInPlaceProgram(), fillProgram(), dropoutProgram(), sumToShapeProgram(), layerNormParamGradProgram(), rmsNormParamGradProgram(),
      logProbsBackwardProgram(), embeddingProgram(), embeddingBackwardProgram(),
      transposeProgram(), axisCopyProgram(), sumSquaresProgram(), sumPartialsProgram(), adamwProgram(), checkFiniteProgram(), ropeProgram(),
    );
    // Row kernels: the thread layout has a vec4 twin of each (the workgroup layout returns the same program twice).
    for (const vec4 of rk === 'thread' ? [false, true] : [false]) {
      list.push(
        layerNormProgram(rk, vec4), layerNormBackwardProgram(rk, vec4), rmsNormProgram(rk, vec4), rmsNormBackwardProgram(rk, vec4),
        softmaxProgram(rk, vec4), softmaxBackwardProgram(rk, vec4), logProbsProgram(rk, vec4),
      );
    }
    return list;
  }

  /** Compiles every pipeline (call once at start-up, before the first step). */
  async warmup(): Promise<void> {
    await this.runner.compile(this.programs());
  }

  stats(): RunnerStats {
    return this.runner.stats();
  }

  private buf(t: Tensor, op: string): GPUBuffer {
    t.assertAlive(op);
    if (t.backend !== this) throw new Error(`${op}: ${t} belongs to another backend`);
    return (t.storage as GpuStorage).buffer;
  }

  private make(shape: Shape, dtype: DType = 'f32'): Tensor {
    checkShape(shape, 'webgpu tensor');
    const storage: GpuStorage = { refs: 0, buffer: this.runner.pool.acquire(sizeOf(shape) * 4, STORAGE_USAGE) };
    this.live++;
    return new Tensor(this, [...shape], dtype, storage);
  }

  /** Marks an op's output for the NaN/Inf scan when checks are on. */
  private out(op: string, t: Tensor): Tensor {
    if (this.config.checkNumerics && t.dtype === 'f32' && t.size > 0) {
      this.checkedOps.push(op);
      const [x, y] = grid(t.size, FLAT_WG);
      this.runner.dispatch(checkFiniteProgram(), [this.buf(t, op), this.numericFlag], { n: t.size, opId: this.checkedOps.length - 1 }, [x, y]);
    }
    return t;
  }

  private flat(program: KernelProgram, buffers: GPUBuffer[], uniforms: Record<string, number>, n: number): void {
    const [x, y] = grid(n, FLAT_WG);
    this.runner.dispatch(program, buffers, uniforms, [x, y]);
  }

  private rows(program: KernelProgram, buffers: GPUBuffer[], uniforms: Record<string, number>, rows: number): void {
    const [x, y] = grid(rows, 1);
    this.runner.dispatch(program, buffers, uniforms, [x, y]);
  }

  /** Dispatches a row kernel built for `config.rowKernel`. */
  private rowKernel(program: KernelProgram, buffers: GPUBuffer[], uniforms: Record<string, number>, rows: number): void {
    const [x, y] = rowGrid(rows, this.config.rowKernel);
    this.runner.dispatch(program, buffers, uniforms, [x, y]);
  }

  fromArray(data: ArrayLike<number>, shape: Shape, dtype: DType = 'f32'): Tensor {
    if (data.length !== sizeOf(shape)) throw new Error(`fromArray: ${data.length} values for shape [${shape.join(', ')}]`);
    const t = this.make(shape, dtype);
    if (t.size > 0) this.runner.write(this.buf(t, 'fromArray'), dtype === 'i32' ? Int32Array.from(data) : Float32Array.from(data));
    return t;
  }

  zeros(shape: Shape, dtype: DType = 'f32'): Tensor {
    const t = this.make(shape, dtype);
    if (t.size > 0) this.runner.clear(this.buf(t, 'zeros'), t.size * 4);
    return t;
  }

  fill(shape: Shape, value: number): Tensor {
    const t = this.make(shape);
    this.flat(fillProgram(), [this.buf(t, 'fill')], { n: t.size, value }, t.size);
    return t;
  }

  async read(t: Tensor): Promise<Float32Array | Int32Array> {
    const bytes = await this.runner.read(this.buf(t, 'read'), Math.max(4, t.size * 4));
    await this.checkNumericFlag();
    const all = t.dtype === 'i32' ? new Int32Array(bytes) : new Float32Array(bytes);
    return all.subarray(0, t.size);
  }

  reshape(t: Tensor, shape: Shape): Tensor {
    t.assertAlive('reshape');
    if (sizeOf(shape) !== t.size) throw new Error(`reshape: [${t.shape.join(', ')}] to [${shape.join(', ')}] changes the size`);
    return new Tensor(this, [...shape], t.dtype, t.storage);
  }

  copy(t: Tensor): Tensor {
    const out = this.make(t.shape, t.dtype);
    if (t.size > 0) this.runner.copy(this.buf(t, 'copy'), 0, this.buf(out, 'copy'), 0, t.size * 4);
    return out;
  }

  releaseStorage(storage: TensorStorage): void {
    this.runner.pool.release((storage as GpuStorage).buffer);
    this.live--;
  }

  flush(): void {
    this.runner.submit();
  }

  async sync(): Promise<void> {
    await this.runner.finish();
    await this.checkNumericFlag();
  }

  private async checkNumericFlag(): Promise<void> {
    if (this.checkedOps.length === 0) return;
    const ops = this.checkedOps;
    this.checkedOps = [];
    const flag = new Uint32Array(await this.runner.read(this.numericFlag, 4))[0];
    if (flag !== ALL_FINITE) {
      this.runner.write(this.numericFlag, new Uint32Array([ALL_FINITE]));
      throw new NonFiniteError(ops[flag] ?? `op #${flag}`);
    }
  }

  liveStorages(): number {
    return this.live;
  }

  matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
    const { dims, outShape } = matmulShapes(a.shape, b.shape, opts);
    const out = this.make(outShape);
    const { batch, m, n, k, transA, transB } = dims;
    if (out.size === 0) return out;
    if (k === 0) {
      this.runner.clear(this.buf(out, 'matmul'), out.size * 4);
      return out;
    }
    const t = this.config.matmul;
    const program = matmulProgram({ ...t, transA, transB, vec4: matmulVec4Ok(m, n, k, transA) });
    this.runner.dispatch(
      program,
      [this.buf(a, 'matmul'), this.buf(b, 'matmul'), this.buf(out, 'matmul')],
      { m, n, k, strideA: dims.strideA, strideB: dims.strideB, strideC: m * n },
      matmulDispatch(t, batch, m, n),
    );
    return this.out('matmul', out);
  }

  matmulBackward(dout: Tensor, a: Tensor, b: Tensor, opts: MatmulOptions = {}): { da: Tensor; db: Tensor } {
    const { dims } = matmulShapes(a.shape, b.shape, opts);
    const { transA, transB, m, n, k } = dims;
    // da: op(A) = dout @ op(B)^T, stored transposed when A is.
    let da = transA ? this.matmul(b, dout, { transA: transB, transB: true }) : this.matmul(dout, b, { transB: !transB });
    if (!shapesEqual(da.shape, a.shape)) da = this.reduceBatch(da, a.shape);
    let db: Tensor;
    if (b.rank === 2 && a.rank > 2 && !transA) {
      // B shared by the batch: fold the batch into M so one matmul sums over it.
      const a2 = this.reshape(a, [dims.batch * m, k]), d2 = this.reshape(dout, [dims.batch * m, n]);
      db = transB ? this.matmul(d2, a2, { transA: true }) : this.matmul(a2, d2, { transA: true });
      a2.dispose();
      d2.dispose();
    } else {
      db = transB ? this.matmul(dout, a, { transA: true, transB: transA }) : this.matmul(a, dout, { transA: !transA });
      if (!shapesEqual(db.shape, b.shape)) db = this.reduceBatch(db, b.shape);
    }
    return { da, db };
  }

  /** Sums a batched gradient down to a 2D operand's shape, disposing the batched one. */
  private reduceBatch(g: Tensor, shape: Shape): Tensor {
    const r = this.sumToShape(g, shape);
    g.dispose();
    return r;
  }

  private broadcastUniforms(aShape: Shape, bShape: Shape, outShape: Shape): Record<string, number> {
    const out6 = padShape(outShape, RANK);
    const sa = broadcastStrides(padShape(aShape, RANK), out6), sb = broadcastStrides(padShape(bShape, RANK), out6);
    const u: Record<string, number> = { n: sizeOf(outShape) };
    for (let d = 0; d < RANK; d++) {
      u[`d${d}`] = out6[d];
      u[`as${d}`] = sa[d];
      u[`bs${d}`] = sb[d];
    }
    return u;
  }

  private binaryKernel(op: BinaryKernelOp, a: Tensor, b: Tensor, shape: Shape): Tensor {
    const out = this.make(shape);
    this.flat(binaryProgram(op), [this.buf(a, op), this.buf(b, op), this.buf(out, op)], this.broadcastUniforms(a.shape, b.shape, shape), out.size);
    return this.out(op, out);
  }

  binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
    return this.binaryKernel(op, a, b, broadcastShapes(a.shape, b.shape));
  }

  binaryBackward(op: BinaryOp, dout: Tensor, a: Tensor, b: Tensor): { da: Tensor; db: Tensor } {
    const shape = dout.shape;
    const ga = this.make(shape), gb = this.make(shape);
    this.flat(
      binaryBackwardProgram(op),
      [this.buf(dout, op), this.buf(a, op), this.buf(b, op), this.buf(ga, op), this.buf(gb, op)],
      this.broadcastUniforms(a.shape, b.shape, shape),
      ga.size,
    );
    const da = shapesEqual(a.shape, shape) ? ga : this.reduceBatch(ga, a.shape);
    const db = shapesEqual(b.shape, shape) ? gb : this.reduceBatch(gb, b.shape);
    return { da: this.out(`${op}Backward`, da), db: this.out(`${op}Backward`, db) };
  }

  unary(op: UnaryOp, x: Tensor, params: UnaryParams = {}): Tensor {
    const out = this.make(x.shape);
    this.flat(unaryProgram(op), [this.buf(x, op), this.buf(out, op)], { n: x.size, alpha: params.alpha ?? 1, beta: params.beta ?? 0 }, x.size);
    return this.out(op, out);
  }

  unaryBackward(op: UnaryOp, dout: Tensor, x: Tensor, params: UnaryParams = {}): Tensor {
    const dx = this.make(x.shape);
    this.flat(unaryBackwardProgram(op), [this.buf(dout, op), this.buf(x, op), this.buf(dx, op)], { n: x.size, alpha: params.alpha ?? 1, beta: params.beta ?? 0 }, x.size);
    return this.out(`${op}Backward`, dx);
  }

  sumToShape(x: Tensor, shape: Shape): Tensor {
    const padded = padShape(shape, x.rank);
    if (padded.length !== x.rank || !shapesEqual(broadcastShapes(padded, x.shape), x.shape)) {
      throw new Error(`sumToShape: [${shape.join(', ')}] does not broadcast to [${x.shape.join(', ')}]`);
    }
    const out = this.make(shape);
    if (out.size === 0) return out;
    const in6 = padShape(x.shape, RANK), out6 = padShape(shape, RANK), st = stridesOf(in6);
    const u: Record<string, number> = { nOut: out.size, nRed: x.size / Math.max(1, out.size) };
    for (let d = 0; d < RANK; d++) {
      const reduced = out6[d] === 1 && in6[d] !== 1;
      u[`od${d}`] = reduced ? 1 : out6[d];
      u[`rd${d}`] = reduced ? in6[d] : 1;
      u[`st${d}`] = st[d];
    }
    if (x.size === 0) {
      this.runner.clear(this.buf(out, 'sum'), out.size * 4);
      return out;
    }
    this.rows(sumToShapeProgram(), [this.buf(x, 'sum'), this.buf(out, 'sum')], u, out.size);
    return this.out('sum', out);
  }

  broadcastTo(x: Tensor, shape: Shape): Tensor {
    if (!shapesEqual(broadcastShapes(x.shape, shape), shape)) throw new Error(`broadcastTo: [${x.shape.join(', ')}] to [${shape.join(', ')}]`);
    return this.binaryKernel('lhs', x, x, shape);
  }

  addInPlace(dst: Tensor, src: Tensor, alpha = 1): void {
    if (dst.size !== src.size) throw new Error(`addInPlace: sizes ${dst.size} and ${src.size}`);
    this.flat(addInPlaceProgram(), [this.buf(dst, 'addInPlace'), this.buf(src, 'addInPlace')], { n: dst.size, alpha }, dst.size);
    this.out('addInPlace', dst);
  }

  layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const out = this.make(x.shape), mean = this.make(x.shape.slice(0, -1)), rstd = this.make(x.shape.slice(0, -1));
    this.rowKernel(layerNormProgram(this.config.rowKernel, rowVec4Ok(c)), [x, weight, bias, out, mean, rstd].map((t) => this.buf(t, 'layerNorm')), { rows, c, eps }, rows);
    return { out: this.out('layerNorm', out), mean, rstd };
  }

  layerNormBackward(dout: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const dx = this.make(x.shape), dweight = this.make(weight.shape), dbias = this.make(weight.shape);
    const op = 'layerNormBackward';
    this.rowKernel(layerNormBackwardProgram(this.config.rowKernel, rowVec4Ok(c)), [dout, x, weight, mean, rstd, dx].map((t) => this.buf(t, op)), { rows, c }, rows);
    this.flat(layerNormParamGradProgram(), [dout, x, mean, rstd, dweight, dbias].map((t) => this.buf(t, op)), { rows, c }, c);
    return { dx: this.out(op, dx), dweight: this.out(op, dweight), dbias: this.out(op, dbias) };
  }

  rmsNorm(x: Tensor, weight: Tensor, eps: number) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const out = this.make(x.shape), rstd = this.make(x.shape.slice(0, -1));
    this.rowKernel(rmsNormProgram(this.config.rowKernel, rowVec4Ok(c)), [x, weight, out, rstd].map((t) => this.buf(t, 'rmsNorm')), { rows, c, eps }, rows);
    return { out: this.out('rmsNorm', out), rstd };
  }

  rmsNormBackward(dout: Tensor, x: Tensor, weight: Tensor, rstd: Tensor) {
    const c = x.shape[x.rank - 1], rows = x.size / c;
    const dx = this.make(x.shape), dweight = this.make(weight.shape);
    const op = 'rmsNormBackward';
    this.rowKernel(rmsNormBackwardProgram(this.config.rowKernel, rowVec4Ok(c)), [dout, x, weight, rstd, dx].map((t) => this.buf(t, op)), { rows, c }, rows);
    this.flat(rmsNormParamGradProgram(), [dout, x, rstd, dweight].map((t) => this.buf(t, op)), { rows, c }, c);
    return { dx: this.out(op, dx), dweight: this.out(op, dweight) };
  }

  softmax(x: Tensor, causal = false): Tensor {
    const n = x.shape[x.rank - 1], rows = x.size / n;
    const tq = causal ? x.shape[x.rank - 2] : 1;
    if (causal && (x.rank < 2 || tq > n)) throw new Error(`causal softmax needs (..., Tq, Tk) with Tq <= Tk, got [${x.shape.join(', ')}]`);
    const out = this.make(x.shape);
    this.rowKernel(softmaxProgram(this.config.rowKernel, rowVec4Ok(n)), [this.buf(x, 'softmax'), this.buf(out, 'softmax')], { rows, n, causal: causal ? 1 : 0, tq }, rows);
    return this.out('softmax', out);
  }

  softmaxBackward(dout: Tensor, y: Tensor): Tensor {
    const n = y.shape[y.rank - 1], rows = y.size / n;
    const dx = this.make(y.shape);
    this.rowKernel(softmaxBackwardProgram(this.config.rowKernel, rowVec4Ok(n)), [dout, y, dx].map((t) => this.buf(t, 'softmaxBackward')), { rows, n }, rows);
    return this.out('softmaxBackward', dx);
  }

  logProbs(logits: Tensor, targets: Tensor) {
    const v = logits.shape[logits.rank - 1], rows = logits.size / v;
    if (targets.size !== rows || targets.dtype !== 'i32') throw new Error(`logProbs: targets must be ${rows} i32 values, got ${targets}`);
    const logp = this.make(logits.shape.slice(0, -1)), lse = this.make(logits.shape.slice(0, -1));
    this.rowKernel(logProbsProgram(this.config.rowKernel, rowVec4Ok(v)), [logits, targets, logp, lse].map((t) => this.buf(t, 'logProbs')), { rows, v }, rows);
    return { logp: this.out('logProbs', logp), lse };
  }

  logProbsBackward(dlogp: Tensor, logits: Tensor, targets: Tensor, lse: Tensor): Tensor {
    const v = logits.shape[logits.rank - 1];
    const d = this.make(logits.shape);
    this.flat(logProbsBackwardProgram(), [dlogp, logits, targets, lse, d].map((t) => this.buf(t, 'logProbsBackward')), { n: d.size, v }, d.size);
    return this.out('logProbsBackward', d);
  }

  embedding(ids: Tensor, table: Tensor): Tensor {
    if (ids.dtype !== 'i32' || table.rank !== 2) throw new Error(`embedding: needs i32 ids and a (V, C) table, got ${ids}, ${table}`);
    const [vocab, c] = table.shape;
    const out = this.make([...ids.shape, c]);
    this.flat(embeddingProgram(), [ids, table, out].map((t) => this.buf(t, 'embedding')), { n: out.size, c, vocab }, out.size);
    return this.out('embedding', out);
  }

  embeddingBackward(dout: Tensor, ids: Tensor, vocab: number): Tensor {
    const c = dout.shape[dout.rank - 1];
    const d = this.zeros([vocab, c]);
    this.flat(embeddingBackwardProgram(), [dout, ids, d].map((t) => this.buf(t, 'embeddingBackward')), { tokens: ids.size, c, vocab }, c);
    return this.out('embeddingBackward', d);
  }

  transpose(x: Tensor, perm: readonly number[]): Tensor {
    if (perm.length !== x.rank || [...perm].sort().some((p, i) => p !== i)) throw new Error(`transpose: bad perm [${perm.join(', ')}] for rank ${x.rank}`);
    const shape = perm.map((p) => x.shape[p]);
    const out = this.make(shape, x.dtype);
    const xs = stridesOf(x.shape);
    const pad = RANK - x.rank;
    const u: Record<string, number> = { n: out.size };
    for (let d = 0; d < RANK; d++) {
      u[`d${d}`] = d < pad ? 1 : shape[d - pad];
      u[`s${d}`] = d < pad ? 0 : xs[perm[d - pad]];
    }
    this.flat(transposeProgram(), [this.buf(x, 'transpose'), this.buf(out, 'transpose')], u, out.size);
    return out;
  }

  private axisCopy(src: Tensor, srcLen: number, srcStart: number, dst: Tensor, dstLen: number, dstStart: number, count: number, outer: number, inner: number): void {
    const n = outer * count * inner;
    if (n === 0) return;
    this.flat(axisCopyProgram(), [this.buf(src, 'axisCopy'), this.buf(dst, 'axisCopy')], { n, count, inner, srcLen, srcStart, dstLen, dstStart }, n);
  }

  slice(x: Tensor, axis: number, start: number, end: number): Tensor {
    const ax = normAxis(axis, x.rank);
    if (start < 0 || end > x.shape[ax] || start > end) throw new Error(`slice: [${start}, ${end}) outside axis ${ax} of [${x.shape.join(', ')}]`);
    const out = this.make(x.shape.map((d, i) => (i === ax ? end - start : d)), x.dtype);
    const { outer, len, inner } = axisView(x.shape, ax);
    this.axisCopy(x, len, start, out, end - start, 0, end - start, outer, inner);
    return out;
  }

  sliceBackward(dout: Tensor, shape: Shape, axis: number, start: number): Tensor {
    const ax = normAxis(axis, shape.length);
    const out = this.zeros(shape);
    const { outer, len, inner } = axisView(shape, ax);
    const count = dout.shape[ax];
    this.axisCopy(dout, count, 0, out, len, start, count, outer, inner);
    return out;
  }

  concat(xs: readonly Tensor[], axis: number): Tensor {
    const ax = normAxis(axis, xs[0].rank);
    const total = xs.reduce((s, x) => s + x.shape[ax], 0);
    const shape = xs[0].shape.map((d, i) => (i === ax ? total : d));
    const out = this.make(shape, xs[0].dtype);
    const { outer, inner } = axisView(shape, ax);
    let at = 0;
    for (const x of xs) {
      if (x.rank !== shape.length || x.shape.some((d, i) => i !== ax && d !== shape[i])) {
        throw new Error(`concat: [${x.shape.join(', ')}] does not match [${shape.join(', ')}] off axis ${ax}`);
      }
      this.axisCopy(x, x.shape[ax], 0, out, total, at, x.shape[ax], outer, inner);
      at += x.shape[ax];
    }
    return out;
  }

  rope(x: Tensor, opts: RopeOptions): Tensor {
    const [t, d] = ropeDims(x);
    const out = this.make(x.shape);
    const pairs = x.size / 2;
    this.flat(ropeProgram(), [this.buf(x, 'rope'), this.buf(out, 'rope')], { pairs, t, d, offset: opts.offset, base: opts.base, sign: opts.inverse ? -1 : 1 }, pairs);
    return this.out('rope', out);
  }

  writeSlice(dst: Tensor, src: Tensor, axis: number, start: number): void {
    const ax = normAxis(axis, dst.rank);
    checkWriteSlice(dst.shape, src.shape, ax, start);
    const { outer, len, inner } = axisView(dst.shape, ax);
    this.axisCopy(src, src.shape[ax], 0, dst, len, start, src.shape[ax], outer, inner);
  }

  dropout(x: Tensor, p: number, seed: number): Tensor {
    if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p = ${p} outside [0, 1]`);
    const out = this.make(x.shape);
    const threshold = p >= 1 ? 0xffffffff : Math.ceil(p * 2 ** 32);
    const scale = p < 1 ? 1 / (1 - p) : 0;
    this.flat(dropoutProgram(), [this.buf(x, 'dropout'), this.buf(out, 'dropout')], { n: x.size, seed: seed >>> 0, threshold, scale }, x.size);
    return this.out('dropout', out);
  }

  sumSquares(xs: readonly Tensor[]): Tensor {
    const partials = this.make([Math.max(1, xs.length)]);
    if (xs.length === 0) this.runner.clear(this.buf(partials, 'sumSquares'), 4);
    xs.forEach((x, slot) => {
      this.runner.dispatch(sumSquaresProgram(), [this.buf(x, 'sumSquares'), this.buf(partials, 'sumSquares')], { n: x.size, slot }, [1]);
    });
    const out = this.make([1]);
    this.runner.dispatch(sumPartialsProgram(), [this.buf(partials, 'sumSquares'), this.buf(out, 'sumSquares')], { n: xs.length }, [1]);
    partials.dispose();
    return this.out('sumSquares', out);
  }

  adamwStep(param: Tensor, grad: Tensor, m: Tensor, v: Tensor, h: AdamWStep, clip?: ClipInput): void {
    if (param.size !== grad.size || param.size !== m.size || param.size !== v.size) {
      throw new Error(`adamwStep: sizes param ${param.size}, grad ${grad.size}, m ${m.size}, v ${v.size}`);
    }
    const op = 'adamw';
    this.flat(
      adamwProgram(),
      [this.buf(param, op), this.buf(grad, op), this.buf(m, op), this.buf(v, op), clip ? this.buf(clip.normSq, op) : this.buf(grad, op)],
      {
        n: param.size, useClip: clip ? 1 : 0, lr: h.lr, beta1: h.beta1, beta2: h.beta2, eps: h.eps, weightDecay: h.weightDecay,
        bc1: 1 - h.beta1 ** h.step, bc2: 1 - h.beta2 ** h.step, maxNorm: clip?.maxNorm ?? 0,
      },
      param.size,
    );
    this.out(op, param);
  }

  /** Frees the pool (the device belongs to the caller). Tensors still alive become invalid. */
  destroy(): void {
    this.runner.destroy();
  }
}
