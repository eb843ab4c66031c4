// The message protocol between the UI thread and the engine worker: the only file both threads import.
// Requests carry ids; the worker answers each with exactly one result or error, may send progress for it
// in between, and pushes unsolicited device events. Cancellation names the request it cancels.
import type { AdapterReport } from '../gpu/adapter-report.ts';

/** Every request the worker serves: its parameters, its result and its progress payload. */
export interface RequestMap {
  /** Acquire a device if there is none, and describe it. */
  'device/info': { params: Record<string, never>; result: DeviceState; progress: never };
  /** Drop the current device (if any) and acquire a new one. */
  'device/reacquire': { params: Record<string, never>; result: DeviceState; progress: never };
  /** Destroy the current device as a real loss would (diagnostics and the device-loss test). */
  'device/destroy': { params: Record<string, never>; result: { destroyed: boolean }; progress: never };
  /** A cancellable long job that only counts: proves progress and cancellation end to end. */
  'diagnostics/count': { params: { to: number; delayMs: number }; result: { reached: number }; progress: { done: number; total: number } };
}

export type RequestType = keyof RequestMap;
export type Params<T extends RequestType> = RequestMap[T]['params'];
export type Result<T extends RequestType> = RequestMap[T]['result'];
export type Progress<T extends RequestType> = RequestMap[T]['progress'];

/** The device as the UI shows it. */
export interface DeviceState {
  /** 'ready' with a device, 'unavailable' without WebGPU, 'lost' between a loss and recovery. */
  status: 'ready' | 'unavailable' | 'lost' | 'acquiring';
  adapter: AdapterReport | null;
  /** Increments with every device acquired in this worker: 2 means one recovery happened. */
  generation: number;
  /** Human explanation when unavailable or lost. */
  message: string;
}

/** UI -> worker. */
export type ToWorker =
  | { [T in RequestType]: { kind: 'request'; id: number; type: T; params: Params<T> } }[RequestType]
  | { kind: 'cancel'; id: number };

/** A typed error that crossed the thread boundary (Error objects do not survive structured clone intact). */
export interface WireError {
  /** Error class name: WebGpuUnavailableError, DeviceLostError, OutOfMemoryError, ShaderCompileError, CancelledError, ... */
  name: string;
  message: string;
  /** Extra lines for the user, e.g. shader compiler messages. */
  details?: string[];
}

/** Worker -> UI. */
export type FromWorker =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: WireError }
  | { kind: 'progress'; id: number; progress: unknown }
  | { kind: 'device'; state: DeviceState; event: 'ready' | 'lost' | 'unavailable' | 'acquiring' };

export function toWireError(err: unknown): WireError {
  if (err instanceof Error) {
    const details = (err as Error & { details?: unknown }).details;
    return {
      name: err.name,
      message: err.message,
      ...(Array.isArray(details) ? { details: details.map(String) } : {}),
    };
  }
  return { name: 'Error', message: String(err) };
}
