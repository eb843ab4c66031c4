// The backends every engine suite runs against: the CPU reference and WebGPU on the Node test device.
// A missing adapter fails (nodeGpuDevice throws); it never skips.

import { nodeGpuDevice } from '../test/node-gpu.ts';
import type { Backend } from './backend.ts';
import { CpuBackend } from './cpu-backend.ts';
import { WebGpuBackend } from './webgpu-backend.ts';

export interface BackendUnderTest {
  name: string;
  make(): Promise<Backend>;
}

let gpuBackend: Promise<WebGpuBackend> | null = null;

export const backendsUnderTest: BackendUnderTest[] = [
  { name: 'cpu', make: async () => new CpuBackend() },
  {
    name: 'webgpu',
    make: () =>
      (gpuBackend ??= (async () => {
        const b = new WebGpuBackend(await nodeGpuDevice());
        await b.warmup();
        return b;
      })()),
  },
];
