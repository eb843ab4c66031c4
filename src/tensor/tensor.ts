// A Tensor is a shape, a dtype and a handle to storage its backend owns (a Float32Array on the CPU, a pooled
// GPUBuffer on WebGPU). Views (reshape) share storage through a reference count; dispose() gives it back.

import type { Backend } from './backend.ts';
import { sizeOf, type Shape } from './shape.ts';

export type DType = 'f32' | 'i32';

/** Backend-owned storage; `refs` counts the tensors that view it. */
export interface TensorStorage {
  refs: number;
}

export class Tensor {
  readonly size: number;
  private alive = true;

  constructor(
    readonly backend: Backend,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly storage: TensorStorage,
  ) {
    this.size = sizeOf(shape);
    storage.refs++;
  }

  get rank(): number {
    return this.shape.length;
  }

  get disposed(): boolean {
    return !this.alive;
  }

  /** Releases this view; the storage goes back to the backend when its last view is released. */
  dispose(): void {
    if (!this.alive) throw new Error(`Tensor [${this.shape.join(', ')}] disposed twice`);
    this.alive = false;
    if (--this.storage.refs === 0) this.backend.releaseStorage(this.storage);
  }

  /** Throws when the tensor was disposed (ops call this on their inputs). */
  assertAlive(op: string): void {
    if (!this.alive) throw new Error(`${op}: input tensor [${this.shape.join(', ')}] was already disposed`);
  }

  toString(): string {
    return `Tensor(${this.dtype}, [${this.shape.join(', ')}], ${this.backend.name})`;
  }
}
