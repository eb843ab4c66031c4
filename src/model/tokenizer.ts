// The policy's tokenizer: byte-level BPE learned deterministically from dataset text, with every byte as a
// fallback token (nothing is unencodable) and the special tokens the prompts and rewards rely on. Text is
// encoded as WTF-8 (UTF-8 that also carries lone surrogates), so decode(encode(s)) === s for any JS string.

import type { VqaRecord } from '../data/record.ts';

/** Special tokens, ids 0..6 in this order; bytes follow at ids 7..262, then merges. */
export const SPECIAL_TOKENS = ['<pad>', '<eos>', '<image>', '<think>', '</think>', '<answer>', '</answer>'] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

const BYTE_OFFSET = SPECIAL_TOKENS.length;
/** Specials plus the 256 byte tokens: the smallest possible vocabulary. */
export const BASE_VOCAB_SIZE = BYTE_OFFSET + 256;
/** Chunks longer than this (in UTF-16 units) are cut, which bounds BPE's quadratic merge loop. */
const MAX_CHUNK = 256;
/** Pair keys pack (left, right) ids; ids stay below 2^21. */
const KEY_SHIFT = 2 ** 21;
const MAX_VOCAB = KEY_SHIFT;

// GPT-2's pre-tokenizer: contractions, words with one leading space, numbers, punctuation runs, whitespace.
const CHUNK_PATTERN = /'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const SPECIAL_PATTERN = new RegExp(`(${SPECIAL_TOKENS.map((t) => t.replace(/[/<>]/g, (c) => `\\${c}`)).join('|')})`);

export interface TokenizerTrainOptions {
  /** Largest vocabulary, specials and bytes included; at least 263. e.g. 1024 (micro) to 4096 (small). */
  vocabSize: number;
  /** A pair seen fewer times than this is never merged; 2. */
  minPairCount?: number;
}

/** The tokenizer as stored inside a checkpoint's metadata. */
export interface TokenizerJson {
  format: 'anatomy-r1-lab/byte-bpe';
  version: 1;
  specials: string[];
  /** Merge i creates token id 263 + i from the pair [left, right]. */
  merges: [number, number][];
}

export interface EncodeOptions {
  /** Turn literal special-token text (e.g. '</answer>') into its single token; default true. */
  allowSpecial?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens from the text (for display); default false, which keeps round trips exact. */
  skipSpecial?: boolean;
}

export class Tokenizer {
  readonly vocabSize: number;
  readonly padId = 0;
  readonly eosId = 1;
  readonly imageId = 2;
  readonly thinkId = 3;
  readonly thinkEndId = 4;
  readonly answerId = 5;
  readonly answerEndId = 6;
  private readonly merges: [number, number][];
  private readonly ranks = new Map<number, number>();
  private readonly bytes: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  constructor(merges: [number, number][]) {
    this.merges = merges.map(([a, b]) => [a, b]);
    this.vocabSize = BASE_VOCAB_SIZE + merges.length;
    for (const token of SPECIAL_TOKENS) this.bytes.push(new TextEncoder().encode(token));
    for (let b = 0; b < 256; b++) this.bytes.push(Uint8Array.of(b));
    merges.forEach(([a, b], i) => {
      this.ranks.set(a * KEY_SHIFT + b, i);
      const joined = new Uint8Array(this.bytes[a].length + this.bytes[b].length);
      joined.set(this.bytes[a]);
      joined.set(this.bytes[b], this.bytes[a].length);
      this.bytes.push(joined);
    });
  }

  /** Id of a special token. */
  specialId(token: SpecialToken): number {
    return SPECIAL_TOKENS.indexOf(token);
  }

  isSpecial(id: number): boolean {
    return id >= 0 && id < BYTE_OFFSET;
  }

  /** Token ids for `text`; never fails. */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    const parts = options.allowSpecial === false ? [text] : text.split(SPECIAL_PATTERN);
    parts.forEach((part, i) => {
      // split with a capturing group puts the separators at odd indices
      if (options.allowSpecial !== false && i % 2 === 1) {
        ids.push(SPECIAL_TOKENS.indexOf(part as SpecialToken));
        return;
      }
      for (const chunk of splitChunks(part)) {
        for (const id of this.encodeChunk(chunk)) ids.push(id);
      }
    });
    return ids;
  }

  /** Text for ids; invalid byte sequences (possible in sampled text) become U+FFFD. */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const pieces: string[] = [];
    let pending: number[] = [];
    const flush = (): void => {
      if (pending.length > 0) pieces.push(decodeWtf8(pending));
      pending = [];
    };
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new RangeError(`Tokenizer.decode: id ${id} at position ${i} is outside the vocabulary (size ${this.vocabSize})`);
      }
      if (id < BYTE_OFFSET) {
        flush();
        if (!options.skipSpecial) pieces.push(SPECIAL_TOKENS[id]);
        continue;
      }
      for (const b of this.bytes[id]) pending.push(b);
    }
    flush();
    return pieces.join('');
  }

  /** The bytes a token stands for (specials: their literal text). */
  tokenBytes(id: number): Uint8Array {
    const bytes = this.bytes[id];
    if (!bytes) throw new RangeError(`Tokenizer.tokenBytes: id ${id} is outside the vocabulary (size ${this.vocabSize})`);
    return bytes;
  }

  /** A readable form of one token, for inspectors (partial UTF-8 shows as U+FFFD). */
  tokenText(id: number): string {
    return id < BYTE_OFFSET ? SPECIAL_TOKENS[id] : decodeWtf8(Array.from(this.tokenBytes(id)));
  }

  toJSON(): TokenizerJson {
    return { format: 'anatomy-r1-lab/byte-bpe', version: 1, specials: [...SPECIAL_TOKENS], merges: this.merges.map(([a, b]) => [a, b]) };
  }

  private encodeChunk(chunk: string): number[] {
    const cached = this.cache.get(chunk);
    if (cached) return cached;
    const ids = encodeWtf8(chunk).map((b) => b + BYTE_OFFSET);
    // Standard BPE: repeatedly merge the adjacent pair with the lowest merge rank.
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.ranks.get(ids[i] * KEY_SHIFT + ids[i + 1]);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      const [a, b] = this.merges[bestRank];
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(BASE_VOCAB_SIZE + bestRank);
          i++;
        } else merged.push(ids[i]);
      }
      ids.length = 0;
      ids.push(...merged);
    }
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(chunk, ids);
    return ids;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Training

/**
 * Learns merges from `corpus`. Deterministic: the result depends only on the multiset of chunks, because the
 * most frequent pair wins and ties go to the smaller (left id, right id).
 */
export function trainTokenizer(corpus: Iterable<string>, options: TokenizerTrainOptions): Tokenizer {
  const { vocabSize } = options;
  const minPairCount = options.minPairCount ?? 2;
  if (!Number.isInteger(vocabSize) || vocabSize < BASE_VOCAB_SIZE || vocabSize > MAX_VOCAB) {
    throw new RangeError(`trainTokenizer: vocabSize must be an integer in [${BASE_VOCAB_SIZE}, ${MAX_VOCAB}], got ${vocabSize}`);
  }
  if (!Number.isInteger(minPairCount) || minPairCount < 1) throw new RangeError(`trainTokenizer: minPairCount must be a positive integer, got ${minPairCount}`);

  const chunkCounts = new Map<string, number>();
  for (const text of corpus) {
    text.split(SPECIAL_PATTERN).forEach((part, i) => {
      if (i % 2 === 1) return;
      for (const chunk of splitChunks(part)) chunkCounts.set(chunk, (chunkCounts.get(chunk) ?? 0) + 1);
    });
  }
  const words: number[][] = [];
  const wordCounts: number[] = [];
  for (const [chunk, count] of chunkCounts) {
    const ids = encodeWtf8(chunk).map((b) => b + BYTE_OFFSET);
    if (ids.length < 2) continue;
    words.push(ids);
    wordCounts.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const heap = new PairHeap();
  const addPairs = (w: number, sign: 1 | -1, touched: Set<number>): void => {
    const ids = words[w];
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i] * KEY_SHIFT + ids[i + 1];
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * wordCounts[w]);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
      touched.add(key);
    }
  };
  const initial = new Set<number>();
  for (let w = 0; w < words.length; w++) addPairs(w, 1, initial);
  for (const key of initial) heap.push(pairCounts.get(key)!, key);

  const merges: [number, number][] = [];
  while (BASE_VOCAB_SIZE + merges.length < vocabSize && heap.size > 0) {
    const { count, key } = heap.pop();
    if (pairCounts.get(key) !== count) continue; // stale entry; a fresher one is in the heap
    if (count < minPairCount) break;
    const a = Math.floor(key / KEY_SHIFT);
    const b = key - a * KEY_SHIFT;
    const newId = BASE_VOCAB_SIZE + merges.length;
    merges.push([a, b]);
    const touched = new Set<number>();
    for (const w of pairWords.get(key) ?? []) {
      addPairs(w, -1, touched);
      const ids = words[w];
      const merged: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (i + 1 < ids.length && ids[i] === a && ids[i + 1] === b) {
          merged.push(newId);
          i++;
        } else merged.push(ids[i]);
      }
      words[w] = merged;
      addPairs(w, 1, touched);
    }
    pairWords.delete(key);
    pairCounts.delete(key);
    touched.delete(key);
    for (const k of touched) {
      const c = pairCounts.get(k) ?? 0;
      if (c > 0) heap.push(c, k);
      else pairCounts.delete(k);
    }
  }
  return new Tokenizer(merges);
}

/** The texts of a record that a tokenizer should learn from: question, options and answer. */
export function recordTexts(record: VqaRecord): string[] {
  return [record.question, ...record.options, record.answer].filter((t) => t.length > 0);
}

/** Max-heap on count, ties to the smaller key, so the chosen merge never depends on insertion order. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private before(i: number, j: number): boolean {
    return this.counts[i] > this.counts[j] || (this.counts[i] === this.counts[j] && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0], key: this.keys[0] };
    const lastCount = this.counts.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.counts.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.counts.length && this.before(l, best)) best = l;
        if (r < this.counts.length && this.before(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Untrusted input

/** A tokenizer from untrusted JSON (checkpoint metadata); errors name `source` and the field. */
export function restoreTokenizer(untrusted: unknown, source = 'tokenizer'): Tokenizer {
  if (typeof untrusted !== 'object' || untrusted === null || Array.isArray(untrusted)) {
    throw new Error(`${source}: must be an object`);
  }
  const json = untrusted as Record<string, unknown>;
  if (json.format !== 'anatomy-r1-lab/byte-bpe') throw new Error(`${source}: field 'format' must be 'anatomy-r1-lab/byte-bpe', got ${JSON.stringify(json.format)}`);
  if (json.version !== 1) throw new Error(`${source}: field 'version' must be 1, got ${JSON.stringify(json.version)}`);
  const specials = json.specials;
  if (!Array.isArray(specials) || specials.length !== SPECIAL_TOKENS.length || specials.some((s, i) => s !== SPECIAL_TOKENS[i])) {
    throw new Error(`${source}: field 'specials' must be ${JSON.stringify(SPECIAL_TOKENS)}`);
  }
  const merges = json.merges;
  if (!Array.isArray(merges)) throw new Error(`${source}: field 'merges' must be an array`);
  if (BASE_VOCAB_SIZE + merges.length > MAX_VOCAB) throw new Error(`${source}: field 'merges' has ${merges.length} entries, more than the vocabulary allows`);
  const seen = new Set<number>();
  const out: [number, number][] = [];
  merges.forEach((pair, i) => {
    const limit = BASE_VOCAB_SIZE + i;
    const ok = Array.isArray(pair) && pair.length === 2 &&
      pair.every((id) => Number.isInteger(id) && id >= BYTE_OFFSET && id < limit);
    if (!ok) throw new Error(`${source}: field 'merges[${i}]' must be two token ids in [${BYTE_OFFSET}, ${limit}), got ${JSON.stringify(pair)}`);
    const key = pair[0] * KEY_SHIFT + pair[1];
    if (seen.has(key)) throw new Error(`${source}: field 'merges[${i}]' repeats the pair ${JSON.stringify(pair)}`);
    seen.add(key);
    out.push([pair[0], pair[1]]);
  });
  return new Tokenizer(out);
}

// ---------------------------------------------------------------------------------------------------------
// Text <-> bytes

/** Pre-tokenizer chunks; their concatenation is always `text`. */
export function splitChunks(text: string): string[] {
  const chunks: string[] = [];
  let last = 0;
  const push = (piece: string): void => {
    for (let i = 0; i < piece.length; i += MAX_CHUNK) chunks.push(piece.slice(i, i + MAX_CHUNK));
  };
  for (const match of text.matchAll(CHUNK_PATTERN)) {
    if (match.index > last) push(text.slice(last, match.index)); // never expected; keeps round trips exact anyway
    push(match[0]);
    last = match.index + match[0].length;
  }
  if (last < text.length) push(text.slice(last));
  return chunks;
}

/** UTF-8 of the string's code points, lone surrogates included as 3-byte sequences (WTF-8). */
export function encodeWtf8(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return out;
}

/**
 * Inverse of encodeWtf8. Ill-formed input gets one U+FFFD per maximal invalid subpart, as the WHATWG
 * decoder does, except that encoded surrogates (ED A0..BF xx) decode to the lone surrogate they encode.
 */
export function decodeWtf8(bytes: ArrayLike<number>): string {
  const units: number[] = [];
  const parts: string[] = [];
  const emit = (cp: number): void => {
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    if (units.length > 8192) {
      parts.push(String.fromCharCode(...units));
      units.length = 0;
    }
  };
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      emit(lead);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) { need = 1; cp = lead & 0x1f; }
    else if (lead >= 0xe0 && lead <= 0xef) { need = 2; cp = lead & 0x0f; if (lead === 0xe0) low = 0xa0; }
    else if (lead >= 0xf0 && lead <= 0xf4) { need = 3; cp = lead & 0x07; if (lead === 0xf0) low = 0x90; if (lead === 0xf4) high = 0x8f; }
    else { emit(0xfffd); i++; continue; }
    let j = i + 1;
    let ok = true;
    for (let k = 0; k < need; k++, j++) {
      const b = bytes[j];
      const lo = k === 0 ? low : 0x80;
      const hi = k === 0 ? high : 0xbf;
      if (j >= bytes.length || b < lo || b > hi) { ok = false; break; }
      cp = (cp << 6) | (b & 0x3f);
    }
    if (!ok) {
      emit(0xfffd);
      i = j; // the offending byte is looked at again as a lead
      continue;
    }
    emit(cp);
    i = j;
  }
  parts.push(String.fromCharCode(...units));
  return parts.join('');
}
