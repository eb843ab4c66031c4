// The engine's public surface for the layers above (model, rl, worker): import from here, not from the
// files behind it. Kernels and the runner stay reachable through src/gpu for benchmarks and tests.

export type { AdamWStep, Backend, BinaryOp, ClipInput, MatmulOptions, RopeOptions, UnaryOp, UnaryParams } from './backend.ts';
export { CpuBackend, type CpuBackendConfig } from './cpu-backend.ts';
export { WebGpuBackend, type WebGpuBackendConfig } from './webgpu-backend.ts';
export { Tensor, type DType } from './tensor.ts';
export { Parameter, Tape, Var } from './autograd.ts';
export { AdamW, type AdamWConfig } from './optim/adamw.ts';
export { learningRateAt, type LrSchedule } from './optim/schedule.ts';
export { broadcastShapes, sizeOf, type Shape } from './shape.ts';
export {
  DeviceLostError, GpuError, GpuLimitError, GpuValidationError, NonFiniteError, OutOfMemoryError, ShaderCompileError,
  WebGpuUnavailableError,
} from '../gpu/errors.ts';
