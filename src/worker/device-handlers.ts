// Device requests: describe, re-acquire, and destroy (diagnostics and the device-loss test); plus a counting
// job that proves progress and cancellation end to end.
import { throwIfCancelled } from './cancel.ts';
import type { HandlerContext, HandlerTable } from './handler-types.ts';

type DeviceRequest = 'device/info' | 'device/reacquire' | 'device/destroy' | 'diagnostics/count';

export function deviceHandlers({ session }: HandlerContext): HandlerTable<DeviceRequest> {
  return {
    'device/info': async () => {
      const ready = await session.device().then(() => true, () => false);
      // The start-up autotune runs behind the first request for the device; its result arrives as a 'tuned' event.
      if (ready) void session.matmulTuning();
      return session.snapshot;
    },
    'device/reacquire': async () => {
      await session.reacquire().catch(() => undefined);
      return session.snapshot;
    },
    'device/destroy': async () => ({ destroyed: session.destroyForTest() }),
    'diagnostics/count': async ({ to, delayMs }, { signal, progress }) => {
      for (let i = 1; i <= to; i++) {
        await new Promise((r) => setTimeout(r, delayMs));
        throwIfCancelled(signal);
        progress({ done: i, total: to });
      }
      return { reached: to };
    },
  };
}
