import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf.ts';
import { encodeAttribute, encodeTensor, encodeValueInfo } from './proto.ts';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

// Expected bytes follow the protobuf encoding guide (protobuf.dev/programming-guides/encoding).
describe('ProtoWriter', () => {
  it('writes varints as in the encoding guide', () => {
    expect(hex(new ProtoWriter().varint(1).finish())).toBe('01');
    expect(hex(new ProtoWriter().varint(150).finish())).toBe('96 01');
    expect(hex(new ProtoWriter().varint(300).finish())).toBe('ac 02');
    expect(hex(new ProtoWriter().varint(2 ** 53 - 1).finish())).toBe('ff ff ff ff ff ff ff 0f');
    expect(hex(new ProtoWriter().varint(-1).finish())).toBe('ff ff ff ff ff ff ff ff ff 01');
    expect(() => new ProtoWriter().varint(1.5)).toThrow(/safe integer/);
  });

  it('writes tagged fields', () => {
    expect(hex(new ProtoWriter().int(1, 150).finish())).toBe('08 96 01');
    expect(hex(new ProtoWriter().string(2, 'testing').finish())).toBe('12 07 74 65 73 74 69 6e 67');
    expect(hex(new ProtoWriter().float(2, 1).finish())).toBe('15 00 00 80 3f');
    expect(hex(new ProtoWriter().packedVarints(4, [3, 270, 86942]).finish())).toBe('22 06 03 8e 02 9e a7 05');
    expect(hex(new ProtoWriter().packedFloats(7, [1, -2]).finish())).toBe('3a 08 00 00 80 3f 00 00 00 c0');
    expect(hex(new ProtoWriter().message(3, (m) => m.int(1, 150)).finish())).toBe('1a 03 08 96 01');
  });

  it('grows past its initial buffer', () => {
    const big = new Uint8Array(10_000).fill(7);
    const out = new ProtoWriter().bytes(1, big).finish();
    expect(out.length).toBe(1 + 2 + 10_000);
    expect(out[3 + 9_999]).toBe(7);
  });
});

describe('ONNX messages', () => {
  it('encodes a TensorProto: dims, data_type, name, raw_data', () => {
    const bytes = encodeTensor({ name: 'w', elemType: 'float', dims: [2], data: Float32Array.of(1, -2) });
    expect(hex(bytes)).toBe('0a 01 02 10 01 42 01 77 4a 08 00 00 80 3f 00 00 00 c0');
    expect(() => encodeTensor({ name: 'w', elemType: 'float', dims: [3], data: Float32Array.of(1) })).toThrow(/1 values for dims \[3\]/);
  });

  it('encodes attributes with their type tag (field 20)', () => {
    expect(hex(encodeAttribute('axis', { type: 'int', value: -1 }))).toBe('0a 04 61 78 69 73 18 ff ff ff ff ff ff ff ff ff 01 a0 01 02');
    expect(hex(encodeAttribute('perm', { type: 'ints', value: [1, 0] }))).toBe('0a 04 70 65 72 6d 42 02 01 00 a0 01 07');
  });

  it('encodes symbolic and fixed dims in a ValueInfoProto', () => {
    const bytes = encodeValueInfo({ name: 'x', elemType: 'float', dims: ['T', 4] });
    expect(hex(bytes)).toBe('0a 01 78 12 0f 0a 0d 08 01 12 09 0a 03 12 01 54 0a 02 08 04');
  });
});
