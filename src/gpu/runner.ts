// The one place that talks to the GPUDevice for compute: pipeline cache (by program key, compiled once),
// bind groups, dispatches recorded into one shared command encoder per step, buffer allocation through the
// pool, uploads, readbacks, and error scopes that turn device failures into typed errors at the next sync.

import { BufferPool, type PoolStats } from './buffer-pool.ts';
import {
  compilationLines,
  DeviceLostError,
  GpuLimitError,
  GpuValidationError,
  OutOfMemoryError,
  ShaderCompileError,
} from './errors.ts';
import type { KernelProgram } from './program.ts';

/** Tuning of the runner; the defaults fit both SwiftShader and discrete GPUs. */
export interface RunnerConfig {
  /** Dispatches whose uniforms fit before the encoder is submitted early; typical 2048. */
  uniformSlots: number;
  /** Throw instead of compiling when a dispatch meets an uncompiled program (enforces "compile up front"). */
  requirePrecompiled: boolean;
  /** Share compiled pipelines with other runners on the same device (a new backend then needs no recompile). */
  sharePipelines: boolean;
}

export const defaultRunnerConfig: RunnerConfig = { uniformSlots: 2048, requirePrecompiled: false, sharePipelines: true };

/** Pipelines per device, shared by runners with `sharePipelines` (keys fully determine the pipeline). */
const sharedPipelines = new WeakMap<GPUDevice, Map<string, CachedPipeline>>();

/** Usage of every tensor storage buffer. */
// The spec's flag values (STORAGE 0x80, COPY_SRC 0x04, COPY_DST 0x08), spelled out because GPUBufferUsage is
// not defined when this module is imported in Node before a WebGPU implementation is installed.
export const STORAGE_USAGE = 0x80 | 0x04 | 0x08;

interface CachedPipeline {
  program: KernelProgram;
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** Counters a test or a profiler reads. */
export interface RunnerStats {
  pool: PoolStats;
  /** Pipelines compiled so far. */
  pipelines: number;
  /** Pipelines compiled synchronously on first use (should stay 0 after `compile`). */
  lateCompiles: number;
  /** Dispatches recorded since the runner started. */
  dispatches: number;
  /** Command buffers submitted. */
  submits: number;
}

export class GpuRunner {
  readonly pool: BufferPool;
  private readonly stagingPool: BufferPool;
  private readonly config: RunnerConfig;
  private readonly pipelines: Map<string, CachedPipeline>;
  private readonly slotBytes: number;
  private readonly uniformBuffer: GPUBuffer;
  private readonly uniformData: ArrayBuffer;
  private usedSlots = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  /** Buffers referenced by commands not yet submitted (a queue.writeBuffer to one must wait for the submit). */
  private pendingUse = new Set<GPUBuffer>();
  private pendingErrors: Promise<Error | null>[] = [];
  private lostInfo: GPUDeviceLostInfo | null = null;
  private lateCompiles = 0;
  private dispatchCount = 0;
  private submitCount = 0;

  constructor(
    readonly device: GPUDevice,
    config: Partial<RunnerConfig> = {},
  ) {
    this.config = { ...defaultRunnerConfig, ...config };
    if (this.config.sharePipelines) {
      let shared = sharedPipelines.get(device);
      if (!shared) sharedPipelines.set(device, (shared = new Map()));
      this.pipelines = shared;
    } else {
      this.pipelines = new Map();
    }
    void device.lost.then((info) => {
      this.lostInfo = info;
    });
    const create = (size: number, usage: number, label: string) => this.createBuffer(size, usage, label);
    this.pool = new BufferPool(device, create);
    this.stagingPool = new BufferPool(device, create);
    this.slotBytes = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
    this.uniformData = new ArrayBuffer(this.slotBytes * this.config.uniformSlots);
    this.uniformBuffer = this.createBuffer(
      this.uniformData.byteLength,
      GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      'uniforms',
    );
  }

  /** Throws DeviceLostError once the device is gone; every public entry point calls it. */
  private checkAlive(): void {
    if (this.lostInfo) throw new DeviceLostError(this.lostInfo.reason, this.lostInfo.message);
  }

  /** createBuffer inside out-of-memory and validation scopes; failures surface at the next `sync()`. */
  private createBuffer(size: number, usage: number, label: string): GPUBuffer {
    this.device.pushErrorScope('out-of-memory');
    this.device.pushErrorScope('validation');
    const buffer = this.device.createBuffer({ size, usage, label });
    const validation = this.device.popErrorScope();
    const oom = this.device.popErrorScope();
    this.pendingErrors.push(
      Promise.all([validation, oom]).then(([v, o]) => {
        if (o) return new OutOfMemoryError(`allocating ${size} B for ${label}: ${o.message}`);
        if (v) return new GpuValidationError(`allocating ${size} B for ${label}: ${v.message}`);
        return null;
      }),
    );
    return buffer;
  }

  private checkWorkgroup(program: KernelProgram): void {
    const [x, y, z] = program.workgroupSize;
    const l = this.device.limits;
    if (x * y * z > l.maxComputeInvocationsPerWorkgroup || x > l.maxComputeWorkgroupSizeX || y > l.maxComputeWorkgroupSizeY || z > l.maxComputeWorkgroupSizeZ) {
      throw new GpuLimitError(
        `${program.key}: workgroup ${x}x${y}x${z} exceeds the device (max ${l.maxComputeInvocationsPerWorkgroup} invocations, ` +
          `${l.maxComputeWorkgroupSizeX}x${l.maxComputeWorkgroupSizeY}x${l.maxComputeWorkgroupSizeZ})`,
      );
    }
  }

  /** Compiles programs up front (async, with the compiler's report); already-cached keys are skipped. */
  async compile(programs: readonly KernelProgram[]): Promise<void> {
    this.checkAlive();
    await Promise.all(
      programs.map(async (program) => {
        if (this.pipelines.has(program.key)) return;
        this.checkWorkgroup(program);
        // Scopes are a stack shared by everything on the device: push and pop synchronously, await later.
        this.device.pushErrorScope('validation');
        const module = this.device.createShaderModule({ code: program.source, label: program.key });
        const moduleScope = this.device.popErrorScope();
        const info = await module.getCompilationInfo();
        const scopeError = await moduleScope;
        const errors = info.messages.filter((m) => m.type === 'error');
        if (errors.length > 0 || scopeError) {
          const lines = compilationLines(errors, program.source);
          if (lines.length === 0 && scopeError) lines.push({ type: 'error', line: 0, column: 0, message: scopeError.message, sourceLine: '' });
          throw new ShaderCompileError(program.key, lines, program.source);
        }
        const layout = this.bindGroupLayout(program);
        this.device.pushErrorScope('validation');
        const pipelinePromise = this.device.createComputePipelineAsync({
          label: program.key,
          layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
          compute: { module, entryPoint: 'main' },
        });
        const pipelineScope = this.device.popErrorScope();
        let pipeline: GPUComputePipeline;
        try {
          pipeline = await pipelinePromise;
        } catch (e) {
          throw new GpuValidationError(`creating the pipeline for ${program.key}: ${(e as Error).message}`);
        }
        const pipelineError = await pipelineScope;
        if (pipelineError) throw new GpuValidationError(`creating the pipeline for ${program.key}: ${pipelineError.message}`);
        if (!this.pipelines.has(program.key)) this.pipelines.set(program.key, { program, pipeline, layout });
      }),
    );
  }

  /** True once `program` has a cached pipeline. */
  isCompiled(program: KernelProgram): boolean {
    return this.pipelines.has(program.key);
  }

  private bindGroupLayout(program: KernelProgram): GPUBindGroupLayout {
    const entries: GPUBindGroupLayoutEntry[] = program.bindings.map((b, i) => ({
      binding: i,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
    }));
    if (program.uniforms.length > 0) {
      entries.push({ binding: program.bindings.length, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
    }
    return this.device.createBindGroupLayout({ label: program.key, entries });
  }

  /** The synchronous fallback: compile on first use, count it, check the compiler's report at the next sync. */
  private pipelineFor(program: KernelProgram): CachedPipeline {
    const cached = this.pipelines.get(program.key);
    if (cached) {
      if (cached.program !== program && cached.program.source !== program.source) {
        throw new Error(`program key collision: ${program.key} names two different sources`);
      }
      return cached;
    }
    if (this.config.requirePrecompiled) {
      throw new Error(`program ${program.key} was not compiled up front (requirePrecompiled is on)`);
    }
    this.checkWorkgroup(program);
    this.lateCompiles++;
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code: program.source, label: program.key });
    const layout = this.bindGroupLayout(program);
    const pipeline = this.device.createComputePipeline({
      label: program.key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const scope = this.device.popErrorScope();
    this.pendingErrors.push(
      Promise.all([module.getCompilationInfo(), scope]).then(([info, err]) => {
        const errors = info.messages.filter((m) => m.type === 'error');
        if (errors.length > 0) return new ShaderCompileError(program.key, compilationLines(errors, program.source), program.source);
        if (err) return new GpuValidationError(`creating the pipeline for ${program.key}: ${err.message}`);
        return null;
      }),
    );
    const entry = { program, pipeline, layout };
    this.pipelines.set(program.key, entry);
    return entry;
  }

  private computePass(): GPUComputePassEncoder {
    this.encoder ??= this.device.createCommandEncoder({ label: 'step' });
    this.pass ??= this.encoder.beginComputePass();
    return this.pass;
  }

  private commandEncoder(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    this.encoder ??= this.device.createCommandEncoder({ label: 'step' });
    return this.encoder;
  }

  /**
   * Records one dispatch. `buffers` follow `program.bindings`; `uniforms` give every field of the uniform
   * struct; `workgroups` is the dispatch size (checked against maxComputeWorkgroupsPerDimension).
   */
  dispatch(
    program: KernelProgram,
    buffers: readonly GPUBuffer[],
    uniforms: Readonly<Record<string, number>>,
    workgroups: readonly [number, number?, number?],
  ): void {
    this.checkAlive();
    if (buffers.length !== program.bindings.length) {
      throw new Error(`${program.key}: ${buffers.length} buffers for ${program.bindings.length} bindings`);
    }
    const [wx, wy = 1, wz = 1] = workgroups;
    const maxDim = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (wx > maxDim || wy > maxDim || wz > maxDim) {
      throw new GpuLimitError(`${program.key}: dispatch ${wx}x${wy}x${wz} exceeds maxComputeWorkgroupsPerDimension ${maxDim}`);
    }
    if (wx === 0 || wy === 0 || wz === 0) return;
    const { pipeline, layout } = this.pipelineFor(program);
    if (program.uniforms.length > 0 && this.usedSlots >= this.config.uniformSlots) this.submit();
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
    if (program.uniforms.length > 0) {
      const offset = this.usedSlots * this.slotBytes;
      this.usedSlots++;
      const view = new DataView(this.uniformData, offset, this.slotBytes);
      program.uniforms.forEach((f, i) => {
        const v = uniforms[f.name];
        if (v === undefined) throw new Error(`${program.key}: uniform '${f.name}' not given`);
        if (f.type === 'f32') view.setFloat32(i * 4, v, true);
        else if (f.type === 'i32') view.setInt32(i * 4, v, true);
        else view.setUint32(i * 4, v, true);
      });
      entries.push({
        binding: program.bindings.length,
        resource: { buffer: this.uniformBuffer, offset, size: Math.max(16, Math.ceil(program.uniforms.length / 4) * 16) },
      });
    }
    const bindGroup = this.device.createBindGroup({ layout, entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(wx, wy, wz);
    for (const b of buffers) this.pendingUse.add(b);
    this.dispatchCount++;
  }

  /** Records a buffer-to-buffer copy in the step's encoder. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    this.checkAlive();
    this.commandEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.pendingUse.add(src);
    this.pendingUse.add(dst);
  }

  /** Records a zero fill of `bytes` (multiple of 4) at the start of `buffer`. */
  clear(buffer: GPUBuffer, bytes: number): void {
    this.checkAlive();
    this.commandEncoder().clearBuffer(buffer, 0, Math.ceil(bytes / 4) * 4);
    this.pendingUse.add(buffer);
  }

  /** Uploads CPU data; if unsubmitted commands use `buffer`, they are submitted first so order holds. */
  write(buffer: GPUBuffer, data: ArrayBufferView, offset = 0): void {
    this.checkAlive();
    if (this.pendingUse.has(buffer)) this.submit();
    const bytes = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    const padded = bytes.byteLength % 4 === 0 ? bytes : (() => {
      const p = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
      p.set(bytes);
      return p;
    })();
    this.device.queue.writeBuffer(buffer, offset, padded);
  }

  /** Submits everything recorded so far (one command buffer). Cheap when nothing is pending. */
  submit(): void {
    this.checkAlive();
    if (!this.encoder) return;
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (this.usedSlots > 0) {
      this.device.queue.writeBuffer(this.uniformBuffer, 0, this.uniformData, 0, this.usedSlots * this.slotBytes);
      this.usedSlots = 0;
    }
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.pendingUse.clear();
    this.submitCount++;
  }

  /** Submits, waits for the bytes, and checks pending error scopes. The only GPU-to-CPU path. */
  async read(buffer: GPUBuffer, bytes: number, offset = 0): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    const staging = this.stagingPool.acquire(size, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'readback');
    this.copy(buffer, offset, staging, 0, size);
    this.submit();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, size);
      this.checkAlive();
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      return out;
    } finally {
      this.stagingPool.release(staging);
      await this.sync();
    }
  }

  /** Awaits error scopes opened since the last sync and throws the first failure as a typed error. */
  async sync(): Promise<void> {
    this.checkAlive();
    const pending = this.pendingErrors;
    this.pendingErrors = [];
    const errors = await Promise.all(pending);
    const first = errors.find((e) => e !== null);
    if (first) throw first;
  }

  /** Submits and waits until the GPU has finished all submitted work. */
  async finish(): Promise<void> {
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this.sync();
  }

  stats(): RunnerStats {
    return {
      pool: this.pool.stats(),
      pipelines: this.pipelines.size,
      lateCompiles: this.lateCompiles,
      dispatches: this.dispatchCount,
      submits: this.submitCount,
    };
  }

  /** Frees the pool and the uniform arena; the device itself belongs to the caller. */
  destroy(): void {
    this.submit();
    this.pool.trim();
    this.stagingPool.trim();
    this.uniformBuffer.destroy();
  }
}
