// The counter-based hash behind seeded dropout, shared bit-for-bit with the WGSL kernel so CPU and GPU
// draw the same mask: keep(i) depends only on (seed, i), so backward regenerates the mask instead of storing it.

import type { Floats } from './floats.ts';

/** PCG-style hash of (seed, index) to a u32; identical to `hashU32` in src/gpu/kernels/elementwise.ts. */
export function hashU32(seed: number, index: number): number {
  let s = (Math.imul(index >>> 0, 747796405) + Math.imul(seed >>> 0, 2891336453) + 1) >>> 0;
  const word = Math.imul(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0, 277803737) >>> 0;
  s = ((word >>> 22) ^ word) >>> 0;
  return s;
}

/** Whether element `index` survives dropout with probability `p` of dropping. */
export function dropoutKeep(seed: number, index: number, p: number): boolean {
  return hashU32(seed, index) / 4294967296 >= p;
}

// out, x same shape; backward is the same function applied to dout (the mask and scale are identical).
export function dropoutForward(out: Floats, x: Floats, p: number, seed: number): void {
  const scale = p < 1 ? 1 / (1 - p) : 0;
  for (let i = 0; i < x.length; i++) out[i] = dropoutKeep(seed, i, p) ? x[i] * scale : 0;
}
