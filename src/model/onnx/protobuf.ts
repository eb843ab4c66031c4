// A minimal protocol-buffers writer: just enough wire format (varints, length-delimited fields, packed
// repeated scalars, fixed32 floats) to encode ONNX models by hand, so the app needs no protobuf library.
// Messages are built bottom-up: encode the child to bytes, then write it as a length-delimited field.

/** Protobuf wire types used by ONNX's schema. */
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const textEncoder = new TextEncoder();

/** Appends protobuf fields to a growable byte buffer. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  /**
   * Unsigned or non-negative varint. Negative int64 values are written as their 64-bit two's complement
   * (10 bytes), which is what protobuf does for int32/int64 fields; BigInt keeps that exact.
   */
  varint(value: number | bigint): this {
    let v = typeof value === 'bigint' ? value : BigInt(checkInteger(value));
    if (v < 0n) v = BigInt.asUintN(64, v);
    if (v >= 1n << 64n) throw new RangeError(`varint ${value} does not fit in 64 bits`);
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
    return this;
  }

  private tag(field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`bad field number ${field}`);
    this.varint(field * 8 + wireType);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    return this.varint(value);
  }

  /** A float field (fixed32, little-endian IEEE 754). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    new DataView(this.buffer.buffer, this.buffer.byteOffset).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** bytes field, or an embedded message already encoded. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** Embedded message, written by `build` into a fresh writer. */
  message(field: number, build: (writer: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  /** Packed repeated varints (int64s such as tensor dims or `ints` attributes). */
  packedVarints(field: number, values: ReadonlyArray<number | bigint>): this {
    const child = new ProtoWriter();
    for (const v of values) child.varint(v);
    return this.bytes(field, child.finish());
  }

  /** Packed repeated floats: the payload is the raw little-endian float32 bytes. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    return this.bytes(field, float32LittleEndian(values));
  }

  /** The bytes written so far (a copy sized exactly). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

function checkInteger(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`varint value ${value} is not a safe integer`);
  return value;
}

/** Float32 values as little-endian bytes, whatever the host byte order. */
export function float32LittleEndian(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}
