// An embedding table: one vector per normalised answer name, computed once (from the policy's token embeddings
// or an ONNX text-embedding model) and then read synchronously by the scheduler. Plain data (structured-clone
// safe), so a training run can keep the table it started with in its checkpoint and resume on exactly it.

import { cosine, ngramCosine, normaliseName, type EmbeddingSource, type SimilaritySource } from './similarity.ts';

/** Vectors of a set of names, row-major. */
export interface EmbeddingTable {
  /** The similarity source id it was built for ('policy', 'onnx:<name>'). */
  source: string;
  /** What the Curriculum panel shows, e.g. 'Policy embeddings (pretrained)'. */
  label: string;
  /** Normalised names (normaliseName), sorted, distinct. */
  names: string[];
  /** Length of each vector; typical 64 (micro policy) to 384 (MiniLM). */
  dim: number;
  /** names.length * dim values; row i is names[i]'s vector. */
  vectors: Float32Array;
}

/** The distinct normalised names of a list of option texts, sorted (so the table does not depend on order). */
export function distinctNames(names: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const n of names) {
    const k = normaliseName(n);
    if (k) out.add(k);
  }
  return [...out].sort();
}

/** Embeds every distinct name through `source` into a table; throws naming the source on a wrong count or size. */
export async function buildEmbeddingTable(source: EmbeddingSource, names: Iterable<string>): Promise<EmbeddingTable> {
  const unique = distinctNames(names);
  const vectors = await source.embed(unique);
  if (vectors.length !== unique.length) throw new Error(`${source.id}: embedded ${vectors.length} of ${unique.length} names`);
  return packTable(source.id, source.label, unique, vectors);
}

/** Rows -> table; every row must have the first row's length. */
export function packTable(source: string, label: string, names: string[], rows: readonly ArrayLike<number>[]): EmbeddingTable {
  const dim = rows[0]?.length ?? 0;
  const vectors = new Float32Array(names.length * dim);
  rows.forEach((r, i) => {
    if (r.length !== dim) throw new Error(`${source}: vector of "${names[i]}" has ${r.length} values, expected ${dim}`);
    vectors.set(r, i * dim);
  });
  return { source, label, names, dim, vectors };
}

/**
 * Similarity in [0, 1] from cosine: max(0, cos). A negative cosine means "unrelated" for S(q), the same as 0,
 * and clamping (rather than (1 + cos) / 2) keeps unrelated names near 0 as the lexicon scores them, so the
 * pacing levels (0.145 early, 0.64 natural in the paper) mean the same thing whichever source is chosen.
 */
export function cosineToSimilarity(cos: number): number {
  return Math.min(1, Math.max(0, cos));
}

/**
 * A synchronous SimilaritySource over a table. Identical names score 1; names the table does not hold
 * (never the case for a dataset's own options) fall back to character trigram cosine.
 */
export function tableSimilarity(table: EmbeddingTable): SimilaritySource {
  const row = new Map(table.names.map((n, i) => [n, i]));
  const d = table.dim;
  const cache = new Map<string, number>();
  return {
    id: table.source,
    label: table.label,
    similarity(a, b) {
      const na = normaliseName(a);
      const nb = normaliseName(b);
      if (na === nb) return 1;
      const key = na < nb ? `${na}\u0000${nb}` : `${nb}\u0000${na}`;
      let v = cache.get(key);
      if (v === undefined) {
        const i = row.get(na);
        const j = row.get(nb);
        v = i === undefined || j === undefined
          ? ngramCosine(na, nb)
          : cosineToSimilarity(cosine(table.vectors.subarray(i * d, (i + 1) * d), table.vectors.subarray(j * d, (j + 1) * d)));
        cache.set(key, v);
      }
      return v;
    },
  };
}

/** Untrusted stored value -> EmbeddingTable (or null when absent); throws naming `where` and the field. */
export function restoreEmbeddingTable(untrusted: unknown, where: string): EmbeddingTable | null {
  if (untrusted === undefined || untrusted === null) return null;
  const fail = (field: string, why: string): never => {
    throw new Error(`${where}: field '${field}' ${why}`);
  };
  if (typeof untrusted !== 'object') fail('(root)', 'must be an object');
  const o = untrusted as Record<string, unknown>;
  if (typeof o.source !== 'string' || !/^(policy|onnx:.+)$/.test(o.source)) fail('source', `must be 'policy' or 'onnx:<name>', got ${JSON.stringify(o.source)}`);
  if (typeof o.label !== 'string') fail('label', 'must be a string');
  if (!Array.isArray(o.names) || o.names.some((n) => typeof n !== 'string')) fail('names', 'must be a list of strings');
  if (typeof o.dim !== 'number' || !Number.isInteger(o.dim) || o.dim < 1) fail('dim', `must be a positive integer, got ${String(o.dim)}`);
  if (!(o.vectors instanceof Float32Array)) fail('vectors', 'must be a Float32Array');
  const names = o.names as string[];
  const vectors = o.vectors as Float32Array;
  const dim = o.dim as number;
  if (vectors.length !== names.length * dim) fail('vectors', `holds ${vectors.length} values, ${names.length} names x ${dim} need ${names.length * dim}`);
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i])) fail('vectors', `holds a non-finite value at ${i}`);
  return { source: o.source as string, label: o.label as string, names: names.slice(), dim, vectors };
}
