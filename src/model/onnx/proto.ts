// ONNX's protobuf messages (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto)
// as plain TypeScript objects, and their encoding to wire bytes. Field numbers follow onnx/onnx.proto
// (IR version 8, the one that goes with opset 17); only the fields an exporter writes are modelled.

import { ProtoWriter } from './protobuf.ts';

/** TensorProto.DataType values we use. */
export const OnnxDataType = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 } as const;
export type OnnxElemType = keyof typeof OnnxDataType;

/** IR version 8 is what onnx 1.12 wrote for opset 17. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

/** A tensor with its data; `data` is stored as raw little-endian bytes (TensorProto.raw_data). */
export interface OnnxTensor {
  name: string;
  elemType: OnnxElemType;
  dims: number[];
  /** float -> Float32Array; int64 -> BigInt64Array or number[]; int32 -> Int32Array; bool/uint8 -> Uint8Array. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | number[];
}

/** One attribute; the discriminant names the AttributeProto field that carries the value. */
export type OnnxAttribute =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'tensor'; value: OnnxTensor }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] };

export interface OnnxNode {
  opType: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes: Record<string, OnnxAttribute>;
  /** '' for the default ONNX domain. */
  domain?: string;
}

/** A dimension is either fixed (a number) or symbolic (a name such as 'batch'). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxElemType;
  dims: OnnxDim[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Default 17. */
  opset?: number;
  producerName?: string;
  producerVersion?: string;
  docString?: string;
  /** Free key/value metadata (e.g. the ModelConfig as JSON). */
  metadata?: Record<string, string>;
}

// AttributeProto.AttributeType
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

/** The ONNX model as protobuf bytes, ready for `InferenceSession.create(bytes)`. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, ONNX_IR_VERSION); // ir_version
  w.string(2, model.producerName ?? 'anatomy-r1-lab'); // producer_name
  w.string(3, model.producerVersion ?? '0.1.0'); // producer_version
  if (model.docString) w.string(6, model.docString); // doc_string
  w.bytes(7, encodeGraph(model.graph)); // graph
  w.message(8, (o) => o.string(1, '').int(2, model.opset ?? ONNX_OPSET)); // opset_import
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, (e) => e.string(1, key).string(2, value)); // metadata_props
  }
  return w.finish();
}

export function encodeGraph(graph: OnnxGraph): Uint8Array {
  const w = new ProtoWriter();
  for (const node of graph.nodes) w.bytes(1, encodeNode(node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.bytes(5, encodeTensor(tensor));
  for (const input of graph.inputs) w.bytes(11, encodeValueInfo(input));
  for (const output of graph.outputs) w.bytes(12, encodeValueInfo(output));
  return w.finish();
}

export function encodeNode(node: OnnxNode): Uint8Array {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes)) w.bytes(5, encodeAttribute(name, attribute));
  if (node.domain) w.string(7, node.domain);
  return w.finish();
}

export function encodeAttribute(name: string, attribute: OnnxAttribute): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, name);
  switch (attribute.type) {
    case 'float': w.float(2, attribute.value); break;
    case 'int': w.int(3, attribute.value); break;
    case 'string': w.string(4, attribute.value); break;
    case 'tensor': w.bytes(5, encodeTensor(attribute.value)); break;
    case 'floats': w.packedFloats(7, attribute.value); break;
    case 'ints': w.packedVarints(8, attribute.value); break;
  }
  w.int(20, ATTRIBUTE_TYPE[attribute.type]);
  return w.finish();
}

export function encodeTensor(tensor: OnnxTensor): Uint8Array {
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== count) {
    throw new RangeError(`tensor ${tensor.name}: ${tensor.data.length} values for dims [${tensor.dims.join(', ')}] (${count})`);
  }
  const w = new ProtoWriter();
  w.packedVarints(1, tensor.dims); // dims
  w.int(2, OnnxDataType[tensor.elemType]); // data_type
  w.string(8, tensor.name); // name
  w.bytes(9, rawLittleEndian(tensor)); // raw_data
  return w.finish();
}

function rawLittleEndian(tensor: OnnxTensor): Uint8Array {
  const n = tensor.data.length;
  switch (tensor.elemType) {
    case 'float': {
      const out = new Uint8Array(n * 4);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setFloat32(i * 4, Number(tensor.data[i]), true);
      return out;
    }
    case 'int32': {
      const out = new Uint8Array(n * 4);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setInt32(i * 4, Number(tensor.data[i]), true);
      return out;
    }
    case 'int64': {
      const out = new Uint8Array(n * 8);
      const view = new DataView(out.buffer);
      for (let i = 0; i < n; i++) view.setBigInt64(i * 8, BigInt(tensor.data[i]), true);
      return out;
    }
    case 'bool':
    case 'uint8':
    case 'int8': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Number(tensor.data[i]) & 0xff;
      return out;
    }
  }
}

export function encodeValueInfo(info: OnnxValueInfo): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, info.name);
  // type: TypeProto { tensor_type (1): { elem_type (1), shape (2): { dim (1): { dim_value (1) | dim_param (2) } } } }
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, OnnxDataType[info.elemType]);
      tensorType.message(2, (shape) => {
        for (const dim of info.dims) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
  return w.finish();
}
