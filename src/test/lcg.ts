// Seeded uniform floats for benches and kernel tests: an LCG (Numerical Recipes constants) is enough to fill
// operands reproducibly; nothing here needs the statistical quality of the policy's counter-based generator.

/** n floats uniform in [lo, hi) from `seed`; the same seed gives the same values everywhere. */
export function lcgUniform(n: number, seed: number, lo = -1, hi = 1): Float32Array<ArrayBuffer> {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = lo + (s / 2 ** 32) * (hi - lo);
  }
  return out;
}
