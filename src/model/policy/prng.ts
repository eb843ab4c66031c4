// Counter-based random numbers for the policy: a value is a pure function of (seed, stream, index), so weight
// initialisation does not depend on the order tensors are allocated in, and sampling a token depends only on
// (seed, row, step), never on how many rows share a batch or which backend ran the forward pass.

/** murmur3's 32-bit finaliser: a bijective avalanche mix of a u32. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A u32 from three u32 counters; every input bit reaches every output bit. */
export function hash3(seed: number, stream: number, index: number): number {
  let h = fmix32((seed >>> 0) ^ 0x9e3779b9);
  h = fmix32((h ^ (stream >>> 0)) + 0x7f4a7c15);
  return fmix32((h ^ (index >>> 0)) + 0x6a09e667);
}

/** FNV-1a of a string: the stream id of a named tensor. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Uniform in the open interval (0, 1), never exactly 0 or 1 (safe under log). */
export function uniformAt(seed: number, stream: number, index: number): number {
  return (hash3(seed, stream, index) + 0.5) / 4294967296;
}

/** Standard normal by Box-Muller over two independent uniforms of the same counter. */
export function normalAt(seed: number, stream: number, index: number): number {
  const u1 = uniformAt(seed, stream, 2 * index);
  const u2 = uniformAt(seed, stream ^ 0x5bd1e995, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
