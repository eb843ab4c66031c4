// Test helpers shared by the engine's suites: a seeded RNG, the |got - ref| <= atol + rtol * |ref| check
// reporting the worst element, and central finite differences in float64. Imported only by *.test.ts.

/** Mulberry32: small, seeded, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  array(n: number, lo = -1, hi = 1): Float64Array {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) a[i] = this.uniform(lo, hi);
    return a;
  }
}

/** Tolerance of one comparison. */
export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface Closeness {
  ok: boolean;
  /** Index of the element with the largest |got - ref| / (atol + rtol |ref|). */
  worstIndex: number;
  /** That ratio (<= 1 passes). */
  worstRatio: number;
  message: string;
}

/** Compares element-wise; the message names the worst element, its values and the tolerance. */
export function closeness(got: ArrayLike<number>, ref: ArrayLike<number>, tol: Tolerance, label: string): Closeness {
  if (got.length !== ref.length) {
    return { ok: false, worstIndex: -1, worstRatio: Infinity, message: `${label}: length ${got.length} vs reference ${ref.length}` };
  }
  let worstIndex = -1, worstRatio = 0;
  for (let i = 0; i < ref.length; i++) {
    const err = Math.abs(got[i] - ref[i]);
    const ratio = Number.isNaN(err) ? Infinity : err / (tol.atol + tol.rtol * Math.abs(ref[i]));
    if (ratio > worstRatio || worstIndex < 0) {
      worstRatio = ratio;
      worstIndex = i;
    }
  }
  const w = worstIndex;
  return {
    ok: worstRatio <= 1,
    worstIndex: w,
    worstRatio,
    message:
      w < 0 ? `${label}: empty` : `${label}: worst element ${w}: got ${got[w]}, ref ${ref[w]}, |diff| ${Math.abs(got[w] - ref[w]).toExponential(3)} ` +
      `> ${tol.atol} + ${tol.rtol}*|ref| (ratio ${worstRatio.toFixed(3)}) over ${ref.length} elements`,
  };
}

/** Central differences of scalar f at x (float64), perturbing each element by eps. */
export function finiteDifferences(f: (x: Float64Array) => number, x: Float64Array, eps = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    x[i] = keep + eps;
    const up = f(x);
    x[i] = keep - eps;
    const down = f(x);
    x[i] = keep;
    g[i] = (up - down) / (2 * eps);
  }
  return g;
}
