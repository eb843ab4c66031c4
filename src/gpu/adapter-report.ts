// Acquires a GPUDevice for the engine worker and describes the adapter in the terms the status bar and
// `lab info` report. Kept apart from the kernel runtime: acquisition happens once per device generation.
import { WebGpuUnavailableError } from './errors.ts';

/** What the lab reports about the adapter it runs on. */
export interface AdapterReport {
  /** e.g. 'google' for SwiftShader, 'nvidia', 'apple'. */
  vendor: string;
  /** e.g. 'swiftshader', 'ampere', 'metal-3'. */
  architecture: string;
  /** Driver description where the browser exposes one. */
  description: string;
  /** True for software/fallback adapters (SwiftShader): correct but slow. */
  isFallbackAdapter: boolean;
  /** The limits that decide what model sizes fit. */
  limits: {
    maxStorageBufferBindingSize: number;
    maxBufferSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeWorkgroupSizeX: number;
    maxStorageBuffersPerShaderStage: number;
  };
  /** The optional features the engine can use. */
  features: {
    'shader-f16': boolean;
    subgroups: boolean;
    'timestamp-query': boolean;
  };
}

const OPTIONAL_FEATURES = ['shader-f16', 'subgroups', 'timestamp-query'] as const;

export function describeAdapter(adapter: GPUAdapter): AdapterReport {
  const info = adapter.info;
  // Chromium marks fallback adapters on info (newer) or on the adapter (older); SwiftShader is always one.
  const flagged =
    (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
    false;
  const architecture = info.architecture || '';
  const l = adapter.limits;
  return {
    vendor: info.vendor || 'unknown',
    architecture: architecture || 'unknown',
    description: info.description || '',
    isFallbackAdapter: flagged || architecture === 'swiftshader',
    limits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
    features: {
      'shader-f16': adapter.features.has('shader-f16'),
      subgroups: adapter.features.has('subgroups'),
      'timestamp-query': adapter.features.has('timestamp-query'),
    },
  };
}

export interface AcquiredDevice {
  adapter: GPUAdapter;
  device: GPUDevice;
  report: AdapterReport;
}

/**
 * Requests an adapter and a device with the adapter's full buffer limits (the defaults cap storage bindings
 * at 128 MiB, too small for the `small` preset's activations) and every optional feature it offers.
 */
export async function acquireDevice(gpu: GPU | undefined): Promise<AcquiredDevice> {
  if (!gpu) {
    throw new WebGpuUnavailableError(
      'This browser exposes no WebGPU (navigator.gpu is missing). Use Chrome or Edge 113+; on Linux start Chrome with --enable-unsafe-webgpu.',
    );
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    throw new WebGpuUnavailableError(
      'WebGPU is present but no adapter was granted. Check chrome://gpu; on Linux start Chrome with --enable-unsafe-webgpu (a software adapter is used when there is no GPU).',
    );
  }
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f)) as GPUFeatureName[];
  const l = adapter.limits;
  const device = await adapter.requestDevice({
    requiredFeatures,
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
    },
  });
  return { adapter, device, report: describeAdapter(adapter) };
}
