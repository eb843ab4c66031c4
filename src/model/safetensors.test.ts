import { describe, expect, it } from 'vitest';
import { parameterShapes, presetConfig, type ModelConfig } from './config.ts';
import { SafetensorsError, decodeSafetensors, encodeSafetensors, readCheckpoint, writeCheckpoint } from './safetensors.ts';
import { trainTokenizer } from './tokenizer.ts';

// Fixture written by hand from the format description (github.com/huggingface/safetensors README): an 8-byte
// little-endian header size, the compact JSON header padded with spaces to a multiple of 8, then F32 data.
const FIXTURE_HEADER =
  '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}';
const FIXTURE = Uint8Array.from([
  0x88, 0, 0, 0, 0, 0, 0, 0, // 136 = 135 header bytes + 1 space of padding
  ...Array.from(FIXTURE_HEADER, (c) => c.charCodeAt(0)),
  0x20,
  0x00, 0x00, 0x80, 0x3f, // 1.0
  0x00, 0x00, 0x00, 0xc0, // -2.0
  0x00, 0x00, 0x00, 0x3f, // 0.5
]);

function fixtureTensors() {
  return [
    { name: 'a', shape: [2], data: Float32Array.of(1, -2) },
    { name: 'b', shape: [1, 1], data: Float32Array.of(0.5) },
  ];
}

/** A file with the given header object and data length, for malformed-input tests. */
function fileWithHeader(header: unknown, dataBytes: number, rawHeader?: string): Uint8Array {
  const json = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe('safetensors format', () => {
  it('writes the hand-built fixture byte for byte', () => {
    const bytes = encodeSafetensors(fixtureTensors(), { k: 'v' });
    expect(Array.from(bytes)).toEqual(Array.from(FIXTURE));
  });

  it('reads the fixture back', () => {
    const { tensors, metadata } = decodeSafetensors(FIXTURE);
    expect(metadata).toEqual({ k: 'v' });
    expect([...tensors.keys()]).toEqual(['a', 'b']);
    expect(tensors.get('a')).toEqual({ shape: [2], data: Float32Array.of(1, -2), dtype: 'F32' });
    expect(tensors.get('b')).toEqual({ shape: [1, 1], data: Float32Array.of(0.5), dtype: 'F32' });
  });

  it('pads every header to a multiple of 8 with spaces and round-trips odd sizes', () => {
    for (let extra = 0; extra < 9; extra++) {
      const metadata = { note: 'x'.repeat(extra) };
      const tensors = [{ name: 'w', shape: [3, 0], data: new Float32Array(0) }, { name: 'v', shape: [3], data: Float32Array.of(1e-30, -0, NaN) }];
      const bytes = encodeSafetensors(tensors, metadata);
      const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
      expect(n % 8).toBe(0);
      expect(bytes[8 + n - 1] === 0x20 || bytes[8 + n - 1] === 0x7d).toBe(true);
      const back = decodeSafetensors(bytes);
      expect(back.metadata).toEqual(metadata);
      expect(back.tensors.get('w')!.shape).toEqual([3, 0]);
      expect(Array.from(back.tensors.get('v')!.data)).toEqual([1e-30, -0, NaN].map(Math.fround));
    }
  });

  it('omits __metadata__ when there is none', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [1], data: Float32Array.of(1) }]);
    expect(new TextDecoder().decode(bytes.subarray(8, 16))).toBe('{"a":{"d');
  });

  it('rejects malformed files with clear messages', () => {
    const cases: [Uint8Array, RegExp][] = [
      [FIXTURE.subarray(0, 5), /too short for the 8-byte header length/],
      [FIXTURE.subarray(0, 100), /header length 136 runs past the end of the file \(100 bytes\)/],
      [FIXTURE.subarray(0, FIXTURE.length - 4), /tensor 'b' data_offsets \[8, 12\] run past the 8-byte data section/],
      [fileWithHeader(null, 0, '{"a": {'), /header is not valid JSON/],
      [fileWithHeader([], 0), /header must be a JSON object/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), /tensor 'b' \[4, 12\) overlaps tensor 'a' \[0, 8\)/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), /bytes \[0, 4\) of the data section belong to no tensor/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 8), /data section is 8 bytes but the tensors cover 4/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8), /tensor 'a' has shape \[3\] \(12 bytes of F32\) but data_offsets \[0, 8\] span 8 bytes/],
      [fileWithHeader({ a: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, 8), /tensor 'a' has dtype "I8"; only F32, F16 and BF16 are supported/],
      [fileWithHeader({ a: { dtype: 'constructor', shape: [2], data_offsets: [0, 8] } }, 8), /tensor 'a' has dtype "constructor"; only F32, F16 and BF16/],
      [fileWithHeader({ a: { dtype: 'F16', shape: [4], data_offsets: [0, 16] } }, 16), /tensor 'a' has shape \[4\] \(8 bytes of F16\) but data_offsets \[0, 16\] span 16 bytes/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 8] } }, 8), /tensor 'a' has an invalid shape/],
      [fileWithHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, 8), /invalid data_offsets/],
      [fileWithHeader({ __metadata__: { k: 1 } }, 0), /'__metadata__.k' must be a string/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(SafetensorsError);
      expect(() => decodeSafetensors(bytes, 'bad.safetensors')).toThrow(message);
    }
    expect(() => decodeSafetensors(FIXTURE.subarray(0, 5), 'bad.safetensors')).toThrow(/^bad.safetensors: /);
  });

  it('refuses inconsistent tensors when writing', () => {
    expect(() => encodeSafetensors([{ name: 'a', shape: [3], data: Float32Array.of(1) }])).toThrow(/'a' has 1 values for shape \[3\]/);
    expect(() => encodeSafetensors([{ name: 'a', shape: [1], data: Float32Array.of(1) }, { name: 'a', shape: [1], data: Float32Array.of(1) }])).toThrow(/twice/);
  });
});

describe('checkpoints', () => {
  const tokenizer = trainTokenizer(['the liver and the gallbladder', 'the gut and the liver'], { vocabSize: 300 });
  const config: ModelConfig = presetConfig('micro', tokenizer.vocabSize);

  function weightsFor(c: ModelConfig): Map<string, Float32Array> {
    const weights = new Map<string, Float32Array>();
    let k = 0;
    for (const p of parameterShapes(c)) {
      const data = new Float32Array(p.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) data[i] = Math.sin(k++ * 0.37);
      weights.set(p.name, data);
    }
    return weights;
  }

  it('round-trips config, tokenizer, weights and extra metadata', () => {
    const weights = weightsFor(config);
    const bytes = writeCheckpoint(config, tokenizer, weights, { step: '12' });
    const back = readCheckpoint(bytes, 'run.safetensors');
    expect(back.config).toEqual(config);
    expect(back.tokenizer.toJSON()).toEqual(tokenizer.toJSON());
    expect(back.extra).toEqual({ step: '12' });
    expect([...back.weights.keys()]).toEqual(parameterShapes(config).map((p) => p.name));
    for (const [name, data] of weights) expect(back.weights.get(name)).toEqual(data);
  });

  it('stores F16 and BF16 at half the size and reads them back to the nearest half value', () => {
    const weights = weightsFor(config);
    for (const [dtype, ulp] of [['F16', 2 ** -11], ['BF16', 2 ** -8]] as const) {
      const bytes = writeCheckpoint(config, tokenizer, weights, {}, dtype);
      const values = [...weights.values()].reduce((a, w) => a + w.length, 0);
      const headerBytes = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      expect(bytes.length - 8 - headerBytes).toBe(values * 2);
      const back = readCheckpoint(bytes, `run-${dtype}.safetensors`);
      for (const [name, data] of weights) {
        const got = back.weights.get(name)!;
        for (let i = 0; i < data.length; i++) {
          if (Math.abs(got[i] - data[i]) > Math.max(Math.abs(data[i]) * ulp, 2 ** -24)) throw new Error(`${dtype} ${name}[${i}]: ${data[i]} -> ${got[i]}`);
        }
      }
      expect(decodeSafetensors(bytes).tensors.get(parameterShapes(config)[0].name)!.dtype).toBe(dtype);
    }
  });

  it('reads a hand-built F16 and BF16 file', () => {
    const header = '{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}';
    const pad = (8 - (header.length % 8)) % 8;
    const bytes = Uint8Array.from([
      header.length + pad, 0, 0, 0, 0, 0, 0, 0,
      ...Array.from(header + ' '.repeat(pad), (c) => c.charCodeAt(0)),
      0x00, 0x3c, 0x00, 0xc0, // F16 1.0, -2.0
      0x49, 0x40, // BF16 3.140625
    ]);
    const back = decodeSafetensors(bytes);
    expect([...back.tensors.get('h')!.data]).toEqual([1, -2]);
    expect([...back.tensors.get('b')!.data]).toEqual([3.140625]);
  });

  it('refuses a checkpoint whose tensors do not match its config, naming tensor and shapes', () => {
    const weights = weightsFor(config);
    const bytes = writeCheckpoint(config, tokenizer, weights);
    const { tensors, metadata } = decodeSafetensors(bytes);
    const list = [...tensors].map(([name, t]) => ({ name, ...t }));

    const reshaped = list.map((t) => (t.name === 'decoder.blocks.1.mlp.fc1.weight' ? { ...t, shape: [256, 64] } : t));
    expect(() => readCheckpoint(encodeSafetensors(reshaped, metadata), 'run.safetensors')).toThrow(
      "run.safetensors: tensor 'decoder.blocks.1.mlp.fc1.weight' has shape [256, 64], the config expects [64, 256]",
    );
    const missing = list.filter((t) => t.name !== 'lm_head.weight');
    expect(() => readCheckpoint(encodeSafetensors(missing, metadata), 'run.safetensors')).toThrow(/tensor 'lm_head.weight' is missing; the config expects shape \[64, \d+\]/);
    const extra = [...list, { name: 'surprise', shape: [1], data: Float32Array.of(0) }];
    expect(() => readCheckpoint(encodeSafetensors(extra, metadata), 'run.safetensors')).toThrow(/tensor 'surprise' is not part of the model config/);
    const badConfig = { ...metadata, config: JSON.stringify({ ...config, decoderHeads: 'four' }) };
    expect(() => readCheckpoint(encodeSafetensors(list, badConfig), 'run.safetensors')).toThrow(/run.safetensors metadata 'config': field 'decoderHeads' must be an integer/);
    expect(() => readCheckpoint(encodeSafetensors(list, { ...metadata, format: 'other' }), 'run.safetensors')).toThrow(/format/);
  });

  it('refuses to write weights that do not fit', () => {
    const weights = weightsFor(config);
    weights.delete('vision.norm.bias');
    expect(() => writeCheckpoint(config, tokenizer, weights)).toThrow(/'vision.norm.bias' is missing/);
    expect(() => writeCheckpoint({ ...config, vocabSize: config.vocabSize + 1 }, tokenizer, weightsFor(config))).toThrow(/vocabSize/);
  });
});
