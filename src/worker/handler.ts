// The engine worker's request handler: routes each request to the module that does the work, runs it with
// a cancellation signal, and answers with exactly one result or error. Free of DOM and React so Node tests
// can drive it with a fake `post`.
import { CancelledError, throwIfCancelled } from './cancel.ts';
import { DeviceSession } from './device-session.ts';
import { toWireError, type FromWorker, type Params, type RequestType, type Result, type ToWorker } from './protocol.ts';

type Handler<T extends RequestType> = (
  params: Params<T>,
  ctx: { signal: AbortSignal; progress: (p: unknown) => void },
) => Promise<Result<T>>;

export class EngineHandler {
  readonly session: DeviceSession;
  private readonly running = new Map<number, AbortController>();
  private readonly handlers: { [T in RequestType]: Handler<T> };

  constructor(
    gpu: GPU | undefined,
    private readonly post: (msg: FromWorker) => void,
  ) {
    this.session = new DeviceSession(gpu, (state, event) => this.post({ kind: 'device', state, event }));
    this.handlers = {
      'device/info': async () => {
        await this.session.device().catch(() => undefined);
        return this.session.snapshot;
      },
      'device/reacquire': async () => {
        await this.session.reacquire().catch(() => undefined);
        return this.session.snapshot;
      },
      'device/destroy': async () => ({ destroyed: this.session.destroyForTest() }),
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

  async receive(msg: ToWorker): Promise<void> {
    if (msg.kind === 'cancel') {
      this.running.get(msg.id)?.abort();
      return;
    }
    const controller = new AbortController();
    this.running.set(msg.id, controller);
    const handler = this.handlers[msg.type] as Handler<RequestType>;
    try {
      if (!handler) throw new Error(`Unknown request type '${String(msg.type)}'`);
      const result = await handler(msg.params as never, {
        signal: controller.signal,
        progress: (progress) => this.post({ kind: 'progress', id: msg.id, progress }),
      });
      this.post({ kind: 'result', id: msg.id, result });
    } catch (err) {
      this.post({ kind: 'error', id: msg.id, error: toWireError(controller.signal.aborted ? new CancelledError() : err) });
    } finally {
      this.running.delete(msg.id);
    }
  }
}
