// The ONNX source of an evaluation: reads the model config (and the tokenizer, when the export carried it) from
// a dropped .onnx file's metadata_props, prepares the evaluated records' pixels, and opens the ORT-backed
// EvalPolicy of src/eval/onnx-policy.ts. ORT keeps its own GPU device; dispose releases only its session.
import type { VqaRecord } from '../data/record.ts';
import { createOnnxEvalPolicy, type OrtModule } from '../eval/onnx-policy.ts';
import { restoreModelConfig } from '../model/config.ts';
import { restoreTokenizer } from '../model/tokenizer.ts';
import { toPolicyPixels, type RgbBytes } from '../rl/trainer/images.ts';
import type { JsonObject } from '../runs/record.ts';
import type { EvalModelSource } from './eval-protocol.ts';

/** Metadata key the policy export writes the ModelConfig JSON under (model/onnx/policy-export.ts). */
export const ONNX_CONFIG_KEY = 'anatomy_r1.model_config';

/**
 * ModelProto.metadata_props (field 14, entries of key = 1, value = 2) from ONNX bytes, scanning only the
 * top-level fields, so the weights are skipped, not parsed. Throws naming the file on malformed bytes.
 */
export function onnxMetadata(bytes: Uint8Array, file: string): Record<string, string> {
  let at = 0;
  const fail = (why: string): never => {
    throw new Error(`${file}: not a readable ONNX model (${why} at byte ${at})`);
  };
  const varint = (end: number): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= end) fail('truncated varint');
      const b = bytes[at++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    return fail('overlong varint');
  };
  const text = new TextDecoder('utf-8', { fatal: false });
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const skip = (wire: number, end: number): void => {
    if (wire === 0) varint(end);
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const n = varint(end); // read first: `at += varint()` would add to the stale `at`
      at += n;
    }
    else fail(`unsupported wire type ${wire}`);
    if (at > end) fail('field runs past the end');
  };
  while (at < bytes.length) {
    const tag = varint(bytes.length);
    const field = Math.floor(tag / 8), wire = tag % 8;
    if (field === 14 && wire === 2) {
      const len = varint(bytes.length);
      const end = at + len;
      if (end > bytes.length) fail('metadata entry runs past the end');
      let key = '', value = '';
      while (at < end) {
        const t = varint(end);
        if (t % 8 === 2 && (t >> 3 === 1 || t >> 3 === 2)) {
          const n = varint(end);
          if (at + n > end) fail('metadata string runs past its entry');
          const s = text.decode(bytes.subarray(at, at + n));
          at += n;
          if (t >> 3 === 1) key = s;
          else value = s;
        } else skip(t % 8, end);
      }
      if (key) out[key] = value;
    } else skip(wire, bytes.length);
  }
  return out;
}

/** Opens the ONNX policy for an evaluation over `records`, whose images are looked up once, up front. */
export async function openOnnxEvalSource(
  source: Extract<EvalModelSource, { kind: 'onnx' }>,
  records: readonly VqaRecord[],
  images: (ref: string) => Promise<RgbBytes | null>,
  /** The ORT module; default onnx-policy.ts's own import (Node tests pass 'onnxruntime-web'). */
  ort?: OrtModule,
) {
  const meta = onnxMetadata(source.bytes, source.name);
  const configText = meta[ONNX_CONFIG_KEY];
  if (!configText) throw new Error(`${source.name}: metadata '${ONNX_CONFIG_KEY}' is missing; export the model from the lab (Model panel) so it carries its config.`);
  const parse = (t: string, what: string): unknown => {
    try {
      return JSON.parse(t);
    } catch {
      throw new Error(`${what}: not JSON`);
    }
  };
  const config = restoreModelConfig(parse(configText, `${source.name} metadata '${ONNX_CONFIG_KEY}'`), `${source.name} metadata '${ONNX_CONFIG_KEY}'`);
  const carried = Object.entries(meta).find(([k]) => k.toLowerCase().includes('tokenizer'))?.[1];
  const tokenizerText = source.tokenizerJson.trim() || carried;
  if (!tokenizerText) throw new Error(`${source.name}: no tokenizer in its metadata; drop the model's tokenizer JSON beside it.`);
  const tokenizer = restoreTokenizer(parse(tokenizerText, 'tokenizer JSON'), 'tokenizer JSON');

  const pixels = new Map<string, Float32Array>();
  for (const r of records) {
    if (!r.image || pixels.has(r.image)) continue;
    const img = await images(r.image);
    if (img) pixels.set(r.image, toPolicyPixels(img, config.imageSize));
  }
  const policy = await createOnnxEvalPolicy(source.bytes, {
    executionProvider: source.executionProvider,
    tokenizer,
    config,
    pixels: (record) => pixels.get(record.image) ?? null,
    name: `onnx:${source.name}`,
    ...(ort ? { ort } : {}),
  });
  return {
    policy,
    engine: `onnx-${source.executionProvider}`,
    model: JSON.parse(JSON.stringify(config)) as JsonObject,
    dispose: () => void policy.dispose(),
  };
}
