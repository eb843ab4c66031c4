// A small builder for ONNX graphs: declare inputs and initializers, add nodes with typed helpers for the ops a
// transformer needs (opset 17), mark outputs, and get model bytes. Every helper returns the name of the value
// it produced, so graphs read like the forward pass they export.

import {
  OnnxDataType,
  encodeModel,
  type OnnxAttribute,
  type OnnxDim,
  type OnnxElemType,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
  type OnnxValueInfo,
} from './proto.ts';

const SQRT1_2 = Math.SQRT1_2;

export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly name = 'graph') {}

  /** A fresh value name with the given stem. */
  fresh(stem: string): string {
    let name: string;
    do name = `${stem}_${this.counter++}`;
    while (this.names.has(name));
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph ${this.name}: value name '${name}' used twice`);
    this.names.add(name);
    return name;
  }

  /** A graph input; symbolic dims (strings) let the session take other sizes. */
  input(name: string, dims: OnnxDim[], elemType: OnnxElemType = 'float'): string {
    this.inputs.push({ name: this.claim(name), dims, elemType });
    return name;
  }

  /**
   * Marks a value as a graph output with the given declared shape. With `name`, the output gets that name
   * (through an Identity node) so callers can read `results[name]` whatever the graph's internal naming.
   */
  output(value: string, dims: OnnxDim[], elemType: OnnxElemType = 'float', name?: string): string {
    let outputName = value;
    if (name !== undefined && name !== value) {
      outputName = this.claim(name);
      this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [outputName], name: this.fresh('Identity_node'), attributes: {} });
    }
    this.outputs.push({ name: outputName, dims, elemType });
    return outputName;
  }

  /** A weight stored in the model. */
  initializer(name: string, data: Float32Array, dims: number[]): string {
    this.initializers.push({ name: this.claim(name), elemType: 'float', dims, data });
    return name;
  }

  /** An int64 constant (shapes, axes, indices), stored as an initializer. */
  int64(values: number[], dims: number[] = [values.length], stem = 'const'): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, elemType: 'int64', dims, data: values });
    return name;
  }

  /** A float constant, stored as an initializer (scalar when dims is []). */
  float(values: number[] | Float32Array, dims: number[] = [values.length], stem = 'const'): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, elemType: 'float', dims, data: Float32Array.from(values) });
    return name;
  }

  /** Any node; returns its output names (one per `outputCount`). */
  node(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, outputCount = 1): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.fresh(opType.toLowerCase()));
    this.nodes.push({ opType, inputs, outputs, name: this.fresh(`${opType}_node`), attributes });
    return outputs;
  }

  private one(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}): string {
    return this.node(opType, inputs, attributes)[0];
  }

  matMul(a: string, b: string): string { return this.one('MatMul', [a, b]); }
  add(a: string, b: string): string { return this.one('Add', [a, b]); }
  sub(a: string, b: string): string { return this.one('Sub', [a, b]); }
  mul(a: string, b: string): string { return this.one('Mul', [a, b]); }
  div(a: string, b: string): string { return this.one('Div', [a, b]); }
  sqrt(x: string): string { return this.one('Sqrt', [x]); }
  erf(x: string): string { return this.one('Erf', [x]); }
  tanh(x: string): string { return this.one('Tanh', [x]); }
  sigmoid(x: string): string { return this.one('Sigmoid', [x]); }
  neg(x: string): string { return this.one('Neg', [x]); }
  exp(x: string): string { return this.one('Exp', [x]); }
  shape(x: string): string { return this.one('Shape', [x]); }
  identity(x: string): string { return this.one('Identity', [x]); }
  where(condition: string, a: string, b: string): string { return this.one('Where', [condition, a, b]); }

  /** Gemm: alpha * A' B' + beta * C (2-D only). */
  gemm(a: string, b: string, c?: string, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): string {
    return this.one('Gemm', c ? [a, b, c] : [a, b], {
      alpha: { type: 'float', value: opts.alpha ?? 1 },
      beta: { type: 'float', value: opts.beta ?? 1 },
      transA: { type: 'int', value: opts.transA ? 1 : 0 },
      transB: { type: 'int', value: opts.transB ? 1 : 0 },
    });
  }

  /** Gather rows of `data` by integer `indices` (an embedding lookup with axis 0). */
  gather(data: string, indices: string, axis = 0): string {
    return this.one('Gather', [data, indices], { axis: { type: 'int', value: axis } });
  }

  /** LayerNormalization (opset 17) over the last axis by default. */
  layerNorm(x: string, scale: string, bias: string | undefined, epsilon = 1e-5, axis = -1): string {
    return this.one('LayerNormalization', bias ? [x, scale, bias] : [x, scale], {
      axis: { type: 'int', value: axis },
      epsilon: { type: 'float', value: epsilon },
    });
  }

  /** RMSNorm from primitives (opset 17 has no RMSNormalization): x / sqrt(mean(x^2) + eps) * scale. */
  rmsNorm(x: string, scale: string, epsilon = 1e-5): string {
    const meanSquare = this.reduceMean(this.mul(x, x), [-1], true);
    const rms = this.sqrt(this.add(meanSquare, this.float([epsilon], [], 'eps')));
    return this.mul(this.div(x, rms), scale);
  }

  /** ReduceMean with axes as an attribute (opset 17; opset 18 moved axes to an input). */
  reduceMean(x: string, axes: number[], keepDims = true): string {
    return this.one('ReduceMean', [x], { axes: { type: 'ints', value: axes }, keepdims: { type: 'int', value: keepDims ? 1 : 0 } });
  }

  softmax(x: string, axis = -1): string {
    return this.one('Softmax', [x], { axis: { type: 'int', value: axis } });
  }

  /** Reshape to fixed dims (0 copies the input dim, -1 infers one dim). */
  reshape(x: string, dims: number[] | string): string {
    const shape = typeof dims === 'string' ? dims : this.int64(dims, [dims.length], 'shape');
    return this.one('Reshape', [x, shape]);
  }

  transpose(x: string, perm: number[]): string {
    return this.one('Transpose', [x], { perm: { type: 'ints', value: perm } });
  }

  concat(xs: string[], axis: number): string {
    return this.one('Concat', xs, { axis: { type: 'int', value: axis } });
  }

  /** Slice with constant starts/ends/axes/steps; `ends` may be a value name for dynamic slicing. */
  slice(x: string, starts: number[] | string, ends: number[] | string, axes?: number[], steps?: number[]): string {
    const inputs = [
      x,
      typeof starts === 'string' ? starts : this.int64(starts, [starts.length], 'starts'),
      typeof ends === 'string' ? ends : this.int64(ends, [ends.length], 'ends'),
    ];
    if (axes) inputs.push(this.int64(axes, [axes.length], 'axes'));
    if (steps) {
      if (!axes) throw new Error('slice: steps need axes');
      inputs.push(this.int64(steps, [steps.length], 'steps'));
    }
    return this.one('Slice', inputs);
  }

  /** Unsqueeze (opset 13+: axes are an int64 input). */
  unsqueeze(x: string, axes: number[]): string {
    return this.one('Unsqueeze', [x, this.int64(axes, [axes.length], 'axes')]);
  }

  /** Squeeze (opset 13+: axes are an int64 input). */
  squeeze(x: string, axes: number[]): string {
    return this.one('Squeeze', [x, this.int64(axes, [axes.length], 'axes')]);
  }

  /** Split into parts of the given sizes along `axis` (opset 13+: sizes are an int64 input). */
  split(x: string, sizes: number[], axis: number): string[] {
    return this.node('Split', [x, this.int64(sizes, [sizes.length], 'split')], { axis: { type: 'int', value: axis } }, sizes.length);
  }

  /** Cast to another element type. */
  cast(x: string, to: OnnxElemType): string {
    return this.one('Cast', [x], { to: { type: 'int', value: OnnxDataType[to] } });
  }

  /** Range(start, limit, delta) over scalar values of one type (e.g. positions 0..T-1 as int64). */
  range(start: string, limit: string, delta: string): string {
    return this.one('Range', [start, limit, delta]);
  }

  /** Broadcast `x` to the shape held by the int64 value `shape`. */
  expand(x: string, shape: string): string {
    return this.one('Expand', [x, shape]);
  }

  lessOrEqual(a: string, b: string): string { return this.one('LessOrEqual', [a, b]); }
  equal(a: string, b: string): string { return this.one('Equal', [a, b]); }
  sin(x: string): string { return this.one('Sin', [x]); }
  cos(x: string): string { return this.one('Cos', [x]); }

  /** ReduceSum (axes are an int64 input since opset 13). */
  reduceSum(x: string, axes: number[], keepDims = true): string {
    return this.one('ReduceSum', [x, this.int64(axes, [axes.length], 'axes')], { keepdims: { type: 'int', value: keepDims ? 1 : 0 } });
  }

  /** Constant node holding a tensor (for values that should not count as weights). */
  constant(tensor: Omit<OnnxTensor, 'name'>): string {
    return this.one('Constant', [], { value: { type: 'tensor', value: { ...tensor, name: this.fresh('value') } } });
  }

  /**
   * GELU. 'erf' is the exact form 0.5 x (1 + erf(x / sqrt 2)); 'tanh' is GPT-2's approximation
   * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). Opset 17 has no Gelu op (it arrived in opset 20).
   */
  gelu(x: string, approximation: 'erf' | 'tanh' = 'erf'): string {
    const half = this.float([0.5], [], 'half');
    const one = this.float([1], [], 'one');
    if (approximation === 'erf') {
      const inner = this.erf(this.mul(x, this.float([SQRT1_2], [], 'inv_sqrt2')));
      return this.mul(this.mul(x, half), this.add(inner, one));
    }
    const cube = this.mul(this.mul(x, x), x);
    const poly = this.add(x, this.mul(cube, this.float([0.044715], [], 'gelu_c')));
    const inner = this.tanh(this.mul(poly, this.float([Math.sqrt(2 / Math.PI)], [], 'gelu_k')));
    return this.mul(this.mul(x, half), this.add(inner, one));
  }

  /** The graph as plain data; checks that nodes are in order and outputs exist, so ORT's errors never surprise. */
  graph(): OnnxGraph {
    if (this.outputs.length === 0) throw new Error(`ONNX graph ${this.name} has no outputs`);
    const defined = new Set([...this.inputs.map((i) => i.name), ...this.initializers.map((t) => t.name)]);
    for (const node of this.nodes) {
      for (const input of node.inputs) {
        if (input !== '' && !defined.has(input)) {
          throw new Error(`ONNX graph ${this.name}: ${node.opType} node ${node.name} reads '${input}', which no input, initializer or earlier node defines`);
        }
      }
      for (const output of node.outputs) defined.add(output);
    }
    for (const output of this.outputs) {
      if (!defined.has(output.name)) throw new Error(`ONNX graph ${this.name}: output '${output.name}' is never computed`);
    }
    return {
      name: this.name,
      nodes: [...this.nodes],
      initializers: [...this.initializers],
      inputs: [...this.inputs],
      outputs: [...this.outputs],
    };
  }

  /** Model bytes (ModelProto, opset 17). */
  build(metadata: Record<string, string> = {}, docString?: string): Uint8Array {
    return encodeModel({ graph: this.graph(), metadata, docString });
  }
}
