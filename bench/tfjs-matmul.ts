// TensorFlow.js's WebGPU backend on tf.matMul (a dev dependency, for this benchmark only).
//
// What a timed run includes: tf.matMul on two tensors already uploaded to the backend's GPU buffers (the
// warm-up moves them there), submitted at once (the deferred-submit batch is set to 1 dispatch; by default
// tfjs holds up to 15 dispatches before it submits), then the backend device's queue.onSubmittedWorkDone(),
// then dispose of C (which returns its buffer to tfjs's pool). No transfer. CPU forwarding of small ops is turned off so the
// op can never run on the CPU.

import * as tf from '@tensorflow/tfjs-core';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';

let started: Promise<WebGPUBackend> | null = null;

/** Selects the WebGPU backend once per page and returns it. */
export function tfjsWebgpuBackend(): Promise<WebGPUBackend> {
  started ??= (async () => {
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', 1);
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs: the webgpu backend failed to initialise');
    await tf.ready();
    const backend = tf.backend();
    if (!(backend instanceof WebGPUBackend)) throw new Error(`tfjs: active backend is ${tf.getBackend()}, not webgpu`);
    return backend;
  })();
  return started;
}

export class TfjsWebgpuMatmul {
  private constructor(
    private readonly backend: WebGPUBackend,
    private readonly a: tf.Tensor2D,
    private readonly b: tf.Tensor2D,
  ) {}

  static async create(m: number, n: number, k: number, a: Float32Array, b: Float32Array): Promise<TfjsWebgpuMatmul> {
    const backend = await tfjsWebgpuBackend();
    return new TfjsWebgpuMatmul(backend, tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n]));
  }

  /** One timed unit. */
  async run(): Promise<void> {
    const c = tf.matMul(this.a, this.b);
    await this.backend.device.queue.onSubmittedWorkDone();
    c.dispose();
  }

  /** C read back (the correctness check, never timed). */
  async result(): Promise<Float32Array> {
    const c = tf.matMul(this.a, this.b);
    const data = (await c.data()) as Float32Array;
    c.dispose();
    return data;
  }

  destroy(): void {
    this.a.dispose();
    this.b.dispose();
  }
}
