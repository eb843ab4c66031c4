// Answer similarity: the interface every source implements (the built-in anatomy lexicon, the policy's own
// embeddings, an ONNX text-embedding model) and the built-in one, which scores two option names from the
// lexicon's region, system, kind and part-of links, falling back to character n-gram cosine for unknown names.

import {
  ADJACENT_REGIONS,
  ANATOMY_LEXICON,
  FINE_REGIONS,
  RELATED_SYSTEMS,
  type CoarseRegion,
  type LexiconEntry,
} from './anatomy-lexicon.ts';

/** A similarity in [0, 1] between two answer names; 1 = the same thing, symmetric. */
export interface SimilaritySource {
  /** Stable id stored in configs and runs ('lexicon', 'policy', 'onnx:<model name>'). */
  id: string;
  /** What the Curriculum panel shows. */
  label: string;
  similarity(a: string, b: string): number;
}

/** A source that embeds names (the policy's token embeddings, an ONNX text model). */
export interface EmbeddingSource {
  id: string;
  label: string;
  embed(names: string[]): Promise<Float32Array[]>;
}

/** Lower case, single spaces, no trailing period: "Liver tissue." and "liver  tissue" are one name. */
export function normaliseName(name: string): string {
  return name
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[.\s]+$/, '')
    .toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Character n-gram cosine, the fallback for names the lexicon does not know.

function ngramCounts(text: string, n: number): Map<string, number> {
  const padded = ` ${text} `;
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= padded.length; i++) {
    const g = padded.slice(i, i + n);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/** Cosine of character n-gram count vectors of the normalised names (n = 3), in [0, 1]. */
export function ngramCosine(a: string, b: string, n = 3): number {
  const x = ngramCounts(normaliseName(a), n);
  const y = ngramCounts(normaliseName(b), n);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (const [g, c] of x) {
    nx += c * c;
    dot += c * (y.get(g) ?? 0);
  }
  for (const c of y.values()) ny += c * c;
  return nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
}

// ---------------------------------------------------------------------------------------------------------
// The lexicon similarity.

const INDEX = new Map<string, LexiconEntry>();
for (const e of ANATOMY_LEXICON) {
  for (const n of [e.name, ...e.synonyms]) INDEX.set(normaliseName(n), e);
}
const BY_NAME = new Map(ANATOMY_LEXICON.map((e) => [e.name, e]));
const ADJACENT = new Set(ADJACENT_REGIONS.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));
const RELATED_SYS = new Set(RELATED_SYSTEMS.flatMap(([a, b]) => [`${a}|${b}`, `${b}|${a}`]));

const QUALIFIERS = /^(left|right|normal|bilateral|the) /;

export interface LexiconMatch {
  entry: LexiconEntry;
  /** A laterality or similar qualifier was removed to find it ("left eye" -> Eye). */
  qualifier: string;
}

/** The lexicon entry a name refers to, trying qualifiers, parentheses and plural forms; null if unknown. */
export function lookupAnatomy(name: string): LexiconMatch | null {
  let n = normaliseName(name);
  let qualifier = '';
  const tries = (s: string): LexiconEntry | undefined =>
    INDEX.get(s) ??
    INDEX.get(s.replace(/\s*\(.*?\)\s*/g, ' ').trim()) ??
    (s.endsWith('ies') ? INDEX.get(s.slice(0, -3) + 'y') : undefined) ??
    (s.endsWith('es') ? INDEX.get(s.slice(0, -2)) : undefined) ??
    (s.endsWith('s') ? INDEX.get(s.slice(0, -1)) : undefined);
  let entry = tries(n);
  while (!entry && QUALIFIERS.test(n)) {
    qualifier += n.match(QUALIFIERS)![1] + ' ';
    n = n.replace(QUALIFIERS, '');
    entry = tries(n);
  }
  return entry ? { entry, qualifier: qualifier.trim() } : null;
}

/** Weights of the structured score; they sum to 0.95 so two distinct structures never reach 1. */
export const LEXICON_WEIGHTS = {
  /** Floor for any two anatomical names (they are all anatomy). */
  base: 0.05,
  /** Same fine region 1, same coarse region 0.6, adjacent coarse regions 0.25, whole-body 0.25. */
  region: 0.35,
  /** Same organ system 1, overlapping systems 0.5. */
  system: 0.25,
  /** Same kind (organ, tissue, vessel, ...). */
  kind: 0.1,
  /** One is part of, holds or is attached to the other. */
  related: 0.2,
};

function regionScore(a: LexiconEntry, b: LexiconEntry): number {
  if (a.region === b.region) return 1;
  const ca: CoarseRegion = FINE_REGIONS[a.region];
  const cb: CoarseRegion = FINE_REGIONS[b.region];
  if (ca === cb) return 0.6;
  if (ca === 'whole-body' || cb === 'whole-body' || ADJACENT.has(`${ca}|${cb}`)) return 0.25;
  return 0;
}

/** The structured score of two distinct lexicon entries, in [0.05, 0.95]. */
export function entrySimilarity(a: LexiconEntry, b: LexiconEntry): number {
  if (a === b) return 1;
  const w = LEXICON_WEIGHTS;
  const system = a.system === b.system ? 1 : RELATED_SYS.has(`${a.system}|${b.system}`) ? 0.5 : 0;
  const related = a.related.includes(b.name) || b.related.includes(a.name) ? 1 : 0;
  return w.base + w.region * regionScore(a, b) + w.system * system + w.kind * (a.kind === b.kind ? 1 : 0) + w.related * related;
}

/**
 * Anatomy-aware similarity of two answer names in [0, 1]: 1 for the same name or a synonym, 0.9 for the same
 * structure with different laterality ("left eye" vs "right eye"), the lexicon's structured score when both
 * are known, else character trigram cosine.
 */
export function anatomySimilarity(a: string, b: string): number {
  const na = normaliseName(a);
  const nb = normaliseName(b);
  if (na === nb) return 1;
  const ma = lookupAnatomy(a);
  const mb = lookupAnatomy(b);
  if (ma && mb) {
    if (ma.entry === mb.entry) return ma.qualifier === mb.qualifier ? 1 : 0.9;
    return entrySimilarity(ma.entry, mb.entry);
  }
  return ngramCosine(na, nb);
}

export const lexiconSimilarity: SimilaritySource = {
  id: 'lexicon',
  label: 'Built-in anatomy lexicon (region, system, part-of; trigram fallback)',
  similarity: anatomySimilarity,
};

/** Every lexicon entry's `related` and `region` resolves; returns the problems (empty when sound). */
export function lexiconProblems(): string[] {
  const problems: string[] = [];
  for (const e of ANATOMY_LEXICON) {
    if (!(e.region in FINE_REGIONS)) problems.push(`${e.name}: unknown region ${e.region}`);
    for (const r of e.related) if (!BY_NAME.has(r)) problems.push(`${e.name}: related ${r} is not in the lexicon`);
  }
  const seen = new Map<string, string>();
  for (const e of ANATOMY_LEXICON) {
    for (const n of [e.name, ...e.synonyms].map(normaliseName)) {
      const other = seen.get(n);
      if (other !== undefined && other !== e.name) problems.push(`"${n}" names both ${other} and ${e.name}`);
      seen.set(n, e.name);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Wrappers.

/** Memoises a source's pairwise values (the scheduler asks for the same pairs many times). */
export function cachedSimilarity(source: SimilaritySource): SimilaritySource {
  const cache = new Map<string, number>();
  return {
    id: source.id,
    label: source.label,
    similarity(a, b) {
      const na = normaliseName(a);
      const nb = normaliseName(b);
      const key = na < nb ? `${na}\u0000${nb}` : `${nb}\u0000${na}`;
      let v = cache.get(key);
      if (v === undefined) {
        v = source.similarity(a, b);
        cache.set(key, v);
      }
      return v;
    },
  };
}

/** Cosine of two vectors; 0 when either is zero. */
export function cosine(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new Error(`cosine: lengths ${x.length} and ${y.length}`);
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < x.length; i++) {
    dot += x[i] * y[i];
    nx += x[i] * x[i];
    ny += y[i] * y[i];
  }
  return nx === 0 || ny === 0 ? 0 : dot / Math.sqrt(nx * ny);
}

/**
 * Turns an embedding source into a synchronous SimilaritySource over a known set of names (all option texts
 * of the dataset), embedding them once. Similarity is the cosine clamped at 0 (as the paper's S(q) is a
 * cosine; negative cosines mean "unrelated" for our purpose). Names outside the set fall back to trigrams.
 */
export async function embeddingSimilarity(source: EmbeddingSource, names: readonly string[]): Promise<SimilaritySource> {
  const unique = [...new Set(names.map(normaliseName))];
  const vectors = await source.embed(unique);
  if (vectors.length !== unique.length) {
    throw new Error(`${source.id}: embedded ${vectors.length} of ${unique.length} names`);
  }
  const table = new Map(unique.map((n, i) => [n, vectors[i]]));
  return cachedSimilarity({
    id: source.id,
    label: source.label,
    similarity(a, b) {
      const na = normaliseName(a);
      const nb = normaliseName(b);
      if (na === nb) return 1;
      const x = table.get(na);
      const y = table.get(nb);
      if (!x || !y) return ngramCosine(na, nb);
      return Math.min(1, Math.max(0, cosine(x, y)));
    },
  });
}
