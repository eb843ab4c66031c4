// Our matmul generator timed alone, with raw WebGPU: the bench compiles `matmulProgram`'s WGSL itself and
// records one dispatch per run, so the number is the kernel plus the fixed cost of one submission, with no
// engine bookkeeping in it. A timed run = encode one dispatch, submit, await queue.onSubmittedWorkDone().
// A, B and C stay resident on the GPU; nothing is uploaded or read back inside a timed run.

import { matmulDispatch, matmulProgram, type MatmulTiling, type MatmulVariant } from '../src/gpu/kernels/matmul.ts';
import type { KernelProgram } from '../src/gpu/program.ts';

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** One shape's operands on the GPU plus a compiled pipeline and bind group per tiling. */
export class OurMatmulBench {
  private readonly a: GPUBuffer;
  private readonly b: GPUBuffer;
  private readonly c: GPUBuffer;
  private readonly uniforms: GPUBuffer;
  private readonly prepared = new Map<string, { pipeline: GPUComputePipeline; bindGroup: GPUBindGroup; workgroups: [number, number, number] }>();

  constructor(
    private readonly device: GPUDevice,
    private readonly m: number,
    private readonly n: number,
    k: number,
    a: Float32Array<ArrayBuffer>,
    b: Float32Array<ArrayBuffer>,
  ) {
    const upload = (data: Float32Array<ArrayBuffer>, label: string) => {
      const buf = device.createBuffer({ size: data.byteLength, usage: STORAGE, label });
      device.queue.writeBuffer(buf, 0, data);
      return buf;
    };
    this.a = upload(a, 'bench A');
    this.b = upload(b, 'bench B');
    this.c = device.createBuffer({ size: m * n * 4, usage: STORAGE, label: 'bench C' });
    // m, n, k, strideA, strideB, strideC (batch 1, so the strides are never used), padded to 32 bytes.
    this.uniforms = device.createBuffer({ size: 32, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, label: 'bench uniforms' });
    device.queue.writeBuffer(this.uniforms, 0, new Uint32Array([m, n, k, m * k, k * n, m * n, 0, 0]));
  }

  /** Compiles the variant (reporting WGSL errors with their lines) and binds this shape's buffers. */
  async prepare(variant: MatmulVariant): Promise<void> {
    const program: KernelProgram = matmulProgram(variant);
    if (this.prepared.has(program.key)) return;
    this.device.pushErrorScope('validation');
    const module = this.device.createShaderModule({ code: program.source, label: program.key });
    const info = await module.getCompilationInfo();
    const errors = info.messages.filter((msg) => msg.type === 'error');
    if (errors.length > 0) {
      await this.device.popErrorScope();
      throw new Error(`${program.key}: WGSL errors: ${errors.map((e) => `line ${e.lineNum}: ${e.message}`).join('; ')}`);
    }
    const pipeline = await this.device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' }, label: program.key });
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [this.a, this.b, this.c, this.uniforms].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const scopeError = await this.device.popErrorScope();
    if (scopeError) throw new Error(`${program.key}: ${scopeError.message}`);
    this.prepared.set(program.key, { pipeline, bindGroup, workgroups: matmulDispatch(variant as MatmulTiling, 1, this.m, this.n) });
  }

  /** One timed unit: a dispatch of the prepared variant, submitted and waited for. */
  async run(variant: MatmulVariant): Promise<void> {
    const entry = this.prepared.get(matmulProgram(variant).key);
    if (!entry) throw new Error('OurMatmulBench.run before prepare');
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(entry.pipeline);
    pass.setBindGroup(0, entry.bindGroup);
    pass.dispatchWorkgroups(...entry.workgroups);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Runs the variant once on a zeroed C and reads C back (the correctness check, never timed). */
  async result(variant: MatmulVariant): Promise<Float32Array> {
    const encoder = this.device.createCommandEncoder();
    encoder.clearBuffer(this.c);
    this.device.queue.submit([encoder.finish()]);
    await this.run(variant);
    const bytes = this.m * this.n * 4;
    const staging = this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const copy = this.device.createCommandEncoder();
    copy.copyBufferToBuffer(this.c, 0, staging, 0, bytes);
    this.device.queue.submit([copy.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(staging.getMappedRange().slice(0));
    staging.destroy();
    return out;
  }

  destroy(): void {
    for (const buf of [this.a, this.b, this.c, this.uniforms]) buf.destroy();
  }
}
