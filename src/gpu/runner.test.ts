// The runner and pool: typed errors (compile errors with the offending line, limits checked before
// allocating, lost devices), pipeline cache by key, compile-up-front enforcement, upload ordering against
// unsubmitted work, and pool reuse with size classes.

import { describe, expect, it } from 'vitest';
import { nodeGpu, nodeGpuDevice } from '../test/node-gpu.ts';
import { sizeClass } from './buffer-pool.ts';
import { DeviceLostError, GpuLimitError, OutOfMemoryError, ShaderCompileError } from './errors.ts';
import { fillProgram } from './kernels/elementwise.ts';
import { defineProgram, fields, output } from './program.ts';
import { GpuRunner, STORAGE_USAGE } from './runner.ts';

const broken = defineProgram({
  name: 'broken',
  params: { v: 1 },
  bindings: [output('out')],
  uniforms: fields('u32', 'n'),
  workgroupSize: [64, 1, 1],
  body: `@entry
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  out[gid.x] = undefinedThing * 2.0;
}`,
});

describe('GpuRunner', () => {
  it('reports WGSL compile errors with the compiler line and the source line', async () => {
    const runner = new GpuRunner(await nodeGpuDevice(), { sharePipelines: false });
    const err = await runner.compile([broken]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    const e = err as ShaderCompileError;
    expect(e.programKey).toContain('broken');
    expect(e.lines.length).toBeGreaterThan(0);
    expect(e.lines[0].sourceLine).toContain('undefinedThing');
    expect(e.message).toContain('undefinedThing');
  });

  it('reports a compile error from a late (synchronous) compile at the next sync', async () => {
    const runner = new GpuRunner(await nodeGpuDevice(), { sharePipelines: false });
    const buf = runner.pool.acquire(256, STORAGE_USAGE);
    try {
      runner.dispatch(broken, [buf], { n: 1 }, [1]);
    } catch {
      // Dawn may also reject the invalid pipeline synchronously; either way sync() must throw typed.
    }
    runner.submit();
    await expect(runner.sync()).rejects.toBeInstanceOf(ShaderCompileError);
  });

  it('checks device limits before allocating or dispatching', async () => {
    const device = await nodeGpuDevice();
    const runner = new GpuRunner(device);
    expect(() => runner.pool.acquire(device.limits.maxBufferSize + 1, STORAGE_USAGE)).toThrow(OutOfMemoryError);
    const buf = runner.pool.acquire(256, STORAGE_USAGE);
    const tooMany = device.limits.maxComputeWorkgroupsPerDimension + 1;
    expect(() => runner.dispatch(fillProgram(), [buf], { n: 1, value: 0 }, [tooMany])).toThrow(GpuLimitError);
    const huge = defineProgram({ ...{ name: 'huge', params: {}, bindings: [output('out')], uniforms: [], body: '@entry\nfn main() {}' }, workgroupSize: [device.limits.maxComputeInvocationsPerWorkgroup * 2, 1, 1] });
    await expect(runner.compile([huge])).rejects.toBeInstanceOf(GpuLimitError);
  });

  it('refuses uncompiled programs when requirePrecompiled is on, and caches by key', async () => {
    const runner = new GpuRunner(await nodeGpuDevice(), { requirePrecompiled: true, sharePipelines: false });
    const buf = runner.pool.acquire(256, STORAGE_USAGE);
    expect(() => runner.dispatch(fillProgram(), [buf], { n: 4, value: 1 }, [1])).toThrow(/not compiled up front/);
    await runner.compile([fillProgram(), fillProgram()]);
    expect(runner.stats().pipelines).toBe(1);
    runner.dispatch(fillProgram(), [buf], { n: 4, value: 1 }, [1]);
    expect(Array.from(new Float32Array(await runner.read(buf, 16)))).toEqual([1, 1, 1, 1]);
    expect(runner.stats().lateCompiles).toBe(0);
  });

  it('orders an upload after unsubmitted work that uses the same buffer', async () => {
    const runner = new GpuRunner(await nodeGpuDevice());
    const buf = runner.pool.acquire(16, STORAGE_USAGE);
    runner.dispatch(fillProgram(), [buf], { n: 4, value: 7 }, [1]);
    runner.write(buf, new Float32Array([1, 2, 3, 4])); // must land after the fill, not before it
    expect(Array.from(new Float32Array(await runner.read(buf, 16)))).toEqual([1, 2, 3, 4]);
  });

  it('turns a lost device into DeviceLostError', async () => {
    const adapter = await nodeGpu.requestAdapter();
    const device = await adapter!.requestDevice();
    const runner = new GpuRunner(device);
    device.destroy();
    await device.lost;
    await new Promise((r) => setTimeout(r, 0));
    expect(() => runner.pool.acquire(16, STORAGE_USAGE) && runner.submit()).toThrow(DeviceLostError);
  });
});

describe('BufferPool', () => {
  it('reuses released buffers by size class and usage, and rejects double release', async () => {
    const runner = new GpuRunner(await nodeGpuDevice());
    const a = runner.pool.acquire(1000, STORAGE_USAGE);
    runner.pool.release(a);
    const b = runner.pool.acquire(1020, STORAGE_USAGE); // same 1024-byte class
    expect(b).toBe(a);
    expect(runner.pool.stats()).toMatchObject({ created: 1, inUse: 1, free: 0 });
    runner.pool.release(b);
    expect(() => runner.pool.release(b)).toThrow(/double release/);
    runner.pool.trim();
    expect(runner.pool.stats()).toMatchObject({ bytesOwned: 0, free: 0 });
  });

  it('rounds sizes into classes with bounded slack', () => {
    expect(sizeClass(1)).toBe(256);
    expect(sizeClass(4096)).toBe(4096);
    for (const n of [5000, 70_000, 1_234_567, 9_999_999]) {
      const c = sizeClass(n);
      expect(c).toBeGreaterThanOrEqual(n);
      expect(c / n).toBeLessThan(1.26);
      expect(sizeClass(c)).toBe(c);
    }
  });
});
