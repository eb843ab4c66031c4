// Rotary positions (RoPE) for the decoder's queries and keys, in the GPT-NeoX "half split" convention: the
// head vector is [x1 | x2] (two halves of d/2), angle_i = pos * theta^(-2i/d), and
// y1 = x1 cos - x2 sin, y2 = x2 cos + x1 sin. The ONNX exporter must use the same convention.
// Tables are computed on the CPU in float64 from per-row position ids and uploaded (B * T * d/2 values).

import type { Backend } from '../../tensor/backend.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { release } from './frame.ts';

/** cos and sin tables shaped (B, 1, T, d/2): broadcast over heads. */
export interface RopeTables {
  cos: Tensor;
  sin: Tensor;
}

/** Tables for position ids (B rows of T positions) and head size `headDim` (even). */
export function ropeTables(b: Backend, positions: readonly (readonly number[])[], headDim: number, theta: number): RopeTables {
  const half = headDim / 2;
  const rowsN = positions.length, t = positions[0].length;
  const cos = new Float32Array(rowsN * t * half), sin = new Float32Array(rowsN * t * half);
  for (let r = 0; r < rowsN; r++) {
    for (let j = 0; j < t; j++) {
      for (let i = 0; i < half; i++) {
        const angle = positions[r][j] * Math.pow(theta, (-2 * i) / headDim);
        cos[(r * t + j) * half + i] = Math.cos(angle);
        sin[(r * t + j) * half + i] = Math.sin(angle);
      }
    }
  }
  return { cos: b.fromArray(cos, [rowsN, 1, t, half]), sin: b.fromArray(sin, [rowsN, 1, t, half]) };
}

/** Rotates x (B, H, T, d) -> (B, H, T, d). */
export function ropeApply(b: Backend, x: Tensor, tables: RopeTables): Tensor {
  return rotate(b, x, tables, 1);
}

/** The backward of ropeApply: the rotation by the opposite angle (it is orthogonal). */
export function ropeBackward(b: Backend, dy: Tensor, tables: RopeTables): Tensor {
  return rotate(b, dy, tables, -1);
}

// y1 = x1 cos - s x2 sin, y2 = x2 cos + s x1 sin with s = +1 forward, -1 backward (transpose of the rotation).
function rotate(b: Backend, x: Tensor, { cos, sin }: RopeTables, sign: 1 | -1): Tensor {
  const d = x.shape[3], half = d / 2;
  const x1 = b.slice(x, 3, 0, half), x2 = b.slice(x, 3, half, d);
  const x1c = b.binary('mul', x1, cos), x2s = b.binary('mul', x2, sin);
  const x2c = b.binary('mul', x2, cos), x1s = b.binary('mul', x1, sin);
  const y1 = b.binary(sign > 0 ? 'sub' : 'add', x1c, x2s);
  const y2 = b.binary(sign > 0 ? 'add' : 'sub', x2c, x1s);
  const y = b.concat([y1, y2], 3);
  release(x1, x2, x1c, x2s, x2c, x1s, y1, y2);
  return y;
}
