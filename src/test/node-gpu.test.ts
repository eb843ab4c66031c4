import { describe, expect, it } from 'vitest';
import { nodeGpuDevice } from './node-gpu.ts';

describe('Node WebGPU (Dawn on SwiftShader)', () => {
  it('runs a compute shader and reads the result back', async () => {
    const device = await nodeGpuDevice();
    const module = device.createShaderModule({
      code: `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
             @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3u) { a[id.x] = f32(id.x) * 2.0; }`,
    });
    const buf = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: buf } }],
    });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(1);
    pass.end();
    enc.copyBufferToBuffer(buf, 0, readback, 0, 16);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    expect(Array.from(new Float32Array(readback.getMappedRange()))).toEqual([0, 2, 4, 6]);
    readback.unmap();
  });
});
