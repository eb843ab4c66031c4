// onnxruntime-web on a one-node MatMul model (built in code by buildMatMulModel, B as a graph input), on its
// WebGPU EP and on its wasm EP. One import serves both: 'onnxruntime-web/webgpu' is the build with the
// WebGPU EP (1.30: the native C++ EP compiled with asyncify) and it also carries the multi-threaded CPU EP.
// Its runtime (.mjs + .wasm) is served from our own origin under /ort/; nothing is fetched from a CDN.
//
// What a timed run includes:
// - WebGPU EP: session.run with A and B already in GPU buffers (Tensor.fromGpuBuffer) and C written into a
//   pre-allocated GPU buffer (IO binding), then ORT's device's queue.onSubmittedWorkDone(). No transfer.
// - wasm EP: session.run on CPU tensors, returning a new CPU output. Its operands live in JS memory, so the
//   copies into and out of the wasm heap (about 3 MB at 512x512x512, well under a millisecond) are in.

import * as ort from 'onnxruntime-web/webgpu';
import { buildMatMulModel } from '../src/model/onnx/matmul-model.ts';

/** Which onnxruntime-web entry point this file imports (reported in the JSON). */
export const ORT_BUNDLE = 'onnxruntime-web/webgpu';

/** Global ORT settings; must run before the first session (the wasm runtime starts once per page). */
export function configureOrt(wasmThreads: number): void {
  ort.env.wasm.wasmPaths = '/ort/';
  ort.env.wasm.numThreads = wasmThreads;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'warning';
}

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** MatMul on ORT's WebGPU EP with every tensor resident on ORT's device. */
export class OrtWebgpuMatmul {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly device: GPUDevice,
    private readonly feeds: Record<string, ort.Tensor>,
    private readonly fetches: Record<string, ort.Tensor>,
    private readonly buffers: GPUBuffer[],
    private readonly outBytes: number,
  ) {}

  static async create(m: number, n: number, k: number, a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): Promise<OrtWebgpuMatmul> {
    const session = await ort.InferenceSession.create(buildMatMulModel(m, k, n), {
      executionProviders: ['webgpu'],
      graphOptimizationLevel: 'all',
    });
    // After the first WebGPU session exists this is the device that session computes on.
    const device = (await ort.env.webgpu.device) as GPUDevice;
    const upload = (data: Float32Array<ArrayBuffer>) => {
      const buf = device.createBuffer({ size: data.byteLength, usage: STORAGE });
      device.queue.writeBuffer(buf, 0, data);
      return buf;
    };
    const aBuf = upload(a), bBuf = upload(b);
    const cBuf = device.createBuffer({ size: m * n * 4, usage: STORAGE });
    const feeds = {
      A: ort.Tensor.fromGpuBuffer(aBuf, { dataType: 'float32', dims: [m, k] }),
      B: ort.Tensor.fromGpuBuffer(bBuf, { dataType: 'float32', dims: [k, n] }),
    };
    const fetches = { C: ort.Tensor.fromGpuBuffer(cBuf, { dataType: 'float32', dims: [m, n] }) };
    return new OrtWebgpuMatmul(session, device, feeds, fetches, [aBuf, bBuf, cBuf], m * n * 4);
  }

  /** One timed unit: run into the bound output, then wait for ORT's queue. */
  async run(): Promise<void> {
    await this.session.run(this.feeds, this.fetches);
    await this.device.queue.onSubmittedWorkDone();
  }

  /** C after one run on a zeroed output buffer (the correctness check, never timed). */
  async result(): Promise<Float32Array> {
    const cBuf = this.buffers[2];
    const clear = this.device.createCommandEncoder();
    clear.clearBuffer(cBuf);
    this.device.queue.submit([clear.finish()]);
    await this.run();
    const staging = this.device.createBuffer({ size: this.outBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const copy = this.device.createCommandEncoder();
    copy.copyBufferToBuffer(cBuf, 0, staging, 0, this.outBytes);
    this.device.queue.submit([copy.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return out;
  }

  async destroy(): Promise<void> {
    await this.session.release();
    for (const buf of this.buffers) buf.destroy();
  }
}

/** MatMul on ORT's wasm EP (threads as configured by configureOrt). */
export class OrtWasmMatmul {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly feeds: Record<string, ort.Tensor>,
  ) {}

  static async create(m: number, n: number, k: number, a: Float32Array<ArrayBuffer>, b: Float32Array<ArrayBuffer>): Promise<OrtWasmMatmul> {
    const session = await ort.InferenceSession.create(buildMatMulModel(m, k, n), {
      executionProviders: ['wasm'],
      graphOptimizationLevel: 'all',
      // Idle pool threads would otherwise spin after each run and take the CPU SwiftShader needs for the
      // GPU path timed next; measured here: with spinning on, our next run took up to 2x longer.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    return new OrtWasmMatmul(session, { A: new ort.Tensor('float32', a, [m, k]), B: new ort.Tensor('float32', b, [k, n]) });
  }

  // The CPU EP does not write into a caller's pre-allocated output (1.30 leaves it untouched), so each run
  // returns a fresh C: its allocation and the copy out of the wasm heap are part of the timed run.
  private async output(): Promise<ort.Tensor> {
    return (await this.session.run(this.feeds)).C;
  }

  async run(): Promise<void> {
    (await this.output()).dispose();
  }

  async result(): Promise<Float32Array> {
    const c = await this.output();
    return (await c.getData()) as Float32Array;
  }

  async destroy(): Promise<void> {
    await this.session.release();
  }
}
