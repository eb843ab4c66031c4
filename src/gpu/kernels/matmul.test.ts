// The matmul generator on its own (every layout, vec4 and scalar paths, odd sizes, batch broadcast),
// against a plain triple loop. The tensor-level suite covers it again through the Backend.
import { describe, expect, it } from 'vitest';
import { nodeGpuDevice } from '../../test/node-gpu.ts';
import { GpuRunner, STORAGE_USAGE } from '../runner.ts';
import { matmulDispatch, matmulProgram, matmulVec4Ok, type MatmulTiling } from './matmul.ts';
import { lcgUniform } from '../../test/lcg.ts';

function reference(a: Float32Array, b: Float32Array, batch: number, m: number, n: number, k: number, tA: boolean, tB: boolean, bBroadcast: boolean) {
  const c = new Float64Array(batch * m * n);
  for (let z = 0; z < batch; z++) {
    const ao = z * m * k, bo = bBroadcast ? 0 : z * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ao + (tA ? p * m + i : i * k + p)] * b[bo + (tB ? j * k + p : p * n + j)];
        c[z * m * n + i * n + j] = s;
      }
  }
  return c;
}

async function run(runner: GpuRunner, tiling: MatmulTiling, batch: number, m: number, n: number, k: number, tA: boolean, tB: boolean, bBroadcast: boolean, vec4: boolean) {
  const a = lcgUniform(batch * m * k, 1 + m, -0.5, 0.5), b = lcgUniform((bBroadcast ? 1 : batch) * k * n, 7 + n, -0.5, 0.5);
  const ab = runner.pool.acquire(a.byteLength, STORAGE_USAGE), bb = runner.pool.acquire(b.byteLength, STORAGE_USAGE);
  const cb = runner.pool.acquire(batch * m * n * 4, STORAGE_USAGE);
  runner.write(ab, a);
  runner.write(bb, b);
  const program = matmulProgram({ ...tiling, transA: tA, transB: tB, vec4 });
  runner.dispatch(program, [ab, bb, cb], { m, n, k, strideA: m * k, strideB: bBroadcast ? 0 : k * n, strideC: m * n }, matmulDispatch(tiling, batch, m, n));
  const got = new Float32Array(await runner.read(cb, batch * m * n * 4));
  [ab, bb, cb].forEach((x) => runner.pool.release(x));
  const ref = reference(a, b, batch, m, n, k, tA, tB, bBroadcast);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) / (1e-5 + 1e-4 * Math.abs(ref[i])));
  return worst;
}

describe('matmul generator', () => {
  const tilings: MatmulTiling[] = [{ tm: 4, tn: 4, wgx: 4, wgy: 4 }, { tm: 8, tn: 8, wgx: 8, wgy: 4 }, { tm: 16, tn: 8, wgx: 2, wgy: 2 }];
  for (const tiling of tilings) {
    it(`is exact to f32 rounding for every layout, tile ${tiling.tm}x${tiling.tn}`, async () => {
      const runner = new GpuRunner(await nodeGpuDevice());
      const shapes: [number, number, number, number][] = [[1, 5, 7, 3], [2, 12, 8, 16], [3, 33, 17, 9], [1, 40, 36, 20], [2, 1, 1, 1]];
      for (const [batch, m, n, k] of shapes) {
        for (const tA of [false, true]) {
          for (const tB of [false, true]) {
            for (const bc of [false, true]) {
              const paths = matmulVec4Ok(m, n, k, tA) ? [false, true] : [false];
              for (const vec4 of paths) {
                const worst = await run(runner, tiling, batch, m, n, k, tA, tB, bc, vec4);
                expect(worst, `b${batch} m${m} n${n} k${k} tA=${tA} tB=${tB} bcast=${bc} vec4=${vec4}`).toBeLessThanOrEqual(1);
              }
            }
          }
        }
      }
      expect(runner.stats().pool.inUse).toBe(0);
      await runner.sync();
    });
  }

  it('puts every parameter in the cache key', () => {
    const base = { tm: 8, tn: 8, wgx: 8, wgy: 4, transA: false, transB: false, vec4: true };
    const keys = new Set([base, { ...base, tm: 16 }, { ...base, tn: 4 }, { ...base, wgx: 4 }, { ...base, wgy: 8 }, { ...base, transA: true }, { ...base, transB: true }, { ...base, vec4: false }].map((v) => matmulProgram(v).key));
    expect(keys.size).toBe(8);
  });
});
