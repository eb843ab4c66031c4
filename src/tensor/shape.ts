// Shape arithmetic shared by both backends: sizes, contiguous strides, numpy broadcasting, axis views.
// Pure functions; every error names the shapes involved.

export type Shape = readonly number[];

/** Most dimensions an op's index arithmetic supports (kernels unroll this many). */
export const MAX_RANK = 6;

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function checkShape(shape: Shape, what: string): void {
  if (shape.length > MAX_RANK) throw new Error(`${what}: rank ${shape.length} > ${MAX_RANK} in [${shape.join(', ')}]`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`${what}: bad dimension ${d} in [${shape.join(', ')}]`);
  }
}

/** Numpy broadcasting of two shapes. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1, db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as `out` (rank of out): 0 where the dimension is broadcast. */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = stridesOf(shape);
  const off = out.length - shape.length;
  return out.map((_, i) => (i < off || shape[i - off] === 1 ? 0 : own[i - off]));
}

/** Left-pads `shape` with 1s to `rank`. */
export function padShape(shape: Shape, rank: number): number[] {
  return [...new Array<number>(rank - shape.length).fill(1), ...shape];
}

/** (outer, axisLen, inner) view of a contiguous shape around `axis`. */
export function axisView(shape: Shape, axis: number): { outer: number; len: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), len: shape[axis], inner: sizeOf(shape.slice(axis + 1)) };
}

/** Normalises a possibly negative axis. */
export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** dst and src agree off `axis`, and src fits at [start, start + src[axis]) along it. */
export function checkWriteSlice(dst: Shape, src: Shape, axis: number, start: number): void {
  const ok = dst.length === src.length && dst.every((d, i) => i === axis || d === src[i]) && start >= 0 && start + src[axis] <= dst[axis];
  if (!ok) throw new Error(`writeSlice: [${src.join(', ')}] does not fit [${dst.join(', ')}] at ${start} on axis ${axis}`);
}
