// The smallest useful exported model, for benchmarks and for checking the ONNX writer: C = A B with A an
// input and B either a second input or a weight stored in the model.

import { OnnxGraphBuilder } from './graph.ts';

export interface MatMulModelOptions {
  /** When given (K*N values, row-major), B is an initializer; otherwise B is a second input named 'B'. */
  weights?: Float32Array;
}

/** ONNX bytes for C (M, N) = A (M, K) @ B (K, N); inputs 'A' [and 'B'], output 'C'. */
export function buildMatMulModel(M: number, K: number, N: number, options: MatMulModelOptions = {}): Uint8Array {
  for (const [label, value] of [['M', M], ['K', K], ['N', N]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`buildMatMulModel: ${label} must be a positive integer, got ${value}`);
  }
  const g = new OnnxGraphBuilder('matmul');
  const a = g.input('A', [M, K]);
  let b: string;
  if (options.weights) {
    if (options.weights.length !== K * N) {
      throw new RangeError(`buildMatMulModel: weights hold ${options.weights.length} values, (K, N) = (${K}, ${N}) needs ${K * N}`);
    }
    b = g.initializer('B', options.weights, [K, N]);
  } else {
    b = g.input('B', [K, N]);
  }
  const c = g.matMul(a, b);
  g.output(c, [M, N], 'float', 'C');
  return g.build();
}
