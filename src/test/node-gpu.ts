// A real GPUDevice for Node tests: Dawn (the `webgpu` package) on SwiftShader's Vulkan driver.
// The GPU object stays referenced at module scope: if Dawn's instance is garbage-collected the process aborts.
// A missing adapter is a test failure, never a skip: the kernels are the product.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const gpu: GPU = create([]);
(globalThis as { __labNodeGpu?: GPU }).__labNodeGpu = gpu;

let devicePromise: Promise<GPUDevice> | null = null;

/** The shared test device; created once per test file (vitest forks one process per file). */
export function nodeGpuDevice(): Promise<GPUDevice> {
  devicePromise ??= (async () => {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      throw new Error(
        'No WebGPU adapter in Node. Install libvulkan1 and chromium (for SwiftShader) and set ' +
          'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json',
      );
    }
    const features: GPUFeatureName[] = [];
    for (const f of ['subgroups', 'timestamp-query', 'shader-f16'] as GPUFeatureName[]) {
      if (adapter.features.has(f)) features.push(f);
    }
    return adapter.requestDevice({
      requiredFeatures: features,
      requiredLimits: {
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
        maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
        maxStorageBuffersPerShaderStage: adapter.limits.maxStorageBuffersPerShaderStage,
      },
    });
  })();
  return devicePromise;
}

export { gpu as nodeGpu };
