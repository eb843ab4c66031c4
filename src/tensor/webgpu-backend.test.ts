// WebGPU-specific behaviour the shared op suite cannot see: dispatches beyond 65535 workgroups fold into 2D
// grids, a training-style step records into one command encoder (one submit) until a read, other matmul
// tilings give the same results (the autotune is tested in gpu/matmul-tuning.test.ts).

import { describe, expect, it } from 'vitest';
import { nodeGpuDevice } from '../test/node-gpu.ts';
import { Parameter, Tape } from './autograd.ts';
import { CpuBackend } from './cpu-backend.ts';
import { closeness, Rng } from './testing.ts';
import { WebGpuBackend } from './webgpu-backend.ts';

describe('WebGpuBackend', () => {
  it('folds flat and per-row dispatches past 65535 workgroups into 2D grids', async () => {
    const b = new WebGpuBackend(await nodeGpuDevice());
    const n = 65536 * 256 + 77; // 65537 flat workgroups
    const x = b.fill([n], 3); // no upload: the data never leaves the GPU except the slices read below
    const buffer = (x.storage as unknown as { buffer: GPUBuffer }).buffer;
    for (const at of [0, 65535 * 256, n - 64]) {
      const got = new Float32Array(await b.runner.read(buffer, 64 * 4, at * 4));
      expect(Array.from(got), `elements ${at}..${at + 63}`).toEqual(new Array(64).fill(3));
    }
    x.dispose();
    const rows = 70_001; // one workgroup per row: 70001 workgroups
    const r = b.fromArray(Float32Array.from({ length: rows * 2 }, (_, i) => i % 2 === 0 ? i : 1), [rows, 2]);
    const s = b.sumToShape(r, [rows, 1]);
    const sums = await b.read(s);
    expect(sums[0]).toBe(1);
    expect(sums[rows - 1]).toBe(2 * (rows - 1) + 1);
    [r, s].forEach((t) => t.dispose());
  });

  it('records a whole forward + backward + update into one submit', async () => {
    const b = new WebGpuBackend(await nodeGpuDevice());
    await b.warmup();
    const w = new Parameter(b.fill([6, 5], 0.1), 'w');
    const x = b.fill([3, 6], 1);
    await b.sync();
    const before = b.stats().submits;
    const tape = new Tape(b);
    const loss = tape.mean(tape.gelu(tape.matmul(tape.constant(x), w)));
    tape.backward(loss);
    b.addInPlace(w.value, w.grad!, -0.1);
    tape.release();
    w.zeroGrad();
    b.flush();
    expect(b.stats().submits - before).toBe(1);
    x.dispose();
    w.value.dispose();
  });

  it('gives the same matmul results with other tilings', async () => {
    const device = await nodeGpuDevice();
    const cpu = new CpuBackend();
    const r = new Rng(5);
    const a = r.array(2 * 45 * 36), bb = r.array(36 * 29);
    const ref = cpu.f32(cpu.matmul(cpu.fromArray(a, [2, 45, 36]), cpu.fromArray(bb, [36, 29])));
    for (const matmul of [{ tm: 4, tn: 8, wgx: 2, wgy: 8 }, { tm: 16, tn: 8, wgx: 4, wgy: 4 }, { tm: 12, tn: 4, wgx: 3, wgy: 5 }]) {
      const g = new WebGpuBackend(device, { matmul });
      const out = await g.read(g.matmul(g.fromArray(a, [2, 45, 36]), g.fromArray(bb, [36, 29])));
      const cl = closeness(out, ref, { atol: 1e-5, rtol: 1e-4 }, `tiling ${JSON.stringify(matmul)}`);
      expect(cl.ok, cl.message).toBe(true);
    }
  });
});
