// The tape: gradients of an attention-shaped graph (embedding, rotary positions, matmul with transposes,
// causal softmax, norms, concat/slice, dropout, log-probs) match finite differences on the CPU and match
// between CPU and WebGPU; gradients accumulate; noGrad records nothing; release frees everything.

import { describe, expect, it } from 'vitest';
import { Parameter, Tape, type Var } from './autograd.ts';
import type { Backend } from './backend.ts';
import { backendsUnderTest } from './backends.test-util.ts';
import { CpuBackend } from './cpu-backend.ts';
import { closeness, Rng } from './testing.ts';
import type { Tensor } from './tensor.ts';

const T = 5, C = 8, V = 7;

interface Model {
  params: Parameter[];
  ids: Tensor;
  targets: Tensor;
}

function makeModel(b: Backend, seed = 3): Model {
  const r = new Rng(seed);
  const p = (name: string, shape: number[], lo = -0.5, hi = 0.5) => new Parameter(b.fromArray(r.array(shape.reduce((x, y) => x * y, 1), lo, hi), shape), name);
  return {
    params: [p('emb', [V, C]), p('wq', [C, C]), p('wk', [C, C]), p('norm', [C], 0.8, 1.2), p('head', [V, C]), p('ln.w', [2 * C], 0.8, 1.2), p('ln.b', [2 * C])],
    ids: b.fromArray([1, 3, 3, 0, 6], [T], 'i32'),
    targets: b.fromArray([3, 3, 0, -1, 2], [T], 'i32'),
  };
}

/** A small causal-attention-shaped loss exercising most tape ops. */
function loss(tape: Tape, m: Model): Var {
  const [emb, wq, wk, norm, head, lnW, lnB] = m.params;
  const x = tape.embedding(m.ids, emb); // (T, C)
  const q = tape.matmul(x, wq);
  const k = tape.matmul(x, wk);
  const scores = tape.scale(tape.matmul(tape.rope(tape.reshape(q, [1, T, C]), 10000, 2), tape.rope(tape.reshape(k, [1, T, C]), 10000, 2), { transB: true }), 1 / Math.sqrt(C));
  const att = tape.softmax(scores, true); // (1, T, T)
  const y = tape.reshape(tape.matmul(att, tape.reshape(x, [1, T, C])), [T, C]);
  const h = tape.silu(tape.rmsNorm(tape.add(y, x), norm));
  const wide = tape.layerNorm(tape.concat([h, tape.transpose(tape.transpose(h, [1, 0]), [1, 0])], 1), lnW, lnB); // (T, 2C)
  const left = tape.slice(wide, 1, 0, C);
  const d = tape.dropout(left, 0.25, 99);
  const logits = tape.matmul(d, head, { transB: true }); // (T, V)
  const lp = tape.logProbs(logits, m.targets);
  return tape.add(tape.scale(tape.mean(lp), -1), tape.scale(tape.sum(tape.square(logits)), 1e-3));
}

async function gradients(b: Backend, m: Model): Promise<{ value: number; grads: Float32Array[] }> {
  const tape = new Tape(b);
  const l = loss(tape, m);
  tape.backward(l);
  const value = (await b.read(l.value))[0];
  tape.release();
  const grads = await Promise.all(m.params.map(async (p) => (await b.read(p.grad!)) as Float32Array));
  m.params.forEach((p) => p.zeroGrad());
  return { value, grads };
}

describe('autograd tape', () => {
  it('matches finite differences of the whole graph on the CPU', async () => {
    const b = new CpuBackend();
    const m = makeModel(b);
    const { grads } = await gradients(b, m);
    const eps = 1e-2;
    m.params.forEach((p, j) => {
      const data = b.f32(p.value);
      const fd = new Float64Array(data.length);
      for (let i = 0; i < data.length; i++) {
        const keep = data[i];
        const at = (v: number) => {
          data[i] = v;
          const tape = new Tape(b);
          const out = b.f32(loss(tape, m).value)[0];
          tape.release();
          return out;
        };
        fd[i] = (at(keep + eps) - at(keep - eps)) / (2 * eps);
        data[i] = keep;
      }
      const cl = closeness(grads[j], fd, { atol: 2e-3, rtol: 2e-2 }, `d loss / d ${p.name}`);
      expect(cl.ok, cl.message).toBe(true);
    });
  });

  it('gives the same gradients on WebGPU as on the CPU', async () => {
    const cpu = new CpuBackend();
    const gpu = await backendsUnderTest[1].make();
    const a = await gradients(cpu, makeModel(cpu));
    const g = await gradients(gpu, makeModel(gpu));
    expect(Math.abs(a.value - g.value)).toBeLessThan(1e-4);
    a.grads.forEach((ref, j) => {
      const cl = closeness(g.grads[j], ref, { atol: 1e-4, rtol: 1e-3 }, `gradient ${j}`);
      expect(cl.ok, cl.message).toBe(true);
    });
  });

  for (const target of backendsUnderTest) {
    it(`accumulates gradients across backward calls on ${target.name}`, async () => {
      const b = await target.make();
      const m = makeModel(b);
      const once = await gradients(b, m);
      for (let i = 0; i < 2; i++) {
        const tape = new Tape(b);
        tape.backward(loss(tape, m));
        tape.release();
      }
      const twice = await Promise.all(m.params.map((p) => b.read(p.grad!)));
      once.grads.forEach((g, j) => {
        const cl = closeness(twice[j], g.map((v) => 2 * v), { atol: 1e-5, rtol: 1e-4 }, `accumulated ${m.params[j].name}`);
        expect(cl.ok, cl.message).toBe(true);
      });
    });

    it(`records nothing under noGrad and frees everything on release (${target.name})`, async () => {
      const b = await target.make();
      const m = makeModel(b);
      const live = b.liveStorages();
      const tape = new Tape(b);
      const l = tape.withNoGrad(() => loss(tape, m));
      expect(l.requiresGrad).toBe(false);
      expect(() => tape.backward(l)).toThrow(/does not depend/);
      const kept = tape.keep(l);
      tape.release();
      expect(b.liveStorages()).toBe(live + 1);
      kept.dispose();
      expect(b.liveStorages()).toBe(live);
      expect(m.params.every((p) => p.grad === null)).toBe(true);
    });
  }
});
