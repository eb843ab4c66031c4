// Array types the CPU reference works on: Float32Array in CpuBackend, Float64Array when a test wants the
// float64 oracle for finite differences. Every reference function writes into arrays its caller allocated.

export type Floats = Float32Array | Float64Array;

/** A zeroed array of the same precision as `like`. */
export function alike(like: Floats, n: number): Floats {
  return like instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
}
