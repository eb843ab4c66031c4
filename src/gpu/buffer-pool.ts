// GPU buffers with explicit lifetimes: acquire() hands out a buffer of at least the asked size, release()
// returns it to a free list keyed by size class and usage. Training steps allocate the same shapes every
// step, so after the first step the pool stops creating buffers; `stats()` lets a test check that.

import { GpuLimitError, OutOfMemoryError } from './errors.ts';

/** What the pool holds and hands out; a test checks `created` stays flat across training steps. */
export interface PoolStats {
  /** Buffers created by the device since the pool started (never decreases unless `trim()`). */
  created: number;
  /** Bytes in all buffers the pool owns, free or in use. */
  bytesOwned: number;
  /** Buffers currently handed out. */
  inUse: number;
  /** Bytes in the buffers currently handed out. */
  bytesInUse: number;
  /** Buffers sitting on free lists. */
  free: number;
}

/** Size classes: multiples of 256 B up to 4 KiB, then powers of two with 4 steps per octave (<= 19% slack). */
export function sizeClass(bytes: number): number {
  const b = Math.max(256, Math.ceil(bytes / 256) * 256);
  if (b <= 4096) return b;
  const octave = 2 ** Math.floor(Math.log2(b));
  const step = octave / 4;
  return Math.ceil(b / step) * step;
}

/** A callback the pool uses to create a buffer (the runner wraps it in error scopes). */
export type CreateBuffer = (size: number, usage: number, label: string) => GPUBuffer;

export class BufferPool {
  private readonly freeLists = new Map<string, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();
  private readonly handedOut = new Set<GPUBuffer>();
  private createdCount = 0;
  private ownedBytes = 0;
  private inUseBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly create: CreateBuffer,
  ) {}

  /** A buffer of at least `bytes` with exactly `usage`; it belongs to the caller until `release`. */
  acquire(bytes: number, usage: number, label = 'tensor'): GPUBuffer {
    const size = sizeClass(bytes);
    const limits = this.device.limits;
    if (size > limits.maxBufferSize) {
      throw new OutOfMemoryError(
        `buffer of ${bytes} B (${label}) exceeds the device's maxBufferSize ${limits.maxBufferSize} B`,
      );
    }
    if (usage & GPUBufferUsage.STORAGE && size > limits.maxStorageBufferBindingSize) {
      throw new GpuLimitError(
        `storage buffer of ${bytes} B (${label}) exceeds maxStorageBufferBindingSize ${limits.maxStorageBufferBindingSize} B`,
      );
    }
    const key = `${size}:${usage}`;
    let buffer = this.freeLists.get(key)?.pop();
    if (!buffer) {
      buffer = this.create(size, usage, label);
      this.owned.add(buffer);
      this.createdCount++;
      this.ownedBytes += size;
    }
    this.handedOut.add(buffer);
    this.inUseBytes += buffer.size;
    return buffer;
  }

  /** Returns a buffer to its free list. Releasing twice, or a foreign buffer, is a bug and throws. */
  release(buffer: GPUBuffer): void {
    if (!this.handedOut.delete(buffer)) {
      throw new Error(`BufferPool.release: buffer '${buffer.label}' is not in use (double release?)`);
    }
    this.inUseBytes -= buffer.size;
    const key = `${buffer.size}:${buffer.usage}`;
    let list = this.freeLists.get(key);
    if (!list) this.freeLists.set(key, (list = []));
    list.push(buffer);
  }

  /** Destroys every free buffer (after a model is unloaded, say); in-use buffers are untouched. */
  trim(): void {
    for (const list of this.freeLists.values()) {
      for (const b of list) {
        this.owned.delete(b);
        this.ownedBytes -= b.size;
        b.destroy();
      }
    }
    this.freeLists.clear();
  }

  stats(): PoolStats {
    let free = 0;
    for (const list of this.freeLists.values()) free += list.length;
    return {
      created: this.createdCount,
      bytesOwned: this.ownedBytes,
      inUse: this.handedOut.size,
      bytesInUse: this.inUseBytes,
      free,
    };
  }
}
