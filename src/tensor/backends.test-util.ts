// The backends every engine suite runs against: the CPU reference and WebGPU on the Node test device, once per
// row-kernel layout (the adapter picks one in production; both must be correct). A missing adapter fails
// (nodeGpuDevice throws); it never skips.

import type { RowKernel } from '../gpu/kernels/common.ts';
import { nodeGpuDevice } from '../test/node-gpu.ts';
import type { Backend } from './backend.ts';
import { CpuBackend } from './cpu-backend.ts';
import { WebGpuBackend } from './webgpu-backend.ts';

export interface BackendUnderTest {
  name: string;
  make(): Promise<Backend>;
}

const gpuBackends = new Map<RowKernel, Promise<WebGpuBackend>>();

function webgpu(rowKernel: RowKernel): BackendUnderTest {
  return {
    name: `webgpu (rows: ${rowKernel})`,
    make: () => {
      let b = gpuBackends.get(rowKernel);
      if (!b) {
        b = (async () => {
          const g = new WebGpuBackend(await nodeGpuDevice(), { rowKernel });
          await g.warmup();
          return g;
        })();
        gpuBackends.set(rowKernel, b);
      }
      return b;
    },
  };
}

export const backendsUnderTest: BackendUnderTest[] = [{ name: 'cpu', make: async () => new CpuBackend() }, webgpu('workgroup'), webgpu('thread')];
