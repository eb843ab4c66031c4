import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASE_VOCAB_SIZE, SPECIAL_TOKENS, decodeWtf8, encodeWtf8, restoreTokenizer, splitChunks, trainTokenizer } from './tokenizer.ts';

const CORPUS = [
  'What is the name of the anatomy that is below the liver?',
  'Which organ is shown in this image? A. Liver B. Gallbladder C. Gut D. Omentum',
  'The gallbladder lies below the liver. The liver is the largest organ.',
  'Is there a lesion in the left lung? Yes, there is a lesion in the left lung.',
  'Abdominal Wall Cavity, Cystic Plate, Gut, Omentum, Liver, Gallbladder',
];

// A seeded generator for the property test: no dependency, same strings every run.
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'liver', ' the', 'Gallbladder', ' ', '  ', '\n', '\r\n', '\t', '\u00a0', 'é', 'e\u0301', '中文', '日本語',
  '🙂', '👩‍⚕️', '🇫🇷', '\ud800', '\udfff', 'x\udc00y', '<think>', '</answer>', '<answer', 'eos>', "'s", "don't",
  '123', '4.5', '?!', '\u0000', '\u2028', 'Ω', 'ß', '\uffff', '\ufeff', 'A.', 'B)',
];

function randomString(rand: () => number): string {
  let s = '';
  const n = Math.floor(rand() * 12);
  for (let i = 0; i < n; i++) {
    if (rand() < 0.2) s += String.fromCharCode(Math.floor(rand() * 0x10000)); // any UTF-16 unit, surrogates too
    else s += PIECES[Math.floor(rand() * PIECES.length)];
  }
  return s;
}

describe('WTF-8', () => {
  it('matches TextEncoder on well-formed text', () => {
    const text = 'Liver é 中 🙂 \u0000 \uffff';
    expect(encodeWtf8(text)).toEqual(Array.from(new TextEncoder().encode(text)));
  });
  it('round-trips lone surrogates', () => {
    for (const s of ['\ud800', '\udc00', 'a\ud83d', '\ude00b', '\udc00\ud800']) expect(decodeWtf8(encodeWtf8(s))).toBe(s);
  });
  it('turns invalid bytes into U+FFFD like TextDecoder', () => {
    const cases = [[0xff], [0xc3], [0xe2, 0x82], [0xe2, 0x28, 0xa1], [0xf0, 0x28, 0x8c, 0x28], [0x80, 0x41], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]];
    for (const bytes of cases) expect(decodeWtf8(bytes)).toBe(new TextDecoder().decode(Uint8Array.from(bytes)));
  });
});

describe('splitChunks', () => {
  it('covers the text exactly and cuts long runs', () => {
    const text = `a${' '.repeat(600)}b ${'x'.repeat(300)}`;
    const chunks = splitChunks(text);
    expect(chunks.join('')).toBe(text);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(256);
  });
});

describe('Tokenizer', () => {
  const tokenizer = trainTokenizer(CORPUS, { vocabSize: 400 });

  it('puts the specials and bytes first', () => {
    expect(SPECIAL_TOKENS.map((t) => tokenizer.specialId(t))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(tokenizer.eosId).toBe(tokenizer.specialId('<eos>'));
    expect(tokenizer.answerEndId).toBe(tokenizer.specialId('</answer>'));
    expect(tokenizer.vocabSize).toBeGreaterThan(BASE_VOCAB_SIZE);
    expect(tokenizer.vocabSize).toBeLessThanOrEqual(400);
    expect(tokenizer.tokenBytes(7 + 65)).toEqual(Uint8Array.of(65));
  });

  it('learns words from the corpus', () => {
    const ids = tokenizer.encode(' liver');
    expect(ids).toHaveLength(1);
    expect(tokenizer.tokenText(ids[0])).toBe(' liver');
    expect(tokenizer.encode('the liver').length).toBeLessThan(encodeWtf8('the liver').length);
  });

  it('encodes special tokens as single ids unless told not to', () => {
    const ids = tokenizer.encode('<think>x</think><answer>A</answer><eos>');
    expect(ids[0]).toBe(tokenizer.thinkId);
    expect(ids.at(-1)).toBe(tokenizer.eosId);
    expect(ids).toContain(tokenizer.answerEndId);
    expect(tokenizer.encode('<think>', { allowSpecial: false })).not.toContain(tokenizer.thinkId);
    expect(tokenizer.decode(ids, { skipSpecial: true })).toBe('xA');
  });

  it('round-trips any string exactly (seeded property test)', () => {
    const rand = mulberry32(42);
    for (let trial = 0; trial < 2000; trial++) {
      const text = randomString(rand);
      const ids = tokenizer.encode(text);
      expect(ids.every((id) => id >= 0 && id < tokenizer.vocabSize)).toBe(true);
      const back = tokenizer.decode(ids);
      if (back !== text) throw new Error(`round trip failed for ${JSON.stringify(text)}: got ${JSON.stringify(back)}`);
    }
  });

  it('is deterministic and independent of corpus order', () => {
    const again = trainTokenizer([...CORPUS].reverse(), { vocabSize: 400 });
    expect(again.toJSON()).toEqual(tokenizer.toJSON());
  });

  it('stops at the vocabulary cap and at pairs seen once', () => {
    expect(trainTokenizer(CORPUS, { vocabSize: BASE_VOCAB_SIZE + 5 }).vocabSize).toBe(BASE_VOCAB_SIZE + 5);
    expect(trainTokenizer(['ab'], { vocabSize: 1000 }).vocabSize).toBe(BASE_VOCAB_SIZE);
    expect(() => trainTokenizer(CORPUS, { vocabSize: 100 })).toThrow(/vocabSize/);
  });

  it('merges the most frequent pair first, ties to the smaller ids', () => {
    const t = trainTokenizer(['abab', 'abab', 'cdcd'], { vocabSize: BASE_VOCAB_SIZE + 1 });
    const [a, b] = t.toJSON().merges[0];
    expect([a - 7, b - 7]).toEqual([97, 98]); // 'a','b': 4 occurrences beats 'c','d' with 2, and 'b','a' with 2
  });

  it('survives a JSON round trip and rejects bad JSON naming the field', () => {
    const restored = restoreTokenizer(JSON.parse(JSON.stringify(tokenizer.toJSON())), 'ckpt.safetensors');
    expect(restored.encode('the gallbladder <answer>')).toEqual(tokenizer.encode('the gallbladder <answer>'));
    const json = tokenizer.toJSON();
    expect(() => restoreTokenizer({ ...json, merges: [[7, 9999]] }, 'ckpt')).toThrow(/ckpt: field 'merges\[0\]'/);
    expect(() => restoreTokenizer({ ...json, merges: [[8, 9], [8, 9]] }, 'ckpt')).toThrow(/merges\[1\]' repeats/);
    expect(() => restoreTokenizer({ ...json, specials: ['<pad>'] }, 'ckpt')).toThrow(/specials/);
    expect(() => restoreTokenizer({ ...json, version: 2 }, 'ckpt')).toThrow(/version/);
    expect(() => restoreTokenizer('x', 'ckpt')).toThrow(/must be an object/);
  });

  it('rejects ids outside the vocabulary in decode', () => {
    expect(() => tokenizer.decode([tokenizer.vocabSize])).toThrow(/outside the vocabulary/);
  });
});

const realDir = new URL('../../../shared/data/real/', import.meta.url);
describe.skipIf(!existsSync(realDir))('Tokenizer on real data', () => {
  it('trains on VQA-RAD questions and compresses them', () => {
    const records = JSON.parse(readFileSync(new URL('vqa-rad/data_RAD/trainset.json', realDir), 'utf8')) as { question: string; answer: unknown }[];
    const texts = records.flatMap((r) => [r.question, String(r.answer)]);
    const started = performance.now();
    const tokenizer = trainTokenizer(texts, { vocabSize: 2048 });
    const elapsed = performance.now() - started;
    expect(tokenizer.vocabSize).toBeGreaterThan(1000);
    let bytes = 0;
    let tokens = 0;
    for (const text of texts.slice(0, 500)) {
      const ids = tokenizer.encode(text);
      expect(tokenizer.decode(ids)).toBe(text);
      bytes += encodeWtf8(text).length;
      tokens += ids.length;
    }
    expect(bytes / tokens).toBeGreaterThan(3); // whole words, not bytes
    expect(elapsed).toBeLessThan(20_000);
  });
});
