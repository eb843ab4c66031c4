import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_CONFIG,
  MODEL_PRESETS,
  ModelConfigError,
  memoryEstimate,
  numImageTokens,
  parameterCount,
  parameterShapes,
  presetConfig,
  restoreModelConfig,
} from './config.ts';

describe('presets', () => {
  it('land in their intended sizes', () => {
    const micro = parameterCount(MODEL_PRESETS.micro);
    const tiny = parameterCount(MODEL_PRESETS.tiny);
    const small = parameterCount(MODEL_PRESETS.small);
    expect(micro).toBeGreaterThan(150_000);
    expect(micro).toBeLessThan(600_000);
    expect(tiny).toBeGreaterThan(1_500_000);
    expect(tiny).toBeLessThan(3_000_000);
    expect(small).toBeGreaterThan(10_000_000);
    expect(small).toBeLessThan(20_000_000);
  });

  it('are valid configs (restore accepts them unchanged)', () => {
    for (const preset of Object.values(MODEL_PRESETS)) expect(restoreModelConfig(JSON.parse(JSON.stringify(preset)))).toEqual(preset);
  });

  it('take the tokenizer vocabulary size', () => {
    expect(presetConfig('tiny', 777).vocabSize).toBe(777);
    expect(presetConfig('tiny')).not.toBe(MODEL_PRESETS.tiny);
  });
});

describe('parameterShapes', () => {
  it('counts the micro preset by hand', () => {
    const c = { ...MODEL_PRESETS.micro, vocabSize: 300 };
    // vision: patch 192x32 + 32, pos 16x32, one block, final norm; projector mlp 32->64->64;
    // decoder: embed 300x64, pos 128x64, two blocks, final norm, untied head 64x300.
    const block = (w: number) => 2 * 2 * w + (w * 3 * w + 3 * w) + (w * w + w) + (w * 4 * w + 4 * w) + (4 * w * w + w);
    const expected =
      192 * 32 + 32 + 16 * 32 + block(32) + 2 * 32 +
      (32 * 64 + 64) + (64 * 64 + 64) +
      300 * 64 + 128 * 64 + 2 * block(64) + 2 * 64 + 64 * 300;
    expect(parameterCount(c)).toBe(expected);
  });

  it('follows the config switches', () => {
    const names = (overrides: object) => parameterShapes({ ...MODEL_PRESETS.micro, ...overrides }).map((p) => p.name);
    expect(names({ tieEmbeddings: true })).not.toContain('lm_head.weight');
    expect(names({ positions: 'rotary' })).not.toContain('decoder.pos_embed');
    expect(names({ projector: 'linear' })).not.toContain('projector.fc2.weight');
    expect(names({ norm: 'rmsnorm' }).filter((n) => n.includes('norm') && n.endsWith('.bias'))).toEqual([]);
    expect(new Set(names({})).size).toBe(names({}).length);
  });

  it('gives shapes, inits and decay flags the model relies on', () => {
    const c = MODEL_PRESETS.micro;
    const byName = new Map(parameterShapes(c).map((p) => [p.name, p]));
    expect(byName.get('vision.patch_embed.weight')!.shape).toEqual([8 * 8 * 3, 32]);
    expect(byName.get('vision.pos_embed')!.shape).toEqual([numImageTokens(c), 32]);
    expect(byName.get('decoder.blocks.0.attn.qkv.weight')!.shape).toEqual([64, 192]);
    expect(byName.get('decoder.blocks.0.attn.proj.weight')!.init).toEqual({ kind: 'normal', std: 0.02 / Math.sqrt(4) });
    expect(byName.get('decoder.norm.weight')!.init).toEqual({ kind: 'ones' });
    expect(byName.get('decoder.blocks.1.mlp.fc2.bias')!).toMatchObject({ init: { kind: 'zeros' }, decay: false });
    expect(byName.get('decoder.embed_tokens.weight')!.decay).toBe(true);
  });
});

describe('memoryEstimate', () => {
  it('counts weights, gradients and AdamW state from the parameter count', () => {
    const c = MODEL_PRESETS.tiny;
    const m = memoryEstimate(c, { batch: 2, seqLen: 64, groupSize: 8 });
    const p = parameterCount(c);
    expect(m.weights).toBe(4 * p);
    expect(m.gradients).toBe(4 * p);
    expect(m.adamState).toBe(8 * p);
    const T = numImageTokens(c) + 64;
    expect(m.kvCache).toBe(16 * c.decoderDepth * 2 * T * c.decoderWidth * 4);
    expect(m.total).toBe(m.weights + m.gradients + m.adamState + m.activations + m.kvCache);
  });

  it('grows linearly in sequences and faster than linearly in length', () => {
    const c = MODEL_PRESETS.micro;
    const one = memoryEstimate(c, { batch: 1, seqLen: 32, groupSize: 4 });
    const two = memoryEstimate(c, { batch: 2, seqLen: 32, groupSize: 4 });
    expect(two.activations).toBe(2 * one.activations);
    const longer = memoryEstimate(c, { batch: 1, seqLen: 100, groupSize: 4 });
    expect(longer.activations).toBeGreaterThan(one.activations);
  });

  it('refuses sequences beyond maxSeqLen and bad sizes', () => {
    expect(() => memoryEstimate(MODEL_PRESETS.micro, { batch: 1, seqLen: 200, groupSize: 8 })).toThrow(/exceed maxSeqLen/);
    expect(() => memoryEstimate(MODEL_PRESETS.micro, { batch: 0, seqLen: 20, groupSize: 8 })).toThrow(/batch/);
  });
});

describe('restoreModelConfig', () => {
  it('starts from defaults and copies only known keys', () => {
    const restored = restoreModelConfig({ decoderDepth: 3, evil: '<script>', __proto__: { x: 1 } });
    expect(restored).toEqual({ ...DEFAULT_MODEL_CONFIG, decoderDepth: 3 });
    expect('evil' in restored).toBe(false);
  });

  it('names the field on every kind of error', () => {
    const cases: [unknown, RegExp][] = [
      [null, /'\(root\)' must be an object/],
      [{ version: 2 }, /'version' must be 1/],
      [{ seed: 1.5 }, /'seed' must be an integer, got 1.5/],
      [{ decoderWidth: '64' }, /'decoderWidth' must be an integer, got "64"/],
      [{ decoderDepth: 0 }, /'decoderDepth' must be in \[1, 128\], got 0/],
      [{ mlpRatio: Infinity }, /'mlpRatio' must be a finite number/],
      [{ mlpRatio: NaN }, /'mlpRatio' must be a finite number/],
      [{ dropout: 1 }, /'dropout' must be in \[0, 1\), got 1/],
      [{ normEps: 0 }, /'normEps' must be in \(0, 0.1\]/],
      [{ norm: 'batchnorm' }, /'norm' must be one of 'layernorm', 'rmsnorm'/],
      [{ tieEmbeddings: 'yes' }, /'tieEmbeddings' must be true or false/],
      [{ imageSize: 30, patchSize: 8 }, /'patchSize' must divide imageSize 30/],
      [{ decoderWidth: 100, decoderHeads: 3 }, /'decoderHeads' must divide decoderWidth 100/],
      [{ decoderWidth: 12, decoderHeads: 4, positions: 'rotary' }, /even head size/],
      [{ imageSize: 64, patchSize: 4, maxSeqLen: 256 }, /'maxSeqLen' must exceed the 256 image tokens/],
    ];
    for (const [input, message] of cases) {
      expect(() => restoreModelConfig(input, 'run.json')).toThrow(ModelConfigError);
      expect(() => restoreModelConfig(input, 'run.json')).toThrow(message);
    }
    try {
      restoreModelConfig({ visionHeads: -1 }, 'run.json');
    } catch (error) {
      expect((error as ModelConfigError).field).toBe('visionHeads');
      expect((error as Error).message.startsWith('run.json: ')).toBe(true);
    }
  });
});
