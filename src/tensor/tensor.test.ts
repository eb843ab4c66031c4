// Tensor lifetimes on every backend: reshape views share storage and keep it alive until the last view
// is disposed, double dispose throws, use after dispose throws, and i32 data moves through layout ops.

import { describe, expect, it } from 'vitest';
import { backendsUnderTest } from './backends.test-util.ts';

for (const target of backendsUnderTest) {
  describe(`tensors on ${target.name}`, () => {
    it('shares storage between views and frees it with the last one', async () => {
      const b = await target.make();
      const live = b.liveStorages();
      const x = b.fromArray([1, 2, 3, 4, 5, 6], [2, 3]);
      const v = b.reshape(x, [3, 2]);
      expect(b.liveStorages()).toBe(live + 1);
      x.dispose();
      expect(Array.from(await b.read(v))).toEqual([1, 2, 3, 4, 5, 6]);
      v.dispose();
      expect(b.liveStorages()).toBe(live);
      expect(() => v.dispose()).toThrow(/disposed twice/);
      await expect(b.read(v)).rejects.toThrow(/already disposed/);
    });

    it('moves i32 data through transpose, slice, concat and writeSlice unchanged', async () => {
      const b = await target.make();
      const ids = b.fromArray([0, 1, 2, 3, 4, 5, -7, 2 ** 30], [2, 4], 'i32');
      const t = b.transpose(ids, [1, 0]);
      expect(Array.from(await b.read(t))).toEqual([0, 4, 1, 5, 2, -7, 3, 2 ** 30]);
      const s = b.slice(ids, 1, 1, 3);
      expect(Array.from(await b.read(s))).toEqual([1, 2, 5, -7]);
      const c = b.concat([s, s], 0);
      expect(c.dtype).toBe('i32');
      expect(Array.from(await b.read(c))).toEqual([1, 2, 5, -7, 1, 2, 5, -7]);
      b.writeSlice(ids, s, 1, 2);
      expect(Array.from(await b.read(ids))).toEqual([0, 1, 1, 2, 4, 5, 5, -7]);
      [ids, t, s, c].forEach((x) => x.dispose());
    });
  });
}
