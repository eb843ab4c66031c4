// Reference rotary position embedding (RoPE, half-split layout as in GPT-NeoX / Llama in HF transformers):
// for x (..., T, D), position p = offset + t rotates the pair (x[i], x[i + D/2]) by p * base^(-2i/D).
// Backward is the inverse rotation (sign = -1), since a rotation's transpose is its inverse.

import type { Floats } from './floats.ts';

// out, x (rows, T, D) flattened; sign = 1 forward, -1 backward (applied to dout)
export function ropeForward(out: Floats, x: Floats, t: number, d: number, base: number, offset: number, sign: number): void {
  const half = d / 2, rows = x.length / (t * d);
  for (let r = 0; r < rows; r++) {
    for (let ti = 0; ti < t; ti++) {
      const o = (r * t + ti) * d, pos = offset + ti;
      for (let i = 0; i < half; i++) {
        const angle = pos * Math.pow(base, (-2 * i) / d);
        const c = Math.cos(angle), s = sign * Math.sin(angle);
        const x1 = x[o + i], x2 = x[o + i + half];
        out[o + i] = x1 * c - x2 * s;
        out[o + i + half] = x2 * c + x1 * s;
      }
    }
  }
}
