// The UI thread's side of the engine worker: typed requests that resolve with the result, progress callbacks,
// cancellation through an AbortSignal, and a subscription to device events.
import type { DeviceState, FromWorker, Params, Progress, RequestType, Result, ToWorker, WireError } from './protocol.ts';

export class WorkerRequestError extends Error {
  readonly details: string[];
  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.details = wire.details ?? [];
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (p: unknown) => void;
}

export interface RequestOptions<T extends RequestType> {
  signal?: AbortSignal;
  onProgress?: (progress: Progress<T>) => void;
}

/** Anything that speaks postMessage: a Worker in the app, a fake in tests. */
export interface MessagePort {
  postMessage(msg: ToWorker): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
}

export class EngineClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly deviceListeners = new Set<(state: DeviceState, event: string) => void>();

  constructor(private readonly port: MessagePort) {
    port.onmessage = (event) => this.dispatch(event.data);
  }

  request<T extends RequestType>(type: T, params: Params<T>, options: RequestOptions<T> = {}): Promise<Result<T>> {
    const id = this.nextId++;
    return new Promise<Result<T>>((resolve, reject) => {
      this.pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        onProgress: options.onProgress as ((p: unknown) => void) | undefined,
      });
      options.signal?.addEventListener('abort', () => this.port.postMessage({ kind: 'cancel', id }), { once: true });
      this.port.postMessage({ kind: 'request', id, type, params } as ToWorker);
    });
  }

  onDevice(listener: (state: DeviceState, event: string) => void): () => void {
    this.deviceListeners.add(listener);
    return () => this.deviceListeners.delete(listener);
  }

  private dispatch(msg: FromWorker): void {
    if (msg.kind === 'device') {
      for (const l of this.deviceListeners) l(msg.state, msg.event);
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.progress);
    } else if (msg.kind === 'result') {
      this.pending.delete(msg.id);
      p.resolve(msg.result);
    } else {
      this.pending.delete(msg.id);
      p.reject(new WorkerRequestError(msg.error));
    }
  }
}

let shared: EngineClient | null = null;

/** The app's one engine worker, started on first use. */
export function engineClient(): EngineClient {
  shared ??= new EngineClient(
    new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }) as unknown as MessagePort,
  );
  return shared;
}
