// Ownership of the activations a forward pass keeps for its backward pass (llm.c keeps them in one arena; we
// keep a list). Forward functions put what backward reads into a Frame and dispose their temporaries at once;
// backward, or an inference caller, disposes the whole Frame when done.

import type { Tensor } from '../../tensor/tensor.ts';

export class Frame {
  private readonly owned: Tensor[] = [];

  /** Takes ownership of t and returns it. Keeping a tensor twice is harmless. */
  keep<T extends Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  /** Number of tensors held (a leak check in tests). */
  get size(): number {
    return this.owned.length;
  }

  dispose(): void {
    for (const t of this.owned) if (!t.disposed) t.dispose();
    this.owned.length = 0;
  }
}

/** Disposes each tensor once (skipping null and already-disposed ones). */
export function release(...ts: (Tensor | null | undefined)[]): void {
  for (const t of ts) if (t && !t.disposed) t.dispose();
}
