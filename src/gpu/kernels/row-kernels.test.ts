// Row kernels in both layouts on shapes the op suite's small cases do not reach: more rows than one 'thread'
// workgroup holds (a partial last workgroup), long causal rows with a KV offset (Tq < Tk), and norm parameter
// gradients summed over >100 rows. The CPU backend is the oracle; both layouts must agree with it.
import { describe, expect, it } from 'vitest';
import { nodeGpuDevice } from '../../test/node-gpu.ts';
import type { Backend } from '../../tensor/backend.ts';
import { CpuBackend } from '../../tensor/cpu-backend.ts';
import { closeness, Rng, type Tolerance } from '../../tensor/testing.ts';
import type { Tensor } from '../../tensor/tensor.ts';
import { WebGpuBackend } from '../../tensor/webgpu-backend.ts';
import { rowGrid, rowKernelFor, ROW_THREAD_WG, type RowKernel } from './common.ts';

const TOL: Tolerance = { atol: 3e-5, rtol: 3e-4 };

/** Every output of the row ops on one backend, read back, for the same inputs. */
async function rowOutputs(b: Backend, data: Record<string, Float32Array | Int32Array>): Promise<Record<string, Float32Array | Int32Array>> {
  const t = (name: string, shape: number[]) => b.fromArray(data[name], shape, data[name] instanceof Int32Array ? 'i32' : 'f32');
  const att = t('att', [3, 70, 92]), attD = t('attD', [3, 70, 92]);
  const wide = t('wide', [2, 37, 131]);
  const h = t('h', [130, 48]), hD = t('hD', [130, 48]), w = t('w', [48]), bias = t('bias', [48]);
  const r = t('r', [129, 20]), rD = t('rD', [129, 20]), rw = t('rw', [20]);
  const logits = t('logits', [150, 40]), targets = t('targets', [150]), dlogp = t('dlogp', [150]);

  const outs: Record<string, Tensor> = {};
  outs.causal = b.softmax(att, true);
  outs.causalBackward = b.softmaxBackward(attD, outs.causal);
  outs.plain = b.softmax(wide, false);
  const ln = b.layerNorm(h, w, bias, 1e-5);
  Object.assign(outs, { lnOut: ln.out, lnMean: ln.mean, lnRstd: ln.rstd });
  const lnb = b.layerNormBackward(hD, h, w, ln.mean, ln.rstd);
  Object.assign(outs, { lnDx: lnb.dx, lnDw: lnb.dweight, lnDb: lnb.dbias });
  const rms = b.rmsNorm(r, rw, 1e-5);
  Object.assign(outs, { rmsOut: rms.out, rmsRstd: rms.rstd });
  const rmsb = b.rmsNormBackward(rD, r, rw, rms.rstd);
  Object.assign(outs, { rmsDx: rmsb.dx, rmsDw: rmsb.dweight });
  const lp = b.logProbs(logits, targets);
  Object.assign(outs, { logp: lp.logp, lse: lp.lse, dlogits: b.logProbsBackward(dlogp, logits, targets, lp.lse) });

  const values: Record<string, Float32Array | Int32Array> = {};
  for (const [k, v] of Object.entries(outs)) values[k] = await b.read(v);
  [att, attD, wide, h, hD, w, bias, r, rD, rw, logits, targets, dlogp, ...Object.values(outs)].forEach((x) => x.dispose());
  return values;
}

function inputs(): Record<string, Float32Array | Int32Array> {
  const r = new Rng(0x50f7);
  const f = (n: number, lo = -1, hi = 1) => Float32Array.from(r.array(n, lo, hi));
  return {
    att: f(3 * 70 * 92, -4, 4), attD: f(3 * 70 * 92),
    wide: f(2 * 37 * 131, -4, 4),
    h: f(130 * 48, -2, 3), hD: f(130 * 48), w: f(48, 0.5, 1.5), bias: f(48),
    r: f(129 * 20, -2, 2), rD: f(129 * 20), rw: f(20, 0.5, 1.5),
    logits: f(150 * 40, -5, 5), targets: Int32Array.from({ length: 150 }, (_, i) => (i % 7 === 2 ? -1 : (i * 11) % 40)), dlogp: f(150),
  };
}

describe('row kernels in both layouts match the CPU backend', () => {
  for (const layout of ['workgroup', 'thread'] as RowKernel[]) {
    it(`rows: ${layout}`, async () => {
      const data = inputs();
      const ref = await rowOutputs(new CpuBackend(), data);
      const gpu = new WebGpuBackend(await nodeGpuDevice(), { rowKernel: layout });
      const got = await rowOutputs(gpu, data);
      for (const k of Object.keys(ref)) {
        const cl = closeness(got[k], ref[k], TOL, `${k} (rows: ${layout})`);
        expect(cl.ok, cl.message).toBe(true);
      }
      gpu.destroy();
    });
  }
});

describe('row layout choice', () => {
  it('picks one thread per row on CPU-emulated adapters and a workgroup per row elsewhere', () => {
    expect(rowKernelFor({ architecture: 'swiftshader', isFallbackAdapter: false })).toBe('thread');
    expect(rowKernelFor({ architecture: '', isFallbackAdapter: true })).toBe('thread');
    expect(rowKernelFor({ architecture: 'ampere', isFallbackAdapter: false })).toBe('workgroup');
  });

  it('dispatches enough threads for every row', () => {
    expect(rowGrid(210, 'workgroup')).toEqual([210, 1]);
    expect(rowGrid(210, 'thread')).toEqual([Math.ceil(210 / ROW_THREAD_WG), 1]);
  });
});
