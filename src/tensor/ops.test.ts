// One op suite, run against every backend: forward vs the float64 reference on random shapes (odd sizes
// included), backward vs central finite differences of the float64 reference on tiny shapes, and backward
// vs the float64 reference gradients on random shapes. Known gaps: none (every op in op-cases.ts runs).

import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.ts';
import { backendsUnderTest } from './backends.test-util.ts';
import { opCases, type Arr, type CaseInput, type OpCase } from './op-cases.ts';
import { closeness, finiteDifferences, Rng, type Tolerance } from './testing.ts';
import type { Tensor } from './tensor.ts';

const FORWARD: Tolerance = { atol: 2e-5, rtol: 2e-4 };
const GRADIENT: Tolerance = { atol: 1e-4, rtol: 1e-3 };
/** Finite differences of the f64 reference vs a backend's f32 gradients on tiny shapes. */
const FD: Tolerance = { atol: 2e-4, rtol: 2e-3 };

function upload(b: Backend, inputs: CaseInput[]): Tensor[] {
  return inputs.map((x) => b.fromArray(x.data, x.shape, x.data instanceof Int32Array ? 'i32' : 'f32'));
}

async function backward(b: Backend, c: OpCase, inputs: CaseInput[], dout: Float64Array) {
  const t = upload(b, inputs);
  const outs = c.run(b, t);
  const d = b.fromArray(dout, outs[0].shape);
  const grads = c.runBackward!(b, t, d, outs);
  const values = await Promise.all(grads.map((g) => b.read(g)));
  [...t, ...outs, d, ...grads].forEach((x) => x.dispose());
  return values;
}

for (const target of backendsUnderTest) {
  describe(`ops on ${target.name}`, () => {
    for (const c of opCases) {
      it(`${c.name}: forward matches the float64 reference`, async () => {
        const b = await target.make();
        const live = b.liveStorages();
        const r = new Rng(0xc0ffee ^ c.name.length);
        for (let trial = 0; trial < 4; trial++) {
          const inputs = c.make(r, false);
          const shapes = inputs.map((x) => x.shape);
          const refs = c.ref(inputs.map((x) => x.data), shapes);
          const t = upload(b, inputs);
          const outs = c.run(b, t);
          for (let o = 0; o < refs.length; o++) {
            const got = await b.read(outs[o]);
            const cl = closeness(got, refs[o], FORWARD, `${c.name} output ${o}, inputs ${shapes.map((s) => `[${s.join(',')}]`).join(' ')}`);
            expect(cl.ok, cl.message).toBe(true);
          }
          [...t, ...outs].forEach((x) => x.dispose());
        }
        await b.sync();
        expect(b.liveStorages()).toBe(live);
      });

      if (!c.runBackward || !c.refBackward) continue;

      it(`${c.name}: backward matches central finite differences (float64, tiny shapes)`, async () => {
        const b = await target.make();
        const r = new Rng(0xfd ^ c.name.length);
        for (let trial = 0; trial < 2; trial++) {
          const inputs = c.make(r, true);
          const shapes = inputs.map((x) => x.shape);
          const data = inputs.map((x) => x.data);
          const out0 = c.ref(data, shapes)[0];
          const w = r.array(out0.length);
          const grads = await backward(b, c, inputs, w);
          let gi = 0;
          inputs.forEach((x, j) => {
            if (!x.grad) return;
            const loss = (xj: Float64Array) => {
              const d: Arr[] = data.slice();
              d[j] = xj;
              const y = c.ref(d, shapes)[0];
              let s = 0;
              for (let i = 0; i < y.length; i++) s += y[i] * w[i];
              return s;
            };
            const fd = finiteDifferences(loss, Float64Array.from(x.data));
            const cl = closeness(grads[gi++], fd, FD, `${c.name} d(input ${j}) [${x.shape.join(',')}] vs finite differences`);
            expect(cl.ok, cl.message).toBe(true);
          });
        }
      });

      it(`${c.name}: backward matches the float64 reference gradients (random shapes)`, async () => {
        const b = await target.make();
        const live = b.liveStorages();
        const r = new Rng(0xbac ^ c.name.length);
        for (let trial = 0; trial < 3; trial++) {
          const inputs = c.make(r, false);
          const shapes = inputs.map((x) => x.shape);
          const out0 = c.ref(inputs.map((x) => x.data), shapes)[0];
          const dout = r.array(out0.length);
          const refs = c.refBackward!(inputs.map((x) => x.data), shapes, dout);
          const grads = await backward(b, c, inputs, dout);
          refs.forEach((ref, k) => {
            const cl = closeness(grads[k], ref, GRADIENT, `${c.name} gradient ${k}, inputs ${shapes.map((s) => `[${s.join(',')}]`).join(' ')}`);
            expect(cl.ok, cl.message).toBe(true);
          });
        }
        await b.sync();
        expect(b.liveStorages()).toBe(live);
      });
    }
  });
}
